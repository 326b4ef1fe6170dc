"""The two cell readers behind FileBook hand over the same grid, so a book reads the same with or without
python-calamine (xlwings Lite's Pyodide has none): real .xlsx files, read by both."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill

from salesbook.book import cells
from salesbook.book.file_book import FileBook
from salesbook.book.validate import load_book
from salesbook.errors import InputError

CORPUS = Path(__file__).resolve().parents[1] / "data" / "malformed"


def _outcome(path: Path, engine: str) -> tuple:
    """What validation makes of a book read by ``engine``: its tables and warnings, or its problems."""
    try:
        with FileBook(path, engine=engine) as book:
            loaded = load_book(book)
    except InputError as exc:
        return ("problems", [p.render("en") for p in exc.problems])
    return ("tables", loaded.tables, [w.render("en") for w in loaded.warnings])


def _assert_same(a: tuple, b: tuple) -> None:
    assert a[0] == b[0]
    if a[0] == "problems":
        assert a[1] == b[1]
        return
    assert list(a[1]) == list(b[1])
    for name in a[1]:
        assert a[1][name].equals(b[1][name]), name
    assert a[2] == b[2]


def test_both_readers_give_the_same_grid_in_calamines_conventions(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cells"
    ws["B3"] = 5                                   # a whole number: Excel keeps a float
    ws["C3"] = 2.5
    ws["D3"] = dt.datetime(2026, 3, 1)             # midnight: a date
    ws["E3"] = dt.datetime(2026, 3, 1, 13, 5)      # a time of day: a datetime
    ws["F3"] = True
    ws["B5"] = "text"                              # row 4 missing from the file, A blank everywhere
    for row in range(6, 40):                       # formatted but empty rows and a column beyond the values
        ws.cell(row=row, column=9).fill = PatternFill("solid", fgColor="FFFF00")
    path = tmp_path / "cells.xlsx"
    wb.save(path)

    fast, plain = cells.open_cells(path, "calamine"), cells.open_cells(path, "openpyxl")
    grid = plain.sheet_grid("Cells")
    assert grid == fast.sheet_grid("Cells")
    assert grid == [["", "", "", "", "", ""],
                    ["", "", "", "", "", ""],
                    ["", 5.0, 2.5, dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 13, 5), True],
                    ["", "", "", "", "", ""],
                    ["", "text", "", "", "", ""]]
    assert type(grid[2][1]) is float and type(grid[2][3]) is dt.date
    fast.close()
    plain.close()


# The corpus books whose mistakes are in the cells themselves (errors, dates, headers, layout); the others differ
# from the demo book only in values both readers hand over alike.
READING_CASES = ["cached_div0", "cached_na", "dates_as_text", "duplicate_header", "merged_header_cells",
                 "missing_sheet", "mixed_zh_en_headers", "numbers_stored_as_text", "empty_deals", "zh_messages",
                 "encrypted", "not_a_workbook", "truncated", "xml_bomb", "zip_bomb"]


def test_the_reading_cases_are_in_the_corpus():
    names = {c["name"] for c in json.loads((CORPUS / "cases.json").read_text())}
    assert set(READING_CASES) <= names


@pytest.mark.slow
@pytest.mark.parametrize("case", READING_CASES)
def test_corpus_books_validate_the_same_with_either_reader(case):
    path = CORPUS / f"{case}.xlsx"
    _assert_same(_outcome(path, "calamine"), _outcome(path, "openpyxl"))


@pytest.mark.slow
def test_the_demo_book_loads_the_same_with_either_reader(small_book):
    _assert_same(_outcome(small_book, "calamine"), _outcome(small_book, "openpyxl"))


def test_tables_are_found_from_the_package_when_the_reader_lists_none(make_book, base_sheets):
    base_sheets["Deals"] = [["deal_id", "date", "rep_id", "product_id", "amount"], ["D1", "2026-01-05", "R1", "P1", 7]]
    path = make_book(base_sheets, table_names={"Deals": "成交"})  # the zh table label names the Deals table
    with FileBook(path, engine="openpyxl") as book:
        assert "Deals" in book.table_names()
        raw = book.read_raw("Deals")
    assert raw is not None and raw.rows == [["D1", "2026-01-05", "R1", "P1", 7.0]]


def test_without_python_calamine_the_file_adapter_reads_with_openpyxl(monkeypatch, make_book, base_sheets):
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # as where it cannot be installed
    assert cells.default_engine() == "openpyxl"
    with FileBook(make_book(base_sheets)) as book:
        assert isinstance(book._wb, cells._OpenpyxlCells)
        deals = book.read_raw("Deals")
    assert deals is not None and deals.rows[1] == ["D2", "2026-02-05", "R2", "P2", 2500.5]


def test_an_unknown_reader_is_refused(tmp_path):
    with pytest.raises(ValueError, match="calamine, openpyxl"):
        cells.open_cells(tmp_path / "book.xlsx", "xlrd")


def test_a_broken_workbook_part_is_an_input_problem_with_either_reader(tmp_path, make_book, base_sheets):
    import zipfile

    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(make_book(base_sheets)) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, b"<workbook" if info.filename == "xl/workbook.xml" else data)
    for engine in cells.ENGINES:
        with pytest.raises(InputError) as info:
            FileBook(path, engine=engine)
        assert "cannot be read as a workbook" in info.value.problems[0].text("en")
