"""Which library reads a workbook file's cells: the one place that chooses.

- fastexcel (Rust, calamine underneath) when it and pyarrow are installed: a large table's columns come
  over as typed Arrow arrays, without a Python object per cell (``TypedReader``);
- python-calamine for everything read cell by cell (small tables, plain ranges, and any column the
  typed read cannot vouch for), in ``file_book``.

Both are optional at this seam: without fastexcel every table is read cell by cell, with the same
result (``open_typed`` returns None).  A typed read is only ever used for a column whose every cell is
of one type, which fastexcel's strict type check (over all rows, not a sample) guarantees; anything
else (a mixed column, a text a number column would have to parse, an error value, a date outside the
range validation accepts) is left to the cell-by-cell checks, column by column.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from salesbook.book.base import TypedColumn
from salesbook.book.memory import arrow_on_system_heap

try:  # optional: neither is available in every Python (xlwings Lite / Pyodide)
    import fastexcel
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError:  # pragma: no cover - exercised where fastexcel is not installed
    fastexcel = None  # type: ignore[assignment]
else:
    # fastexcel logs a warning for a column with no value ("Could not determine dtype for column 9, falling
    # back to string"): an optional column left blank, which is fine. Without a logging set-up, Python's
    # last-resort handler prints it on the user's console.
    logging.getLogger("fastexcel").setLevel(logging.ERROR)

if fastexcel is not None:
    arrow_on_system_heap()

TYPED_MIN_ROWS = 2_000  # smaller tables are read cell by cell: quick either way, and one reader fewer
_RETRIES = 3  # mixed columns set aside one by one before the whole table is read cell by cell
_FAILED_COLUMN = re.compile(r"could not determine dtype for column c(\d+)\b")
_MIN_MS = np.datetime64("1900-01-01", "ms")
_END_MS = np.datetime64("2262-01-01", "ms")  # validation's dates end with 2261 (pandas' nanosecond timestamps)


def typed_reading() -> bool:
    """Whether typed column reads are available (and not switched off with SALESBOOK_TYPED_READ=0)."""
    return fastexcel is not None and os.environ.get("SALESBOOK_TYPED_READ", "1") != "0"


def typed_min_rows() -> int:
    """Tables with fewer data rows are read cell by cell (SALESBOOK_TYPED_MIN_ROWS overrides, e.g. 1 to run
    a test suite's small books through the typed read)."""
    return int(os.environ.get("SALESBOOK_TYPED_MIN_ROWS", TYPED_MIN_ROWS))


@dataclass
class TypedRead:
    """A table's columns as typed (None where not typed) and the sheet's extent as the reader saw it."""

    columns: list[TypedColumn | None]
    rows: int             # data rows read (trailing rows without any value may be missing)
    sheet_rows: int       # rows from the top of the sheet to its last row holding a value


class TypedReader:
    """Typed reads of rectangular areas of a workbook's sheets (one open file)."""

    def __init__(self, path: str | Path):
        self._reader = fastexcel.read_excel(str(path))

    def read(self, sheet: str, first_row: int, last_row: int, left: int, right: int,
             keep: Sequence[int] | None = None) -> TypedRead | None:
        """Rows ``first_row..last_row`` (1-based Excel rows, data only), columns ``left..right``; with ``keep``
        only those columns (0-based within ``left..right``), the others left None.

        None when fastexcel cannot read the sheet at all (the caller reads it cell by cell)."""
        width = right - left + 1
        wanted = sorted(set(keep)) if keep is not None else list(range(width))
        forced: dict[int, str] = {}
        for _ in range(_RETRIES + 1):
            try:
                sheet_obj = self._reader.load_sheet(
                    sheet, header_row=None, column_names=[f"c{j}" for j in wanted], skip_rows=first_row - 1,
                    n_rows=max(last_row - first_row + 1, 0), use_columns=[left - 1 + j for j in wanted],
                    schema_sample_rows=None, dtype_coercion="strict",
                    dtypes={left - 1 + j: t for j, t in forced.items()} or None)
                batch, errors = sheet_obj.to_arrow_with_errors()
            except Exception as exc:  # fastexcel raises its own error types; any failure means cell by cell
                m = _FAILED_COLUMN.search(str(exc))
                if m is None or int(m.group(1)) in forced:
                    return None
                forced[int(m.group(1))] = "string"  # a mixed column: set aside, read cell by cell
                continue
            break
        else:
            return None
        # an error's column is the sheet's (0-based), not the position among the columns read
        bad = {e.offset_position[1] - (left - 1) for e in errors.errors} if errors is not None else set()
        columns: list[TypedColumn | None] = [None] * width
        for k, j in enumerate(wanted[:batch.num_columns]):
            columns[j] = None if j in forced or j in bad else _typed(batch.column(k))
        return TypedRead(columns=columns, rows=batch.num_rows, sheet_rows=sheet_obj.total_height)


def _typed(arr: Any) -> TypedColumn | None:
    """An Arrow column as a ``TypedColumn``; None for what validation must see cell by cell."""
    t = arr.type
    if pa.types.is_null(t):
        return TypedColumn("text", np.full(len(arr), -1, dtype=np.int64), [])
    if pa.types.is_floating(t) or pa.types.is_integer(t):
        values = arr.cast(pa.float64()).to_numpy(zero_copy_only=False)
        valid = ~np.asarray(arr.is_null(), dtype=bool)
        if not np.isfinite(values[valid]).all():  # "nan" or "inf" typed as text: the cell checks say why
            return None
        return TypedColumn("number", values)
    if pa.types.is_timestamp(t) or pa.types.is_date(t):
        values = arr.cast(pa.timestamp("ms")).to_numpy(zero_copy_only=False).astype("datetime64[ms]")
        seen = values[~np.isnat(values)]
        if len(seen) and (seen.min() < _MIN_MS or seen.max() >= _END_MS):
            return None
        return TypedColumn("date", values)
    if pa.types.is_boolean(t):
        values = np.where(np.asarray(arr.is_null(), dtype=bool), -1,
                          np.asarray(arr.fill_null(False), dtype=np.int8)).astype(np.int8)
        return TypedColumn("bool", values)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        encoded = pc.dictionary_encode(arr)
        codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        texts = encoded.dictionary.to_pylist()
        if "" in texts:  # an empty text is a blank cell, as the cell-by-cell reader gives blanks
            codes[codes == texts.index("")] = -1
        return TypedColumn("text", codes, texts)
    return None  # durations and anything newer


Area = tuple[str, int, int, int, int]  # sheet, first and last row, left and right column (1-based)


class TypedPrefetch:
    """Typed reads of several areas at once, on two threads with a reader each: fastexcel parses with the
    interpreter released, so two large sheets are read side by side on two cores (same CPU, less wall time)."""

    def __init__(self, path: str | Path, areas: list[Area], workers: int = 2, reader: TypedReader | None = None):
        self._path = path
        self._local = threading.local()
        self._spare = [reader] if reader is not None else []   # opened already: the first thread takes it over
        self._spare_lock = threading.Lock()
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="typed-read")
        self._futures = {area: self._pool.submit(self._read, area) for area in areas}

    def _read(self, area: Area, keep: Sequence[int] | None = None) -> TypedRead | None:
        reader = getattr(self._local, "reader", None)
        if reader is None:
            with self._spare_lock:
                reader = self._spare.pop() if self._spare else None
            self._local.reader = reader = reader or TypedReader(self._path)
        return reader.read(*area, keep=keep)

    def read(self, area: Area, keep: Sequence[int] | None = None) -> TypedRead | None:
        """The read of ``area`` (started now if it was not asked for up front); with ``keep`` only those
        columns (0-based within the area), never a prefetched whole."""
        if keep is not None:
            return self._pool.submit(self._read, area, keep).result()
        future = self._futures.pop(area, None) or self._pool.submit(self._read, area)
        return future.result()

    def completed(self, areas: Sequence[Area]) -> Iterator[Area]:
        """``areas`` as their reads end (any not read ahead last, in the order given), without taking them:
        ``read`` still hands each over."""
        pending = {self._futures[a]: a for a in areas if a in self._futures}
        for future in concurrent.futures.as_completed(pending):
            yield pending[future]
        yield from (a for a in areas if a not in pending.values())

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class Opening:
    """A typed reader being opened on a thread of its own, started before it is needed.

    Why: opening reads the workbook's shared strings (0.2 s of CPU for the 393,000 texts of a 200k-deal book
    saved with them, as Excel saves every book), and so does the cell-by-cell reader's. Both let the interpreter
    run meanwhile, so started together they take the time of one."""

    def __init__(self, path: str | Path):
        self._thread_pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="typed-open")
        self._future = self._thread_pool.submit(_opened, path)
        self._thread_pool.shutdown(wait=False)

    def result(self) -> TypedReader | None:
        """The opened reader; None where fastexcel cannot open the file."""
        return self._future.result()


def _opened(path: str | Path) -> TypedReader | None:
    try:
        return TypedReader(path)
    except Exception:  # fastexcel raises its own error types; the cell-by-cell reader says what is wrong
        return None


def start_opening(path: str | Path) -> Opening | None:
    """Start opening a typed reader for ``path`` now (``Opening``); None where typed reads are not available."""
    return Opening(path) if typed_reading() else None


def open_typed(path: str | Path, areas: list[Area], opening: Opening | None = None) -> TypedPrefetch | None:
    """Typed reads for ``path``, the given areas started at once; None where fastexcel is not installed or
    cannot open the file. The reader that showed the file opens (``opening``'s, when one was started) does the
    first read, not thrown away."""
    if not typed_reading():
        return None
    reader = opening.result() if opening is not None else _opened(path)
    return TypedPrefetch(path, areas, reader=reader) if reader is not None else None
