"""The live-Excel adapter and the macros, against a small faithful stand-in for the part of the
xlwings Book/Sheet/Range/Table/Chart API they use (``fake_xlwings``; live Excel cannot run on Linux)."""

from __future__ import annotations

import pandas as pd
import pytest
from fake_xlwings import Book, Chart, Sheet

from salesbook.book.validate import load_book
from salesbook.book.xlwings_book import XlwingsBook
from salesbook.errors import InputError
from salesbook.excel.macros import PROBLEMS_SHEET, run_in_book


@pytest.fixture()
def live_book(small_tables) -> Book:
    book = Book()
    for name, frame in small_tables.items():
        book.add_table(name, name, frame)
    return book


def test_adapter_reads_the_same_tables_as_the_file_adapter(live_book, small_tables):
    loaded = load_book(XlwingsBook(live_book))
    deals = loaded.tables["Deals"]
    assert len(deals) == len(small_tables["Deals"])
    assert deals["amount"].sum() == pytest.approx(small_tables["Deals"]["amount"].sum())
    assert deals.index[0] == 2  # Excel row numbers, as in the file adapter
    assert str(deals["date"].dtype).startswith("datetime64")


def test_error_cells_are_reported_not_read_as_blank(live_book):
    live_book.sheets["Deals"].cells[(3, 7)] = "#N/A"
    adapter = XlwingsBook(live_book)
    with pytest.raises(Exception) as info:
        load_book(adapter)
    assert "#N/A" in str(info.value)


def test_macro_writes_outputs_as_tables_and_keeps_formula_text(live_book, monkeypatch):
    adapter = XlwingsBook(live_book)
    frame = pd.DataFrame({"sheet": ["=HYPERLINK(\"x\")"], "row": [2], "column": ["a"], "message": ["m"]})
    adapter.write_table("Out_Problems", frame, lang="zh")
    sheet = live_book.sheets["Out_Problems"]
    assert sheet["A1"].value == "工作表"
    assert sheet["A2"].value == '=HYPERLINK("x")'  # stored as text (written with a leading apostrophe)
    assert [t.name for t in sheet.tables] == ["Out_Problems"]
    adapter.write_table("Out_Problems", frame.head(0), lang="zh")  # re-writing replaces, never duplicates
    assert [t.name for t in live_book.sheets["Out_Problems"].tables] == ["Out_Problems"]


def test_run_in_book_reports_problems_on_a_sheet_and_in_an_alert(live_book):
    live_book.sheets["Deals"].cells[(4, 7)] = "lots"
    written = run_in_book(live_book)
    assert written == {}
    sheet = live_book.sheets[PROBLEMS_SHEET]
    rows = sheet.used_range.options(ndim=2).value
    assert any("lots" in str(v) for r in rows for v in r)
    assert live_book.app.alerts and "problem" in live_book.app.alerts[0]


def test_run_in_book_clears_old_problems_after_a_clean_run(live_book):
    live_book.sheets["Deals"].cells[(4, 7)] = "lots"
    run_in_book(live_book)
    live_book.sheets["Deals"].cells[(4, 7)] = 100.0
    written = run_in_book(live_book)
    assert PROBLEMS_SHEET not in [s.name for s in live_book.sheets]
    assert isinstance(written, dict)


def test_run_in_book_writes_warnings_to_a_sheet_and_says_so_in_an_alert(live_book):
    """A tier rate of 60%: possible, unusual. The run goes on; the warning is on Out_Warnings and in the alert."""
    tiers = live_book.sheets["PlanTiers"]
    rate_col = next(c for (r, c), v in tiers.cells.items() if r == 1 and v == "rate")
    tiers.cells[(2, rate_col)] = 0.6
    written = run_in_book(live_book)
    assert written.get("Out_Warnings", 0) >= 1 and written.get("Out_Commissions", 0) > 0
    rows = live_book.sheets["Out_Warnings"].used_range.options(ndim=2).value
    assert any("unusual" in str(v) for r in rows for v in r)
    assert live_book.app.alerts and "warning" in live_book.app.alerts[-1] and "Out_Warnings" in live_book.app.alerts[-1]


def _deals_extent(book: Book) -> tuple[Sheet, int, int]:
    sheet = book.sheets["Deals"]
    rng = sheet.tables[0].range
    return sheet, rng.row + rng.nrows - 1, rng.ncols


def test_rows_typed_under_a_live_table_are_an_error_as_in_a_file(live_book):
    sheet, last, width = _deals_extent(live_book)
    for j in range(1, width + 1):  # a copy of the last deal, twice, after one blank row
        sheet.cells[(last + 2, j)] = sheet.cells.get((last, j))
        sheet.cells[(last + 3, j)] = sheet.cells.get((last, j))
    with pytest.raises(InputError) as info:
        load_book(XlwingsBook(live_book))
    (p,) = [p for p in info.value.problems if "below table" in p.text("en")]
    assert (p.sheet, p.row, p.column) == ("Deals", last + 2, "A")
    assert p.text("en").startswith(f"2 rows below table 'Deals' (which ends at row {last}) hold data but are not "
                                   f"part of the table, so they would not be read: rows {last + 2}-{last + 3}.")


def test_blank_row_inside_a_live_table_is_skipped_and_values_beside_it_are_a_warning(live_book, small_tables):
    sheet, _, width = _deals_extent(live_book)
    for j in range(1, width + 1):
        sheet.cells.pop((3, j), None)
    sheet.cells[(2, width + 2)] = "note"
    loaded = load_book(XlwingsBook(live_book), ["Deals"])  # alone: payments of the blanked deal would not resolve
    deals = loaded.tables["Deals"]
    assert len(deals) == len(small_tables["Deals"]) - 1 and 3 not in deals.index and deals.index[1] == 4
    blank, beside = loaded.warnings
    assert blank.text("en") == "row 3 inside table 'Deals' is blank; it was skipped."
    assert (beside.sheet, beside.row) == ("Deals", 2)
    assert beside.text("en").startswith("column ")
    assert " beside table 'Deals' holds values (row 2)" in beside.text("en")


def test_the_model_macro_writes_the_scenario_sheets(live_book):
    counts = run_in_book(live_book, also=("scenarios",))
    assert counts["Out_Scenarios"] > 0 and counts["Out_ScenarioReps"] > 0
    sheet = live_book.sheets["Out_Scenarios"]
    assert [t.name for t in sheet.tables] == ["Out_Scenarios"]
    assert sheet["A1"].value == "Scenario ID"
    assert "Out_Scenarios" not in run_in_book(live_book)    # the everyday run leaves modeling alone


def test_an_infinite_attainment_is_written_blank_as_in_a_file(live_book):
    """An attainment on a zero target is infinite; no cell holds that (Excel refuses it through xlwings), so both
    adapters leave the cell blank."""
    frame = pd.DataFrame({"sheet": ["Actuals"], "row": [float("inf")], "column": [float("-inf")], "message": ["m"]})
    XlwingsBook(live_book).write_table("Out_Problems", frame, lang="en")
    sheet = live_book.sheets["Out_Problems"]
    assert sheet["A2:D2"].value == ["Actuals", None, None, "m"]


# ---- the dashboard in the open workbook ------------------------------------------------------------------

def _own_charts(sheet: Sheet) -> list[Chart]:
    return [c for c in sheet.charts if c.name.startswith("salesbook ")]


def test_run_all_refreshes_the_dashboard_with_formulas_and_charts(live_book):
    run_in_book(live_book)
    sheet = live_book.sheets["Out_Dashboard"]
    charts = _own_charts(sheet)
    assert [c.name for c in charts] == ["salesbook monthly", "salesbook regions", "salesbook commission",
                                        "salesbook leads", "salesbook ratings"]
    cells = sheet.cells
    for chart in charts:
        src = chart.source
        assert chart.title and src.nrows > 1
        for series in chart.series:  # each series: named by a header, its values formulas over the Out_ tables
            assert isinstance(series.name, str) and series.name
            values = [cells.get((series.values.row + i, series.values.column)) for i in range(series.values.nrows)]
            assert all(isinstance(v, str) and v.startswith("=") for v in values), (chart.name, values)
    monthly = charts[0]
    assert [s.name for s in monthly.series] == ["Target", "Actual", "Cumulative target", "Cumulative actual"]
    assert [(s.chart_type, s.axis_group) for s in monthly.series] == [
        (None, "primary"), (None, "primary"), ("line_markers", "secondary"), ("line_markers", "secondary")]
    first = cells[(monthly.source.row + 1, monthly.source.column + 1)]
    assert first.startswith("=SUMPRODUCT(--(Out_TargetVariance[Level]=0),--(Out_TargetVariance[Period]=$A")
    assert "CNY" in monthly.value_axis.title and monthly.secondary_value_axis.title.startswith("Cumulative")
    regions = charts[1]
    assert regions.chart_type == "bar_clustered" and regions.category_axis.reverse_order
    assert regions.category_axis.crosses == "maximum"  # the value axis stays at the bottom
    assert sheet.formats[(monthly.source.row + 1, monthly.source.column + 1)] == '"¥"#,##0'


def test_a_rerun_replaces_the_dashboards_charts_and_keeps_one_a_user_added(live_book):
    run_in_book(live_book)
    mine = live_book.sheets["Out_Dashboard"].charts.add()
    mine.name = "My chart"
    run_in_book(live_book)
    names = [c.name for c in live_book.sheets["Out_Dashboard"].charts]
    assert names.count("My chart") == 1
    assert sorted(n for n in names if n.startswith("salesbook ")) == [
        "salesbook commission", "salesbook leads", "salesbook monthly", "salesbook ratings", "salesbook regions"]
