"""The grid the dashboard's summary tables and charts are laid out on, and the small helpers they share."""

from __future__ import annotations

import numpy as np

from salesbook.book.dashboard.labels import currency_word, say
from salesbook.book.dashboard.model import (
    ERROR_NA,
    GRID_TOP,
    SHEET,
    SLOT_ROWS,
    Cell,
    Chart,
    Dashboard,
    Series,
    range_ref,
)
from salesbook.schemas.currency import symbol

NAVY, MID, LIGHT, GREY, ORANGE, GREEN = "1E3A5F", "5B8DB8", "A7C4DE", "6B7280", "C2410C", "15803D"
PERCENT = "0.0%"
COUNT = "#,##0"
Figure = tuple[str, str, object, str]  # a key figure: label, formula, its value, style


def money_format(currency: object) -> str:
    """Whole currency units with the symbol: ``"¥"#,##0``."""
    sign = symbol(currency).replace('"', "")
    return f'"{sign}"#,##0' if sign else "#,##0"


def scaled(lang: str, currency: object, largest: float) -> tuple[str, str]:
    """An axis number format that keeps tick labels short, and the unit its title names.

    English scales by thousands (``,`` divides by 1,000 in a format); Chinese by 万 and 亿, written with the
    usual format trick: ``0\\.0,`` divides by 1,000 and shows the last digit after a literal point."""
    word = currency_word(lang, currency)
    if lang == "zh":
        if largest >= 1e8:
            return "0\\.00,,", say(lang, "unit_hundred_millions", code=word)
        if largest >= 1e4:
            return "0\\.0,", say(lang, "unit_ten_thousands", code=word)
        return "#,##0", say(lang, "unit_ones", code=word)
    if largest >= 1e6:
        return "#,##0.0,,", say(lang, "unit_millions", code=word)
    if largest >= 1e4:
        return "#,##0,", say(lang, "unit_thousands", code=word)
    return "#,##0", say(lang, "unit_ones", code=word)


class Layout:
    """Places the summary tables one under another below the chart grid and collects the charts."""

    def __init__(self, lang: str, currency: object):
        self.lang, self.currency = lang, currency
        self.board = Dashboard(lang=lang, money_format=money_format(currency))
        self.row = GRID_TOP + 2 * SLOT_ROWS + 3  # first row of the data area (after two rows of charts)
        self.data_top = self.row

    def put(self, row: int, col: int, cell: Cell) -> None:
        self.board.cells[(row, col)] = cell

    def table(self, title: str, headers: list[str]) -> int:
        """A table's title and header row; returns the first data row."""
        self.put(self.row, 1, Cell(title, style="heading"))
        for j, h in enumerate(headers, start=1):
            self.put(self.row + 1, j, Cell(h, style="header"))
        first = self.row + 2
        return first

    def close(self, last_row: int, notes: list[str] = ()) -> None:
        for k, note in enumerate(notes):
            self.put(last_row + 1 + k, 1, Cell(note, style="note"))
        self.row = last_row + 2 + len(notes)

    def series(self, name_at: tuple[int, int], cats_at: tuple[int, int, int], vals_col: int, **kw) -> Series:
        """A series whose name is the header cell ``name_at`` and whose categories and values are the rows
        ``cats_at`` = (column, first row, last row) of the table."""
        c_col, r1, r2 = cats_at
        cats = tuple(text(self.board.cells.get((r, c_col), Cell()).value) for r in range(r1, r2 + 1))
        vals = tuple(number(self.board.cells.get((r, vals_col), Cell()).value) for r in range(r1, r2 + 1))
        return Series(name=str(self.board.cells[name_at].value), name_ref=range_ref(SHEET, *name_at, *name_at),
                      cats_ref=range_ref(SHEET, r1, c_col, r2, c_col), vals_ref=range_ref(SHEET, r1, vals_col, r2, vals_col),
                      cats=cats, vals=vals, col=vals_col, cats_col=c_col, rows=(r1, r2), **kw)

    def chart(self, **kw) -> None:
        self.board.charts.append(Chart(slot=len(self.board.charts), **kw))


def text(value: object) -> str:
    return "" if value is None else str(value)


def number(value: object) -> float | None:
    if isinstance(value, bool) or value is None or value == ERROR_NA:
        return None
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(v) else v


def ratio(num: float | None, den: float | None) -> object:
    return num / den if num is not None and den is not None and den > 0 else ERROR_NA
