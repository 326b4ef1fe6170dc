"""Reading some columns of a large table (what a report needs of a computed book): the columns read hold
exactly what a whole read gives, the others are not read, and what is read is checked as validation checks
it, with the same located messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.table import Table

from salesbook.book import readers
from salesbook.book.base import TypedTable
from salesbook.book.file_book import FileBook
from salesbook.book.runinfo import fingerprint
from salesbook.book.validate import load_book, load_columns
from salesbook.errors import InputError

pytestmark = pytest.mark.skipif(readers.fastexcel is None, reason="fastexcel not installed")

HEADERS = ["deal_id", "date", "rep_id", "product_id", "customer", "amount"]


def _deals(n: int = 12) -> list[list]:
    return [[f"D{i}", dt.date(2026, 1, 1 + i % 28), "R1" if i % 2 else "R2", "P1", f"Customer {i % 3}", 100.0 + i]
            for i in range(n)]


def _book(tmp_path: Path, base_sheets: dict, deals: list[list], headers: list[str] = HEADERS) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in {**base_sheets, "Deals": [headers, *deals]}.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
        ws.add_table(Table(displayName=title, ref=f"A1:{chr(64 + len(rows[0]))}{max(len(rows), 2)}"))
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


@pytest.fixture(autouse=True)
def _typed_small_tables(monkeypatch):
    monkeypatch.setenv("SALESBOOK_TYPED_READ", "1")
    monkeypatch.setenv("SALESBOOK_TYPED_MIN_ROWS", "1")   # these small tables take the large tables' path


def test_the_columns_read_hold_what_the_whole_read_holds_and_the_others_are_not_read(tmp_path, base_sheets):
    path = _book(tmp_path, base_sheets, _deals())
    with FileBook(path) as book:
        some = book.read_columns("Deals", ("rep_id", "amount"))
    with FileBook(path) as book:
        whole = book.read_raw("Deals")
    assert isinstance(some, TypedTable) and some.partial and not whole.partial
    assert [c is not None for c in some.columns] == [False, False, True, False, False, True]
    assert some.headers == whole.headers and some.row_numbers == whole.row_numbers == list(range(2, 14))
    for j in (2, 5):
        assert some.columns[j].cells() == whole.columns[j].cells()
    with pytest.raises(ValueError, match="some columns only"):
        fingerprint(some)   # a digest of part of a table must never stand for the whole of it


def test_rows_blank_in_the_columns_read_are_left_out_and_the_cell_read_keeps_to_the_rows_kept(tmp_path, base_sheets):
    deals = _deals(6)
    deals[2] = [None, None, None, None, "only a customer", None]   # blank in rep_id and amount
    path = _book(tmp_path, base_sheets, deals)
    with FileBook(path) as book:
        some = book.read_columns("Deals", ("rep_id", "amount"))
        cells = some.cell_table()
    assert some.row_numbers == [2, 3, 5, 6, 7]          # Excel row 4 holds nothing that was asked for
    assert cells.row_numbers == some.row_numbers         # so a column read cell by cell lines up with them
    assert [r[5] for r in cells.rows] == [100.0, 101.0, 103.0, 104.0, 105.0]
    assert some.warnings == []   # a row blank in two columns is not a blank row of the table


def test_a_column_the_typed_read_cannot_vouch_for_is_read_cell_by_cell_with_the_same_result(tmp_path, base_sheets):
    deals = _deals()
    deals[3][5] = "1,200"   # text in the amount column
    path = _book(tmp_path, base_sheets, deals)
    with FileBook(path) as book:
        some = book.read_columns("Deals", ("rep_id", "amount"))
        amounts = [r[5] for r in some.rows]
        frame = load_columns(book, {"Deals": ("rep_id", "amount")}).tables["Deals"]
    assert amounts[3] == "1,200" and amounts[4] == 104.0
    assert frame.loc[5, "amount"] == 1200.0   # parsed as validation parses it (Excel row 5)


def test_load_columns_gives_the_columns_load_book_gives(demo_book_zh):
    wanted = {"Settings": None, "Reps": ("rep_id", "name", "region_id"), "Deals": ("rep_id", "date", "amount")}
    with FileBook(demo_book_zh) as book:
        some = load_columns(book, wanted)
    with FileBook(demo_book_zh) as book:
        whole = load_book(book)
    assert some.settings == whole.settings
    for name, columns in wanted.items():
        frame = whole.tables[name]
        expected = frame if columns is None else frame[[c for c in frame.columns if c in columns]]  # schema order
        pd.testing.assert_frame_equal(some.tables[name], expected, check_exact=True)
    assert len(some.tables["Deals"]) >= 20_000


def test_a_bad_cell_in_a_column_read_is_located_and_one_in_a_column_not_read_is_not_looked_at(tmp_path, base_sheets):
    deals = _deals()
    deals[4][5] = "n/a"                  # amount, Excel row 6: read
    deals[7][1] = "not a date"           # date, Excel row 9: not read
    path = _book(tmp_path, base_sheets, deals)
    with FileBook(path) as book, pytest.raises(InputError) as err:
        load_columns(book, {"Reps": None, "Deals": ("rep_id", "amount")})
    assert [(p.sheet, p.row, p.text("en")) for p in err.value.problems] == [("Deals", 6, "'n/a' is not an amount.")]
    assert "amount (F)" in err.value.render("en")


def test_a_reference_to_a_row_missing_from_what_was_read_is_an_error(tmp_path, base_sheets):
    deals = _deals()
    deals[1][2] = "R9"   # no such rep
    path = _book(tmp_path, base_sheets, deals)
    with FileBook(path) as book, pytest.raises(InputError) as err:
        load_columns(book, {"Reps": ("rep_id",), "Deals": ("rep_id", "amount")})
    [p] = err.value.problems
    assert (p.sheet, p.row) == ("Deals", 3) and "'R9' is not in sheet 'Reps'" in p.text("en")
