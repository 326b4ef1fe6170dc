"""Turn raw cell values into clean, typed pandas columns, collecting every bad cell.

Vectorised where it matters: a 100k-row table must parse in well under a second.  Each parser
returns (series, bad_mask): ``bad_mask`` marks non-blank cells that could not be read as the kind.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd

from salesbook.book.base import TypedColumn
from salesbook.schemas import Choice, Column, Kind

try:  # optional (not in every Python): finds the few texts with a blank at either end among many at once
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError:  # pragma: no cover - exercised where pyarrow is not installed
    pa = None  # type: ignore[assignment]

EXCEL_ERRORS = frozenset({"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
                          "#GETTING_DATA", "#SPILL!", "#CALC!"})
_TRUE = frozenset({"true", "yes", "y", "1", "是", "对", "√", "✓", "x"})
_FALSE = frozenset({"false", "no", "n", "0", "否", "不", "×"})
_NUM_STRIP = re.compile(r"[,\s¥$€£，]|^(?:CNY|RMB|USD)|元$")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Text columns keep Python strings whether or not pyarrow is installed (with it, pandas' default "string"
# storage is Arrow's, which the engines' per-value lookups are slower on), so results never depend on it.
TEXT = pd.StringDtype("python")


def _text_cells(values: pd.Series) -> tuple[np.ndarray | slice, np.ndarray] | None:
    """The str cells of an object or string column and where they are (None: it has none).

    Found by C-level passes over the column; a column of text only (the usual id or name column from
    calamine, which gives blanks as "") needs a single one.
    """
    if values.dtype != object and not pd.api.types.is_string_dtype(values.dtype):
        return None
    cells = values.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(cells, skipna=False) == "string":
        return slice(None), cells
    inferred = pd.api.types.infer_dtype(cells, skipna=True)
    if inferred == "string":
        where = ~pd.isna(cells)
    elif inferred.startswith("mixed"):
        where = np.equal(np.fromiter(map(type, cells), dtype=object, count=len(cells)), str)
    else:
        return None
    return where, cells[where]


def _blank_texts(texts: np.ndarray) -> np.ndarray:
    """Empty or whitespace-only (what ``str.strip`` empties), by C-level loops over an array of str."""
    return (texts == "") | np.fromiter(map(str.isspace, texts), dtype=bool, count=len(texts))


def blank_mask(values: pd.Series) -> pd.Series:
    """None, NaN and whitespace-only text count as blank."""
    found = _text_cells(values)
    if found is not None and isinstance(found[0], slice):
        return pd.Series(_blank_texts(found[1]), index=values.index)
    mask = values.isna().to_numpy(dtype=bool, copy=True)
    if found is not None:
        where, texts = found
        mask[where] = _blank_texts(texts)
    return pd.Series(mask, index=values.index)


def error_mask(values: pd.Series) -> pd.Series:
    """Cells holding an Excel error value such as #N/A (calamine hands these over as text)."""
    out = np.zeros(len(values), dtype=bool)
    found = _text_cells(values) if values.dtype == object else None
    if found is not None:
        where, texts = found
        if "#" in "".join(texts):  # every error value has one: most columns are cleared by this one scan
            stripped = pd.Series([t.strip().upper() for t in texts], dtype=object)
            out[where] = stripped.isin(EXCEL_ERRORS).to_numpy(dtype=bool)
    return pd.Series(out, index=values.index)


def _clean_number_text(text: pd.Series) -> pd.Series:
    return text.str.strip().str.replace(_NUM_STRIP, "", regex=True)


_WIDE = re.compile(r"[\uff01-\uff5e\u3000]")           # full-width ASCII forms and the ideographic space
_ACCOUNTING = re.compile(r"^\((.*)\)$")                  # (1,200) = -1200, as accountants write it
_MULTIPLIER = re.compile(r"^(.*?)\s*(万|亿)$")              # 12万 = 120,000; 1.5亿 = 150,000,000
_FRACTION = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)$")
_SCALE = {"万": 1e4, "亿": 1e8}


def _number_from_text(text: str, *, money: bool, ratio: bool) -> float | None:
    """One typed number: full-width forms, thousands separators, currency marks, accounting negatives,
    "%" (the caller divides), 万/亿 where the column is money, and a/b where it is a ratio."""
    s = unicodedata.normalize("NFKC", text) if _WIDE.search(text) else text
    s = s.strip().rstrip("%").strip()
    negative = False
    m = _ACCOUNTING.match(s)
    if m:
        s, negative = m[1], True
    scale = 1.0
    if money:
        s = re.sub(r"元$", "", s.strip())
        m = _MULTIPLIER.match(s)
        if m:
            s, scale = m[1], _SCALE[m[2]]
    s = _NUM_STRIP.sub("", s.strip())
    if ratio:
        m = _FRACTION.match(s)
        if m:
            den = float(m[2])
            return (float(m[1]) / den if den else None) if not negative else None
    try:
        value = float(s)
    except ValueError:
        return None
    if negative and value < 0:
        return None  # "(-5)" is not an accounting negative of anything
    return (-value if negative else value) * scale


def parse_number(values: pd.Series, *, percent: bool = False, money: bool = False,
                 ratio: bool = False) -> tuple[pd.Series, pd.Series]:
    blank = blank_mask(values)
    inferred = pd.api.types.infer_dtype(values, skipna=True) if values.dtype == object else "numeric"
    if inferred in ("floating", "integer", "mixed-integer-float", "numeric", "empty"):
        source = values
    else:
        source = values.where(~values.map(lambda v: isinstance(v, bool)))
    out = pd.to_numeric(source, errors="coerce")
    out = out.astype("float64")
    still = out.isna() & ~blank
    if still.any():
        text = values[still].astype(str)
        is_pct = text.str.strip().str.endswith(("%", "％"))
        parsed = pd.to_numeric(_clean_number_text(text.str.replace(r"[%％]\s*$", "", regex=True)), errors="coerce")
        hard = parsed.isna()
        if hard.any():  # the rarer forms, one cell at a time
            parsed[hard] = [np.nan if (v := _number_from_text(t, money=money, ratio=ratio)) is None else v
                            for t in text[hard]]
        parsed = pd.to_numeric(parsed, errors="coerce")
        parsed = parsed.where(~is_pct, parsed / 100.0)
        out.loc[still] = parsed
    infinite = np.isinf(out)
    out = out.where(~infinite)  # an infinite amount is never what the user meant
    bad = out.isna() & ~blank
    return out, bad


def parse_int(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    nums, bad = parse_number(values)
    frac = nums.notna() & ((nums != np.round(nums)) | (nums.abs() > 2**53))
    return nums.where(~frac).round().astype("Int64"), bad | frac


_MIN_DATE, _MAX_DATE = pd.Timestamp(1900, 1, 1), pd.Timestamp(2261, 12, 31)


def _to_timestamp(v: object, date_order: str = "mdy") -> pd.Timestamp | None:
    """A date, or None when the value is not one (or lies outside 1900-2261, pandas' range)."""
    try:
        ts = _to_timestamp_unchecked(v, date_order)
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return None
    return ts if ts is not None and _MIN_DATE <= ts <= _MAX_DATE else None


def _to_timestamp_unchecked(v: object, date_order: str = "mdy") -> pd.Timestamp | None:
    if isinstance(v, dt.datetime):
        return pd.Timestamp(v).normalize()
    if isinstance(v, dt.date):
        return pd.Timestamp(v)
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        if 1 <= v < 2958466 and not math.isnan(v):  # Excel serial dates 1900-01-01 .. 9999-12-31
            return _EXCEL_EPOCH + pd.Timedelta(days=int(v))
        return None
    if isinstance(v, str):
        return _parse_date_text(v, date_order)
    return None


_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm]|Z|[+-]\d{2}:?\d{2})?)?"
_YMD = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})" + _TIME + "$")
_YMD_ZH = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?" + _TIME + "$")
_XYZ = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})" + _TIME + "$")   # d/m/y or m/d/y
_MONTHS = {m: i for i, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for m in names}
_MON = r"([A-Za-z]{3,9})\.?"
_MDY_NAMED = re.compile(r"^" + _MON + r"[\s-]+(\d{1,2})(?:st|nd|rd|th)?,?[\s-]+(\d{4})" + _TIME + "$")   # Mar 3, 2026
_DMY_NAMED = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s-]+" + _MON + r",?[\s-]+(\d{4})" + _TIME + "$")   # 3 Mar 2026
_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月$"),
)
DATE_ORDERS = ("mdy", "dmy")


def _ymd(y: str | int, m: str | int, d: str | int) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(int(y), int(m), int(d))
    except ValueError:
        return None


def is_ambiguous_date_text(text: object) -> bool:
    """3/4/2026: a day and a month that could each be the other (both 12 or less, and different)."""
    if not isinstance(text, str):
        return False
    m = _XYZ.match(unicodedata.normalize("NFKC", text).strip())
    return bool(m) and int(m[1]) <= 12 and int(m[2]) <= 12 and m[1].lstrip("0") != m[2].lstrip("0")


def _parse_date_text(text: str, date_order: str = "mdy") -> pd.Timestamp | None:
    s = unicodedata.normalize("NFKC", text).strip()
    for pat in (_YMD, _YMD_ZH):
        m = pat.match(s)
        if m:
            return _ymd(m[1], m[2], m[3])
    m = _XYZ.match(s)
    if m:
        a, b = int(m[1]), int(m[2])
        if a > 12 or (b <= 12 and date_order == "dmy"):
            return _ymd(m[3], b, a)
        return _ymd(m[3], a, b)
    m = _MDY_NAMED.match(s)
    if m and m[1].lower() in _MONTHS:
        return _ymd(m[3], _MONTHS[m[1].lower()], m[2])
    m = _DMY_NAMED.match(s)
    if m and m[2].lower() in _MONTHS:
        return _ymd(m[3], _MONTHS[m[2].lower()], m[1])
    for pat in _MONTH_PATTERNS:
        m = pat.match(s)
        if m:
            return _ymd(m[1], m[2], 1)
    return None


def parse_date(values: pd.Series, date_order: str = "mdy") -> tuple[pd.Series, pd.Series]:
    """Dates from date cells, Excel serial numbers and every unambiguous text form (ISO with or without a
    time, 2026/1/31, 2026年1月31日, 13/3/2026, Mar 3, 2026, 3 March 2026).

    A day and month that could be either way round (03/04/2026) are read in ``date_order`` (mdy or dmy,
    the Settings key date_order); validation warns on the first such cell so the reading is never silent.
    """
    blank = blank_mask(values)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        out = values.dt.normalize().astype("datetime64[ns]")
        return out, pd.Series(False, index=values.index)
    uniq = pd.unique(values[~blank])
    cache = {v: _to_timestamp(v, date_order) for v in uniq}
    out = pd.to_datetime(values.map(lambda v: cache.get(v) if v in cache else None), errors="coerce")
    out = out.astype("datetime64[ns]")
    bad = out.isna() & ~blank
    return out, bad


def parse_bool(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    blank = blank_mask(values)

    def one(v: object) -> object:
        if isinstance(v, bool):
            return v
        if isinstance(v, int | float):
            return bool(v) if v in (0, 1) else None
        if isinstance(v, str):
            t = v.strip().casefold()
            if t in _TRUE:
                return True
            if t in _FALSE:
                return False
        return None

    out = values.map(one)
    bad = out.isna() & ~blank
    return out.astype("boolean"), bad


def parse_text(values: pd.Series, *, identifier: bool = False) -> tuple[pd.Series, pd.Series]:
    """Text as typed; whole floats such as 1001.0 from numeric cells become "1001"."""
    blank = blank_mask(values)

    def one(v: object) -> object:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, dt.datetime):
            return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
        if isinstance(v, dt.date):
            return v.isoformat()
        s = str(v)
        return s.strip() if identifier else s

    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=False) == "string":
        texts = values.to_numpy(dtype=object)
        out = pd.Series(np.fromiter(map(str.strip, texts), dtype=object, count=len(texts)) if identifier
                        else texts, index=values.index, dtype=object)
    else:
        out = values.map(one)
    out = out.where(~blank, None).astype(TEXT)
    return out, pd.Series(False, index=values.index)


def normalise_choice(text: str) -> str:
    """Case, width (全角 ＡＢＣ, ＝) and spacing/underscore differences do not make a different word."""
    return re.sub(r"[\s_\-]+", " ", unicodedata.normalize("NFKC", text).strip().casefold())


def choice_lookup(choices: tuple[Choice, ...]) -> dict[str, str]:
    """Every word of every choice (code, zh label, en label, aliases) -> its code."""
    lookup: dict[str, str] = {}
    for c in choices:
        for label in c.words:
            lookup.setdefault(normalise_choice(label), c.value)
    return lookup


def parse_choice(values: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    lookup = choice_lookup(column.choices)
    text, _ = parse_text(values)
    blank = text.isna()
    out = text.map(lambda s: lookup.get(normalise_choice(s)) if isinstance(s, str) else None)
    bad = out.isna() & ~blank
    return out.astype(TEXT), bad


def _parse_one_kind(values: pd.Series, column: Column, date_order: str = "mdy") -> tuple[pd.Series, pd.Series]:
    kind = column.kind
    if kind is Kind.MONEY:
        return parse_number(values, money=True)
    if kind is Kind.NUMBER:
        return parse_number(values, ratio=True)
    if kind is Kind.PERCENT:
        return parse_number(values, percent=True)
    if kind is Kind.INT:
        return parse_int(values)
    if kind is Kind.DATE:
        return parse_date(values, date_order)
    if kind is Kind.BOOL:
        return parse_bool(values)
    if kind is Kind.CHOICE:
        return parse_choice(values, column)
    return parse_text(values, identifier=kind is Kind.ID)


def _worth_factorising(values: pd.Series) -> bool:
    """A long object column whose first 1,000 cells repeat (dates, statuses, the rep of a deal), worth
    parsing once per distinct value; id and amount columns are not, and are not factorised.  Parsing
    per distinct value also hands the engines one string object per distinct id, cheap to hash.

    Factorising takes values that compare equal as one (True and 1, False and 0), which would give every
    such cell the parse of whichever came first: a column mixing booleans and numbers is parsed cell by cell.
    """
    if values.dtype != object or len(values) <= 1000 or values.iloc[:1000].nunique() * 2 >= 1000:
        return False
    types = set(map(type, values.to_numpy(dtype=object)))
    booleans = {t for t in types if issubclass(t, bool | np.bool_)}
    return not (booleans and any(issubclass(t, numbers.Number) for t in types - booleans))


def parse_column(values: pd.Series, column: Column, date_order: str = "mdy") -> tuple[pd.Series, pd.Series]:
    """Parse a column; long repetitive columns are parsed once per distinct value (same result)."""
    if _worth_factorising(values):
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        if len(uniques) * 4 < len(values):
            parsed_u, bad_u = _parse_one_kind(pd.Series(uniques, dtype=object), column, date_order)
            if (codes < 0).any():  # blanks: parse one None to get the right missing value
                parsed_na, _ = _parse_one_kind(pd.Series([None], dtype=object), column)
                parsed_u = pd.concat([parsed_u, parsed_na], ignore_index=True)
                bad_u = pd.concat([bad_u, pd.Series([False])], ignore_index=True)
                codes = np.where(codes < 0, len(uniques), codes)
            parsed = parsed_u.take(codes)
            parsed.index = values.index
            bad = pd.Series(bad_u.to_numpy(dtype=bool)[codes], index=values.index)
            return parsed, bad
    return _parse_one_kind(values, column, date_order)


def _text_of_number(v: float) -> str:
    """A number cell in a text column, as ``parse_text`` writes it."""
    return str(int(v)) if v.is_integer() else str(v)


_PADDED_MIN = 1_000   # fewer texts: asked one by one


def _padded(texts: list[str]) -> Iterable[int]:
    """Where a text is empty or has whitespace (``str.isspace``) at either end: the only texts that
    ``strip`` changes or ``isspace`` finds blank. Why: a table's ids are hundreds of thousands of distinct
    texts, and asking each of them was the larger part of checking a 200,000-deal Deals table. Arrow takes
    each text's first and last character; whether a character is whitespace is asked of Python, once per
    distinct one, so the answer is Python's own."""
    if pa is None or len(texts) < _PADDED_MIN:
        return range(len(texts))
    try:
        arr = pa.array(texts, type=pa.large_string())
    except (pa.ArrowException, UnicodeError):   # e.g. a lone surrogate: every text asked
        return range(len(texts))
    padded = np.asarray(pc.equal(pc.binary_length(arr), 0), dtype=bool)
    for end in (pc.utf8_slice_codeunits(arr, 0, 1), pc.utf8_slice_codeunits(arr, -1)):
        chars = pc.dictionary_encode(end)
        space = np.array([c.isspace() for c in chars.dictionary.to_pylist()], dtype=bool)
        padded |= space[chars.indices.to_numpy(zero_copy_only=False)]
    return np.flatnonzero(padded).tolist()


def _all_blank(col: TypedColumn) -> bool:
    """No cell of the column holds a value: an optional column left blank, which the typed read hands over
    as text (it cannot tell a type from no value)."""
    return col.kind == "text" and bool((np.asarray(col.values) < 0).all())


def parse_typed(col: TypedColumn, column: Column, index: pd.Index) -> tuple[pd.Series, pd.Series] | None:
    """A column read as typed values, parsed as ``parse_column`` parses the same cells one by one.

    Computed on whole arrays, or once per distinct text.  None when the cells are not of a type this
    column accepts as is, or when any would be refused: the cell-by-cell checks then locate and word
    each bad cell.
    """
    kind, n = column.kind, len(index)
    none = pd.Series(np.zeros(n, dtype=bool), index=index)
    if kind in (Kind.MONEY, Kind.NUMBER, Kind.PERCENT, Kind.INT, Kind.DATE, Kind.BOOL) and _all_blank(col):
        return parse_column(pd.Series(None, index=index, dtype=object), column)
    if kind in (Kind.MONEY, Kind.NUMBER, Kind.PERCENT, Kind.INT):
        if col.kind != "number":
            return None
        numbers = pd.Series(col.values, index=index, dtype="float64")
        if kind is not Kind.INT:
            return numbers, none
        parsed, bad = parse_int(numbers)
        return (parsed, bad) if not bad.any() else None
    if kind is Kind.DATE:
        if col.kind != "date":
            return None
        return pd.Series(col.values, index=index).dt.normalize().astype("datetime64[ns]"), none
    if kind is Kind.BOOL:
        if col.kind != "bool":
            return None
        return pd.Series(pd.array(col.values == 1, dtype="boolean").copy(), index=index).mask(col.values < 0), none
    if col.kind == "number":  # ids and names typed as numbers: as parse_text writes them, once per value
        blank = np.isnan(col.values)
        uniques, codes = np.unique(col.values[~blank], return_inverse=True)
        texts = [_text_of_number(v) for v in uniques.tolist()]
        full = np.full(n, -1, dtype=np.int64)
        full[~blank] = codes
        col = TypedColumn("text", full, texts)
    if col.kind != "text":
        return None
    texts = col.texts or []
    if kind is Kind.CHOICE:
        lookup = choice_lookup(column.choices)
        shown = [None if not t or t.isspace() else t for t in texts]
        out = [lookup.get(normalise_choice(t)) if t is not None else None for t in shown]
        if any(o is None and t is not None for o, t in zip(out, shown, strict=True)):
            return None  # a value outside the choices: worded cell by cell
    else:
        out = list(texts)
        strip = kind is Kind.ID
        for k in _padded(texts):   # the others have nothing to strip and are not blank
            t = texts[k]
            out[k] = None if not t or t.isspace() else t.strip() if strip else t
    table = np.array([*out, None], dtype=object)
    return pd.Series(pd.array(table[col.values], dtype=TEXT), index=index), none
