"""Add output sheets to a copy of a workbook without re-writing anything else in it.

Every part of the user's file (sheets, charts, images, VBA, pivot tables, custom XML ...) is copied
byte for byte; only the package indexes (workbook.xml, its rels, [Content_Types].xml) and styles.xml
gain entries, and earlier ``Out_*`` sheets (ours) are dropped.  New sheets are streamed as XML with
inline strings, so a large output costs one pass and no shared-string rewrite.  This is what makes an
in-place update safe and fast where a load/save through openpyxl would drop what it does not model.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from salesbook.book.ooxml import sheet_parts
from salesbook.book.validate import column_letter
from salesbook.book.writer import _FORMATS, _display_width, column_for, header_label
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
            st = styles.quoted if text.startswith(("=", "+", "-", "@", "\t", "\r")) else styles.text
            space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
            out.append(f'<c r="{r}" s="{st}" t="inlineStr"><is><t{space}>{_xml_text(text)}</t></is></c>')
    return out


def _text_fragment(text: str, styles: _Styles) -> str:
    """The part of an inline-string cell after its reference; built once per distinct value."""
    st = styles.quoted if text.startswith(("=", "+", "-", "@", "\t", "\r")) else styles.text
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'" s="{st}" t="inlineStr"><is><t{space}>{_xml_text(text)}</t></is></c>'


def _number_text(x: float) -> str:
    """A cell value as Excel writes it: whole numbers without a decimal point, others round-tripping."""
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


def _column_cells(series: pd.Series, letter: str, style: int | None, styles: _Styles, rows: list[str]) -> list[str]:
    """XML for one column's cells ('' for blanks), one string per cell built in a single pass per column;
    mixed object columns fall back to the per-cell encoder. ``rows`` are the cells' row numbers as text."""
    s_attr = f' s="{style}"' if style is not None else ""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        values = series.astype(object).where(series.notna(), None).tolist()
        return ["" if v is None else f'<c r="{letter}{r}" t="b"><v>{int(bool(v))}</v></c>' for r, v in zip(rows, values, strict=True)]
    if pd.api.types.is_datetime64_any_dtype(dtype):
        serial = ((series - pd.Timestamp(_EXCEL_EPOCH)) / pd.Timedelta(days=1)).astype(float)
        numbers = serial.to_numpy(dtype=float, na_value=np.nan).tolist()
    elif pd.api.types.is_numeric_dtype(dtype):
        numbers = pd.to_numeric(series, errors="coerce").astype(float).to_numpy(dtype=float, na_value=np.nan).tolist()
    elif pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        codes, uniq = pd.factorize(series.astype(object), use_na_sentinel=True)
        frags = [_text_fragment(str(u), styles) for u in uniq]
        return ["" if k < 0 else f'<c r="{letter}{r}{frags[k]}' for r, k in zip(rows, codes.tolist(), strict=True)]
    else:
        return _cells(series.tolist(), letter, style, styles, int(rows[0]) if rows else 2)
    return ["" if not math.isfinite(v) else f'<c r="{letter}{r}"{s_attr}><v>{_number_text(v)}</v></c>'
            for r, v in zip(rows, numbers, strict=True)]


def _sheet_xml(frame: pd.DataFrame, schema: Table | None, lang: str, styles: _Styles, table_rid: str,
               choices_zh: bool) -> tuple[str, list[str]]:
    names = list(frame.columns)
    headers = _unique_headers([header_label(schema, n, lang) for n in names])
    ncol, nrow = len(names), len(frame)
    columns: list[list[str]] = []
    widths: list[float] = []
    row_numbers = [str(i) for i in range(2, nrow + 2)]
    for j, name in enumerate(names, start=1):
        col = column_for(schema, name)
        values = frame[name].tolist()
        if col is not None and col.kind is Kind.CHOICE and choices_zh:
            values = [col.choice_label(v, lang) if isinstance(v, str) else v for v in values]
        fmt = _FORMATS.get(col.kind) if col else None
        if fmt is None and pd.api.types.is_datetime64_any_dtype(frame[name].dtype):
            fmt = _FORMATS[Kind.DATE]
        style = styles.by_format.get(fmt) if fmt else None
        series = frame[name] if not (col is not None and col.kind is Kind.CHOICE and choices_zh) else pd.Series(values)
        columns.append(_column_cells(series.reset_index(drop=True), column_letter(j), style, styles, row_numbers))
        sample = [str(v) for v in values[:200] if v is not None]
        widths.append(min(max([_display_width(headers[j - 1]) + 4, *(_display_width(s) + 2 for s in sample), 10]),
                          60))
    parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             f'xmlns:r="{REL_NS}">',
             f'<dimension ref="A1:{column_letter(max(ncol, 1))}{max(nrow + 1, 2)}"/>',
             '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
             'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>',
             '<sheetFormatPr defaultRowHeight="15"/><cols>']
    parts += [f'<col min="{j}" max="{j}" width="{w:.1f}" customWidth="1"/>' for j, w in enumerate(widths, start=1)]
    parts.append("</cols><sheetData>")
    head = "".join(f'<c r="{column_letter(j)}1" s="{styles.header}" t="inlineStr"><is><t>{_xml_text(h)}</t></is></c>'
                   for j, h in enumerate(headers, start=1))
    parts.append(f'<row r="1">{head}</row>')
    if nrow and columns:  # one join per row: each byte is copied once, not once per column
        cells_by_row = zip(*columns, strict=True)
        parts.extend(f'<row r="{r}">{"".join(cells)}</row>' for r, cells in zip(row_numbers, cells_by_row, strict=True))
    parts.append(f'</sheetData><tableParts count="1"><tablePart r:id="{table_rid}"/></tableParts></worksheet>')
    return "".join(parts), headers


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

        new_parts: dict[str, bytes] = {}
        sheet_tags, rel_tags, ct_tags = [], [], []
        for name, frame in outputs.items():
            schema = REGISTRY.get(name)
            sheet_part = f"xl/worksheets/sheet{next_sheet}.xml"
            table_part = f"xl/tables/table{next_table}.xml"
            xml, headers = _sheet_xml(frame, schema, lang, styles, "rId1", choices_zh=lang == "zh")
            new_parts[sheet_part] = xml.encode("utf-8")
            new_parts[_rels_of(sheet_part)] = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
                f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{TABLE_REL}" '
                f'Target="../tables/table{next_table}.xml"/></Relationships>').encode()
            new_parts[table_part] = _table_xml(next_table_id, name, headers, len(frame)).encode("utf-8")
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
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            for info in zin.infolist():
                if info.filename in dropped:
                    continue
                data = replaced.get(info.filename)
                if data is None:
                    with zin.open(info) as src, zout.open(_copy_info(info), "w") as dst:
                        while chunk := src.read(1 << 20):
                            dst.write(chunk)
                else:
                    zout.writestr(_copy_info(info), data)
            for part, data in new_parts.items():
                zout.writestr(zipfile.ZipInfo(part, date_time=(2026, 1, 1, 0, 0, 0)), data,
                              compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    new.compress_type = zipfile.ZIP_DEFLATED
    new._compresslevel = 1  # copies are re-deflated; speed matters more than a few percent of size
    new.external_attr = info.external_attr
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
