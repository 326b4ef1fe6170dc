"""Workbook-file adapter: typed column reads for large tables (``readers``), cell by cell for the rest
(python-calamine, or openpyxl where it is not installed: ``cells``); outputs are staged here and written by ``save``.

Tables are found by Excel Table name first (canonical English, or the Chinese table label), then by
sheet name (canonical, Chinese, or an alias) with headers on the row among the first ones that names the
most of the table's columns.  A sheet's cells are read once (``cells``); an Excel Table's range comes from
its table part in the package, so the cells below and beside it can be checked (see ``layout``).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from defusedxml import ElementTree

from salesbook.book import readers, stamps
from salesbook.book.base import RawTable, TypedColumn, TypedTable
from salesbook.book.cells import Unreadable, open_cells
from salesbook.book.headers import decode_escapes, header_lookup, match_header, normalise_name
from salesbook.book.layout import Box, blank_inside, read_box, read_range
from salesbook.book.ooxml import NS, sheet_parts
from salesbook.book.safety import check_workbook_file
from salesbook.errors import InputError, problem
from salesbook.schemas import REGISTRY

_CELL_ERROR = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*>\s*(?:<f[^>]*/>|<f[^>]*>.*?</f>)?\s*'
                         rb'<v>([^<]*)</v>', re.S)
_CELL_ERROR_ALT = re.compile(rb'<c\b[^>]*?\bt="e"[^>]*?\br="([A-Z]+)(\d+)"[^>]*>\s*(?:<f[^>]*/>|<f[^>]*>.*?</f>)?'
                             rb'\s*<v>([^<]*)</v>', re.S)


_REF = re.compile(r"^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="([^"]+)"')
_TABLE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"


def _col_index(letters: bytes | str) -> int:
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + (ch - 64)
    return n


@dataclass(frozen=True)
class TablePart:
    """An Excel Table as its part in the package declares it."""

    name: str
    sheet: str
    box: Box
    header_rows: int
    totals_rows: int
    columns: tuple[str, ...]
    part: str = ""    # the table part's name in the package


def _box(ref: str) -> Box | None:
    m = _REF.match(ref.upper())
    if not m:
        return None
    c1, r1 = _col_index(m.group(1)), int(m.group(2))
    c2, r2 = (_col_index(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    return Box(min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))


def _dimension(xml: bytes | None) -> Box | None:
    """The used range a worksheet part declares (``<dimension ref="A1:I100001"/>``), if any."""
    if xml is None:
        return None
    m = _DIMENSION.search(xml, 0, 4096)
    return _box(m.group(1).decode("ascii", "replace")) if m else None


def _no_values_after(xml: bytes | None, row: int) -> bool:
    """True when the worksheet part surely holds no cell value below ``row`` (rows there may still carry
    formatting only, as a template's pre-formatted rows do); False when it may, or cannot be told."""
    if xml is None:
        return False
    at = xml.rfind(b'<row r="%d"' % row)
    if at < 0:
        return False
    opened = xml.find(b">", at)
    start = opened if opened > 0 and xml[opened - 1:opened] == b"/" else xml.find(b"</row>", at)
    end = xml.find(b"</sheetData>", at)
    if start < 0 or end < 0:
        return False
    tail = xml[start:end]
    return not any(tag in tail for tag in (b"<v>", b"<v ", b"<is>", b"<is ", b":v>"))


def _mark_error_cells(xml: bytes | None, grid: list[list[Any]], origin: tuple[int, int]) -> None:
    """calamine hands Excel error cells (#N/A ...) over as blanks; put the error text back."""
    if xml is None or b't="e"' not in xml:
        return
    for pattern in (_CELL_ERROR, _CELL_ERROR_ALT):
        for m in pattern.finditer(xml):
            col = _col_index(m.group(1)) - origin[1]
            i = int(m.group(2)) - origin[0]
            if 0 <= i < len(grid) and 0 <= col < len(grid[i]):
                grid[i][col] = m.group(3).decode("utf-8", "replace")


def _only_rows(raw: RawTable, rows: list[int]) -> RawTable:
    """``raw`` cut down to the rows at these Excel row numbers, in their order (blank where it has none)."""
    at = {raw.excel_row(i): i for i in range(raw.n_rows)}
    blank = [None] * len(raw.headers)
    return RawTable(name=raw.name, sheet=raw.sheet, headers=raw.headers,
                    rows=[raw.rows[at[r]] if r in at else blank for r in rows], header_row=raw.header_row,
                    first_col=raw.first_col, row_numbers=list(rows), problems=raw.problems, warnings=raw.warnings)


def table_parts(zf: zipfile.ZipFile) -> dict[str, TablePart]:
    """Every Excel Table in the package by its display name (and by its name, when that differs)."""
    names = set(zf.namelist())
    out: dict[str, TablePart] = {}
    for sheet, part in sheet_parts(zf).items():
        folder, leaf = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", leaf + ".rels")
        if rels not in names:
            continue
        for rel in ElementTree.fromstring(zf.read(rels)).findall("p:Relationship", NS):
            if rel.get("Type") != _TABLE_REL or rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            if path not in names:
                continue
            try:
                root = ElementTree.fromstring(zf.read(path))
                box = _box(root.get("ref", ""))
                header_rows = min(max(int(root.get("headerRowCount", "1") or 1), 0), 1)
                totals_rows = min(max(int(root.get("totalsRowCount", "0") or 0), 0), 1)
            except Exception:  # a part that does not parse: calamine's own view of the table is used
                continue
            if box is None:
                continue
            columns = tuple(decode_escapes(c.get("name", "")) for c in root.iterfind("m:tableColumns/m:tableColumn", NS))
            table = TablePart(name=root.get("displayName") or root.get("name") or "", sheet=sheet, box=box,
                              header_rows=header_rows, totals_rows=totals_rows, columns=columns, part=path)
            for key in (root.get("displayName"), root.get("name")):
                if key:
                    out.setdefault(key, table)
    return out


def _table_aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for name, table in REGISTRY.items():
        for label in (name, table.zh, *table.aliases):
            out.setdefault(normalise_name(label), name)
    return out


class FileBook:
    """Read-only view of an .xlsx/.xlsm file plus staged output tables.

    ``engine`` picks the cell reader ("calamine" or "openpyxl"); by default python-calamine when installed.
    """

    def __init__(self, path: str | Path, *, engine: str | None = None):
        self.path = Path(path)
        check_workbook_file(self.path)
        self._opening = readers.start_opening(self.path)   # meanwhile: both readers read the shared strings
        try:
            self._wb = open_cells(self.path, engine)
        except Unreadable as exc:
            if exc.password:
                raise InputError(problem("'{file}' is password-protected; remove the password and try again.",
                                         "“{file}”设置了密码；请取消密码后重试。", file=self.path.name)) from exc
            raise InputError(problem("'{file}' cannot be read as a workbook: {err}.",
                                     "无法作为工作簿读取“{file}”：{err}。", file=self.path.name, err=str(exc))) from exc
        self.outputs: dict[str, pd.DataFrame] = {}
        self._sheet_parts: dict[str, str] | None = None
        self._table_parts: dict[str, TablePart] | None = None
        self._raw_cache: dict[str, RawTable | None] = {}
        self._locations = self._find_tables()
        self._typed: readers.TypedReader | bool | None = False  # opened when a large table is first read
        self._areas: dict[TablePart, readers.Area | None] = {}     # ``_typed_area`` of each table asked about
        self._facts: stamps.PackageFacts | None = None

    # -- discovery -------------------------------------------------------------------------------
    def _find_tables(self) -> dict[str, tuple[str, str]]:
        """canonical name -> ("table", excel table name) or ("sheet", sheet name)."""
        aliases = _table_aliases()
        found: dict[str, tuple[str, str]] = {}
        table_names = self._wb.table_names()
        if table_names is None:  # the reader does not list tables: the package's table parts name them
            table_names = list(dict.fromkeys(t.name for t in self._tables().values()))
        for tname in table_names:
            canon = aliases.get(normalise_name(tname))
            if canon and canon not in found:
                found[canon] = ("table", tname)
        for sheet in self._wb.sheet_names:
            canon = aliases.get(normalise_name(sheet))
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
            part = self._tables().get(ident)
            if part is None:  # not found in the package: the reader's view of the table, nothing around it
                return self._reader_table(name, ident)
            return self._typed_table(name, ident, part) or self._cell_table(name, ident, part)
        grid = self._wb.sheet_grid(ident)
        _mark_error_cells(self._sheet_xml(ident), grid, (1, 1))
        others = [t.box for t in self._tables().values() if t.sheet == ident]
        return read_range(name, ident, grid, (1, 1), header_lookup(REGISTRY[name]), others=others)

    def stamp(self, name: str, formats: int | None = None) -> str | None:
        """A stamp of the parts the table's cells are read from (``stamps``), without reading them; with
        ``formats``, made the way a stamp recorded with that many cell formats was."""
        where = self._locations.get(name)
        if where is None:
            return None
        kind, ident = where
        table = self._tables().get(ident) if kind == "table" else None
        sheet = table.sheet if table is not None else (ident if kind == "sheet" else None)
        sheet_part = self._sheet_part(sheet) if sheet is not None else None
        if sheet_part is None:
            return None
        if self._facts is None:
            with zipfile.ZipFile(self.path) as zf:
                self._facts = stamps.package_facts(zf)
        return stamps.table_stamp(self._facts, [sheet_part, *([table.part] if table is not None else [])], formats)

    def _others(self, part: TablePart) -> list[Box]:
        """The boxes of the other tables on ``part``'s sheet."""
        return [t.box for t in {id(t): t for t in self._tables().values()}.values()
                if t.sheet == part.sheet and t is not part]

    def read_columns(self, name: str, columns: Collection[str]) -> RawTable | None:
        """The table with at least the columns named (canonical names) read: a large Excel Table's other
        columns are left unread (None in its ``columns``; read cell by cell only if something asks for them).

        Why: a report needs a few columns of a few tables; reading the whole of a 500,000-row book for them
        took most of its time and memory. A table read so holds the rows with a value in those columns
        (``partial``): enough for what they say, not for a fingerprint of the whole table."""
        if name in self._raw_cache:
            return self._raw_cache[name]
        where = self._locations.get(name)
        part = self._tables().get(where[1]) if where is not None and where[0] == "table" else None
        if part is not None:
            lookup = header_lookup(REGISTRY[name])
            keep = [j for j, h in enumerate(part.columns) if match_header(h, lookup) in set(columns)]
            if 0 < len(keep) < len(part.columns):
                typed = self._typed_table(name, where[1], part, keep)  # type: ignore[index]
                if typed is not None:
                    return typed
        return self.read_raw(name)

    def read_ahead(self, names: Collection[str]) -> list[str]:
        """Start reading the large tables among ``names`` now, on the reader's threads, and say which (the
        smallest first): a caller can do its other work (the small tables) meanwhile, then take them
        as they are ready (``as_read``)."""
        tables = self._tables()
        parts = {n: tables.get(w[1]) for n, w in self._locations.items() if n in names and w[0] == "table"}
        large = [n for n, p in parts.items() if p is not None and n not in self._raw_cache and self._typed_area(p)]
        if large and self._typed is False:
            self._open_typed(whole=True)
        return sorted(large, key=lambda n: parts[n].box.bottom - parts[n].box.top) if self._typed else []

    def as_read(self, names: Sequence[str]) -> Iterator[str]:
        """``names`` (tables ``read_ahead`` started) as their reads end, for the caller to check each as soon as
        it is in. Why: the two threads read the largest tables first, so in any fixed order the caller would
        wait for a table still being read while others lay ready (on a 500,000-deal book, smallest first,
        Payments lay read for about three seconds while the checks waited for Leads, read last)."""
        typed, tables = self._typed, self._tables()
        areas = {self._typed_area(tables[self._locations[n][1]]): n for n in names} if typed else {}
        if not typed or None in areas or len(areas) != len(names):   # not read ahead: as given
            yield from names
            return
        for area in typed.completed(list(areas)):  # type: ignore[union-attr]
            yield areas[area]

    def _typed_area(self, part: TablePart) -> readers.Area | None:
        """The data area of a large Excel Table with nothing around it (by the sheet's dimension), which a
        typed read may take; None where the cell-by-cell read must (it locates what lies beside a table).
        Worked out once per table: reading ahead, handing over and reading each ask (the sheet's head is
        inflated each time; a 500,000-deal book's load asked 105 times, 31 ms)."""
        if part not in self._areas:
            self._areas[part] = self._find_typed_area(part)
        return self._areas[part]

    def _find_typed_area(self, part: TablePart) -> readers.Area | None:
        box = part.box
        first, last, width = box.top + 1, box.bottom, box.right - box.left + 1
        if part.header_rows != 1 or part.totals_rows or len(part.columns) != width or self._others(part) \
                or last - first + 1 < readers.typed_min_rows():
            return None
        dim = _dimension(self._sheet_head(part.sheet))
        if dim is None or dim.left < box.left or dim.right > box.right or dim.bottom < box.top:
            return None
        return (part.sheet, first, last, box.left, box.right)

    def _open_typed(self, whole: bool) -> None:
        """The typed reader, opened once. For a whole book's first large table (``whole``) every large table it
        has is read from then on, two at a time; a read of some columns (a report) starts nothing else."""
        areas: list[readers.Area] = []
        if whole:
            parts = {self._tables()[i] for k, i in self._locations.values() if k == "table" and i in self._tables()}
            areas = [a for a in map(self._typed_area, sorted(parts, key=lambda t: t.box.top - t.box.bottom)) if a]
        self._typed = readers.open_typed(self.path, areas, self._opening)
        self._opening = None

    def _typed_table(self, name: str, ident: str, part: TablePart, keep: list[int] | None = None) -> RawTable | None:
        """A large Excel Table with nothing around it, read column-wise (only the columns ``keep`` when
        given); None where that does not apply (the cell-by-cell read then locates whatever lies below or
        beside the table)."""
        area = self._typed_area(part)
        if area is None:
            return None
        if self._typed is False:
            self._open_typed(whole=keep is None)
        if not self._typed:
            return None
        box = part.box
        first, width = box.top + 1, box.right - box.left + 1
        read = self._typed.read(area, keep)
        if read is None or read.sheet_rows > box.bottom:  # values below the table (beside it: the dimension)
            return None
        columns = read.columns
        wanted = range(width) if keep is None else keep
        partial = keep is not None
        rows_of: list[int] | None = None   # a partial read's rows, for its cell-by-cell read to match
        whole: list[RawTable] = []          # the cell-by-cell read, made once

        def cells() -> RawTable:
            if not whole:
                whole.append(self._cell_table(name, ident, part))
            return whole[0] if rows_of is None else _only_rows(whole[0], rows_of)

        if any(columns[j] is None for j in wanted):  # rows as the cell-by-cell read keeps them, for every column
            cell_raw = cells()
            numbers = np.asarray(cell_raw.row_numbers or [], dtype=np.int64)
            if cell_raw.problems or (len(numbers) and numbers.max() - first >= read.rows):
                return cell_raw
            take = numbers - first
            warnings = list(cell_raw.warnings)
            partial = False
        else:
            blank = np.ones(read.rows, dtype=bool)
            for col in (columns[j] for j in wanted):
                blank &= col.values < 0 if col.kind in ("text", "bool") else (
                    np.isnan(col.values) if col.kind == "number" else np.isnat(col.values))
            take = np.flatnonzero(~blank)
            warnings = []
            if not partial and len(take) and len(take) <= take[-1]:  # blank in the columns read is not blank
                inside = np.flatnonzero(blank[:take[-1]])
                warnings.append(blank_inside(part.sheet, part.name, (inside + first).tolist()))
            numbers = take + first
            if partial:
                rows_of = numbers.tolist()
        sliced = [None if c is None else TypedColumn(c.kind, c.values[take], c.texts) for c in columns]
        table = TypedTable(name=name, sheet=part.sheet, headers=list(part.columns), columns=sliced, cell_table=cells,
                           header_row=box.top, first_col=box.left, row_numbers=numbers.tolist(), warnings=warnings)
        table.partial = partial
        return table

    def _cell_table(self, name: str, ident: str, part: TablePart) -> RawTable:
        """An Excel Table read cell by cell, with what lies below and beside it."""
        xml = self._sheet_xml(part.sheet)
        dim = _dimension(xml)
        box = part.box
        t = None
        if dim is not None and box.left <= dim.left and dim.right <= box.right and dim.bottom >= box.top \
                and (dim.bottom <= box.bottom or _no_values_after(xml, box.bottom)):
            # the sheet's used range is inside the table: nothing around it, and calamine reads a
            # table's own cells faster than the whole sheet's (a reader that lists no tables gives None)
            t = self._wb.table(ident)
        if t is not None:
            grid = [list(t.columns)] if part.header_rows else []
            grid += t.rows
            origin = (box.top, box.left)
        else:
            grid = self._wb.sheet_grid(part.sheet)
            origin = (1, 1)
        _mark_error_cells(xml, grid, origin)
        headers = list(part.columns) if len(part.columns) == box.right - box.left + 1 else None
        return read_box(name, part.sheet, grid, origin, box, tname=part.name, headers=headers,
                        header_rows=part.header_rows, totals_rows=part.totals_rows, others=self._others(part))

    def _reader_table(self, name: str, ident: str) -> RawTable:
        t = self._wb.table(ident)
        if t is None:
            raise KeyError(ident)  # only a reader that lists tables (python-calamine) gets here
        data_start_row, first_col = t.start
        rows = t.rows
        while rows and all(v in ("", None) for v in rows[-1]):
            rows.pop()
        return RawTable(name=name, sheet=t.sheet, headers=list(t.columns), rows=rows, header_row=data_start_row,
                        first_col=first_col + 1)

    def _tables(self) -> dict[str, TablePart]:
        if self._table_parts is None:
            with zipfile.ZipFile(self.path) as zf:
                self._table_parts = table_parts(zf)
        return self._table_parts

    def _sheet_xml(self, sheet: str) -> bytes | None:
        part = self._sheet_part(sheet)
        if part is None:
            return None
        with zipfile.ZipFile(self.path) as zf:
            return zf.read(part) if part in zf.namelist() else None

    def _sheet_head(self, sheet: str, size: int = 4096) -> bytes | None:
        """The first bytes of a sheet's XML (where its dimension is), without inflating the rest."""
        part = self._sheet_part(sheet)
        if part is None:
            return None
        with zipfile.ZipFile(self.path) as zf:
            if part not in zf.namelist():
                return None
            with zf.open(part) as fh:
                return fh.read(size)

    def _sheet_part(self, sheet: str) -> str | None:
        if self._sheet_parts is None:
            with zipfile.ZipFile(self.path) as zf:
                self._sheet_parts = sheet_parts(zf)
        return self._sheet_parts.get(sheet)

    # -- writing ---------------------------------------------------------------------------------
    def write_table(self, name: str, frame: pd.DataFrame, *, lang: str = "en") -> None:
        self.outputs[name] = frame

    def close(self) -> None:
        """Close the file and let go of what was read from it (a large book's cells are hundreds of
        megabytes; the tables made from them live on in whatever the caller kept)."""
        if self._typed:
            self._typed.close()
        self._typed = None
        if self._opening is not None:   # never needed: let its reader go (and the file with it)
            self._opening.result()
            self._opening = None
        self._raw_cache.clear()
        self._wb.close()

    def __enter__(self) -> FileBook:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
