"""Hostile or broken files are refused with a plain message before any parser sees them."""

from __future__ import annotations

import time
import tracemalloc
import zipfile

import pytest

from salesbook.book.file_book import FileBook
from salesbook.book.safety import OLE_MAGIC
from salesbook.errors import InputError


def refused(path) -> str:
    with pytest.raises(InputError) as info:
        FileBook(path)
    return info.value.render("en") + "\n" + info.value.render("zh")


def test_text_file_named_xlsx(tmp_path):
    p = tmp_path / "a.xlsx"
    p.write_text("id,amount\n1,2\n")
    assert "is not an Excel .xlsx file" in refused(p)


def test_encrypted_or_legacy_ole_file(tmp_path):
    p = tmp_path / "secret.xlsx"
    p.write_bytes(OLE_MAGIC + b"\0" * 4096)
    msg = refused(p)
    assert "password-protected" in msg and "设置了密码" in msg


def test_truncated_workbook(make_book, base_sheets, tmp_path):
    good = make_book(base_sheets)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "not an Excel .xlsx file" in refused(cut) or "damaged" in refused(cut)


def test_zip_that_is_not_a_workbook(tmp_path):
    p = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("photo.txt", "hello")
    assert "zip file but not an Excel workbook" in refused(p)


def test_xml_entity_bomb_is_refused(make_book, base_sheets, tmp_path):
    good = make_book(base_sheets)
    bomb = tmp_path / "bomb.xlsx"
    lol = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10)
                      for i in range(1, 10))
           + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
           + b'<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = lol if info.filename == "xl/worksheets/sheet1.xml" else zin.read(info.filename)
            zout.writestr(info, data)
    assert "document type declaration" in refused(bomb)


def test_zip_bomb_is_refused_quickly_in_little_memory(make_book, base_sheets, tmp_path):
    good = make_book(base_sheets)
    bomb = tmp_path / "zipbomb.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        zout.writestr("xl/media/padding.bin", b"\0" * (300 * 1024**2))  # 300 MB of zeros, ~300 KB zipped
    tracemalloc.start()
    t = time.perf_counter()
    msg = refused(bomb)
    elapsed = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "implausible size" in msg
    assert elapsed < 5 and peak < 50 * 1024**2, (elapsed, peak)  # generous bounds; measured ~0.01 s, < 1 MB
