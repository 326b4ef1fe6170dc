"""A small faithful stand-in for the part of the xlwings Book/Sheet/Range/Table/Chart API salesbook uses (live Excel
cannot run on Linux; this is the only mock).  Shared by the adapter tests and the installed-wheel check, so it
imports nothing but the standard library and openpyxl (to fill a book from a real workbook file).

It behaves like xlwings: ``Range.value`` gives a scalar for one cell, a flat list for one row or column and
lists of rows for more (always lists of rows with ``ndim=2``); empty cells are None, numbers are floats, dates
are datetimes, error cells are None unless ``err_to_str``.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

_ADDRESS = re.compile(r"^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$")


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


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
        if self.nrows == self.ncols == 1:
            return rows[0][0]
        if self.opts.get("ndim") == 1 or self.nrows == 1 or self.ncols == 1:
            return [v for r in rows for v in r]
        return rows

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
        m = _ADDRESS.match(address.upper())
        if m is None:
            raise ValueError(f"not an A1 address: {address}")
        r1, c1 = int(m.group(2)), _col(m.group(1))
        r2, c2 = (int(m.group(4)), _col(m.group(3))) if m.group(3) else (r1, c1)
        return Range(self, r1, c1, r2 - r1 + 1, c2 - c1 + 1)

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

    def add_table(self, sheet_name: str, table_name: str, frame: Any) -> None:
        """A sheet holding ``frame`` (a pandas DataFrame) as an Excel Table from A1."""
        import pandas as pd

        sheet = self.sheets.add(sheet_name)
        rows = [list(frame.columns)] + [[None if pd.isna(v) else (v.to_pydatetime() if isinstance(v, pd.Timestamp)
                                                                    else v) for v in r]
                                        for r in frame.itertuples(index=False, name=None)]
        sheet["A1"].value = rows
        sheet.tables.add(Range(sheet, 1, 1, len(rows), len(frame.columns)), table_name)

    def table(self, name: str) -> Table:
        for sheet in self.sheets:
            for t in sheet.tables:
                if t.name == name:
                    return t
        raise KeyError(name)


_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id -> target part of ``part``."""
    folder, leaf = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", leaf + ".rels")
    if rels not in zf.namelist():
        return {}
    out = {}
    for rel in ElementTree.fromstring(zf.read(rels)).findall("p:Relationship", _NS):
        target = rel.get("Target", "")
        out[rel.get("Id", "")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
    return out


def _table_refs(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Sheet name -> [(table name, A1 range)] from the package's table parts."""
    out: dict[str, list[tuple[str, str]]] = {}
    with zipfile.ZipFile(path) as zf:
        sheets = _rels(zf, "xl/workbook.xml")
        for s in ElementTree.fromstring(zf.read("xl/workbook.xml")).iterfind("m:sheets/m:sheet", _NS):
            part = sheets.get(s.get(f"{{{_NS['r']}}}id", ""), "")
            for target in _rels(zf, part).values():
                if target.startswith("xl/tables/"):
                    table = ElementTree.fromstring(zf.read(target))
                    out.setdefault(s.get("name", ""), []).append((table.get("displayName", ""), table.get("ref", "")))
    return out


def _grids(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's values from A1, read by python-calamine where installed (fast), else by openpyxl."""
    try:
        import python_calamine as pc
    except ImportError:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        grids = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
        wb.close()
        return grids
    wb = pc.CalamineWorkbook.from_path(str(path))
    grids = {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}
    wb.close()
    return grids


def book_from_xlsx(path: str | Path) -> Book:
    """The workbook as Excel would hold it open: every sheet's values and its Excel Tables."""
    path = Path(path)
    refs = _table_refs(path)
    book = Book()
    for name, grid in _grids(path).items():
        sheet = book.sheets.add(name)
        for i, row in enumerate(grid, start=1):
            for j, v in enumerate(row, start=1):
                if v is not None and v != "":
                    sheet.cells[(i, j)] = v
        for table, ref in refs.get(name, []):
            sheet.tables.add(sheet[ref], table)
    return book
