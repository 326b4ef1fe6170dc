"""Whether a computed book's inputs changed since the run, told cheaply and never wrongly: a table whose parts
are as the run left them is not read at all; any other is read and its cells compared, so a book re-saved
without an edit (openpyxl, LibreOffice: every part rewritten) is not reported as changed, and an edit is
reported whatever it keeps (the part's size, the cells' text)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from mistakes import base_tables

from salesbook.book import stamps
from salesbook.book.file_book import FileBook
from salesbook.book.runinfo import RUNINFO, check_computed
from salesbook.book.template import write_book
from salesbook.pipeline import run_book


@pytest.fixture(scope="module")
def computed(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("fresh")
    book = write_book(tmp / "book.xlsx", "zh", base_tables("zh"))
    return book, run_book(book, tmp / "computed.xlsx").output


def _check(path: Path, monkeypatch) -> tuple[list[str], list[str]]:
    """(the warnings in English, the tables check_computed read)."""
    read: list[str] = []
    original = FileBook.read_raw

    def spy(self: FileBook, name: str):
        read.append(name)
        return original(self, name)

    monkeypatch.setattr(FileBook, "read_raw", spy)
    with FileBook(path) as book:
        found = check_computed(book)
    return [p.text("en") for p in found], read


def _rewrite(src: Path, dest: Path, part: str, edit) -> Path:
    """A copy of the package with ``part`` passed through ``edit`` (bytes -> bytes), every other part's
    content kept (recompressed, so only the central directory's CRC and size can tell them unchanged)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info.filename, edit(data) if info.filename == part else data)
    return dest


def _deals_amount_cell(path: Path) -> tuple[str, str]:
    """(the Deals worksheet part, the first data cell of its amount column, e.g. G2)."""
    with FileBook(path) as book:
        part = book._tables()["Deals"]
        column = part.columns.index("销售额")   # Amount, as the zh book heads it
        return book._sheet_part(part.sheet), f"{chr(64 + part.box.left + column)}{part.box.top + 1}"


def test_a_fresh_book_is_checked_without_reading_an_input(computed, monkeypatch):
    book, out = computed
    said, read = _check(out, monkeypatch)
    assert said == [] and read == [RUNINFO]
    with FileBook(book) as a, FileBook(out) as b:   # the run copied each input's parts as they were
        before = {n: a.stamp(n) for n in a.table_names()}
        assert len(set(before.values())) == len(before)   # each table's own parts in each stamp
        assert all(b.stamp(n, stamps.recorded_formats(s)) == s for n, s in before.items())
        assert all(b.stamp(n) != s for n, s in before.items())   # styles.xml gained salesbook's formats


def test_a_plain_save_without_an_edit_is_not_a_change(computed, monkeypatch, tmp_path):
    _, out = computed
    saved = tmp_path / "saved.xlsx"
    openpyxl.load_workbook(out).save(saved)   # every part rewritten, shared strings instead of inline text
    said, read = _check(saved, monkeypatch)
    assert said == []
    assert "Deals" in read and len(read) > 10   # the stamps differ, so the cells were compared


@pytest.mark.libreoffice
def test_a_libreoffice_save_without_an_edit_is_not_a_change(computed, monkeypatch, tmp_path, soffice):
    _, out = computed
    said, read = _check(soffice(out, "xlsx", tmp_path / "lo"), monkeypatch)
    assert said == [] and "Deals" in read


def test_an_edit_of_the_same_length_is_found_and_only_that_table_is_read(computed, monkeypatch, tmp_path):
    _, out = computed
    part, cell = _deals_amount_cell(out)
    pattern = re.compile(rb'(<c r="' + cell.encode() + rb'"[^>]*>\s*<v>)60000(</v>)')

    def edit(xml: bytes) -> bytes:
        changed, n = pattern.subn(rb"\g<1>60001\g<2>", xml)   # 60,000 -> 60,001: same size, same text length
        assert n == 1
        return changed

    edited = _rewrite(out, tmp_path / "edited.xlsx", part, edit)
    said, read = _check(edited, monkeypatch)
    assert said == ["the inputs changed after the results were computed (成交): the reviews show the results of the "
                    "last run; run `salesbook run` again to bring them up to date."]
    assert read == [RUNINFO, "Deals"]


def test_a_number_format_that_makes_amounts_dates_is_a_change(computed, monkeypatch, tmp_path):
    """The cells' text is untouched; only the format of the cells changes, so they now read as dates."""
    _, out = computed
    part, cell = _deals_amount_cell(out)
    with zipfile.ZipFile(out) as zf:
        style = int(re.search(rb'<c r="' + cell.encode() + rb'"[^>]*?\bs="(\d+)"', zf.read(part)).group(1))

    def as_date(xml: bytes) -> bytes:
        head, body = xml.split(b"<cellXfs", 1)
        xfs = re.split(rb"(?=<xf\b)", body)
        xfs[style + 1] = re.sub(rb'numFmtId="\d+"', b'numFmtId="14"', xfs[style + 1], count=1)
        return head + b"<cellXfs" + b"".join(xfs)

    edited = _rewrite(out, tmp_path / "dated.xlsx", "xl/styles.xml", as_date)
    said, _ = _check(edited, monkeypatch)
    assert len(said) == 1 and "成交" in said[0]


def test_a_stamp_names_its_count_of_cell_formats_and_nothing_else_is_taken_for_one():
    assert stamps.recorded_formats("z1:20:0123456789abcdef0123456789abcdef") == 20
    assert stamps.recorded_formats("v2:0123") is None and stamps.recorded_formats("") is None
    assert stamps.recorded_formats("z1:x:00") is None and stamps.recorded_formats("z1:20:") is None
