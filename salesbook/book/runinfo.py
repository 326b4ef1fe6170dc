"""What a computed book was computed from, so a report can tell stale results from fresh ones.

``salesbook run`` writes ``Out_RunInfo``: one row per input table with its row count and a fingerprint of
its cells as read. ``salesbook report`` refuses a book without it (it was never computed) and warns,
naming the tables, when the inputs no longer match (edited after the run).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from salesbook.book import stamps
from salesbook.book.base import Book, RawTable, TypedColumn, TypedTable
from salesbook.book.headers import header_lookup, match_header
from salesbook.errors import InputError, Problem, problem
from salesbook.schemas import REGISTRY
from salesbook.version import __version__

RUNINFO = "Out_RunInfo"


_SCHEME = "v2:"  # fingerprints made column by column; older books hold the row-by-row digest (no prefix)
_BLANK, _NUMBER, _TEXT, _BOOL, _DATE, _OTHER = range(6)


def fingerprint(raw: RawTable) -> str:
    """A digest of the headers and every cell value as read (types included: 5 and "5" differ).

    Made column by column from a canonical form of the cells (a type tag, a number, a text), so a table
    read column-wise (``TypedTable``) and the same table read cell by cell give the same digest, and a
    typed read never has to make a Python object per cell for it.
    """
    if getattr(raw, "partial", False):
        raise ValueError(f"{raw.name} was read for some columns only: no fingerprint of the whole table")
    digest = hashlib.blake2b(digest_size=16)
    digest.update(pickle.dumps([str(h) for h in raw.headers], protocol=5))
    width = len(raw.headers)
    typed = raw.columns if isinstance(raw, TypedTable) else None
    rows = None
    for j in range(width):
        col = typed[j] if typed is not None else None
        if col is None:
            if rows is None:
                rows = raw.cell_table().rows if isinstance(raw, TypedTable) else raw.rows
            part = _canonical_cells([r[j] if j < len(r) else None for r in rows])
        else:
            part = _canonical_typed(col)
        tags, numbers, codes, texts = part
        has_number = (tags == _NUMBER) | (tags == _BOOL) | (tags == _DATE)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        for block in (tags, numbers[has_number], codes[codes >= 0], lengths):
            digest.update(block.tobytes())
        digest.update("\x00".join(texts).encode("utf-8", "surrogatepass"))
    return _SCHEME + digest.hexdigest()


def legacy_fingerprint(raw: RawTable) -> str:
    """The row-by-row digest books computed before column-wise reading hold."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(pickle.dumps((raw.headers, raw.rows), protocol=5))
    return digest.hexdigest()


Canonical = tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]


def _first_seen(codes: np.ndarray, texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Codes renumbered in order of first appearance (-1 kept), with their texts."""
    used = codes >= 0
    order = pd.unique(codes[used])
    remap = np.full(len(texts) + 1, -1, dtype=np.int64)
    remap[order] = np.arange(len(order))
    out = np.where(used, remap[np.where(used, codes, len(texts))], -1)
    return out.astype(np.int64), [texts[k] for k in order.tolist()]


def _canonical_typed(col: TypedColumn) -> Canonical:
    n = len(col.values)
    numbers = np.zeros(n, dtype=np.float64)
    codes = np.full(n, -1, dtype=np.int64)
    texts: list[str] = []
    if col.kind == "text":
        texts = col.texts or []
        # a dictionary from the reader is in order of first appearance; only an empty text (a blank) is
        # left in it unused, and then the codes are renumbered
        codes, texts = _first_seen(col.values, texts) if "" in texts else (col.values, list(texts))
        tags = np.where(codes >= 0, _TEXT, _BLANK).astype(np.uint8)
    elif col.kind == "number":
        seen = ~np.isnan(col.values)
        tags = np.where(seen, _NUMBER, _BLANK).astype(np.uint8)
        numbers[seen] = col.values[seen]
    elif col.kind == "bool":
        seen = col.values >= 0
        tags = np.where(seen, _BOOL, _BLANK).astype(np.uint8)
        numbers[seen] = col.values[seen]
    else:
        seen = ~np.isnat(col.values)
        tags = np.where(seen, _DATE, _BLANK).astype(np.uint8)
        numbers[seen] = col.values[seen].astype("datetime64[ms]").astype(np.int64)
    return tags, numbers, codes, texts


def _canonical_cells(cells: list[Any]) -> Canonical:
    n = len(cells)
    tags = np.zeros(n, dtype=np.uint8)
    numbers = np.zeros(n, dtype=np.float64)
    text_at: list[int] = []
    text_of: list[str] = []
    dates_at: list[int] = []
    dates: list[Any] = []
    for i, v in enumerate(cells):
        if v is None or v == "":
            continue
        if isinstance(v, bool):
            tags[i], numbers[i] = _BOOL, float(v)
        elif isinstance(v, int | float):
            tags[i], numbers[i] = _NUMBER, float(v)
        elif isinstance(v, str):
            tags[i] = _TEXT
            text_at.append(i)
            text_of.append(v)
        elif isinstance(v, dt.date):
            tags[i] = _DATE
            dates_at.append(i)
            dates.append(v)
        else:
            tags[i] = _OTHER
            text_at.append(i)
            text_of.append(str(v))
    if dates:
        numbers[dates_at] = np.array(dates, dtype="datetime64[ms]").astype(np.int64)
    codes = np.full(n, -1, dtype=np.int64)
    texts: list[str] = []
    if text_of:
        found, uniques = pd.factorize(np.array(text_of, dtype=object))
        codes[text_at] = found
        texts = [str(u) for u in uniques]
    return tags, numbers, codes, texts


def input_fingerprints(book: Book, stamps: Mapping[str, str] | None = None) -> dict[str, tuple[str, int, str, str]]:
    """Input table -> (sheet, rows, fingerprint, stamp) for every input table the book holds; the stamp
    (``stamps``) is "" where the book cannot make one (live Excel). ``stamps``: as ``input_stamps`` gave them
    earlier (the book's parts as they were read), instead of made now."""
    stamps = input_stamps(book) if stamps is None else stamps
    out = {}
    for name in _input_tables(book):
        raw = book.read_raw(name)
        if raw is not None:
            out[name] = (raw.sheet, raw.n_rows, fingerprint(raw), stamps.get(name, ""))
    return out


def input_stamps(book: Book) -> dict[str, str]:
    """Input table -> the stamp of the parts its cells are read from ("" where the book cannot make one)."""
    stamp = getattr(book, "stamp", None)
    return {name: (stamp(name) if stamp is not None else None) or "" for name in _input_tables(book)}


def _input_tables(book: Book) -> list[str]:
    """The input tables whose cells the results depend on (not Recipients: who gets a review changes no figure)."""
    return [n for n in book.table_names() if n in REGISTRY and not REGISTRY[n].output and REGISTRY[n].fingerprinted]


def runinfo_frame(prints: Mapping[str, tuple[str, int, str, str]], as_of: dt.date | None = None) -> pd.DataFrame:
    """Rows per input table; the date is the run's as-of date (not the clock), so reruns write the same bytes."""
    stamp = (as_of or dt.date.today()).isoformat()
    rows = [(name, sheet, n, fp, parts, stamp, __version__) for name, (sheet, n, fp, parts) in sorted(prints.items())]
    frame = pd.DataFrame(rows, columns=["table", "sheet", "rows", "fingerprint", "parts", "as_of", "version"])
    frame["rows"] = frame["rows"].astype("Int64")
    return frame


def check_computed(book: Book) -> list[Problem]:
    """Refuse a book that was never computed; warnings for inputs changed since it was.

    A table whose parts are as they were when the book was computed (its recorded stamp) is unchanged
    without reading it; any other table is read and its cells' fingerprint compared, so only a change to
    the cells counts (a book re-saved by Excel or LibreOffice, every part rewritten, is not "changed")."""
    raw = book.read_raw(RUNINFO)
    if raw is None and any(REGISTRY[n].output and n != RUNINFO for n in book.table_names()):
        return [problem("this workbook's results carry no {info} sheet (computed by an older salesbook), so whether "
                        "the inputs changed since cannot be checked; run `salesbook run` again to be sure.",
                        "该工作簿的计算结果没有 {info} 工作表（由旧版本计算），无法核对之后输入是否被修改；"
                        "如需确认请重新运行 `salesbook run`。", info=RUNINFO)]
    if raw is None:
        raise InputError(problem(
            "this workbook has no results yet (no {info} sheet): run `salesbook run BOOK.xlsx` first, then make "
            "the reports from the computed workbook it writes (BOOK_computed.xlsx).",
            "该工作簿还没有计算结果（没有 {info} 工作表）：请先运行 `salesbook run 工作簿.xlsx`，"
            "再用运行输出的计算结果工作簿生成报告。", info=RUNINFO))
    lookup = header_lookup(REGISTRY[RUNINFO])
    columns = [match_header(h, lookup) for h in raw.headers]  # the sheet's headers are in the book's language
    stored: dict[str, tuple[str, str]] = {}
    for row in raw.rows:
        cells = dict(zip(columns, row, strict=False))
        if cells.get("table"):
            stored[str(cells["table"])] = (str(cells.get("fingerprint") or ""), str(cells.get("parts") or ""))
    changed = [(n, sheet) for n in sorted(set(stored) | set(_input_tables(book)))
               if (sheet := _changed(book, n, *stored.get(n, ("", "")), n in stored)) is not None]
    if not changed:
        return []
    sheets_en = ", ".join(sheet for _, sheet in changed)
    sheets_zh = "、".join(sheet for _, sheet in changed)
    return [problem("the inputs changed after the results were computed ({sheets_en}): the reviews show the results "
                    "of the last run; run `salesbook run` again to bring them up to date.",
                    "计算结果之后输入又被修改过（{sheets_zh}）：报告显示的是上次运行的结果；请重新运行 `salesbook run` 更新。",
                    sheet=RUNINFO, sheets_en=sheets_en, sheets_zh=sheets_zh)]


def _changed(book: Book, name: str, print_: str, parts: str, recorded: bool) -> str | None:
    """None when input table ``name`` is as recorded, else the sheet (or the table's name) to name it by."""
    formats = stamps.recorded_formats(parts) if recorded else None
    stamp = getattr(book, "stamp", None)
    if formats is not None and stamp is not None and name in book.table_names() and stamp(name, formats) == parts:
        return None   # the parts it is read from are the ones it was computed from: not read at all
    raw = book.read_raw(name) if name in book.table_names() else None
    if raw is None:
        return name if recorded else None
    if not recorded:
        return raw.sheet
    now = fingerprint(raw) if print_.startswith(_SCHEME) or not print_ else legacy_fingerprint(raw)
    return None if now == print_ else raw.sheet
