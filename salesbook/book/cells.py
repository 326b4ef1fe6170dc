"""A workbook file's cell values: python-calamine reads them when it is installed, openpyxl otherwise.

python-calamine (Rust) reads a sheet about ten times faster than openpyxl, but it has no build for every
Python: xlwings Lite's Pyodide has none, and the package does not ask for it there.  openpyxl, which
salesbook needs anyway to write workbooks, then reads instead.  Both readers hand over the same grid, in
python-calamine's conventions that the rest of ``book/`` is written for: one list per row starting at A1,
all rows as wide as the widest, ``""`` for an empty cell, every number a float, a date-time at midnight
a ``date``.  This module is the one place that knows which library reads the cells.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

ENGINES = ("calamine", "openpyxl")


class Unreadable(Exception):
    """The file opened as a zip of XML but the reader could not make a workbook of it."""

    def __init__(self, detail: str, *, password: bool = False):
        super().__init__(detail)
        self.password = password


@dataclass(frozen=True)
class TableCells:
    """An Excel Table's cells as the reader found them (only python-calamine reads tables on their own)."""

    sheet: str
    columns: list[Any]
    rows: list[list[Any]]
    start: tuple[int, int]  # 0-based row and column of the first data cell


class CellReader(Protocol):
    sheet_names: list[str]

    def table_names(self) -> list[str] | None:
        """The Excel Tables' names, or None when this reader does not list them (the package is read then)."""
        ...

    def sheet_grid(self, sheet: str) -> list[list[Any]]:
        """Every cell of the sheet from A1 to its last value."""
        ...

    def table(self, name: str) -> TableCells | None:
        """The table's own cells, faster than its whole sheet; None when this reader cannot tell them apart."""
        ...

    def close(self) -> None: ...


def default_engine() -> str:
    return "calamine" if importlib.util.find_spec("python_calamine") is not None else "openpyxl"


def open_cells(path: Path, engine: str | None = None) -> CellReader:
    """A reader for ``path``: python-calamine when installed (or asked for), else openpyxl."""
    engine = engine or default_engine()
    if engine == "calamine":
        return _CalamineCells(path)
    if engine == "openpyxl":
        return _OpenpyxlCells(path)
    raise ValueError(f"unknown cell reader {engine!r}; one of {', '.join(ENGINES)}")


class _CalamineCells:
    def __init__(self, path: Path):
        import python_calamine as pc

        self._pc = pc
        try:
            self._wb = pc.CalamineWorkbook.from_path(str(path), load_tables=True)
        except pc.PasswordError as exc:
            raise Unreadable(str(exc), password=True) from exc
        except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError, OSError) as exc:
            raise Unreadable(str(exc)) from exc
        self.sheet_names = list(self._wb.sheet_names)

    def table_names(self) -> list[str] | None:
        try:
            return list(self._wb.table_names)
        except (self._pc.TablesNotLoaded, self._pc.TablesNotSupported):
            return []

    def sheet_grid(self, sheet: str) -> list[list[Any]]:
        return self._wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)

    def table(self, name: str) -> TableCells | None:
        t = self._wb.get_table_by_name(name)
        return TableCells(sheet=t.sheet, columns=list(t.columns), rows=t.to_python(), start=tuple(t.start))

    def close(self) -> None:
        self._wb.close()


def _calamine_value(v: Any) -> Any:
    if v is None:
        return ""
    if type(v) is int:  # Excel keeps every number as a float; openpyxl gives whole ones back as int
        return float(v)
    if type(v) is dt.datetime and v.hour == v.minute == v.second == v.microsecond == 0:
        return v.date()
    return v


class _OpenpyxlCells:
    def __init__(self, path: Path):
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            self._wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        except (InvalidFileException, KeyError, zipfile.BadZipFile, ValueError, TypeError, OSError,
                SyntaxError) as exc:  # SyntaxError: xml.etree's ParseError
            raise Unreadable(str(exc) or type(exc).__name__) from exc
        self.sheet_names = list(self._wb.sheetnames)

    def table_names(self) -> list[str] | None:
        return None  # read-only openpyxl does not load tables; the file adapter reads the table parts

    def sheet_grid(self, sheet: str) -> list[list[Any]]:
        ws = self._wb[sheet]
        if not hasattr(ws, "iter_rows"):  # a chart sheet holds no cells
            return []
        ws.reset_dimensions()  # read to the last cell the sheet holds, whatever its <dimension> claims
        grid = [[_calamine_value(v) for v in row] for row in ws.iter_rows(values_only=True)]
        while grid and all(v == "" for v in grid[-1]):
            grid.pop()
        width = max((len(r) - next((i for i, v in enumerate(reversed(r)) if v != ""), len(r)) for r in grid),
                    default=0)
        return [r[:width] + [""] * (width - len(r)) for r in grid]

    def table(self, name: str) -> TableCells | None:
        return None

    def close(self) -> None:
        self._wb.close()
