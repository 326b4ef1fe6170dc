"""Explanation texts for many rows at once, the same characters a per-row ``str.format`` gives.

An explanation column repeats one sentence with a few numbers and names filled in. Formatting it row by
row costs a Python call per field per row; most fields take few distinct values (KPI names, ratings,
months, ranks, targets), so each distinct value is formatted once here and the rows are assembled from
the pieces by one C-level join per row. ``format(value, spec)`` is exactly what ``str.format`` calls for a
``{name:spec}`` field, and distinct floats are told apart by their bits (0.0 and -0.0 print differently),
so the texts are the per-row ones character for character.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

_FORMATTER = string.Formatter()


def _values(column: Any, n: int) -> np.ndarray:
    """A field's values as a numpy array of length n (a scalar is repeated)."""
    if isinstance(column, pd.Series | pd.Index):
        return column.to_numpy() if isinstance(column.dtype, np.dtype) else column.to_numpy(dtype=object)
    arr = np.asarray(column)
    if arr.ndim == 0:
        out = np.empty(n, dtype=object)
        out[:] = [column] * n
        return out
    return arr


def formatted(column: Any, spec: str, n: int) -> np.ndarray:
    """``format(v, spec)`` of every value, as an object array of str, each distinct value formatted once."""
    if np.ndim(column) == 0 and not isinstance(column, pd.Series | pd.Index):
        out = np.empty(n, dtype=object)
        out[:] = [format(column, spec)] * n
        return out
    arr = _values(column, n)
    if arr.dtype.kind == "f":
        codes, uniques = pd.factorize(arr.astype(np.float64).view(np.int64))
        firsts = uniques.view(np.float64).tolist()
    elif arr.dtype.kind in "iub":
        codes, uniques = pd.factorize(arr)
        firsts = uniques.tolist()
    elif arr.dtype.kind in "OUT" and pd.api.types.infer_dtype(arr, skipna=False) == "string":
        codes, uniques = pd.factorize(arr.astype(object))   # str only: equality is identity of the text
        firsts = list(uniques)
    else:   # dates, or mixed kinds (1 == 1.0 == True would share one text): one call per row, as iterated
        return np.array([format(v, spec) for v in column], dtype=object)
    texts = np.array([format(v, spec) for v in firsts], dtype=object)
    return texts[codes]


def format_rows(template: str, n: int, /, **columns: Any) -> np.ndarray:
    """``template.format(**row)`` for each of n rows (columns: arrays, Series or scalars, by field name), as
    an object array of str (``n`` is positional only: a field may be called n). Fields with a conversion (``!r``) or an index (``{a[0]}``) are formatted per row."""
    pieces: list[Any] = []
    simple = True
    for literal, name, spec, conversion in _FORMATTER.parse(template):
        if literal:
            pieces.append(literal)
        if name is None:
            continue
        if conversion is not None or not name.isidentifier() or "{" in (spec or ""):
            simple = False
            break
        pieces.append(formatted(columns[name], spec or "", n))
    if not simple:
        cols = {k: _values(v, n) for k, v in columns.items()}
        return np.array([template.format(**{k: c[i] for k, c in cols.items()}) for i in range(n)], dtype=object)
    out = np.empty(n, dtype=object)
    out[:] = list(map("".join, zip(*(itertools.repeat(p, n) if isinstance(p, str) else p for p in pieces),
                                   strict=True))) if pieces else ""
    return out


def join_nonempty(sep: str, parts: Sequence[Any], n: int) -> np.ndarray:
    """``sep.join(x for x in row if x)`` for each row of the given columns, as an object array of str."""
    out = np.full(n, "", dtype=object)
    started = np.zeros(n, dtype=bool)
    for part in parts:
        col = np.array(part, dtype=object) if isinstance(part, list) else _values(part, n).astype(object)
        has = col.astype(bool)
        if has.all() and not started.any():
            out = col.copy()
        else:
            both, only = has & started, has & ~started
            out[both] = out[both] + sep + col[both]
            out[only] = col[only]
        started |= has
    return out
