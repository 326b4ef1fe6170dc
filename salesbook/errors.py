"""Input problems reported the way a workbook user can act on them.

Every problem carries where it is (table, sheet, Excel row, column) and one sentence in English and
Chinese, so the same object serves the CLI, the Excel cell and the tests.  Engines raise
``InputError`` with problems that name the canonical table and the DataFrame index label, which the
book layer keeps equal to the Excel row number; ``locate`` then fills in the sheet and the header text
the user actually typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

LANGS = ("en", "zh")


@dataclass(frozen=True)
class Problem:
    en: str
    zh: str
    table: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        from salesbook.messages import resolve

        template = self.zh if lang == "zh" else self.en
        try:
            return template.format(**{k: resolve(v, lang) for k, v in self.params.items()})
        except (KeyError, IndexError, ValueError):
            return template

    def sheet_shown(self, lang: str = "en") -> str | None:
        """The sheet as the user sees it: located, else the table's sheet in a book of ``lang``."""
        from salesbook.messages import sheet_label

        return self.sheet or (sheet_label(self.table, lang) if self.table else None)

    def column_shown(self, lang: str = "en") -> str | None:
        """The column as the user sees it: the header they typed once located, else the schema's label."""
        from salesbook.messages import column_label, is_column, resolve

        column = resolve(self.column, lang)
        if is_column(self.table, column):  # not located: name it by the schema's header in this language
            return column_label(self.table, column, lang)
        return column

    def where(self, lang: str = "en") -> str:
        parts: list[str] = []
        sheet = self.sheet_shown(lang)
        column = self.column_shown(lang)
        if lang == "zh":
            if sheet:
                parts.append(f"工作表“{sheet}”")
            if self.row is not None:
                parts.append(f"第 {self.row} 行")
            if column:
                parts.append(f"列“{column}”")
            return "，".join(parts)
        if sheet:
            parts.append(f"sheet '{sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if column:
            parts.append(f"column '{column}'")
        return ", ".join(parts)

    def render(self, lang: str = "en") -> str:
        where = self.where(lang)
        sep = "：" if lang == "zh" else ": "
        return f"{where}{sep}{self.text(lang)}" if where else self.text(lang)


def render_all(findings: Sequence[Problem], lang: str = "en", limit: int | None = None, *,
               noun: tuple[str, str, str] = ("problem", "problems", "个问题"), indent: str = "") -> str:
    """One located line per finding, at most ``limit`` of them, then how many more were left out."""
    shown = findings if limit is None else findings[:limit]
    lines = [indent + p.render(lang) for p in shown]
    hidden = len(findings) - len(shown)
    if hidden > 0:
        one, many, zh = noun
        lines.append(f"{indent}... 另有 {hidden} {zh}" if lang == "zh"
                     else f"{indent}... and {hidden} more {one if hidden == 1 else many}")
    return "\n".join(lines)


def problem(en: str, zh: str, /, *, table: str | None = None, row: int | None = None,
            column: str | None = None, sheet: str | None = None, **params: Any) -> Problem:
    """Shorthand used by engines and validators: both texts side by side at the raise site."""
    return Problem(en=en, zh=zh, table=table, sheet=sheet, row=row, column=column, params=params)


def row_number(label: object) -> int | None:
    """The Excel row behind a table's index label (validation indexes rows by it); None if it is not one."""
    try:
        return int(label)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


class SalesbookError(Exception):
    """Base class of every error salesbook raises on purpose."""


class InputError(SalesbookError):
    """One or more problems in what the user gave us; the CLI turns this into exit code 2."""

    def __init__(self, problems: Problem | Iterable[Problem]):
        self.problems: list[Problem] = [problems] if isinstance(problems, Problem) else list(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        super().__init__(self.render("en"))

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Problem]]]:
        # rebuilt from its problems (a process reading part of a book hands its refusal to the caller)
        return (InputError, (self.problems,))

    def render(self, lang: str = "en", limit: int | None = None) -> str:
        return render_all(self.problems, lang, limit)

    def located(self, locator: Locator) -> InputError:
        return InputError(locator.locate(p) for p in self.problems)


class Locator:
    """Maps canonical table/column names to the sheet and header text the user sees."""

    def __init__(self, sheets: Mapping[str, str] | None = None,
                 headers: Mapping[tuple[str, str], str] | None = None):
        self.sheets = dict(sheets or {})
        self.headers = dict(headers or {})

    def locate(self, p: Problem) -> Problem:
        params = p.params
        if any(hasattr(v, "locate_with") for v in params.values()):  # a column named inside the sentence
            params = {k: v.locate_with(self.headers) if hasattr(v, "locate_with") else v for k, v in params.items()}
        if p.table is None:
            return replace(p, params=params)
        sheet = p.sheet or self.sheets.get(p.table)
        column = p.column
        if column is not None:
            column = self.headers.get((p.table, column), column)
        return replace(p, sheet=sheet, column=column, params=params)


def check(problems: list[Problem]) -> None:
    """Raise all collected problems at once, or nothing."""
    if problems:
        raise InputError(problems)
