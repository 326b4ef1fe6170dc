"""Write DataFrames into openpyxl worksheets as styled Excel Tables.

One place decides how a value lands in a cell (``set_cell``, used for every cell salesbook writes
through openpyxl, headers and the instructions sheet included): numpy scalars become Python ones, NaN
becomes a blank, and text that Excel would take for a formula (= + - @, tab, CR) is stored as text
with the quote prefix, so no text can turn into a live formula (OWASP "CSV/formula injection"); text
that looks like Excel's ``_xHHHH_`` escape is escaped itself, and text longer than a cell holds is cut
with a warning naming the cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table as XlTable
from openpyxl.worksheet.table import TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from salesbook.schemas import REGISTRY, Column, Kind, Table

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"
NUMBER_FORMAT = "#,##0.####"
PERCENT_FORMAT = "0.00%"
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TABLE_STYLE = "TableStyleMedium2"

_FORMATS = {
    Kind.MONEY: MONEY_FORMAT,
    Kind.NUMBER: NUMBER_FORMAT,
    Kind.PERCENT: PERCENT_FORMAT,
    Kind.DATE: DATE_FORMAT,
    Kind.INT: "0",
}


EXCEL_TEXT_LIMIT = 32_767  # characters (UTF-16 code units) one cell holds
_LITERAL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


class TextCut(UserWarning):
    """Text longer than an Excel cell holds was cut to the limit."""


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def cell_value(value: Any) -> Any:
    """A plain Python value a cell can hold; blanks for NaN/NA/NaT and for infinities (an attainment on a
    zero target), which no cell holds: Excel through xlwings would refuse them where a file shows a blank."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if isinstance(value, dt.datetime | dt.date | bool | int | float | str):
        return value
    return str(value)


def excel_text(text: str, where: str = "") -> str:
    """Text as a cell stores it: a literal ``_xHHHH_`` escaped (``_x005F_``) so Excel and readers do not
    decode it, and cut to 32,767 UTF-16 code units (with a ``TextCut`` warning naming ``where``)."""
    units = len(text.encode("utf-16-le")) // 2 if len(text) * 2 > EXCEL_TEXT_LIMIT else len(text)
    if units > EXCEL_TEXT_LIMIT:
        cut = text[:EXCEL_TEXT_LIMIT]
        while len(cut.encode("utf-16-le")) // 2 > EXCEL_TEXT_LIMIT:
            cut = cut[:-1]
        warnings.warn(f"{where}: text of {units:,} characters cut to Excel's limit of {EXCEL_TEXT_LIMIT:,}",
                      TextCut, stacklevel=3)
        text = cut
    return _LITERAL_ESCAPE.sub("_x005F_", text) if "_x" in text else text


def set_cell(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    """Store ``value`` in a cell as data, never as a formula; returns the cell."""
    cell = ws.cell(row=row, column=col)
    value = cell_value(value)
    if isinstance(value, str):
        value = excel_text(value, f"{ws.title}!{cell.coordinate}")
    if isinstance(value, str) and looks_like_formula(value):
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    cell.value = value
    return cell


def column_for(table: Table | None, name: str) -> Column | None:
    if table is None:
        return None
    try:
        return table.column(name)
    except KeyError:
        return None


def header_label(table: Table | None, name: str, lang: str) -> str:
    col = column_for(table, name)
    return col.label(lang) if col else name


def write_frame(ws: Worksheet, frame: pd.DataFrame, *, table_name: str, lang: str = "en",
                schema: Table | None = None, top: int = 1, with_validation: bool = False) -> None:
    """Headers in the user's language, values, number formats, an Excel Table, frozen header row."""
    schema = schema if schema is not None else REGISTRY.get(table_name)
    names = list(frame.columns)
    for j, name in enumerate(names, start=1):
        cell = set_cell(ws, top, j, header_label(schema, name, lang))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=False)
    columns = [frame[n].tolist() for n in names]
    nrows = len(frame)
    for j, values in enumerate(columns, start=1):
        col = column_for(schema, names[j - 1])
        fmt = _FORMATS.get(col.kind) if col else None
        if col and col.kind is Kind.CHOICE and lang == "zh":
            values = [col.choice_label(v, lang) if isinstance(v, str) else v for v in values]
        for i, value in enumerate(values):
            set_cell(ws, top + 1 + i, j, value)
            if fmt:
                ws.cell(row=top + 1 + i, column=j).number_format = fmt
        if fmt and with_validation:
            _format_empty_rows(ws, j, top + 1 + nrows, fmt)
    last_row = max(top + nrows, top + 1)
    ref = f"A{top}:{get_column_letter(max(len(names), 1))}{last_row}"
    xl_table = XlTable(displayName=table_name, ref=ref)
    xl_table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
    ws.add_table(xl_table)
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    autosize(ws, names, frame, schema, lang)
    if with_validation and schema is not None:
        add_validations(ws, schema, names, top, lang)


def _format_empty_rows(ws: Worksheet, col: int, start: int, fmt: str, rows: int = 200) -> None:
    for r in range(start, start + rows):
        ws.cell(row=r, column=col).number_format = fmt


def autosize(ws: Worksheet, names: list[str], frame: pd.DataFrame, schema: Table | None, lang: str) -> None:
    for j, name in enumerate(names, start=1):
        label = header_label(schema, name, lang)
        sample = frame[name].head(200).astype(str).tolist() if len(frame) else []
        width = max([_display_width(label) + 4, *(_display_width(s) + 2 for s in sample)])
        ws.column_dimensions[get_column_letter(j)].width = min(max(width, 10), 60)


def _display_width(text: str) -> int:
    """East Asian characters take two columns in Excel's default font."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def list_validation(labels: list[str]) -> DataValidation:
    """A drop-down offering exactly ``labels`` (blank allowed)."""
    return DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True)


def add_validations(ws: Worksheet, schema: Table, names: list[str], top: int, lang: str,
                    rows: int = 5000) -> None:
    """Drop-downs for choices, yes/no, and list sources for foreign keys; range checks for numbers."""
    first, last = top + 1, top + rows
    for j, name in enumerate(names, start=1):
        col = column_for(schema, name)
        if col is None:
            continue
        letter = get_column_letter(j)
        area = f"{letter}{first}:{letter}{last}"
        dv: DataValidation | None = None
        if col.kind is Kind.CHOICE:
            dv = list_validation([c.zh if lang == "zh" else c.value for c in col.choices])
        elif col.choices:  # text that may also be a word of the list (a password, or "generate")
            dv = list_validation([c.zh if lang == "zh" else c.value for c in col.choices])
            dv.showErrorMessage = False
        elif col.kind is Kind.BOOL:
            dv = list_validation(["是", "否"] if lang == "zh" else ["yes", "no"])
        elif col.ref:
            ref_table, ref_col = col.ref.split(".")
            source = f"{ref_table}[{_header_of(ref_table, ref_col, lang)}]"
            # stored without "=": Excel writes validation formulas bare; "=" there is not part of the formula
            dv = DataValidation(type="list", formula1=f'INDIRECT("{source}")', allow_blank=True)
            dv.showErrorMessage = False  # typed ids not yet in the list are validated by salesbook itself
        elif col.kind is Kind.DATE:
            dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
        elif col.kind in (Kind.NUMBER, Kind.MONEY, Kind.PERCENT, Kind.INT) and col.min_value is not None:
            dv = DataValidation(type="whole" if col.kind is Kind.INT else "decimal", operator="greaterThanOrEqual",
                                formula1=str(col.min_value), allow_blank=True)
        if dv is None:
            continue
        dv.error = ("请选择或填写有效的取值。" if lang == "zh" else "Choose or type a valid value.")
        dv.errorTitle = col.label(lang)
        dv.prompt = col.doc_zh if lang == "zh" else col.doc_en
        dv.showInputMessage = bool(dv.prompt)
        dv.add(area)
        ws.add_data_validation(dv)


def _header_of(table_name: str, column: str, lang: str) -> str:
    return REGISTRY[table_name].column(column).label(lang)


def ensure_named_styles(wb: Workbook) -> None:
    """Register a money style once so Excel users can reuse it on their own sheets."""
    if "salesbook money" not in wb.named_styles:
        style = NamedStyle(name="salesbook money", number_format=MONEY_FORMAT)
        wb.add_named_style(style)
