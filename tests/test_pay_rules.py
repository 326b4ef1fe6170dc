"""Bonus factors, draw recovery start, line minimums and credit notes, end to end: a workbook filled as a finance
manager would, computed by `salesbook run`, read back from its Out_ sheets in zh and en.

The book, and what it must compute, worked out by hand:

Bonus (quarterly scorecards, Settings bonus_kpi_factor = score with an 80% threshold; one KPI, Sales, 100%):
- A: base salary 300,000 at a 15% target bonus; Q1 sales 100 + 110 + 114 = 324 against 300 -> total 108.0;
  company factor 2026Q1 95%: 300,000 x 15% x 3/12 x 1.08 x 0.95 = 45,000 / 4 = 11,250 x 1.08 = 12,150
  x 0.95 = 11,542.50.
- B: target bonus 60,000; Q1 390 / 300 -> 130.0; region R2's 2026 factor 110%:
  60,000 x 3/12 x 1.3 x 0.95 x 1.10 = 15,000 x 1.3 = 19,500 x 0.95 = 18,525 x 1.1 = 20,377.50.
- C: target bonus 24,000; Q1 225 / 300 -> 75.0, below the 80 threshold: 0.00.

Commissions (monthly; plan PL1: 5% up to 100,000, 8% above, at least 50 a line):
- A, March: D1 60,000 -> 3,000; D2 70,000 -> 40,000 x 5% + 30,000 x 8% = 4,400; credit note CN1 -40,000 takes
  130,000 back to 90,000 -> -(30,000 x 8% + 10,000 x 5%) = -2,900; D3 500 x 5% = 25 -> raised to 50.
  March: 3,000 + 4,400 - 2,900 + 50 = 4,550.00.
- A, April: CN2, typed 10,000 with Document type credit note, counts -10,000 from 0 -> -500.00.
Draw (plan PLN: 10%, draw 2,000 a month, recoverable from the third month of employment; N hired 12 January):
- Jan 5,000 -> 500, draw prorated 2,000 x 20/31 = 1,290.32, payable 1,290.32 (a guarantee, 790.32 not owed);
- Feb 30,000 -> 3,000, nothing recovered: 3,000.00; Mar 10,000 -> 1,000, topped up to 2,000.00 (recoverable);
- Apr 40,000 -> 4,000, 1,000 recovered: 3,000.00.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from bookkit import by_lang, computed_book, out_sheet, salesbook_cli

from salesbook import cli
from salesbook.book.template import write_book

D = dt.date
ROLE = {"zh": "销售代表", "en": "rep"}


def tables(lang: str) -> dict[str, pd.DataFrame]:
    zh = lang == "zh"
    reps = ["A", "B", "C", "N"]
    return {
        "Settings": pd.DataFrame({
            "key": ["language", "company_name", "fiscal_year", "as_of_date", "scorecard_period", "bonus_kpi_factor",
                    "bonus_score_threshold"],
            "value": [lang, "Acme", 2026, D(2026, 6, 30), "季度" if zh else "quarter", "按总分" if zh else "score",
                      "80%"]}),
        "Products": pd.DataFrame({"product_id": ["P1"], "name": ["Widget"], "product_line": ["HW"]}),
        "Regions": pd.DataFrame({"region_id": ["R1", "R2"], "name": ["East", "West"]}),
        "Reps": pd.DataFrame({
            "rep_id": reps, "name": ["Ann", "Bob", "Cid", "Ned"], "region_id": ["R1", "R2", "R1", "R1"],
            "role": [ROLE[lang]] * 4, "hire_date": [D(2020, 1, 1)] * 3 + [D(2026, 1, 12)],
            "target_bonus": [None, 60_000.0, 24_000.0, None], "salary": [300_000.0, None, None, None],
            "target_bonus_pct": ["15%", None, None, None]}),
        "KPIs": pd.DataFrame({"kpi_id": ["K1"], "name": ["销售额" if zh else "Sales"], "method": ["linear"],
                              "cap": [1.5]}),
        "KPIWeights": pd.DataFrame({"role": [ROLE[lang]], "kpi_id": ["K1"], "weight": [1.0]}),
        "Actuals": pd.DataFrame({
            "period": [D(2026, m, 1) for _ in range(3) for m in (1, 2, 3)],
            "rep_id": [r for r in reps[:3] for _ in range(3)], "kpi_id": ["K1"] * 9,
            "actual": [100.0, 110.0, 114.0, 130.0, 130.0, 130.0, 70.0, 80.0, 75.0], "target": [100.0] * 9}),
        "RatingBands": pd.DataFrame({"rating": ["A", "B", "C"], "min_score": [120.0, 100.0, 0.0],
                                     "multiplier": [1.5, 1.0, 0.5]}),
        "PerformanceFactors": pd.DataFrame({
            "scope": ["公司", "区域"] if zh else ["company", "region"], "unit": [None, "R2"],
            "period": ["2026Q1", "2026"], "factor": ["95%", "110%"],
            "note": ["收入完成计划 95%", "西区利润完成 110%"] if zh else ["revenue 95% of plan", "West profit 110%"]}),
        "Plans": pd.DataFrame({
            "plan_id": ["PL1", "PLN"], "name": ["Standard", "New hire"], "tier_method": ["marginal"] * 2,
            "min_line": [50.0, None], "draw_amount": [None, 2_000.0],
            "draw_type": [None, "可追回" if zh else "recoverable"], "recovery_from_period": [None, 3]}),
        "PlanTiers": pd.DataFrame({"plan_id": ["PL1", "PL1", "PLN"], "lower_bound": [0.0, 100_000.0, 0.0],
                                   "rate": [0.05, 0.08, 0.10]}),
        "PlanAssignments": pd.DataFrame({"rep_id": ["A", "N"], "plan_id": ["PL1", "PLN"],
                                         "start_date": [D(2026, 1, 1)] * 2}),
        "Deals": pd.DataFrame({
            "deal_id": ["D1", "D2", "CN1", "D3", "CN2", "N1", "N2", "N3", "N4"],
            "date": [D(2026, 3, 3), D(2026, 3, 9), D(2026, 3, 25), D(2026, 3, 28), D(2026, 4, 2),
                     D(2026, 1, 20), D(2026, 2, 10), D(2026, 3, 10), D(2026, 4, 10)],
            "rep_id": ["A"] * 5 + ["N"] * 4, "product_id": ["P1"] * 9,
            "amount": [60_000.0, 70_000.0, -40_000.0, 500.0, 10_000.0, 5_000.0, 30_000.0, 10_000.0, 40_000.0],
            "doc_type": [None, None, None, None, "贷项通知单" if zh else "credit_note", None, None, None, None]}),
    }


sb, _sheet, _h = salesbook_cli, out_sheet, by_lang


@pytest.fixture(scope="module", params=["zh", "en"])
def computed(request, tmp_path_factory):
    lang = request.param
    out, r = computed_book(tmp_path_factory.mktemp(f"payrules_{lang}"), "payrules", lang, tables(lang))
    return lang, out, r


def test_the_run_is_clean(computed):
    _lang, out, r = computed
    assert "Out_Warnings" not in openpyxl.load_workbook(out, read_only=True).sheetnames or \
        _sheet(out, "Out_Warnings").empty, r.stdout


def test_bonus_rows_show_every_factor(computed):
    lang, out, _ = computed
    sc = _sheet(out, "Out_Scorecards")
    rep, bonus, formula = _h(lang, "销售代表编号", "Rep ID"), _h(lang, "奖金", "Bonus"), _h(lang, "奖金算式", "Bonus formula")
    by_rep = sc.drop_duplicates(rep).set_index(rep)
    assert by_rep[bonus].to_dict() == {"A": 11_542.50, "B": 20_377.50, "C": 0.0}
    company, unit = _h(lang, "公司系数", "Company factor"), _h(lang, "业务单元系数", "Business-unit factor")
    assert by_rep.loc["B", [company, unit]].tolist() == [0.95, 1.1]
    if lang == "zh":
        assert by_rep.loc["A", formula] == ("奖金 = 300,000.00（年薪） × 15%（目标奖金比例） × 3/12（季度） × 1.08（考核总分 "
                                            "108.0） × 0.95（公司系数 2026Q1） = 11,542.50")
        assert by_rep.loc["B", formula] == ("奖金 = 60,000.00（目标奖金） × 3/12（季度） × 1.3（考核总分 130.0） × 0.95（公司"
                                            "系数 2026Q1） × 1.1（区域 R2 系数 2026） = 20,377.50")
        assert "× 0（考核总分 75.0，低于门槛 80.0）" in by_rep.loc["C", formula]
    else:
        assert by_rep.loc["A", formula] == ("bonus = 300,000.00 (salary) × 15% (target bonus) × 3/12 (quarter) × 1.08 "
                                            "(KPI total 108.0) × 0.95 (company factor 2026Q1) = 11,542.50")
        assert by_rep.loc["B", formula] == ("bonus = 60,000.00 (target bonus) × 3/12 (quarter) × 1.3 (KPI total 130.0) "
                                            "× 0.95 (company factor 2026Q1) × 1.1 (region R2 factor 2026) = 20,377.50")
        assert "× 0 (KPI total 75.0, below the threshold 80.0)" in by_rep.loc["C", formula]
    explanation = _h(lang, "说明", "Explanation")
    assert by_rep.loc["A", formula] in by_rep.loc["A", explanation]
    # the quarter's review reads the same formula; the year's sums the quarters it paid
    pc = _sheet(out, "Out_PeriodScorecards")
    kind, period = _h(lang, "期间类型", "Period kind"), _h(lang, "期间", "Period")
    year = pc[(pc[kind] == "year") & (pc[rep] == "A")].iloc[0]
    assert year[bonus] == 11_542.50
    assert year[formula] == _h(lang, "奖金 = 2026Q1 11,542.50 = 11,542.50", "bonus = 2026Q1 11,542.50 = 11,542.50")
    q1 = pc[(pc[kind] == "quarter") & (pc[period] == "2026Q1") & (pc[rep] == "A")].iloc[0]
    assert q1[formula] == by_rep.loc["A", formula]


def test_commission_lines_name_the_credit_notes_and_the_line_minimum(computed):
    lang, out, _ = computed
    lines = _sheet(out, "Out_Commissions")
    deal, amount, expl = _h(lang, "订单编号", "Deal ID"), _h(lang, "金额", "Amount"), _h(lang, "说明", "Explanation")
    a = lines[lines[_h(lang, "销售代表编号", "Rep ID")] == "A"].set_index(deal)
    assert a[amount].to_dict() == {"D1": 3_000.00, "D2": 4_400.00, "CN1": -2_900.00, "D3": 50.00, "CN2": -500.00}
    assert a.loc["CN1", _h(lang, "计提基数", "Base")] == -40_000.00
    assert a.loc["CN2", _h(lang, "计提基数", "Base")] == -10_000.00   # typed 10,000 with Document type credit note
    if lang == "zh":
        assert a.loc["CN1", expl] == ("贷项通知单（红字）：累计业绩在 100,000.00 处由第 2 档回落至第 1 档，各段按各自费率"
                                      "冲减（第 1 档 5% + 第 2 档 8%）")
        assert a.loc["CN2", expl] == "贷项通知单（红字）：超额累进，按第 1 档（0.00 至 100,000.00）费率 5% 冲减"
        assert a.loc["D3", expl] == "超额累进：第 1 档（0.00 至 100,000.00），费率 5%；不足单笔保底，补足至 50.00"
    else:
        assert a.loc["CN1", expl] == ("credit note: takes the running total back across 100,000.00 "
                                      "from tier 2 into tier 1; each slice reversed at its own rate (tier 1 5% + tier 2 "
                                      "8%)")
        assert a.loc["CN2", expl] == ("credit note: marginal, reversed in tier 1 (0.00 to "
                                      "100,000.00) at 5%")
        assert a.loc["D3", expl] == ("marginal: tier 1 (0.00 to 100,000.00) at 5%; raised to the 50.00 minimum per "
                                     "line")


def test_statements_pay_the_guarantee_then_recover_from_the_third_month(computed):
    lang, out, _ = computed
    st = _sheet(out, "Out_Statements")
    rep, period, payable = _h(lang, "销售代表编号", "Rep ID"), _h(lang, "期间", "Period"), _h(lang, "应付", "Payable")
    by = st.set_index([rep, period])
    assert by.loc["A", payable].to_dict() == {"2026-03": 4_550.00, "2026-04": -500.00}
    n = by.loc["N"]
    assert n[payable].tolist() == [1_290.32, 3_000.00, 2_000.00, 3_000.00]
    assert n[_h(lang, "预支补足", "Draw paid")].tolist() == [790.32, 0.0, 1_000.00, 0.0]
    assert n[_h(lang, "预支冲回", "Draw recovered")].tolist() == [0.0, 0.0, 0.0, -1_000.00]
    lines = _sheet(out, "Out_Commissions")
    draw = lines[(lines[rep] == "N") & (lines[_h(lang, "项目", "Component")] == _h(lang, "预支补足", "draw"))]
    first = draw[_h(lang, "说明", "Explanation")].iloc[0]
    assert first == _h(lang, "预支：本期收入 500.00 补足至保底 1,290.32（保底期：入职第 1 期，预支自第 3 期起才追回，本期预支不追回）",
                       "draw: earnings 500.00 topped up to the 1,290.32 guarantee (guarantee: period 1 since hire, "
                       "draws are recovered from period 3 on, so this one is not recovered)")


def test_the_instructions_say_how_to_enter_each_rule(computed):
    lang, out, _ = computed
    ws = openpyxl.load_workbook(out, read_only=True)[_h(lang, "说明", "Instructions")]
    text = "\n".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)
    for said in (_h(lang, "贷项通知单（红字发票", "A credit note (a partial refund"),
                 _h(lang, "目标奖金 = 年薪 × 比例", "the target is then salary x %"),
                 _h(lang, "单笔保底", "Line minimum"), _h(lang, "预支追回起始期", "Recover draws from period"),
                 _h(lang, "业绩系数", "PerformanceFactors"), "bonus_score_threshold", "bonus_cap"):
        assert said in text


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bad_bonus_inputs_are_located_in_the_books_language(tmp_path, capsys, lang):
    t = tables(lang)
    t["PerformanceFactors"]["factor"] = [95, "110%"]                    # 95 for 95%
    t["Reps"].loc[0, "target_bonus"] = 40_000.0                          # disagrees with 300,000 x 15%
    book = write_book(tmp_path / "bad.xlsx", lang, t)
    before = _digest(book)
    code = cli.main(["run", str(book), "--out", str(tmp_path / "out.xlsx"), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and not (tmp_path / "out.xlsx").exists() and _digest(book) == before
    if lang == "zh":
        assert "工作表“业绩系数”，第 2 行，列“系数 (D)”：9500% 超过了可能的最大值 300%：是否应为 95%？" in err
    else:
        assert "sheet 'PerformanceFactors', row 2, column 'Factor (D)': 9500% is more than the largest possible 300%: " \
               "did you mean 95%?" in err
    # once the factor is fixed, the two targets of rep A are the problem, on its Target bonus cell
    t["PerformanceFactors"]["factor"] = [0.95, "110%"]
    book = write_book(tmp_path / "bad2.xlsx", lang, t)
    code = cli.main(["run", str(book), "--out", str(tmp_path / "out.xlsx"), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and not (tmp_path / "out.xlsx").exists()
    if lang == "zh":
        assert ("工作表“销售代表”，第 2 行，列“目标奖金 (L)”：销售代表 A：目标奖金 40,000.00 与年薪 300,000.00 × 目标奖金比例 "
                "15% = 45,000.00 不一致") in err
    else:
        assert ("sheet 'Reps', row 2, column 'Target bonus (L)': rep A: target bonus 40,000.00 differs from base salary "
                "300,000.00 x target bonus % 15% = 45,000.00") in err
