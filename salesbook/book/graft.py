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
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

try:  # optional (not built for Pyodide): Arrow's string kernels assemble the rows of large sheets in C++
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError:  # pragma: no cover - exercised where pyarrow is not installed
    pa = None  # type: ignore[assignment]

from salesbook.book import xmlparts
from salesbook.book.dashboard.model import Dashboard
from salesbook.book.dashboard.parts import dashboard_parts, has_print_area, print_area_name
from salesbook.book.dashboard.sheetxml import style_specs
from salesbook.book.memory import arrow_on_system_heap, release_memory
from salesbook.book.package import Rel, main_part, reachable, relationships, relative, rels_of
from salesbook.book.validate import column_letter
from salesbook.book.writer import (
    _FORMATS,
    FORMULA_PREFIXES,
    _display_width,
    column_for,
    header_label,
    looks_like_formula,
)
from salesbook.book.zipparts import Blocks, copy_part, new_info, write_blocks, write_part
from salesbook.schemas import REGISTRY, Kind, Table

if pa is not None:
    arrow_on_system_heap()

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_REL = REL_NS + "/worksheet"
TABLE_REL = REL_NS + "/table"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
TABLE_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BUILTIN_FMT = {"0": 1, "0.00%": 10, "General": 0}


_LITERAL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_EXCEL_TEXT_LIMIT = 32_767  # characters (UTF-16 code units) in one cell
_FIRST_LEAP_BUG_DAY = dt.datetime(1900, 3, 1)  # Excel counts a 29 February 1900: serials before this are one less
_FIRST_SERIAL_DAY = dt.datetime(1900, 1, 1)


def _xml_text(text: str) -> str:
    """Escape for XML; control characters Excel cannot store literally become _xHHHH_ escapes, and text
    that already looks like such an escape has its underscore escaped (_x005F_), so it reads back as typed."""
    text = _LITERAL_ESCAPE.sub("_x005F_", text)
    text = _ILLEGAL_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return escape(text, {'"': "&quot;"})


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF) if len(text) * 2 > _EXCEL_TEXT_LIMIT else len(text)


def _fit(text: str) -> str:
    """Text cut to what one Excel cell holds (32,767 UTF-16 code units), never splitting a pair."""
    if _utf16_len(text) <= _EXCEL_TEXT_LIMIT:
        return text
    cut = text[:_EXCEL_TEXT_LIMIT]
    while _utf16_len(cut) > _EXCEL_TEXT_LIMIT:
        cut = cut[:-1]
    return cut


Cut = Callable[[str, int], None]  # told the cell reference and the original length of a text that was cut


# -- styles --------------------------------------------------------------------------------------
@dataclass
class _Styles:
    """Indexes of the cell formats salesbook uses in the workbook's styles.xml."""

    header: int
    text: int
    quoted: int
    by_format: dict[str, int]
    named: dict[str, int] = field(default_factory=dict)  # the dashboard's styles by name


StyleSpec = tuple[str | None, str | None, str | None]  # number format, font XML, fill XML (None: the default)


# The lists of styles.xml in schema order (CT_Stylesheet), and their item element.
_STYLE_LISTS = (("numFmts", "numFmt"), ("fonts", "font"), ("fills", "fill"), ("borders", "border"),
                ("cellStyleXfs", "xf"), ("cellXfs", "xf"), ("cellStyles", "cellStyle"), ("dxfs", "dxf"),
                ("tableStyles", "tableStyle"), ("colors", None), ("extLst", None))
_HEADER_FONT = '<font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/><family val="2"/></font>'
_HEADER_FILL = '<fill><patternFill patternType="solid"><fgColor rgb="FF1F4E78"/><bgColor indexed="64"/></patternFill></fill>'


class _StyleList:
    """One list of styles.xml: finds an item equal to a wanted one (names resolved, attribute order and
    prefixes ignored) or appends it, so repeated runs reuse what the first one added."""

    def __init__(self, root: xmlparts.Element, tag: str, item: str):
        self.root, self.tag, self.item = root, tag, item
        self.el = root.find(xmlparts.MAIN_NS, tag)
        self.items = self.el.findall(xmlparts.MAIN_NS, item) if self.el is not None else []
        self.known = [x.canonical() for x in self.items]
        self.added: list[str] = []

    def index_of(self, xml: str) -> int:
        wanted = xmlparts.parse(f'<w xmlns="{xmlparts.MAIN_NS}">{xml}</w>'.encode()).children[0].canonical()
        if wanted in self.known:
            return self.known.index(wanted)
        self.known.append(wanted)
        self.added.append(xml)
        return len(self.known) - 1

    def write(self, sp: xmlparts.Splicer) -> None:
        if not self.added:
            return
        context = self.el if self.el is not None else self.root
        decl = "" if context.prefix_of(xmlparts.MAIN_NS) == "" else f' xmlns="{xmlparts.MAIN_NS}"'
        items = "".join(re.sub(r"^<(\w+)", lambda m: f"<{m.group(1)}{decl}", x) for x in self.added)
        count = str(len(self.known))
        if self.el is None:
            name, ns_decl = xmlparts.qname(self.root, xmlparts.MAIN_NS, self.tag)
            block = f'<{name}{ns_decl} count="{count}">{items}</{name}>'
            sp.insert(self._position(), block)
        elif self.el.empty:
            head = sp.data[self.el.start:self.el.end - 2].decode("utf-8")
            head = xmlparts._set_attr_text(head + ">", "count", count)
            name = xmlparts.qname(self.el, xmlparts.MAIN_NS, self.tag, declare=False)[0]
            sp.replace(self.el.start, self.el.end, f"{head}{items}</{name}>")
        else:
            sp.set_attr(self.el, "count", count)
            sp.insert(sp.data.rindex(b"</", self.el.start, self.el.end), items)

    def _position(self) -> int:
        """Where a missing list goes: after the last list before it in schema order."""
        order = [t for t, _ in _STYLE_LISTS]
        before = order[:order.index(self.tag)]
        present = [c for c in self.root.children if c.ns == xmlparts.MAIN_NS and c.name in before]
        return present[-1].end if present else self.root.head_end


def _add_styles(styles_xml: bytes, named: Mapping[str, StyleSpec] | None = None) -> tuple[bytes, _Styles]:
    """The number formats, font, fill and cell formats salesbook needs, reused when styles.xml already
    has them (from an earlier run) and appended otherwise; ``named`` adds further formats by name."""
    root = xmlparts.parse(styles_xml)
    named = named or {}
    formats = sorted(set(_FORMATS.values()) | {f for f, _, _ in named.values() if f})
    fmt_list = _StyleList(root, "numFmts", "numFmt")
    by_code = {x.get("formatCode"): int(x.get("numFmtId", "0")) for x in fmt_list.items}
    next_id = max([163, *by_code.values()]) + 1
    fmt_ids = {}
    for f in formats:
        if f in _BUILTIN_FMT:
            fmt_ids[f] = _BUILTIN_FMT[f]
        elif f in by_code:
            fmt_ids[f] = by_code[f]
        else:
            fmt_ids[f] = next_id
            fmt_list.index_of(f'<numFmt numFmtId="{next_id}" formatCode="{_xml_text(f)}"/>')
            next_id += 1
    fonts, fills = _StyleList(root, "fonts", "font"), _StyleList(root, "fills", "fill")
    font, fill = fonts.index_of(_HEADER_FONT), fills.index_of(_HEADER_FILL)
    xfs = _StyleList(root, "cellXfs", "xf")
    if not xfs.items:  # index 0 is the default format every cell without s= uses
        xfs.index_of('<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>')
    header = xfs.index_of(f'<xf numFmtId="0" fontId="{font}" fillId="{fill}" borderId="0" xfId="0" applyFont="1" '
                          'applyFill="1"/>')
    text = xfs.index_of('<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>')
    quoted = xfs.index_of('<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>')
    by_format = {f: xfs.index_of(f'<xf numFmtId="{fmt_ids[f]}" fontId="0" fillId="0" borderId="0" xfId="0" '
                                 'applyNumberFormat="1"/>') for f in formats}
    by_name = {}
    for name, (fmt, font_xml, fill_xml) in named.items():
        f_id = fmt_ids[fmt] if fmt else 0
        font_id = fonts.index_of(font_xml) if font_xml else 0
        fill_id = fills.index_of(fill_xml) if fill_xml else 0
        applied = "".join(a for a, on in ((' applyNumberFormat="1"', fmt), (' applyFont="1"', font_xml),
                                          (' applyFill="1"', fill_xml)) if on)
        by_name[name] = xfs.index_of(f'<xf numFmtId="{f_id}" fontId="{font_id}" fillId="{fill_id}" borderId="0" '
                                     f'xfId="0"{applied}/>')
    sp = xmlparts.Splicer(styles_xml)
    for lst in (fmt_list, fonts, fills, xfs):
        lst.write(sp)
    return sp.apply(), _Styles(header=header, text=text, quoted=quoted, by_format=by_format, named=by_name)


# -- sheet XML ------------------------------------------------------------------------------------
def _serial(value: dt.date | dt.datetime) -> float:
    """Excel's serial day number (1900 date system), with its 29 February 1900: 1900-01-01 is 1,
    1900-03-01 is 61."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    delta = value - _EXCEL_EPOCH
    serial = delta.days + delta.seconds / 86400
    return serial - 1 if value < _FIRST_LEAP_BUG_DAY else serial


def _cells(values: list[Any], letter: str, style: int | None, styles: _Styles, row0: int,
           cut: Cut | None = None) -> list[str]:
    """XML for one column's cells; None for blanks.  A date Excel cannot hold as a serial (before 1900)
    is written as ISO text."""
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
        elif isinstance(v, dt.date) and (v.year, v.month, v.day) >= (1900, 1, 1):
            if isinstance(v, pd.Timestamp):
                v = v.to_pydatetime()
            out.append(f'<c r="{r}"{s_attr}><v>{_serial(v)!r}</v></c>')
        else:
            text = v.isoformat() if isinstance(v, dt.date) else str(v)
            fitted = _fit(text)
            if fitted is not text and cut is not None:
                cut(r, _utf16_len(text))
            text = fitted
            out.append(f'<c r="{r}{_inline_head(text, styles)}{_xml_text(text)}</t></is></c>')
    return out


def _inline_head(text: str, styles: _Styles) -> str:
    """An inline-string cell from the end of its reference to its text: formula-looking text gets the
    quote-prefix style, so it can never become a live formula, and text with edge whitespace or line
    breaks keeps xml:space."""
    return _head(looks_like_formula(text), _keeps_space(text), styles)


def _head(quoted: bool, preserve: bool, styles: _Styles) -> str:
    style = styles.quoted if quoted else styles.text
    return f'" s="{style}" t="inlineStr"><is>{_T_OPEN[preserve]}'


def _keeps_space(text: str) -> bool:
    return text != text.strip() or "\n" in text


_T_OPEN = {False: "<t>", True: '<t xml:space="preserve">'}


def _t_open(text: str) -> str:
    return _T_OPEN[_keeps_space(text)]


_CHUNK_ROWS = 16_384  # rows assembled per join: bounds the piece grid's memory, keeps each join large
_NUMBER_BYTES = 24  # the longest float repr, as in -2.2250738585072014e-308
_NEEDS_ESCAPE = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_')


@dataclass
class _Coded:
    """A per-row piece given as codes into a few distinct texts (code -1: the last text, a spare one).
    ``texts`` is None when the texts are held by Arrow only (``_arrow`` set, no grid join)."""

    texts: np.ndarray | None   # object array of str
    codes: np.ndarray   # one per row
    _arrow: Any = None

    def rows(self, start: int, stop: int) -> np.ndarray:
        return self.texts[self.codes[start:stop]]

    def arrow_rows(self, start: int, stop: int) -> Any:
        if self._arrow is None:
            self._arrow = (pa.array(self.texts, type=pa.large_string()),
                           np.where(self.codes < 0, len(self.texts) - 1, self.codes))
        texts, codes = self._arrow
        return texts.take(pa.array(codes[start:stop]))


@dataclass
class _Numbers:
    """A per-row piece: the column's numbers as Excel writes them (``_number_texts``; NaN rows are blanked)."""

    values: np.ndarray

    def rows(self, start: int, stop: int) -> np.ndarray:
        return _number_texts(self.values[start:stop])

    def arrow_rows(self, start: int, stop: int) -> Any:
        return _arrow_number_texts(self.values[start:stop])


@dataclass
class _Cells:
    """One column's cells, each the concatenation of the same sequence of pieces.

    A piece is a str (the same in every row), an object array holding one str per row, a ``_Coded`` or a
    ``_Numbers``.  Keeping the
    pieces apart lets a whole block of rows be assembled by a single C-level join (``_row_chunks``)
    instead of a Python string operation per cell, the cost that dominated writing large outputs.
    ``blank`` marks rows without a cell; ``max_bytes`` bounds one cell's UTF-8 size.
    """

    pieces: list[str | np.ndarray | _Coded | _Numbers | _Texts]
    blank: np.ndarray | None
    max_bytes: int


class _RowNumbers:
    """The sheet rows ``first`` .. ``first + n - 1`` as text, made a block at a time when asked for (as an
    array of them held for a whole sheet, they were 40 MB on an Out_Commissions of 600,000 lines)."""

    def __init__(self, first: int, n: int):
        self.first, self.n = first, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, slice):
            return np.arange(self.first, self.first + self.n)[key].astype(str).astype(object)
        return str(self.first + range(self.n)[key])

    def arrow(self, start: int, stop: int) -> Any:
        return pa.array(np.arange(self.first + start, self.first + stop)).cast(pa.large_string())


@dataclass
class _Ref:
    """The start of every cell of a column up to the end of its reference (``<c r="B17``)."""

    letter: str
    rows: np.ndarray | _RowNumbers  # row numbers as text

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


_CENTS_BELOW = 2.0 ** 43  # doubles there are closer than a thousandth: a number of whole cents has one shortest repr


def _arrow_number_texts(numbers: np.ndarray) -> Any:
    """``_number_texts`` as an Arrow array (null where not finite), without a Python string for whole numbers
    or for amounts in whole cents, the bulk of the outputs.

    A double x equal to c / 100 (c whole, |x| < 2**43, where doubles lie less than 0.002 apart) is the double
    nearest that decimal, and no decimal with fewer digits lands on it (every one differs from c / 100 by a
    cent or more), so repr(x), the shortest text that reads back as x, is c / 100 written out with its trailing
    zeros dropped: Arrow's text of the decimal c / 100, right-trimmed of zeros.

    Any other number, not whole, from 1e-4 to below 1e16 (where repr writes no exponent) is Arrow's own shortest
    round-trip text of the double when that has no exponent either: both are the fewest digits that read back
    as x (the nearest such decimal on a tie), written the one way a positional decimal without trailing zeros
    is written (tests/book/test_graft_numbers.py holds the two to the same text over millions of doubles).
    The rest, and what Arrow writes with an exponent, go through repr itself."""
    n = len(numbers)
    text = pa.large_string()
    finite = np.isfinite(numbers)
    whole = finite & (np.abs(numbers) < 1e15) & (numbers == np.trunc(numbers))
    with np.errstate(invalid="ignore", over="ignore"):
        cents = np.round(numbers * 100.0)
        exact = finite & ~whole & (np.abs(numbers) < _CENTS_BELOW) & (cents / 100.0 == numbers)
    other = finite & ~whole & ~exact
    with np.errstate(invalid="ignore"):
        band = other & (np.abs(numbers) >= 1e-4) & (np.abs(numbers) < 1e16) & (numbers != np.trunc(numbers))
    ib = np.flatnonzero(band)
    shortest = pa.array(numbers[ib]).cast(text)
    sci = pc.match_substring(shortest, "e").to_numpy(zero_copy_only=False)
    if sci.any():
        other[ib[sci]], band[ib[sci]] = True, False
        shortest = shortest.filter(pa.array(~sci))
    other &= ~band
    iw, ic, io = np.flatnonzero(whole), np.flatnonzero(exact), np.flatnonzero(other)
    ib = np.flatnonzero(band)
    unscaled = np.empty((len(ic), 2), dtype=np.int64)  # decimal128: 16-byte two's complement, little-endian
    unscaled[:, 0] = cents[ic].astype(np.int64)
    unscaled[:, 1] = np.where(unscaled[:, 0] < 0, -1, 0)
    decimals = pa.Array.from_buffers(pa.decimal128(18, 2), len(ic), [None, pa.py_buffer(unscaled)])
    parts = [pa.array(numbers[iw].astype(np.int64)).cast(text), pc.utf8_rtrim(decimals.cast(text), "0"),
             pa.array(list(map(float.__repr__, numbers[io].tolist())), type=text), shortest, pa.nulls(1, text)]
    where = np.full(n, len(iw) + len(ic) + len(io) + len(ib), dtype=np.int64)   # not finite: the null at the end
    where[iw] = np.arange(len(iw))
    where[ic] = len(iw) + np.arange(len(ic))
    where[io] = len(iw) + len(ic) + np.arange(len(io))
    where[ib] = len(iw) + len(ic) + len(io) + np.arange(len(ib))
    return pa.concat_arrays(parts).take(pa.array(where))


def _number_cells(numbers: np.ndarray, ref: _Ref, style: int | None) -> _Cells:
    """Number cells (NaN and infinities are blanks) with the column's number format, if any."""
    style_attr = f' s="{style}"' if style is not None else ""
    head, tail = f'"{style_attr}><v>', "</v></c>"
    return _Cells([*ref.pieces(), head, _Numbers(numbers), tail], ~np.isfinite(numbers),
                  ref.max_bytes() + len(head) + _NUMBER_BYTES + len(tail))


def _bool_cells(series: pd.Series, ref: _Ref) -> _Cells:
    bits = np.where(series.fillna(False).to_numpy(dtype=bool), "1", "0").astype(object)
    head, tail = '" t="b"><v>', "</v></c>"
    return _Cells([*ref.pieces(), head, bits, tail], series.isna().to_numpy(dtype=bool),
                  ref.max_bytes() + len(head) + 1 + len(tail))


def _text_cells(codes: np.ndarray, texts: list[str], ref: _Ref, styles: _Styles, cut: Cut | None = None) -> _Cells:
    """Inline-string cells for a factorised text column (code -1: blank); each distinct text is escaped
    and classified (``_inline_head``) once, and cut to Excel's limit where longer."""
    if max(map(len, texts), default=0) * 2 > _EXCEL_TEXT_LIMIT:
        fitted = [_fit(t) for t in texts]
        for k, (t, f) in enumerate(zip(texts, fitted, strict=True)):
            if f is not t and cut is not None:
                cut(f"{ref.letter}{ref.rows[int(np.argmax(codes == k))]}", _utf16_len(t))
        texts = fitted
    head_of = [_inline_head(t, styles) for t in texts]
    if _NEEDS_ESCAPE.search("".join(texts)):
        texts = [_xml_text(t) if _NEEDS_ESCAPE.search(t) else t for t in texts]
    tail = "</t></is></c>"
    # a spare last entry for code -1, whose pieces are blanked anyway
    head_arr, body_arr = np.array([*head_of, ""], dtype=object), np.array([*texts, ""], dtype=object)
    return _Cells([*ref.pieces(), _Coded(head_arr, codes), _Coded(body_arr, codes), tail], codes < 0,
                  ref.max_bytes() + max(map(len, head_of), default=0) + _max_bytes(texts) + len(tail))


# What _NEEDS_ESCAPE finds, in RE2's syntax, and the part of it plain entity replacement does not cover.
_NEEDS_ESCAPE_RE2 = r'[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]|_x[0-9A-Fa-f]{4}_'
_NOT_ENTITY_RE2 = r'[\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]|_x[0-9A-Fa-f]{4}_'
_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"))  # & first, as saxutils.escape


def _as_arrow(series: pd.Series) -> Any | None:
    """The column as one Arrow array (its own, where it is held by Arrow in one piece), or None for text Arrow
    cannot hold (a lone surrogate: the Python path says so)."""
    try:
        arr = pa.array(series, from_pandas=True)
    except (pa.ArrowException, UnicodeError):
        return None
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()
    return arr


def _arrow_codes(series: pd.Series) -> tuple[np.ndarray, Any] | None:
    """``pd.factorize`` of a text column by Arrow: codes (-1 for blanks) and the distinct texts (an Arrow array)
    in order of first appearance, as ``pd.factorize`` orders them; None without Arrow, or for text Arrow cannot
    hold (a lone surrogate: the Python path says so)."""
    arr = _as_arrow(series) if pa is not None else None
    if arr is None:
        return None
    encoded = pc.dictionary_encode(arr.cast(pa.large_string()))
    return encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary


def _arrow_text_cells(codes: np.ndarray, texts: Any, ref: _Ref, styles: _Styles) -> _Cells | None:
    """``_text_cells`` for distinct texts held by Arrow, without a Python string per text: each text's kind of
    head from its formula prefix and its first and last characters (classified by Python, once per distinct
    character), the texts escaped by Arrow's replace (text with control characters or a literal ``_xHHHH_``,
    rare, by ``_xml_text``). None where a text may be over Excel's limit (the Python path cuts it)."""
    if len(texts) and pc.max(pc.utf8_length(texts)).as_py() * 2 > _EXCEL_TEXT_LIMIT:
        return None
    kind = _arrow_head_kinds(texts)   # 2 x quoted + keeps space, per distinct text
    heads = [_head(q, p, styles) for q in (False, True) for p in (False, True)]
    body = _arrow_escaped(texts)
    tail = "</t></is></c>"
    head_codes = np.where(codes < 0, -1, kind[np.maximum(codes, 0)]) if len(texts) else codes
    spare = pa.array([""], type=pa.large_string())
    body_codes = np.where(codes < 0, len(texts), codes)
    head_bytes = max((len(heads[k]) for k in np.unique(kind)), default=0)
    body_bytes = 4 * (pc.max(pc.utf8_length(body)).as_py() if len(texts) else 0)
    return _Cells([*ref.pieces(), _Coded(np.array([*heads, ""], dtype=object), head_codes),
                   _Coded(None, codes, (pa.concat_arrays([body, spare]), body_codes)), tail], codes < 0,
                  ref.max_bytes() + head_bytes + body_bytes + len(tail))


def _arrow_escaped(texts: Any) -> Any:
    """Texts (an Arrow array without nulls) escaped as ``_xml_text`` escapes them: by Arrow's replace, and text
    with control characters or a literal ``_xHHHH_`` (rare) by ``_xml_text`` itself."""
    if not len(texts) or not pc.any(pc.match_substring_regex(texts, _NEEDS_ESCAPE_RE2)).as_py():
        return texts
    body = texts
    for char, entity in _ENTITIES:
        body = pc.replace_substring(body, char, entity)
    hard = np.flatnonzero(pc.match_substring_regex(texts, _NOT_ENTITY_RE2).to_numpy(zero_copy_only=False))
    if len(hard):
        redone = pa.array([_xml_text(t) for t in texts.take(pa.array(hard)).to_pylist()], type=pa.large_string())
        where = np.arange(len(texts))
        where[hard] = len(texts) + np.arange(len(hard))
        body = pa.concat_arrays([body, redone]).take(pa.array(where))
    return body


_DISTINCT_MIN_ROWS = 10_000   # smaller columns: the dictionary costs little either way
_DISTINCT_SAMPLE = 2_000


def _arrow_distinct_cells(series: pd.Series, ref: _Ref, styles: _Styles) -> _Cells | None:
    """``_arrow_text_cells`` for a large column of mostly distinct texts (explanations, deal ids), straight from
    its own Arrow array: each block of rows escaped as it is written, instead of a dictionary of all its texts
    first, which copied the column once more (on the 500k-deal book the explanations of Out_PeriodScorecards,
    100 MB). None where the column is not one (a sample of its rows mostly repeats), or Arrow cannot hold it
    or a text may be over Excel's limit (the other paths handle those)."""
    n = len(series)
    if pa is None or n < _DISTINCT_MIN_ROWS:
        return None
    sample = series.iloc[::max(1, n // _DISTINCT_SAMPLE)]
    if sample.nunique(dropna=True) * 2 < sample.count():
        return None
    texts = _as_arrow(series)
    if texts is None or not (pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type)):
        return None
    blank = texts.is_null()
    blank = blank.to_numpy(zero_copy_only=False) if texts.null_count else None
    texts = texts.fill_null("") if texts.null_count else texts
    widest = pc.max(pc.utf8_length(texts)).as_py() or 0
    if widest * 2 > _EXCEL_TEXT_LIMIT:
        return None
    kind = _arrow_head_kinds(texts).astype(np.int8)
    heads = [_head(q, p, styles) for q in (False, True) for p in (False, True)]
    head_bytes = max(len(heads[k]) for k in np.unique(kind))
    escapes = pc.any(pc.match_substring_regex(texts, _NEEDS_ESCAPE_RE2)).as_py()
    body_bytes = (pc.max(pc.binary_length(texts)).as_py() or 0) * (_ESCAPE_GROWTH if escapes else 1)
    tail = "</t></is></c>"
    return _Cells([*ref.pieces(), _Coded(np.array([*heads, ""], dtype=object), kind), _Texts(texts), tail], blank,
                  ref.max_bytes() + head_bytes + body_bytes + len(tail))


_ESCAPE_GROWTH = 7   # the most an escape lengthens text: one byte to seven ("_x0001_")


@dataclass
class _Texts:
    """A per-row piece: the column's own texts (an Arrow array), escaped for XML a block of rows at a time."""

    texts: Any

    def rows(self, start: int, stop: int) -> np.ndarray:
        return np.array(self.arrow_rows(start, stop).to_pylist(), dtype=object)

    def arrow_rows(self, start: int, stop: int) -> Any:
        return _arrow_escaped(self.texts.slice(start, stop - start).cast(pa.large_string()))


def _arrow_head_kinds(texts: Any) -> np.ndarray:
    """2 x (looks like a formula) + (keeps xml:space) for each text, as ``_inline_head`` decides: text != strip()
    exactly when its first or last character is whitespace (``str.isspace``, asked once per distinct one)."""
    quoted = np.zeros(len(texts), dtype=bool)
    for prefix in FORMULA_PREFIXES:
        quoted |= pc.starts_with(texts, prefix).to_numpy(zero_copy_only=False)
    keep = pc.match_substring(texts, "\n").to_numpy(zero_copy_only=False)
    for end in (pc.utf8_slice_codeunits(texts, 0, 1), pc.utf8_slice_codeunits(texts, -1)):
        chars = pc.dictionary_encode(end)
        space = np.array([c.isspace() for c in chars.dictionary.to_pylist()], dtype=bool)
        keep |= space[chars.indices.to_numpy(zero_copy_only=False)]
    return quoted.astype(np.int64) * 2 + keep


def _mixed_cells(series: pd.Series, ref: _Ref, style: int | None, styles: _Styles, cut: Cut | None = None) -> _Cells:
    """Object columns mixing kinds (rare, small): one string per cell from the per-cell encoder."""
    row0 = int(ref.rows[0]) if len(ref.rows) else 2
    cells = np.array(_cells(series.tolist(), ref.letter, style, styles, row0, cut), dtype=object)
    return _Cells([cells], None, _max_bytes(cells))


def _way_of(series: pd.Series) -> str:
    """How a column's cells are made: "bool", "date", "early dates" (some before 1900: those as ISO text, every
    cell by the per-cell encoder), "number", "text" or "mixed". Decided on the whole column, so that the parts
    of a sheet made separately (``_sheet_xml``) make every cell the way the whole would."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "early dates" if (series < pd.Timestamp(_FIRST_SERIAL_DAY)).any() else "date"
    if pd.api.types.is_numeric_dtype(dtype):
        return "number"
    if pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        return "text"
    return "mixed"


def _column_cells(series: pd.Series, ref: _Ref, style: int | None, styles: _Styles,
                  label: Callable[[str], str] | None = None, cut: Cut | None = None, way: str | None = None) -> _Cells:
    """Cells of one column, built a whole column at a time; ``label`` maps text values (choice labels);
    ``way`` as ``_way_of`` (of the whole column, when ``series`` is a part of it)."""
    way = way or _way_of(series)
    if way == "bool":
        return _bool_cells(series, ref)
    if way == "early dates":
        return _mixed_cells(series.astype(object), ref, style, styles, cut)
    if way == "date":
        serial = ((series - pd.Timestamp(_EXCEL_EPOCH)) / pd.Timedelta(days=1)).astype(float)
        if (series < pd.Timestamp(_FIRST_LEAP_BUG_DAY)).any():
            serial = serial.where(series >= pd.Timestamp(_FIRST_LEAP_BUG_DAY), serial - 1)
        return _number_cells(serial.to_numpy(dtype=float, na_value=np.nan), ref, style)
    if way == "number":
        numbers = pd.to_numeric(series, errors="coerce").astype(float).to_numpy(dtype=float, na_value=np.nan)
        return _number_cells(numbers, ref, style)
    if way == "text":
        if label is None and (cells := _arrow_distinct_cells(series, ref, styles)) is not None:
            return cells
        coded = _arrow_codes(series)
        if coded is not None:
            codes, distinct = coded
            cells = _arrow_text_cells(codes, distinct, ref, styles) if label is None else None
            if cells is not None:
                return cells
            texts = distinct.to_pylist()
        else:
            codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
            texts = [str(u) for u in uniques]
        return _text_cells(codes, [label(t) for t in texts] if label else texts, ref, styles, cut)
    if label is not None:
        series = series.map(lambda v: label(v) if isinstance(v, str) else v)
    return _mixed_cells(series, ref, style, styles, cut)


_CELL_MARKUP = 96   # more than any cell's markup around its reference's letters and digits and its value


def _part_bound(series: pd.Series, way: str, label: Callable[[str], str] | None = None) -> int | None:
    """An upper bound on the UTF-8 size of one of the column's cells, where its cells can be made a part of its
    rows at a time; None where not: where the per-cell encoder makes them (mixed kinds, dates before 1900), and
    for text that may be cut to Excel's limit (the cut is reported to the user by the process that cuts it)."""
    if way in ("bool", "date", "number"):
        return _CELL_MARKUP + _NUMBER_BYTES
    if way != "text":
        return None
    texts = _as_arrow(series) if pa is not None else None
    if texts is None or not (pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type)):
        return None
    if label is not None:   # a choice column: its few distinct values, as they are shown
        texts = pa.array([label(t) for t in pc.unique(texts.drop_null()).to_pylist()], type=pa.large_string())
    if (pc.max(pc.utf8_length(texts)).as_py() or 0) * 2 > _EXCEL_TEXT_LIMIT:
        return None
    return _CELL_MARKUP + (pc.max(pc.binary_length(texts)).as_py() or 0) * _ESCAPE_GROWTH


def _row_chunks(columns: list[_Cells], rows: np.ndarray | _RowNumbers) -> Iterator[str | bytes]:
    """The sheet's <row> elements, a block of rows per string (UTF-8 bytes when Arrow assembles them)."""
    count, make = _row_blocks(columns, rows)
    return make(0, count)


def _row_blocks(columns: list[_Cells], rows: np.ndarray | _RowNumbers
                ) -> tuple[int, Callable[[int, int], Iterator[str | bytes]]]:
    """The sheet's <row> elements as numbered blocks of ``_CHUNK_ROWS`` rows: how many blocks, and a maker of
    blocks ``first`` to ``stop - 1``, so that two processes can each make half of a large sheet.

    Each block is made by one Arrow join (``_arrow_block``) or, without Arrow, one grid join (``_grid_block``).
    Not on several threads: made two at a time, the blocks of the 500k-deal book's sheets were written 7%
    faster, but each thread's heap kept what the other's could have reused, and the widest sheet's write
    took 250 MB more."""
    count = -(-len(rows) // _CHUNK_ROWS) if columns else 0
    block = _arrow_block if pa is not None else _grid_block

    def make(first: int, stop: int) -> Iterator[str | bytes]:
        for k in range(first, stop):
            start = k * _CHUNK_ROWS
            yield block(columns, rows, start, min(start + _CHUNK_ROWS, len(rows)))

    return count, make


def _arrow_block(columns: list[_Cells], rows: np.ndarray | _RowNumbers, start: int, stop: int) -> bytes:
    """The <row> elements of sheet rows ``start`` to ``stop`` (0-based), as UTF-8: each row the join of its
    cells' pieces, a column with rows without a cell in the block joined into cells first (an empty text
    where it has none); the constant pieces next to each other are joined once, as one. The block's bytes
    are then the string array's data, already UTF-8, without a Python string per cell, so no text is
    encoded afterwards."""
    row_numbers = rows.arrow(start, stop) if isinstance(rows, _RowNumbers) else \
        pa.array(rows[start:stop], type=pa.large_string())

    def arrow(piece: str | np.ndarray | _Coded | _Numbers | _Texts) -> Any:
        if isinstance(piece, str):
            return pa.scalar(piece, pa.large_string())
        if isinstance(piece, _Coded | _Numbers | _Texts):
            return piece.arrow_rows(start, stop)
        if piece is rows:  # every column's reference ends with the row number: converted once per block
            return row_numbers
        return pa.array(piece[start:stop], type=pa.large_string())

    empty = pa.scalar("", pa.large_string())
    pieces: list[Any] = ['<row r="', row_numbers, '">']
    for col in columns:
        blank = None if col.blank is None else col.blank[start:stop]
        if blank is None or not blank.any():   # a cell in every row: its pieces go straight into the row
            pieces += [p if isinstance(p, str) else arrow(p) for p in col.pieces]
            continue
        cell = pc.binary_join_element_wise(*(arrow(p) for p in col.pieces), empty)
        pieces.append(pc.if_else(pa.array(blank), empty, cell))
    pieces.append("</row>")
    parts: list[Any] = []
    for piece in pieces:
        if isinstance(piece, str) and parts and isinstance(parts[-1], str):
            parts[-1] += piece
        else:
            parts.append(piece)
    block = pc.binary_join_element_wise(*(arrow(p) if isinstance(p, str) else p for p in parts), empty)
    offsets = np.frombuffer(block.buffers()[1], dtype=np.int64)
    first, last = offsets[block.offset], offsets[block.offset + len(block)]
    return block.buffers()[2].to_pybytes()[first:last] if first else block.buffers()[2][:last].to_pybytes()


def _grid_block(columns: list[_Cells], rows: np.ndarray | _RowNumbers, start: int, stop: int) -> str:
    """Without Arrow: the block is a grid with one row per sheet row and one column per piece, filled column
    by column (constants broadcast, per-row pieces sliced), blanked where a column has no cell, and
    joined in row-major order: every byte of the sheet is copied once, by C code.
    """
    width = 4 + sum(len(c.pieces) for c in columns)
    grid = np.empty((stop - start, width), dtype=object)
    grid[:, 0], grid[:, 1], grid[:, 2], grid[:, -1] = '<row r="', rows[start:stop], '">', "</row>"
    k = 3
    for col in columns:
        first = k
        for piece in col.pieces:
            grid[:, k] = piece if isinstance(piece, str) else (
                piece.rows(start, stop) if isinstance(piece, _Coded | _Numbers | _Texts) else piece[start:stop])
            k += 1
        if col.blank is not None:
            grid[col.blank[start:stop], first:k] = ""
    return "".join(grid.ravel().tolist())


@dataclass
class _SheetXml:
    """A generated worksheet part: ``open()`` makes its cells and gives its XML as ``Blocks`` (streamed into
    the zip, a large sheet by two processes) with a bound on its encoded size (zipfile must know up front
    whether it needs zip64).

    The cells are made only then, when the part is written, so a book's output sheets are never all in
    memory at once as pieces of text; ``shell`` is the part without its data rows."""

    open: Callable[[], Blocks]
    headers: list[str]
    shell: bytes = b""  # the part without its data rows (values only): what a feature inventory reads

    @property
    def chunks(self) -> Iterator[str | bytes]:
        return self.open().chunks()

    @property
    def max_bytes(self) -> int:
        return self.open().max_bytes


def _column_width(header: str, sample: list[Any]) -> float:
    """Fit the header and the first values shown, between 10 and 60 characters."""
    texts = [str(v) for v in sample if v is not None]
    return min(max([_display_width(header) + 4, *(_display_width(s) + 2 for s in texts), 10]), 60)


def _sheet_top(headers: list[str], widths: list[float], nrow: int, styles: _Styles, *, sheet_pr: str = "",
               selected: bool = False) -> str:
    """Everything before the first data row: dimension, frozen header pane, column widths, header row."""
    tab = ' tabSelected="1"' if selected else ""
    parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             f'xmlns:r="{REL_NS}">', sheet_pr,
             f'<dimension ref="A1:{column_letter(max(len(headers), 1))}{max(nrow + 1, 2)}"/>',
             f'<sheetViews><sheetView{tab} workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
             'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
             '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>']
    if widths:
        parts += ["<cols>", *(f'<col min="{j}" max="{j}" width="{w:.1f}" customWidth="1"/>'
                              for j, w in enumerate(widths, start=1)), "</cols>"]
    parts.append("<sheetData>")
    head = "".join(f'<c r="{column_letter(j)}1" s="{styles.header}" t="inlineStr"><is>{_t_open(h)}{_xml_text(h)}'
                   '</t></is></c>' for j, h in enumerate(headers, start=1))
    parts.append(f'<row r="1">{head}</row>')
    return "".join(parts)


def _sheet_xml(frame: pd.DataFrame, schema: Table | None, lang: str, styles: _Styles, table_rid: str,
               choices_zh: bool, *, carried: _Carried | None = None, selected: bool = False,
               notes: list[str] | None = None, sheet: str = "") -> _SheetXml:
    """An output sheet: header row in the user's language, typed and formatted cells, frozen header;
    ``carried`` holds the sheet properties and print settings of the sheet it replaces."""
    carried = carried or _Carried()

    def cut(ref: str, length: int) -> None:
        if notes is not None:
            notes.append(f"{sheet}!{ref}: text of {length:,} characters cut to Excel's limit of "
                         f"{_EXCEL_TEXT_LIMIT:,}")

    names = list(frame.columns)
    headers = table_headers(names, schema, lang)
    nrow = len(frame)
    specs: list[tuple[pd.Series, str, int | None, Callable[[str], str] | None]] = []
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
        specs.append((series, column_letter(j), style, label))
        shown = [label(v) if label and isinstance(v, str) else v for v in series.iloc[:200].tolist()]
        widths.append(_column_width(headers[j - 1], shown))
    ways = [_way_of(series) for series, _, _, _ in specs]
    top = _sheet_top(headers, widths, nrow, styles, sheet_pr=carried.head, selected=selected)
    tail = (f'</sheetData>{carried.tail}<tableParts count="1"><tablePart r:id="{table_rid}"/></tableParts>'
            '</worksheet>')

    def cells(first: int, stop: int) -> tuple[list[_Cells], _RowNumbers]:
        rows = _RowNumbers(2 + first, stop - first)
        whole = (first, stop) == (0, nrow)
        return [_column_cells(series if whole else series.iloc[first:stop].reset_index(drop=True),
                              _Ref(letter, rows), style, styles, label, cut, way)
                for (series, letter, style, label), way in zip(specs, ways, strict=True)], rows

    def open_() -> Blocks:
        """The rows as blocks. Where every column can be (``_part_bound``), the cells are made only for the rows of
        the blocks asked for, so the two processes of ``write_blocks`` each make those of their half."""
        count = -(-nrow // _CHUNK_ROWS) if specs else 0
        digits = len(str(nrow + 1))

        def bound(cell_bytes: int) -> int:
            return 4 * (len(top) + len(tail)) + nrow * (len('<row r=""></row>') + digits + cell_bytes)

        bounds = [_part_bound(spec[0], way, spec[3]) for spec, way in zip(specs, ways, strict=True)] if count > 1 else [None]
        if None not in bounds:
            def make(first: int, stop: int) -> Iterator[str | bytes]:
                columns, rows = cells(first * _CHUNK_ROWS, min(stop * _CHUNK_ROWS, nrow))
                return _row_blocks(columns, rows)[1](0, stop - first)

            return Blocks(top, count, make, tail,
                          bound(sum(b + len(spec[1]) + digits for b, spec in zip(bounds, specs, strict=True))))
        columns, rows = cells(0, nrow)
        count, make = _row_blocks(columns, rows)
        return Blocks(top, count, make, tail, bound(sum(c.max_bytes for c in columns)))

    return _SheetXml(open_, headers, (top + tail).encode("utf-8"))


def table_headers(columns: Iterable[str], schema: Table | None, lang: str) -> list[str]:
    """The header cells (and table column names) of an output table, as written."""
    return _unique_headers([header_label(schema, n, lang) for n in columns])


def _unique_headers(headers: list[str]) -> list[str]:
    """Excel Table column names must be unique (ignoring case) and non-empty."""
    seen: set[str] = set()
    out = []
    for h in headers:
        base = h = _fit(h or "Column")[:255]
        k = 1
        while h.casefold() in seen:  # Excel compares table column names without regard to case
            k += 1
            h = f"{base}{k}"
        seen.add(h.casefold())
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
CALC_CHAIN_REL = REL_NS + "/calcChain"
# Settings of a replaced Out_ sheet that belong to the sheet, not to its data: carried to the new sheet.
_CARRIED_HEAD = ("sheetPr",)
_CARRIED_TAIL = ("printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks")
_SHEET_DATA = re.compile(rb"<(?:[\w.-]+:)?sheetData\b")
_PREFIX_USE = re.compile(r"(?:</?|\s)([A-Za-z_][\w.-]*):[A-Za-z_]")


@dataclass
class _Carried:
    """What a replaced Out_ sheet passes on to its successor: settings XML and their relationships."""

    head: str = ""
    tail: str = ""
    rels: list[tuple[str, str, str]] = field(default_factory=list)  # (new id, type, target part)


def _carry(old_xml: bytes, old_rels: list[Rel]) -> _Carried:
    """The sheet properties and print settings of an old Out_ sheet, ready for the new one."""
    m = _SHEET_DATA.search(old_xml)
    if m is not None:
        head_end = xmlparts._tag_end(old_xml, m.start())
        if old_xml[head_end - 2:head_end] == b"/>":
            old_xml = old_xml[:m.start()] + old_xml[head_end:]
        else:
            name = old_xml.rfind(b"sheetData")
            close = old_xml.rfind(b"<", 0, name)
            old_xml = old_xml[:m.start()] + old_xml[xmlparts._tag_end(old_xml, close):]
    root = xmlparts.parse(old_xml)
    by_id = {r.id: r for r in old_rels}
    carried = _Carried()
    n = 1
    for tags, slot in ((_CARRIED_HEAD, "head"), (_CARRIED_TAIL, "tail")):
        texts = []
        for tag in tags:
            el = root.find(xmlparts.MAIN_NS, tag)
            if el is None:
                continue
            sp = xmlparts.Splicer(old_xml)
            for sub in el.iter():
                for key, value in sub.attrs.items():
                    rel = by_id.get(value) if key.startswith(f"{{{xmlparts.REL_NS}}}") else None
                    if rel is None or rel.target is None:
                        continue
                    n += 1
                    carried.rels.append((f"rId{n}", rel.type, rel.target))
                    head = old_xml[sub.start:sub.head_end].decode("utf-8")
                    local = key.split("}")[1]
                    for prefix, uri in sub.scope.items():
                        if uri == xmlparts.REL_NS and prefix:
                            head = re.sub(rf'(\s{re.escape(prefix)}:{local}\s*=\s*)(["\']){re.escape(value)}\2',
                                          rf"\g<1>\g<2>rId{n}\g<2>", head)
                    sp.replace(sub.start, sub.head_end, head)
            applied = sp.apply()
            text = applied[el.start:el.end + len(applied) - len(old_xml)].decode("utf-8")
            declared = {p for p in re.findall(r"xmlns:([\w.-]+)=", text)}
            needed = {p for p in _PREFIX_USE.findall(text) if p not in ("xml", "xmlns")} - declared
            decls = "".join(f' xmlns:{p}="{el.scope[p]}"' for p in sorted(needed) if p in el.scope)
            if el.prefix_of(xmlparts.MAIN_NS) != "" and el.scope.get("") and "xmlns=" not in text.split(">", 1)[0]:
                decls += f' xmlns="{el.scope[""]}"'  # unprefixed names there are not SpreadsheetML ones
            texts.append(re.sub(r"^<([\w.:-]+)", lambda mm, d=decls: f"<{mm.group(1)}{d}", text))
        setattr(carried, slot, "".join(texts))
    return carried


@dataclass
class GraftResult:
    notes: list[str] = field(default_factory=list)  # located notes on what was adapted (text cut to Excel's limit)
    generated: dict[str, bytes] = field(default_factory=dict)  # new sheet parts without their data rows


def graft_outputs(source: str | Path, outputs: Mapping[str, pd.DataFrame], dest: str | Path, *,
                  lang: str = "en", dashboard: Dashboard | None = None) -> GraftResult:
    """Write ``dest``: ``source`` with its Out_* sheets replaced by ``outputs`` (and the ``dashboard``
    sheet, with its drawing and charts). ``dest`` must differ.

    A replaced sheet keeps its place, its sheet id, its visibility, names scoped to it, its sheet
    properties and print settings; new output sheets go at the end, a new dashboard first among them.
    Parts that only the dropped sheets used (an earlier dashboard's drawing and charts too) are dropped
    with them, so the package never holds an orphan part and a rerun never duplicates one.
    """
    result = GraftResult()
    with zipfile.ZipFile(source) as zin:
        names = zin.namelist()
        name_set = set(names)

        def read(name: str) -> bytes | None:
            return zin.read(name) if name in name_set else None

        wb_part = main_part(read)
        wb_rels_part = rels_of(wb_part)
        wb_data, wb_rels_data, ct_data = read(wb_part), read(wb_rels_part), read("[Content_Types].xml")
        if wb_data is None or wb_rels_data is None or ct_data is None:
            raise ValueError("not a workbook package")
        wb = xmlparts.parse(wb_data)
        wb_rels = relationships(wb_rels_data, wb_part)
        rel_by_id = {r.id: r for r in wb_rels}
        styles_rel = next((r for r in wb_rels if r.type == REL_NS + "/styles" and r.target), None)
        styles_part = styles_rel.target if styles_rel else None
        if styles_part is None or styles_part not in name_set:
            raise ValueError("workbook has no styles part")
        styles_xml, styles = _add_styles(zin.read(styles_part),
                                         style_specs(dashboard.money_format) if dashboard is not None else None)

        sheets_el = wb.find(xmlparts.MAIN_NS, "sheets")
        sheet_els = sheets_el.findall(xmlparts.MAIN_NS, "sheet") if sheets_el is not None else []
        rid_key = f"{{{xmlparts.REL_NS}}}id"
        old_names = [el.get("name", "") for el in sheet_els]
        views = [e for e in wb.iter() if e.is_(xmlparts.MAIN_NS, "workbookView")]
        view = views[0] if views else None
        active_name = old_names[int(view.get("activeTab", "0"))] if view is not None and old_names and \
            int(view.get("activeTab", "0")) < len(old_names) else (old_names[0] if old_names else None)

        wsp, wrp, ctp = xmlparts.Splicer(wb_data), xmlparts.Splicer(wb_rels_data), xmlparts.Splicer(ct_data)
        ct = xmlparts.parse(ct_data)
        dropped: set[str] = set()
        old_out: dict[str, tuple[xmlparts.Element, str | None]] = {}
        for el in sheet_els:
            name = el.get("name", "")
            if not name.startswith("Out_"):
                continue
            rel = rel_by_id.get(el.get(rid_key, ""))
            part = rel.target if rel else None
            old_out[name] = (el, part)
            if rel is not None:
                wrp.remove(rel.el)
            if part:
                dropped.add(part)
                dropped.add(rels_of(part))
        if old_out:  # a calculation chain may name cells of the dropped sheets; Excel rebuilds it
            for rel in wb_rels:
                if rel.type == CALC_CHAIN_REL and rel.target:
                    wrp.remove(rel.el)
                    dropped.add(rel.target)

        remaining = [n for n in names if n not in dropped]
        before = reachable(read, lambda n: n in name_set)
        kept = reachable(lambda n: None if n in dropped else read(n), lambda n: n in name_set and n not in dropped)
        in_use = {n for n in names if n in kept or n not in before}  # parts the result still holds
        sheet_nums = [int(m) for n in remaining for m in re.findall(r"^xl/worksheets/sheet(\d+)\.xml$", n)]
        table_nums = [int(m) for n in remaining for m in re.findall(r"^xl/tables/table(\d+)\.xml$", n)]
        table_ids = [int(x) for n in remaining if n.startswith("xl/tables/") and n.endswith(".xml")
                     for x in re.findall(rb'<(?:[\w.-]+:)?table\b[^>]*?\bid="(\d+)"', zin.read(n))]
        sheet_ids = [int(el.get("sheetId", "0")) for el in sheet_els if el.get("sheetId", "").isdigit()]
        rids = [int(r.id[3:]) for r in wb_rels if re.fullmatch(r"rId\d+", r.id)]
        next_sheet, next_table = max([0, *sheet_nums]) + 1, max([0, *table_nums]) + 1
        next_table_id, next_sheet_id = max([0, *table_ids]) + 1, max([0, *sheet_ids]) + 1
        next_rid = max([0, *rids]) + 1

        # the sheet order after the update: replaced sheets in place, new ones at the end
        written: dict[str, pd.DataFrame | Dashboard] = {}
        if dashboard is not None:
            written[dashboard.sheet] = dashboard
        written.update((k, v) for k, v in outputs.items() if k not in written)
        new_order = [n for n in old_names if not n.startswith("Out_") or n in written]
        new_order += [n for n in written if n not in old_out]
        if active_name in new_order:
            active = new_order.index(active_name)
        else:
            active = next((i for i, n in enumerate(new_order) if n in written), 0)
        selected = new_order[active] if new_order else None

        new_parts: dict[str, bytes | _SheetXml] = {}
        rel_tags, ct_tags = [], []
        print_area: tuple[int, bool, Dashboard] | None = None  # (sheet index, already named, dashboard)
        wb_dir_rel = functools.partial(relative, wb_part)
        appended = []
        for name, frame in written.items():
            sheet_part = f"xl/worksheets/sheet{next_sheet}.xml"
            table_part = f"xl/tables/table{next_table}.xml"
            carried = _Carried()
            previous = old_out.get(name)
            if previous is not None and previous[1] and previous[1] in name_set:
                carried = _carry(zin.read(previous[1]), relationships(read(rels_of(previous[1])), previous[1]))
            rid = f"rId{next_rid}"
            if isinstance(frame, Dashboard):
                board = dashboard_parts(frame, sheet_part, in_use, styles.named, selected=name == selected,
                                        head=carried.head, tail=carried.tail, carried_rels=carried.rels)
                new_parts.update(board.parts)
                ct_tags += [f'<Override PartName="/{p}" ContentType="{t}"/>' for p, t in board.content_types]
                next_table -= 1  # no table part: the number stays free
                next_table_id -= 1
                print_area = (new_order.index(name), has_print_area(
                    [(el.get("name"), el.get("localSheetId")) for el in _defined_names(wb)],
                    old_names.index(name) if previous is not None else None), frame)
            else:
                sheet = new_parts[sheet_part] = _sheet_xml(frame, REGISTRY.get(name), lang, styles, "rId1",
                                                           choices_zh=lang == "zh", carried=carried,
                                                           selected=name == selected, notes=result.notes, sheet=name)
                result.generated[sheet_part] = sheet.shell
                extra = "".join(f'<Relationship Id="{rid}" Type="{xmlparts.text_escape(t)}" '
                                f'Target="{xmlparts.text_escape(relative(sheet_part, target))}"/>'
                                for rid, t, target in carried.rels)
                new_parts[rels_of(sheet_part)] = (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
                    f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{TABLE_REL}" '
                    f'Target="../tables/table{next_table}.xml"/>{extra}</Relationships>').encode()
                new_parts[table_part] = _table_xml(next_table_id, name, sheet.headers, len(frame)).encode("utf-8")
                ct_tags.append(f'<Override PartName="/{table_part}" ContentType="{TABLE_CT}"/>')
            if previous is not None:
                old_el = previous[0]
                attrs = [(None, "name", name), (None, "sheetId", old_el.get("sheetId", str(next_sheet_id)))]
                if old_el.get("state"):
                    attrs.append((None, "state", old_el.get("state")))
                wsp.replace(old_el.start, old_el.end,
                            xmlparts.element(sheets_el, xmlparts.MAIN_NS, "sheet",
                                             [*attrs, (xmlparts.REL_NS, "id", rid)]))
            else:
                appended.append(xmlparts.element(sheets_el, xmlparts.MAIN_NS, "sheet", [
                    (None, "name", name), (None, "sheetId", str(next_sheet_id)), (xmlparts.REL_NS, "id", rid)]))
                next_sheet_id += 1
            rel_tags.append(f'<Relationship Id="{rid}" Type="{SHEET_REL}" '
                            f'Target="{wb_dir_rel(sheet_part)}"/>')
            ct_tags.append(f'<Override PartName="/{sheet_part}" ContentType="{SHEET_CT}"/>')
            next_sheet, next_table, next_table_id, next_rid = next_sheet + 1, next_table + 1, next_table_id + 1, \
                next_rid + 1
        for name, (el, _) in old_out.items():
            if name not in written:
                wsp.remove(el)
        if appended:
            wsp.append_child(sheets_el, "".join(appended))
        add_names = ""
        if print_area is not None and not print_area[1]:  # a print area the sheet already has is kept
            names_el = wb.find(xmlparts.MAIN_NS, "definedNames")
            tag = xmlparts.qname(names_el if names_el is not None else wb, xmlparts.MAIN_NS, "definedName",
                                 declare=False)[0]
            add_names = print_area_name(print_area[2], print_area[0], tag)
        _renumber_local_names(wb, wsp, old_names, new_order, add_names)
        if view is not None:
            wsp.set_attr(view, "activeTab", str(active) if active else None)
            first = view.get("firstSheet")
            if first is not None and first.isdigit() and int(first) >= len(new_order):
                wsp.set_attr(view, "firstSheet", None)
        rels_root = xmlparts.parse(wb_rels_data)
        wrp.append_child(rels_root, _in_default_ns(rels_root, xmlparts.PKG_REL_NS, "".join(rel_tags)))
        replaced = {wb_part: wsp.apply(), wb_rels_part: wrp.apply(), styles_part: styles_xml}

        # parts that only the dropped sheets used go with them
        def read_after(name: str) -> bytes | None:
            if name in replaced:
                return replaced[name]
            data = new_parts.get(name)
            if data is not None:
                return data if isinstance(data, bytes) else None
            return read(name) if name not in dropped else None

        def exists_after(name: str) -> bool:
            return name in new_parts or (name in name_set and name not in dropped)

        after = reachable(read_after, exists_after)
        dropped |= {n for n in before - after if n in name_set and n not in new_parts}
        for el in ct.findall(xmlparts.CT_NS, "Override"):
            if el.get("PartName", "").lstrip("/") in dropped:
                ctp.remove(el)
        ctp.append_child(ct, _in_default_ns(ct, xmlparts.CT_NS, "".join(ct_tags)))
        replaced["[Content_Types].xml"] = ctp.apply()

        with zipfile.ZipFile(dest, "w") as zout, open(source, "rb") as raw:
            for info in zin.infolist():
                if info.filename in dropped or info.filename in new_parts:
                    continue
                data = replaced.get(info.filename)
                if data is None:
                    copy_part(zout, raw, info)
                else:
                    zout.writestr(_keep_name_and_date(info), data)
            for part, data in new_parts.items():
                if isinstance(data, _SheetXml):  # its cells are made now, and let go once written
                    write_blocks(zout, part, data.open())
                    release_memory()   # the next sheet's peak does not stand on what this one let go
                else:
                    write_part(zout, part, data)
    return result


def _in_default_ns(context: xmlparts.Element, uri: str, xml: str) -> str:
    """``xml`` written with unprefixed names of ``uri``, made right for where it goes."""
    if not xml or context.prefix_of(uri) == "":
        return xml
    return re.sub(r"<(\w+)\b", lambda m: f'<{m.group(1)} xmlns="{uri}"', xml)


def _keep_name_and_date(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """The entry for an updated index part (workbook.xml ...): the original's name, date and attributes."""
    new = new_info(info.filename)
    new.date_time, new.external_attr = info.date_time, info.external_attr
    return new


def _defined_names(wb: xmlparts.Element) -> list[xmlparts.Element]:
    names_el = wb.find(xmlparts.MAIN_NS, "definedNames")
    return names_el.findall(xmlparts.MAIN_NS, "definedName") if names_el is not None else []


# What may come before definedNames in a workbook (CT_Workbook's sequence), for a list that is added.
_BEFORE_NAMES = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
                 "functionGroups", "externalReferences")


def _renumber_local_names(wb: xmlparts.Element, sp: xmlparts.Splicer, old: list[str], new: list[str],
                          add: str = "") -> None:
    """Sheet-scoped defined names refer to sheets by position; keep them pointing at the same sheets (a
    replaced Out_ sheet keeps its names; a name scoped to a dropped one goes with it). ``add``: names to
    add (XML), in a new list where the workbook has none."""
    position = {name: i for i, name in enumerate(new)}
    names_el = wb.find(xmlparts.MAIN_NS, "definedNames")
    if names_el is None:
        if add:
            before = [c for c in wb.children if c.ns == xmlparts.MAIN_NS and c.name in _BEFORE_NAMES]
            tag = xmlparts.qname(wb, xmlparts.MAIN_NS, "definedNames", declare=False)[0]
            sp.insert(before[-1].end if before else wb.head_end, f"<{tag}>{add}</{tag}>")
        return
    removed, moved = [], []
    for el in names_el.findall(xmlparts.MAIN_NS, "definedName"):
        local = el.get("localSheetId")
        if local is None or not local.isdigit():
            continue
        index = int(local)
        target = position.get(old[index]) if index < len(old) else None
        if target is None:
            removed.append(el)
        elif target != index:
            moved.append((el, str(target)))
    if removed and len(removed) == len(names_el.findall(xmlparts.MAIN_NS, "definedName")) and not add:
        sp.remove(names_el)  # an empty list is not written
        return
    for el in removed:
        sp.remove(el)
    for el, target in moved:
        sp.set_attr(el, "localSheetId", target)
    if add:
        sp.append_child(names_el, add)
