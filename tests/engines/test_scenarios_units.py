"""Plan modeling of plans that pay on units: the replay on a real workbook, a scenario that cannot be computed, and
the simulation of a per-unit plan against its expectation. Figures worked out by hand; the plans are illustrative."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from salesbook.book.template import write_book
from salesbook.engines.scenarios import GRID, Year, bootstrap, bootstrap_units, plan_set, price, slots
from salesbook.errors import InputError
from salesbook.pipeline import model_book


def _measure(frame: pd.DataFrame, scenario: str, name: str) -> pd.Series:
    row = frame[(frame["scenario_id"] == scenario) & (frame["measure"] == name)]
    assert len(row) == 1, (scenario, name)
    return row.iloc[0]


def _book(path, scenarios: list[tuple]) -> object:
    """A and B on plan U, per unit: units 1-100 at 50.00, above at 75.00 (marginal); C on plan M5, 5% of amounts,
    with a deal typed without a quantity. One month of deals."""
    t0 = pd.Timestamp("2026-01-01")
    data = {
        "Regions": pd.DataFrame({"region_id": ["N"], "name": ["North"]}),
        "Products": pd.DataFrame({"product_id": ["X"], "name": ["Widget"], "product_line": ["L"]}),
        "Reps": pd.DataFrame({"rep_id": ["A", "B", "C"], "name": ["Ann", "Bob", "Cy"], "region_id": ["N"] * 3,
                              "role": ["rep"] * 3, "hire_date": [pd.Timestamp("2020-01-01")] * 3}),
        "Deals": pd.DataFrame({"deal_id": ["D1", "D2", "D3", "D4"],
                               "date": pd.to_datetime(["2026-03-02", "2026-03-10", "2026-03-05", "2026-03-06"]),
                               "rep_id": ["A", "A", "B", "C"], "product_id": ["X"] * 4,
                               "quantity": [80.0, 70.0, 40.0, None],
                               "amount": [8_000.0, 7_000.0, 4_000.0, 6_000.0]}),
        "Plans": pd.DataFrame({"plan_id": ["U", "M5"], "name": ["Per unit", "Five"],
                               "commission_base": ["quantity", "amount"], "tier_method": ["marginal"] * 2}),
        "PlanTiers": pd.DataFrame({"plan_id": ["U", "U", "M5"], "lower_bound": [0.0, 100.0, 0.0],
                                   "rate": [None, None, 0.05], "per_unit": [50.0, 75.0, None]}),
        "PlanAssignments": pd.DataFrame({"rep_id": ["A", "B", "C"], "plan_id": ["U", "U", "M5"],
                                         "start_date": [t0] * 3}),
        "Scenarios": pd.DataFrame(scenarios, columns=["scenario_id", "name", "table", "key", "column", "value",
                                                      "action"]),
    }
    return write_book(path, "en", data)


def test_the_replay_of_a_per_unit_plan_and_a_steeper_per_unit_tier(tmp_path):
    book = _book(tmp_path / "u.xlsx", [("UP", "Steeper", "PlanTiers", "U / 100", "per_unit", "90", "set"),
                                       ("AMT", "B on 5%", "PlanAssignments", "B / 2026-01-01", "plan_id", "M5", "set")])
    result = model_book(book)
    sc, reps = result.outputs["Out_Scenarios"], result.outputs["Out_ScenarioReps"]
    # base: A 80 x 50.00 = 4,000 + (20 x 50.00 + 50 x 75.00 = 4,750) = 8,750; B 40 x 50.00 = 2,000; C 6,000 x 5% = 300
    base = _measure(sc, "BASE", "commissions (replayed)")
    assert base["amount"] == 8_750.00 + 2_000.00 + 300.00
    assert base["amount"] == result.outputs["Out_Statements"]["payable"].sum()
    # UP: A 4,000 + 20 x 50.00 + 50 x 90.00 = 9,500 (750 more); B and C unchanged
    up = _measure(sc, "UP", "commissions (replayed)")
    assert up["amount"] == 9_500.00 + 2_000.00 + 300.00
    ann = reps[(reps["scenario_id"] == "UP") & (reps["rep_id"] == "A")].iloc[0]
    assert (ann["base_payable"], ann["payable"], ann["change"]) == (8_750.00, 9_500.00, 750.00)
    # AMT: B paid 5% of 4,000 = 200 instead of 2,000
    bob = reps[(reps["scenario_id"] == "AMT") & (reps["rep_id"] == "B")].iloc[0]
    assert (bob["base_payable"], bob["payable"], bob["change"]) == (2_000.00, 4_000 * 0.05, 200.00 - 2_000.00)
    # the simulation prices the per-unit plan too: a steeper top tier costs more, never less
    assert _measure(sc, "UP", "expected commissions (simulated)")["amount"] > \
        _measure(sc, "BASE", "expected commissions (simulated)")["amount"]


def test_a_scenario_that_puts_a_rep_without_quantities_on_a_per_unit_plan_is_refused_at_its_row(tmp_path):
    book = _book(tmp_path / "c.xlsx", [("MOVE", "C per unit", "PlanAssignments", "C / 2026-01-01", "plan_id", "U",
                                        "set")])
    with pytest.raises(InputError) as info:
        model_book(book)
    (p,) = info.value.problems
    assert (p.sheet, p.row) == ("Scenarios", 2)
    assert "scenario MOVE cannot be computed with its overrides" in p.text("en")
    assert "sheet 'Deals', row 5, column 'Quantity (F)': deal D4 is credited to rep C on plan U, which pays per " \
           "unit, so it needs a Quantity" in p.text("en")
    assert "订单 D4 计入销售代表 C 的方案 U，该方案按数量计提" in p.text("zh")   # (the book's own headers are English)
    assert not p.text("en").endswith("..")


def test_a_new_tier_of_a_per_unit_plan_needs_its_money_per_unit(tmp_path):
    book = _book(tmp_path / "t.xlsx", [("TOP", "A top tier", "PlanTiers", "U / 200", "lower_bound", "200", "add"),
                                       ("TOP", None, "PlanTiers", "M5 / 50000", "lower_bound", "50000", "add")])
    with pytest.raises(InputError) as info:
        model_book(book)
    said = [p.render("en") for p in info.value.problems]
    assert said == ["sheet 'Scenarios', row 2, column 'Row key (D)': the new row U / 200 of sheet 'PlanTiers' needs "
                    "Per unit too (one row per column).",
                    "sheet 'Scenarios', row 3, column 'Row key (D)': the new row M5 / 50000 of sheet 'PlanTiers' "
                    "needs Rate too (one row per column)."]


def test_the_simulated_mean_of_a_per_unit_plan_is_its_expectation():
    """One tier, 30.00 a unit: a year pays 30.00 x the units credited, and each simulated period draws one of the
    rep's own periods with equal chance, so E[year] = 30.00 x 12 x (mean units of the rep's periods), summed."""
    rng = np.random.default_rng(7)
    units = np.round(rng.lognormal(4, 0.4, (2, 12)))
    money = units * rng.uniform(90, 110, (2, 12))                # each period's sales, about 100 a unit
    plans = plan_set(pd.DataFrame({"plan_id": ["L"], "commission_base": ["quantity"], "tier_method": ["marginal"]}),
                     pd.DataFrame({"plan_id": ["L"], "lower_bound": [0.0], "rate": [np.nan], "per_unit": [30.0]}))
    year = Year(reps=["a", "b"], periods=[f"2026-{m:02d}" for m in range(1, 13)], plan=np.zeros((2, 12), int),
                quota=np.full((2, 12), np.nan), credited=money, fixed=np.zeros(2), units=units,
                unit_quota=np.full((2, 12), np.nan), on_units=np.array([True, True]))
    lines = pd.DataFrame({"rep_id": pd.Series([], dtype=object), "base": pd.Series([], dtype=float),
                          "units": pd.Series([], dtype=float)})
    s = slots(year, year, plans, lines, np.full(2, -1))
    draws = 20_000
    drawn_money, drawn_units = bootstrap(year, draws, seed=3), bootstrap_units(year, draws, seed=3)
    # the units come with the period they were sold in: every drawn (units, money) pair is one of the rep's own
    for r in range(2):
        seen = set(zip(np.round(units[r], 6), np.round(money[r], 6), strict=True))
        pairs = set(zip(np.round(drawn_units[:, r].ravel(), 6), np.round(drawn_money[:, r].ravel(), 6), strict=True))
        assert pairs <= seen
    priced = price(drawn_money, s, plans, units=drawn_units)
    expected = 30.0 * 12 * units.mean(axis=1).sum()
    se = 30.0 * math.sqrt(12 * units.var(axis=1).sum() / draws)
    assert se < expected * 0.003
    assert abs(priced.expected - expected) < 4 * se, (priced.expected, expected, se)
    # cost of sales is commission over money credited, not over units
    assert priced.cost_of_sales == pytest.approx(priced.expected / drawn_money.sum(axis=(1, 2)).mean(), rel=1e-9)
    # the payout curve: 30.00 x attainment x the units 100% means (each rep's mean month, every month)
    assert priced.curve == pytest.approx(30.0 * GRID * 12 * units.mean(axis=1).sum())
