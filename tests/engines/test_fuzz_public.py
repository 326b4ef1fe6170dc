"""The public calculation functions (what the SB_ worksheet functions call) on arbitrary arguments:
a valid answer, or the function's own documented error -- never a stray exception or a NaN answer."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from salesbook import InputError, ahp, allocate, critic_weights, entropy_weights, tiered_payout
from salesbook.engines.allocation import AllocationError
from salesbook.engines.commissions import TierError
from salesbook.engines.kpi import MatrixError
from salesbook.engines.money import round_half_away, to_decimal

anything = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**18, 10**18),
                     st.sampled_from([0, 0.0, -0.0, 1e-300, 1e300, -1]))
plain = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)
OWN_ERRORS = (AllocationError, TierError, MatrixError, InputError)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(total=anything, weights=st.lists(anything, max_size=8), unit=st.sampled_from([1, 0.01, "0.01", 100, 0, -1]))
def test_allocate_sums_exactly_or_says_why(total, weights, unit):
    try:
        parts = allocate(total, weights, unit=unit)
    except OWN_ERRORS:
        return
    u = to_decimal(unit)
    assert len(parts) == len(weights)
    assert sum(parts) == round_half_away(total, u)
    assert all((p / u) == (p / u).to_integral_value() for p in parts)


tier_lists = st.lists(st.tuples(anything, anything), max_size=5)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(value=anything, tiers=tier_lists, method=st.sampled_from(["marginal", "whole", "flat", ""]), start=anything)
def test_tiered_payout_is_a_number_or_says_why(value, tiers, method, start):
    try:
        out = tiered_payout(value, tiers, method=method, start=start)
    except OWN_ERRORS:
        return
    assert isinstance(out, float) and math.isfinite(out)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.one_of(
    st.integers(0, 6).flatmap(lambda n: st.lists(st.lists(anything, min_size=n, max_size=n), min_size=n, max_size=n)),
    st.lists(st.lists(anything, max_size=4), max_size=4),                       # ragged or not square
    st.integers(1, 6).flatmap(lambda n: st.lists(st.lists(st.sampled_from([1, 2, 3, 1 / 3, 0.5, 9, 1 / 9]),
                                                          min_size=n, max_size=n), min_size=n, max_size=n))))
def test_ahp_weights_or_says_why(matrix):
    try:
        res = ahp(matrix)
    except OWN_ERRORS:
        return
    w = np.asarray(res.weights, dtype=float)
    assert np.all(np.isfinite(w)) and np.all(w >= 0) and abs(w.sum() - 1) < 1e-9
    assert math.isfinite(res.cr) or len(w) <= 2


@settings(max_examples=300, deadline=None, derandomize=True)
@given(rows=st.integers(0, 6), cols=st.integers(0, 5), data=st.data())
def test_objective_weights_or_says_why(rows, cols, data):
    matrix = data.draw(st.lists(st.lists(st.one_of(plain, anything), min_size=cols, max_size=cols),
                                min_size=rows, max_size=rows))
    for fn in (entropy_weights, critic_weights):
        try:
            w = fn(matrix)
        except OWN_ERRORS:
            continue
        w = np.asarray(w, dtype=float)
        assert w.shape == (cols,)
        assert np.all(np.isfinite(w)) and np.all(w >= 0) and abs(w.sum() - 1) < 1e-9, (fn.__name__, matrix, w)
