"""Target decomposition: exact reconciliation at every level, by hand and by property."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import salesbook
from salesbook.engines.allocation import AllocationError, allocate, split_rows
from salesbook.engines.targets import Level, decompose_targets
from salesbook.errors import InputError


def test_a_million_into_twelve_months_sums_to_the_cent():
    parts = salesbook.allocate(1_000_000, [1] * 12, unit="0.01")
    assert sum(parts) == Decimal("1000000.00")
    assert parts[0] == Decimal("83333.34") and parts[-1] == Decimal("83333.33")


def test_largest_remainder_published_example():
    # Wikipedia, "Largest remainders method", worked example: 100,000 votes, 10 seats, Hare quota.
    # Yellows 47,000, Whites 16,000, Reds 15,800, Greens 12,000, Blues 6,100, Pinks 3,100
    # quotas 4.70 1.60 1.58 1.20 0.61 0.31 -> floors 4 1 1 1 0 0, three seats left to the largest
    # remainders (Yellows .70, Blues .61, Whites .60): 5 2 1 1 1 0.
    seats = allocate(10, [47_000, 16_000, 15_800, 12_000, 6_100, 3_100])
    assert [int(s) for s in seats] == [5, 2, 1, 1, 1, 0]


def test_locks_are_kept_and_the_rest_rebalanced():
    parts = allocate(1000, [1, 1, 2], locked={0: 400})
    assert parts == [Decimal(400), Decimal(200), Decimal(400)]
    with pytest.raises(AllocationError, match="exceed the total"):
        allocate(1000, [1, 1], locked={0: 600, 1: 500})


def test_weight_rules():
    with pytest.raises(AllocationError, match="negative"):
        allocate(100, [1, -1])
    assert allocate(100, [0, 0, 0]) == [Decimal(34), Decimal(33), Decimal(33)]  # all zero: even (documented)
    assert allocate(100, [0, 1]) == [Decimal(0), Decimal(100)]  # zero weight gets nothing
    assert allocate(1234.5, [1, 1], unit=100) == [Decimal(600), Decimal(600)]  # total rounded like ROUND first


def _book():
    products = pd.DataFrame({"product_id": ["P1", "P2"], "product_line": ["HW", "SW"], "active": [True, True]})
    regions = pd.DataFrame({"region_id": ["E", "W"]})
    reps = pd.DataFrame({
        "rep_id": ["A", "B", "C"], "name": ["Ann", "Bob", "Cai"], "region_id": ["E", "E", "W"],
        "role": ["rep", "rep", "rep"], "hire_date": pd.to_datetime(["2020-01-01"] * 3),
        "leave_date": pd.to_datetime([None, None, None]), "product_lines": [None, None, None],
        "capacity": [1.0, 1.0, 1.0]})
    # prior year (2025) history: HW 600 (E: A 300, B 100; W: C 200), SW 400 (E: A 100, B 100; W: C 200)
    rows = [("A", "E", "P1", 300), ("B", "E", "P1", 100), ("C", "W", "P1", 200),
            ("A", "E", "P2", 100), ("B", "E", "P2", 100), ("C", "W", "P2", 200)]
    history = pd.DataFrame([(pd.Timestamp(2025, 6, 1), *r) for r in rows],
                           columns=["period", "rep_id", "region_id", "product_id", "amount"])
    season = pd.DataFrame({"month": range(1, 13), "share": [1 / 12] * 12})
    return dict(products=products, regions=regions, reps=reps, history=history, seasonality=season)


def test_hand_checked_three_level_example():
    """Company 1,000,000 at unit 1, all levels by prior-year share.

    Level 1 (product line): HW 600/1000 -> 600,000; SW 400/1000 -> 400,000.
    Level 2 (region): HW: E 400/600 -> 400,000, W 200/600 -> 200,000;
                      SW: E 200/400 -> 200,000, W 200/400 -> 200,000.
    Level 3 (rep): HW/E: A 300/400 -> 300,000, B 100/400 -> 100,000; HW/W: C -> 200,000;
                   SW/E: A 100/200 -> 100,000, B -> 100,000; SW/W: C -> 200,000.
    Months: 1/12 each; A's HW 300,000 / 12 = 25,000 per month exactly.
    """
    r = decompose_targets(1_000_000, fiscal_year=2026, unit=1, **_book())
    lv1 = r.targets[(r.targets["level"] == 1) & (r.targets["period"] == "FY")].set_index("product_line")["target"]
    assert lv1.to_dict() == {"HW": 600_000, "SW": 400_000}
    lv2 = r.targets[(r.targets["level"] == 2) & (r.targets["period"] == "FY")]
    assert lv2.set_index(["product_line", "region_id"])["target"].to_dict() == {
        ("HW", "E"): 400_000, ("HW", "W"): 200_000, ("SW", "E"): 200_000, ("SW", "W"): 200_000}
    lv3 = r.targets[(r.targets["level"] == 3) & (r.targets["period"] == "FY")]
    assert lv3.set_index(["product_line", "rep_id"])["target"].to_dict() == {
        ("HW", "A"): 300_000, ("HW", "B"): 100_000, ("HW", "C"): 200_000,
        ("SW", "A"): 100_000, ("SW", "B"): 100_000, ("SW", "C"): 200_000}
    a_hw = r.targets[(r.targets["level"] == 3) & (r.targets["rep_id"] == "A") & (r.targets["product_line"] == "HW")]
    assert a_hw[a_hw["period"].str.fullmatch(r"\d{4}-\d{2}")]["target"].tolist() == [25_000] * 12
    assert a_hw[a_hw["period"].str.contains("Q")]["target"].tolist() == [75_000] * 4  # quarters: 3 x 25,000
    wide = r.by_month.set_index("rep_id")
    assert wide.loc["A", "total"] == 400_000 and wide.loc["C", "m01"] == pytest.approx(400_000 / 12, abs=1)
    assert "share 75.0% of prior-year actuals" in lv3.set_index(["product_line", "rep_id"]).loc[("HW", "A"),
                                                                                              "explanation"]


def test_seasonality_must_total_100_percent():
    b = _book()
    b["seasonality"] = pd.DataFrame({"month": range(1, 13), "share": [0.08] * 12})
    with pytest.raises(InputError) as info:
        decompose_targets(1000, **b)
    assert "96.0000%" in info.value.render("en") and "不是 100%" in info.value.render("zh")


def test_lock_above_the_parent_is_an_error_naming_the_node():
    adj = pd.DataFrame({"product_line": ["HW", "HW"], "region_id": ["E", "W"], "rep_id": [None, None],
                        "growth": [None, None], "locked": [500_000, 200_000], "min_amount": [None, None],
                        "max_amount": [None, None]})
    with pytest.raises(InputError, match="more than its target"):
        decompose_targets(1_000_000, adjustments=adj, **_book())


def test_growth_padding_min_and_ramp():
    b = _book()
    b["reps"].loc[1, "hire_date"] = pd.Timestamp(2026, 7, 1)  # Bob joins in July
    adj = pd.DataFrame({"product_line": ["HW"], "region_id": ["W"], "rep_id": [None], "growth": [0.5],
                        "locked": [None], "min_amount": [None], "max_amount": [None]})
    levels = (Level("product_line"), Level("region_id", padding=0.1), Level("rep_id", method="even"))
    r = decompose_targets(1_000_000, adjustments=adj, levels=levels, ramp=[0.5], **b)
    fy = r.targets[r.targets["period"] == "FY"]
    lv2 = fy[fy["level"] == 2].set_index(["product_line", "region_id"])["target"]
    # HW 600,000 with 10% padding = 660,000; weights E 400 x 1, W 200 x 1.5 -> 4:3
    assert lv2[("HW", "E")] + lv2[("HW", "W")] == 660_000
    assert lv2[("HW", "E")] == round(660_000 * 4 / 7) and "+50% growth" in fy[
        (fy["level"] == 2) & (fy["region_id"] == "W") & (fy["product_line"] == "HW")]["explanation"].iloc[0]
    bob = r.targets[(r.targets["rep_id"] == "B") & (r.targets["level"] == 3) & (r.targets["period"] != "FY")]
    assert (bob[bob["period"].str.fullmatch(r"2026-0[1-6]")]["target"] == 0).all()
    july = bob[bob["period"] == "2026-07"]["explanation"].iloc[0]
    assert "ramp 50% (month 1)" in july


@st.composite
def plans(draw):
    n_reps = draw(st.integers(1, 8))
    regions = ["E", "W", "N"][: draw(st.integers(1, 3))]
    reps = pd.DataFrame({
        "rep_id": [f"R{i}" for i in range(n_reps)], "name": [f"n{i}" for i in range(n_reps)],
        "region_id": [draw(st.sampled_from(regions)) for _ in range(n_reps)], "role": ["rep"] * n_reps,
        "hire_date": pd.to_datetime(["2020-01-01"] * n_reps), "leave_date": pd.to_datetime([None] * n_reps),
        "product_lines": [None] * n_reps, "capacity": [1.0] * n_reps})
    products = pd.DataFrame({"product_id": ["P1", "P2"], "product_line": ["HW", "SW"], "active": [True, True]})
    hist = pd.DataFrame([(pd.Timestamp(2025, 3, 1), r, reg, p, draw(st.integers(0, 10_000)))
                         for r, reg in zip(reps["rep_id"], reps["region_id"], strict=True) for p in ("P1", "P2")],
                        columns=["period", "rep_id", "region_id", "product_id", "amount"])
    season = np.array([draw(st.integers(1, 20)) for _ in range(12)], dtype=float)
    season = pd.DataFrame({"month": range(1, 13), "share": season / season.sum()})
    total = draw(st.integers(0, 10**9))
    unit = draw(st.sampled_from([1, 100, 0.01]))
    return total, unit, dict(products=products, regions=pd.DataFrame({"region_id": regions}), reps=reps,
                             history=hist, seasonality=season)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_every_level_reconciles_exactly_and_is_deterministic(plan):
    total, unit, book = plan
    r = decompose_targets(total, unit=unit, **book)
    t = r.targets
    cents = (t["target"] / unit).round().astype("int64")
    t = t.assign(u=cents)
    fy = t[t["period"] == "FY"]
    assert fy[fy["level"] == 1]["u"].sum() == round(total / unit)
    keys = ["product_line", "region_id", "rep_id"]
    for level in (2, 3):
        child = fy[fy["level"] == level].groupby(keys[: level - 1])["u"].sum()
        parent = fy[fy["level"] == level - 1].set_index(keys[: level - 1])["u"]
        assert (child.reindex(parent.index).fillna(0) == parent).all()
    reps = t[(t["level"] == 3)]
    is_month = reps["period"].str.fullmatch(r"\d{4}-\d{2}")
    months = reps[is_month].groupby(["product_line", "region_id", "rep_id"])["u"].sum()
    quarters = reps[reps["period"].str.contains("Q")].groupby(["product_line", "region_id", "rep_id"])["u"].sum()
    assert (quarters.reindex(months.index).fillna(0) == months).all()
    year = reps[reps["period"] == "FY"].set_index(["product_line", "region_id", "rep_id"])["u"]
    assert (months.reindex(year.index).fillna(0) == year).all()
    assert (t["target"] >= 0).all()
    again = decompose_targets(total, unit=unit, **book)
    pd.testing.assert_frame_equal(r.targets, again.targets)


def test_split_rows_matches_the_scalar_method():
    rng = np.random.default_rng(5)
    for _ in range(300):
        k = int(rng.integers(1, 9))
        w = rng.integers(0, 6, size=k).astype(float)
        t = int(rng.integers(0, 10_000))
        got = split_rows(np.array([t]), w[None, :])[0]
        expected = [int(x) for x in allocate(t, w)]
        assert got.tolist() == expected
