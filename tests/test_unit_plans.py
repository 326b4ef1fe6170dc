"""Commission plans that pay on units, end to end: a workbook filled as a finance manager would, computed by
`salesbook run`, read back from its Out_ sheets in zh and en, checked against the ECMA-376 schemas, and the rep
review of a per-unit rep read from its PDF.

The book, and what it must compute, worked out by hand (the plans are illustrative):
- Plan U pays per unit, marginal: units 1-100 of the month at 50.00, every unit above at 75.00.
  A, March: D1 80 units -> 80 x 50.00 = 4,000.00; D2 70 units, from 80 to 150 -> 20 x 50.00 + 50 x 75.00 = 4,750.00;
  CN1, a credit note typed as 3,000 with Document type credit note, 30 units back from 150 to 120, all in the
  75.00 tier -> -30 x 75.00 = -2,250.00. March: 4,000 + 4,750 - 2,250 = 6,500.00 for 120 units.
- Plan W pays per unit on attainment of a 200-unit quota, whole tier: 40.00 a unit below 100%, 60.00 for every
  unit once 100% is reached; gate 50%.
  B, March: E1 90 units = 45% < 50%: 90 x 40.00 = 3,600.00 taken back by the gate -> 0.00.
  B, April: E2 250 units = 125%: 250 x 60.00 = 15,000.00.
- Plan MGR pays manager M 2% of each direct report's credited money: March A 12,000 x 2% = 240.00 and B
  9,000 x 2% = 180.00 (420.00); April B 25,000 x 2% = 500.00.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from bookkit import by_lang, computed_book, out_sheet, salesbook_cli

from salesbook import cli
from salesbook.book.template import write_book

sys.path.insert(0, str(Path(__file__).resolve().parent / "fidelity"))
import fidelity_check as fc

D = dt.date


def tables(lang: str) -> dict[str, pd.DataFrame]:
    zh = lang == "zh"

    def w(zh_word: str, en_word: str) -> str:   # a coded value as the book's drop-down offers it
        return zh_word if zh else en_word

    return {
        "Settings": pd.DataFrame({"key": ["language", "company_name", "fiscal_year", "as_of_date"],
                                  "value": [lang, "Acme", 2026, D(2026, 6, 30)]}),
        "Products": pd.DataFrame({"product_id": ["P1"], "name": ["Widget"], "product_line": ["HW"],
                                  "unit_price": [100.0]}),
        "Regions": pd.DataFrame({"region_id": ["R1"], "name": ["East"], "manager_id": ["M"]}),
        "Reps": pd.DataFrame({"rep_id": ["A", "B", "M"], "name": ["Ann", "Bob", "Meg"], "region_id": ["R1"] * 3,
                              "role": [w("销售代表", "rep")] * 2 + [w("销售经理", "manager")],
                              "manager_id": ["M", "M", None], "hire_date": [D(2020, 1, 1)] * 3}),
        "Plans": pd.DataFrame({
            "plan_id": ["U", "W", "MGR"], "name": ["Per unit", "Per unit on quota", "Manager"],
            "commission_base": [w("数量", "quantity"), w("数量", "quantity"), w("金额", "amount")],
            "tier_method": [w("超额累进", "marginal"), w("全额累进", "whole"), w("超额累进", "marginal")],
            "measure": [None, w("配额达成率", "attainment"), None], "gate": [None, "50%", None],
            "override_rate": [None, None, "2%"]}),
        "PlanTiers": pd.DataFrame({"plan_id": ["U", "U", "W", "W", "MGR"],
                                   "lower_bound": [0.0, 100.0, 0.0, 1.0, 0.0],
                                   "rate": [None, None, None, None, 0.0],
                                   "per_unit": [50.0, 75.0, 40.0, 60.0, None]}),
        "PlanAssignments": pd.DataFrame({"rep_id": ["A", "B", "M"], "plan_id": ["U", "W", "MGR"],
                                         "start_date": [D(2026, 1, 1)] * 3, "quota_quantity": [None, 200.0, None]}),
        "Deals": pd.DataFrame({
            "deal_id": ["D1", "D2", "CN1", "E1", "E2"],
            "date": [D(2026, 3, 5), D(2026, 3, 20), D(2026, 3, 25), D(2026, 3, 10), D(2026, 4, 10)],
            "rep_id": ["A", "A", "A", "B", "B"], "product_id": ["P1"] * 5,
            "quantity": [80.0, 70.0, 30.0, 90.0, 250.0], "amount": [8_000.0, 7_000.0, 3_000.0, 9_000.0, 25_000.0],
            "doc_type": [None, None, w("贷项通知单", "credit_note"), None, None]}),
    }


sb, _sheet, _h = salesbook_cli, out_sheet, by_lang


@pytest.fixture(scope="module", params=["zh", "en"])
def computed(request, tmp_path_factory):
    lang = request.param
    out, r = computed_book(tmp_path_factory.mktemp(f"units_{lang}"), "units", lang, tables(lang))
    return lang, out, r


def test_the_run_is_clean_and_the_book_valid(computed):
    _lang, out, r = computed
    assert _sheet(out, "Out_Warnings").empty, r.stdout
    pkg = fc.Package(out)
    assert fc.xsd_errors(pkg) == []
    for rule in ("table_columns", "styles_consistent", "rows_and_cells_ordered"):
        assert fc.RULES[rule](pkg) == [], rule


@pytest.mark.libreoffice
def test_libreoffice_reads_back_every_cell(computed, soffice, tmp_path):
    _lang, out, _ = computed
    theirs = soffice(out, "xlsx", tmp_path / "lo")
    ours_cells, their_cells = fc.cell_grid(out), fc.cell_grid(theirs)
    assert fc.cell_differences(ours_cells, their_cells) == []
    assert len(ours_cells["Out_Commissions"]) > 1


def test_commission_lines_say_units_and_their_arithmetic(computed):
    lang, out, _ = computed
    lines = _sheet(out, "Out_Commissions")
    deal, rep = _h(lang, "订单编号", "Deal ID"), _h(lang, "销售代表编号", "Rep ID")
    qty, per_unit, rate = _h(lang, "数量", "Quantity"), _h(lang, "每单位提成", "Per unit"), _h(lang, "费率", "Rate")
    amount, expl = _h(lang, "金额", "Amount"), _h(lang, "说明", "Explanation")
    a = lines[lines[rep] == "A"].set_index(deal)
    assert a[amount].to_dict() == {"D1": 80 * 50.00, "D2": 20 * 50.00 + 50 * 75.00, "CN1": -30 * 75.00}
    assert a[qty].to_dict() == {"D1": 80, "D2": 70, "CN1": -30}
    assert a.loc["D1", per_unit] == 50.00 and a.loc["D2", per_unit] == pytest.approx(4_750 / 70)
    assert a[rate].isna().all()
    b = lines[(lines[rep] == "B") & lines[deal].notna()].set_index(deal)
    assert b[amount].to_dict() == {"E1": 90 * 40.00, "E2": 250 * 60.00}
    if lang == "zh":
        assert a.loc["D2", expl] == ("超额累进：在 100 单位处由第 1 档跨入第 2 档，各段按各自档位计算；"
                                     "20 单位 × 50.00 + 50 单位 × 75.00 = 4,750.00")
        assert a.loc["CN1", expl] == ("贷项通知单（红字）：超额累进，按第 2 档（100 单位及以上）每单位 75.00 冲减；"
                                      "-30 单位 × 75.00 = -2,250.00")
        assert b.loc["E2", expl] == ("全额累进：本期累计达到第 2 档，本期全部业绩改按 每单位 60.00 计提；本行含此前订单的补差；"
                                     "250 单位 × 60.00 = 15,000.00")
    else:
        assert a.loc["D2", expl] == ("marginal: crosses from tier 1 into tier 2 at 100 units, each slice at its own "
                                     "tier's rate; 20 units × 50.00 + 50 units × 75.00 = 4,750.00")
        assert a.loc["CN1", expl] == ("credit note: marginal, reversed in tier 2 (100 units and above) at 75.00 per "
                                      "unit; -30 units × 75.00 = -2,250.00")
        assert b.loc["E2", expl] == ("whole-tier: the period total reaches tier 2, so everything credited this period "
                                     "moves to 60.00 per unit; this line includes the uplift on earlier deals; "
                                     "250 units × 60.00 = 15,000.00")
    gate = lines[(lines[rep] == "B") & lines[deal].isna()]
    assert gate[amount].tolist() == [-(90 * 40.00)]
    m = lines[lines[rep] == "M"]
    assert sorted(m[amount]) == [9_000 * 0.02, (8_000 + 7_000 - 3_000) * 0.02, 25_000 * 0.02]   # B, A in March; B
    assert m[qty].isna().all()


def test_statements_count_units_against_the_unit_quota(computed):
    lang, out, _ = computed
    st = _sheet(out, "Out_Statements")
    by = st.set_index([_h(lang, "销售代表编号", "Rep ID"), _h(lang, "期间", "Period")])
    quota_q, credited_q = _h(lang, "数量配额", "Unit quota"), _h(lang, "计入数量", "Credited units")
    att, payable, expl = _h(lang, "达成率", "Attainment"), _h(lang, "应付", "Payable"), _h(lang, "说明", "Explanation")
    assert by.loc[("A", "2026-03"), payable] == 4_000.00 + 4_750.00 - 2_250.00
    assert by.loc[("A", "2026-03"), credited_q] == 80 + 70 - 30
    assert by.loc[("A", "2026-03"), _h(lang, "业绩", "Credited")] == 8_000 + 7_000 - 3_000
    b_mar, b_apr = by.loc[("B", "2026-03")], by.loc[("B", "2026-04")]
    assert (b_mar[quota_q], b_mar[credited_q], b_mar[att], b_mar[payable]) == (200, 90, 90 / 200, 0.00)
    assert (b_apr[att], b_apr[payable]) == (250 / 200, 250 * 60.00)
    assert b_mar[_h(lang, "门槛调整", "Gate adjustment")] == -(90 * 40.00)
    if lang == "zh":
        assert by.loc[("A", "2026-03"), expl] == "计入 120 单位；提成 6,500.00 = 应付 6,500.00"
        assert b_apr[expl] == "计入 250 单位，数量配额 200 单位（达成 125%）；提成 15,000.00 = 应付 15,000.00"
    else:
        assert by.loc[("A", "2026-03"), expl] == "credited 120 units; earned 6,500.00 = payable 6,500.00"
        assert b_apr[expl] == ("credited 250 units of a quota of 200 units (125%); earned 15,000.00 = payable "
                               "15,000.00")
    assert by.loc[("M", "2026-03"), payable] == (12_000 + 9_000) * 0.02


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_blank_quantity_on_a_per_unit_plan_is_refused_at_its_cell(tmp_path, capsys, lang):
    t = tables(lang)
    t["Deals"].loc[1, "quantity"] = None            # D2, on row 3 of the Deals sheet
    t["PlanTiers"].loc[0, "rate"] = 0.05            # a rate typed on a per-unit tier
    book = write_book(tmp_path / "bad.xlsx", lang, t)
    before = _digest(book)
    code = cli.main(["run", str(book), "--out", str(tmp_path / "out.xlsx"), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and not (tmp_path / "out.xlsx").exists() and _digest(book) == before
    if lang == "zh":
        assert "工作表“提成阶梯”，第 2 行，列“提成比例 (C)”：方案 U 按数量计提（提成基数 = 数量）：其阶梯不使用提成比例" in err
    else:
        assert ("sheet 'PlanTiers', row 2, column 'Rate (C)': plan U pays on quantity (Commission base = quantity): "
                "Rate is not used on its tiers") in err
    t["PlanTiers"].loc[0, "rate"] = None            # once the tiers are right, the deal is the problem
    book = write_book(tmp_path / "bad2.xlsx", lang, t)
    code = cli.main(["run", str(book), "--out", str(tmp_path / "out.xlsx"), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and not (tmp_path / "out.xlsx").exists()
    if lang == "zh":
        assert ("工作表“成交”，第 3 行，列“数量 (F)”：订单 D2 计入销售代表 A 的方案 U，该方案按数量计提，需要填写数量；"
                "留空不会按 0 计。") in err
    else:
        assert ("sheet 'Deals', row 3, column 'Quantity (F)': deal D2 is credited to rep A on plan U, which pays per "
                "unit, so it needs a Quantity; a blank is not read as 0 units.") in err


def test_odd_per_unit_values_are_warned_of(tmp_path):
    t = tables("en")
    t["PlanTiers"].loc[0, "per_unit"] = 0.05        # a rate typed as money per unit
    t["PlanTiers"].loc[1, "per_unit"] = 120.0       # more than the product's unit price of 100
    t["PlanAssignments"].loc[2, "quota_quantity"] = 10.0   # a unit quota on the manager's amount plan
    book = write_book(tmp_path / "odd.xlsx", "en", t)
    r = sb("validate", str(book))
    assert r.returncode == 0, r.stderr
    said = r.stdout + r.stderr
    assert "row 2, column 'Per unit (D)': plan U pays 0.05 per unit, less than 1: if 0.05 is a rate" in said
    assert "row 3, column 'Per unit (D)': plan U pays 120.00 per unit, at least the highest unit price of any " \
           "product (100.00)" in said
    assert "row 4, column 'Unit quota (F)': plan MGR pays on amounts, so this Unit quota is only shown" in said


def test_the_rep_review_shows_units_as_units(computed, tmp_path):
    pytest.importorskip("weasyprint")
    lang, out, _ = computed
    folder = tmp_path / "reviews"
    r = sb("report", str(out), "--out", str(folder), "--per", "rep", "--format", "pdf", "--period", "2026",
           "--creation-date", "2026-07-01", "--workers", "1")
    assert r.returncode == 0, r.stderr
    (pdf,) = [p for p in folder.rglob("*.pdf") if "_B_" in p.name or p.name.split("_")[1] == "B"]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    head = _h(lang, "数量配额", "Unit quota")
    assert head in text and _h(lang, "计入数量", "Credited units") in text
    row = next(line for line in text.splitlines() if "250" in line and "125" in line)
    assert "¥250" not in row and "250.00" not in row        # units are counted, not money
    assert "¥15,000.00" in row                               # the April commission is money
