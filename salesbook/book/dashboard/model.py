"""What the dashboard sheet holds, independent of how it is written (package parts, or live Excel).

Cells are values or formulas (with the value the formula gives on the run's own outputs, so a reader
that does not calculate sees the same numbers); charts are series of cell ranges on the sheet, drawn
in a grid of slots above the summary tables that feed them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

SHEET = "Out_Dashboard"
MARK = "salesbook"  # charts whose drawing name starts with this are the dashboard's own (replaced on every run)

# The chart grid: 12 columns of equal width, 3 charts across, each 4 columns by 20 rows, from row 4.
GRID_COLUMNS = 12
COLUMN_WIDTH = 14.0  # characters
SLOT_COLUMNS, SLOT_ROWS = 4, 20
GRID_TOP = 4  # first row of the chart grid (1-based)
SLOTS_ACROSS = 3
ERROR_NA = "#N/A"


def column_letter(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def cell_ref(row: int, col: int, *, absolute: bool = False) -> str:
    d = "$" if absolute else ""
    return f"{d}{column_letter(col)}{d}{row}"


def sheet_prefix(sheet: str) -> str:
    """``Out_Dashboard!`` or ``'My sheet'!``: quoted when the name is not a plain word."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet):
        return f"{sheet}!"
    return "'" + sheet.replace("'", "''") + "'!"


def range_ref(sheet: str, row1: int, col1: int, row2: int, col2: int) -> str:
    """An absolute reference to a block of the sheet, as a chart series names it."""
    a = cell_ref(row1, col1, absolute=True)
    b = cell_ref(row2, col2, absolute=True)
    return sheet_prefix(sheet) + (a if a == b else f"{a}:{b}")


@dataclass(frozen=True)
class Cell:
    """A value, or a formula (without '=') with the value it gives; ``style`` names a dashboard style."""

    value: Any = None
    formula: str | None = None
    style: str = "text"


@dataclass(frozen=True)
class Series:
    """One series: its name cell, category and value ranges on the sheet, and their values now."""

    name: str
    name_ref: str
    cats_ref: str
    vals_ref: str
    cats: tuple[str, ...]
    vals: tuple[float | None, ...]
    kind: str = "column"  # column | bar | line
    secondary: bool = False
    color: str = "1E3A5F"
    dashed: bool = False
    labels: bool = False  # value labels on the bars
    col: int = 0  # the values' column, the categories' column and the rows, 1-based (for live Excel)
    cats_col: int = 0
    rows: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Axis:
    title: str
    number_format: str
    minimum: float | None = None


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    series: tuple[Series, ...]
    category_title: str
    axis: Axis
    second_axis: Axis | None = None
    horizontal: bool = False      # bars across, first category on top
    slot: int = 0                 # position in the grid (0, 1, 2 on the first row ...)

    def source(self) -> tuple[int, int, int, int]:
        """The block a spreadsheet application charts from (header row, categories column, last row, last
        series column): the categories and then each series, in adjacent columns."""
        first = self.series[0]
        return first.rows[0] - 1, first.cats_col, first.rows[1], max(s.col for s in self.series)

    def anchor(self) -> tuple[int, int, int, int]:
        """(first column, first row, last column, last row), 0-based cells the chart spans."""
        r, c = divmod(self.slot, SLOTS_ACROSS)
        col, row = c * SLOT_COLUMNS, GRID_TOP - 1 + r * SLOT_ROWS
        return col, row, col + SLOT_COLUMNS - 1, row + SLOT_ROWS - 1


def slot_cells(slot: int) -> tuple[int, int]:
    """The top-left cell (1-based row, column) of a grid slot."""
    r, c = divmod(slot, SLOTS_ACROSS)
    return GRID_TOP + r * SLOT_ROWS, 1 + c * SLOT_COLUMNS


@dataclass
class Dashboard:
    """The sheet: cells by (row, column), 1-based; charts; the printed range; the currency format."""

    lang: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)
    money_format: str = "#,##0"
    row_heights: dict[int, float] = field(default_factory=dict)
    sheet: str = SHEET

    @property
    def print_rows(self) -> int:
        """Rows the print area covers: the title and every used slot of the chart grid."""
        used = max([c.slot for c in self.charts] + [self.figures_slot]) + 1
        return GRID_TOP - 1 + -(-used // SLOTS_ACROSS) * SLOT_ROWS

    @property
    def figures_slot(self) -> int:
        return len(self.charts)

    def print_area(self) -> str:
        return range_ref(self.sheet, 1, 1, self.print_rows, GRID_COLUMNS)

    def last_row(self) -> int:
        return max((r for r, _ in self.cells), default=1)
