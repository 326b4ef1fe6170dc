"""Fill large input tables of a freshly built workbook by streaming their rows into its package.

openpyxl builds the workbook (instructions, styles, drop-downs, frozen headers, column widths) with
only the first rows of each large table, which costs it little; the rows are then written the way
output sheets are (``graft``: a whole column at a time, blocks of rows joined by C code, deflated
while the next block is made), and the table's range follows.  Everything else in the package is
copied as its compressed bytes.  A 500,000-row Deals table never becomes 4.5 million cell objects.
"""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from salesbook.book.graft import _add_styles, _Cells, _column_cells, _Ref, _row_blocks, _Styles
from salesbook.book.ooxml import NS, sheet_parts
from salesbook.book.package import relationships, rels_of
from salesbook.book.validate import column_letter
from salesbook.book.writer import _FORMATS, column_for
from salesbook.book.zipparts import Blocks, copy_part, write_blocks, write_part
from salesbook.schemas import REGISTRY, Kind, Table

_ROW = re.compile(rb'<row r="(\d+)"')
_EMPTY_CELL = re.compile(rb'<c r="([A-Z]+)\d+" s="(\d+)"')
_DIMENSION = re.compile(rb'(<dimension ref=")[^"]*(")')
_TABLE_REL = NS["r"] + "/table"


def fill_tables(source: str | Path, fills: Mapping[str, pd.DataFrame], dest: str | Path, *, lang: str = "en",
                shown_rows: int) -> None:
    """Write ``dest``: ``source`` with the rows of each table in ``fills`` (by table name) streamed in.

    ``source`` holds each of these tables with its first ``shown_rows`` rows (as openpyxl wrote them) and
    the pre-formatted empty rows below; they are replaced by all the frame's rows and the same empty rows.
    """
    with zipfile.ZipFile(source) as zin:
        names = set(zin.namelist())
        read = functools.partial(_read, zin, names)
        styles_part = "xl/styles.xml"
        styles_xml, styles = _add_styles(zin.read(styles_part))
        by_table = _table_parts(zin, names)
        replaced: dict[str, bytes] = {styles_part: styles_xml}
        streamed: dict[str, Callable[[], Blocks]] = {}
        for name, frame in fills.items():
            sheet_part, table_part = by_table[name]
            schema = REGISTRY[name]
            frame = frame.reindex(columns=schema.column_names).reset_index(drop=True)
            n = len(frame)
            xml = read(sheet_part)
            rows = _ROW.finditer(xml)
            starts = {int(m.group(1)): m.start() for m in rows}
            cut_from = starts.get(2, xml.index(b"</sheetData>"))
            blank_from = starts.get(2 + shown_rows, xml.index(b"</sheetData>"))
            end = xml.index(b"</sheetData>")
            empty_styles = _EMPTY_CELL.findall(xml, blank_from, end) if blank_from < end else []
            blank_rows = len(re.findall(rb"<row ", xml[blank_from:end]))
            letters = {}
            for letter, style in empty_styles:
                letters.setdefault(letter.decode(), style.decode())
            width = len(schema.column_names)
            last = max(n + 1, 2)
            head = _DIMENSION.sub(rb"\g<1>A1:" + f"{column_letter(width)}{last + blank_rows}".encode() + rb"\2",
                                  xml[:cut_from], count=1)
            tail_rows = "".join(
                f'<row r="{r}">' + "".join(f'<c r="{letter}{r}" s="{s}"/>' for letter, s in letters.items()) + "</row>"
                for r in range(n + 2, n + 2 + blank_rows))
            streamed[sheet_part] = functools.partial(_rows_xml, frame, schema, styles, lang, head.decode("utf-8"),
                                                     tail_rows + xml[end:].decode("utf-8"), len(xml))
            replaced[table_part] = _table_ref(read(table_part), f"A1:{column_letter(width)}{last}")
        with zipfile.ZipFile(dest, "w") as zout, open(source, "rb") as raw:
            for info in zin.infolist():
                if info.filename in streamed:  # a table's cells are made now, and let go once written
                    write_blocks(zout, info.filename, streamed.pop(info.filename)())
                elif info.filename in replaced:
                    write_part(zout, info.filename, replaced[info.filename])
                else:
                    copy_part(zout, raw, info)


def _rows_xml(frame: pd.DataFrame, schema: Table, styles: _Styles, lang: str, head: str, tail: str,
              shell_bytes: int) -> Blocks:
    """A filled sheet's XML as blocks of text, with a bound on its encoded size."""
    n = len(frame)
    numbers = np.array([str(i) for i in range(2, n + 2)], dtype=object)
    columns: list[_Cells] = []
    for j, col_name in enumerate(schema.column_names, start=1):
        col = column_for(schema, col_name)
        fmt = _FORMATS.get(col.kind) if col else None
        style = styles.by_format.get(fmt) if fmt else None
        label = functools.partial(col.choice_label, lang=lang) \
            if col is not None and col.kind is Kind.CHOICE and lang == "zh" else None
        columns.append(_column_cells(frame[col_name], _Ref(column_letter(j), numbers), style, styles, label))
    count, make = _row_blocks(columns, numbers)
    bound = 4 * (shell_bytes + len(tail)) + n * (32 + sum(c.max_bytes for c in columns))
    return Blocks(head, count, make, tail, bound)


def _read(zin: zipfile.ZipFile, names: set[str], name: str) -> bytes:
    if name not in names:
        raise ValueError(f"the workbook has no part {name}")
    return zin.read(name)


def _table_parts(zin: zipfile.ZipFile, names: set[str]) -> dict[str, tuple[str, str]]:
    """Table display name -> (its sheet's part, its table part)."""
    out = {}
    for part in sheet_parts(zin).values():
        rels = rels_of(part)
        if rels not in names:
            continue
        for rel in relationships(zin.read(rels), part):
            if rel.type == _TABLE_REL and rel.target in names:
                m = re.search(rb'displayName="([^"]+)"', zin.read(rel.target))
                if m:
                    out[m.group(1).decode()] = (part, rel.target)
    return out


def _table_ref(xml: bytes, ref: str) -> bytes:
    """The table part with its range (and its filter's) set to ``ref``."""
    xml = re.sub(rb'(<table\b[^>]*?\bref=")[^"]*(")', rb"\g<1>" + ref.encode() + rb"\2", xml, count=1)
    return re.sub(rb'(<autoFilter\b[^>]*?\bref=")[^"]*(")', rb"\g<1>" + ref.encode() + rb"\2", xml, count=1)
