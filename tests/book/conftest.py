from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table


@pytest.fixture()
def make_book(tmp_path):
    """Write a real .xlsx: {sheet: [header, *rows]}; each sheet becomes an Excel Table named like the sheet
    unless ``tables=False``."""

    def make(sheets: dict[str, list[list]], name: str = "book.xlsx", tables: bool = True,
             table_names: dict[str, str] | None = None) -> Path:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for title, rows in sheets.items():
            ws = wb.create_sheet(title)
            for r in rows:
                ws.append(r)
            if tables and rows:
                ref = f"A1:{get_column_letter(len(rows[0]))}{max(len(rows), 2)}"
                display = (table_names or {}).get(title, title)
                ws.add_table(Table(displayName=display, ref=ref))
        path = tmp_path / name
        wb.save(path)
        return path

    return make


BASE = {
    "Settings": [["key", "value"], ["language", "en"]],
    "Products": [["product_id", "name", "product_line"], ["P1", "Sensor", "Hardware"], ["P2", "Licence", "Software"]],
    "Regions": [["region_id", "name"], ["EAST", "East"], ["WEST", "West"]],
    "Reps": [["rep_id", "name", "region_id", "role", "hire_date"],
             ["R1", "Ann", "EAST", "rep", "2024-01-01"], ["R2", "Bob", "WEST", "manager", "2023-05-01"]],
    "Deals": [["deal_id", "date", "rep_id", "product_id", "amount"],
              ["D1", "2026-01-05", "R1", "P1", 1000], ["D2", "2026-02-05", "R2", "P2", 2500.5]],
}


@pytest.fixture()
def base_sheets():
    return {k: [list(r) for r in v] for k, v in BASE.items()}
