"""Read raw tables into clean DataFrames, reporting every problem at once.

The DataFrames carry canonical column names and clean dtypes; their index is the Excel row number
(named ``excel_row``), so any engine can point a user at the exact row.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from salesbook.book import crosscheck, overrides, recipients
from salesbook.book.base import Book, RawTable, TypedTable
from salesbook.book.headers import closest_header, display_header, header_lookup, match_header, normalise_header
from salesbook.book.parse import DATE_ORDERS, error_mask, is_ambiguous_date_text, parse_column, parse_typed
from salesbook.errors import InputError, Locator, Problem, problem
from salesbook.messages import Words, column_name, joined, setting_name
from salesbook.schemas import REGISTRY, SETTINGS, Column, Kind, Setting, Table

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
    """Clean tables, the settings dict, and where each table lives for messages.

    A book loaded with ``defer_checks`` may still have its cross-table checks to run (``checks``): whoever
    computes from it calls ``run_checks`` before any result is used. Until then the tables are final but not yet
    known to be free of problems."""

    tables: dict[str, pd.DataFrame]
    settings: dict[str, object]
    locator: Locator
    warnings: list[Problem] = field(default_factory=list)
    checks: Callable[[], CrossFindings] | None = None

    def get(self, name: str) -> pd.DataFrame | None:
        return self.tables.get(name)

    def run_checks(self) -> None:
        """The deferred cross-table checks, once (nothing when there are none left): any problem they find refuses
        the book, as ``load_book`` would have; their warnings follow the book's own, before any engine's. The
        checks hold the input tables, and are let go of here."""
        checks, self.checks = self.checks, None
        if checks is None:
            return
        found = checks()
        problems = [*found.references, *found.attainment, *found.recipients]
        if problems:
            raise InputError(problems).located(self.locator)
        self.warnings.extend(self.locator.locate(w) for w in found.warnings)


class CrossFindings(NamedTuple):
    """What the cross-table checks that change no table found, kept apart so that ``load_book`` reports them in
    its order among the others."""

    references: list[Problem]
    attainment: list[Problem]
    recipients: list[Problem]
    warnings: list[Problem]


def cross_checks(tables: Mapping[str, pd.DataFrame], sheets: Mapping[str, str],
                 shown: Mapping[tuple[str, str], str]) -> CrossFindings:
    """The checks across tables that only look: references, attainment bounds, roles, engagement, per-unit
    plans and recipients (after the ones that change tables: rule fields, credit notes, scenarios)."""
    references = check_references(tables, sheets, shown)
    attainment = crosscheck.attainment_bounds(tables, sheets, shown)
    warnings = [*crosscheck.check_roles(tables, sheets, shown), *crosscheck.engagement_warnings(tables, sheets, shown),
                *crosscheck.per_unit_warnings(tables, sheets, shown)]
    recipient_errors, recipient_warnings = recipients.check_recipients(tables, sheets, shown)
    return CrossFindings(references, attainment, recipient_errors, [*warnings, *recipient_warnings])


def empty_frame(table: Table) -> pd.DataFrame:
    """A table with no rows, its columns typed as validation types them (for a sheet the book does not have)."""
    index = pd.Index([], name="excel_row")
    return pd.DataFrame({c.name: empty_column(c) for c in table.columns}, index=index)


_EMPTY: dict[Kind, pd.Series] = {}


def empty_column(col: Column) -> pd.Series:
    """A column of no cells, typed as parsing types a column of its kind (a copy: callers may change it).

    Why: a book using one engine holds two dozen empty tables, and parsing and checking their columns one by
    one (a dozen pandas calls each, on nothing) was most of the time spent on its small tables. The first
    column of each kind is parsed as any other; the others take its result."""
    if col.kind not in _EMPTY:
        parsed, _ = parse_column(pd.Series([], dtype=object, index=pd.Index([], name="excel_row")), col)
        _EMPTY[col.kind] = parsed
    return _EMPTY[col.kind].copy()


def read_table(raw: RawTable, table: Table, *, require_rows: bool = False, warnings: list[Problem] | None = None,
               date_order: str = "mdy", columns: Collection[str] | None = None,
               ) -> tuple[pd.DataFrame, list[Problem], dict[str, str]]:
    """Map headers, parse every column (or only ``columns``), check required/blank/range/choices/unique.
    No cross-table checks."""
    schema_columns = [c for c in table.columns if columns is None or c.name in columns]
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
    for col in schema_columns:
        if col.required and col.name not in positions:
            close = closest_header(((col.label_en, 0.6), (col.zh, 0.5)), unknown)
            hint_en = f" Did you mean '{close}'?" if close else ""
            hint_zh = f"是否应为“{close}”？" if close else ""
            problems.append(problem(
                "required column '{en}' (or '{zh}') is missing." + hint_en,
                "缺少必填列“{zh}”（或“{en}”）。" + hint_zh,
                sheet=raw.sheet, row=header_row, column=Words(col.label_en, col.zh), en=col.label_en, zh=col.zh))
    n = raw.n_rows
    index = _row_index(raw)
    if n == 0 and require_rows:
        problems.append(problem("the table is empty: add at least one row below the headers.",
                                "表格为空：请在表头下至少填写一行。", sheet=raw.sheet, row=header_row + 1))
    grid: np.ndarray | None = None

    def cells_of(pos: int | None) -> pd.Series:
        nonlocal grid
        if pos is None:
            return pd.Series(None, index=index, dtype=object)
        if grid is None:
            source = raw.cell_table() if isinstance(raw, TypedTable) else raw
            grid = _cell_grid(source.rows, len(raw.headers))
        return pd.Series(grid[:, pos], index=index, dtype=object)

    data: dict[str, pd.Series] = {}
    for col in schema_columns:
        if n == 0:   # no cell to parse or check
            data[col.name] = empty_column(col)
            continue
        pos = positions.get(col.name)
        typed = raw.columns[pos] if isinstance(raw, TypedTable) and pos is not None else None
        parsed_bad = parse_typed(typed, col, index) if typed is not None else None
        values = cells_of(pos) if parsed_bad is None else None
        col_problems, parsed = _check_column(values, col, raw.sheet, shown.get(col.name, col.label_en), pos,
                                             warnings, date_order, parsed_bad=parsed_bad)
        problems.extend(col_problems)
        data[col.name] = parsed
    frame = pd.DataFrame(data, index=index)
    if n and table.key and all(k in positions and k in data for k in table.key):
        problems.extend(_check_unique(frame, table, raw.sheet, shown))
    return frame, problems, shown


def _row_index(raw: RawTable) -> pd.Index:
    """The data rows' Excel row numbers (an empty table keeps pandas' default empty index, as before).

    The reader's own row numbers when it gives them (blank rows inside a table are left out, so the rows
    after one are not consecutive), else the rows right under the header."""
    n = raw.n_rows
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


def _check_column(values: pd.Series | None, col: Column, sheet: str, shown: str, pos: int | None,
                  warnings: list[Problem] | None = None, date_order: str = "mdy", *,
                  parsed_bad: tuple[pd.Series, pd.Series] | None = None) -> tuple[list[Problem], pd.Series]:
    """Parse and check one column: the cells as read (``values``), or a typed read already parsed
    (``parsed_bad``, which holds no bad cell, no error value and no text date by construction)."""
    problems: list[Problem] = []
    if parsed_bad is not None:
        parsed, bad = parsed_bad
        errors = bad
    else:
        assert values is not None
        errors = error_mask(values)
        if errors.any():
            for row in values.index[errors]:
                problems.append(problem("the cell holds the Excel error {v}; fix the formula or type a value.",
                                        "单元格是 Excel 错误值 {v}；请修正公式或直接填写数值。",
                                        sheet=sheet, row=int(row), column=shown, v=str(values[row]).strip()))
            values = values.where(~errors, None)
        parsed, bad = parse_column(values, col, date_order)
        if col.kind is Kind.DATE and warnings is not None:
            warnings.extend(_ambiguous_date_warning(values, parsed, bad, sheet, shown, date_order))
    for row in parsed.index[bad]:
        assert values is not None
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
    if col.min_value is not None or col.max_value is not None or col.plausible is not None:
        nums = pd.to_numeric(parsed, errors="coerce")
        problems.extend(_range_problems(nums, col, sheet, shown))
        if warnings is not None:
            warnings.extend(_plausibility_warnings(nums, col, sheet, shown))
    if col.default is not None and not col.required:
        fill = parsed.isna() & ~bad
        if fill.any():
            parsed = parsed.copy()
            parsed[fill] = col.default
    return problems, parsed


def _ambiguous_date_warning(values: pd.Series, parsed: pd.Series, bad: pd.Series, sheet: str, shown: str,
                            date_order: str) -> list[Problem]:
    """The first text date whose day and month could be either way round: say how it was read."""
    texts = values[~bad & values.map(lambda v: isinstance(v, str))]
    if texts.empty:
        return []
    ambiguous = texts.map(is_ambiguous_date_text)
    if not ambiguous.any():
        return []
    row = ambiguous.index[ambiguous.to_numpy(dtype=bool)][0]
    n = int(ambiguous.sum())
    when = parsed[row]
    order_en = "month first" if date_order == "mdy" else "day first"
    order_zh = "月在前" if date_order == "mdy" else "日在前"
    return [problem("'{v}' was read as {iso} ({order_en}, the Settings key date_order){more_en}; if that is wrong, "
                    "set date_order or type dates as 2026-03-04.",
                    "“{v}”按{order_zh}读作 {iso}（参数“日期顺序”）{more_zh}；如不对，请修改该参数，或按 2026-03-04 的格式填写日期。",
                    sheet=sheet, row=int(row), column=shown, v=values[row], iso=when.date().isoformat(),
                    order_en=order_en, order_zh=order_zh,
                    more_en="" if n == 1 else f", as were {n - 1} more such cell{'s' if n > 2 else ''} in this column",
                    more_zh="" if n == 1 else f"，本列另有 {n - 1} 个同类单元格也按此读取")]


def _fmt(x: float) -> str:
    return f"{x:g}"


def _show(x: float, col: Column) -> str:
    """A value as the user sees it in the cell: percentages as 5%, others as typed."""
    return f"{x * 100:.4g}%" if col.kind is Kind.PERCENT else _fmt(x)


def _reads_as_whole_percent(v: float, col: Column, hi: float) -> bool:
    """5 where 5% (0.05) fits, or 80 for 80%: what a percentage cell holds when "%" was left off.
    1.5 (150%) is not: it reads as itself, just out of range."""
    return col.kind is Kind.PERCENT and v > 1 and (v.is_integer() or v >= 10) and v / 100 <= hi


def _range_problems(nums: pd.Series, col: Column, sheet: str, shown: str) -> list[Problem]:
    """Values outside what is possible. A percentage typed as a whole number (5 for 5%) is named as such."""
    out: list[Problem] = []
    lo, hi = col.min_value, col.max_value
    if lo is not None:
        for row in nums.index[nums < lo]:
            out.append(problem("{v} is below the smallest allowed value {m}.", "{v} 小于允许的最小值 {m}。",
                               sheet=sheet, row=int(row), column=shown, v=_show(nums[row], col), m=_show(lo, col)))
    if hi is None:
        return out
    for row in nums.index[nums > hi]:
        v = float(nums[row])
        if _reads_as_whole_percent(v, col, hi):
            out.append(problem(
                "{v} is more than the largest possible {m}: did you mean {p}%? A percentage cell holds {p}% as "
                "{f}; type it as {p}%.",
                "{v} 超过了可能的最大值 {m}：是否应为 {p}%？百分比单元格中 {p}% 存为 {f}；请输入 {p}%。",
                sheet=sheet, row=int(row), column=shown, v=_show(v, col), m=_show(hi, col), p=_fmt(v),
                f=_fmt(v / 100)))
        else:
            out.append(problem("{v} is above the largest allowed value {m}.", "{v} 大于允许的最大值 {m}。",
                               sheet=sheet, row=int(row), column=shown, v=_show(v, col), m=_show(hi, col)))
    return out


def _plausibility_warnings(nums: pd.Series, col: Column, sheet: str, shown: str) -> list[Problem]:
    """Possible but unusual values (150% growth, a 60% commission rate): accepted, and said once per row."""
    if col.plausible is None:
        return []
    lo, hi = col.plausible
    inside = nums.notna()
    if col.min_value is not None:
        inside &= nums >= col.min_value
    if col.max_value is not None:
        inside &= nums <= col.max_value
    odd = inside & (((nums < lo) if lo is not None else False) | ((nums > hi) if hi is not None else False))
    out = []
    for row in nums.index[odd]:
        v = float(nums[row])
        hint_en = hint_zh = ""
        if hi is not None and _reads_as_whole_percent(v, col, hi):
            hint_en, hint_zh = f" If you meant {_fmt(v)}%, type {_fmt(v)}%.", f"如果想填 {_fmt(v)}%，请输入 {_fmt(v)}%。"
        out.append(problem("{v} is unusual here (usually {lo} to {hi}); it was used as typed." + hint_en,
                           "{v} 不常见（通常在 {lo} 至 {hi} 之间），已按所填使用。" + hint_zh,
                           sheet=sheet, row=int(row), column=shown, v=_show(v, col),
                           lo=_show(lo, col) if lo is not None else "-", hi=_show(hi, col) if hi is not None else "-"))
    return out


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
            v = " / ".join(f"{x:g}" if isinstance(x, float) else str(x) for x in sub.loc[row])
            problems.append(problem("duplicate {k} '{v}' (first used on row {first}).",
                                    "{k}“{v}”重复（首次出现在第 {first} 行）。", sheet=sheet, row=int(row),
                                    column=shown.get(keys[0], keys[0]),
                                    k=joined([column_name(table.name, k) for k in keys], " + "), v=v,
                                    first=first_row[tuple(sub.loc[row])]))
    return problems


def check_references(tables: Mapping[str, pd.DataFrame], sheets: Mapping[str, str],
                     shown: Mapping[tuple[str, str], str]) -> list[Problem]:
    """Foreign keys: every non-blank reference must exist in the referenced table."""
    problems: list[Problem] = []
    for name, frame in tables.items():
        table = REGISTRY[name]
        for col in table.columns:
            if not col.ref or col.name not in frame.columns:  # a column not read (``load_columns``)
                continue
            ref_table, ref_col = col.ref.split(".")
            target = tables.get(ref_table)
            if target is None or ref_table not in sheets or ref_col not in target.columns:  # not in this book
                continue
            values = frame[col.name]
            bad = values.notna() & ~values.isin(target[ref_col].dropna())
            ref_sheet = sheets.get(ref_table, ref_table)
            for row in values.index[bad]:
                problems.append(problem("'{v}' is not in sheet '{ref}' (column '{rc}').",
                                        "“{v}”在工作表“{ref}”的“{rc}”列中不存在。", sheet=sheets.get(name, name),
                                        row=int(row), column=shown.get((name, col.name), col.name),
                                        v=values[row], ref=ref_sheet, rc=column_name(ref_table, ref_col, letter=True)))
    return problems


def _in_range(value: object, lo: float | None, hi: float | None) -> bool:
    if lo is None and hi is None:
        return True
    v = float(value)  # type: ignore[arg-type]
    return math.isfinite(v) and (lo is None or v >= lo) and (hi is None or v <= hi)


def range_text(col: Column, lang: str) -> str:
    """What a numeric column accepts and what is usual, for the instructions sheet: "0% to 100% (usually ...)"."""
    def span(lo: float | None, hi: float | None) -> str:
        a = _show(lo, col) if lo is not None else ""
        b = _show(hi, col) if hi is not None else ""
        if lang == "zh":
            return f"{a} 至 {b}" if a and b else (f"≥ {a}" if a else f"≤ {b}")
        return f"{a} to {b}" if a and b else (f">= {a}" if a else f"<= {b}")
    parts = []
    if col.min_value is not None or col.max_value is not None:
        parts.append(span(col.min_value, col.max_value))
    if col.plausible is not None:
        usual = span(*col.plausible)
        parts.append(f"通常 {usual}，超出时提示" if lang == "zh" else f"usually {usual}, a warning outside")
    if col.kind is Kind.PERCENT:
        parts.append("输入 5% 或 0.05" if lang == "zh" else "type 5% or 0.05")
    return ("；" if lang == "zh" else "; ").join(parts)


def setting_allowed(setting: Setting, lang: str) -> str:
    """What a setting accepts, as the error message and the instructions sheet say it."""
    if setting.choices:
        return setting.column().allowed(lang)
    word_en, word_zh = _KIND_WORD.get(setting.kind, ("text", "文本"))
    word = word_zh if lang == "zh" else word_en
    if setting.min_value is None and setting.max_value is None:
        return word
    col = setting.column()
    lo = _show(setting.min_value, col) if setting.min_value is not None else ""
    hi = _show(setting.max_value, col) if setting.max_value is not None else ""
    return f"{word}，{lo} 至 {hi}" if lang == "zh" else f"{word}, {lo} to {hi}"


def parse_settings(frame: pd.DataFrame | None, sheet: str, warnings: list[Problem] | None = None, *,
                   value_col: str = "value") -> tuple[dict[str, object], list[Problem]]:
    """Settings as a dict of typed values with defaults for anything not given; unusual values are added to
    ``warnings``, named by ``value_col`` (the value column's header as the book shows it)."""
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
                                    "未知参数“{k}”（参数列表见说明页）。", table="Settings", sheet=sheet,
                                    row=int(row), column="key", k=key))
            continue
        if value is None or pd.isna(value) or str(value).strip() == "":
            continue
        col = setting.column()
        cell = pd.Series([value], dtype=object, index=[row])
        parsed, bad = parse_column(cell, col)
        if bad.iloc[0]:
            problems.append(problem("setting '{k}': '{v}' is not valid; allowed: {allowed_en}.",
                                    "参数“{k}”的值“{v}”无效；可填：{allowed_zh}。",
                                    table="Settings", sheet=sheet, row=int(row), column="value",
                                    k=setting_name(setting.key), v=value,
                                    allowed_en=setting_allowed(setting, "en"), allowed_zh=setting_allowed(setting, "zh")))
            continue
        v = parsed.iloc[0]
        hi = setting.max_value
        if not _in_range(v, setting.min_value, hi) and hi is not None and _reads_as_whole_percent(float(v), col, hi):
            problems.append(problem(
                "setting '{k}': {v} is more than the largest possible {m}: did you mean {p}%? A percentage cell holds "
                "{p}% as {f}; type it as {p}%.",
                "参数“{k}”的值 {v} 超过了可能的最大值 {m}：是否应为 {p}%？百分比单元格中 {p}% 存为 {f}；请输入 {p}%。",
                table="Settings", sheet=sheet, row=int(row), column="value", k=setting_name(setting.key),
                v=_fmt(float(v)), m=_show(hi, col), p=_fmt(float(v)), f=_fmt(float(v) / 100)))
            continue
        if not _in_range(v, setting.min_value, hi):
            problems.append(problem("setting '{k}': {v} is outside the allowed range {allowed_en}.",
                                    "参数“{k}”的值 {v} 超出允许范围（{allowed_zh}）。", table="Settings", sheet=sheet,
                                    row=int(row), column="value", k=setting_name(setting.key), v=value,
                                    allowed_en=setting_allowed(setting, "en"), allowed_zh=setting_allowed(setting, "zh")))
            continue
        if warnings is not None and setting.plausible is not None:
            warnings.extend(_plausibility_warnings(pd.to_numeric(parsed, errors="coerce"), col, sheet, value_col))
        out[setting.key] = v.date() if isinstance(v, pd.Timestamp) else (v.item() if hasattr(v, "item") else v)
    return out, problems


def _date_order(values: Mapping[str, object]) -> str:
    """The book's date_order, else by its language (mdy for English, dmy for Chinese)."""
    order = values.get("date_order")
    if order in DATE_ORDERS:
        return str(order)
    return "dmy" if values.get("language") == "zh" else "mdy"


def load_book(book: Book, names: Iterable[str] | None = None, *, required: Iterable[str] = (),
              defer_checks: bool = False) -> LoadedBook:
    """Read and validate input tables: ``names`` (default: every input table present in the book).

    Tables in ``required`` must exist and hold at least one row; other absent tables come back empty.
    Raises ``InputError`` with every problem found, across all tables, at once.

    With ``defer_checks``, a book whose tables have no problem of their own comes back before the cross-table
    checks that only look (``cross_checks``), which it carries as ``LoadedBook.checks`` for the caller to
    run meanwhile (``pipeline.compute``: 0.9 s of the 500,000-deal demo book). The problems and warnings are
    then the same as without.
    """
    required = set(required)
    present = set(book.table_names())
    wanted = list(names) if names is not None else [n for n, t in REGISTRY.items() if not t.output and n in present]
    wanted += [n for n in sorted(required) if n not in wanted]
    wanted.sort(key=lambda n: n != "Settings")  # first: its date_order decides how text dates are read
    settings, _ = parse_settings(None, "Settings")  # the defaults, for a book without a Settings sheet
    date_order = _date_order(settings)
    # the large tables are read on the reader's threads meanwhile; the order of what is reported stays
    # that of ``wanted`` (each table's problems and warnings are kept apart until then)
    later = list(getattr(book, "read_ahead", lambda names: [])([n for n in wanted if n != "Settings"]))
    as_read = getattr(book, "as_read", iter)   # the large ones as their reads end: none waits behind another
    found: dict[str, tuple[list[Problem], list[Problem]]] = {}
    tables: dict[str, pd.DataFrame] = {}
    sheets: dict[str, str] = {}
    shown: dict[tuple[str, str], str] = {}
    for name in itertools.chain([n for n in wanted if n not in later], as_read(later)):
        table = REGISTRY[name]
        raw = book.read_raw(name)
        problems, warnings = found[name] = [], []
        if raw is None:
            if name in required:
                problems.append(problem("the workbook has no table or sheet named '{en}' (or '{zh}').",
                                        "工作簿中没有名为“{zh}”（或“{en}”）的表格或工作表。",
                                        table=name, en=name, zh=table.zh))
            tables[name] = empty_frame(table)
            continue
        frame, table_problems, table_shown = read_table(raw, table, require_rows=name in required, warnings=warnings,
                                                        date_order=date_order)
        if name == "Settings":
            settings, setting_problems = parse_settings(frame, raw.sheet, warnings,
                                                        value_col=table_shown.get("value", "value"))
            problems.extend(setting_problems)
            date_order = _date_order(settings)
        problems.extend(raw.problems)  # what the reader found around the table (rows below it ...)
        warnings.extend(raw.warnings)
        problems.extend(table_problems)
        tables[name] = frame
        sheets[name] = raw.sheet
        for col, text in table_shown.items():
            shown[(name, col)] = text
    tables = {name: tables[name] for name in wanted}
    sheets = {name: sheets[name] for name in wanted if name in sheets}
    rank = {name: k for k, name in enumerate(wanted)}
    shown = dict(sorted(shown.items(), key=lambda item: rank[item[0][0]]))   # stable: columns keep their order
    problems = [p for name in wanted for p in found[name][0]]
    warnings = [w for name in wanted for w in found[name][1]]
    # the cross-table steps that change tables first (the engines read what they make), then those that only look
    rule_problems = crosscheck.resolve_rule_fields(tables, sheets, shown)
    crosscheck.credit_notes(tables)
    scenario_problems = overrides.check_scenarios(tables, sheets, shown, warnings, _check_column)
    locator = Locator(sheets, shown)
    if defer_checks and not (problems or rule_problems or scenario_problems):
        # a copy of the mapping: the caller may let go of tables before the checks run
        return LoadedBook(tables=tables, settings=settings, locator=locator,
                          warnings=[locator.locate(w) for w in warnings],
                          checks=functools.partial(cross_checks, dict(tables), sheets, shown))
    looked = cross_checks(tables, sheets, shown)
    problems += [*looked.references, *rule_problems, *looked.attainment, *scenario_problems, *looked.recipients]
    warnings += looked.warnings
    if problems:
        raise InputError(problems).located(locator)
    return LoadedBook(tables=tables, settings=settings, locator=locator,
                      warnings=[locator.locate(w) for w in warnings])


def load_columns(book: Book, wanted: Mapping[str, Collection[str] | None]) -> LoadedBook:
    """Only the input tables and columns ``wanted`` (None: all of a table's columns), each checked as
    ``load_book`` checks it, and the references between what was read; absent tables come back empty.

    Why: a report needs a few columns of a few tables of a computed book, whose inputs were checked in
    full when it was computed (and whose changes since are found by their fingerprints). A large table
    is then read for those columns only (``FileBook.read_columns``) instead of the whole book."""
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    sheets: dict[str, str] = {}
    shown: dict[tuple[str, str], str] = {}
    settings, _ = parse_settings(None, "Settings")
    date_order = _date_order(settings)
    some = getattr(book, "read_columns", None)
    for name in sorted(wanted, key=lambda n: n != "Settings"):  # Settings first, for its date_order
        table, columns = REGISTRY[name], wanted[name]
        raw = some(name, columns) if columns is not None and some is not None else book.read_raw(name)
        if raw is None:
            empty = empty_frame(table)
            tables[name] = empty if columns is None else empty[[c.name for c in table.columns if c.name in columns]]
            continue
        frame, table_problems, table_shown = read_table(raw, table, date_order=date_order, columns=columns)
        if name == "Settings":
            settings, setting_problems = parse_settings(frame, raw.sheet, value_col=table_shown.get("value", "value"))
            problems.extend(setting_problems)
            date_order = _date_order(settings)
        problems.extend(raw.problems)
        problems.extend(table_problems)
        tables[name], sheets[name] = frame, raw.sheet
        shown.update({(name, col): text for col, text in table_shown.items()})
    crosscheck.credit_notes(tables)
    problems.extend(check_references(tables, sheets, shown))
    locator = Locator(sheets, shown)
    if problems:
        raise InputError(problems).located(locator)
    return LoadedBook(tables=tables, settings=settings, locator=locator)
