"""Reading a 100k-row Deals table: calamine (salesbook's path) vs openpyxl, validated and loaded.

Goal from the foundation issue: a 100k-row table validated and loaded in <= 1.5 s on this machine.
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from pathlib import Path

import openpyxl
import pandas as pd

from salesbook.book.base import RawTable
from salesbook.book.file_book import FileBook
from salesbook.book.template import write_book
from salesbook.book.validate import load_book, read_table
from salesbook.demo import build_demo_tables
from salesbook.schemas import REGISTRY


def _make_book(rows: int, folder: Path) -> Path:
    scale = rows / 20_000
    tables = build_demo_tables("en", scale=scale)
    tables["Deals"] = tables["Deals"].head(rows)
    keep = {k: tables[k] for k in ("Settings", "Products", "Regions", "Reps", "Deals")}
    return write_book(folder / f"deals_{rows}.xlsx", "en", keep)


def _openpyxl_raw(path: Path) -> RawTable:
    """The same table read with openpyxl (read-only mode, its fastest path)."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = wb["Deals"]
    it = ws.iter_rows(values_only=True)
    headers = list(next(it))
    rows = [list(r) for r in it if any(v is not None for v in r)]
    wb.close()
    return RawTable(name="Deals", sheet="Deals", headers=headers, rows=rows)


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def run(args) -> list[tuple[str, str, str]]:
    rows = 20_000 if args.quick else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        path = _make_book(rows, Path(tmp))
        deals = REGISTRY["Deals"]

        def calamine_read_only() -> None:
            with FileBook(path) as b:
                b.read_raw("Deals")

        def calamine_validated() -> None:
            with FileBook(path) as b:
                frame, problems, _ = read_table(b.read_raw("Deals"), deals)
                assert not problems and len(frame) == rows

        def whole_book() -> None:
            with FileBook(path) as b:
                load_book(b)

        def openpyxl_validated() -> None:
            frame, problems, _ = read_table(_openpyxl_raw(path), deals)
            assert not problems and len(frame) == rows

        t_cal_raw = _best(calamine_read_only, args.repeat)
        t_cal = _best(calamine_validated, args.repeat)
        t_book = _best(whole_book, args.repeat)
        t_opx = _best(openpyxl_validated, max(1, args.repeat - 1))
        tracemalloc.start()
        calamine_validated()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        size = path.stat().st_size
    return [
        (f"{rows:,}-row Deals: calamine read (raw cells)", f"{t_cal_raw:.3f} s", f"file {size / 1e6:.1f} MB"),
        (f"{rows:,}-row Deals: calamine read + validate", f"{t_cal:.3f} s", "goal <= 1.5 s at 100k"),
        (f"{rows:,}-row Deals: openpyxl read + validate", f"{t_opx:.3f} s",
         f"calamine is {t_opx / t_cal:.1f}x faster"),
        ("whole book incl. foreign keys (load_book)", f"{t_book:.3f} s", "Settings, Products, Regions, Reps, Deals"),
        ("peak Python memory, calamine + validate", f"{peak / 1e6:.0f} MB", "tracemalloc"),
    ]


if __name__ == "__main__":  # pragma: no cover
    import argparse

    print(pd.DataFrame(run(argparse.Namespace(quick=False, repeat=3))))
