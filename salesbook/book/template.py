"""Build workbooks from the schema registry: the empty template and the demo book.

Sheets: an instructions sheet (说明 / Instructions) documenting every table and column, one sheet per
input table holding an Excel Table named by its canonical English name (headers in the user's
language), drop-downs, number formats, frozen headers, and the ``xlwings.conf`` sheet that tells
xlwings where the worksheet functions live.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.workbook import Workbook

from salesbook.book.fill import fill_tables
from salesbook.book.save import atomic_write, save_workbook
from salesbook.book.validate import range_text, setting_allowed
from salesbook.book.writer import (
    HEADER_FILL,
    HEADER_FONT,
    ensure_named_styles,
    list_validation,
    set_cell,
    write_frame,
)
from salesbook.schemas import REGISTRY, SETTINGS, Table, input_tables

UDF_MODULE = "salesbook.excel.functions"
PINNED_TIME = dt.datetime(2026, 1, 1)

_T = {
    "en": {"instructions": "Instructions", "title": "salesbook workbook", "table": "Table", "sheet": "Sheet",
           "column": "Column", "type": "Type", "required": "Required", "description": "Description",
           "yes": "yes", "allowed": "Allowed values", "refers": "Must exist in",
           "intro": ("Fill in the tables on the following sheets (Excel Tables: add rows at the bottom, do not "
                     "rename the tables). Headers may be written in English or Chinese. Run `salesbook run "
                     "THIS.xlsx` (or the macros in Excel) to compute; results go to sheets named Out_..., "
                     "which are replaced on every run — do not type in them."),
           "settings": "Settings keys"},
    "zh": {"instructions": "说明", "title": "salesbook 销售管理工作簿", "table": "表格", "sheet": "工作表",
           "column": "列", "type": "类型", "required": "必填", "description": "说明", "yes": "是",
           "allowed": "可选值", "refers": "须存在于",
           "intro": ("请在后面各工作表的表格中填写数据（Excel 表格：在底部添加行，不要重命名表格）。"
                     "表头可用中文或英文。"
                     "运行 `salesbook run 本文件.xlsx`（或在 Excel 中运行宏）进行计算；结果写入以 Out_ 开头的工作表，"
                     "每次运行都会整体替换，请勿在其中手工填写。"),
           "settings": "参数列表"},
}
_KIND_LABEL = {
    "en": {"text": "text", "id": "code", "int": "whole number", "number": "number", "money": "amount",
           "percent": "percent", "date": "date", "bool": "yes/no", "choice": "choice"},
    "zh": {"text": "文本", "id": "编码", "int": "整数", "number": "数字", "money": "金额", "percent": "百分比",
           "date": "日期", "bool": "是/否", "choice": "选项"},
}


def settings_frame(lang: str, values: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Every known setting with its default (or the given value) and its documentation as the note."""
    values = dict(values or {})
    rows = []
    for s in SETTINGS.values():
        value = values.get(s.key, s.default)
        if s.key == "language" and s.key not in values:
            value = lang
        rows.append((s.key, value, s.doc_zh if lang == "zh" else s.doc_en))
    return pd.DataFrame(rows, columns=["key", "value", "note"])


def _instructions(wb: Workbook, lang: str, tables: list[Table]) -> None:
    """The instructions sheet; every cell goes through ``set_cell``, so documentation text that starts
    like a formula (the lead-rule operators "=, !=, ...") stays text."""
    t = _T[lang]
    ws = wb.active
    ws.title = t["instructions"]
    set_cell(ws, 1, 1, t["title"]).font = Font(bold=True, size=16)
    set_cell(ws, 2, 1, t["intro"])
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:F2")
    ws.row_dimensions[2].height = 60
    row = 4
    headers = [t["sheet"], t["column"], t["type"], t["required"], t["description"], t["allowed"]]
    for table in tables:
        set_cell(ws, row, 1, f"{table.sheet_name(lang)}  ({t['table']}: {table.name})").font = Font(
            bold=True, size=12)
        set_cell(ws, row, 5, table.doc_zh if lang == "zh" else table.doc_en)
        row += 1
        for j, h in enumerate(headers, start=1):
            c = set_cell(ws, row, j, h)
            c.font, c.fill = HEADER_FONT, HEADER_FILL
        row += 1
        for col in table.columns:
            allowed = ""
            if col.choices:
                allowed = col.allowed(lang)
            elif col.min_value is not None or col.max_value is not None or col.plausible is not None:
                allowed = range_text(col, lang)
            elif col.ref:
                ref_table, ref_col = col.ref.split(".")
                ref = REGISTRY[ref_table]
                allowed = f"{t['refers']} {ref.sheet_name(lang)}.{ref.column(ref_col).label(lang)}"
            other = col.label_en if lang == "zh" else col.zh
            values = [table.sheet_name(lang), f"{col.label(lang)} / {other}", _KIND_LABEL[lang][col.kind.value],
                      t["yes"] if col.required else "", col.doc_zh if lang == "zh" else col.doc_en, allowed]
            for j, v in enumerate(values, start=1):
                set_cell(ws, row, j, v).alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
        row += 1
    set_cell(ws, row, 1, t["settings"]).font = Font(bold=True, size=12)
    row += 1
    for s in SETTINGS.values():
        set_cell(ws, row, 1, s.key)
        set_cell(ws, row, 2, s.zh)
        set_cell(ws, row, 3, _KIND_LABEL[lang][s.kind.value])
        set_cell(ws, row, 5, s.doc_zh if lang == "zh" else s.doc_en)
        set_cell(ws, row, 6, setting_allowed(s, lang))
        row += 1
    for letter, width in zip("ABCDEF", (22, 28, 12, 8, 70, 36), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A4"


def _settings_dropdowns(ws, frame: pd.DataFrame, lang: str) -> None:
    """A drop-down on each Settings value cell whose setting is a choice (the value column is B)."""
    for i, key in enumerate(frame["key"], start=2):
        setting = SETTINGS.get(str(key))
        if setting is None or not setting.choices:
            continue
        dv = list_validation([c.label(lang) for c in setting.choices])
        dv.error = setting_allowed(setting, lang)
        dv.errorTitle = "salesbook"
        ws.add_data_validation(dv)
        dv.add(f"B{i}")


XLWINGS_CONF = (  # the keys of xlwings' own config sheet (see the standalone quickstart workbook)
    ("Interpreter_Win", "python"),
    ("Interpreter_Mac", None),
    ("PYTHONPATH", None),
    ("Conda Path", None),
    ("Conda Env", None),
    ("UDF Modules", UDF_MODULE),
    ("Debug UDFs", False),
    ("Use UDF Server", False),
    ("Show Console", False),
)


def _xlwings_conf(wb: Workbook) -> None:
    ws = wb.create_sheet("xlwings.conf")
    for row, (key, value) in enumerate(XLWINGS_CONF, start=1):
        set_cell(ws, row, 1, key)
        set_cell(ws, row, 2, value)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 32


def _macro_base() -> Workbook:
    """xlwings' standalone quickstart workbook (BSD licence, shipped in the xlwings wheel): it carries the
    xlwings VBA module, so RunPython and UDF import work without installing the add-in."""
    import xlwings

    base = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    wb = openpyxl.load_workbook(base, keep_vba=True)
    first = wb.worksheets[0]
    for ws in wb.worksheets[1:]:
        wb.remove(ws)
    first.title = "_salesbook_tmp"
    return wb


def build_workbook(lang: str = "en", data: Mapping[str, pd.DataFrame] | None = None, *,
                   macros: bool = False) -> Workbook:
    """A salesbook workbook; ``data`` fills the input tables (demo), otherwise they are empty.
    ``macros`` makes a macro-enabled (.xlsm) workbook carrying the xlwings VBA module."""
    if lang not in ("en", "zh"):
        raise ValueError(f"language must be 'en' or 'zh', got {lang!r}")
    data = dict(data or {})
    wb = _macro_base() if macros else openpyxl.Workbook()
    wb.properties.creator = "salesbook"
    wb.properties.created = PINNED_TIME
    wb.properties.modified = PINNED_TIME
    tables = input_tables()
    _instructions(wb, lang, tables)
    ensure_named_styles(wb)
    for table in tables:
        ws = wb.create_sheet(title=table.sheet_name(lang))
        if table.name == "Settings":
            given = data.get("Settings")
            frame = settings_frame(lang, dict(zip(given["key"], given["value"], strict=True)) if given is not None
                                   else None)
        else:
            frame = data.get(table.name)
            if frame is None:
                frame = pd.DataFrame({c: [] for c in table.column_names})
            else:
                frame = frame.reindex(columns=table.column_names)
        write_frame(ws, frame, table_name=table.name, lang=lang, schema=table, with_validation=True)
        if table.name == "Settings":
            _settings_dropdowns(ws, frame, lang)
    _xlwings_conf(wb)
    return wb


FILL_MIN_ROWS = 2_000  # tables at least this long are streamed in after openpyxl has built the book
_SHOWN_ROWS = 200  # the rows openpyxl writes of such a table (its column widths are fitted to them)


def write_book(path: str | Path, lang: str = "en", data: Mapping[str, pd.DataFrame] | None = None) -> Path:
    """Write a workbook; a .xlsm path gets the macro-enabled variant.

    Large tables are not written cell by cell through openpyxl: it builds the book with their first rows,
    and ``fill_tables`` streams every row in (the way output sheets are written)."""
    path = Path(path)
    macros = path.suffix.lower() == ".xlsm"
    data = dict(data or {})
    big = {name: frame for name, frame in data.items()
           if name in REGISTRY and name != "Settings" and len(frame) >= FILL_MIN_ROWS}
    if not big:
        return save_workbook(build_workbook(lang, data, macros=macros), path)
    wb = build_workbook(lang, {**data, **{n: f.head(_SHOWN_ROWS) for n, f in big.items()}}, macros=macros)

    def write(tmp: Path) -> None:
        built = tmp.with_name(tmp.name + ".built")
        try:
            wb.save(built)
            fill_tables(built, big, tmp, lang=lang, shown_rows=_SHOWN_ROWS)
        finally:
            built.unlink(missing_ok=True)

    return atomic_write(path, write)
