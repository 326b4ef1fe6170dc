"""A stamp of the package parts an input table's cells are read from, to tell an unchanged table without
reading it.

A table's cells as read depend on its worksheet part, its table part (the range), the shared strings, the
cell formats' number formats (a number with a date format reads as a date) and the workbook's date system.
``salesbook run`` copies each of the user's parts into the computed book as it is (``zipparts.copy_part``),
so those parts keep the CRC-32 and size the zip's central directory records for them: comparing those
reads no part at all (``ooxml.changed_parts`` compares packages the same way). styles.xml does gain
salesbook's own formats in the computed book, appended after the user's, so the stamp takes the number
formats of the first cell formats only, as many as the book had when it was computed.

A stamp that differs means only "maybe changed": the caller then reads the table and compares its cell
fingerprint, so a book that Excel re-saved (every part rewritten, the same cells) is not taken as changed.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from salesbook.book import xmlparts
from salesbook.book.package import main_part, relationships, rels_of

SCHEME = "z1"
_SHARED_STRINGS = xmlparts.REL_NS + "/sharedStrings"
_STYLES = xmlparts.REL_NS + "/styles"
_DATE1904 = re.compile(rb'<(?:[\w.-]+:)?workbookPr\b[^>]*\bdate1904="(1|true)"')


@dataclass(frozen=True)
class PackageFacts:
    """What every table's stamp shares: the shared strings' entry, the cell formats, the date system."""

    entries: dict[str, tuple[int, int]]       # part -> (CRC-32, size), from the central directory
    shared_strings: str | None
    formats: tuple[str, ...]                  # each cell format's number format, in styles.xml order
    date1904: bool


def package_facts(zf: zipfile.ZipFile) -> PackageFacts:
    entries = {i.filename: (i.CRC, i.file_size) for i in zf.infolist()}

    def read(name: str) -> bytes | None:
        return zf.read(name) if name in entries else None

    wb_part = main_part(read)
    rels = relationships(read(rels_of(wb_part)), wb_part)
    sst = next((r.target for r in rels if r.type == _SHARED_STRINGS and r.target in entries), None)
    styles = next((r.target for r in rels if r.type == _STYLES and r.target in entries), None)
    workbook = read(wb_part) or b""
    return PackageFacts(entries=entries, shared_strings=sst, formats=_formats(read(styles) if styles else None),
                        date1904=_DATE1904.search(workbook) is not None)


def _formats(styles: bytes | None) -> tuple[str, ...]:
    """Each cell format (``cellXfs``) as its number format: a built-in id, or the custom format's code."""
    if not styles:
        return ()
    root = xmlparts.parse(styles)
    codes = {}
    for group in root.findall(xmlparts.MAIN_NS, "numFmts"):
        for fmt in group.findall(xmlparts.MAIN_NS, "numFmt"):
            codes[fmt.get("numFmtId", "")] = fmt.get("formatCode", "")
    out: list[str] = []
    for group in root.findall(xmlparts.MAIN_NS, "cellXfs"):
        for xf in group.findall(xmlparts.MAIN_NS, "xf"):
            fid = xf.get("numFmtId", "0") or "0"
            out.append(f"code:{codes[fid]}" if fid in codes else f"id:{fid}")
    return tuple(out)


def table_stamp(facts: PackageFacts, parts: Sequence[str], formats: int | None = None) -> str | None:
    """``z1:<number of cell formats>:<digest>`` of the table's own ``parts`` (worksheet, table) and what the
    package shares; ``formats`` cuts the cell formats to a count recorded earlier. None when a part is missing."""
    n = len(facts.formats) if formats is None else formats
    if n > len(facts.formats):
        return None
    digest = hashlib.blake2b(digest_size=16)
    for part in (*parts, facts.shared_strings):
        if part is None:
            continue
        if part not in facts.entries:
            return None
        crc, size = facts.entries[part]
        digest.update(f"{part}\x00{crc}\x00{size}\n".encode())
    digest.update(b"1904" if facts.date1904 else b"1900")
    digest.update("\x00".join(facts.formats[:n]).encode("utf-8", "surrogatepass"))
    return f"{SCHEME}:{n}:{digest.hexdigest()}"


def recorded_formats(stamp: str) -> int | None:
    """The count of cell formats a stored stamp was made with; None for anything not a stamp of ours."""
    head, _, rest = stamp.partition(":")
    count, _, digest = rest.partition(":")
    return int(count) if head == SCHEME and count.isdigit() and digest else None
