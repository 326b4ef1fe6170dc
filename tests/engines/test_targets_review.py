"""Target vs actual: variance (actual - target) and fiscal-year-to-date columns, checked by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from salesbook.engines.targets import Level, decompose_targets

sys.path.insert(0, str(Path(__file__).parent))
from test_targets_rules import book

LEVELS = (Level("region_id", method="even"), Level("rep_id", method="even"))


def deals() -> pd.DataFrame:
    return pd.DataFrame({"deal_id": ["D1", "D2", "D3"], "date": pd.to_datetime(["2026-03-05", "2026-05-20", "2025-12-30"]),
                         "rep_id": ["A", "C", "A"], "product_id": ["P1", "P2", "P1"], "quantity": [3, 5, 1],
                         "amount": [30_000.0, 50_000.0, 9_999.0], "status": "booked"})


def company(result, period: str) -> pd.Series:
    v = result.variance
    return v[(v["level"] == 0) & (v["period"] == period)].iloc[0]


def test_variance_and_to_date_by_hand():
    """Company 1,200,000 at unit 1, flat seasonality: every month 100,000, every quarter 300,000.

    Deals in the plan year: A 30,000 in March, C 50,000 in May (a December 2025 deal is outside the year).
    As of 10 May 2026 five months have begun (January to May).
      FY: target 1,200,000, actual 80,000, variance 80,000 - 1,200,000 = -1,120,000;
          to date: target 5 x 100,000 = 500,000, actual 80,000, variance -420,000, achievement 16%.
      Q1: target 300,000, actual 30,000, variance -270,000; to date (its end, March) the same.
      Q2: target 300,000, actual 50,000, variance -250,000; to date (June) 600,000 and 80,000: -520,000.
      April: target 100,000, actual 0, variance -100,000; to date 400,000 and 30,000: -370,000.
    """
    r = decompose_targets(1_200_000, unit=1, levels=LEVELS, deals=deals(), as_of=pd.Timestamp(2026, 5, 10),
                          **book())
    fy = company(r, "FY")
    assert (fy["target"], fy["actual"], fy["variance"]) == (1_200_000, 80_000, -1_120_000)
    assert (fy["target_to_date"], fy["actual_to_date"], fy["variance_to_date"]) == (500_000, 80_000, -420_000)
    assert fy["achievement_to_date"] == pytest.approx(0.16)
    q1, q2, april = company(r, "2026Q1"), company(r, "2026Q2"), company(r, "2026-04")
    assert (q1["target"], q1["actual"], q1["variance"], q1["target_to_date"], q1["actual_to_date"]) == (
        300_000, 30_000, -270_000, 300_000, 30_000)
    assert (q2["variance"], q2["target_to_date"], q2["actual_to_date"], q2["variance_to_date"]) == (
        -250_000, 600_000, 80_000, -520_000)
    assert (april["variance"], april["target_to_date"], april["actual_to_date"], april["variance_to_date"]) == (
        -100_000, 400_000, 30_000, -370_000)
    assert "to date 2026-01 to 2026-05" in fy["explanation"] and "to date 2026-01 to 2026-04" in april["explanation"]
    # the rep rows: A has 30,000 of the company's 80,000
    a = r.review[(r.review["rep_id"] == "A") & (r.review["period"] == "FY")].iloc[0]
    assert a["actual"] == 30_000 and a["variance"] == 30_000 - a["target"]


def test_nothing_to_date_before_the_year_begins():
    r = decompose_targets(1_200_000, unit=1, levels=LEVELS, deals=deals(), as_of=pd.Timestamp(2025, 12, 31),
                          lang="zh", **book())
    fy = company(r, "FY")
    assert (fy["target_to_date"], fy["actual_to_date"], fy["variance_to_date"]) == (0, 0, 0)
    assert pd.isna(fy["achievement_to_date"]) and "累计：尚无已开始的月份" in fy["explanation"]
    # without an as-of date the FY row runs to the year's end
    whole = company(decompose_targets(1_200_000, unit=1, levels=LEVELS, deals=deals(), **book()), "FY")
    assert (whole["target_to_date"], whole["actual_to_date"]) == (1_200_000, 80_000)
