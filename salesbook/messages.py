"""Pieces of a message that depend on the book's language: words, column and sheet names, counts, lists.

A ``Problem`` keeps its parameters language-free until it is rendered; a parameter that is one of the
objects below is turned into the reader's language then (``Problem.text`` calls ``for_lang``), and a
``ColumnName`` is replaced by the header the user typed when the problem is located.

English plurals live in the template itself: ``{n:row/rows}`` gives "1 row" / "2 rows" for a ``Count``,
and ``{m:month # is/months # are}`` gives "month 12 is" / "months 11, 12 are" for a ``Listing``
(``#`` stands for the list).  The Chinese template simply writes ``{n} 行`` / ``第 {m} 月``.

Standard library only (and the schemas registry, looked up lazily), so engines may use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

LETTER_SUFFIX = re.compile(r"\s*\([A-Z]{1,3}\)$")


def resolve(value: Any, lang: str) -> Any:
    """A parameter as the reader of ``lang`` should see it."""
    for_lang = getattr(value, "for_lang", None)
    return for_lang(lang) if callable(for_lang) else value


class Words(str):
    """One phrase in both languages; as a plain string it is the English one (so it compares and sorts as such)."""

    zh: str

    def __new__(cls, en: object, zh: object | None = None) -> Words:
        self = super().__new__(cls, str(en))
        self.zh = str(en) if zh is None else str(zh)
        return self

    @property
    def en(self) -> str:
        return str.__str__(self)

    def for_lang(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def __repr__(self) -> str:
        return f"Words({self.en!r}, {self.zh!r})"

    def __reduce__(self) -> tuple:
        return (Words, (self.en, self.zh))


def plural(n: int | float, one: str, many: str) -> str:
    """English count and noun: plural(1, "row", "rows") -> "1 row"; plural(2, ...) -> "2 rows"."""
    return f"{n:,} {one if n == 1 else many}"


class Count(int):
    """A whole number that knows its English noun from the template: ``{n:row/rows}``."""

    def __format__(self, spec: str) -> str:
        if "/" in spec:
            one, many = spec.split("/", 1)
            return plural(int(self), one, many)
        return int.__format__(int(self), spec)


class Listing:
    """A list of values: "a, b" in English, "a、b" in Chinese; ``{x:word #/words #}`` picks the noun."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[object]):
        self.items = [str(i) for i in items]

    def for_lang(self, lang: str) -> Any:
        return self if lang != "zh" else "、".join(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __str__(self) -> str:
        return ", ".join(self.items)

    def __format__(self, spec: str) -> str:
        text = ", ".join(self.items)
        if "/" in spec:
            one, many = spec.split("/", 1)
            return (one if len(self.items) == 1 else many).replace("#", text)
        return format(text, spec)


class Joined:
    """Values (each possibly in both languages, or a column name to locate) joined by a separator."""

    __slots__ = ("parts", "sep_en", "sep_zh")

    def __init__(self, parts: Iterable[object], sep_en: str, sep_zh: str):
        self.parts, self.sep_en, self.sep_zh = list(parts), sep_en, sep_zh

    def for_lang(self, lang: str) -> str:
        return (self.sep_zh if lang == "zh" else self.sep_en).join(str(resolve(v, lang)) for v in self.parts)

    def locate_with(self, headers: Any) -> Joined:
        return Joined([v.locate_with(headers) if hasattr(v, "locate_with") else v for v in self.parts],
                      self.sep_en, self.sep_zh)

    def __str__(self) -> str:
        return self.for_lang("en")

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def items(values: Iterable[object]) -> Joined:
    """Values (each possibly in both languages) joined: ", " in English, "、" in Chinese."""
    return Joined(values, ", ", "、")


def path(values: Iterable[object]) -> Joined:
    """A hierarchy such as product line > region > rep, in both languages."""
    return Joined(values, " > ", " > ")


def joined(values: Iterable[object], sep: str) -> Joined:
    return Joined(values, sep, sep)


class ColumnName:
    """A column named inside a sentence: the user's header once located, else the schema label."""

    __slots__ = ("column", "letter", "table")

    def __init__(self, table: str, column: str, *, letter: bool = False):
        self.table, self.column, self.letter = table, column, letter

    def for_lang(self, lang: str) -> str:
        return column_label(self.table, self.column, lang)

    def located(self, header: str | None) -> Any:
        if not header:
            return self
        return header if self.letter else LETTER_SUFFIX.sub("", header)

    def locate_with(self, headers: Any) -> Any:
        return self.located(headers.get((self.table, self.column)))

    def __str__(self) -> str:
        return self.for_lang("en")

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"ColumnName({self.table!r}, {self.column!r})"


def column_name(table: str, column: str, *, letter: bool = False) -> ColumnName:
    return ColumnName(table, column, letter=letter)


def column_label(table: str | None, column: str, lang: str) -> str:
    """The schema's header of ``table.column`` in ``lang`` (the column itself if the schema has none)."""
    from salesbook.schemas import REGISTRY, SETTINGS

    t = REGISTRY.get(table or "")
    if t is not None:
        for c in t.columns:
            if c.name == column:
                return c.label(lang)
    if table == "Settings" and column in SETTINGS:
        return setting_label(column, lang)
    return column


def is_column(table: str | None, column: str | None) -> bool:
    from salesbook.schemas import REGISTRY

    t = REGISTRY.get(table or "")
    return t is not None and column is not None and column in t.column_names


def sheet_label(table: str, lang: str) -> str:
    """The sheet a table lives on in a book of ``lang`` (output tables keep their Out_ names)."""
    from salesbook.schemas import REGISTRY

    t = REGISTRY.get(table)
    return t.sheet_name(lang) if t is not None else table


def sheet_name(table: str) -> Words:
    return Words(sheet_label(table, "en"), sheet_label(table, "zh"))


def setting_label(key: str, lang: str) -> str:
    """A setting as the Settings sheet shows it: its key in English, its label in Chinese."""
    from salesbook.schemas import SETTINGS

    s = SETTINGS.get(key)
    return key if s is None or lang != "zh" else s.zh


def setting_name(key: str) -> Words:
    return Words(setting_label(key, "en"), setting_label(key, "zh"))


def setting_choice_name(key: str, value: object) -> Words:
    """A setting's coded value: the code in English, "label（code）" in Chinese."""
    from salesbook.schemas import SETTINGS

    s = SETTINGS.get(key)
    zh = next((c.zh for c in s.choices if c.value == value), None) if s is not None else None
    return Words(str(value), f"{zh}（{value}）" if zh else str(value))


def choice_label(table: str, column: str, value: object, lang: str) -> str:
    """A coded value (e.g. a method or a role) as the book's language names it."""
    from salesbook.schemas import REGISTRY

    t = REGISTRY.get(table)
    if t is None or value is None:
        return str(value)
    try:
        return t.column(column).choice_label(str(value), lang)
    except KeyError:
        return str(value)


def choice_name(table: str, column: str, value: object) -> Words:
    return Words(choice_label(table, column, value, "en"), choice_label(table, column, value, "zh"))


class MessageError(ValueError):
    """A ValueError that carries its sentence in both languages (an engine helper's reason, for a Problem)."""

    def __init__(self, en: str, zh: str, **params: Any):
        self.en, self.zh, self.params = en, zh, params
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        template = self.zh if lang == "zh" else self.en
        return template.format(**{k: resolve(v, lang) for k, v in self.params.items()})

    def words(self) -> Words:
        return Words(self.text("en"), self.text("zh"))


def reason(exc: BaseException) -> Words | str:
    """An exception's message for a Problem parameter: both languages if it has them."""
    return exc.words() if isinstance(exc, MessageError) else str(exc)
