"""Saving never loses data: atomic writes, untouched inputs, in-place updates that keep or refuse."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlwings
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.datavalidation import DataValidation

from salesbook.book.file_book import FileBook
from salesbook.book.ooxml import feature_inventory, sheet_parts
from salesbook.book.save import OutputBusy, output_lock, write_outputs
from salesbook.book.validate import read_table
from salesbook.errors import InputError
from salesbook.schemas import REGISTRY

OUT = {"Out_Problems": pd.DataFrame({"sheet": ["Deals"], "row": [3], "column": ["amount"], "message": ["x"]})}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_default_run_writes_a_new_file_and_never_touches_the_input(make_book, base_sheets, tmp_path):
    src = make_book(base_sheets)
    before = digest(src)
    report = write_outputs(src, OUT)
    assert report.path == src.with_name("book_computed.xlsx") and report.path.exists()
    assert digest(src) == before
    with FileBook(report.path) as book:
        frame, problems, _ = read_table(book.read_raw("Out_Problems"), REGISTRY["Out_Problems"])
    assert not problems and frame["message"].tolist() == ["x"]


def test_output_over_the_input_needs_in_place(make_book, base_sheets):
    src = make_book(base_sheets)
    with pytest.raises(InputError, match="--in-place"):
        write_outputs(src, OUT, src)


def _feature_book(tmp_path: Path) -> Path:
    """A macro-enabled workbook with a VBA project (xlwings' BSD-licensed standalone quickstart), a chart
    and a data validation."""
    src = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    dest = tmp_path / "features.xlsm"
    shutil.copy(src, dest)
    wb = openpyxl.load_workbook(dest, keep_vba=True)
    ws = wb.create_sheet("Data")
    for row in [["month", "sales"], [1, 10], [2, 20], [3, 15]]:
        ws.append(row)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=4), titles_from_data=True)
    ws.add_chart(chart, "D2")
    dv = DataValidation(type="list", formula1='"yes,no"')
    dv.add("A10:A20")
    ws.add_data_validation(dv)
    wb.save(dest)
    return dest


def test_in_place_keeps_vba_chart_and_validation(tmp_path):
    book = _feature_book(tmp_path)
    with zipfile.ZipFile(book) as zf:
        vba_before = zf.read("xl/vbaProject.bin")
    inv_before = feature_inventory(str(book))
    assert inv_before["VBA project"] == 1 and inv_before["charts"] == 1
    assert inv_before["charts on sheet Data"] == 1 and inv_before["data validations on sheet Data"] == 1
    write_outputs(book, OUT, in_place=True)
    with zipfile.ZipFile(book) as zf:
        assert zf.read("xl/vbaProject.bin") == vba_before
        assert any(n.startswith("xl/charts/chart") for n in zf.namelist())
    inv_after = feature_inventory(str(book))
    for key, count in inv_before.items():
        assert inv_after[key] >= count, key
    assert "Out_Problems" in openpyxl.load_workbook(book, keep_vba=True).sheetnames


def _with_custom_xml(src: Path, dest: Path) -> Path:
    """Add a custom XML part, which openpyxl cannot carry through a load/save."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdCx" Type="http://schemas.openxml'
                                    b'formats.org/officeDocument/2006/relationships/customXml" '
                                    b'Target="customXml/item1.xml"/></Relationships>')
            zout.writestr(info, data)
        zout.writestr("customXml/item1.xml", b'<?xml version="1.0"?><budget owner="finance">keep</budget>')
    return dest


def test_in_place_keeps_parts_openpyxl_would_drop(make_book, base_sheets, tmp_path):
    book = _with_custom_xml(make_book(base_sheets), tmp_path / "custom.xlsx")
    with zipfile.ZipFile(book) as zf:
        custom = zf.read("customXml/item1.xml")
    report = write_outputs(book, OUT, in_place=True)
    assert report.not_carried == []
    with zipfile.ZipFile(book) as zf:
        assert zf.read("customXml/item1.xml") == custom


def _with_name_on_out_sheet(src: Path, dest: Path) -> Path:
    """A user-defined name scoped to an Out_ sheet: replacing that sheet would drop the name."""
    write_outputs(src, OUT, dest)
    with zipfile.ZipFile(dest) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    wb = parts["xl/workbook.xml"].decode()
    index = wb.count("<sheet ") - 1  # Out_Problems is the last sheet
    name = f'<definedNames><definedName name="MyCheck" localSheetId="{index}">Out_Problems!$A$1</definedName>' \
           "</definedNames>"
    wb = wb.replace("</sheets>", "</sheets>" + name) if "<definedNames>" not in wb else wb
    parts["xl/workbook.xml"] = wb.encode()
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    return dest


OTHER = {"Out_Other": pd.DataFrame({"x": [1]})}  # a run that no longer writes Out_Problems drops that sheet


def test_a_name_scoped_to_a_replaced_out_sheet_is_kept(make_book, base_sheets, tmp_path):
    book = _with_name_on_out_sheet(make_book(base_sheets), tmp_path / "named.xlsx")
    report = write_outputs(book, OUT, in_place=True)
    assert report.not_carried == []
    with zipfile.ZipFile(book) as zf:
        wb = zf.read("xl/workbook.xml").decode()
    index = [m for m in wb.split("<sheet ")[1:]].index(next(m for m in wb.split("<sheet ")[1:] if "Out_Problems" in m))
    assert f'<definedName name="MyCheck" localSheetId="{index}">' in wb


def test_in_place_refuses_when_something_would_be_lost_and_changes_nothing(make_book, base_sheets, tmp_path):
    book = _with_name_on_out_sheet(make_book(base_sheets), tmp_path / "named.xlsx")
    before = digest(book)
    with pytest.raises(InputError) as info:
        write_outputs(book, OTHER, in_place=True)
    assert "defined name:MyCheck (1 -> 0)" in info.value.render("en")
    assert "名称定义:MyCheck" in info.value.render("zh")
    assert digest(book) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["named.xlsx", "book.xlsx"])


def test_new_file_reports_what_it_could_not_carry(make_book, base_sheets, tmp_path):
    book = _with_name_on_out_sheet(make_book(base_sheets), tmp_path / "named.xlsx")
    report = write_outputs(book, OTHER, tmp_path / "out.xlsx")
    assert report.not_carried == ["defined name:MyCheck (1 -> 0)"]


def test_refuses_in_place_while_excel_has_the_file_open(make_book, base_sheets):
    book = make_book(base_sheets)
    (book.parent / ("~$" + book.name)).write_bytes(b"owner")
    with pytest.raises(InputError, match="open in Excel"):
        write_outputs(book, OUT, in_place=True)


@pytest.mark.parametrize("text", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\tx", "\r=1"])
def test_formula_looking_text_is_written_as_text(make_book, base_sheets, tmp_path, text):
    frame = pd.DataFrame({"sheet": [text], "row": [1], "column": ["c"], "message": [text]})
    report = write_outputs(make_book(base_sheets), {"Out_Problems": frame}, tmp_path / "o.xlsx")
    ws = openpyxl.load_workbook(report.path)["Out_Problems"]
    # XML normalises a bare CR to LF on reading, so compare with that one normalisation applied
    assert ws["A2"].data_type == "s" and ws["A2"].value == text.replace("\r", "\n")
    assert ws["A2"].quotePrefix
    with zipfile.ZipFile(report.path) as zf:
        sheet_xml = zf.read(sheet_parts(zf)["Out_Problems"])
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml


def test_two_writers_of_one_output_do_not_both_proceed(tmp_path):
    dest = tmp_path / "out.xlsx"
    code = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from salesbook.book.save import output_lock
        with output_lock(Path({str(dest)!r})):
            print("locked", flush=True)
            time.sleep(5)
    """)
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(OutputBusy), output_lock(dest):
            pass
    finally:
        holder.kill()
        holder.wait()
    with output_lock(dest):  # free again once the holder is gone
        pass


WRITER = """
import sys
import pandas as pd
from salesbook.book.save import write_outputs
src, dest, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
frame = pd.DataFrame({"sheet": ["s"] * n, "row": list(range(n)), "column": ["c"] * n, "message": ["m" * 40] * n})
print("start", flush=True)
while True:
    write_outputs(src, {"Out_Problems": frame}, dest)
"""


def test_kill_9_during_saves_never_leaves_a_partial_file(make_book, base_sheets, tmp_path):
    """A writer saving in a loop is killed at random moments; the output is always a whole workbook."""
    src = make_book(base_sheets)
    src_digest = digest(src)
    dest = tmp_path / "out" / "computed.xlsx"
    rng = random.Random(7)
    kills_mid_write = 0
    for attempt in range(6):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(src), str(dest), "20000"],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "start"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(dest.parent.glob(".computed.*.tmp")):
            assert proc.poll() is None, "the writer died on its own"
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.8))
        kills_mid_write += any(dest.parent.glob(".computed.*.tmp"))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert digest(src) == src_digest
        if dest.exists():  # whatever is at the final path must be a complete workbook
            with FileBook(dest) as book:
                raw = book.read_raw("Out_Problems")
            assert raw is not None and len(raw.rows) == 20000, f"attempt {attempt}"
        for tmp in dest.parent.glob(".computed.*.tmp"):
            tmp.unlink()  # debris of the killed writer, never at the final path
    assert kills_mid_write >= 3, "the kills should land while a save is in progress"
