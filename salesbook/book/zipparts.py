"""Writing the parts of a workbook package: copies kept compressed, generated parts streamed in.

A computed workbook is mostly the user's own parts (the input sheets of a large book run to
hundreds of megabytes of XML), so those are copied as their compressed bytes, never inflated and
deflated again; only generated parts are deflated, at the fastest level, while they are produced.
Entries get fixed dates or keep their own, so the same inputs give the same bytes.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple

from salesbook.book.aside import Aside, room_for_a_copy

try:  # optional: Intel's ISA-L deflate, several times quicker than zlib's at the fastest levels, same format
    from isal import isal_zlib
except ImportError:  # pragma: no cover - zlib (through zipfile) where it is not installed
    isal_zlib = None

PART_DATE = (2026, 1, 1, 0, 0, 0)
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_USES_DATA_DESCRIPTOR = 0x08


def new_info(part: str) -> zipfile.ZipInfo:
    """A generated part's entry: a fixed date and the fastest deflate (its size matters less than time)."""
    info = zipfile.ZipInfo(part, date_time=PART_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = 1  # zipfile reads the level from here when writing through a ZipInfo
    return info


def write_part(zout: zipfile.ZipFile, part: str, data: bytes) -> None:
    zout.writestr(new_info(part), data)


def write_streamed(zout: zipfile.ZipFile, part: str, chunks: Iterable[str | bytes], max_bytes: int) -> None:
    """Write text given block by block (str, or bytes already UTF-8), deflating each block while the next one
    is produced.

    zlib (or ISA-L's deflate, when installed) and crc32 release the GIL, so with a free core compression
    overlaps the producer; the bytes are those of a single write.  ``max_bytes`` bounds the encoded size: zip64 sizes are used
    only when the part could outgrow 2 GiB (zipfile must know before the first byte).
    """
    force_zip64 = max_bytes * 1.05 > zipfile.ZIP64_LIMIT
    with zout.open(new_info(part), "w", force_zip64=force_zip64) as dst:
        if isal_zlib is not None and hasattr(dst, "_compressor"):  # zipfile deflates through this object
            dst._compressor = isal_zlib.compressobj(1, isal_zlib.DEFLATED, -15)
        _overlapped(chunks, dst.write)


def _overlapped(chunks: Iterable[str | bytes], consume: Callable[[bytes], object]) -> None:
    """``consume`` each chunk (as UTF-8) on a second thread while the next chunk is made on this one."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pending: concurrent.futures.Future | None = None
        for chunk in chunks:
            data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
            if pending is not None:
                pending.result()
            pending = pool.submit(consume, data)
        if pending is not None:
            pending.result()


@dataclass(frozen=True)
class Blocks:
    """A part's text as a head, ``count`` blocks made when asked for (``make(first, stop)`` gives blocks
    ``first`` to ``stop - 1``), and a tail; ``max_bytes`` bounds its UTF-8 size."""

    head: str | bytes
    count: int
    make: Callable[[int, int], Iterator[str | bytes]]
    tail: str | bytes
    max_bytes: int

    def chunks(self, first: int = 0, stop: int | None = None) -> Iterator[str | bytes]:
        """Blocks ``first`` to ``stop - 1``, after the head if from the first, before the tail if to the last."""
        stop = self.count if stop is None else stop
        return itertools.chain([self.head] if first == 0 else [], self.make(first, stop),
                               [self.tail] if stop == self.count else [])


SPLIT_MIN_BLOCKS = 4   # a part of fewer blocks is written by one process: a second one would not pay for its start


def write_blocks(zout: zipfile.ZipFile, part: str, text: Blocks) -> None:
    """Write a part given as ``Blocks``: a large one made and deflated in two halves, the second half in a
    forked second process at the same time (``aside``), then joined into one entry.

    Why: making the rows of a large output sheet is single-threaded, so the second core idled through most of a
    save (Out_Commissions of 200,000 deals: 0.75 s of row assembly). The first half's deflate stream is ended
    with a sync flush (byte-aligned, not final) and the second half's is a whole stream of its own, so the two
    laid end to end are one valid deflate stream (RFC 1951 3.2.3: blocks need not be final, and a stream may
    refer back only to what it made); the entry's CRC-32 is the halves' combined (zlib's crc32_combine, in
    ISA-L). The bytes depend only on the text, not on whether the fork happened: where it cannot (no second
    core, too little memory, Windows) or the second process dies, the second half is made here.
    Without ISA-L (no crc32_combine in Python's zlib before 3.13) the part is streamed as one. The sizes are
    known before the entry's header is written, so it has zip64 sizes only if it needs them."""
    if text.count < SPLIT_MIN_BLOCKS or isal_zlib is None:
        write_streamed(zout, part, text.chunks(), text.max_bytes)
        return
    half = text.count // 2
    with Aside(_deflated, text, half, text.count, parallel=room_for_a_copy()) as other:
        first = _deflated(text, 0, half)
        second = other.result()
    info = new_info(part)
    info.CRC = isal_zlib.crc32_combine(first.crc, second.crc, second.size)
    info.file_size = first.size + second.size
    info.compress_size = len(first.data) + len(second.data)

    def data(fp: BinaryIO) -> None:
        fp.write(first.data)
        fp.write(second.data)

    _add_entry(zout, info, data)


class _Deflated(NamedTuple):
    data: bytes   # raw deflate: ended by a sync flush, or a final block for the part's last blocks
    crc: int
    size: int


def _deflated(text: Blocks, first: int, stop: int) -> _Deflated:
    """Blocks ``first`` to ``stop - 1`` of ``text`` deflated (ISA-L, level 1), each while the next is made."""
    compressor = isal_zlib.compressobj(1, isal_zlib.DEFLATED, -15)
    out: list[bytes] = []
    crc = size = 0

    def consume(data: bytes) -> None:
        nonlocal crc, size
        out.append(compressor.compress(data))
        crc = isal_zlib.crc32(data, crc)
        size += len(data)

    _overlapped(text.chunks(first, stop), consume)
    out.append(compressor.flush(isal_zlib.Z_FINISH if stop == text.count else isal_zlib.Z_SYNC_FLUSH))
    return _Deflated(b"".join(out), crc, size)


def copy_part(zout: zipfile.ZipFile, src: BinaryIO, info: zipfile.ZipInfo) -> None:
    """Copy entry ``info`` of the package open as ``src`` into ``zout`` as its compressed bytes."""
    new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    new.compress_type = info.compress_type
    new.flag_bits = info.flag_bits & ~_USES_DATA_DESCRIPTOR  # sizes and CRC are known: they go in the header
    new.external_attr = info.external_attr
    new.CRC, new.compress_size, new.file_size = info.CRC, info.compress_size, info.file_size
    src.seek(_data_offset(src, info))
    _add_entry(zout, new, lambda fp: _copy_bytes(src, fp, info.compress_size))


def _add_entry(zout: zipfile.ZipFile, info: zipfile.ZipInfo, write_data: Callable[[BinaryIO], None]) -> None:
    """Add an entry whose compressed bytes, CRC and sizes are known (set on ``info``); ``write_data`` writes them.

    zipfile has no public call for this; the entry is added the way ``ZipFile.mkdir`` adds one (header where
    the written entries end, then registered for the central directory; the same code in Python 3.11 to
    3.13), with the data after the header."""
    with zout._lock:
        zout.fp.seek(zout.start_dir)
        info.header_offset = zout.fp.tell()
        zout._writecheck(info)
        zout._didModify = True
        zout.fp.write(info.FileHeader())
        write_data(zout.fp)
        zout.filelist.append(info)
        zout.NameToInfo[info.filename] = info
        zout.start_dir = zout.fp.tell()


def _data_offset(src: BinaryIO, info: zipfile.ZipInfo) -> int:
    """Where an entry's compressed data starts: after its local header, whose name and extra field
    lengths may differ from the central directory's."""
    src.seek(info.header_offset)
    header = src.read(_LOCAL_HEADER.size)
    fields = _LOCAL_HEADER.unpack(header) if len(header) == _LOCAL_HEADER.size else None
    if fields is None or fields[0] != zipfile.stringFileHeader:
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    name_len, extra_len = fields[-2], fields[-1]
    return info.header_offset + _LOCAL_HEADER.size + name_len + extra_len


def _copy_bytes(src: BinaryIO, dst: BinaryIO, size: int) -> None:
    while size > 0:
        block = src.read(min(size, 1 << 20))
        if not block:
            raise zipfile.BadZipFile("truncated entry")
        dst.write(block)
        size -= len(block)
