"""A large generated part is made and deflated in two halves, the second in a forked process, and joined into
one zip entry: what reads back is the whole text, the bytes do not depend on whether the fork happened, and a
second process that dies leaves its half to be made here."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from salesbook.book import zipparts
from salesbook.book.zipparts import Blocks, write_blocks, write_streamed

DATE = (2026, 1, 1, 0, 0, 0)   # fixed, so that two writes can be compared byte for byte
pytestmark = pytest.mark.skipif(zipparts.isal_zlib is None, reason="the halves are joined with ISA-L's crc32_combine")


def _block(k: int) -> str | bytes:
    """Text that deflates to several deflate blocks, some of it CJK, every other block already UTF-8."""
    text = "".join(f'<row r="{k * 500 + i}"><c><v>{(k * 7919 + i * 104729) % 1000003}</v></c>'
                   f"<c><is><t>第{k}块 说明 {i * i}</t></is></c></row>" for i in range(500))
    return text.encode("utf-8") if k % 2 else text


def _blocks(count: int, pids: Path | None = None, die_in_child: bool = False) -> Blocks:
    parent = os.getpid()

    def make(first: int, stop: int) -> Iterator[str | bytes]:
        for k in range(first, stop):
            if pids is not None:
                with open(pids, "a", encoding="ascii") as fh:
                    fh.write(f"{k} {os.getpid()}\n")
            if die_in_child and os.getpid() != parent:
                os._exit(9)   # killed mid-way, as by the out-of-memory killer
            yield _block(k)

    return Blocks("<worksheet><sheetData>", count, make, "</sheetData></worksheet>", 10 ** 8)


def _whole(count: int) -> bytes:
    text = "<worksheet><sheetData>" + "".join(
        b.decode("utf-8") if isinstance(b, bytes) else b for b in map(_block, range(count)))
    return (text + "</sheetData></worksheet>").encode("utf-8")


def _write(path: Path, text: Blocks) -> bytes:
    with zipfile.ZipFile(path, "w") as zout:
        zout.writestr(zipfile.ZipInfo("first.txt", DATE), b"before")
        write_blocks(zout, "xl/worksheets/sheet1.xml", text)
        zout.writestr(zipfile.ZipInfo("last.txt", DATE), b"after")
    return path.read_bytes()


def test_a_part_made_in_two_halves_reads_back_as_the_whole_text(tmp_path):
    pids = tmp_path / "pids"
    _write(tmp_path / "split.zip", _blocks(9, pids))
    with zipfile.ZipFile(tmp_path / "split.zip") as zf:
        assert zf.testzip() is None   # every entry's CRC-32 checked
        assert zf.read("xl/worksheets/sheet1.xml") == _whole(9)
        assert (zf.read("first.txt"), zf.read("last.txt")) == (b"before", b"after")
    made_by = dict(line.split() for line in pids.read_text().splitlines())
    assert {made_by[str(k)] for k in range(4)} == {str(os.getpid())}
    assert {made_by[str(k)] for k in range(4, 9)} - {str(os.getpid())}, "the second half was not made aside"


def test_the_bytes_do_not_depend_on_the_second_process(tmp_path, monkeypatch):
    forked = _write(tmp_path / "forked.zip", _blocks(8))
    monkeypatch.setattr(zipparts, "room_for_a_copy", lambda: False)
    pids = tmp_path / "pids"
    here = _write(tmp_path / "here.zip", _blocks(8, pids))
    assert {line.split()[1] for line in pids.read_text().splitlines()} == {str(os.getpid())}
    assert here == forked


def test_if_the_second_process_dies_its_half_is_made_here(tmp_path):
    pids = tmp_path / "pids"
    assert _write(tmp_path / "died.zip", _blocks(8, pids, die_in_child=True)) == \
        _write(tmp_path / "plain.zip", _blocks(8))
    made_by = [line.split() for line in pids.read_text().splitlines()]
    assert [k for k, pid in made_by if pid != str(os.getpid())] == ["4"], "the child did not start its half"


def test_a_small_part_is_streamed_in_one_piece(tmp_path):
    assert _write(tmp_path / "small.zip", _blocks(zipparts.SPLIT_MIN_BLOCKS - 1)) == \
        _streamed(tmp_path / "streamed.zip", zipparts.SPLIT_MIN_BLOCKS - 1)


def test_without_isal_the_part_is_streamed_in_one_piece(tmp_path, monkeypatch):
    monkeypatch.setattr(zipparts, "isal_zlib", None)
    _write(tmp_path / "zlib.zip", _blocks(6))
    with zipfile.ZipFile(tmp_path / "zlib.zip") as zf:
        assert zf.testzip() is None
        assert zf.read("xl/worksheets/sheet1.xml") == _whole(6)


def test_a_joined_part_gets_zip64_sizes_when_it_needs_them(tmp_path, monkeypatch):
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 50_000)   # the part is over it: as a part over 4 GiB would be
    _write(tmp_path / "big.zip", _blocks(6))
    with zipfile.ZipFile(tmp_path / "big.zip") as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        assert info.file_size > zipfile.ZIP64_LIMIT and info.extra.startswith(b"\x01\x00")   # the zip64 field
        assert zf.read("xl/worksheets/sheet1.xml") == _whole(6)


def _streamed(path: Path, count: int) -> bytes:
    text = _blocks(count)
    with zipfile.ZipFile(path, "w") as zout:
        zout.writestr(zipfile.ZipInfo("first.txt", DATE), b"before")
        write_streamed(zout, "xl/worksheets/sheet1.xml", text.chunks(), text.max_bytes)
        zout.writestr(zipfile.ZipInfo("last.txt", DATE), b"after")
    return path.read_bytes()
