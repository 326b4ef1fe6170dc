"""The send list of a protected run, as an Excel table and a CSV file for a mail merge.

It holds the generated passwords, so it is written only to the paths the caller chose (beside the
reviews' folder, never in it), readable by its owner alone where the system allows (mode 0600), and
its contents never go to the console. The CSV is UTF-8 with a byte-order mark so Excel shows Chinese
names, and text that a spreadsheet would run as a formula is written with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import openpyxl
import pandas as pd

from salesbook.book.save import atomic_write
from salesbook.book.writer import FORMULA_PREFIXES, write_frame
from salesbook.schemas.sharing import SEND_LIST

PRIVATE = 0o600


def _private(write):
    def run(tmp: Path) -> None:
        write(tmp)
        os.chmod(tmp, PRIVATE)
    return run


def write_xlsx(frame: pd.DataFrame, dest: Path, lang: str) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SEND_LIST.zh if lang == "zh" else SEND_LIST.name
    write_frame(ws, frame.reindex(columns=SEND_LIST.column_names), table_name=SEND_LIST.name, lang=lang,
                schema=SEND_LIST)
    return atomic_write(dest, _private(wb.save))


def _csv_cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def write_csv(frame: pd.DataFrame, dest: Path, lang: str) -> Path:
    columns = SEND_LIST.column_names
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([SEND_LIST.column(c).label(lang) for c in columns])
    for row in frame.reindex(columns=columns).itertuples(index=False):
        writer.writerow([_csv_cell(v) for v in row])
    data = buf.getvalue().encode("utf-8-sig")
    return atomic_write(dest, _private(lambda tmp: tmp.write_bytes(data)))


def write_send_list(frame: pd.DataFrame, xlsx: Path, csv_path: Path, lang: str) -> tuple[Path, Path]:
    """Both files, each written whole or not at all."""
    return write_xlsx(frame, xlsx, lang), write_csv(frame, csv_path, lang)
