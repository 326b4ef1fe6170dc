"""The vocabulary of the workbook contract: column kinds, columns, tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What a column holds; drives parsing, validation, Excel number formats and drop-downs."""

    TEXT = "text"
    ID = "id"          # identifier: text, numbers like 1001.0 become "1001"
    INT = "int"
    NUMBER = "number"
    MONEY = "money"
    PERCENT = "percent"  # stored as a fraction (0.25); "25%" text accepted
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"   # one of Column.choices (canonical English value or a label/alias)


NUMERIC_KINDS = frozenset({Kind.INT, Kind.NUMBER, Kind.MONEY, Kind.PERCENT})


@dataclass(frozen=True)
class Choice:
    """One coded value: the code engines see, its zh and en labels, and other words users type for it.

    Every one of these is accepted wherever the value is typed (case- and width-insensitive), so a
    word picked from either language's drop-down always means the same thing."""

    value: str
    zh: str
    aliases: tuple[str, ...] = ()
    en: str = ""

    @property
    def label_en(self) -> str:
        return self.en or self.value

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.label_en

    @property
    def words(self) -> tuple[str, ...]:
        return (self.value, self.zh, self.label_en, *self.aliases)


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    zh: str
    en: str = ""
    required: bool = False
    doc_en: str = ""
    doc_zh: str = ""
    aliases: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    ref: str | None = None          # "Table.column" foreign key
    min_value: float | None = None
    max_value: float | None = None
    default: object = None
    # What is usual (lo, hi): a value inside min/max but outside this is accepted with a warning.
    plausible: tuple[float | None, float | None] | None = None

    @property
    def label_en(self) -> str:
        return self.en or self.name

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.label_en

    def choice_label(self, value: str, lang: str) -> str:
        for c in self.choices:
            if c.value == value:
                return c.zh if lang == "zh" else c.value
        return value

    def allowed(self, lang: str) -> str:
        """The drop-down's words in ``lang``, as a message lists them."""
        if lang == "zh":
            return "、".join(c.zh for c in self.choices)
        return ", ".join(c.value for c in self.choices)


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    columns: tuple[Column, ...]
    doc_en: str = ""
    doc_zh: str = ""
    key: tuple[str, ...] = ()       # unique together
    output: bool = False
    domain: str = "core"
    optional: bool = False          # an input the engines can do without
    # In Out_RunInfo's fingerprints: False for a table no engine reads (Recipients), so editing it after a run is
    # no sign of stale results, and the digest of its passwords is never written into the book.
    fingerprinted: bool = True
    aliases: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def sheet_name(self, lang: str) -> str:
        if self.output:
            return self.name
        return self.zh if lang == "zh" else self.name


@dataclass(frozen=True)
class Setting:
    """One row of the key/value ``Settings`` table."""

    key: str
    kind: Kind
    default: object
    zh: str
    doc_en: str
    doc_zh: str
    choices: tuple[Choice, ...] = ()
    min_value: float | None = None   # numeric settings: allowed range, checked when the book is read
    max_value: float | None = None
    plausible: tuple[float | None, float | None] | None = None

    def column(self) -> Column:
        """The setting's value as a column, so it is parsed and range-checked like any cell."""
        return Column(self.key, self.kind, self.zh, self.key, choices=self.choices, min_value=self.min_value,
                      max_value=self.max_value, plausible=self.plausible)
