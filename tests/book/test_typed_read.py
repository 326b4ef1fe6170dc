"""Column-wise typed reads (fastexcel) give exactly what the cell-by-cell read gives: the same frames,
the same problems and warnings word for word, the same fingerprints; a column the typed read cannot
vouch for (mixed cells, text in a number column, an error value, a date typed as text) is read cell by
cell, and only that column."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.table import Table

from salesbook.book import readers
from salesbook.book.base import TypedTable
from salesbook.book.file_book import FileBook
from salesbook.book.runinfo import input_fingerprints
from salesbook.book.validate import load_book
from salesbook.errors import InputError

pytestmark = pytest.mark.skipif(readers.fastexcel is None, reason="fastexcel not installed")

DEALS = ["deal_id", "date", "rep_id", "product_id", "amount"]


def _deals(n: int = 12) -> list[list]:
    return [[f"D{i}", dt.date(2026, 1, 1 + i % 28), "R1" if i % 2 else "R2", "P1", 100.0 + i] for i in range(n)]


def _book(tmp_path: Path, base_sheets: dict, deals: list[list], *, below: list | None = None,
          error_at: str | None = None, headers: list[str] = DEALS) -> Path:
    """The base book with ``deals`` under the Deals headers (cells written as given, dates as dates)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    sheets = {**base_sheets, "Deals": [headers, *deals]}
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
        last = max(len(rows), 2)
        ws.add_table(Table(displayName=title, ref=f"A1:{chr(64 + len(rows[0]))}{last}"))
        if title == "Deals" and below is not None:
            ws.append([])
            ws.append(below)
    if error_at:
        cell = wb["Deals"][error_at]
        cell.value, cell.data_type = "#N/A", "e"
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


def _load(path: Path, monkeypatch, typed: bool):
    monkeypatch.setenv("SALESBOOK_TYPED_READ", "1" if typed else "0")
    with FileBook(path) as book:
        raw = book.read_raw("Deals")
        try:
            loaded = load_book(book)
            out = (loaded.tables, [w.text("en") for w in loaded.warnings], [w.text("zh") for w in loaded.warnings], [])
        except InputError as exc:
            out = (None, [], [], [(p.text("en"), p.text("zh")) for p in exc.problems])
        return raw, out, input_fingerprints(book)


def _same(path: Path, monkeypatch) -> TypedTable:
    """Load typed and cell by cell; everything must agree. Returns the typed read of Deals."""
    monkeypatch.setenv("SALESBOOK_TYPED_MIN_ROWS", "1")
    raw, typed, fp_typed = _load(path, monkeypatch, True)
    _, cells, fp_cells = _load(path, monkeypatch, False)
    assert typed[1:] == cells[1:]
    if cells[0] is not None:
        for name, frame in cells[0].items():
            pd.testing.assert_frame_equal(typed[0][name], frame, check_exact=True)
    assert fp_typed == fp_cells
    return raw


def _typed_columns(raw) -> list[bool]:
    assert isinstance(raw, TypedTable)
    return [c is not None for c in raw.columns]


def test_clean_table_is_read_typed(tmp_path, base_sheets, monkeypatch):
    raw = _same(_book(tmp_path, base_sheets, _deals()), monkeypatch)
    assert _typed_columns(raw) == [True] * 5
    assert raw.n_rows == 12 and raw.row_numbers == list(range(2, 14))


def test_rows_as_python_values_match_the_cell_read(tmp_path, base_sheets, monkeypatch):
    path = _book(tmp_path, base_sheets, _deals(3))
    monkeypatch.setenv("SALESBOOK_TYPED_MIN_ROWS", "1")
    with FileBook(path) as book:
        raw = book.read_raw("Deals")
        assert isinstance(raw, TypedTable)
        cells = raw.cell_table().rows
    assert raw.rows == cells == [["D0", dt.date(2026, 1, 1), "R2", "P1", 100.0],
                                                 ["D1", dt.date(2026, 1, 2), "R1", "P1", 101.0],
                                                 ["D2", dt.date(2026, 1, 3), "R2", "P1", 102.0]]


@pytest.mark.parametrize("bad", ["1,200", "¥1,200", "5%", True, "n/a", "nan", "inf", "abc"])
def test_text_or_bool_in_the_amount_column_reads_that_column_cell_by_cell(tmp_path, base_sheets, monkeypatch, bad):
    deals = _deals()
    deals[4][4] = bad
    raw = _same(_book(tmp_path, base_sheets, deals), monkeypatch)
    assert _typed_columns(raw) == [True, True, True, True, False]


def test_error_value_is_named_as_the_cell_read_names_it(tmp_path, base_sheets, monkeypatch):
    path = _book(tmp_path, base_sheets, _deals(), error_at="E5")
    raw = _same(path, monkeypatch)
    assert _typed_columns(raw) == [True, True, True, True, False]
    monkeypatch.setenv("SALESBOOK_TYPED_READ", "1")
    with FileBook(path) as book, pytest.raises(InputError) as err:
        load_book(book)
    assert [(p.sheet, p.row, p.text("en")) for p in err.value.problems] == [
        ("Deals", 5, "the cell holds the Excel error #N/A; fix the formula or type a value.")]


@pytest.mark.parametrize("typed_date", ["03/04/2026", "2026-03-04", "31/02/2026", "soon"])
def test_date_typed_as_text_reads_the_date_column_cell_by_cell(tmp_path, base_sheets, monkeypatch, typed_date):
    deals = _deals()
    deals[2][1] = typed_date
    raw = _same(_book(tmp_path, base_sheets, deals), monkeypatch)
    assert _typed_columns(raw) == [True, False, True, True, True]


def test_two_mixed_columns_each_read_cell_by_cell_the_others_typed(tmp_path, base_sheets, monkeypatch):
    deals = _deals()
    deals[1][1], deals[3][4] = "2026/1/2", "1 000"
    raw = _same(_book(tmp_path, base_sheets, deals), monkeypatch)
    assert _typed_columns(raw) == [True, False, True, True, False]


def test_ids_typed_as_numbers_become_the_same_text(tmp_path, base_sheets, monkeypatch):
    base_sheets["Reps"] = [base_sheets["Reps"][0], [1001, "Ann", "EAST", "rep", "2024-01-01"],
                           [1002.5, "Bob", "WEST", "manager", "2023-05-01"]]
    deals = [[1000 + i, dt.date(2026, 1, 2), 1001 if i % 2 else 1002.5, "P1", 10.0] for i in range(6)]
    raw = _same(_book(tmp_path, base_sheets, deals), monkeypatch)
    assert _typed_columns(raw) == [True] * 5


def test_blank_rows_inside_and_whitespace_cells(tmp_path, base_sheets, monkeypatch):
    deals = _deals()
    deals[3] = [None] * 5
    deals[4] = [None] * 5
    deals[6][3] = "   "
    deals[7][0] = " D7 "
    deals += [[None] * 5, [None] * 5]  # trailing blank rows inside the table's range
    raw = _same(_book(tmp_path, base_sheets, deals), monkeypatch)
    assert _typed_columns(raw) == [True] * 5
    assert 5 not in raw.row_numbers and 6 not in raw.row_numbers and raw.row_numbers[-1] == 13


def test_empty_optional_column_and_missing_required_cells(tmp_path, base_sheets, monkeypatch):
    deals = [[*r, None] for r in _deals()]
    deals[2][2] = None
    deals[5][4] = None
    raw = _same(_book(tmp_path, base_sheets, deals, headers=[*DEALS, "customer"]), monkeypatch)
    assert _typed_columns(raw) == [True] * 6


def test_columns_left_blank_are_read_typed_whatever_their_kind(tmp_path, base_sheets, monkeypatch):
    """A column with no value comes from the typed read as text (no type can be told from nothing); a blank
    number, date or yes/no column is still the column the cells give, and does not send the table to the
    cell-by-cell read (on 200,000 deals with the quantity left blank that read took 1.2 s more)."""
    blank = ["leave_date", "max_open_leads", "capacity", "target_bonus", "target_bonus_pct"]
    base_sheets["Reps"] = [[*row, *([None] * len(blank))] for row in base_sheets["Reps"]]
    base_sheets["Reps"][0][-len(blank):] = blank
    for row in base_sheets["Reps"][1:]:   # dates typed as text would send hire_date to the cells anyway
        row[4] = dt.date.fromisoformat(row[4])
    base_sheets["Credits"] = [["deal_id", "rep_id", "share", "overlay"], ["D1", "R1", 1.0, None],
                              ["D2", "R2", 1.0, None]]
    deals = [[*r, None, None] for r in _deals()]
    path = _book(tmp_path, base_sheets, deals, headers=[*DEALS, "quantity", "status_date"])
    cell_reads = []
    whole = TypedTable.cell_table
    monkeypatch.setattr(TypedTable, "cell_table", lambda self: cell_reads.append(self.name) or whole(self))
    _same(path, monkeypatch)
    monkeypatch.setenv("SALESBOOK_TYPED_READ", "1")
    cell_reads.clear()
    with FileBook(path) as book:
        tables = load_book(book).tables
    assert cell_reads == []
    assert tables["Deals"]["quantity"].isna().all() and tables["Deals"]["status_date"].isna().all()
    assert tables["Reps"]["max_open_leads"].isna().all() and not tables["Credits"]["overlay"].any()   # its default


def test_a_required_column_left_blank_is_reported_as_the_cells_report_it(tmp_path, base_sheets, monkeypatch):
    deals = [[*r[:4], None] for r in _deals()]
    path = _book(tmp_path, base_sheets, deals)
    _same(path, monkeypatch)
    monkeypatch.setenv("SALESBOOK_TYPED_READ", "1")
    with FileBook(path) as book, pytest.raises(InputError) as info:
        load_book(book)
    assert [(p.row, p.text("en")) for p in info.value.problems][:2] == [(2, "this required cell is empty."),
                                                                         (3, "this required cell is empty.")]


def test_data_below_the_table_is_still_an_error(tmp_path, base_sheets, monkeypatch):
    path = _book(tmp_path, base_sheets, _deals(), below=["D99", dt.date(2026, 1, 1), "R1", "P1", 5.0])
    monkeypatch.setenv("SALESBOOK_TYPED_MIN_ROWS", "1")
    _, typed, _ = _load(path, monkeypatch, True)
    assert typed[3] and "below table 'Deals'" in typed[3][0][0]
    _same(path, monkeypatch)


def test_choice_outside_the_list_and_duplicate_keys(tmp_path, base_sheets, monkeypatch):
    base_sheets["Reps"][2][3] = "chief"
    deals = _deals()
    deals[5][0] = "D1"
    _same(_book(tmp_path, base_sheets, deals), monkeypatch)


def test_without_typed_reads_every_table_is_read_cell_by_cell(tmp_path, base_sheets, monkeypatch):
    monkeypatch.setenv("SALESBOOK_TYPED_MIN_ROWS", "1")
    monkeypatch.setattr(readers, "fastexcel", None)
    with FileBook(_book(tmp_path, base_sheets, _deals())) as book:
        assert not isinstance(book.read_raw("Deals"), TypedTable)
        assert len(load_book(book).tables["Deals"]) == 12




def test_an_empty_column_logs_nothing_of_its_own(tmp_path, base_sheets, monkeypatch, caplog):
    """fastexcel warns "Could not determine dtype for column 5, falling back to string" for a column with no
    value (an optional column left blank); through Python's last-resort log handler that line would reach
    the user's console. The column is read as empty, and nothing is logged."""
    deals = [[*row, None] for row in _deals()]
    path = _book(tmp_path, base_sheets, deals, headers=[*DEALS, "status_date"])
    monkeypatch.setenv("SALESBOOK_TYPED_MIN_ROWS", "1")
    monkeypatch.setenv("SALESBOOK_TYPED_READ", "1")
    with caplog.at_level(logging.DEBUG), FileBook(path) as book:
        raw = book.read_raw("Deals")
    assert _typed_columns(raw) == [True] * 6
    assert [r.getMessage() for r in caplog.records if r.name.startswith("fastexcel")] == []


def test_tables_read_ahead_are_reported_in_the_books_order(tmp_path, base_sheets, monkeypatch):
    """The large tables are read on the reader's threads while the small ones are checked, the largest last;
    what is reported keeps the book's table order all the same (Reps before Deals), as without reading ahead."""
    base_sheets["Reps"] += [[f"R{i}", f"Rep {i}", "EAST", "rep", "2024-01-01"] for i in range(3, 23)]
    base_sheets["Reps"].append(["R1", "Ann again", "EAST", "rep", "2024-01-01"])   # a repeated id, on row 24
    deals = _deals()
    deals[4][4] = "abc"
    path = _book(tmp_path, base_sheets, deals)
    monkeypatch.setenv("SALESBOOK_TYPED_MIN_ROWS", "3")   # Reps and Deals are large, Deals the larger
    reported = {}
    for typed in (True, False):
        monkeypatch.setenv("SALESBOOK_TYPED_READ", "1" if typed else "0")
        with FileBook(path) as book:
            ahead = book.read_ahead(["Settings", "Products", "Regions", "Reps", "Deals"])
            assert ahead == (["Deals", "Reps"] if typed else [])   # Reps, the larger, is checked last
        with FileBook(path) as book, pytest.raises(InputError) as caught:
            load_book(book)
        reported[typed] = [(p.sheet_shown("en"), p.row, p.text("en")) for p in caught.value.problems]
    assert reported[True] == reported[False]
    assert [(sheet, row) for sheet, row, _ in reported[True]] == [("Reps", 24), ("Deals", 6)]


@pytest.mark.parametrize("first", ["Deals", "Reps"])
def test_tables_read_ahead_are_handed_over_as_their_reads_end(tmp_path, base_sheets, monkeypatch, first):
    """The reader's threads take the largest tables first, so the tables read ahead are checked in the order
    their reads end, not in a fixed one: no check waits for a table still being read while another lies
    ready. Each read here is held until the test lets it end."""
    import threading

    base_sheets["Reps"] += [[f"R{i}", f"Rep {i}", "EAST", "rep", "2024-01-01"] for i in range(3, 23)]
    path = _book(tmp_path, base_sheets, _deals())
    monkeypatch.setenv("SALESBOOK_TYPED_MIN_ROWS", "3")   # Reps and Deals are read ahead, on two threads
    monkeypatch.setenv("SALESBOOK_TYPED_READ", "1")
    gates = {"Reps": threading.Event(), "Deals": threading.Event()}
    read = readers.TypedPrefetch._read

    def held(self, area, keep=None):
        assert gates[area[0]].wait(30)
        return read(self, area, keep)

    monkeypatch.setattr(readers.TypedPrefetch, "_read", held)
    second = "Reps" if first == "Deals" else "Deals"
    with FileBook(path) as book:
        order = book.as_read(book.read_ahead(["Settings", "Reps", "Deals"]))
        gates[first].set()
        assert next(order) == first
        gates[second].set()
        assert list(order) == [second]
        assert isinstance(book.read_raw("Deals"), TypedTable) and isinstance(book.read_raw("Reps"), TypedTable)


def test_tables_not_read_ahead_are_handed_over_as_given(tmp_path, base_sheets, monkeypatch):
    path = _book(tmp_path, base_sheets, _deals())
    monkeypatch.setenv("SALESBOOK_TYPED_READ", "0")
    with FileBook(path) as book:
        assert book.read_ahead(["Reps", "Deals"]) == []
        assert list(book.as_read(["Deals", "Reps"])) == ["Deals", "Reps"]


def test_the_reader_that_opened_the_file_is_the_first_one_used(tmp_path, base_sheets, monkeypatch):
    """Opening a reader reads the book's shared strings (0.2 s for a 200k-deal book saved by Excel, before any
    read can start): the one opened to see that the file opens does the first read, so two large tables read
    side by side open two readers, not three."""
    base_sheets["Reps"] += [[f"R{i}", f"Rep {i}", "EAST", "rep", "2024-01-01"] for i in range(3, 23)]
    path = _book(tmp_path, base_sheets, _deals())
    monkeypatch.setenv("SALESBOOK_TYPED_MIN_ROWS", "3")   # Reps and Deals are read typed, on two threads
    opened = []
    reader = readers.TypedReader

    class Counted(reader):
        def __init__(self, path):
            opened.append(path)
            super().__init__(path)

    monkeypatch.setattr(readers, "TypedReader", Counted)
    with FileBook(path) as book:
        assert sorted(book.read_ahead(["Reps", "Deals"])) == ["Deals", "Reps"]
        assert isinstance(book.read_raw("Deals"), TypedTable) and isinstance(book.read_raw("Reps"), TypedTable)
    assert len(opened) <= 2


def test_the_typed_reader_opens_beside_the_cell_reader_and_goes_with_the_book(tmp_path, base_sheets, monkeypatch):
    """The typed reader starts opening when the book is opened (both read the shared strings, side by side);
    it does the first typed read, and a book closed without one leaves no thread or reader behind."""
    import threading

    base_sheets["Reps"] += [[f"R{i}", f"Rep {i}", "EAST", "rep", "2024-01-01"] for i in range(3, 23)]
    path = _book(tmp_path, base_sheets, _deals())
    monkeypatch.setenv("SALESBOOK_TYPED_MIN_ROWS", "3")
    opened = []
    reader = readers.TypedReader

    class Counted(reader):
        def __init__(self, path):
            opened.append(threading.current_thread().name)
            super().__init__(path)

    monkeypatch.setattr(readers, "TypedReader", Counted)
    with FileBook(path) as book:
        assert isinstance(book.read_raw("Deals"), TypedTable)
    assert opened[0].startswith("typed-open")
    opened.clear()
    with FileBook(path) as book:
        assert book.read_raw("Settings") is not None   # small: read cell by cell
    assert [name[:10] for name in opened] == ["typed-open"]
    left = [t for t in threading.enumerate() if t.name.startswith("typed-open")]
    for thread in left:   # it may still be on its way out
        thread.join(timeout=10)
    assert not [t for t in left if t.is_alive()]
