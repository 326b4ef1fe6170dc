"""Test helpers shared across folders: a workbook held in memory (imported by tests; see conftest.py)."""

from __future__ import annotations

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
