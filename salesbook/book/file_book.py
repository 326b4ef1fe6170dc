"""Workbook-file adapter: python-calamine reads (fast), openpyxl writes (styled tables).

Tables are found by Excel Table name first (canonical English, or the Chinese table label), then by
sheet name (canonical, Chinese, or an alias) with headers on the first non-empty row.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import python_calamine as pc

from salesbook.book.base import RawTable
from salesbook.book.ooxml import sheet_parts
from salesbook.book.safety import check_workbook_file
from salesbook.book.validate import normalise_header
from salesbook.errors import InputError, problem
from salesbook.schemas import REGISTRY

_CELL_ERROR = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*>\s*(?:<f[^>]*/>|<f[^>]*>.*?</f>)?\s*'
                         rb'<v>([^<]*)</v>', re.S)
_CELL_ERROR_ALT = re.compile(rb'<c\b[^>]*?\bt="e"[^>]*?\br="([A-Z]+)(\d+)"[^>]*>\s*(?:<f[^>]*/>|<f[^>]*>.*?</f>)?'
                             rb'\s*<v>([^<]*)</v>', re.S)


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _table_aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for name, table in REGISTRY.items():
        for label in (name, table.zh, *table.aliases):
            out.setdefault(normalise_header(label), name)
    return out


class FileBook:
    """Read-only view of an .xlsx/.xlsm file plus staged output tables."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        check_workbook_file(self.path)
        try:
            self._wb = pc.CalamineWorkbook.from_path(str(self.path), load_tables=True)
        except pc.PasswordError as exc:
            raise InputError(problem("'{file}' is password-protected; remove the password and try again.",
                                     "“{file}”设置了密码；请取消密码后重试。", file=self.path.name)) from exc
        except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError, OSError) as exc:
            raise InputError(problem("'{file}' cannot be read as a workbook: {err}.",
                                     "无法作为工作簿读取“{file}”：{err}。", file=self.path.name, err=str(exc))) from exc
        self.outputs: dict[str, pd.DataFrame] = {}
        self._locations = self._find_tables()
        self._sheet_parts: dict[str, str] | None = None
        self._raw_cache: dict[str, RawTable | None] = {}

    # -- discovery -------------------------------------------------------------------------------
    def _find_tables(self) -> dict[str, tuple[str, str]]:
        """canonical name -> ("table", excel table name) or ("sheet", sheet name)."""
        aliases = _table_aliases()
        found: dict[str, tuple[str, str]] = {}
        try:
            table_names = list(self._wb.table_names)
        except (pc.TablesNotLoaded, pc.TablesNotSupported):
            table_names = []
        for tname in table_names:
            canon = aliases.get(normalise_header(tname))
            if canon and canon not in found:
                found[canon] = ("table", tname)
        for sheet in self._wb.sheet_names:
            canon = aliases.get(normalise_header(sheet))
            if canon and canon not in found:
                found[canon] = ("sheet", sheet)
        return found

    def table_names(self) -> list[str]:
        return list(self._locations)

    def sheet_names(self) -> list[str]:
        return list(self._wb.sheet_names)

    # -- reading ---------------------------------------------------------------------------------
    def read_raw(self, name: str) -> RawTable | None:
        if name not in self._raw_cache:
            self._raw_cache[name] = self._read_raw(name)
        return self._raw_cache[name]

    def _read_raw(self, name: str) -> RawTable | None:
        where = self._locations.get(name)
        if where is None:
            return None
        kind, ident = where
        if kind == "table":
            t = self._wb.get_table_by_name(ident)
            data_start_row, first_col = t.start
            rows = t.to_python()  # already a fresh list of row lists
            raw = RawTable(name=name, sheet=t.sheet, headers=list(t.columns), rows=rows,
                           header_row=data_start_row, first_col=first_col + 1)
        else:
            sheet = self._wb.get_sheet_by_name(ident)
            grid = sheet.to_python(skip_empty_area=False)
            top = next((i for i, r in enumerate(grid) if any(v not in ("", None) for v in r)), None)
            if top is None:
                return RawTable(name=name, sheet=ident, headers=[], rows=[], header_row=1)
            header = list(grid[top])
            while header and header[-1] in ("", None):
                header.pop()
            first = next((i for i, v in enumerate(header) if v not in ("", None)), 0)
            rows = [list(r[first:len(header)]) for r in grid[top + 1:]]
            raw = RawTable(name=name, sheet=ident, headers=header[first:], rows=rows, header_row=top + 1,
                           first_col=first + 1)
        self._mark_error_cells(raw)
        while raw.rows and all(v in ("", None) for v in raw.rows[-1]):
            raw.rows.pop()
        return raw

    def _mark_error_cells(self, raw: RawTable) -> None:
        """calamine hands Excel error cells (#N/A ...) over as blanks; put the error text back."""
        part = self._sheet_part(raw.sheet)
        if part is None:
            return
        with zipfile.ZipFile(self.path) as zf:
            data = zf.read(part)
        if b't="e"' not in data:
            return
        for pattern in (_CELL_ERROR, _CELL_ERROR_ALT):
            for m in pattern.finditer(data):
                col = _col_index(m.group(1)) - raw.first_col
                i = int(m.group(2)) - raw.header_row - 1
                if 0 <= i < len(raw.rows) and 0 <= col < len(raw.rows[i]):
                    raw.rows[i][col] = m.group(3).decode("utf-8", "replace")

    def _sheet_part(self, sheet: str) -> str | None:
        if self._sheet_parts is None:
            with zipfile.ZipFile(self.path) as zf:
                self._sheet_parts = sheet_parts(zf)
        return self._sheet_parts.get(sheet)

    # -- writing ---------------------------------------------------------------------------------
    def write_table(self, name: str, frame: pd.DataFrame, *, lang: str = "en") -> None:
        self.outputs[name] = frame

    def close(self) -> None:
        self._wb.close()

    def __enter__(self) -> FileBook:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
