"""Add output sheets to a copy of a workbook without re-writing anything else in it.

Every part of the user's file (sheets, charts, images, VBA, pivot tables, custom XML ...) is copied
byte for byte; only the package indexes (workbook.xml, its rels, [Content_Types].xml) and styles.xml
gain entries, and earlier ``Out_*`` sheets (ours) are dropped.  New sheets are streamed as XML with
inline strings, so a large output costs one pass and no shared-string rewrite.  This is what makes an
in-place update safe and fast where a load/save through openpyxl would drop what it does not model.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from salesbook.book.ooxml import sheet_parts
from salesbook.book.validate import column_letter
from salesbook.book.writer import _FORMATS, _display_width, column_for, header_label, looks_like_formula
from salesbook.book.zipparts import copy_part, new_info, write_part, write_streamed
from salesbook.schemas import REGISTRY, Kind, Table

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_REL = REL_NS + "/worksheet"
TABLE_REL = REL_NS + "/table"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
TABLE_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BUILTIN_FMT = {"0": 1, "0.00%": 10, "General": 0}


def _xml_text(text: str) -> str:
    """Escape for XML; control characters Excel cannot store literally become _xHHHH_ escapes."""
    text = _ILLEGAL_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return escape(text, {'"': "&quot;"})


# -- styles --------------------------------------------------------------------------------------
@dataclass
class _Styles:
    """Indexes of the cell formats salesbook adds to the workbook's styles.xml."""

    header: int
    text: int
    quoted: int
    by_format: dict[str, int]


def _count_attr(block: str) -> int:
    m = re.search(r'count="(\d+)"', block)
    return int(m.group(1)) if m else 0


def _append_to_list(xml: str, tag: str, items: list[str]) -> tuple[str, int]:
    """Append ``items`` to <tag ...>...</tag> (created if absent); returns new xml and the first new index."""
    m = re.search(rf"<{tag}\b[^>]*?(/>|>(.*?)</{tag}>)", xml, re.S)
    if m is None:
        block = f'<{tag} count="{len(items)}">{"".join(items)}</{tag}>'
        anchor = {"numFmts": r"<styleSheet\b[^>]*>", "fonts": r"</numFmts>|<styleSheet\b[^>]*>",
                  "fills": r"</fonts>", "cellXfs": r"</cellStyleXfs>|</borders>"}[tag]
        a = re.search(anchor, xml)
        return xml[: a.end()] + block + xml[a.end():], 0
    existing = len(re.findall(rf"<{tag[:-1] if tag != 'cellXfs' else 'xf'}\b", m.group(0)))
    if tag == "numFmts":
        existing = len(re.findall(r"<numFmt\b", m.group(0)))
    inner = m.group(2) or ""
    block = f'<{tag} count="{existing + len(items)}">{inner}{"".join(items)}</{tag}>'
    return xml[: m.start()] + block + xml[m.end():], existing


def _add_styles(styles_xml: str) -> tuple[str, _Styles]:
    formats = sorted(set(_FORMATS.values()))
    custom = [f for f in formats if f not in _BUILTIN_FMT]
    used_ids = [int(x) for x in re.findall(r'<numFmt\b[^>]*numFmtId="(\d+)"', styles_xml)]
    next_id = max([163, *used_ids]) + 1
    fmt_ids = {f: _BUILTIN_FMT[f] for f in formats if f in _BUILTIN_FMT}
    items = []
    for f in custom:
        fmt_ids[f] = next_id
        items.append(f'<numFmt numFmtId="{next_id}" formatCode="{_xml_text(f)}"/>')
        next_id += 1
    xml, _ = _append_to_list(styles_xml, "numFmts", items) if items else (styles_xml, 0)
    xml, font = _append_to_list(xml, "fonts", ['<font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/>'
                                               '<family val="2"/></font>'])
    xml, fill = _append_to_list(xml, "fills", ['<fill><patternFill patternType="solid"><fgColor rgb="FF1F4E78"/>'
                                               '<bgColor indexed="64"/></patternFill></fill>'])
    xfs = [f'<xf numFmtId="0" fontId="{font}" fillId="{fill}" borderId="0" xfId="0" applyFont="1" applyFill="1"/>',
           '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
           '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>']
    xfs += [f'<xf numFmtId="{fmt_ids[f]}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            for f in formats]
    xml, first = _append_to_list(xml, "cellXfs", xfs)
    by_format = {f: first + 3 + i for i, f in enumerate(formats)}
    return xml, _Styles(header=first, text=first + 1, quoted=first + 2, by_format=by_format)


# -- sheet XML ------------------------------------------------------------------------------------
def _serial(value: dt.date | dt.datetime) -> float:
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    delta = value - _EXCEL_EPOCH
    return delta.days + delta.seconds / 86400


def _cells(values: list[Any], letter: str, style: int | None, styles: _Styles, row0: int) -> list[str]:
    """XML for one column's cells; None for blanks."""
    out: list[str] = []
    s_attr = f' s="{style}"' if style is not None else ""
    for i, v in enumerate(values):
        r = f"{letter}{row0 + i}"
        if v is None or v is pd.NA or v is pd.NaT:
            out.append("")
            continue
        if isinstance(v, np.generic):
            v = v.item()
        if isinstance(v, bool):
            out.append(f'<c r="{r}" t="b"><v>{int(v)}</v></c>')
        elif isinstance(v, int | float):
            if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
                out.append("")
            else:
                out.append(f'<c r="{r}"{s_attr}><v>{v!r}</v></c>')
        elif isinstance(v, pd.Timestamp | dt.date):
            if isinstance(v, pd.Timestamp):
                v = v.to_pydatetime()
            out.append(f'<c r="{r}"{s_attr}><v>{_serial(v)!r}</v></c>')
        else:
            text = str(v)
            out.append(f'<c r="{r}{_inline_head(text, styles)}{_xml_text(text)}</t></is></c>')
    return out


def _inline_head(text: str, styles: _Styles) -> str:
    """An inline-string cell from the end of its reference to its text: formula-looking text gets the
    quote-prefix style, so it can never become a live formula, and text with edge whitespace or line
    breaks keeps xml:space."""
    style = styles.quoted if looks_like_formula(text) else styles.text
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'" s="{style}" t="inlineStr"><is><t{space}>'


_CHUNK_ROWS = 16_384  # rows assembled per join: bounds the piece grid's memory, keeps each join large
_NUMBER_BYTES = 24  # the longest float repr, as in -2.2250738585072014e-308
_NEEDS_ESCAPE = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


@dataclass
class _Cells:
    """One column's cells, each the concatenation of the same sequence of pieces.

    A piece is a str (the same in every row) or an object array holding one str per row.  Keeping the
    pieces apart lets a whole block of rows be assembled by a single C-level join (``_row_chunks``)
    instead of a Python string operation per cell, the cost that dominated writing large outputs.
    ``blank`` marks rows without a cell; ``max_bytes`` bounds one cell's UTF-8 size.
    """

    pieces: list[str | np.ndarray]
    blank: np.ndarray | None
    max_bytes: int


@dataclass
class _Ref:
    """The start of every cell of a column up to the end of its reference (``<c r="B17``)."""

    letter: str
    rows: np.ndarray  # row numbers as text

    def pieces(self) -> list[str | np.ndarray]:
        return [f'<c r="{self.letter}', self.rows]

    def max_bytes(self) -> int:
        return len('<c r="') + len(self.letter) + (len(self.rows[-1]) if len(self.rows) else 0)


def _max_bytes(texts: Iterable[str]) -> int:
    """An upper bound on the UTF-8 size of the longest text (UTF-8 takes at most 4 bytes a character)."""
    return 4 * max(map(len, texts), default=0)


def _number_texts(numbers: np.ndarray) -> np.ndarray:
    """Cell values as Excel writes them, for a whole column (None where not finite): whole numbers
    without a decimal point, others as ``repr``, which round-trips exactly."""
    out = np.empty(len(numbers), dtype=object)
    finite = np.isfinite(numbers)
    whole = finite & (np.abs(numbers) < 1e15) & (numbers == np.trunc(numbers))
    out[whole] = numbers[whole].astype(np.int64).astype(str)
    other = finite & ~whole
    out[other] = list(map(float.__repr__, numbers[other].tolist()))
    return out


def _number_cells(numbers: np.ndarray, ref: _Ref, style: int | None) -> _Cells:
    """Number cells (NaN and infinities are blanks) with the column's number format, if any."""
    style_attr = f' s="{style}"' if style is not None else ""
    head, tail = f'"{style_attr}><v>', "</v></c>"
    return _Cells([*ref.pieces(), head, _number_texts(numbers), tail], ~np.isfinite(numbers),
                  ref.max_bytes() + len(head) + _NUMBER_BYTES + len(tail))


def _bool_cells(series: pd.Series, ref: _Ref) -> _Cells:
    bits = np.where(series.fillna(False).to_numpy(dtype=bool), "1", "0").astype(object)
    head, tail = '" t="b"><v>', "</v></c>"
    return _Cells([*ref.pieces(), head, bits, tail], series.isna().to_numpy(dtype=bool),
                  ref.max_bytes() + len(head) + 1 + len(tail))


def _text_cells(codes: np.ndarray, texts: list[str], ref: _Ref, styles: _Styles) -> _Cells:
    """Inline-string cells for a factorised text column (code -1: blank); each distinct text is escaped
    and classified (``_inline_head``) once."""
    head_of = [_inline_head(t, styles) for t in texts]
    if _NEEDS_ESCAPE.search("".join(texts)):
        texts = [_xml_text(t) if _NEEDS_ESCAPE.search(t) else t for t in texts]
    tail = "</t></is></c>"
    # a spare last entry for code -1, whose pieces are blanked anyway
    head_arr, body_arr = np.array([*head_of, ""], dtype=object), np.array([*texts, ""], dtype=object)
    return _Cells([*ref.pieces(), head_arr[codes], body_arr[codes], tail], codes < 0,
                  ref.max_bytes() + max(map(len, head_of), default=0) + _max_bytes(texts) + len(tail))


def _mixed_cells(series: pd.Series, ref: _Ref, style: int | None, styles: _Styles) -> _Cells:
    """Object columns mixing kinds (rare, small): one string per cell from the per-cell encoder."""
    row0 = int(ref.rows[0]) if len(ref.rows) else 2
    cells = np.array(_cells(series.tolist(), ref.letter, style, styles, row0), dtype=object)
    return _Cells([cells], None, _max_bytes(cells))


def _column_cells(series: pd.Series, ref: _Ref, style: int | None, styles: _Styles,
                  label: Callable[[str], str] | None = None) -> _Cells:
    """Cells of one column, built a whole column at a time; ``label`` maps text values (choice labels)."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return _bool_cells(series, ref)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        serial = ((series - pd.Timestamp(_EXCEL_EPOCH)) / pd.Timedelta(days=1)).astype(float)
        return _number_cells(serial.to_numpy(dtype=float, na_value=np.nan), ref, style)
    if pd.api.types.is_numeric_dtype(dtype):
        numbers = pd.to_numeric(series, errors="coerce").astype(float).to_numpy(dtype=float, na_value=np.nan)
        return _number_cells(numbers, ref, style)
    if pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
        texts = [str(u) for u in uniques]
        return _text_cells(codes, [label(t) for t in texts] if label else texts, ref, styles)
    if label is not None:
        series = series.map(lambda v: label(v) if isinstance(v, str) else v)
    return _mixed_cells(series, ref, style, styles)


def _row_chunks(columns: list[_Cells], rows: np.ndarray) -> Iterator[str]:
    """The sheet's <row> elements, a block of rows per string.

    Each block is a grid with one row per sheet row and one column per piece, filled column by
    column (constants broadcast, per-row pieces sliced), blanked where a column has no cell, and
    joined in row-major order: every byte of the sheet is copied once, by C code.
    """
    width = 4 + sum(len(c.pieces) for c in columns)
    for start in range(0, len(rows), _CHUNK_ROWS):
        stop = min(start + _CHUNK_ROWS, len(rows))
        grid = np.empty((stop - start, width), dtype=object)
        grid[:, 0], grid[:, 1], grid[:, 2], grid[:, -1] = '<row r="', rows[start:stop], '">', "</row>"
        k = 3
        for col in columns:
            first = k
            for piece in col.pieces:
                grid[:, k] = piece if isinstance(piece, str) else piece[start:stop]
                k += 1
            if col.blank is not None:
                grid[col.blank[start:stop], first:k] = ""
        yield "".join(grid.ravel().tolist())


@dataclass
class _SheetXml:
    """A generated worksheet part: its XML as blocks of text (streamed into the zip), a bound on its
    encoded size (zipfile must know up front whether it needs zip64), and the table's headers."""

    chunks: Iterable[str]
    max_bytes: int
    headers: list[str]


def _column_width(header: str, sample: list[Any]) -> float:
    """Fit the header and the first values shown, between 10 and 60 characters."""
    texts = [str(v) for v in sample if v is not None]
    return min(max([_display_width(header) + 4, *(_display_width(s) + 2 for s in texts), 10]), 60)


def _sheet_top(headers: list[str], widths: list[float], nrow: int, styles: _Styles) -> str:
    """Everything before the first data row: dimension, frozen header pane, column widths, header row."""
    parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             f'xmlns:r="{REL_NS}">',
             f'<dimension ref="A1:{column_letter(max(len(headers), 1))}{max(nrow + 1, 2)}"/>',
             '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
             'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>',
             '<sheetFormatPr defaultRowHeight="15"/><cols>']
    parts += [f'<col min="{j}" max="{j}" width="{w:.1f}" customWidth="1"/>' for j, w in enumerate(widths, start=1)]
    parts.append("</cols><sheetData>")
    head = "".join(f'<c r="{column_letter(j)}1" s="{styles.header}" t="inlineStr"><is><t>{_xml_text(h)}</t></is></c>'
                   for j, h in enumerate(headers, start=1))
    parts.append(f'<row r="1">{head}</row>')
    return "".join(parts)


def _sheet_xml(frame: pd.DataFrame, schema: Table | None, lang: str, styles: _Styles, table_rid: str,
               choices_zh: bool) -> _SheetXml:
    """An output sheet: header row in the user's language, typed and formatted cells, frozen header."""
    names = list(frame.columns)
    headers = _unique_headers([header_label(schema, n, lang) for n in names])
    nrow = len(frame)
    rows = np.array([str(i) for i in range(2, nrow + 2)], dtype=object)
    columns: list[_Cells] = []
    widths: list[float] = []
    for j, name in enumerate(names, start=1):
        col = column_for(schema, name)
        series = frame[name].reset_index(drop=True)
        label = None
        if col is not None and col.kind is Kind.CHOICE and choices_zh:
            label = functools.partial(col.choice_label, lang=lang)
        fmt = _FORMATS.get(col.kind) if col else None
        if fmt is None and pd.api.types.is_datetime64_any_dtype(series.dtype):
            fmt = _FORMATS[Kind.DATE]
        style = styles.by_format.get(fmt) if fmt else None
        columns.append(_column_cells(series, _Ref(column_letter(j), rows), style, styles, label))
        shown = [label(v) if label and isinstance(v, str) else v for v in series.iloc[:200].tolist()]
        widths.append(_column_width(headers[j - 1], shown))
    top = _sheet_top(headers, widths, nrow, styles)
    tail = f'</sheetData><tableParts count="1"><tablePart r:id="{table_rid}"/></tableParts></worksheet>'
    body = _row_chunks(columns, rows) if nrow and columns else iter(())
    row_bytes = len('<row r=""></row>') + (len(rows[-1]) if nrow else 0) + sum(c.max_bytes for c in columns)
    return _SheetXml(itertools.chain([top], body, [tail]), 4 * (len(top) + len(tail)) + nrow * row_bytes,
                     headers)


def _unique_headers(headers: list[str]) -> list[str]:
    """Excel Table column names must be unique and non-empty."""
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        h = h or "Column"
        if h in seen:
            seen[h] += 1
            h = f"{h}{seen[h]}"
        else:
            seen[h] = 1
        out.append(h)
    return out


def _table_xml(table_id: int, name: str, headers: list[str], nrow: int) -> str:
    ref = f"A1:{column_letter(max(len(headers), 1))}{max(nrow + 1, 2)}"
    cols = "".join(f'<tableColumn id="{j}" name="{_xml_text(h)}"/>' for j, h in enumerate(headers, start=1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="{table_id}" '
            f'name="{name}" displayName="{name}" ref="{ref}" totalsRowShown="0"><autoFilter ref="{ref}"/>'
            f'<tableColumns count="{len(headers)}">{cols}</tableColumns>'
            '<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" '
            'showColumnStripes="0"/></table>')


# -- package surgery ------------------------------------------------------------------------------
def _rels_of(part: str) -> str:
    p = PurePosixPath(part)
    return str(p.parent / "_rels" / (p.name + ".rels"))


def _resolve(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for seg in (str(PurePosixPath(base_part).parent) + "/" + target).split("/"):
        if seg == "..":
            parts.pop()
        elif seg and seg != ".":
            parts.append(seg)
    return "/".join(parts)


def graft_outputs(source: str | Path, outputs: Mapping[str, pd.DataFrame], dest: str | Path, *,
                  lang: str = "en") -> None:
    """Write ``dest``: ``source`` with its Out_* sheets replaced by ``outputs``. ``dest`` must differ."""
    with zipfile.ZipFile(source) as zin:
        names = zin.namelist()
        wb_xml = zin.read("xl/workbook.xml").decode("utf-8")
        wb_rels = zin.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        ctypes = zin.read("[Content_Types].xml").decode("utf-8")
        styles_part = next((n for n in names if n.lower() == "xl/styles.xml"), None)
        styles_xml = zin.read(styles_part).decode("utf-8") if styles_part else None
        sheets = sheet_parts(zin)
        dropped: set[str] = set()
        sheet_order = re.findall(r"<sheet\b[^>]*/>", wb_xml)
        removed_idx = []
        for idx, tag in enumerate(sheet_order):
            name = _unescape_attr(re.search(r'\bname="([^"]*)"', tag).group(1))
            if not name.startswith("Out_"):
                continue
            removed_idx.append(idx)
            part = sheets[name]
            dropped.add(part)
            rels = _rels_of(part)
            if rels in names:
                dropped.add(rels)
                rel_xml = zin.read(rels).decode("utf-8")
                for t in re.findall(r'Target="([^"]+)"[^>]*?/>', rel_xml):
                    target = _resolve(part, t)
                    if target.startswith("xl/tables/"):
                        dropped.add(target)
            rid = re.search(r'\br(?:\w*):id="([^"]+)"|\b\w+:id="([^"]+)"', tag)
            rid_val = rid.group(1) or rid.group(2)
            wb_rels = re.sub(rf'<Relationship\b[^>]*\bId="{re.escape(rid_val)}"[^>]*/>', "", wb_rels)
            wb_xml = wb_xml.replace(tag, "")
        wb_xml = _renumber_local_names(wb_xml, removed_idx, len(sheet_order))
        for part in dropped:
            ctypes = re.sub(rf'<Override\b[^>]*PartName="/{re.escape(part)}"[^>]*/>', "", ctypes)

        if styles_xml is None:
            raise ValueError("workbook has no styles part")
        styles_xml, styles = _add_styles(styles_xml)
        remaining = [n for n in names if n not in dropped]
        sheet_nums = [int(m) for n in remaining for m in re.findall(r"^xl/worksheets/sheet(\d+)\.xml$", n)]
        table_nums = [int(m) for n in remaining for m in re.findall(r"^xl/tables/table(\d+)\.xml$", n)]
        table_ids = [int(x) for n in remaining if n.startswith("xl/tables/")
                     for x in re.findall(rb'<table\b[^>]*?\bid="(\d+)"', zin.read(n))]
        sheet_ids = [int(x) for x in re.findall(r'<sheet\b[^>]*?\bsheetId="(\d+)"', wb_xml)]
        rids = re.findall(r'\bId="rId(\d+)"', wb_rels)
        next_sheet, next_table = max([0, *sheet_nums]) + 1, max([0, *table_nums]) + 1
        next_table_id, next_sheet_id = max([0, *table_ids]) + 1, max([0, *sheet_ids]) + 1
        next_rid = max([0, *map(int, rids)]) + 1
        r_prefix = _ns_prefix(wb_xml, REL_NS) or "r"

        new_parts: dict[str, bytes | _SheetXml] = {}
        sheet_tags, rel_tags, ct_tags = [], [], []
        for name, frame in outputs.items():
            schema = REGISTRY.get(name)
            sheet_part = f"xl/worksheets/sheet{next_sheet}.xml"
            table_part = f"xl/tables/table{next_table}.xml"
            sheet = new_parts[sheet_part] = _sheet_xml(frame, schema, lang, styles, "rId1", choices_zh=lang == "zh")
            new_parts[_rels_of(sheet_part)] = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
                f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{TABLE_REL}" '
                f'Target="../tables/table{next_table}.xml"/></Relationships>').encode()
            new_parts[table_part] = _table_xml(next_table_id, name, sheet.headers, len(frame)).encode("utf-8")
            sheet_tags.append(f'<sheet name="{_xml_text(name)}" sheetId="{next_sheet_id}" '
                              f'{r_prefix}:id="rId{next_rid}"/>')
            rel_tags.append(f'<Relationship Id="rId{next_rid}" Type="{SHEET_REL}" '
                            f'Target="worksheets/sheet{next_sheet}.xml"/>')
            ct_tags.append(f'<Override PartName="/{sheet_part}" ContentType="{SHEET_CT}"/>')
            ct_tags.append(f'<Override PartName="/{table_part}" ContentType="{TABLE_CT}"/>')
            next_sheet, next_table, next_table_id = next_sheet + 1, next_table + 1, next_table_id + 1
            next_sheet_id, next_rid = next_sheet_id + 1, next_rid + 1
        wb_xml = wb_xml.replace("</sheets>", "".join(sheet_tags) + "</sheets>")
        wb_xml = re.sub(r'(<workbookView\b[^>]*?)\bactiveTab="\d+"', r"\1", wb_xml)
        wb_rels = wb_rels.replace("</Relationships>", "".join(rel_tags) + "</Relationships>")
        ctypes = ctypes.replace("</Types>", "".join(ct_tags) + "</Types>")
        replaced = {"xl/workbook.xml": wb_xml.encode("utf-8"), "xl/_rels/workbook.xml.rels": wb_rels.encode("utf-8"),
                    "[Content_Types].xml": ctypes.encode("utf-8"), styles_part: styles_xml.encode("utf-8")}
        with zipfile.ZipFile(dest, "w") as zout, open(source, "rb") as raw:
            for info in zin.infolist():
                if info.filename in dropped:
                    continue
                data = replaced.get(info.filename)
                if data is None:
                    copy_part(zout, raw, info)
                else:
                    zout.writestr(_keep_name_and_date(info), data)
            for part, data in new_parts.items():
                if isinstance(data, _SheetXml):
                    write_streamed(zout, part, data.chunks, data.max_bytes)
                else:
                    write_part(zout, part, data)


def _keep_name_and_date(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """The entry for an updated index part (workbook.xml ...): the original's name, date and attributes."""
    new = new_info(info.filename)
    new.date_time, new.external_attr = info.date_time, info.external_attr
    return new


def _unescape_attr(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def _ns_prefix(xml: str, uri: str) -> str | None:
    m = re.search(rf'xmlns:(\w+)="{re.escape(uri)}"', xml)
    return m.group(1) if m else None


def _renumber_local_names(wb_xml: str, removed: Iterable[int], total: int) -> str:
    """Sheet-scoped defined names refer to sheets by position; keep them pointing at the same sheets."""
    removed = sorted(removed)
    if not removed:
        return wb_xml
    mapping = {}
    shift = 0
    for i in range(total):
        if i in removed:
            shift += 1
            mapping[i] = None
        else:
            mapping[i] = i - shift

    def fix(m: re.Match) -> str:
        new = mapping.get(int(m.group(2)))
        if new is None:
            return ""  # a name scoped to a removed Out_ sheet goes with it
        return m.group(0).replace(f'localSheetId="{m.group(2)}"', f'localSheetId="{new}"')

    return re.sub(r'(<definedName\b[^>]*?\blocalSheetId="(\d+)"[^>]*?(?:/>|>.*?</definedName>))', fix, wb_xml,
                  flags=re.S)
