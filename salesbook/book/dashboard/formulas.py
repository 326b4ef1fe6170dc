"""Formulas over the Out_ tables that Excel and LibreOffice both compute the same way.

Sums and counts are ``SUMPRODUCT`` of exact comparisons over structured references
(``Out_Accruals[Period]``): unlike ``SUMIFS`` criteria, ``=`` never reads a period such as "2026-01" or an
ID such as "007" as a date or a number, and the references follow the table however long it grows.
Each helper also computes, with pandas, the value the formula gives, for the cell's cached value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# Characters that make Excel enclose a column name in a second pair of brackets (Excel's help page
# "Using structured references with Excel tables": special characters).
_SPECIAL = set("\t\n\r,:.[]#'\"{}$^&*+=-><÷/\\@!%()~`;?|")


def column_ref(table: str, header: str) -> str:
    """``Table[Header]``, with ``'`` escaping ``[ ] # '`` and double brackets where Excel needs them."""
    escaped = "".join("'" + ch if ch in "[]#'" else ch for ch in header)
    if any(ch in _SPECIAL for ch in header) or header != header.strip():
        return f"{table}[[{escaped}]]"
    return f"{table}[{escaped}]"


def literal(value: object) -> str:
    """A constant in a formula: a number as it is, text in double quotes (quotes doubled)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | np.integer | np.floating):
        return repr(float(value)).removesuffix(".0")
    return '"' + str(value).replace('"', '""') + '"'


@dataclass(frozen=True)
class Source:
    """An Out_ table as written: its name, its frame, and its header per column."""

    name: str
    frame: pd.DataFrame
    headers: dict[str, str]
    _coded: dict[str, tuple[np.ndarray, pd.Index]] = field(default_factory=dict, repr=False)
    _numbers: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def coded(self, column: str) -> tuple[np.ndarray, pd.Index]:
        """A text column without regard to case, as a number per row (-1 where a cell holds no text) and the
        texts numbered, computed once: a dashboard asks each column for one value after another (every month,
        grade, region), and comparing numbers is quicker than comparing 100,000 texts each time."""
        if column not in self._coded:
            folded = np.array([v.casefold() if isinstance(v, str) else None for v in self.frame[column].astype(object)],
                              dtype=object)
            codes, texts = pd.factorize(folded)
            self._coded[column] = (codes, pd.Index(texts, dtype=object))
        return self._coded[column]

    def numbers(self, column: str) -> np.ndarray:
        """A column as numbers (NaN where a cell holds none), computed once."""
        if column not in self._numbers:
            self._numbers[column] = pd.to_numeric(self.frame[column], errors="coerce").to_numpy(dtype=float)
        return self._numbers[column]

    def ref(self, column: str) -> str:
        return column_ref(self.name, self.headers[column])

    def mask(self, conditions: Sequence[tuple[str, object]]) -> np.ndarray:
        """Rows where every column equals its value (text compared without regard to case, as Excel does)."""
        keep = np.ones(len(self.frame), dtype=bool)
        for column, value in conditions:
            if isinstance(value, str):
                codes, texts = self.coded(column)
                at = texts.get_indexer([value.casefold()])[0]
                keep &= (codes == at) if at >= 0 else False
            else:
                keep &= self.numbers(column) == float(value)
        return keep

    def total(self, value_column: str | None, conditions: Sequence[tuple[str, object, str | None]]) -> tuple[str, float]:
        """``SUMPRODUCT`` of the conditions (column, value, cell holding the value or None) times a column,
        or a count without one; and the value it gives."""
        terms = [f"--({self.ref(c)}={cell if cell else literal(v)})" for c, v, cell in conditions]
        if value_column is not None:
            terms.append(self.ref(value_column))
        keep = self.mask([(c, v) for c, v, _ in conditions])
        if value_column is None:
            value = float(keep.sum())
        else:
            value = float(np.nansum(np.where(keep, self.numbers(value_column), 0.0)))
        return f"SUMPRODUCT({','.join(terms)})", value
