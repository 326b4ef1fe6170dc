"""The file identifier written into the finished PDF: every object stays where the cross-reference stream
says, the identifier names the input and the file's content, and a file of another layout is left alone."""

from __future__ import annotations

import re
import zlib

from salesbook.reports.weasy.pdfid import with_identifier


def test_file_identifier_is_added_without_moving_any_object(zh_reports):
    """The /ID goes into the trailer after WeasyPrint wrote the file: every offset in the cross-reference
    stream must still land on its object, and the identifier names the input and the file's content."""
    import hashlib

    out, _ = zh_reports
    pdf = sorted(out.glob("*.pdf"))[0].read_bytes()
    trailer = re.search(rb"(\d+) 0 obj\n<</ID \[<([0-9a-f]{32})> <([0-9a-f]{32})>\]/Type /XRef(.*?)>>\nstream\n", pdf, re.S)
    assert trailer, "the trailer carries a file identifier"
    widths = [int(w) for w in re.search(rb"/W \[(\d+) (\d+) (\d+)\]", trailer[4]).groups()]
    size = int(re.search(rb"/Size (\d+)", trailer[4])[1])
    rows = zlib.decompress(pdf[trailer.end():])
    step = sum(widths)
    assert len(rows) >= size * step
    direct = 0
    for number in range(size):
        row = rows[number * step:(number + 1) * step]
        kind = row[0]
        offset = int.from_bytes(row[widths[0]:widths[0] + widths[1]], "big")
        if kind == 1:
            assert pdf[offset:].startswith(f"{number} 0 obj".encode()), f"object {number} is not at {offset}"
            direct += 1
    assert direct >= 3
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\s*$", pdf)[1])
    assert pdf[start:].startswith(trailer[1] + b" 0 obj")
    without = pdf.replace(b"/ID [<" + trailer[2] + b"> <" + trailer[3] + b">]", b"", 1)
    assert trailer[3].decode() == hashlib.md5(without, usedforsecurity=False).hexdigest()


def test_a_file_without_a_cross_reference_stream_is_left_alone():
    classic = b"%PDF-1.4\n1 0 obj\n<</Type /Catalog>>\nendobj\nxref\n0 2\ntrailer\n<</Size 2>>\nstartxref\n9\n%%EOF\n"
    assert with_identifier(classic, b"ab" * 16) == classic
    assert with_identifier(b"<</Type /XRef>>\nstream\nendobj\nstartxref\n", b"abc") == \
        b"<</Type /XRef>>\nstream\nendobj\nstartxref\n"   # an identifier of odd length is no hex string
