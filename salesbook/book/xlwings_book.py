"""Live-Excel adapter through xlwings: the same Book interface as the file adapter.

Kept thin on purpose — it only moves cell values between Excel and the shared validation/writing
rules.  It uses the part of the xlwings API that classic xlwings (Windows/macOS) and xlwings
Lite/Server share: ``book.sheets``, ``sheet.tables`` (ListObjects), ``Range.value`` with options,
``sheet.tables.add`` and ``Range.number_format``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from salesbook.book.base import RawTable
from salesbook.book.validate import normalise_header
from salesbook.book.writer import FORMULA_PREFIXES, cell_value, header_label
from salesbook.schemas import REGISTRY, Kind

_XL_FORMATS = {Kind.MONEY: "#,##0.00", Kind.NUMBER: "#,##0.####", Kind.PERCENT: "0.00%", Kind.DATE: "yyyy-mm-dd",
               Kind.INT: "0"}


def _aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for name, table in REGISTRY.items():
        for label in (name, table.zh, *table.aliases):
            out.setdefault(normalise_header(label), name)
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
                canon = aliases.get(normalise_header(table.name))
                if canon and canon not in self._where:
                    self._where[canon] = ("table", table)
        for sheet in book.sheets:
            canon = aliases.get(normalise_header(sheet.name))
            if canon and canon not in self._where:
                self._where[canon] = ("sheet", sheet)

    def table_names(self) -> list[str]:
        return list(self._where)

    def read_raw(self, name: str) -> RawTable | None:
        where = self._where.get(name)
        if where is None:
            return None
        kind, obj = where
        if kind == "table":
            header_rng = obj.header_row_range
            headers = list(header_rng.options(ndim=1, err_to_str=True).value)
            body = obj.data_body_range
            rows = [] if body is None else [list(r) for r in body.options(ndim=2, err_to_str=True).value]
            return RawTable(name=name, sheet=obj.parent.name if hasattr(obj, "parent") else obj.range.sheet.name,
                            headers=headers, rows=_drop_blank(rows), header_row=header_rng.row,
                            first_col=header_rng.column)
        grid = obj.used_range.options(ndim=2, err_to_str=True).value
        top = obj.used_range.row
        if not grid:
            return RawTable(name=name, sheet=obj.name, headers=[], rows=[], header_row=top)
        return RawTable(name=name, sheet=obj.name, headers=list(grid[0]), rows=_drop_blank(grid[1:]),
                        header_row=top, first_col=obj.used_range.column)

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


def _drop_blank(rows: list[list[Any]]) -> list[list[Any]]:
    while rows and all(v is None or v == "" for v in rows[-1]):
        rows.pop()
    return rows
