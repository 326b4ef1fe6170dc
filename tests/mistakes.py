"""A corpus of everyday typing mistakes on one small hand-filled book, with the verdict each must get.

The base book is small enough to check by hand: two sellers on one plan (5% up to 100,000 a month,
8% above), six March deals, two KPIs weighted 60/40, a company target of 1,200,000 split 10% a month
for January-April and 7.5% for the other eight months. Each case changes what a tired person would
change and says what salesbook must answer: an error at sheet/row/column, a warning, or acceptance with
a figure worked out by hand here (never by the engine). ``scripts/make_mistakes.py`` writes the books
to a folder for a look in Excel or LibreOffice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd

from salesbook.book.template import write_book

D = dt.date

# What the base book computes, worked out by hand:
# S1 in March: 60,000 + 70,000 = 130,000 -> 100,000 x 5% + 30,000 x 8% = 7,400.00
# S2 in March: 20,000 + 30,000 + 25,000 + 25,000 = 100,000 -> marginal tiers pay 100,000 x 5% = 5,000.00
#   (nothing lies above the 100,000 bound)
PAYABLE_MARCH = {"S1": 7400.00, "S2": 5000.00}
COMPANY_TARGET = 1_200_000.00


def base_tables(lang: str) -> dict[str, pd.DataFrame]:
    role = {"rep": "销售代表", "senior": "高级销售", "manager": "销售经理"} if lang == "zh" else \
        {"rep": "rep", "senior": "senior", "manager": "manager"}
    return {
        "Settings": pd.DataFrame({"key": ["language", "company_name", "fiscal_year", "as_of_date"],
                                  "value": [lang, "Acme", 2026, D(2026, 6, 30)]}),
        "Products": pd.DataFrame({"product_id": ["P1", "P2"], "name": ["Widget", "Gadget"],
                                  "product_line": ["Hardware", "Software"], "unit_price": [1000.0, 500.0],
                                  "active": [True, True]}),
        "Regions": pd.DataFrame({"region_id": ["R1"], "name": ["East"], "manager_id": ["M1"]}),
        "Reps": pd.DataFrame({"rep_id": ["M1", "S1", "S2"], "name": ["Mia", "Sam", "Sue"], "region_id": ["R1"] * 3,
                              "role": [role["manager"], role["rep"], role["senior"]], "manager_id": [None, "M1", "M1"],
                              "hire_date": [D(2020, 1, 1), D(2021, 1, 1), D(2022, 1, 1)],
                              "target_bonus": [0.0, 12000.0, 12000.0]}),
        "History": pd.DataFrame({"period": [D(2025, m, 1) for m in (1, 1, 2, 2)], "rep_id": ["S1", "S2", "S1", "S2"],
                                 "region_id": ["R1"] * 4, "product_id": ["P1", "P2", "P1", "P2"],
                                 "amount": [500_000.0, 300_000.0, 100_000.0, 100_000.0]}),
        "CompanyTarget": pd.DataFrame({"fiscal_year": [2026], "target": [COMPANY_TARGET]}),
        "Seasonality": pd.DataFrame({"month": list(range(1, 13)), "share": [0.10] * 4 + [0.075] * 8}),
        "Deals": pd.DataFrame({
            "deal_id": [f"SO-{i}" for i in range(1, 7)],
            "date": [D(2026, 3, d) for d in (3, 9, 10, 16, 20, 25)],
            "rep_id": ["S1", "S1", "S2", "S2", "S2", "S2"],
            "product_id": ["P1", "P2", "P1", "P1", "P2", "P1"],
            "amount": [60_000.0, 70_000.0, 20_000.0, 30_000.0, 25_000.0, 25_000.0]}),
        "Plans": pd.DataFrame({"plan_id": ["PL1"], "name": ["Standard"], "tier_method": ["marginal"]}),
        "PlanTiers": pd.DataFrame({"plan_id": ["PL1", "PL1"], "lower_bound": [0.0, 100_000.0], "rate": [0.05, 0.08]}),
        "PlanAssignments": pd.DataFrame({"rep_id": ["S1", "S2"], "plan_id": ["PL1", "PL1"],
                                         "start_date": [D(2026, 1, 1)] * 2}),
        "KPIs": pd.DataFrame({"kpi_id": ["K1", "K2"], "name": ["Sales", "Visits"], "method": ["linear", "linear"],
                              "cap": [1.2, 1.2]}),
        "KPIWeights": pd.DataFrame({"role": [role["rep"], role["rep"], role["senior"], role["senior"]],
                                    "kpi_id": ["K1", "K2", "K1", "K2"], "weight": [0.6, 0.4, 0.6, 0.4]}),
        "Actuals": pd.DataFrame({"period": [D(2026, 3, 1)] * 4, "rep_id": ["S1", "S1", "S2", "S2"],
                                 "kpi_id": ["K1", "K2", "K1", "K2"], "actual": [130_000.0, 20.0, 100_000.0, 25.0],
                                 "target": [100_000.0, 20.0, 100_000.0, 20.0]}),
        "RatingBands": pd.DataFrame({"rating": ["A", "B", "C"], "min_score": [110.0, 95.0, 0.0],
                                     "multiplier": [1.5, 1.0, 0.5]}),
    }


Edit = Callable[[openpyxl.Workbook, str], None]


@dataclass
class Mistake:
    name: str
    what: str
    verdict: str                     # "error", "warning" or "accepted"
    edit: Edit
    where: tuple[str, int | None, str | None] | None = None  # (sheet key, row, header key) of the message
    says: dict[str, list[str]] = field(default_factory=dict)  # lang -> texts the message must contain
    payable: dict[str, float] | None = None                   # accepted: March payable per rep, by hand
    company_target: float | None = None                       # accepted: the company's 2026 target, by hand
    scorecards: int | None = None                             # accepted: scorecard rows expected
    lead_grade: str | None = None                             # accepted: lead L1's grade, by hand
    weight: tuple[str, str, float] | None = None              # accepted: (role, kpi, weight) in Out_KPIWeights
    bonus: dict[str, float] | None = None                     # accepted: March bonus per rep, by hand


SHEETS = {"Deals": ("成交", "Deals"), "PlanTiers": ("提成阶梯", "PlanTiers"), "Reps": ("销售代表", "Reps"),
          "CompanyTarget": ("公司目标", "CompanyTarget"), "KPIs": ("考核指标", "KPIs"),
          "KPIWeights": ("指标权重", "KPIWeights"), "Plans": ("提成方案", "Plans"), "Settings": ("设置", "Settings"),
          "AHPJudgements": ("AHP判断", "AHPJudgements"), "WeightMethods": ("赋权方法", "WeightMethods"),
          "Credits": ("业绩分配", "Credits"), "Actuals": ("指标实际", "Actuals"),
          "Seasonality": ("季节性", "Seasonality"), "ScoringRules": ("评分规则", "ScoringRules"),
          "Leads": ("线索", "Leads"), "GradeBands": ("线索等级", "GradeBands"),
          "RatingBands": ("评级", "RatingBands"), "PerformanceFactors": ("业绩系数", "PerformanceFactors")}


def sheet(key: str, lang: str) -> str:
    zh, en = SHEETS[key]
    return zh if lang == "zh" else en


def _col(ws, header_zh: str, header_en: str) -> int:
    for cell in ws[1]:
        if cell.value in (header_zh, header_en):
            return cell.column
    raise KeyError(header_en)


def set_cell(key: str, row: int, zh: str, en: str, value: object) -> Edit:
    def edit(wb: openpyxl.Workbook, lang: str) -> None:
        ws = wb[sheet(key, lang)]
        ws.cell(row=row, column=_col(ws, zh, en)).value = value  # None clears the cell
    return edit


def set_cells(*edits: Edit) -> Edit:
    def edit(wb: openpyxl.Workbook, lang: str) -> None:
        for e in edits:
            e(wb, lang)
    return edit


def setting(key: str, value: object) -> Edit:
    def edit(wb: openpyxl.Workbook, lang: str) -> None:
        ws = wb[sheet("Settings", lang)]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == key:
                row[1].value = value
                return
        raise KeyError(key)
    return edit


def role_words(zh: dict[int, str], en: dict[int, str], key: str = "KPIWeights") -> Edit:
    def edit(wb: openpyxl.Workbook, lang: str) -> None:
        ws = wb[sheet(key, lang)]
        for row, word in (zh if lang == "zh" else en).items():
            ws.cell(row=row, column=_col(ws, "岗位级别", "Role"), value=word)
    return edit


def build(case: Mistake, lang: str, folder: Path) -> Path:
    """The base book in ``lang`` with the case's edit applied, as a user would have saved it."""
    path = write_book(folder / f"{case.name}_{lang}.xlsx", lang, base_tables(lang))
    wb = openpyxl.load_workbook(path)
    case.edit(wb, lang)
    wb.save(path)
    return path


def _noop(wb: openpyxl.Workbook, lang: str) -> None:
    return None


def add_rows(key: str, rows: list[dict[tuple[str, str], object]]) -> Edit:
    """Rows typed under a table's last row, the table grown over them (what Excel does on Tab or Enter)."""
    def edit(wb: openpyxl.Workbook, lang: str) -> None:
        from openpyxl.utils import range_boundaries

        ws = wb[sheet(key, lang)]
        [table] = ws.tables.values()
        c0, r0, c1, r1 = range_boundaries(table.ref)
        if r1 == r0 + 1 and all(ws.cell(row=r1, column=c).value is None for c in range(c0, c1 + 1)):
            r1 = r0  # an empty table's one blank row is filled first
        for i, values in enumerate(rows, start=1):
            for (zh, en), v in values.items():
                ws.cell(row=r1 + i, column=_col(ws, zh, en), value=v[lang] if isinstance(v, dict) else v)
        table.ref = f"{table.ref.split(':')[0]}:{table.ref.split(':')[1].rstrip('0123456789')}{r1 + len(rows)}"
        if table.autoFilter is not None:
            table.autoFilter.ref = table.ref
    return edit


def lead_book(operator_zh: str, operator_en: str, field_zh: str, field_en: str) -> Edit:
    """One lead with a 200,000 budget; one rule (+10 when the budget is at least 100,000) with the operator
    and field typed as given; grades A from 10 points, B below."""
    return set_cells(
        add_rows("Leads", [{("线索编号", "Lead ID"): "L1", ("创建日期", "Created"): D(2026, 6, 1),
                            ("预算", "Budget"): 200_000, ("区域编号", "Region ID"): "R1"}]),
        add_rows("ScoringRules", [{("规则编号", "Rule ID"): "B1", ("分组", "Group"): "fit",
                                   ("字段", "Field"): {"zh": field_zh, "en": field_en},
                                   ("运算符", "Operator"): {"zh": operator_zh, "en": operator_en},
                                   ("值", "Value"): "100000", ("分值", "Points"): 10}]),
        add_rows("GradeBands", [{("等级", "Grade"): "A", ("最低分", "Min score"): 10},
                                {("等级", "Grade"): "B", ("最低分", "Min score"): 0}]))


RATE = ("提成比例", "Rate")
AMOUNT = ("销售额", "Amount")
DATE = ("成交日期", "Date")

CASES: list[Mistake] = [
    Mistake("base", "the book as filled in, nothing wrong", "accepted", _noop, payable=PAYABLE_MARCH,
            company_target=COMPANY_TARGET, scorecards=2),
    # -- coded values typed as either language's drop-down words -----------------------------------------
    Mistake("role_en_words_in_zh_book", "KPIWeights roles typed as codes / English words", "accepted",
            role_words({2: "rep", 3: "Sales Rep", 4: "SENIOR", 5: "senior rep"},
                       {2: "销售代表", 3: "销售代表", 4: "高级销售", 5: "高级销售"}), payable=PAYABLE_MARCH, scorecards=2),
    Mistake("role_fullwidth", "a role typed in full-width letters", "accepted",
            role_words({2: "ｒｅｐ"}, {2: "ＲＥＰ"}), scorecards=2),
    Mistake("role_unknown", "a role no drop-down offers", "error", role_words({2: "实习生"}, {2: "intern"}),
            where=("KPIWeights", 2, "role"), says={"zh": ["销售代表", "高级销售"], "en": ["rep, senior"]}),
    Mistake("role_nobody_holds", "weights for a role no rep has", "warning",
            set_cells(role_words({4: "销售总监", 5: "销售总监"}, {4: "director", 5: "director"})),
            where=("KPIWeights", 4, "role"), says={"zh": ["没有销售代表"], "en": ["no rep has the role"]},
            payable=PAYABLE_MARCH, scorecards=1),
    Mistake("status_zh_in_en_book", "a deal status typed in the other language", "accepted",
            set_cell("Deals", 7, "状态", "Status", "已成交"), payable=PAYABLE_MARCH),
    Mistake("operator_words", "a scoring rule typed with the other language's words (operator, field)", "accepted",
            lead_book("at least", "大于等于", "Budget", "预算"), lead_grade="A"),
    Mistake("operator_symbols", "a scoring rule typed with >= and the field's own code", "accepted",
            lead_book("≥", ">=", "budget", "budget"), lead_grade="A"),
    Mistake("rule_field_unknown", "a scoring rule on a field the Leads sheet does not have", "error",
            lead_book("大于等于", ">=", "营收", "Revenue"), where=("ScoringRules", 2, "field"),
            says={"zh": ["不是线索表的列", "预算"], "en": ["is not a column of the Leads sheet", "Budget"]}),
    Mistake("operator_unknown", "a scoring rule with an operator nobody offers", "error",
            lead_book("约等于", "about", "预算", "Budget"), where=("ScoringRules", 2, "operator"),
            says={"zh": ["大于等于"], "en": [">="]}),
    # -- rates typed as whole numbers ------------------------------------------------------------------------
    Mistake("rate_5_for_5pct", "a tier rate typed as 5 instead of 5%", "error",
            set_cell("PlanTiers", 2, *RATE, 5), where=("PlanTiers", 2, "rate"),
            says={"zh": ["是否应为 5%"], "en": ["did you mean 5%?"]}),
    Mistake("rate_8_for_8pct", "the upper tier rate typed as 8", "error",
            set_cell("PlanTiers", 3, *RATE, 8), where=("PlanTiers", 3, "rate"),
            says={"zh": ["是否应为 8%"], "en": ["did you mean 8%?"]}),
    Mistake("rate_text_5pct", "a tier rate typed as the text '5%'", "accepted",
            set_cell("PlanTiers", 2, *RATE, "5%"), payable=PAYABLE_MARCH),
    Mistake("rate_fullwidth_pct", "a tier rate typed as '５％' (full width)", "accepted",
            set_cell("PlanTiers", 2, *RATE, "５％"), payable=PAYABLE_MARCH),
    Mistake("rate_unusual_60pct", "a tier rate of 60%", "warning", set_cell("PlanTiers", 3, *RATE, 0.6),
            where=("PlanTiers", 3, "rate"), says={"zh": ["不常见"], "en": ["unusual"]},
            payable={"S1": 5000.0 + 30_000 * 0.6, "S2": 5000.0}),
    Mistake("growth_8_for_8pct", "company growth typed as 8 (target left blank)", "error",
            set_cells(set_cell("CompanyTarget", 2, "目标金额", "Target", None),
                      set_cell("CompanyTarget", 2, "增长率", "Growth over prior year", 8)),
            where=("CompanyTarget", 2, "growth"), says={"zh": ["是否应为 8%"], "en": ["did you mean 8%?"]}),
    Mistake("growth_8pct", "company growth 8% on 1,000,000 prior-year sales", "accepted",
            set_cells(set_cell("CompanyTarget", 2, "目标金额", "Target", None),
                      set_cell("CompanyTarget", 2, "增长率", "Growth over prior year", 0.08)),
            company_target=1_000_000 * 1.08),
    Mistake("growth_150pct", "growth of 150%: possible, unusual", "warning",
            set_cells(set_cell("CompanyTarget", 2, "目标金额", "Target", None),
                      set_cell("CompanyTarget", 2, "增长率", "Growth over prior year", 1.5)),
            where=("CompanyTarget", 2, "growth"), says={"zh": ["不常见"], "en": ["unusual"]},
            company_target=2_500_000.0),
    Mistake("gate_80_for_80pct", "a plan gate typed as 80", "error", set_cell("Plans", 2, "门槛达成率", "Gate", 80),
            where=("Plans", 2, "gate"), says={"zh": ["是否应为 80%"], "en": ["did you mean 80%?"]}),
    Mistake("kpi_cap_120", "a KPI cap typed as 120", "error", set_cell("KPIs", 2, "封顶", "Cap", 120),
            where=("KPIs", 2, "cap"), says={"zh": ["是否应为 120%"], "en": ["did you mean 120%?"]}),
    Mistake("kpi_threshold_80", "a KPI threshold typed as 80", "error", set_cell("KPIs", 2, "门槛", "Threshold", 80),
            where=("KPIs", 2, "threshold"), says={"zh": ["是否应为 80%"], "en": ["did you mean 80%?"]}),
    Mistake("kpi_stretch_120", "a KPI stretch typed as 120", "error", set_cell("KPIs", 3, "挑战值", "Stretch", 120),
            where=("KPIs", 3, "stretch"), says={"zh": ["是否应为 120%"], "en": ["did you mean 120%?"]}),
    Mistake("kpi_weight_60", "a KPI weight typed as 60", "error", set_cell("KPIWeights", 2, "权重", "Weight", 60),
            where=("KPIWeights", 2, "weight"), says={"zh": ["是否应为 60%"], "en": ["did you mean 60%?"]}),
    Mistake("season_share_10", "a seasonality share typed as 10", "error",
            set_cell("Seasonality", 2, "占比", "Share", 10), where=("Seasonality", 2, "share"),
            says={"zh": ["是否应为 10%"], "en": ["did you mean 10%?"]}),
    Mistake("attainment_tier_100", "an attainment tier typed as 100 for 100%", "error",
            set_cells(set_cell("Plans", 2, "阶梯依据", "Tiers on", "配额达成率"),
                      set_cell("PlanTiers", 3, "下限", "Lower bound", 100)),
            where=("PlanTiers", 3, "lower_bound"), says={"zh": ["是否应为 100%"], "en": ["Did you mean 100%?"]}),
    # -- numbers and dates as people type them ----------------------------------------------------------------
    Mistake("amount_fullwidth", "an amount in full-width digits", "accepted",
            set_cell("Deals", 2, *AMOUNT, "６００００"), payable=PAYABLE_MARCH),
    Mistake("amount_wan", "an amount typed as 6万", "accepted", set_cell("Deals", 2, *AMOUNT, "6万"),
            payable=PAYABLE_MARCH),
    Mistake("amount_yuan_commas", "an amount typed as ¥60,000元", "accepted",
            set_cell("Deals", 2, *AMOUNT, "¥60,000"), payable=PAYABLE_MARCH),
    Mistake("amount_accounting_negative", "a deal typed as (10,000): an accounting negative", "accepted",
            set_cell("Deals", 3, *AMOUNT, "(10,000)"), payable={"S1": 60_000 * 0.05 - 10_000 * 0.05, "S2": 5000.0}),
    Mistake("amount_words", "an amount typed as words", "error", set_cell("Deals", 2, *AMOUNT, "sixty thousand"),
            where=("Deals", 2, "amount"), says={"zh": ["不是有效的金额"], "en": ["is not an amount"]}),
    Mistake("date_us_unambiguous", "a deal date typed as 3/13/2026", "accepted",
            set_cell("Deals", 2, *DATE, "3/13/2026"), payable=PAYABLE_MARCH),
    Mistake("date_day_first_unambiguous", "a deal date typed as 13/3/2026", "accepted",
            set_cell("Deals", 2, *DATE, "13/3/2026"), payable=PAYABLE_MARCH),
    Mistake("date_month_name", "a deal date typed as Mar 3, 2026", "accepted",
            set_cell("Deals", 2, *DATE, "Mar 3, 2026"), payable=PAYABLE_MARCH),
    Mistake("date_zh", "a deal date typed as 2026年3月3日", "accepted", set_cell("Deals", 2, *DATE, "2026年3月3日"),
            payable=PAYABLE_MARCH),
    Mistake("date_iso_time", "a deal date with a time, 2026-03-03T09:30:00", "accepted",
            set_cell("Deals", 2, *DATE, "2026-03-03T09:30:00"), payable=PAYABLE_MARCH),
    Mistake("date_ambiguous", "a deal date typed as 3/4/2026 (day and month could swap)", "warning",
            set_cell("Deals", 2, *DATE, "3/4/2026"), where=("Deals", 2, "date"),
            says={"zh": ["日在前", "2026-04-03"], "en": ["month first", "2026-03-04"]}),
    Mistake("date_nonsense", "a deal date typed as 31/31/2026", "error", set_cell("Deals", 2, *DATE, "31/31/2026"),
            where=("Deals", 2, "date"), says={"zh": ["不是有效的日期"], "en": ["is not a date"]}),
    Mistake("ahp_fraction", "an AHP judgement typed as the text 1/3 (K1 a third as important as K2)", "accepted",
            set_cells(add_rows("WeightMethods", [{("岗位级别", "Role"): {"zh": "销售代表", "en": "rep"},
                                                  ("方法", "Method"): {"zh": "层次分析法", "en": "ahp"}}]),
                      add_rows("AHPJudgements", [{("岗位级别", "Role"): {"zh": "销售代表", "en": "rep"},
                                                  ("指标A", "KPI A"): "K1", ("指标B", "KPI B"): "K2",
                                                  ("重要性", "Importance of A over B"): "1/3"}])),
            weight=("rep", "K1", 0.25)),
    # -- settings -----------------------------------------------------------------------------------------------
    Mistake("setting_choice_unknown", "target_freed typed as 'report'", "error", setting("target_freed", "report"),
            where=("Settings", None, None), says={"zh": ["可填", "重新分配"], "en": ["allowed: redistribute"]}),
    Mistake("setting_choice_zh_word", "scorecard_period typed as 季度 in either book", "accepted",
            setting("scorecard_period", "季度")),
    Mistake("setting_decay_25", "lead_linear_decay typed as 150%", "error", setting("lead_linear_decay", "150%"),
            where=("Settings", None, None), says={"zh": ["超出允许范围"], "en": ["outside the allowed range"]}),
    Mistake("setting_bonus_cap_200", "bonus_cap typed as 200 for 200% (the cell is not formatted as a percentage)",
            "error", setting("bonus_cap", 200),
            where=("Settings", None, None), says={"zh": ["是否应为 200%", "请输入 200%"],
                                                  "en": ["did you mean 200%?", "type it as 200%"]}),
    Mistake("date_order_dmy", "date_order set to mdy in a zh book, 3/4/2026 read as 4 March", "warning",
            set_cells(setting("date_order", "mdy"), set_cell("Deals", 2, *DATE, "3/4/2026")),
            where=("Deals", 2, "date"), says={"zh": ["月在前", "2026-03-04"], "en": ["month first", "2026-03-04"]},
            payable=PAYABLE_MARCH),
    # -- the engine's own findings ------------------------------------------------------------------------------
    Mistake("deal_rep_without_plan", "a deal for the manager, whom no plan covers", "warning",
            add_rows("Deals", [{("订单编号", "Deal ID"): "SO-7", DATE: D(2026, 3, 30),
                                ("销售代表编号", "Rep ID"): "M1", ("产品编号", "Product ID"): "P1", AMOUNT: 40_000}]),
            where=("PlanAssignments", None, None), says={"zh": ["M1", "不计提成"], "en": ["M1", "earn no commission"]},
            payable=PAYABLE_MARCH),
    Mistake("ahp_inconsistent", "AHP judgements that contradict each other (K1 > K2 > K3 but K3 > K1)", "warning",
            set_cells(add_rows("KPIs", [{("指标编号", "KPI ID"): "K3", ("指标名称", "KPI name"): "Calls"}]),
                      add_rows("KPIWeights", [{("岗位级别", "Role"): {"zh": "销售代表", "en": "rep"},
                                               ("指标编号", "KPI ID"): "K3", ("权重", "Weight"): 0}]),
                      add_rows("Actuals", [{("月份", "Month"): D(2026, 3, 1), ("销售代表编号", "Rep ID"): "S1",
                                            ("指标编号", "KPI ID"): "K3", ("实际值", "Actual"): 50,
                                            ("目标值", "Target"): 40}]),
                      add_rows("WeightMethods", [{("岗位级别", "Role"): {"zh": "销售代表", "en": "rep"},
                                                  ("方法", "Method"): {"zh": "层次分析法", "en": "ahp"}}]),
                      add_rows("AHPJudgements", [
                          {("岗位级别", "Role"): {"zh": "销售代表", "en": "rep"}, ("指标A", "KPI A"): a,
                           ("指标B", "KPI B"): b, ("重要性", "Importance of A over B"): v}
                          for a, b, v in (("K1", "K2", 9), ("K2", "K3", 9), ("K3", "K1", 9))])),
            where=("AHPJudgements", None, None), says={"zh": ["CR 6.130", "销售代表", "K1 与 K2"], "en": ["CR 6.130", "role rep", "K1 vs K2"]},
            scorecards=2),
    # -- bonus inputs, line minimums, draws and credit notes ---------------------------------------------------
    # S1's March scorecard: K1 130,000 / 100,000 capped at 120% x 60% = 72.0, K2 20 / 20 x 40% = 40.0 -> 112.0,
    # rating A (x1.5); S2: 60.0 + 25 / 20 capped at 120% x 40% = 48.0 -> 108.0, B (x1). Both 12,000 a year.
    Mistake("bonus_salary_times_pct", "S1's target bonus given as salary 120,000 x 10%, a company factor of 90%",
            "accepted",
            set_cells(set_cell("Reps", 3, "目标奖金", "Target bonus", None), set_cell("Reps", 3, "年薪", "Base salary", 120_000),
                      set_cell("Reps", 3, "目标奖金比例", "Target bonus %", "10%"),
                      add_rows("PerformanceFactors", [{("期间", "Period"): "2026Q1", ("系数", "Factor"): "90%"}])),
            bonus={"S1": 12_000 / 12 * 1.5 * 0.9, "S2": 12_000 / 12 * 1.0 * 0.9}, payable=PAYABLE_MARCH),
    Mistake("bonus_pct_15_for_15pct", "a target bonus % typed as 15", "error",
            set_cells(set_cell("Reps", 3, "年薪", "Base salary", 120_000),
                      set_cell("Reps", 3, "目标奖金比例", "Target bonus %", 15)),
            where=("Reps", 3, "target_bonus_pct"), says={"zh": ["是否应为 15%"], "en": ["did you mean 15%?"]}),
    Mistake("bonus_two_targets", "a target bonus of 12,000 beside salary 100,000 x 10% = 10,000", "error",
            set_cells(set_cell("Reps", 3, "年薪", "Base salary", 100_000),
                      set_cell("Reps", 3, "目标奖金比例", "Target bonus %", "10%")),
            where=("Reps", 3, "target_bonus"), says={"zh": ["两个目标", "10,000.00"], "en": ["two targets", "10,000.00"]}),
    Mistake("factor_95_for_95pct", "a company factor typed as 95", "error",
            add_rows("PerformanceFactors", [{("期间", "Period"): "2026Q1", ("系数", "Factor"): 95}]),
            where=("PerformanceFactors", 2, "factor"), says={"zh": ["是否应为 95%"], "en": ["did you mean 95%?"]}),
    Mistake("factor_period_words", "a factor period typed as 'first quarter'", "error",
            add_rows("PerformanceFactors", [{("期间", "Period"): "Q1", ("系数", "Factor"): "95%"}]),
            where=("PerformanceFactors", 2, "period"), says={"zh": ["2026Q1"], "en": ["2026Q1"]}),
    Mistake("line_minimum_above_cap", "a line minimum of 800 above a line cap of 500", "error",
            set_cells(set_cell("Plans", 2, "单笔封顶", "Line cap", 500), set_cell("Plans", 2, "单笔保底", "Line minimum", 800)),
            where=("Plans", 2, "min_line"), says={"zh": ["高于单笔封顶"], "en": ["above the line cap"]}),
    Mistake("recovery_period_0", "draws recovered from period 0", "error",
            set_cell("Plans", 2, "预支追回起始期", "Recover draws from period", 0),
            where=("Plans", 2, "recovery_from_period"), says={"zh": ["小于允许的最小值 1"], "en": ["smallest allowed value 1"]}),
    # S1: 130,000 - 30,000 = 100,000 -> 5,000.00 (the credit note takes back 30,000 at 8%)
    Mistake("credit_note_positive_with_type", "a credit note typed with a positive amount and its document type",
            "accepted",
            add_rows("Deals", [{("订单编号", "Deal ID"): "CN-1", DATE: D(2026, 3, 30), ("销售代表编号", "Rep ID"): "S1",
                                ("产品编号", "Product ID"): "P1", AMOUNT: 30_000,
                                ("单据类型", "Document type"): {"zh": "红字发票", "en": "credit note"}}]),
            payable={"S1": 5000.0, "S2": 5000.0}),
    Mistake("actuals_without_weights", "results typed for a manager whose role has no KPI weights", "warning",
            add_rows("Actuals", [{("月份", "Month"): D(2026, 3, 1), ("销售代表编号", "Rep ID"): "M1",
                                  ("指标编号", "KPI ID"): "K1", ("实际值", "Actual"): 1, ("目标值", "Target"): 1}]),
            where=("Reps", None, "role"), says={"zh": ["没有权重"], "en": ["no KPI weights"]}, scorecards=2),
]
