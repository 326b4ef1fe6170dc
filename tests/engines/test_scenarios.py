"""Plan modeling: overrides, the replay on real workbooks, and the simulation against what is known exactly."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from salesbook.book.template import write_book
from salesbook.engines.scenarios import (
    GRID,
    Override,
    Year,
    apply_overrides,
    bootstrap,
    plan_set,
    price,
    slots,
    tier_value,
)
from salesbook.pipeline import model_book

NO_LINES = pd.DataFrame({"rep_id": pd.Series([], dtype=object), "base": pd.Series([], dtype=float)})


def _measure(frame: pd.DataFrame, scenario: str, name: str) -> pd.Series:
    row = frame[(frame["scenario_id"] == scenario) & (frame["measure"] == name)]
    assert len(row) == 1, (scenario, name)
    return row.iloc[0]


# ---- overrides ----------------------------------------------------------------------------------------------

def test_overrides_set_add_and_remove_rows_and_keep_tiers_ascending():
    tiers = pd.DataFrame({"plan_id": ["P", "P", "P"], "lower_bound": [0.0, 1.0, 1.2], "rate": [0.02, 0.05, 0.07]},
                         index=pd.Index([2, 3, 4], name="excel_row"))
    plans = pd.DataFrame({"plan_id": ["P"], "gate": [0.5]}, index=pd.Index([2], name="excel_row"))
    keys = {"PlanTiers": ("plan_id", "lower_bound"), "Plans": ("plan_id",)}
    out = apply_overrides({"PlanTiers": tiers, "Plans": plans}, [
        Override("S", "PlanTiers", "set", "rate", 0.06, rows=(3,)),
        Override("S", "PlanTiers", "add", "rate", 0.04, key=("P", 0.8), group=0, source=9),
        Override("S", "PlanTiers", "remove", None, None, rows=(4,)),
        Override("S", "Plans", "set", "gate", None, rows=(2,)),
    ], keys)
    assert out["PlanTiers"]["lower_bound"].tolist() == [0.0, 0.8, 1.0]      # the new tier sorted in
    assert out["PlanTiers"]["rate"].tolist() == [0.02, 0.04, 0.06]
    assert out["PlanTiers"]["rate"].dtype == tiers["rate"].dtype
    assert math.isnan(out["Plans"]["gate"].iloc[0])                          # a blank value clears the gate
    assert tiers["rate"].tolist() == [0.02, 0.05, 0.07]                     # the base is untouched


def test_tier_value_is_the_engines_arithmetic():
    lowers, rates = np.array([0.0, 10_000.0]), np.array([0.05, 0.10])
    # marginal: 10,000 x 5% + 4,000 x 10% = 900; whole: 14,000 x 10% = 1,400
    assert tier_value(np.array([14_000.0]), lowers, rates, "marginal")[0] == pytest.approx(900.0)
    assert tier_value(np.array([14_000.0]), lowers, rates, "whole")[0] == pytest.approx(1_400.0)
    # upper boundary rule: exactly 10,000 is in the 10% tier when whole
    assert tier_value(np.array([10_000.0]), lowers, rates, "whole")[0] == pytest.approx(1_000.0)
    assert tier_value(np.array([10_000.0]), lowers, rates, "whole", "lower")[0] == pytest.approx(500.0)


# ---- the replay on a real workbook ---------------------------------------------------------------------------

def _two_rep_book(path, scenarios: list[tuple]) -> object:
    """Two reps on one plan paid on the amount: 5% up to 10,000, 10% above (marginal), one month of deals."""
    t0 = pd.Timestamp("2026-01-01")
    data = {
        "Regions": pd.DataFrame({"region_id": ["N"], "name": ["North"]}),
        "Products": pd.DataFrame({"product_id": ["X"], "name": ["Widget"], "product_line": ["L"]}),
        "Reps": pd.DataFrame({"rep_id": ["A", "B"], "name": ["Ann", "Bob"], "region_id": ["N", "N"],
                              "role": ["rep", "rep"], "hire_date": [pd.Timestamp("2020-01-01")] * 2}),
        "Deals": pd.DataFrame({"deal_id": ["D1", "D2", "D3"], "date": [pd.Timestamp("2026-03-02"),
                               pd.Timestamp("2026-03-10"), pd.Timestamp("2026-03-05")],
                               "rep_id": ["A", "A", "B"], "product_id": ["X"] * 3, "amount": [8_000.0, 6_000.0, 5_000.0]}),
        "Plans": pd.DataFrame({"plan_id": ["P1"], "name": ["Plan"], "tier_method": ["marginal"], "measure": ["amount"],
                               "tier_scope": ["period"], "basis": ["booking"]}),
        "PlanTiers": pd.DataFrame({"plan_id": ["P1", "P1"], "lower_bound": [0.0, 10_000.0], "rate": [0.05, 0.10]}),
        "PlanAssignments": pd.DataFrame({"rep_id": ["A", "B"], "plan_id": ["P1", "P1"], "start_date": [t0, t0]}),
        "Scenarios": pd.DataFrame(scenarios, columns=["scenario_id", "name", "table", "key", "column", "value",
                                                      "action"]),
    }
    return write_book(path, "en", data)


def test_replay_of_two_reps_and_two_tiers_by_hand(tmp_path):
    book = _two_rep_book(tmp_path / "two.xlsx", [("UP", "Steeper", "PlanTiers", "P1 / 10000", "rate", "20%", "set")])
    result = model_book(book)
    sc, reps = result.outputs["Out_Scenarios"], result.outputs["Out_ScenarioReps"]
    # base: Ann 10,000 x 5% + (14,000 - 10,000) x 10% = 500 + 400 = 900; Bob 5,000 x 5% = 250; total 1,150
    base = _measure(sc, "BASE", "commissions (replayed)")
    assert base["amount"] == 1_150.00
    assert base["amount"] == result.outputs["Out_Statements"]["payable"].sum()   # the base is the real statements
    # scenario: Ann 500 + 4,000 x 20% = 1,300; Bob 250 unchanged; total 1,550, 400 more than the base
    up = _measure(sc, "UP", "commissions (replayed)")
    assert (up["amount"], up["base_amount"]) == (1_550.00, 1_150.00)
    assert "+400.00 against the base" in up["explanation"]
    ann = reps[(reps["scenario_id"] == "UP") & (reps["rep_id"] == "A")].iloc[0]
    bob = reps[(reps["scenario_id"] == "UP") & (reps["rep_id"] == "B")].iloc[0]
    assert (ann["base_payable"], ann["payable"], ann["change"], ann["outcome"]) == (900.00, 1_300.00, 400.00, "gains")
    assert (bob["base_payable"], bob["payable"], bob["change"], bob["outcome"]) == (250.00, 250.00, 0.00, "unchanged")
    # cost of sales: 1,550 / (14,000 + 5,000)
    assert _measure(sc, "UP", "cost of sales (replayed)")["share"] == pytest.approx(1_550 / 19_000)


def test_a_scenario_equal_to_the_base_reproduces_it_exactly(tmp_path, small_tables):
    same = pd.DataFrame([("SAME", "Unchanged", "PlanTiers", "STD / 100%", "rate", "5%", "set"),
                         ("SAME", None, "Plans", "STD", "cap_period", "60000", "set"),
                         ("SAME", None, "Plans", "SNR", "gate", "60%", "set")],
                        columns=["scenario_id", "name", "table", "key", "column", "value", "action"])
    book = write_book(tmp_path / "same.xlsx", "en", {**small_tables, "Scenarios": same})
    result = model_book(book)
    sc, reps = result.outputs["Out_Scenarios"], result.outputs["Out_ScenarioReps"]
    mine = sc[sc["scenario_id"] == "SAME"]
    amounts = mine[mine["amount"].notna()]
    assert len(amounts) > 60       # replay, simulation, every percentile and curve point
    assert (amounts["amount"] == amounts["base_amount"]).all()
    shares = mine[mine["share"].notna()]
    assert (shares["share"] == shares["base_share"]).all()
    assert (reps["change"] == 0).all() and (reps["payable"] == reps["base_payable"]).all()
    assert (reps["expected"] == reps["base_expected"]).all()
    assert _measure(sc, "BASE", "commissions (replayed)")["amount"] == pytest.approx(
        result.outputs["Out_Statements"]["payable"].sum(), abs=0.005)


# ---- the simulation against the analytic expectation ---------------------------------------------------------

def _linear(rate: float, measure: str) -> tuple:
    plans = pd.DataFrame({"plan_id": ["L"], "tier_method": ["marginal"], "measure": [measure], "tier_scope": ["period"]})
    return plan_set(plans, pd.DataFrame({"plan_id": ["L"], "lower_bound": [0.0], "rate": [rate]}))


def test_the_simulated_mean_converges_to_the_expectation_of_a_linear_plan():
    """Linear plan (one tier, 4%): a year pays 4% of its credited amount, and each simulated period draws one of
    the rep's own periods with equal chance, so E[year] = 4% x 12 x (mean of the rep's periods), summed over reps."""
    rng = np.random.default_rng(5)
    history = rng.lognormal(11, 0.5, (3, 12))
    history[2, 8:] = np.nan                                    # a rep with 8 periods of history
    quota = np.full((3, 12), np.nan)
    quota[0] = 80_000.0                                        # rep 0 on quota: attainment x quota = credited again
    for measure in ("amount", "attainment"):
        plans = _linear(0.04, measure)
        year = Year(reps=["a", "b", "c"], periods=[f"2026-{m:02d}" for m in range(1, 13)], plan=np.zeros((3, 12), int),
                    quota=quota if measure == "attainment" else np.full((3, 12), np.nan), credited=history,
                    fixed=np.zeros(3))
        if measure == "attainment":   # every rep needs a quota on an attainment plan
            year.quota = np.where(np.isnan(quota), 100_000.0, quota)
        s = slots(year, year, plans, NO_LINES, np.full(3, -1))
        draws = 20_000
        priced = price(bootstrap(year, draws, seed=11), s, plans)
        means = np.array([np.nanmean(h) for h in history])
        variances = np.array([np.nanvar(h) for h in history])
        expected = 0.04 * 12 * means.sum()
        se = 0.04 * math.sqrt(12 * variances.sum() / draws)
        assert se < expected * 0.002                            # the check below is a tight one
        assert abs(priced.expected - expected) < 4 * se, (measure, priced.expected, expected, se)
        # payout curve of a linear plan: 4% x attainment x the amounts 100% means, at every grid point
        ref = np.where(year.quota > 0, year.quota, means[:, None]).sum()
        assert priced.curve == pytest.approx(0.04 * GRID * ref)


def test_the_draws_are_seeded_and_shared_by_every_scenario():
    year = Year(reps=["a"], periods=["2026-01", "2026-02", "2026-03"], plan=np.zeros((1, 3), int),
                quota=np.full((1, 3), np.nan), credited=np.array([[100.0, 200.0, 400.0]]), fixed=np.zeros(1))
    one, two = bootstrap(year, 50, seed=3), bootstrap(year, 50, seed=3)
    assert np.array_equal(one, two)
    assert set(np.unique(np.round(one, 6))) <= {100.0, 200.0, 400.0}   # only the rep's own periods are drawn
    assert not np.array_equal(one, bootstrap(year, 50, seed=4))


def test_pricing_the_draws_in_blocks_gives_the_same_figures_as_all_at_once(monkeypatch):
    """Every simulated year is priced on its own, so pricing them a block at a time (what bounds the memory of a
    1,000-rep book) must give the very same numbers, on plans that use every part of the arithmetic: line caps
    over the reps' deal sizes, a manager's override, a recoverable draw, a gate and a period cap."""
    import salesbook.engines.scenarios.simulate as simulate

    plans = plan_set(pd.DataFrame({"plan_id": ["CAP", "MGR"], "tier_method": ["marginal", "whole"],
                                   "measure": ["amount", "attainment"], "tier_scope": ["period", "period"],
                                   "gate": [np.nan, 0.5], "cap_line": [900.0, np.nan], "cap_period": [np.nan, 5_000.0],
                                   "override_rate": [0.0, 0.01], "draw_amount": [300.0, 0.0],
                                   "draw_type": ["recoverable", "recoverable"]}),
                     pd.DataFrame({"plan_id": ["CAP", "CAP", "MGR", "MGR"], "lower_bound": [0.0, 8_000.0, 0.0, 1.0],
                                   "rate": [0.05, 0.08, 0.02, 0.04]}))
    rng = np.random.default_rng(7)
    plan = np.zeros((5, 12), int)
    plan[4] = 1                                                     # rep e manages a to d on the MGR plan
    plan[2, :3] = -1                                                # rep c joins in April
    year = Year(reps=list("abcde"), periods=[f"2026-{m:02d}" for m in range(1, 13)], plan=plan,
                quota=np.where(plan == 1, 20_000.0, np.nan), credited=rng.lognormal(9, 0.6, (5, 12)), fixed=np.zeros(5))
    lines = pd.DataFrame({"rep_id": rng.choice(list("abcde"), 400), "base": rng.lognormal(7, 1.0, 400)})
    s = slots(year, year, plans, lines, np.array([4, 4, 4, 4, -1]))
    credited = bootstrap(year, 230, seed=2)
    monkeypatch.setattr(simulate, "DRAWS_AT_ONCE", 10_000)
    whole = price(credited, s, plans)
    monkeypatch.setattr(simulate, "DRAWS_AT_ONCE", 7)
    blocks = price(credited, s, plans)
    assert whole.expected > 0
    for name in ("totals", "per_rep", "quantiles", "curve"):
        assert np.array_equal(getattr(whole, name), getattr(blocks, name)), name
    assert (whole.expected, whole.cost_of_sales, whole.above_quota) == (blocks.expected, blocks.cost_of_sales,
                                                                         blocks.above_quota)
