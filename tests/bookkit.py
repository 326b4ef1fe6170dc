"""Test helpers shared across folders: a workbook held in memory, and a real one run through the command line
(imported by tests; see conftest.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from salesbook.book.base import RawTable


class MemoryBook:
    """The Book interface over raw tables held in memory (what a workbook adapter hands validation)."""

    def __init__(self, tables: dict[str, RawTable]):
        self.tables = tables

    def table_names(self) -> list[str]:
        return list(self.tables)

    def read_raw(self, name: str) -> RawTable | None:
        return self.tables.get(name)

    def write_table(self, name: str, frame: pd.DataFrame, *, lang: str = "en") -> None:  # pragma: no cover
        raise AssertionError("the calculation must not write")


# -- a real workbook through the command line ------------------------------------------------------------------
def salesbook_cli(*args: str) -> subprocess.CompletedProcess:
    """`python -m salesbook ARGS` in a fresh process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "salesbook", *args], capture_output=True, text=True, timeout=600)


def computed_book(folder: Path, stem: str, lang: str, tables: dict[str, pd.DataFrame]) -> tuple[Path, Any]:
    """The book written from ``tables`` and computed by `salesbook run` (which must succeed): (computed, process)."""
    from salesbook.book.template import write_book

    book = write_book(folder / f"{stem}_{lang}.xlsx", lang, tables)
    out = folder / "computed.xlsx"
    r = salesbook_cli("run", str(book), "--out", str(out))
    assert r.returncode == 0, r.stderr
    return out, r


def out_sheet(path: Path, name: str) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name=name, engine="calamine")


def by_lang(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en
