"""The dashboard's worksheet part: its cells (values and formulas with their cached results), the chart
grid's column widths, A4 landscape printing on one page, and the drawing that holds the charts."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from salesbook.book.dashboard.model import (
    COLUMN_WIDTH,
    ERROR_NA,
    GRID_COLUMNS,
    Cell,
    Dashboard,
    cell_ref,
    column_letter,
)

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PERCENT, COUNT, NUMBER = "0.0%", "#,##0", "#,##0.00"

_FONT = '<font>{b}{i}<sz val="{sz}"/><color rgb="FF{color}"/><name val="Calibri"/><family val="2"/></font>'


def _font(size: int, color: str = "000000", bold: bool = False, italic: bool = False) -> str:
    return _FONT.format(b="<b/>" if bold else "", i="<i/>" if italic else "", sz=size, color=color)


HEADER_FONT = _font(11, "FFFFFF", bold=True)
HEADER_FILL = ('<fill><patternFill patternType="solid"><fgColor rgb="FF1F4E78"/><bgColor indexed="64"/>'
               '</patternFill></fill>')


def style_specs(money_format: str) -> dict[str, tuple[str | None, str | None, str | None]]:
    """Each dashboard style: (number format, font, fill); None keeps the workbook's default."""
    big = _font(12, "1E3A5F", bold=True)
    return {
        "text": (None, None, None),
        "title": (None, _font(16, "1E3A5F", bold=True), None),
        "subtitle": (None, _font(11, "4B5563"), None),
        "heading": (None, _font(12, "1E3A5F", bold=True), None),
        "header": (None, HEADER_FONT, HEADER_FILL),
        "note": (None, _font(9, "6B7280", italic=True), None),
        "label": (None, _font(11, "374151"), None),
        "money": (money_format, None, None),
        "percent": (PERCENT, None, None),
        "count": (COUNT, None, None),
        "number": (NUMBER, None, None),
        "big_money": (money_format, big, None),
        "big_percent": (PERCENT, big, None),
        "big_count": (COUNT, big, None),
    }


def column_pixels() -> int:
    """A column's width on screen: Excel's rule for the default 7-pixel font (width * 7 + 5, whole pixels)."""
    return math.trunc((256 * COLUMN_WIDTH + math.trunc(128 / 7)) / 256 * 7)


def _text(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f"<t{space}>{escape(text)}</t>"


def _cell(ref: str, cell: Cell, style: int) -> str:
    s = f' s="{style}"'
    v = cell.value
    if cell.formula is not None:
        f = f"<f>{escape(cell.formula)}</f>"
        if v == ERROR_NA:
            return f'<c r="{ref}"{s} t="e">{f}<v>#N/A</v></c>'
        if isinstance(v, str):
            return f'<c r="{ref}"{s} t="str">{f}<v>{escape(v)}</v></c>'
        if v is None or (isinstance(v, float) and not math.isfinite(v)):
            return f'<c r="{ref}"{s}>{f}</c>'
        return f'<c r="{ref}"{s}>{f}<v>{float(v)!r}</v></c>'
    if v is None:
        return f'<c r="{ref}"{s}/>'
    if isinstance(v, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(v)}</v></c>'
    if isinstance(v, int | float):
        return f'<c r="{ref}"{s}><v>{float(v)!r}</v></c>' if math.isfinite(v) else f'<c r="{ref}"{s}/>'
    return f'<c r="{ref}"{s} t="inlineStr"><is>{_text(str(v))}</is></c>'


def sheet_xml(board: Dashboard, styles: dict[str, int], *, selected: bool, head: str = "", tail: str = "",
              drawing_rid: str = "rId1") -> bytes:
    """The worksheet part. ``head``/``tail``: the sheet properties and print settings of the dashboard
    this one replaces (a user's page setup is kept), else one A4 landscape page."""
    rows: dict[int, list[tuple[int, Cell]]] = {}
    for (r, c), cell in board.cells.items():
        rows.setdefault(r, []).append((c, cell))
    last = max([board.last_row(), board.print_rows])
    body = []
    for r in sorted(rows):
        height = board.row_heights.get(r)
        ht = f' ht="{height}" customHeight="1"' if height else ""
        cells = "".join(_cell(cell_ref(r, c), cell, styles[cell.style]) for c, cell in sorted(rows[r], key=lambda x: x[0]))
        body.append(f'<row r="{r}"{ht}>{cells}</row>')
    tab = ' tabSelected="1"' if selected else ""
    head = head or '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
    tail = tail or ('<printOptions horizontalCentered="1"/><pageMargins left="0.4" right="0.4" top="0.5" bottom="0.5" '
                    'header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" '
                    'fitToHeight="1"/>')
    cols = f'<cols><col min="1" max="{GRID_COLUMNS}" width="{COLUMN_WIDTH}" customWidth="1"/></cols>'
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{head}'
            f'<dimension ref="A1:{column_letter(GRID_COLUMNS)}{last}"/>'
            f'<sheetViews><sheetView showGridLines="0"{tab} workbookViewId="0"/></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>{cols}<sheetData>{"".join(body)}</sheetData>{tail}'
            f'<drawing r:id="{drawing_rid}"/></worksheet>').encode()
