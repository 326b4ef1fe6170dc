"""SB_COMMISSION and SB_TIER_RATE with Excel-shaped tier ranges."""

from __future__ import annotations

import pytest

from salesbook.excel.functions import SB_COMMISSION, SB_TIER_RATE

TIERS = [["From", "Rate"], [0.0, 0.05], [100_000.0, 0.06], [125_000.0, 0.07]]


def test_commission_with_header_row_and_running_start():
    assert SB_COMMISSION(150_000.0, TIERS) == pytest.approx(8_250)
    assert SB_COMMISSION(60_000.0, TIERS[1:], "marginal", 90_000.0) == pytest.approx(3_750)
    assert SB_COMMISSION(110_000.0, TIERS, "whole") == pytest.approx(6_600)
    assert SB_COMMISSION(110_000.0, TIERS, None, None) == pytest.approx(5_600)   # blank optional cells


def test_tier_rate_and_boundary_rule():
    assert SB_TIER_RATE(100_000.0, TIERS) == pytest.approx(0.06)
    assert SB_TIER_RATE(100_000.0, TIERS, "lower") == pytest.approx(0.05)
    assert SB_TIER_RATE(99_999.99, TIERS) == pytest.approx(0.05)
    assert SB_COMMISSION(100_000.0, TIERS, "whole", 0, "lower") == pytest.approx(5_000)
    assert SB_COMMISSION(100_000.0, TIERS, "whole", 0, "upper") == pytest.approx(6_000)


def test_bad_arguments_explain_themselves():
    assert SB_COMMISSION(10.0, [[0.0, 0.1], [0.0, 0.2]]).startswith("SB_COMMISSION: tiers out of order or overlapping")
    assert SB_COMMISSION(10.0, [[0.0]]) == "SB_COMMISSION: tiers must be a 2-column range: lower bound, rate"
    assert SB_COMMISSION(10.0, TIERS, "flat") == "SB_COMMISSION: method must be marginal or whole, not 'flat'"
    assert SB_TIER_RATE(1.0, TIERS, "middle") == "SB_TIER_RATE: boundary must be upper or lower, not 'middle'"
    assert SB_TIER_RATE("x", TIERS) == "SB_TIER_RATE: value: 'x' is not a number"
