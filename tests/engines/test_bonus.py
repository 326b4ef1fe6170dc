"""The bonus formula factor by factor, against published plans and figures worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from salesbook.engines.kpi import BonusRules, build_scorecards, parse_period, period_scorecards
from salesbook.errors import InputError

KPIS = pd.DataFrame({"kpi_id": ["S"], "name": ["Sales"], "direction": ["higher"], "method": ["linear"],
                     "threshold": [None], "stretch": [None], "floor": [0.0], "cap": [2.0], "critical": [False],
                     "aggregate": ["sum"]})
WEIGHTS = pd.DataFrame({"role": ["rep"], "kpi_id": ["S"], "weight": [1.0]})
BANDS = pd.DataFrame({"rating": ["A", "B", "C"], "min_score": [120, 100, 0], "multiplier": [1.5, 1.0, 0.5]})


def _reps(**cols) -> pd.DataFrame:
    base = {"rep_id": ["A"], "role": ["rep"], "region_id": ["E"], "hire_date": pd.to_datetime(["2020-01-01"]),
            "leave_date": pd.to_datetime([None]), "target_bonus": [None], "salary": [None], "target_bonus_pct": [None],
            "product_lines": [None]}
    base.update(cols)
    return pd.DataFrame(base, index=pd.RangeIndex(2, 2 + len(base["rep_id"])))


def _actuals(rep_results: dict[str, list[tuple[str, float]]]) -> pd.DataFrame:
    """Sales per rep and month against a target of 100 each month."""
    rows = [(pd.Timestamp(m + "-01"), r, "S", a, 100.0) for r, months in rep_results.items() for m, a in months]
    return pd.DataFrame(rows, columns=["period", "rep_id", "kpi_id", "actual", "target"])


def _factors(rows: list[tuple]) -> pd.DataFrame:
    """(scope, unit, period, factor, cap) rows, Excel rows from 2."""
    f = pd.DataFrame(rows, columns=["scope", "unit", "period", "factor", "cap"])
    f.index = pd.RangeIndex(2, 2 + len(f))
    return f


def _one(card: pd.DataFrame, rep: str = "A") -> pd.Series:
    return card[card["rep_id"] == rep].iloc[0]


def test_salary_times_target_pct_times_kpi_and_company_factor_for_a_quarter():
    """The brief's example: salary 300,000 at a 15% target, a quarter (3/12), KPI total 108.0 used as a score
    (1.08) and a company factor of 95% for 2026Q1:
    300,000 x 15% = 45,000; x 3/12 = 11,250; x 1.08 = 12,150; x 0.95 = 11,542.50."""
    reps = _reps(salary=[300_000.0], target_bonus_pct=[0.15])
    actuals = _actuals({"A": [("2026-01", 100.0), ("2026-02", 110.0), ("2026-03", 114.0)]})  # 324 / 300 = 108%
    card = build_scorecards(actuals, KPIS, WEIGHTS, reps, BANDS, grain="quarter",
                            factors=_factors([("company", None, "2026Q1", 0.95, None)]),
                            rules=BonusRules(kpi_factor="score"))
    a = _one(card)
    assert a["total"] == pytest.approx(108.0)
    assert a["bonus"] == 11_542.50
    assert (a["multiplier"], a["company_factor"]) == (pytest.approx(1.08), 0.95)
    assert a["bonus_formula"] == ("bonus = 300,000.00 (salary) × 15% (target bonus) × 3/12 (quarter) × 1.08 (KPI total "
                                  "108.0) × 0.95 (company factor 2026Q1) = 11,542.50")
    assert a["bonus_formula"] in a["explanation"]
    zh = _one(build_scorecards(actuals, KPIS, WEIGHTS, reps, BANDS, grain="quarter", lang="zh",
                               factors=_factors([("company", None, "2026Q1", 0.95, None)]),
                               rules=BonusRules(kpi_factor="score")))
    assert zh["bonus_formula"] == ("奖金 = 300,000.00（年薪） × 15%（目标奖金比例） × 3/12（季度） × 1.08（考核总分 108.0） "
                                   "× 0.95（公司系数 2026Q1） = 11,542.50")


def test_published_individual_and_company_multipliers():
    """costcalculator.calculator.city "Performance Bonus Calculator": Final Bonus = (Base Salary x Target %) x
    Individual Multiplier x Company Multiplier; 80,000 x 10% x 1.5 (top performer) x 0.8 (company missed its
    revenue targets) = 9,600. The individual multiplier is the rating band's (total 120 or more -> A, x1.5)."""
    reps = _reps(salary=[80_000.0], target_bonus_pct=[0.10])
    actuals = _actuals({"A": [("2026-06", 1500.0)]})   # one yearly result: 1,500 / 1,200 of target (12 x 100)
    actuals.loc[0, "target"] = 1200.0
    card = build_scorecards(actuals, KPIS, WEIGHTS, reps, BANDS, grain="year",
                            factors=_factors([("company", None, "2026", 0.8, None)]))
    a = _one(card)
    assert a["rating"] == "A" and a["multiplier"] == 1.5
    assert a["bonus"] == 9_600.00
    assert a["bonus_formula"] == ("bonus = 80,000.00 (salary) × 10% (target bonus) × 1.5 (rating A, total 125.0) "
                                  "× 0.8 (company factor 2026) = 9,600.00")


@pytest.mark.parametrize(("achieved", "bonus"), [(79.0, 0.0), (80.0, 8_000.0), (90.0, 9_000.0), (100.0, 10_000.0)])
def test_a_continuous_score_with_a_threshold_like_a_published_sti_plan(achieved, bonus):
    """A short-term incentive plan filed with the SEC (862831, exhibit 10.20): below 80% of the goal the target
    incentive is 0%; from 80% to 100% it is the achievement times the target %. Here: salary 200,000 at a 20%
    target = 40,000 a year, 10,000 a quarter; threshold 80%: 90% achieved -> 10,000 x 0.90 = 9,000."""
    reps = _reps(salary=[200_000.0], target_bonus_pct=[0.20])
    actuals = _actuals({"A": [("2026-04", achieved), ("2026-05", achieved), ("2026-06", achieved)]})
    card = build_scorecards(actuals, KPIS, WEIGHTS, reps, BANDS, grain="quarter",
                            rules=BonusRules(kpi_factor="score", score_threshold=0.8))
    a = _one(card)
    assert a["bonus"] == bonus
    if achieved < 80:
        assert "× 0 (KPI total 79.0, below the threshold 80.0)" in a["bonus_formula"]


def test_caps_on_a_factor_on_the_kpi_score_and_on_the_whole_bonus():
    """Target bonus 48,000 a year = 4,000 a month. KPI total 180.0 as a score capped at 150% -> 1.5; company
    factor 162% capped at 150% -> 1.5; region E 110%: 4,000 x 1.5 x 1.5 x 1.1 = 9,900, above the 200% bonus cap
    (2 x 4,000 = 8,000) -> 8,000.00. Rep B (region W, no factor there): 4,000 x 1.5 x 1.5 = 9,000 -> 8,000.00 too;
    with a 250% cap B gets 9,000.00 and A 9,900.00."""
    reps = _reps(rep_id=["A", "B"], role=["rep"] * 2, region_id=["E", "W"],
                 hire_date=pd.to_datetime(["2020-01-01"] * 2), leave_date=pd.to_datetime([None, None]),
                 target_bonus=[48_000.0] * 2, salary=[None] * 2, target_bonus_pct=[None] * 2, product_lines=[None] * 2)
    actuals = _actuals({"A": [("2026-03", 180.0)], "B": [("2026-03", 180.0)]})
    factors = _factors([("company", None, "2026Q1", 1.62, 1.5), ("region", "E", "2026", 1.10, None)])
    card = build_scorecards(actuals, KPIS, WEIGHTS, reps, BANDS, factors=factors,
                            rules=BonusRules(kpi_factor="score", score_cap=1.5, bonus_cap=2.0))
    a, b = _one(card, "A"), _one(card, "B")
    assert (a["multiplier"], a["company_factor"], a["unit_factor"]) == (1.5, 1.5, 1.1)
    assert a["bonus"] == 8_000.00 and b["bonus"] == 8_000.00 and pd.isna(b["unit_factor"])
    assert a["bonus_formula"] == (
        "bonus = 48,000.00 (target bonus) × 1/12 (month) × 1.5 (KPI total 180.0, capped at 150.0) × 1.5 (company "
        "factor 2026Q1, 1.62 capped at 1.5) × 1.1 (region E factor 2026) = 9,900.00; capped at 200% of the "
        "period's target bonus 4,000.00: 8,000.00")
    card = build_scorecards(actuals, KPIS, WEIGHTS, reps, BANDS, factors=factors,
                            rules=BonusRules(kpi_factor="score", score_cap=1.5, bonus_cap=2.5))
    assert (_one(card, "A")["bonus"], _one(card, "B")["bonus"]) == (9_900.00, 9_000.00)


def test_the_most_specific_factor_applies_and_a_product_line_is_a_business_unit():
    """Monthly scorecards: March has its own company factor (90%), April falls back to Q2's (105%); rep A sells
    only the line HW, whose 2026 factor is 120%. A's target 12,000 a year = 1,000 a month, total 100.0 -> B (x1):
    March 1,000 x 1 x 0.9 x 1.2 = 1,080.00; April 1,000 x 1 x 1.05 x 1.2 = 1,260.00."""
    reps = _reps(target_bonus=[12_000.0], product_lines=["HW"])
    actuals = _actuals({"A": [("2026-03", 100.0), ("2026-04", 100.0)]})
    factors = _factors([("company", None, "2026Q1", 0.80, None), ("company", None, "2026-03", 0.90, None),
                        ("company", None, "2026Q2", 1.05, None), ("product_line", "HW", "2026", 1.20, None)])
    card = build_scorecards(actuals, KPIS, WEIGHTS, reps, BANDS, factors=factors).drop_duplicates("period")
    assert card["bonus"].tolist() == [1_080.00, 1_260.00]
    assert "0.9 (company factor 2026-03)" in card["bonus_formula"].iloc[0]
    assert "1.2 (product line HW factor 2026)" in card["bonus_formula"].iloc[1]


def test_a_factor_missing_for_a_period_or_for_a_shorter_period_than_the_pay_period_is_said():
    reps = _reps(target_bonus=[12_000.0])
    actuals = _actuals({"A": [("2026-03", 100.0), ("2026-04", 100.0)]})
    warnings: list = []
    card = build_scorecards(actuals, KPIS, WEIGHTS, reps, BANDS, grain="quarter", warnings=warnings,
                            factors=_factors([("company", None, "2026Q1", 0.9, None),
                                              ("company", None, "2026-04", 1.2, None)]))
    # Q1 pays 3,000 x 1 x 0.9 = 2,700.00; Q2 has no quarterly or yearly factor: 3,000.00, with a warning
    assert card.drop_duplicates("period")["bonus"].tolist() == [2_700.00, 3_000.00]
    texts = [w.render("en") for w in warnings]
    assert texts == [
        "sheet 'PerformanceFactors', row 3, column 'Period': the factor for 2026-04 is for a shorter period than the "
        "quarter scorecards the bonus is paid on, so it is not used; give the factor of the whole quarter period.",
        "sheet 'PerformanceFactors', row 2, column 'Period': no company factor for period 2026Q2: those bonuses are "
        "worked out without one (as 100%)."]
    assert warnings[1].render("zh") == ("工作表“业绩系数”，第 2 行，列“期间”：2026Q2 没有公司的系数：这些奖金按不含该系数"
                                        "（即 100%）计算。")


def test_target_bonus_and_salary_times_pct_must_agree():
    reps = _reps(rep_id=["A", "B", "C"], role=["rep"] * 3, region_id=["E"] * 3,
                 hire_date=pd.to_datetime(["2020-01-01"] * 3), leave_date=pd.to_datetime([None] * 3),
                 target_bonus=[45_000.0, 40_000.0, None], salary=[300_000.0, 300_000.0, None],
                 target_bonus_pct=[0.15, 0.15, 0.10], product_lines=[None] * 3)
    actuals = _actuals({"A": [("2026-03", 100.0)]})
    with pytest.raises(InputError) as e:
        build_scorecards(actuals, KPIS, WEIGHTS, reps, BANDS)
    msgs = [p.render("en") for p in e.value.problems]
    assert msgs == [
        "sheet 'Reps', row 4, column 'Base salary': rep C has a target bonus % of 10% but no base salary to take it of.",
        "sheet 'Reps', row 3, column 'Target bonus': rep B: target bonus 40,000.00 differs from base salary 300,000.00 x "
        "target bonus % 15% = 45,000.00; one bonus cannot have two targets: clear the target bonus (salary x % is "
        "then used) or correct one of them."]
    assert e.value.problems[1].render("zh").startswith("工作表“销售代表”，第 3 行，列“目标奖金”：销售代表 B：目标奖金 40,000.00 与年薪")


@pytest.mark.parametrize(("row", "column", "en"), [
    (("company", "E", "2026", 1.0, None), "Business unit", "a company factor applies to everyone"),
    (("region", None, "2026", 1.0, None), "Business unit", "a region factor needs the business unit it is for."),
    (("product_line", "", "2026", 1.0, None), "Business unit", "a product line factor needs the business unit"),
    (("company", None, "Q1 2026", 1.0, None), "Period", "'Q1 2026' is not a period: type 2026 (a fiscal year)"),
])
def test_bad_factor_rows_are_located(row, column, en):
    with pytest.raises(InputError) as e:
        build_scorecards(_actuals({"A": [("2026-03", 100.0)]}), KPIS, WEIGHTS, _reps(target_bonus=[1.0]), BANDS,
                         factors=_factors([row]))
    [p] = e.value.problems
    assert p.render("en").startswith(f"sheet 'PerformanceFactors', row 2, column '{column}': {en}")


def test_a_second_factor_for_the_same_period_and_two_business_units_are_errors():
    with pytest.raises(InputError) as e:
        build_scorecards(_actuals({"A": [("2026-03", 100.0)]}), KPIS, WEIGHTS, _reps(target_bonus=[1.0]), BANDS,
                         factors=_factors([("company", None, "2026Q1", 1.0, None),
                                           ("company", None, "2026 Q1", 1.1, None)]))
    assert e.value.problems[0].render("en") == ("sheet 'PerformanceFactors', row 3, column 'Period': a second company "
                                                 "factor for 2026Q1 (the first is on row 2).")
    with pytest.raises(InputError) as e:
        build_scorecards(_actuals({"A": [("2026-03", 100.0)]}), KPIS, WEIGHTS,
                         _reps(target_bonus=[1.0], product_lines=["HW"]), BANDS,
                         factors=_factors([("region", "E", "2026", 1.0, None),
                                           ("product_line", "HW", "2026", 1.1, None)]))
    assert e.value.problems[0].render("en").startswith(
        "sheet 'Reps', row 2, column 'Product lines': rep A belongs to more than one business unit with factors (E, HW)")


@pytest.mark.parametrize(("typed", "read"), [
    ("2026", ("year", "2026")), (2026, ("year", "2026")), ("2026.0", ("year", "2026")),
    ("2026Q1", ("quarter", "2026Q1")), ("2026 q3", ("quarter", "2026Q3")), ("2026-Q4", ("quarter", "2026Q4")),
    ("2026年第2季度", ("quarter", "2026Q2")), ("２０２６Ｑ１", ("quarter", "2026Q1")),
    ("2026-03", ("month", "2026-03")), ("2026/3", ("month", "2026-03")), ("2026年3月", ("month", "2026-03")),
    ("2026-03-01", ("month", "2026-03")), ("2026-03-01 00:00:00", ("month", "2026-03")),
    ("2026-13", None), ("Q1", None), ("2026Q5", None), ("", None), (None, None),
])
def test_periods_as_people_type_them(typed, read):
    assert parse_period(typed) == read


def test_a_longer_period_writes_out_the_bonuses_it_sums():
    """Quarterly pay: Q1 2,700.00 (factor 0.9) and Q2 3,000 x 1.1 = 3,300.00; the year shows their sum."""
    reps = _reps(target_bonus=[12_000.0])
    actuals = _actuals({"A": [("2026-03", 100.0), ("2026-04", 100.0)]})
    cards = period_scorecards(actuals, KPIS, WEIGHTS, reps, BANDS, pay_grain="quarter",
                              as_of=pd.Timestamp("2026-06-30"),
                              factors=_factors([("company", None, "2026Q1", 0.9, None),
                                                ("company", None, "2026Q2", 1.1, None)]))
    year = cards[cards["period_kind"] == "year"].iloc[0]
    assert year["bonus"] == 6_000.00
    assert year["bonus_formula"] == "bonus = 2026Q1 2,700.00 + 2026Q2 3,300.00 = 6,000.00"
    assert pd.isna(year["company_factor"]) and pd.isna(year["multiplier"])
    q2 = cards[(cards["period_kind"] == "quarter") & (cards["period"] == "2026Q2")].iloc[0]
    assert q2["bonus_formula"] == "bonus = 12,000.00 (target bonus) × 3/12 (quarter) × 1 (rating B, total 100.0) × " \
                                  "1.1 (company factor 2026Q2) = 3,300.00"
    month = cards[cards["period_kind"] == "month"].iloc[0]
    assert pd.isna(month["bonus"]) and month["bonus_formula"] == ""


def test_a_factor_for_a_business_unit_nobody_is_in_is_said():
    """A region typed 'EAST' where the reps' Region ID is 'E': nobody gets it, and the warning says so."""
    warnings: list = []
    card = build_scorecards(_actuals({"A": [("2026-03", 100.0)]}), KPIS, WEIGHTS, _reps(target_bonus=[12_000.0]),
                            BANDS, factors=_factors([("region", "EAST", "2026", 1.2, None)]), warnings=warnings)
    assert card["bonus"].iloc[0] == 1_000.00    # 12,000 / 12 x 1 (rating B, total 100.0), no factor
    assert [w.render("en") for w in warnings] == [
        "sheet 'PerformanceFactors', row 2, column 'Business unit': no rep is in region EAST (Reps: Region ID), so this "
        "factor is not used; check the spelling."]
    assert warnings[0].render("zh") == ("工作表“业绩系数”，第 2 行，列“业务单元”：没有销售代表属于区域 EAST（销售代表表："
                                        "区域编号），此系数不会被使用；请检查拼写。")
