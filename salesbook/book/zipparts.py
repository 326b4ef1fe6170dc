"""Writing the parts of a workbook package: copies kept compressed, generated parts streamed in.

A computed workbook is mostly the user's own parts (the input sheets of a large book run to
hundreds of megabytes of XML), so those are copied as their compressed bytes, never inflated and
deflated again; only generated parts are deflated, at the fastest level, while they are produced.
Entries get fixed dates or keep their own, so the same inputs give the same bytes.
"""

from __future__ import annotations

import concurrent.futures
import struct
import zipfile
from collections.abc import Iterable
from typing import BinaryIO

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
    with zout.open(new_info(part), "w", force_zip64=force_zip64) as dst, \
            concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        if isal_zlib is not None and hasattr(dst, "_compressor"):  # zipfile deflates through this object
            dst._compressor = isal_zlib.compressobj(1, isal_zlib.DEFLATED, -15)
        pending: concurrent.futures.Future | None = None
        for chunk in chunks:
            data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
            if pending is not None:
                pending.result()
            pending = pool.submit(dst.write, data)
        if pending is not None:
            pending.result()


def copy_part(zout: zipfile.ZipFile, src: BinaryIO, info: zipfile.ZipInfo) -> None:
    """Copy entry ``info`` of the package open as ``src`` into ``zout`` as its compressed bytes.

    zipfile has no public call for a raw copy; the entry is added the way ``ZipFile.mkdir`` adds one
    (header where the written entries end, then registered for the central directory; the same
    code in Python 3.11 to 3.13), with the data after the header.
    """
    new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    new.compress_type = info.compress_type
    new.flag_bits = info.flag_bits & ~_USES_DATA_DESCRIPTOR  # sizes and CRC are known: they go in the header
    new.external_attr = info.external_attr
    new.CRC, new.compress_size, new.file_size = info.CRC, info.compress_size, info.file_size
    src.seek(_data_offset(src, info))
    with zout._lock:
        zout.fp.seek(zout.start_dir)
        new.header_offset = zout.fp.tell()
        zout._writecheck(new)
        zout._didModify = True
        zout.fp.write(new.FileHeader())
        _copy_bytes(src, zout.fp, info.compress_size)
        zout.filelist.append(new)
        zout.NameToInfo[new.filename] = new
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
