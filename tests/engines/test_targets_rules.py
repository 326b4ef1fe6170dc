"""Target decomposition rules, each checked by hand on a small book."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salesbook.engines.allocation import allocate
from salesbook.engines.targets import UNASSIGNED, Level, decompose_targets, rep_availability, seasonality_profiles
from salesbook.errors import InputError

MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


def book(capacity=(1.0, 1.0, 1.0), history=None) -> dict:
    """Two product lines (HW, SW), two regions (E: reps A, B; W: rep C), 2025 history, even seasonality."""
    products = pd.DataFrame({"product_id": ["P1", "P2"], "product_line": ["HW", "SW"], "active": [True, True]})
    regions = pd.DataFrame({"region_id": ["E", "W"], "name": ["East", "West"], "staff": [10.0, 30.0]})
    reps = pd.DataFrame({
        "rep_id": ["A", "B", "C"], "name": ["Ann", "Bob", "Cai"], "region_id": ["E", "E", "W"],
        "role": ["rep", "rep", "senior"], "hire_date": pd.to_datetime(["2020-01-01"] * 3),
        "leave_date": pd.to_datetime([None, None, None]), "product_lines": [None, None, None],
        "capacity": list(capacity)})
    # prior year: HW 600 (A 300, B 100, C 200), SW 400 (A 100, B 100, C 200)
    rows = history or [("A", "E", "P1", 300), ("B", "E", "P1", 100), ("C", "W", "P1", 200),
                       ("A", "E", "P2", 100), ("B", "E", "P2", 100), ("C", "W", "P2", 200)]
    hist = pd.DataFrame([(pd.Timestamp(2025, 6, 1), *r) for r in rows],
                        columns=["period", "rep_id", "region_id", "product_id", "amount"])
    season = pd.DataFrame({"month": range(1, 13), "share": [1 / 12] * 12})
    return dict(products=products, regions=regions, reps=reps, history=hist, seasonality=season)


def fy(result, level: int) -> dict:
    t = result.targets
    rows = t[(t["level"] == level) & (t["period"] == "FY")]
    keys = [d for d in ("product_line", "region_id", "rep_id") if rows[d].notna().any()]
    if not keys:
        return {None: rows["target"].iloc[0]}
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: r["target"] for _, r in rows.iterrows()}


def months_of(result, level: int, **path) -> list[float]:
    t = result.targets
    m = (t["level"] == level) & t["period"].isin(MONTHS)
    for k, v in path.items():
        m &= t[k] == v
    return t[m]["target"].tolist()


def test_hand_checked_three_levels_with_remainders():
    """Company 100,000 at unit 1: product line by prior year, region even, rep by capacity (A 2, B 1, C 1).

    Level 1: HW 2000 / SW 1000 of history -> quotas 66,666.667 and 33,333.333; floors 66,666 + 33,333 =
             99,999; the one unit left goes to the larger remainder (.667, HW): HW 66,667, SW 33,333.
    Level 2 (even): HW 66,667 / 2 = 33,333.5 each; floors 66,666, one left, remainders tie (.5) and
             weights tie, so the earlier position (E) gets it: E 33,334, W 33,333.
             SW 33,333 / 2 = 16,666.5 -> E 16,667, W 16,666.
    Level 3 (capacity 2:1 in E; C alone in W):
             HW/E 33,334 -> A 22,222.667, B 11,111.333; floors 33,333; one left to A (.667 > .333):
             A 22,223, B 11,111.  HW/W: C 33,333.
             SW/E 16,667 -> A 11,111.333, B 5,555.667; one left to B (.667): A 11,111, B 5,556.  SW/W: C 16,666.
    Months (1/12 each), one controlled rounding of the whole hierarchy:
             company 100,000 / 12 = 8,333.33 -> floors 12 x 8,333 = 99,996, 4 left; the remainders tie,
             so the earliest four months get 8,334 (largest remainder, the documented tie rule);
             A's HW 22,223 / 12 = 1,851.917 -> every month 1,851 or 1,852, and 22,223 - 12 x 1,851 = 11
             months of 1,852 (which month keeps 1,851 is decided with A's siblings, so that every month
             of HW/E adds up to HW/E's month).
    Rep totals: A 22,223 + 11,111 = 33,334; B 11,111 + 5,556 = 16,667; C 33,333 + 16,666 = 49,999;
             together 100,000.
    """
    rows = [("A", "E", "P1", 2000), ("A", "E", "P2", 1000)]
    levels = (Level("product_line"), Level("region_id", method="even"),
              Level("rep_id", method="weight", weight_column="capacity"))
    r = decompose_targets(100_000, levels=levels, unit=1, **book(capacity=(2.0, 1.0, 1.0), history=rows))
    assert fy(r, 0) == {None: 100_000}
    assert fy(r, 1) == {"HW": 66_667, "SW": 33_333}
    assert fy(r, 2) == {("HW", "E"): 33_334, ("HW", "W"): 33_333, ("SW", "E"): 16_667, ("SW", "W"): 16_666}
    assert fy(r, 3) == {("HW", "E", "A"): 22_223, ("HW", "E", "B"): 11_111, ("HW", "W", "C"): 33_333,
                        ("SW", "E", "A"): 11_111, ("SW", "E", "B"): 5_556, ("SW", "W", "C"): 16_666}
    assert months_of(r, 0) == [8_334] * 4 + [8_333] * 8
    a_hw = months_of(r, 3, product_line="HW", rep_id="A")
    assert set(a_hw) == {1_851, 1_852} and a_hw.count(1_852) == 11
    assert_grid_adds_up(r)
    wide = r.by_month.set_index("rep_id")["total"].to_dict()
    assert wide == {"A": 33_334, "B": 16_667, "C": 49_999}
    assert (r.check["difference"].dropna() == 0).all() and (r.check["months_total"] == r.check["target"]).all()


def assert_grid_adds_up(result) -> None:
    """Every node's months total its year, and each month of a parent is the sum of its children's."""
    t = result.targets
    m = t[t["period"].isin(MONTHS)]
    keys = ["product_line", "region_id", "rep_id"]
    for level in range(1, int(t["level"].max()) + 1):
        path = [k for k in keys if t[t["level"] == level - 1][k].notna().any()]
        kids = m[m["level"] == level].groupby([*path, "period"], dropna=False)["target"].sum()
        par = m[m["level"] == level - 1].set_index([*path, "period"])["target"] if path else \
            m[m["level"] == 0].set_index("period")["target"]
        assert np.allclose(kids.reindex(par.index).to_numpy(), par.to_numpy()), level
    year = t[t["period"] == "FY"].set_index(["level", *keys])["target"]
    months = m.groupby(["level", *keys], dropna=False)["target"].sum()
    assert np.allclose(months.reindex(year.index).to_numpy(), year.to_numpy())


def test_published_hamilton_examples():
    # solvely.ai, "The legislature in a state has 42 seats ... five counties ... Hamilton's method"
    # (https://solvely.ai/homework/459845938-the-legislature-in-a-state-has-42-seats-apportion-these-seats-to-the-five-counties-below):
    # quotas 6.088, 4.560, 11.313, 9.859, 10.180 -> lower quotas 40 seats; the two left go to the largest
    # fractions, Davis (.859) and Grant (.560): Adams 6, Grant 5, Colton 11, Davis 10, Hayes 10.
    seats = allocate(42, [247_000, 185_000, 459_000, 400_000, 413_000])
    assert [int(s) for s in seats] == [6, 5, 11, 10, 10]
    # Course Hero, "Chapter 4 Handout 1 Solutions", problem 1 (https://www.coursehero.com/file/6716897/
    # Chapter4Handout1Solutions-1/): 25 seats for New England, populations in millions MA 6.3, CT 3.4,
    # ME 1.4, NH 1.2, RI 1.0, VT 0.6; lower quotas total 23, surplus to RI (.80) then ME (.52).
    seats = allocate(25, [6.3, 3.4, 1.4, 1.2, 1.0, 0.6])
    assert [int(s) for s in seats] == [11, 6, 3, 2, 2, 1]


def test_freed_target_reported_unassigned():
    """Bob joins on 1 July; HW/E = 400,000 split evenly -> A 200,000, B 200,000 on a full-year basis.

    Bob can carry Jul-Dec = 6/12 of a year: he keeps 100,000; the other 100,000 becomes an
    '(unassigned)' node under HW/E with months Jan-Jun (100,000 / 6 = 16,666.67: each month 16,666 or
    16,667, four of 16,667 since 100,000 - 6 x 16,666 = 4), so HW/E still reconciles exactly.
    """
    b = book()
    b["reps"].loc[1, "hire_date"] = pd.Timestamp(2026, 7, 1)
    levels = (Level("product_line"), Level("region_id"), Level("rep_id", method="even"))
    r = decompose_targets(1_000_000, levels=levels, freed="unassigned", **b)
    lv3 = fy(r, 3)
    assert lv3[("HW", "E", "A")] == 200_000 and lv3[("HW", "E", "B")] == 100_000
    assert lv3[("HW", "E", UNASSIGNED)] == 100_000
    freed = months_of(r, 3, product_line="HW", region_id="E", rep_id=UNASSIGNED)
    assert freed[6:] == [0] * 6 and sorted(freed[:6]) == [16_666] * 2 + [16_667] * 4
    bob = months_of(r, 3, product_line="HW", rep_id="B")
    assert bob[:6] == [0] * 6 and sorted(bob[6:]) == [16_666] * 2 + [16_667] * 4
    # the company's months: 1,000,000 / 12 = 83,333.33, the four units left to the earliest months
    assert months_of(r, 0) == [83_334] * 4 + [83_333] * 8
    assert_grid_adds_up(r)
    wide = r.by_month.set_index("rep_id")
    assert wide.loc[UNASSIGNED, "total"] == 100_000 + 50_000  # HW/E and SW/E (SW/E = 200,000 -> B frees 50,000)
    assert r.by_month["total"].sum() == 1_000_000
    assert "100,000 freed" in r.targets[(r.targets["rep_id"] == "B") & (r.targets["period"] == "FY")
                                        & (r.targets["product_line"] == "HW")]["explanation"].iloc[0]


def test_freed_target_redistributed_to_colleagues():
    # same plan, redistribute: weights A 1 x 1.0, B 1 x 0.5 -> A 2/3 of 400,000, B 1/3
    b = book()
    b["reps"].loc[1, "hire_date"] = pd.Timestamp(2026, 7, 1)
    levels = (Level("product_line"), Level("region_id"), Level("rep_id", method="even"))
    lv3 = fy(decompose_targets(1_000_000, levels=levels, **b), 3)
    assert lv3[("HW", "E", "A")] == 266_667 and lv3[("HW", "E", "B")] == 133_333
    assert ("HW", "E", UNASSIGNED) not in lv3


def test_proration_rules_for_a_mid_month_hire():
    months = [pd.Timestamp(2026, m, 1) for m in range(1, 13)]
    hire, leave = [pd.Timestamp(2026, 7, 20)], [pd.Timestamp(2026, 11, 10)]
    days = rep_availability(hire, leave, months, [], "days")
    assert days.share[0, 6] == pytest.approx(12 / 31) and days.share[0, 10] == pytest.approx(10 / 30)
    assert days.share[0, 5] == 0 and days.share[0, 7] == 1 and days.share[0, 11] == 0
    assert rep_availability(hire, leave, months, [], "half_month").share[0, [6, 10]].tolist() == [0.0, 0.0]
    assert rep_availability(hire, leave, months, [], "any_day").share[0, [6, 10]].tolist() == [1.0, 1.0]
    ramped = rep_availability(hire, leave, months, [0.25, 0.5], "days")
    assert ramped.share[0, 6] == pytest.approx(12 / 31 * 0.25) and ramped.share[0, 7] == pytest.approx(0.5)
    assert ramped.tenure[0, 8] == 3 and ramped.share[0, 8] == 1.0


def test_locks_wildcards_and_bounds():
    # HW/E = 400,000 and SW/E = 200,000 (prior-year shares).  Lock A in HW/E at 250,000 -> B 150,000.
    # Rep-only row (B, min 150,000) matches B under every line: in SW/E B's prior-year half (100,000)
    # is raised to 150,000 and A gets the other 50,000.
    adj = pd.DataFrame({"product_line": ["HW", None], "region_id": ["E", None], "rep_id": ["A", "B"],
                        "growth": [None, None], "locked": [250_000, None], "min_amount": [None, 150_000],
                        "max_amount": [None, None]}, index=[4, 5])
    levels = (Level("product_line"), Level("region_id"), Level("rep_id", method="even"))
    r = decompose_targets(1_000_000, levels=levels, adjustments=adj, **book())
    lv3 = fy(r, 3)
    assert (lv3[("HW", "E", "A")], lv3[("HW", "E", "B")]) == (250_000, 150_000)
    assert (lv3[("SW", "E", "A")], lv3[("SW", "E", "B")]) == (50_000, 150_000)
    expl = r.targets.set_index(["level", "product_line", "rep_id", "period"])["explanation"]
    assert "locked at 250,000" in expl[(3, "HW", "A", "FY")]
    assert "raised to minimum 150,000" in expl[(3, "SW", "B", "FY")]


def test_a_locked_month_and_the_other_months_share_the_rest():
    """A's HW target is 300,000 (prior-year share); lock March at 50,000.

    The other 11 months share 250,000: 22,727.27 each -> each month 22,727 or 22,728, and
    250,000 - 11 x 22,727 = 3 of them 22,728 (which three is settled with the rest of the grid).
    """
    adj = pd.DataFrame({"product_line": ["HW"], "region_id": ["E"], "rep_id": ["A"], "month": [3],
                        "growth": [None], "locked": [50_000.0], "min_amount": [None], "max_amount": [None]})
    r = decompose_targets(1_000_000, adjustments=adj, **book())
    a_hw = months_of(r, 3, product_line="HW", rep_id="A")
    assert a_hw[2] == 50_000 and sorted(a_hw[:2] + a_hw[3:]) == [22_727] * 8 + [22_728] * 3
    assert_grid_adds_up(r)
    assert fy(r, 3)[("HW", "E", "A")] == 300_000
    march = r.targets[(r.targets["rep_id"] == "A") & (r.targets["product_line"] == "HW")
                      & (r.targets["period"] == "2026-03")]["explanation"].iloc[0]
    assert march.endswith("locked at 50,000")
    adj["locked"] = 400_000.0
    with pytest.raises(InputError, match="locked months of HW / E / A total 400,000, but its year is 300,000"):
        decompose_targets(1_000_000, adjustments=adj, **book())
    adj["region_id"] = None  # a month lock must name a last-level node
    adj["rep_id"] = None
    with pytest.raises(InputError, match="locks one rep's month"):
        decompose_targets(1_000_000, adjustments=adj, **book())


def test_maximums_that_leave_something_over_go_to_unassigned():
    adj = pd.DataFrame({"product_line": ["HW", "HW"], "region_id": ["E", "E"], "rep_id": ["A", "B"],
                        "growth": [None, None], "locked": [None, None], "min_amount": [None, None],
                        "max_amount": [100_000, 120_000]})
    r = decompose_targets(1_000_000, adjustments=adj, **book())
    lv3 = fy(r, 3)
    assert (lv3[("HW", "E", "A")], lv3[("HW", "E", "B")], lv3[("HW", "E", UNASSIGNED)]) == (100_000, 120_000, 180_000)
    assert (r.check["difference"].dropna() == 0).all()


@pytest.mark.parametrize(("adj", "message"), [
    ({"product_line": ["HW"], "region_id": ["N"], "rep_id": [None]}, "matches no region in the plan"),
    ({"product_line": [None], "region_id": [None], "rep_id": [None]}, "must name a node"),
    ({"product_line": ["HW", "HW"], "region_id": ["E", "E"], "rep_id": [None, None]}, "two adjustments"),
    ({"product_line": ["HW"], "region_id": ["E"], "rep_id": [None], "min_amount": [5.0], "max_amount": [1.0]},
     "minimum is above the maximum"),
    ({"product_line": ["HW"], "region_id": ["E"], "rep_id": [None], "growth": [-1.0]}, "above -100%"),
])
def test_bad_adjustments_are_located(adj, message):
    with pytest.raises(InputError, match=message) as info:
        decompose_targets(1000, adjustments=pd.DataFrame(adj), **book())
    assert info.value.problems[0].table == "TargetAdjustments"


def test_weight_rules():
    b = book()
    # all-zero history under a parent: even split, said so
    zero = book(history=[("A", "E", "P1", 0), ("B", "E", "P1", 0), ("C", "W", "P1", 0)])
    r = decompose_targets(1000, levels=(Level("product_line"),), **zero)
    assert fy(r, 1) == {"HW": 500, "SW": 500}
    assert "no history under this parent: even split" in r.targets["explanation"].iloc[17]
    # negative weight column: an error naming the column
    b["reps"]["capacity"] = [1.0, -2.0, 1.0]
    with pytest.raises(InputError, match="'Capacity weight' is negative"):
        decompose_targets(1000, levels=(Level("rep_id", method="weight"),), **b)
    # a blank weight counts as 0
    b["reps"]["capacity"] = [1.0, None, 3.0]
    assert fy(decompose_targets(1000, levels=(Level("rep_id", method="weight"),), **b), 1) == {
        "A": 250, "B": 0, "C": 750}


def test_weight_columns_at_any_level_and_headcount():
    b = book()
    # region level: Regions' own column (staff 10 : 30), and headcount of its reps (E 2 : W 1)
    assert fy(decompose_targets(4000, levels=(Level("region_id", method="weight", weight_column="staff"),), **b),
              1) == {"E": 1000, "W": 3000}
    assert fy(decompose_targets(3000, levels=(Level("region_id", method="weight", weight_column="headcount"),), **b),
              1) == {"E": 2000, "W": 1000}
    # a Reps column summed over the region's reps: capacity E 1 + 1, W 2
    b["reps"]["capacity"] = [1.0, 1.0, 2.0]
    assert fy(decompose_targets(4000, levels=(Level("region_id", method="weight"),), **b), 1) == {"E": 2000, "W": 2000}


def test_blend_and_new_hire_gets_sibling_average():
    # D joins E in 2026 with no history: under prior_year D gets the average of A (400) and B (200) = 300,
    # so E's 900 (all E history 600 + ...) splits 400 : 200 : 300 before ramp.
    b = book()
    b["reps"] = pd.concat([b["reps"], pd.DataFrame({
        "rep_id": ["D"], "name": ["Dan"], "region_id": ["E"], "role": ["rep"], "hire_date": [pd.Timestamp(2025, 12, 1)],
        "leave_date": [pd.NaT], "product_lines": [None], "capacity": [1.0]})], ignore_index=True)
    r = decompose_targets(1800, levels=(Level("region_id", method="even"), Level("rep_id")), **b)
    assert {k: v for k, v in fy(r, 2).items() if k[0] == "E"} == {("E", "A"): 400, ("E", "B"): 200, ("E", "D"): 300}
    assert "sibling average" in r.targets[(r.targets["rep_id"] == "D") & (r.targets["period"] == "FY")][
        "explanation"].iloc[0]
    blend = (Level("region_id", method="even"), Level("rep_id", method="blend", blend=(("prior_year", 0.5), ("even", 0.5))))
    # E: A 0.5 x 4/9 + 0.5 x 1/3 = 7/18, B 0.5 x 2/9 + 1/6 = 5/18, D 0.5 x 3/9 + 1/6 = 6/18 of 1800/2 = 900
    assert {k: v for k, v in fy(decompose_targets(1800, levels=blend, **b), 2).items() if k[0] == "E"} == {
        ("E", "A"): 350, ("E", "B"): 250, ("E", "D"): 300}


@pytest.mark.parametrize("dims", [("region_id", "rep_id"), ("product_line",), ("region_id", "product_line", "rep_id"),
                                  ("product_line", "rep_id"), ("rep_id",)])
def test_any_order_and_depth_reconciles(dims):
    r = decompose_targets(123_456.78, levels=tuple(Level(d) for d in dims), unit=0.01, **book())
    c = r.check
    assert c["level"].max() == len(dims)
    assert np.allclose(c["difference"].dropna(), 0) and np.allclose(c["months_total"], c["target"])
    assert round(r.targets[(r.targets["level"] == len(dims)) & (r.targets["period"] == "FY")]["target"].sum(), 2) \
        == 123_456.78
    if dims[-1] == "rep_id":  # the printable sheet explains each rep's row
        want = "HW " if "product_line" in dims else "rep share "
        assert r.by_month["explanation"].str.startswith(want).all()


def test_hierarchy_rules():
    with pytest.raises(InputError, match="rep last"):
        decompose_targets(1, levels=(Level("rep_id"), Level("region_id")), **book())
    with pytest.raises(InputError, match="blend"):
        decompose_targets(1, levels=(Level("rep_id", method="blend", blend=(("even", 0.5),)),), **book())


def test_padding_is_reported_in_the_check_table():
    levels = (Level("product_line"), Level("region_id", padding=0.1), Level("rep_id"))
    r = decompose_targets(1_000_000, levels=levels, **book())
    hw = r.check[(r.check["level"] == 1) & (r.check["product_line"] == "HW")].iloc[0]
    assert (hw["target"], hw["children_total"], hw["difference"]) == (600_000, 660_000, 60_000)
    assert hw["explanation"] == "children total 110.00% of the parent: padding 10%"


def test_company_target_from_growth():
    r = decompose_targets(None, growth=0.1, levels=(Level("product_line"),), **book())
    assert fy(r, 0) == {None: 1100}  # prior-year actuals 1,000 x 1.1
    assert "prior-year actuals 1,000 +10.0% growth" in r.targets["explanation"].iloc[0]


def test_seasonality_by_product_line_and_its_errors():
    b = book()
    hw = pd.DataFrame({"product_line": "HW", "month": range(1, 13), "share": [0.5, 0.5] + [0.0] * 10})
    b["seasonality"] = pd.concat([b["seasonality"].assign(product_line=None), hw], ignore_index=True)
    r = decompose_targets(1200, levels=(Level("product_line", method="even"),), **b)
    assert months_of(r, 1, product_line="HW") == [300, 300] + [0] * 10
    assert months_of(r, 1, product_line="SW") == [50] * 12
    bad = pd.DataFrame({"product_line": ["HW"] * 12 + [None] * 11, "month": [*range(1, 13), *range(1, 12)],
                        "share": [0.1] * 12 + [1 / 12] * 11}, index=range(2, 25))
    with pytest.raises(InputError) as info:
        seasonality_profiles(bad)
    text = info.value.render("en")
    assert "profile 'HW': the monthly shares total 120.0000%" in text and "profile 'default': month 12 is missing" in text


def test_actuals_credited_and_commitment_gap_by_node():
    """Deal 1,000 by A in March (HW), split A 60% / B 40% plus a 10% overlay for C; a cancelled deal ignored.

    Rep rows: A 600, B 400, C 100 (overlay counts for the rep).  Region rows count the 100% only:
    HW/E 1,000, HW/W 0; company 1,000.  Commitments: A 300,000 without a line -> spread like A's
    targets HW 300,000 : SW 100,000 -> 225,000 and 75,000; gap at A/HW = 225,000 - 300,000.
    """
    deals = pd.DataFrame({"deal_id": ["D1", "D2"], "date": pd.to_datetime(["2026-03-05", "2026-03-06"]),
                          "rep_id": ["A", "A"], "product_id": ["P1", "P1"], "amount": [1000.0, 500.0],
                          "status": ["booked", "cancelled"]})
    credits = pd.DataFrame({"deal_id": ["D1"] * 3, "rep_id": ["A", "B", "C"], "share": [0.6, 0.4, 0.1],
                            "overlay": [False, False, True]})
    commitments = pd.DataFrame({"rep_id": ["A"], "amount": [300_000.0]})
    r = decompose_targets(1_000_000, deals=deals, credits=credits, commitments=commitments, **book())
    v = r.variance.set_index(["level", "product_line", "region_id", "rep_id", "period"])
    assert v.loc[(3, "HW", "E", "A", "2026-03"), "actual"] == 600
    assert v.loc[(3, "HW", "E", "B", "2026-03"), "actual"] == 400
    assert v.loc[(3, "HW", "W", "C", "2026-03"), "actual"] == 100
    lv2 = r.variance[(r.variance["level"] == 2) & (r.variance["period"] == "2026Q1")].set_index("region_id")
    assert lv2.loc[lv2["product_line"] == "HW", "actual"].to_dict() == {"E": 1000, "W": 0}
    top = r.variance[(r.variance["level"] == 0) & (r.variance["period"] == "FY")].iloc[0]
    assert top["actual"] == 1000 and top["achievement"] == pytest.approx(1000 / 1_000_000)
    a_hw = v.loc[(3, "HW", "E", "A", "FY")]
    assert (a_hw["commitment"], a_hw["gap"]) == (225_000, -75_000)
    assert "(1 of 1 reps committed)" in a_hw["explanation"]
    assert np.isnan(v.loc[(3, "HW", "E", "B", "FY"), "commitment"])
    review = r.review.set_index(["rep_id", "period"])
    assert review.loc[("A", "FY"), "commitment"] == 300_000 and review.loc[("A", "2026-03"), "actual"] == 600
    assert review.loc[("C", "FY"), "actual"] == 100
    with pytest.raises(InputError, match="rep Z has no target"):
        decompose_targets(1000, commitments=pd.DataFrame({"rep_id": ["Z"], "amount": [1.0]}), **book())


def test_chinese_explanations():
    b = book()
    b["reps"].loc[1, "hire_date"] = pd.Timestamp(2026, 2, 15)
    r = decompose_targets(1_000_000, ramp=[0.5], lang="zh", **b)
    feb = r.targets[(r.targets["rep_id"] == "B") & (r.targets["period"] == "2026-02")]["explanation"].iloc[0]
    assert "代表占比" in feb and "按上年实际" in feb and "爬坡 50%（入职第 1 个月）" in feb and "在岗 14/28 天" in feb
