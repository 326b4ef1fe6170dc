"""Read raw tables into clean DataFrames, reporting every problem at once.

The DataFrames carry canonical column names and clean dtypes; their index is the Excel row number
(named ``excel_row``), so any engine can point a user at the exact row.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salesbook.book.base import Book, RawTable
from salesbook.book.headers import closest_header, display_header, header_lookup, match_header, normalise_header
from salesbook.book.parse import error_mask, parse_column
from salesbook.errors import InputError, Locator, Problem, problem
from salesbook.schemas import REGISTRY, SETTINGS, Column, Kind, Table

_KIND_WORD = {
    Kind.NUMBER: ("a number", "数字"),
    Kind.MONEY: ("an amount", "金额"),
    Kind.PERCENT: ("a percentage", "百分比"),
    Kind.INT: ("a whole number", "整数"),
    Kind.DATE: ("a date (e.g. 2026-03-31)", "日期（如 2026-03-31）"),
    Kind.BOOL: ("yes or no", "是或否"),
}


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class LoadedBook:
    """Clean tables, the settings dict, and where each table lives for messages."""

    tables: dict[str, pd.DataFrame]
    settings: dict[str, object]
    locator: Locator
    warnings: list[Problem] = field(default_factory=list)

    def get(self, name: str) -> pd.DataFrame | None:
        return self.tables.get(name)


def empty_frame(table: Table) -> pd.DataFrame:
    """A table with no rows, its columns typed as validation types them (for a sheet the book does not have)."""
    frame = pd.DataFrame({c.name: pd.Series([], dtype=object) for c in table.columns})
    frame.index.name = "excel_row"
    for col in table.columns:
        frame[col.name], _ = parse_column(frame[col.name], col)
    return frame


def read_table(raw: RawTable, table: Table, *,
               require_rows: bool = False) -> tuple[pd.DataFrame, list[Problem], dict[str, str]]:
    """Map headers, parse every column, check required/blank/range/choices/unique. No cross-table checks."""
    problems: list[Problem] = []
    lookup = header_lookup(table)
    positions: dict[str, int] = {}
    shown: dict[str, str] = {}
    header_row = raw.header_row
    unknown: list[object] = []
    for i, header in enumerate(raw.headers):
        canon = match_header(header, lookup)
        if canon is None or canon in positions:
            if canon in positions:
                problems.append(problem(
                    "the column '{h}' appears twice.", "列“{h}”出现了两次。",
                    sheet=raw.sheet, row=header_row, column=f"{column_letter(raw.first_col + i)}",
                    h=display_header(header)))
            elif header is not None:
                unknown.append(header)
            continue
        positions[canon] = i
        shown[canon] = f"{display_header(header)} ({column_letter(raw.first_col + i)})"
    for col in table.columns:
        if col.required and col.name not in positions:
            close = closest_header(((col.label_en, 0.6), (col.zh, 0.5)), unknown)
            hint_en = f" Did you mean '{close}'?" if close else ""
            hint_zh = f"是否应为“{close}”？" if close else ""
            problems.append(problem(
                "required column '{en}' (or '{zh}') is missing." + hint_en,
                "缺少必填列“{zh}”（或“{en}”）。" + hint_zh,
                sheet=raw.sheet, row=header_row, column=col.label_en, en=col.label_en, zh=col.zh))
    n = len(raw.rows)
    index = _row_index(raw)
    if n == 0 and require_rows:
        problems.append(problem("the table is empty: add at least one row below the headers.",
                                "表格为空：请在表头下至少填写一行。", sheet=raw.sheet, row=header_row + 1))
    cells = _cell_grid(raw.rows, len(raw.headers))
    data: dict[str, pd.Series] = {}
    for col in table.columns:
        pos = positions.get(col.name)
        values = pd.Series(cells[:, pos] if pos is not None else None, index=index, dtype=object)
        col_problems, parsed = _check_column(values, col, raw.sheet, shown.get(col.name, col.label_en), pos)
        problems.extend(col_problems)
        data[col.name] = parsed
    frame = pd.DataFrame(data, index=index)
    if table.key and all(k in positions for k in table.key):
        problems.extend(_check_unique(frame, table, raw.sheet, shown))
    return frame, problems, shown


def _row_index(raw: RawTable) -> pd.Index:
    """The data rows' Excel row numbers (an empty table keeps pandas' default empty index, as before).

    The reader's own row numbers when it gives them (blank rows inside a table are left out, so the rows
    after one are not consecutive), else the rows right under the header."""
    n = len(raw.rows)
    if not n:
        return pd.Index([], name="excel_row")
    if raw.row_numbers is not None:
        return pd.Index(np.asarray(raw.row_numbers, dtype=np.int64), name="excel_row")
    return pd.Index(np.arange(raw.excel_row(0), raw.excel_row(0) + n, dtype=np.int64), name="excel_row")


def _cell_grid(rows: list[list[object]], width: int) -> np.ndarray:
    """The cells as a (rows x width) object array; rows shorter than the header are padded with None.

    One C-level pass for the whole table (each cell kept as is); a column is then a slice of it,
    not a Python loop over the rows."""
    if set(map(len, rows)) - {width}:
        rows = [[*r[:width], *([None] * (width - len(r)))] for r in rows]
    cells = np.fromiter(itertools.chain.from_iterable(rows), dtype=object, count=len(rows) * width)
    return cells.reshape(len(rows), width)


def _check_column(values: pd.Series, col: Column, sheet: str, shown: str,
                  pos: int | None) -> tuple[list[Problem], pd.Series]:
    problems: list[Problem] = []
    errors = error_mask(values)
    if errors.any():
        for row in values.index[errors]:
            problems.append(problem("the cell holds the Excel error {v}; fix the formula or type a value.",
                                    "单元格是 Excel 错误值 {v}；请修正公式或直接填写数值。",
                                    sheet=sheet, row=int(row), column=shown, v=str(values[row]).strip()))
        values = values.where(~errors, None)
    parsed, bad = parse_column(values, col)
    for row in values.index[bad]:
        if col.kind is Kind.CHOICE:
            allowed_en = ", ".join(c.value for c in col.choices)
            allowed_zh = "、".join(c.zh for c in col.choices)
            problems.append(problem("'{v}' is not allowed here; use one of: {allowed_en}.",
                                    "“{v}”不是允许的取值；可选：{allowed_zh}。", sheet=sheet, row=int(row),
                                    column=shown, v=values[row], allowed_en=allowed_en, allowed_zh=allowed_zh))
        else:
            word_en, word_zh = _KIND_WORD.get(col.kind, ("a value", "数值"))
            problems.append(problem("'{v}' is not {w_en}.", "“{v}”不是有效的{w_zh}。", sheet=sheet, row=int(row),
                                    column=shown, v=values[row], w_en=word_en, w_zh=word_zh))
    if col.required and pos is not None:
        missing = parsed.isna() & ~bad & ~errors
        for row in parsed.index[missing]:
            problems.append(problem("this required cell is empty.", "必填单元格为空。",
                                    sheet=sheet, row=int(row), column=shown))
    if col.min_value is not None or col.max_value is not None:
        nums = pd.to_numeric(parsed, errors="coerce")
        if col.min_value is not None:
            for row in nums.index[nums < col.min_value]:
                problems.append(problem("{v} is below the smallest allowed value {m}.",
                                        "{v} 小于允许的最小值 {m}。", sheet=sheet, row=int(row), column=shown,
                                        v=_fmt(nums[row]), m=_fmt(col.min_value)))
        if col.max_value is not None:
            for row in nums.index[nums > col.max_value]:
                problems.append(problem("{v} is above the largest allowed value {m}.",
                                        "{v} 大于允许的最大值 {m}。", sheet=sheet, row=int(row), column=shown,
                                        v=_fmt(nums[row]), m=_fmt(col.max_value)))
    if col.default is not None and not col.required:
        fill = parsed.isna() & ~bad
        if fill.any():
            parsed = parsed.copy()
            parsed[fill] = col.default
    return problems, parsed


def _fmt(x: float) -> str:
    return f"{x:g}"


def _check_unique(frame: pd.DataFrame, table: Table, sheet: str, shown: Mapping[str, str]) -> list[Problem]:
    keys = list(table.key)
    sub = frame[keys]
    complete = sub.notna().all(axis=1)
    dup = sub[complete].duplicated(keep="first")
    problems = []
    if dup.any():
        first_row = {}
        for row, vals in sub[complete].iterrows():
            first_row.setdefault(tuple(vals), row)
        for row in dup.index[dup]:
            v = " / ".join(str(x) for x in sub.loc[row])
            problems.append(problem("duplicate {k} '{v}' (first used on row {first}).",
                                    "{k}“{v}”重复（首次出现在第 {first} 行）。", sheet=sheet, row=int(row),
                                    column=shown.get(keys[0], keys[0]), k=" + ".join(keys), v=v,
                                    first=first_row[tuple(sub.loc[row])]))
    return problems


def check_references(tables: Mapping[str, pd.DataFrame], sheets: Mapping[str, str],
                     shown: Mapping[tuple[str, str], str]) -> list[Problem]:
    """Foreign keys: every non-blank reference must exist in the referenced table."""
    problems: list[Problem] = []
    for name, frame in tables.items():
        table = REGISTRY[name]
        for col in table.columns:
            if not col.ref:
                continue
            ref_table, ref_col = col.ref.split(".")
            target = tables.get(ref_table)
            if target is None or ref_table not in sheets:  # referenced table not in this book
                continue
            values = frame[col.name]
            bad = values.notna() & ~values.isin(target[ref_col].dropna())
            ref_sheet = sheets.get(ref_table, ref_table)
            for row in values.index[bad]:
                problems.append(problem("'{v}' is not in sheet '{ref}' (column {rc}).",
                                        "“{v}”在工作表“{ref}”（{rc} 列）中不存在。", sheet=sheets.get(name, name),
                                        row=int(row), column=shown.get((name, col.name), col.name),
                                        v=values[row], ref=ref_sheet, rc=ref_col))
    return problems


def _in_range(value: object, lo: float | None, hi: float | None) -> bool:
    if lo is None and hi is None:
        return True
    v = float(value)  # type: ignore[arg-type]
    return math.isfinite(v) and (lo is None or v >= lo) and (hi is None or v <= hi)


def parse_settings(frame: pd.DataFrame | None, sheet: str) -> tuple[dict[str, object], list[Problem]]:
    """Settings as a dict of typed values with defaults for anything not given."""
    out: dict[str, object] = {s.key: s.default for s in SETTINGS.values()}
    problems: list[Problem] = []
    if frame is None:
        return out, problems
    by_label = {}
    for s in SETTINGS.values():
        for label in (s.key, s.zh):
            by_label[normalise_header(label)] = s
    for row, key, value in zip(frame.index, frame["key"], frame["value"], strict=True):
        if key is None or pd.isna(key):
            continue
        setting = by_label.get(normalise_header(key))
        if setting is None:
            problems.append(problem("unknown setting '{k}' (see the Instructions sheet for the list).",
                                    "未知参数“{k}”（参数列表见说明页）。", sheet=sheet, row=int(row),
                                    column="key", k=key))
            continue
        if value is None or pd.isna(value) or str(value).strip() == "":
            continue
        col = Column(setting.key, setting.kind, setting.zh, choices=setting.choices)
        parsed, bad = parse_column(pd.Series([value], dtype=object), col)
        if bad.iloc[0]:
            problems.append(problem("setting '{k}': '{v}' is not valid.", "参数“{k}”的值“{v}”无效。",
                                    sheet=sheet, row=int(row), column="value", k=key, v=value))
            continue
        v = parsed.iloc[0]
        if not _in_range(v, setting.min_value, setting.max_value):
            problems.append(problem("setting '{k}': {v} is outside the allowed range {lo:g} .. {hi:g}.",
                                    "参数“{k}”的值 {v} 超出允许范围 {lo:g} 至 {hi:g}。", sheet=sheet, row=int(row),
                                    column="value", k=key, v=value, lo=setting.min_value, hi=setting.max_value))
            continue
        out[setting.key] = v.date() if isinstance(v, pd.Timestamp) else (v.item() if hasattr(v, "item") else v)
    return out, problems


def load_book(book: Book, names: Iterable[str] | None = None, *, required: Iterable[str] = ()) -> LoadedBook:
    """Read and validate input tables: ``names`` (default: every input table present in the book).

    Tables in ``required`` must exist and hold at least one row; other absent tables come back empty.
    Raises ``InputError`` with every problem found, across all tables, at once.
    """
    required = set(required)
    present = set(book.table_names())
    wanted = list(names) if names is not None else [n for n, t in REGISTRY.items() if not t.output and n in present]
    wanted += [n for n in sorted(required) if n not in wanted]
    problems: list[Problem] = []
    warnings: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    sheets: dict[str, str] = {}
    shown: dict[tuple[str, str], str] = {}
    for name in wanted:
        table = REGISTRY[name]
        raw = book.read_raw(name)
        if raw is None:
            if name in required:
                problems.append(problem("the workbook has no table or sheet named '{en}' (or '{zh}').",
                                        "工作簿中没有名为“{zh}”（或“{en}”）的表格或工作表。",
                                        sheet=table.sheet_name("en"), en=name, zh=table.zh))
            tables[name] = empty_frame(table)
            continue
        frame, table_problems, table_shown = read_table(raw, table, require_rows=name in required)
        problems.extend(raw.problems)  # what the reader found around the table (rows below it ...)
        warnings.extend(raw.warnings)
        problems.extend(table_problems)
        tables[name] = frame
        sheets[name] = raw.sheet
        for col, text in table_shown.items():
            shown[(name, col)] = text
    problems.extend(check_references(tables, sheets, shown))
    settings, setting_problems = parse_settings(tables.get("Settings"), sheets.get("Settings", "Settings"))
    problems.extend(setting_problems)
    if problems:
        raise InputError(problems)
    return LoadedBook(tables=tables, settings=settings, locator=Locator(sheets, shown), warnings=warnings)
