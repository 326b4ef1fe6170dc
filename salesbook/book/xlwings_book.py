"""Live-Excel adapter through xlwings: the same Book interface as the file adapter.

Kept thin on purpose — it only moves cell values between Excel and the shared validation/writing
rules.  It uses the part of the xlwings API that classic xlwings (Windows/macOS) and xlwings
Lite/Server share: ``book.sheets``, ``sheet.tables`` (ListObjects), ``Range.value`` with options,
``sheet.tables.add`` and ``Range.number_format``; for the dashboard ``sheet.charts.add``,
``chart.set_source_data``, ``chart.chart_type``, its title, name, series and value axes.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from salesbook.book.base import RawTable
from salesbook.book.dashboard.model import MARK, SHEET, Dashboard
from salesbook.book.dashboard.sheetxml import column_pixels, style_specs
from salesbook.book.headers import header_lookup, normalise_name
from salesbook.book.layout import Box, read_box, read_range
from salesbook.book.writer import FORMULA_PREFIXES, cell_value, header_label
from salesbook.schemas import REGISTRY, Kind

_XL_FORMATS = {Kind.MONEY: "#,##0.00", Kind.NUMBER: "#,##0.####", Kind.PERCENT: "0.00%", Kind.DATE: "yyyy-mm-dd",
               Kind.INT: "0"}


def _aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for name, table in REGISTRY.items():
        for label in (name, table.zh, *table.aliases):
            out.setdefault(normalise_name(label), name)
    return out


def excel_value(value: Any) -> Any:
    """A value for Range.value: blanks for NaN, and formula-looking text kept as text (leading apostrophe)."""
    v = cell_value(value)
    if isinstance(v, str) and v.startswith(FORMULA_PREFIXES):
        return "'" + v
    return v


class XlwingsBook:
    def __init__(self, book: Any):
        self.book = book
        aliases = _aliases()
        self._where: dict[str, tuple[str, Any]] = {}
        for sheet in book.sheets:
            for table in sheet.tables:
                canon = aliases.get(normalise_name(table.name))
                if canon and canon not in self._where:
                    self._where[canon] = ("table", table)
        for sheet in book.sheets:
            canon = aliases.get(normalise_name(sheet.name))
            if canon and canon not in self._where:
                self._where[canon] = ("sheet", sheet)

    def table_names(self) -> list[str]:
        return list(self._where)

    def read_raw(self, name: str) -> RawTable | None:
        """The same rules as the file adapter (see ``layout``): the sheet's used range is read once and the
        table's range is taken from the ListObject, so rows below it and values beside it are found."""
        where = self._where.get(name)
        if where is None:
            return None
        kind, obj = where
        sheet = _sheet_of(obj) if kind == "table" else obj
        used = sheet.used_range
        grid = _grid(used.options(ndim=2, err_to_str=True).value)
        origin = (used.row, used.column)
        if kind == "table":
            others = [_box(t.range) for t in sheet.tables if t.name != obj.name]
            header_rows = 1 if getattr(obj, "show_headers", True) else 0
            totals_rows = 1 if getattr(obj, "show_totals", False) else 0
            headers = None
            if header_rows and obj.header_row_range is not None:
                headers = list(obj.header_row_range.options(ndim=1, err_to_str=True).value)
            return read_box(name, sheet.name, grid, origin, _box(obj.range), tname=obj.name, headers=headers,
                            header_rows=header_rows, totals_rows=totals_rows, others=others)
        others = [_box(t.range) for t in sheet.tables]
        return read_range(name, sheet.name, grid, origin, header_lookup(REGISTRY[name]), others=others)

    def write_table(self, name: str, frame: pd.DataFrame, *, lang: str = "en") -> None:
        """Replace sheet ``name`` with ``frame`` as an Excel Table (one bulk write, not cell by cell)."""
        schema = REGISTRY.get(name)
        names = [s.name for s in self.book.sheets]
        sheet = self.book.sheets[name] if name in names else self.book.sheets.add(name, after=self.book.sheets[-1])
        sheet.clear()
        header = [header_label(schema, c, lang) for c in frame.columns]
        body = [[excel_value(v) for v in row] for row in frame.itertuples(index=False, name=None)]
        sheet["A1"].value = [header, *body]
        rng = sheet["A1"].resize(len(body) + 1, len(header))
        sheet.tables.add(source=rng, name=name)
        if schema is not None and body:
            for j, col_name in enumerate(frame.columns):
                try:
                    kind = schema.column(col_name).kind
                except KeyError:
                    continue
                fmt = _XL_FORMATS.get(kind)
                if fmt:
                    sheet["A2"].offset(0, j).resize(len(body), 1).number_format = fmt


    def write_dashboard(self, board: Dashboard | None) -> None:
        """Refresh the dashboard sheet: its cells (formulas as formulas) in one write, number formats, and
        its own charts replaced (a chart a user added there is kept); no dashboard: the sheet goes."""
        names = [s.name for s in self.book.sheets]
        if board is None:
            if SHEET in names:
                self.book.sheets[SHEET].delete()
            return
        if SHEET in names:
            sheet = self.book.sheets[SHEET]
            for chart in list(sheet.charts):
                if str(chart.name).startswith(MARK + " "):
                    chart.delete()
            sheet.clear()
        else:
            sheet = self.book.sheets.add(SHEET, after=self.book.sheets[-1])
        rows, cols = board.last_row(), max(c for _, c in board.cells)
        grid: list[list[Any]] = [[None] * cols for _ in range(rows)]
        for (r, c), cell in board.cells.items():
            grid[r - 1][c - 1] = "=" + cell.formula if cell.formula else excel_value(cell.value)
        sheet["A1"].value = grid
        formats = {name: fmt for name, (fmt, _, _) in style_specs(board.money_format).items() if fmt}
        for (r, c), cell in board.cells.items():
            if cell.style in formats:
                sheet.range((r, c)).number_format = formats[cell.style]
        for chart in board.charts:
            _add_chart(sheet, chart)


_POINTS_PER_PIXEL = 0.75
_ROW_POINTS = 15.0


def _add_chart(sheet: Any, chart: Any) -> None:
    """One dashboard chart: bars from the block's first series, lines on the secondary axis."""
    r1, c1, r2, c2 = chart.source()
    col0, row0, col1, row1 = chart.anchor()
    col_pt = column_pixels() * _POINTS_PER_PIXEL
    xl = sheet.charts.add(left=col0 * col_pt, top=row0 * _ROW_POINTS, width=(col1 - col0 + 1) * col_pt,
                          height=(row1 - row0 + 1) * _ROW_POINTS)
    xl.set_source_data(sheet.range((r1, c1), (r2, c2)))
    xl.chart_type = "bar_clustered" if chart.horizontal else "column_clustered"
    xl.name = f"{MARK} {chart.key}"
    xl.title = chart.title
    for k, series in enumerate(chart.series):
        if series.kind == "line":
            xl.series[k].set(chart_type="line_markers", axis_group="secondary" if series.secondary else "primary")
    xl.value_axis.set(title=chart.axis.title, number_format=chart.axis.number_format)
    if chart.second_axis is not None and any(s.secondary for s in chart.series):
        xl.secondary_value_axis.set(title=chart.second_axis.title, number_format=chart.second_axis.number_format)
    if chart.horizontal:  # best first, on top, with the value axis kept at the bottom
        xl.category_axis.set(reverse_order=True, crosses="maximum")


def _sheet_of(table: Any) -> Any:
    return table.parent if hasattr(table, "parent") else table.range.sheet


def _box(rng: Any) -> Box:
    last = rng.last_cell
    return Box(rng.row, rng.column, last.row, last.column)


def _grid(value: Any) -> list[list[Any]]:
    """Range.value with ndim=2 as fresh row lists ([] for an empty sheet)."""
    if not value:
        return []
    return [list(r) for r in value]
