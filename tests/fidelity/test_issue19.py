"""Issue #19, point by point: each test failed before the fix."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from pathlib import Path

import fidelity_check as fc
import openpyxl
import pandas as pd
import pytest
import python_calamine as pc
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.worksheet.datavalidation import DataValidation

from salesbook.book.save import write_outputs
from salesbook.errors import InputError
from salesbook.schemas import REGISTRY

ROOT = Path(__file__).resolve().parents[2]


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


# 1. no text becomes a formula -------------------------------------------------------------------
@pytest.mark.parametrize("name", ["salesbook_zh.xlsx", "salesbook_en.xlsx", "salesbook_en.xlsm"])
def test_the_templates_hold_no_formula_and_the_operator_list_is_text(name):
    path = ROOT / "workbook_templates" / name
    parts = _parts(path)
    assert not any(b"<f>" in d or b"<f " in d for n, d in parts.items() if n.startswith("xl/worksheets/"))
    texts = [v for row in pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python() for v in row]
    lang = "zh" if "zh" in name else "en"
    written = [c.doc_zh if lang == "zh" else c.doc_en for t in REGISTRY.values() for c in t.columns]
    written += [c.allowed(lang) for t in REGISTRY.values() for c in t.columns if c.choices]
    formula_like = [d for d in written if d.startswith("=")]
    assert all(d in texts for d in formula_like)  # read back as the text it is
    if lang == "en":
        assert formula_like, "the lead-rule operator list starts with '='"
    else:  # the zh instructions list the operators by the zh drop-down's words
        assert REGISTRY["ScoringRules"].column("operator").allowed("zh") in texts


# 2. --in-place keeps or refuses everything on the sheets it replaces ------------------------------
OUT = {"Out_Problems": pd.DataFrame({"sheet": ["Deals"], "row": [3], "column": ["amount"], "message": ["x"]})}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def computed(make_book, base_sheets, tmp_path) -> Path:
    return write_outputs(make_book(base_sheets), OUT, tmp_path / "computed.xlsx").path


def _add_on_out_sheet(path: Path, what: str) -> Path:
    """What a user adds to an Out_ sheet in a spreadsheet application (here openpyxl saves the book)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Out_Problems"]
    if what == "chart":
        chart = BarChart()
        chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=2), titles_from_data=True)
        ws.add_chart(chart, "F2")
    elif what == "validation":
        dv = DataValidation(type="list", formula1='"a,b"')
        dv.add("F2:F9")
        ws.add_data_validation(dv)
    elif what == "conditional format":
        ws.conditional_formatting.add("B2:B9", CellIsRule(operator="greaterThan", formula=["1"]))
    elif what == "print settings":
        ws.page_setup.orientation = "landscape"
        ws.print_title_rows = "1:1"
        ws.sheet_properties.tabColor = "FF0000"
    wb.save(path)
    return path


@pytest.mark.parametrize(("what", "lost"), [("chart", "charts on sheet Out_Problems (1 -> 0)"),
                                            ("validation", "data validations on sheet Out_Problems (1 -> 0)"),
                                            ("conditional format", "conditional formats on sheet Out_Problems (1 -> 0)")])
def test_in_place_refuses_to_drop_what_a_user_put_on_an_out_sheet(computed, what, lost):
    book = _add_on_out_sheet(computed, what)
    before = _digest(book)
    with pytest.raises(InputError) as info:
        write_outputs(book, OUT, in_place=True)
    assert lost in info.value.render("en")
    assert "工作表“Out_Problems”上的" in info.value.render("zh")
    assert _digest(book) == before


def test_a_new_copy_lists_what_it_could_not_carry_and_leaves_no_orphan_part(computed, tmp_path):
    book = _add_on_out_sheet(computed, "chart")
    report = write_outputs(book, OUT, tmp_path / "again.xlsx")
    assert "charts on sheet Out_Problems (1 -> 0)" in report.not_carried
    assert fc.rule_package_complete(fc.Package(report.path)) == []
    assert not [n for n in _parts(report.path) if n.startswith(("xl/charts/", "xl/drawings/"))]


def test_print_settings_tab_colour_and_print_titles_of_an_out_sheet_are_kept(computed):
    book = _add_on_out_sheet(computed, "print settings")
    report = write_outputs(book, OUT, in_place=True)
    assert report.not_carried == []
    ws = openpyxl.load_workbook(book)["Out_Problems"]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
    assert ws.sheet_properties.tabColor.rgb == "00FF0000"
    assert fc.xsd_errors(fc.Package(book)) == [] if _has_lxml() else True


def _has_lxml() -> bool:
    import importlib.util

    return importlib.util.find_spec("lxml") is not None


# 3. any valid workbook runs: see conftest KINDS run_* (openpyxl with/without lxml, LibreOffice,
# xlsxwriter, prefixed element names), built by an in-place run in every schema and rule test.
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["run_openpyxl_lxml", "run_openpyxl_etree", "run_libreoffice", "run_xlsxwriter",
                                  "run_prefixed"])
def test_books_from_other_writers_run_in_place(books, kind):
    wb = pc.CalamineWorkbook.from_path(str(books(kind)))
    assert {"Out_Targets", "Out_LeadScores", "Out_Scorecards"} <= set(wb.sheet_names)
    assert len(wb.get_sheet_by_name("Out_Targets").to_python()) > 1


# 4. styles reused, one tab, and the cell-level details ---------------------------------------------
@pytest.mark.slow
def test_style_parts_are_identical_after_the_first_and_the_tenth_in_place_run(books):
    one, ten = fc.Package(books("in_place_1")), fc.Package(books("in_place_10"))
    styles = next(t for _, ty, t in one.rels(one.workbook_part) if ty.endswith("/styles"))
    assert one.parts[styles] == ten.parts[styles]
    demo = fc.Package(books("demo"))
    grown = len(one.parts[styles]) - len(demo.parts[styles])
    assert grown < 3000  # the first run adds its few formats once (the dashboard's fonts and formats included)


def test_a_run_on_an_out_sheet_that_was_active_selects_only_it(computed):
    parts = _parts(computed)
    wb = parts["xl/workbook.xml"].replace(b"<workbookView ", b'<workbookView activeTab="5" ')
    with zipfile.ZipFile(computed, "w") as zf:
        for n, d in parts.items():
            zf.writestr(n, wb if n == "xl/workbook.xml" else d)
    write_outputs(computed, OUT, in_place=True)
    pkg = fc.Package(computed)
    assert fc.rule_one_selected_tab(pkg) == []
    assert pkg.sheets[5][0] == "Out_Problems"
    assert b'tabSelected="1"' in pkg.parts[pkg.sheets[5][1]]


def _grafted(make_book, base_sheets, tmp_path, frame: pd.DataFrame, name: str = "Out_Mixed"):
    report = write_outputs(make_book(base_sheets), {name: frame}, tmp_path / "o.xlsx")
    return report, fc.Package(report.path)


def test_generated_headers_are_unique_ignoring_case_and_keep_their_spaces(make_book, base_sheets, tmp_path):
    frame = pd.DataFrame([[1, 2, 3, 4]], columns=["Amount", "amount", "AMOUNT2", " edge "])
    _, pkg = _grafted(make_book, base_sheets, tmp_path, frame)
    assert fc.rule_table_columns(pkg) == [] and fc.rule_edge_whitespace_preserved(pkg) == []
    header = pc.CalamineWorkbook.from_path(str(pkg.path)).get_sheet_by_name("Out_Mixed").to_python()[0]
    assert header[3] == " edge " and len({h.casefold() for h in header}) == 4


def test_text_over_the_cell_limit_is_cut_with_a_located_note(make_book, base_sheets, tmp_path):
    frame = pd.DataFrame({"text": ["short", "x" * 40_000, "😀" * 20_000]})
    report, pkg = _grafted(make_book, base_sheets, tmp_path, frame)
    assert fc.rule_cell_text_limit(pkg) == []
    assert report.notes == ["Out_Mixed!A3: text of 40,000 characters cut to Excel's limit of 32,767",
                            "Out_Mixed!A4: text of 40,000 characters cut to Excel's limit of 32,767"]
    grid = pc.CalamineWorkbook.from_path(str(pkg.path)).get_sheet_by_name("Out_Mixed").to_python()
    assert grid[2][0] == "x" * 32_767 and grid[3][0] == "😀" * 16_383


def test_dates_before_1900_03_01_and_literal_escapes_read_back_as_written(make_book, base_sheets, tmp_path):
    days = [dt.datetime(1900, 1, 1), dt.datetime(1900, 2, 28), dt.datetime(1900, 3, 1), dt.datetime(2026, 1, 31)]
    frame = pd.DataFrame({"when": pd.to_datetime(days), "text": ["a_x0041_b", "_x005F_", "_X00e9_", "plain"],
                          "mixed": pd.Series([dt.date(1900, 1, 1), "_x0041_", 1, dt.date(1899, 12, 31)],
                                             dtype=object)})
    _, pkg = _grafted(make_book, base_sheets, tmp_path, frame)
    xml = pkg.parts[dict(pkg.sheets)["Out_Mixed"]].decode()
    assert '<c r="A2" s="' in xml and "<v>1</v>" in xml and "<v>59</v>" in xml and "<v>61</v>" in xml
    grid = pc.CalamineWorkbook.from_path(str(pkg.path)).get_sheet_by_name("Out_Mixed").to_python()
    assert [r[0].date() if isinstance(r[0], dt.datetime) else r[0] for r in grid[1:]] == [d.date() for d in days]
    assert [r[1] for r in grid[1:]] == ["a_x0041_b", "_x005F_", "_X00e9_", "plain"]
    assert grid[2][2] == "_x0041_" and grid[4][2] == "1899-12-31"


def test_template_validation_formulas_carry_no_equals_sign():
    pkg = fc.Package(ROOT / "workbook_templates" / "salesbook_en.xlsx")
    assert fc.rule_validation_formulas_bare(pkg) == []
    assert any(b"<formula1>INDIRECT(" in d for d in pkg.parts.values())
