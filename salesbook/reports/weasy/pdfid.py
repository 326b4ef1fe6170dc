"""The PDF's file identifier written into the finished file, instead of through WeasyPrint's
``pdf_identifier`` (which pydyf honours by serialising and compressing every object a second time).

Why: given an identifier, pydyf 0.13 writes the whole document once more into a buffer only to hash it,
compressing every stream again at zlib level 9: 3-4% of a review's rendering time. The trailer pydyf
writes for WeasyPrint is a cross-reference stream, the file's last object, and nothing points past its
start: text inserted into its dictionary moves no object that an offset refers to. Where that layout is
not found the file is returned unchanged (the identifier is optional in PDF 1.7, section 14.4).
"""

from __future__ import annotations

import hashlib


def with_identifier(pdf: bytes, identifier: bytes) -> bytes:
    """The PDF with a file identifier (``/ID [<ours> <md5 of the file>]``) added to its trailer."""
    at = pdf.rfind(b"<</Type /XRef")
    if at < 0 or pdf.find(b"startxref", at) < 0 or pdf.find(b"endobj", at) < 0 or len(identifier) % 2:
        return pdf
    content = hashlib.md5(pdf, usedforsecurity=False).hexdigest().encode()
    at += 2
    return pdf[:at] + b"/ID [<" + identifier + b"> <" + content + b">]" + pdf[at:]
