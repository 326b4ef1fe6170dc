from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesbook.engines.money import largest_remainder, round_array, round_half_away, to_units


@pytest.mark.parametrize(("x", "unit", "expected"), [
    (2.675, "0.01", "2.68"),      # Excel: ROUND(2.675, 2) = 2.68 (binary float is 2.67499999...)
    (-2.5, "1", "-3"),            # half away from zero, like ROUND(-2.5, 0)
    (1234.5, "100", "1200"),
    (1250, "100", "1300"),
    (0.125, "0.05", "0.15"),
])
def test_round_half_away_matches_excel_round(x, unit, expected):
    assert round_half_away(x, unit) == Decimal(expected)


def test_round_array_agrees_with_decimal_rounding_on_halves():
    values = np.array([1.005, 2.675, -1.005, 0.125, 10.0049999])
    assert round_array(values, 0.01).round(2).tolist() == [1.01, 2.68, -1.01, 0.13, 10.0]


def test_largest_remainder_hamilton_example():
    # Hamilton's method: 10 seats, votes 5.2 / 3.5 / 1.3 quotas -> floors 5,3,1 and the one seat left goes to
    # the largest remainder (0.5): 5,4,1.
    assert largest_remainder(10, [52, 35, 13]).tolist() == [5, 4, 1]


def test_ties_go_to_the_larger_weight_then_the_earlier_position():
    assert largest_remainder(1, [1, 1, 1]).tolist() == [1, 0, 0]
    # quotas 0.5 / 1 / 0.5: the spare unit is a tie between equal weights, so the earlier one gets it
    assert largest_remainder(2, [1, 2, 1]).tolist() == [1, 1, 0]


def test_bad_weights_are_refused():
    for weights in ([], [0, 0], [1, -1], [np.nan, 1]):
        with pytest.raises(ValueError):
            largest_remainder(5, weights)


@settings(max_examples=200, deadline=None)
@given(total=st.integers(-10**12, 10**12),
       weights=st.lists(st.floats(0, 1e9, allow_nan=False), min_size=1, max_size=40).filter(lambda w: sum(w) > 0))
def test_parts_sum_exactly_and_stay_within_one_unit_of_the_quota(total, weights):
    parts = largest_remainder(total, weights)
    assert int(parts.sum()) == total
    quota = np.array(weights) / sum(weights) * total
    assert np.all(np.abs(parts - quota) < 1 + 1e-6 * max(1, abs(total)))


def test_to_units_refuses_amounts_off_the_grid():
    assert to_units("1000000.00", "0.01") == 100_000_000
    with pytest.raises(ValueError):
        to_units("0.005", "0.01")
