"""Encrypting reviews: AES-256 PDFs that open only with their owner's password (pikepdf, over qpdf).

Encryption is PDF 2.0's standard security handler, revision 6 (AES-256, "AESV3"), which every current
reader opens. The reader may print and copy text (the owner reads their own figures; screen readers
need the text); changing the document is not allowed. The owner password that guards those
permissions is random and thrown away: nobody needs it, since a changed file is simply made again.
Title and other metadata are encrypted with the content. Nothing here writes a file or logs a password.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
from pikepdf import Encryption, OutlineItem, PageLocation, Pdf, Permissions

PERMISSIONS = Permissions(accessibility=True, extract=True, print_lowres=True, print_highres=True,
                          modify_annotation=False, modify_assembly=False, modify_form=False, modify_other=False)


@dataclass(frozen=True)
class Part:
    """One review inside a pack: its bookmark title and its PDF bytes."""

    title: str
    pdf: bytes


def encryption(password: str) -> Encryption:
    if not password:
        raise ValueError("an empty password would open the file for anyone")
    return Encryption(user=password, owner=secrets.token_urlsafe(32), R=6, aes=True, metadata=True,
                      allow=PERMISSIONS)


def _save(pdf: Pdf, password: str) -> bytes:
    buf = io.BytesIO()
    pdf.save(buf, encryption=encryption(password))
    return buf.getvalue()


def encrypt_pdf(blob: bytes, password: str) -> bytes:
    """The same PDF (pages, bookmarks, metadata), encrypted for ``password``."""
    with Pdf.open(io.BytesIO(blob)) as pdf:
        return _save(pdf, password)


def _copy_outline(src: Pdf, into: list[OutlineItem], offset: int) -> bool:
    """The source's bookmarks appended to ``into``, pointing at the same places among the pack's pages;
    False when the source has none."""
    pages = {page.objgen: i for i, page in enumerate(src.pages)}
    with src.open_outline() as outline:
        stack: list[tuple[OutlineItem, list[OutlineItem]]] = [(item, into) for item in outline.root]
        found = bool(stack)
        while stack:
            item, siblings = stack.pop(0)
            dest = item.destination
            index, left, top = 0, None, None
            if isinstance(dest, pikepdf.Array) and len(dest) and isinstance(dest[0], pikepdf.Dictionary):
                index = pages.get(dest[0].objgen, 0)
                if len(dest) >= 4 and str(dest[1]) == "/XYZ":
                    left, top = float(dest[2]), float(dest[3])
            copy = OutlineItem(item.title, offset + index, PageLocation.XYZ if top is not None else None,
                               left=left, top=top)
            siblings.append(copy)
            stack.extend((child, copy.children) for child in item.children)
    return found


def pack_pdf(parts: Sequence[Part], password: str, *, title: str) -> bytes:
    """The parts as one PDF, encrypted for ``password``. Each part keeps its own bookmarks (a review's title
    with its sections below), or gets one with its ``title`` if it has none."""
    if not parts:
        raise ValueError("a pack needs at least one review")
    out = Pdf.new()
    sources = [Pdf.open(io.BytesIO(part.pdf)) for part in parts]
    try:
        first = sources[0]
        with out.open_outline() as outline:
            for part, src in zip(parts, sources, strict=True):
                start = len(out.pages)
                out.pages.extend(src.pages)
                if not _copy_outline(src, outline.root, start):
                    outline.root.append(OutlineItem(part.title, start))
        if "/Lang" in first.Root:
            out.Root.Lang = first.Root.Lang
        out.Root.PageMode = pikepdf.Name.UseOutlines  # open with the list of reviews showing
        info = {k: v for k, v in first.docinfo.items() if k in ("/Creator", "/Producer", "/CreationDate", "/ModDate")}
        info["/Title"] = pikepdf.String(title)
        out.docinfo = out.make_indirect(pikepdf.Dictionary(info))
        return _save(out, password)
    finally:
        for src in sources:
            src.close()
