"""Exact splits and controlled rounding: quotas from the weights as typed, grids that keep both margins."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesbook.engines.allocation import allocate, split_groups, split_rows
from salesbook.engines.controlled import RoundingError, controlled_round, round_table
from salesbook.engines.money import largest_remainder


def test_a_remainder_tie_goes_to_the_larger_weight():
    # 6 x 0.1 / 0.4 = 1.5 and 6 x 0.3 / 0.4 = 4.5: floors 1 + 4 = 5, one unit left, the remainders tie at
    # .5 exactly, so the documented rule gives it to the larger weight (0.3): [1, 5].  In binary floating
    # point 0.1 / 0.4 x 6 is 1.5000000000000002, which gave [2, 4].
    assert allocate(6, [0.1, 0.3]) == [Decimal(1), Decimal(5)]
    assert largest_remainder(6, [0.1, 0.3]).tolist() == [1, 5]
    assert split_groups(np.array([6]), np.array([0, 0]), np.array([0.1, 0.3])).tolist() == [1, 5]
    assert split_rows(np.array([6]), np.array([[0.1, 0.3]])).tolist() == [[1, 5]]
    # equal weights and equal remainders: the earlier position (the rule's last step)
    assert allocate(1, [0.25, 0.25]) == [Decimal(1), Decimal(0)]


def test_a_profile_of_whole_months_is_kept_whole():
    # 12,000,000.00 by 6% / 8% / ...: 12,000,000 x 6% = 720,000.00 and x 8% = 960,000.00 exactly
    profile = [0.06] + [0.08] * 5 + [0.09] * 6
    months = allocate(12_000_000, profile, unit="0.01")
    assert months[:2] == [Decimal("720000.00"), Decimal("960000.00")]
    assert months[6] == Decimal("1080000.00") and sum(months) == Decimal("12000000.00")


@settings(max_examples=150, deadline=None)
@given(q=st.lists(st.integers(0, 10_000), min_size=1, max_size=12).filter(lambda q: sum(q) > 0),
       c=st.integers(0, 10**6), places=st.integers(0, 6), cents=st.booleans())
def test_whole_quotas_from_decimal_weights_come_out_exactly(q, c, places, cents):
    """Weights typed as decimals (q_i / 10^places, e.g. 0.06 and 0.08) and a total c x sum(q) units: every
    exact quota total x w_i / sum(w) = c x q_i is a whole number of units, so every split must give it."""
    weights = [x / 10**places for x in q]
    total = c * sum(q)
    expected = [c * x for x in q]
    assert largest_remainder(total, weights).tolist() == expected
    unit = "0.01" if cents else "1"
    amount = Decimal(total) * Decimal(unit)
    assert allocate(amount, weights, unit=unit) == [Decimal(x) * Decimal(unit) for x in expected]
    groups = np.zeros(len(q), dtype=np.int64)
    assert split_groups(np.array([total]), groups, np.array(weights)).tolist() == expected


@settings(max_examples=150, deadline=None)
@given(total=st.integers(0, 10**12), weights=st.lists(
    st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False), min_size=1, max_size=8).filter(
    lambda w: sum(w) > 0))
def test_vectorised_split_is_the_exact_hamilton_split(total, weights):
    """The vectorised form agrees with Hamilton's method computed in fractions from the typed decimals."""
    w = [float(x) for x in weights]
    exact = [Fraction(x) for x in weights]
    s = sum(exact)
    quota = [total * x / s for x in exact]
    base = [int(x) for x in quota]
    order = sorted(range(len(w)), key=lambda i: (-(quota[i] - base[i]), -exact[i], i))
    for i in order[: total - sum(base)]:
        base[i] += 1
    assert split_groups(np.array([total]), np.zeros(len(w), dtype=np.int64), np.array(w)).tolist() == base
    assert [int(x) for x in allocate(total, w)] == base


def test_a_two_way_table_with_whole_margins_keeps_them():
    """Rows 1 and 2, columns 1.5 and 1.5 would be rounded; here the margins are whole and must stay.

    Exact table (rows total 3 and 5, columns 2, 4 and 2):
        0.75  1.5   0.75   | 3
        1.25  2.5   1.25   | 5
        ---------------------
        2     4     2      | 8
    Each cell goes to its floor or ceiling: row 1 needs 0 + 1 + 0 = 1 more unit over its floors
    (0.75 + 0.5 + 0.75 = 2 fractional units), row 2 needs 2; the middle column's floors 1 + 2 = 3 leave 1.
    """
    exact = np.array([[0.75, 1.5, 0.75], [1.25, 2.5, 1.25]])
    got = round_table(exact)
    assert got.sum(axis=1).tolist() == [3, 5] and got.sum(axis=0).tolist() == [2, 4, 2]
    assert (got >= np.floor(exact)).all() and (got <= np.ceil(exact)).all()


def test_reps_present_in_different_months_still_add_up():
    """A region of two reps: A works January-February only, B March-April only, each with a year of 1.

    The region's exact months are 0.5 each; rounding the region first by largest remainder would give
    January and February a unit each, leaving nothing for B.  Rounded as one problem, A's unit falls in
    January or February, B's in March or April, and the region's months are their sums."""
    parent = np.array([-1, 0, 0])
    exact = np.array([[0, 0, 0, 0], [0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]])
    got = controlled_round(parent, np.array([2, 1, 1]), exact)
    assert got[1, :2].sum() == 1 and got[1, 2:].sum() == 0
    assert got[2, 2:].sum() == 1 and got[2, :2].sum() == 0
    assert (got[0] == got[1] + got[2]).all()


def test_inconsistent_input_is_refused():
    with pytest.raises(RoundingError, match="sum of its children"):
        controlled_round(np.array([-1, 0]), np.array([3, 2]), np.array([[0.0], [2.0]]))
    with pytest.raises(RoundingError, match="do not add up"):
        controlled_round(np.array([-1]), np.array([3]), np.array([[1.0, 1.0]]))
    with pytest.raises(RoundingError, match="listed before"):
        controlled_round(np.array([1, -1]), np.array([1, 1]), np.array([[1.0], [1.0]]))


@st.composite
def forests(draw):
    """A random hierarchy of up to three levels under one or two roots; leaves have rows with zeros
    (months a rep is not employed), whole values and fractions."""
    m = draw(st.integers(1, 12))
    parent, depth = [], []
    for _ in range(draw(st.integers(1, 2))):
        parent.append(-1)
        depth.append(0)
    frontier = list(range(len(parent)))
    for _level in range(draw(st.integers(1, 3))):
        nxt = []
        for p in frontier:
            for _ in range(draw(st.integers(1, 4))):
                parent.append(p)
                nxt.append(len(parent) - 1)
        frontier = nxt
    n = len(parent)
    has_kids = np.bincount([p for p in parent if p >= 0], minlength=n) > 0
    totals = np.zeros(n, dtype=np.int64)
    exact = np.zeros((n, m))
    for i in np.flatnonzero(~has_kids):
        t = draw(st.integers(0, 10**draw(st.sampled_from([2, 6, 11]))))
        w = np.array([draw(st.integers(0, 9)) for _ in range(m)], dtype=float)
        if w.sum() == 0:
            w[draw(st.integers(0, m - 1))] = 1.0
        totals[i] = t
        exact[i] = t * w / w.sum()
    for i in range(n - 1, -1, -1):
        if parent[i] >= 0:
            totals[parent[i]] += totals[i]
    return np.array(parent), totals, exact


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forests())
def test_random_grids_keep_every_row_and_every_parent(forest):
    parent, totals, exact = forest
    got = controlled_round(parent, totals, exact)
    n = len(parent)
    has_kids = np.bincount(parent[parent >= 0], minlength=n) > 0
    full = np.where(has_kids[:, None], 0.0, exact)
    for i in range(n - 1, -1, -1):  # each parent's exact months: the sum of its children's
        if parent[i] >= 0:
            full[parent[i]] += full[i]
    assert (got.sum(axis=1) == totals).all()                        # every row on its total
    sums = np.zeros_like(got)
    np.add.at(sums, parent[parent >= 0], got[parent >= 0])
    assert (sums[has_kids] == got[has_kids]).all()                  # every parent's month is its children's
    # floor or ceiling of the exact value, which the floats know to a few ulps only (whole values are kept
    # exactly, as the tests of whole quotas show)
    slack = 64 * np.finfo(float).eps * (1 + full)
    assert (got >= np.floor(full - slack)).all() and (got <= np.ceil(full + slack)).all()
    assert (got[full == 0] == 0).all()
    again = controlled_round(parent, totals, exact)
    assert (again == got).all()


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.integers(0, 10**6), min_size=1, max_size=8),
       cols=st.lists(st.integers(1, 50), min_size=2, max_size=12))
def test_proportional_tables_keep_their_whole_margins(rows, cols):
    """Cells rows_i x cols_j / sum(cols): row totals rows_i, column totals sum(rows) x cols_j / sum(cols)."""
    r = np.array(rows, dtype=float)
    c = np.array(cols, dtype=float)
    exact = np.outer(r, c / c.sum())
    got = round_table(exact)
    assert got.sum(axis=1).tolist() == rows
    col = r.sum() * c / c.sum()
    assert (np.abs(got.sum(axis=0) - col) < 1).all()
    whole = np.isclose(col, np.round(col), rtol=0, atol=1e-7)
    assert (got.sum(axis=0)[whole] == np.round(col[whole])).all()
