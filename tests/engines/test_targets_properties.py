"""Invariants of allocation and decomposition, for any input hypothesis can think of."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesbook.engines.allocation import allocate, split_groups
from salesbook.engines.money import round_half_away
from salesbook.engines.targets import UNASSIGNED, Level, decompose_targets
from salesbook.errors import InputError

UNITS = st.sampled_from(["1", "100", "0.01", "0.05"])
KEYS = ["product_line", "region_id", "rep_id"]


@settings(max_examples=200, deadline=None)
@given(total=st.decimals(min_value=0, max_value=10**9, places=2), unit=UNITS,
       weights=st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=15),
       data=st.data())
def test_allocate_sums_exactly_respects_locks_and_quota(total, unit, weights, data):
    rounded = round_half_away(total, unit)
    k = len(weights)
    lock_pos = data.draw(st.sets(st.integers(0, k - 1), max_size=k - 1))
    budget = int(rounded / Decimal(unit))
    locked = {}
    for p in sorted(lock_pos):
        amount = data.draw(st.integers(0, budget))
        budget -= amount
        locked[p] = Decimal(amount) * Decimal(unit)
    parts = allocate(total, weights, unit=unit, locked=locked)
    assert sum(parts) == rounded                                   # exact, in Decimal
    assert all(p >= 0 and (p / Decimal(unit)) == int(p / Decimal(unit)) for p in parts)
    assert all(parts[p] == v for p, v in locked.items())          # locks kept
    assert parts == allocate(total, weights, unit=unit, locked=locked)  # deterministic
    free = [i for i in range(k) if i not in locked]
    rest = (rounded - sum(locked.values())) / Decimal(unit)
    w = sum(weights[i] for i in free)
    if w > 0:  # Hamilton's quota rule: every part within one unit of its exact quota
        for i in free:
            quota = Decimal(weights[i] / w) * rest
            assert abs(parts[i] / Decimal(unit) - quota) < 1 + Decimal("1e-6")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(-10**12, 10**12), st.lists(st.integers(0, 50), min_size=1, max_size=8)),
                min_size=1, max_size=6))
def test_split_groups_matches_the_scalar_method(groups):
    totals = np.array([t for t, _ in groups])
    ids = np.concatenate([[g] * len(w) for g, (_, w) in enumerate(groups)])
    weights = np.concatenate([w for _, w in groups]).astype(float)
    got = split_groups(totals, ids, weights)
    for g, (t, w) in enumerate(groups):
        assert got[ids == g].tolist() == [int(x) for x in allocate(t, w)]


@st.composite
def plans(draw):
    n_reps = draw(st.integers(1, 7))
    regions = ["E", "W", "N"][: draw(st.integers(1, 3))]
    hires = [pd.Timestamp(2020, 1, 1) if draw(st.booleans()) else pd.Timestamp(2026, draw(st.integers(1, 12)),
                                                                               draw(st.integers(1, 28)))
             for _ in range(n_reps)]
    leaves = [pd.NaT if draw(st.integers(0, 4)) else pd.Timestamp(2026, draw(st.integers(1, 12)), 15)
              for _ in range(n_reps)]
    leaves = [lv if pd.isna(lv) or lv >= h else pd.NaT for lv, h in zip(leaves, hires, strict=True)]
    reps = pd.DataFrame({
        "rep_id": [f"R{i}" for i in range(n_reps)], "name": [f"n{i}" for i in range(n_reps)],
        "region_id": [draw(st.sampled_from(regions)) for _ in range(n_reps)], "role": ["rep"] * n_reps,
        "hire_date": hires, "leave_date": leaves,
        "product_lines": [draw(st.sampled_from([None, "HW", "SW", "HW, SW"])) for _ in range(n_reps)],
        "capacity": [float(draw(st.integers(0, 3))) for _ in range(n_reps)]})
    products = pd.DataFrame({"product_id": ["P1", "P2"], "product_line": ["HW", "SW"], "active": [True, True]})
    hist = pd.DataFrame([(pd.Timestamp(2025, 3, 1), r, reg, p, draw(st.integers(-100, 10_000)))
                         for r, reg in zip(reps["rep_id"], reps["region_id"], strict=True) for p in ("P1", "P2")
                         if draw(st.booleans())],
                        columns=["period", "rep_id", "region_id", "product_id", "amount"])
    season = np.array([draw(st.integers(0, 20)) for _ in range(11)] + [1], dtype=float)
    season = pd.DataFrame({"month": range(1, 13), "share": season / season.sum()})
    order = draw(st.sampled_from([KEYS, ["region_id", "product_line", "rep_id"], ["region_id", "rep_id"]]))
    methods = ["even", "prior_year", "trailing_12m", "weight", "blend"]
    levels = tuple(Level(d, method=draw(st.sampled_from(methods)),
                         blend=(("prior_year", 0.6), ("weight", 0.4)), padding=draw(st.sampled_from([0.0, 0.0, 0.05])))
                   for d in order)
    total = draw(st.integers(0, 10**9))
    unit = draw(st.sampled_from([1, 100, 0.01]))
    # a lock on one rep node (a tenth of a third of the company target; above its parent is an error)
    adj = None
    if draw(st.booleans()):
        rep = reps.iloc[draw(st.integers(0, n_reps - 1))]
        adj = pd.DataFrame({"product_line": [None], "region_id": [rep["region_id"]], "rep_id": [rep["rep_id"]],
                            "growth": [None], "locked": [float(round(total / 10 / unit / 3)) * unit],
                            "min_amount": [None], "max_amount": [None]})
        if "product_line" in order:
            adj["product_line"] = "HW" if rep["product_lines"] in (None, "HW", "HW, SW") else "SW"
    kwargs = dict(products=products, regions=pd.DataFrame({"region_id": regions}), reps=reps, history=hist,
                  seasonality=season, levels=levels, adjustments=adj, ramp=[0.25, 0.5],
                  freed=draw(st.sampled_from(["redistribute", "unassigned"])),
                  proration=draw(st.sampled_from(["days", "half_month", "any_day"])))
    return total, unit, kwargs


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_every_level_reconciles_exactly_nonnegative_locked_and_deterministic(plan):
    total, unit, kwargs = plan
    levels = kwargs["levels"]
    try:
        r = decompose_targets(total, unit=unit, **kwargs)
    except InputError as exc:  # only when the lock really is above its parent's target
        assert "more than its target" in str(exc)
        free = decompose_targets(total, unit=unit, **{**kwargs, "adjustments": None}).targets
        adj = kwargs["adjustments"]
        path = [lv.dimension for lv in levels[:-1]]
        parent = free[(free["level"] == len(levels) - 1) & (free["period"] == "FY")]
        for d in path:
            parent = parent[parent[d] == adj[d].iloc[0]]
        assert parent["target"].iloc[0] * (1 + levels[-1].padding) < adj["locked"].iloc[0]
        return
    t = r.targets.assign(u=(r.targets["target"] / unit).round().astype("int64"))
    fy = t[t["period"] == "FY"]
    # the company target is rounded half away from zero (3,650 at a unit of 100 is 3,700, not round()'s 3,600)
    assert fy[fy["level"] == 0]["u"].iloc[0] == int(round_half_away(total, unit) / Decimal(str(unit)))
    for depth in range(1, len(levels) + 1):  # children sum to parent, or to parent x (1 + padding) exactly
        path = [lv.dimension for lv in levels[: depth - 1]]
        child = fy[fy["level"] == depth].groupby(path, dropna=False)["u"].sum() if path else \
            pd.Series([fy[fy["level"] == depth]["u"].sum()])
        parent = fy[fy["level"] == depth - 1].set_index(path)["u"] if path else fy[fy["level"] == 0]["u"].reset_index(
            drop=True)
        pad = levels[depth - 1].padding
        expected = np.floor(parent * (1 + pad) + 0.5).astype("int64") if pad else parent
        assert (child.reindex(parent.index).fillna(0).astype("int64") == expected).all()
    node = ["level", *KEYS]
    months = t[t["period"].str.fullmatch(r"\d{4}-\d{2}")].groupby(node, dropna=False)["u"].sum()
    quarters = t[t["period"].str.contains("Q")].groupby(node, dropna=False)["u"].sum()
    year = fy.set_index(node)["u"]
    assert (months.reindex(year.index) == year).all() and (quarters.reindex(year.index) == year).all()
    assert (t["u"] >= 0).all()
    assert (r.check["months_total"] == r.check["target"]).all()
    adj = kwargs["adjustments"]
    if adj is not None:
        leaf = fy[(fy["level"] == len(levels)) & (fy["rep_id"] == adj["rep_id"].iloc[0])]
        if "product_line" in [lv.dimension for lv in levels]:
            leaf = leaf[leaf["product_line"] == adj["product_line"].iloc[0]]
        if len(leaf):  # the rep sells there: the lock holds
            assert leaf["target"].iloc[0] == adj["locked"].iloc[0] or abs(
                leaf["target"].iloc[0] - adj["locked"].iloc[0]) < unit / 2
    # the printable sheet adds up to the rep level
    if levels[-1].dimension == "rep_id":
        leaf_total = fy[fy["level"] == len(levels)]["u"].sum()
        assert round(r.by_month["total"].sum() / unit) == leaf_total
        assert set(r.by_month["rep_id"]) <= set(kwargs["reps"]["rep_id"]) | {UNASSIGNED}
    again = decompose_targets(total, unit=unit, **kwargs)
    pd.testing.assert_frame_equal(r.targets, again.targets)
    pd.testing.assert_frame_equal(r.by_month, again.by_month)
