"""The one small interface every workbook adapter implements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
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

    @property
    def n_rows(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class TypedColumn:
    """One column read column-wise, every cell of one type, blanks marked (no Python object per cell).

    ``kind`` and ``values``: "number" float64 (NaN blank), "date" datetime64[ms] (NaT blank), "bool" int8
    (1, 0, -1 blank), "text" int64 codes into ``texts`` (-1 blank).  A column a reader cannot type so
    (mixed cells, errors, text it would have to convert) is None in ``TypedTable.columns``.
    """

    kind: str
    values: np.ndarray
    texts: list[str] | None = None

    def cells(self) -> list[Any]:
        """The cells as Python values, blanks as "" (as the cell-by-cell reader gives them)."""
        if self.kind == "text":
            table = np.array([*(self.texts or []), ""], dtype=object)
            return table[self.values].tolist()
        if self.kind == "number":
            return ["" if v != v else v for v in self.values.tolist()]
        if self.kind == "bool":
            return ["" if v < 0 else bool(v) for v in self.values.tolist()]
        out: list[Any] = []
        for v in self.values.astype("datetime64[ms]").tolist():
            out.append("" if v is None else (v.date() if v.time() == dt.time() else v))
        return out


class TypedTable(RawTable):
    """A table read column-wise (``columns``, aligned with ``headers`` and ``row_numbers``).

    ``rows`` are made from the columns only when asked for; ``cell_table`` reads the same table cell by
    cell, for the columns that could not be typed (None in ``columns``) or that fail a typed check.
    A ``partial`` table was read for some columns only and holds the rows with a value in them.
    """

    partial: bool = False

    def __init__(self, *, columns: list[TypedColumn | None], cell_table: Callable[[], RawTable], **kw: Any):
        self._rows: list[list[Any]] | None = None
        self.columns = columns
        self._cell_table = cell_table
        self._cells: RawTable | None = None
        super().__init__(rows=None, **kw)  # type: ignore[arg-type]

    @property  # type: ignore[override]
    def rows(self) -> list[list[Any]]:
        if self._rows is None:
            self._rows = [list(r) for r in zip(*self._column_cells(), strict=True)] if self.columns else []
        return self._rows

    @rows.setter
    def rows(self, value: list[list[Any]] | None) -> None:
        if value is not None:
            self._rows = value

    @property
    def n_rows(self) -> int:
        return len(self.row_numbers or ())

    def _column_cells(self) -> list[list[Any]]:
        out = []
        for j, col in enumerate(self.columns):
            if col is None:
                cells = self.cell_table()
                out.append([r[j] if j < len(r) else None for r in cells.rows])
            else:
                out.append(col.cells())
        return out

    def cell_table(self) -> RawTable:
        """The same table read cell by cell (once)."""
        if self._cells is None:
            self._cells = self._cell_table()
        return self._cells


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
