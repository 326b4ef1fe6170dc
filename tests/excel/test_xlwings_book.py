"""The live-Excel adapter and the macros, against a small faithful stand-in for the part of the
xlwings Book/Sheet/Range/Table/Chart API they use (live Excel cannot run on Linux; this is the only mock).

The stand-in behaves like xlwings: Range.value with ``ndim=2`` returns lists of rows, empty cells are
None, numbers are floats, dates are datetimes, error cells are None unless ``err_to_str``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from salesbook.book.validate import load_book
from salesbook.book.xlwings_book import XlwingsBook
from salesbook.errors import InputError
from salesbook.excel.macros import PROBLEMS_SHEET, run_in_book


class Range:
    def __init__(self, sheet: Sheet, row: int, col: int, nrows: int = 1, ncols: int = 1, opts: dict | None = None):
        self.sheet, self.row, self.column, self.nrows, self.ncols = sheet, row, col, nrows, ncols
        self.opts = opts or {}

    def options(self, **opts: Any) -> Range:
        return Range(self.sheet, self.row, self.column, self.nrows, self.ncols, opts)

    def resize(self, nrows: int, ncols: int) -> Range:
        return Range(self.sheet, self.row, self.column, nrows, ncols)

    def offset(self, r: int, c: int) -> Range:
        return Range(self.sheet, self.row + r, self.column + c, self.nrows, self.ncols)

    @property
    def last_cell(self) -> Range:
        return Range(self.sheet, self.row + self.nrows - 1, self.column + self.ncols - 1)

    def _cell(self, r: int, c: int) -> Any:
        v = self.sheet.cells.get((r, c))
        if isinstance(v, str) and v.startswith("#") and not self.opts.get("err_to_str"):
            return None  # xlwings returns None for error cells by default
        if isinstance(v, int) and not isinstance(v, bool):
            return float(v)  # Excel has no integers
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            return dt.datetime(v.year, v.month, v.day)
        return v

    @property
    def value(self) -> Any:
        rows = [[self._cell(self.row + i, self.column + j) for j in range(self.ncols)] for i in range(self.nrows)]
        if self.opts.get("ndim") == 2:
            return rows
        if self.opts.get("ndim") == 1:
            return [v for r in rows for v in r]
        return rows[0][0] if self.nrows == self.ncols == 1 else rows

    @value.setter
    def value(self, data: Any) -> None:
        rows = data if isinstance(data, list) and data and isinstance(data[0], list) else [[data]]
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                if isinstance(v, str) and v.startswith("'"):
                    v = v[1:]  # Excel keeps the text and hides the apostrophe
                self.sheet.cells[(self.row + i, self.column + j)] = v

    @property
    def number_format(self) -> str:
        return self.sheet.formats.get((self.row, self.column), "General")

    @number_format.setter
    def number_format(self, fmt: str) -> None:
        for i in range(self.nrows):
            for j in range(self.ncols):
                self.sheet.formats[(self.row + i, self.column + j)] = fmt


class Table:
    def __init__(self, sheet: Sheet, name: str, rng: Range):
        self.sheet, self.name, self.range = sheet, name, rng
        self.parent = sheet

    @property
    def header_row_range(self) -> Range:
        return Range(self.sheet, self.range.row, self.range.column, 1, self.range.ncols)

    @property
    def data_body_range(self) -> Range | None:
        if self.range.nrows <= 1:
            return None
        return Range(self.sheet, self.range.row + 1, self.range.column, self.range.nrows - 1, self.range.ncols)


class Tables(list):
    def __init__(self, sheet: Sheet):
        super().__init__()
        self.sheet = sheet

    def add(self, source: Range, name: str) -> Table:
        if any(t.name == name for s in self.sheet.book.sheets for t in s.tables):
            raise ValueError(f"table name {name} already used")  # Excel's rule
        t = Table(self.sheet, name, source)
        self.append(t)
        return t


class Axis:
    """A chart axis: what ``set`` and the properties store (Excel applies them to the drawing)."""

    def __init__(self) -> None:
        self.title: str | None = None
        self.number_format = "General"
        self.reverse_order = False
        self.crosses = "automatic"

    def set(self, **attrs: Any) -> None:
        for key, value in attrs.items():
            if not hasattr(self, key):
                raise AttributeError(key)  # xlwings validates the attribute names
            setattr(self, key, value)


class ChartSeries:
    def __init__(self, name: Any, values: Range):
        self.name, self.values = name, values
        self.chart_type: str | None = None  # None: the chart's own type
        self.axis_group = "primary"

    def set(self, chart_type: str | None = None, axis_group: str | None = None) -> None:
        if chart_type is not None:
            self.chart_type = chart_type
        if axis_group is not None:
            self.axis_group = axis_group


class Chart:
    """A chart as Excel makes it from a source block: the first column gives the categories, every other
    column a series named by its header cell."""

    def __init__(self, sheet: Sheet, left: float, top: float, width: float, height: float):
        self.sheet, self.left, self.top, self.width, self.height = sheet, left, top, width, height
        self.name = f"Chart {len(sheet.charts) + 1}"
        self.chart_type = "column_clustered"
        self.title: str | None = None
        self.source: Range | None = None
        self.series: list[ChartSeries] = []
        self.value_axis, self.secondary_value_axis, self.category_axis = Axis(), Axis(), Axis()

    def set_source_data(self, rng: Range) -> None:
        self.source = rng
        self.series = [ChartSeries(self.sheet.cells.get((rng.row, rng.column + j)),
                                   Range(self.sheet, rng.row + 1, rng.column + j, rng.nrows - 1, 1))
                       for j in range(1, rng.ncols)]

    def delete(self) -> None:
        self.sheet.charts.remove(self)


class Charts(list):
    def __init__(self, sheet: Sheet):
        super().__init__()
        self.sheet = sheet

    def add(self, left: float = 0, top: float = 0, width: float = 355, height: float = 211) -> Chart:
        chart = Chart(self.sheet, left, top, width, height)
        self.append(chart)
        return chart


class Sheet:
    def __init__(self, book: Book, name: str):
        self.book, self.name = book, name
        self.cells: dict[tuple[int, int], Any] = {}
        self.formats: dict[tuple[int, int], str] = {}
        self.tables = Tables(self)
        self.charts = Charts(self)  # clear() leaves charts, as Excel's Sheet.clear does

    def __getitem__(self, address: str) -> Range:
        col = ord(address[0]) - 64
        return Range(self, int(address[1:]), col)

    def range(self, first: tuple[int, int], last: tuple[int, int] | None = None) -> Range:
        last = last or first
        return Range(self, first[0], first[1], last[0] - first[0] + 1, last[1] - first[1] + 1)

    @property
    def used_range(self) -> Range:
        if not self.cells:
            return Range(self, 1, 1)
        rows = [r for r, _ in self.cells]
        cols = [c for _, c in self.cells]
        return Range(self, min(rows), min(cols), max(rows) - min(rows) + 1, max(cols) - min(cols) + 1)

    def clear(self) -> None:
        self.cells.clear()
        self.formats.clear()
        self.tables.clear()

    def delete(self) -> None:
        self.book.sheets.remove(self)


class Sheets(list):
    def __init__(self, book: Book):
        super().__init__()
        self.book = book

    def __getitem__(self, key: Any) -> Sheet:
        if isinstance(key, str):
            for s in self:
                if s.name == key:
                    return s
            raise KeyError(key)
        return list.__getitem__(self, key)

    def add(self, name: str, after: Sheet | None = None) -> Sheet:
        s = Sheet(self.book, name)
        self.append(s)
        return s


class App:
    def __init__(self) -> None:
        self.alerts: list[str] = []

    def alert(self, text: str, title: str = "") -> None:
        self.alerts.append(text)


class Book:
    def __init__(self) -> None:
        self.sheets = Sheets(self)
        self.app = App()

    def add_table(self, sheet_name: str, table_name: str, frame: pd.DataFrame) -> None:
        sheet = self.sheets.add(sheet_name)
        rows = [list(frame.columns)] + [[None if pd.isna(v) else (v.to_pydatetime() if isinstance(v, pd.Timestamp)
                                                                    else v) for v in r]
                                        for r in frame.itertuples(index=False, name=None)]
        sheet["A1"].value = rows
        sheet.tables.add(Range(sheet, 1, 1, len(rows), len(frame.columns)), table_name)


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
