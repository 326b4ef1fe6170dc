"""The one small interface every workbook adapter implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from salesbook.errors import Problem


@dataclass
class RawTable:
    """Cells of one table exactly as the spreadsheet holds them, plus where they are.

    ``rows`` are lists of Python values (str, float, int, bool, date/datetime, None); ``header_row`` and
    ``first_col`` are 1-based Excel coordinates so messages can say "row 17, column C".
    ``row_numbers`` are the Excel rows of ``rows`` when they are not simply the rows right under the
    header (the reader leaves blank rows inside a table out).  ``problems`` (errors) and ``warnings`` are
    what the reader found around the table: data below it or beside it, blank rows inside it.
    """

    name: str
    sheet: str
    headers: list[Any]
    rows: list[list[Any]]
    header_row: int = 1
    first_col: int = 1
    row_numbers: list[int] | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def excel_row(self, i: int) -> int:
        if self.row_numbers is not None:
            return self.row_numbers[i]
        return self.header_row + 1 + i


class Book(Protocol):
    """List tables, read one as raw cells, write a DataFrame as an output table."""

    def table_names(self) -> list[str]:
        """Canonical names of the tables found in the book (Excel Tables or recognised sheets)."""
        ...

    def read_raw(self, name: str) -> RawTable | None:
        """The table's cells, or None when the book has no such table."""
        ...

    def write_table(self, name: str, frame: pd.DataFrame, *, lang: str = "en") -> None:
        """Stage ``frame`` as output table ``name``; adapters write it on ``save``/immediately."""
        ...
