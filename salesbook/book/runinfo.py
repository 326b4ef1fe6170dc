"""What a computed book was computed from, so a report can tell stale results from fresh ones.

``salesbook run`` writes ``Out_RunInfo``: one row per input table with its row count and a fingerprint of
its cells as read. ``salesbook report`` refuses a book without it (it was never computed) and warns,
naming the tables, when the inputs no longer match (edited after the run).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from collections.abc import Mapping

import pandas as pd

from salesbook.book.base import Book, RawTable
from salesbook.book.headers import header_lookup, match_header
from salesbook.errors import InputError, Problem, problem
from salesbook.schemas import REGISTRY
from salesbook.version import __version__

RUNINFO = "Out_RunInfo"


def fingerprint(raw: RawTable) -> str:
    """A digest of the headers and every cell value as read (types included: 5 and "5" differ)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(pickle.dumps((raw.headers, raw.rows), protocol=5))
    return digest.hexdigest()


def input_fingerprints(book: Book) -> dict[str, tuple[str, int, str]]:
    """Input table -> (sheet, rows, fingerprint) for every input table the book holds."""
    out = {}
    for name in book.table_names():
        table = REGISTRY.get(name)
        if table is None or table.output:
            continue
        raw = book.read_raw(name)
        if raw is not None:
            out[name] = (raw.sheet, len(raw.rows), fingerprint(raw))
    return out


def runinfo_frame(prints: Mapping[str, tuple[str, int, str]], as_of: dt.date | None = None) -> pd.DataFrame:
    """Rows per input table; the date is the run's as-of date (not the clock), so reruns write the same bytes."""
    stamp = (as_of or dt.date.today()).isoformat()
    rows = [(name, sheet, n, fp, stamp, __version__) for name, (sheet, n, fp) in sorted(prints.items())]
    frame = pd.DataFrame(rows, columns=["table", "sheet", "rows", "fingerprint", "as_of", "version"])
    frame["rows"] = frame["rows"].astype("Int64")
    return frame


def check_computed(book: Book) -> list[Problem]:
    """Refuse a book that was never computed; warnings for inputs changed since it was."""
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
    stored: dict[str, str] = {}
    for row in raw.rows:
        cells = dict(zip(columns, row, strict=False))
        if cells.get("table"):
            stored[str(cells["table"])] = str(cells.get("fingerprint") or "")
    now = input_fingerprints(book)
    changed = sorted(n for n in set(stored) | set(now)
                     if stored.get(n) != (now[n][2] if n in now else None))
    if not changed:
        return []
    sheets_en = ", ".join(now[n][0] if n in now else n for n in changed)
    sheets_zh = "、".join(now[n][0] if n in now else n for n in changed)
    return [problem("the inputs changed after the results were computed ({sheets_en}): the reviews show the results "
                    "of the last run; run `salesbook run` again to bring them up to date.",
                    "计算结果之后输入又被修改过（{sheets_zh}）：报告显示的是上次运行的结果；请重新运行 `salesbook run` 更新。",
                    sheet=RUNINFO, sheets_en=sheets_en, sheets_zh=sheets_zh)]
