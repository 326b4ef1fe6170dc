"""Output sheets grafted into a copy of the workbook: every cell keeps its type, format and text safety,
the generated XML does not depend on how it is assembled, and the user's parts are copied unchanged."""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import python_calamine as pc

from salesbook.book import graft
from salesbook.book.save import write_outputs
from salesbook.book.zipparts import copy_part
from salesbook.schemas import REGISTRY

TEXTS = ["plain", "=SUM(A1)", "+1", "-2", "@cmd", "\tTab", "\rcr", "a & <b> \"q\"", " edge ", "two\nlines",
         "ctl\x01char", "中文说明", "", None]
FLOATS = [0.1 + 0.2, 1.0, -0.0, 1e15, 123456789.125, -2.5e-7, 1e20, float("nan"), float("inf"), 6.32,
          float(2**53), -1234.5, 0.01, 5e-324]


def _mixed_frame() -> pd.DataFrame:
    n = len(TEXTS)
    return pd.DataFrame({
        "text": pd.Series(TEXTS, dtype=object),
        "number": FLOATS[:n],
        "whole": pd.array([1, None, -3, 4, 2**40, 0, 7, 8, 9, 10, 11, 12, 13, 14][:n], dtype="Int64"),
        "flag": pd.array([True, False, None] * 4 + [True, False], dtype="boolean"),
        "when": pd.to_datetime(["2026-01-31", None, "2026-02-28 12:00"] * 4 + ["1900-03-01", "2261-12-31"],
                               format="ISO8601"),
        "mixed": pd.Series(["x", 1, 2.5, None, True, dt.date(2026, 1, 2), "=1+1"] * 2, dtype=object),
    })


@pytest.fixture()
def grafted(make_book, base_sheets, tmp_path) -> Path:
    return write_outputs(make_book(base_sheets), {"Out_Mixed": _mixed_frame()}, tmp_path / "out.xlsx").path


def test_cells_keep_their_type_and_text_is_never_a_formula(grafted):
    ws = openpyxl.load_workbook(grafted)["Out_Mixed"]
    rows = list(ws.iter_rows(min_row=2, max_row=len(TEXTS) + 1))
    for row, text in zip(rows, TEXTS, strict=True):
        cell = row[0]
        if text is None:
            assert cell.value is None
            continue
        assert cell.data_type == "s"  # an empty text is an empty text cell, as today
        # XML parsers read a carriage return as a line feed; openpyxl shows Excel's _xHHHH_ escapes as written
        assert cell.value == text.replace("\r", "\n").replace("\x01", "_x0001_")
        assert cell.quotePrefix == text.startswith(("=", "+", "-", "@", "\t", "\r")), text
    for row, x in zip(rows, FLOATS, strict=True):
        assert row[1].value == (x if math.isfinite(x) else None)
    assert [r[2].value for r in rows[:5]] == [1, None, -3, 4, 2**40]
    assert [r[3].value for r in rows[:3]] == [True, False, None]
    assert rows[0][4].value == dt.datetime(2026, 1, 31) and rows[1][4].value is None
    assert rows[2][4].value == dt.datetime(2026, 2, 28, 12) and rows[0][4].number_format == "yyyy-mm-dd"
    assert [r[5].value for r in rows[:4]] == ["x", 1, 2.5, None] and rows[6][5].quotePrefix


def test_numbers_are_written_round_tripping_and_whole_numbers_without_a_point(grafted):
    with zipfile.ZipFile(grafted) as zf:
        xml = next(text for n in zf.namelist() if n.startswith("xl/worksheets/sheet")
                   and '<c r="F2"' in (text := zf.read(n).decode()))
    assert '<c r="B2"><v>0.30000000000000004</v></c>' in xml and '<c r="B3"><v>1</v></c>' in xml
    assert '<c r="B4"><v>0</v></c>' in xml and '<c r="B5"><v>1000000000000000.0</v></c>' in xml
    assert '<c r="B7"><v>-2.5e-07</v></c>' in xml and '<c r="B8"><v>1e+20</v></c>' in xml
    assert 'r="B9"' not in xml and 'r="B10"' not in xml  # NaN and infinity are blanks
    assert "_x0001_" in xml and '<t xml:space="preserve"> edge </t>' in xml and "&amp; &lt;b&gt; &quot;q&quot;" in xml
    grid = pc.CalamineWorkbook.from_path(str(grafted)).get_sheet_by_name("Out_Mixed").to_python()
    for row, x in zip(grid[1:], FLOATS, strict=True):
        assert row[1] == (x if math.isfinite(x) else "")


def _text(chunks) -> str:
    """A sheet's XML from its blocks: text, or UTF-8 bytes where Arrow assembled them."""
    return "".join(c if isinstance(c, str) else c.decode("utf-8") for c in chunks)


def test_zh_choice_labels_and_registered_formats():
    frame = pd.DataFrame({"rep_id": ["R1", "R2"], "role": ["manager", None]})
    styles = graft._Styles(header=1, text=2, quoted=3, by_format={})
    xml = _text(graft._sheet_xml(frame, REGISTRY["Reps"], "zh", styles, "rId1", choices_zh=True).chunks)
    label = REGISTRY["Reps"].column("role").choice_label("manager", "zh")
    assert label != "manager" and f"<t>{label}</t>" in xml and 'r="B3"' not in xml


@pytest.mark.parametrize("arrow", [True, False])
@pytest.mark.parametrize("rows", [0, 1, 5, 64])
def test_sheet_xml_does_not_depend_on_the_block_size(monkeypatch, rows, arrow):
    frame = pd.concat([_mixed_frame()] * 5, ignore_index=True).head(rows)
    styles = graft._Styles(header=1, text=2, quoted=3, by_format={})
    if not arrow:
        monkeypatch.setattr(graft, "pa", None)

    def xml() -> tuple[str, int]:
        sheet = graft._sheet_xml(frame, None, "en", styles, "rId1", choices_zh=False)
        return _text(sheet.chunks), sheet.max_bytes

    whole, bound = xml()
    monkeypatch.setattr(graft, "_CHUNK_ROWS", 3)
    assert xml()[0] == whole
    assert len(whole.encode()) <= bound
    assert whole.count("<row ") == rows + 1


def test_user_parts_are_copied_as_their_compressed_bytes(make_book, base_sheets, tmp_path):
    src = make_book(base_sheets)
    out = write_outputs(src, {"Out_Mixed": _mixed_frame()}, tmp_path / "out.xlsx").path
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        assert b.testzip() is None
        for info in a.infolist():
            if info.filename in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml",
                                 "xl/styles.xml"):
                continue
            copy = b.getinfo(info.filename)
            assert (copy.CRC, copy.compress_size, copy.compress_type, copy.date_time) == \
                   (info.CRC, info.compress_size, info.compress_type, info.date_time)


class _Unseekable(io.RawIOBase):
    """A write-only stream: zipfile then writes sizes after the data (a data descriptor)."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return self.buffer.write(data)


def test_copy_of_stored_and_streamed_entries(tmp_path):
    sink = _Unseekable()
    with zipfile.ZipFile(sink, "w") as zf:
        zf.writestr(zipfile.ZipInfo("stored.bin", (2020, 1, 1, 0, 0, 0)), b"\x00" * 1000, zipfile.ZIP_STORED)
        with zf.open(zipfile.ZipInfo("streamed.xml", (2021, 2, 3, 4, 5, 6)), "w") as fh:
            fh.write(np.arange(10_000).tobytes())
    src = io.BytesIO(sink.buffer.getvalue())
    with zipfile.ZipFile(src) as zin:
        assert zin.getinfo("streamed.xml").flag_bits & 0x08
        infos = zin.infolist()
    dest = tmp_path / "copy.zip"
    with zipfile.ZipFile(dest, "w") as zout:
        for info in infos:
            copy_part(zout, src, info)
    with zipfile.ZipFile(dest) as zf, zipfile.ZipFile(src) as zin:
        assert zf.testzip() is None
        for info in infos:
            assert zf.read(info.filename) == zin.read(info.filename)
            assert zf.getinfo(info.filename).date_time == info.date_time


def test_inventory_of_generated_sheets_from_their_shells_equals_reading_them(tmp_path):
    """The saver counts a freshly grafted Out_ sheet from its XML without the data rows; reading the whole
    part back must give the same counts (the rows hold values only)."""
    import openpyxl

    from salesbook.book.graft import graft_outputs
    from salesbook.book.ooxml import feature_inventory

    src = tmp_path / "in.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "=1+1"
    wb.save(src)
    frame = pd.DataFrame({"rep_id": ["R1", "=SUM(A1)", None] * 50, "amount": [1.5, None, 3.0] * 50})
    dest = tmp_path / "out.xlsx"
    result = graft_outputs(src, {"Out_Commissions": frame}, dest)
    assert result.generated
    assert feature_inventory(str(dest), stand_ins=result.generated) == feature_inventory(str(dest))


def test_sheet_tags_counted_inside_and_outside_the_cell_data():
    from salesbook.book.ooxml import _COUNTED_TAGS, count_sheet_tags

    xml = (b'<worksheet xmlns="m" xmlns:x14="x" xmlns:xm="xm"><sheetPr/><sheetData><row r="1"><c r="A1"><f>1+1</f>'
           b'<v>2</v></c><c r="B1" t="inlineStr"><is><t>a:f &lt;f</t></is></c></row></sheetData>'
           b'<mergeCells><mergeCell ref="A1:B1"/></mergeCells><dataValidations><dataValidation sqref="A1"/>'
           b'</dataValidations><pageMargins/><extLst><x14:dataValidation><xm:f>S!A1</xm:f></x14:dataValidation>'
           b'</extLst></worksheet>')
    naive = {k: len(p.findall(xml)) for k, p in _COUNTED_TAGS.items()}
    assert {k: v for k, v in count_sheet_tags(xml).items() if v} == {k: v for k, v in naive.items() if v}
    assert naive["formulas"] == 2 and naive["data validations"] == 2


def test_arrow_and_python_assembly_write_the_same_bytes(monkeypatch):
    """Where pyarrow is installed the rows are joined by Arrow (numbers in whole cents and whole numbers
    written without Python's repr); without it by Python: the sheet must be the same, byte for byte."""
    rng = np.random.default_rng(3)
    n = 3_000
    frame = pd.concat([_mixed_frame()] * 4, ignore_index=True)
    numbers = np.concatenate([np.round(rng.uniform(-1e6, 1e6, n), 2), np.round(rng.uniform(-9e12, 9e12, n), 2),
                              rng.uniform(-1, 1, n), np.round(rng.uniform(-1, 1, n), 4), rng.lognormal(0, 9, n),
                              [2.0**43 - 0.01, 2.0**43 + 0.5, -0.05, 0.1, 1e15 - 0.5, 1e-5, 5e-324, -0.0]])
    frame = frame.reindex(range(len(numbers))).assign(amount=numbers, text=[f"line {i} & <{i % 7}>" for i in
                                                                           range(len(numbers))])
    styles = graft._Styles(header=1, text=2, quoted=3, by_format={})
    monkeypatch.setattr(graft, "_CHUNK_ROWS", 1_000)

    def xml() -> bytes:
        return b"".join(c.encode("utf-8") if isinstance(c, str) else c
                        for c in graft._sheet_xml(frame, None, "en", styles, "rId1", choices_zh=False).chunks)

    assert graft.pa is not None
    by_arrow = xml()
    monkeypatch.setattr(graft, "pa", None)
    assert xml() == by_arrow
    assert b'<v>0.1</v>' in by_arrow and b'<v>-0.05</v>' in by_arrow and b"line 7 &amp; &lt;0&gt;" in by_arrow


@pytest.mark.parametrize("table", ["Out_Mixed", "Out_LeadScores"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_large_sheet_made_by_two_processes_is_the_sheet_made_by_one(make_book, base_sheets, tmp_path, monkeypatch,
                                                                       table, lang):
    """A sheet of many blocks of rows is made half here and half in a forked process (``zipparts.write_blocks``),
    each process making the cells of its own rows where every column allows it: every part of the book reads back
    as when one process makes it all. Out_Mixed has a column of mixed kinds (its cells made for all rows at
    once), Out_LeadScores none (made by halves) and, in zh, a choice column shown by its Chinese labels."""
    from salesbook.book import zipparts

    frame = pd.concat([_mixed_frame()] * 20, ignore_index=True)   # 280 rows: 94 blocks of 3
    if table == "Out_LeadScores":
        frame = frame.drop(columns="mixed").assign(
            lead_id=[f"L{i:04d}" for i in range(len(frame))], status=["open", "won", "lost", None] * 70,
            score=frame["number"])
    src = make_book(base_sheets)
    made_for: list[int] = []
    column_cells = graft._column_cells

    def spy(series, *args, **kwargs):
        made_for.append(len(series))
        return column_cells(series, *args, **kwargs)

    monkeypatch.setattr(graft, "_column_cells", spy)
    monkeypatch.setattr(graft, "_CHUNK_ROWS", 3)
    split = write_outputs(src, {table: frame}, tmp_path / "split.xlsx", lang=lang).path
    if table == "Out_LeadScores":   # here only the first half's rows, the second half's in the other process
        assert made_for and max(made_for) == 47 * 3
    else:
        assert set(made_for) == {len(frame)}
    monkeypatch.setattr(zipparts, "SPLIT_MIN_BLOCKS", 10 ** 6)
    whole = write_outputs(src, {table: frame}, tmp_path / "whole.xlsx", lang=lang).path
    with zipfile.ZipFile(split) as a, zipfile.ZipFile(whole) as b:
        assert a.testzip() is None
        assert a.namelist() == b.namelist()
        assert all(a.read(n) == b.read(n) for n in a.namelist())
        sheets = [i for i in a.infolist() if i.file_size > 30_000]
        assert sheets and all(i.compress_size != b.getinfo(i.filename).compress_size for i in sheets), \
            "the large sheet was not made in two halves"
        if lang == "zh" and table == "Out_LeadScores":   # the labels, in both halves
            xml = a.read(sheets[0].filename).decode("utf-8")
            half = xml.index('<row r="143"')
            assert all(f"<t>{label}</t>" in part for label in ("跟进中", "赢单", "输单")
                       for part in (xml[:half], xml[half:]))
