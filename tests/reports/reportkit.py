"""Helpers for the report tests: poppler wrappers and the hostile names (imported by conftest and tests)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

EVIL_IMG = '<img src="file:///etc/passwd">'
EVIL_SCRIPT = "<script>alert(1)</script>"
CREATED = "2026-04-01T09:00:00Z"
TYPED_PASSWORD = "harbour-42-tulip-9"  # typed in Recipients for R0002 in the shared_zh book; the others are generated


def pdftotext(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-layout", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdfinfo(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pdffonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    return [line.split() for line in out[2:] if line.strip()]


def outline(pdf: Path) -> list[str]:
    """PDF bookmark titles, via poppler's XML export."""
    import xml.etree.ElementTree as ET

    xml = subprocess.run(["pdftohtml", "-xml", "-stdout", "-i", "-q", str(pdf)], capture_output=True, check=True).stdout
    root = ET.fromstring(xml)
    return ["".join(item.itertext()).strip() for item in root.iter("item")]


def send_list(csv_path: Path) -> list[dict[str, str]]:
    """The rows of a send list's CSV, keyed by its (book-language) headers."""
    import csv

    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def pdftotext_pw(pdf: Path, password: str | None, first: int | None = None, last: int | None = None
                 ) -> subprocess.CompletedProcess:
    """pdftotext with a user password (None: without one); returns the process, so failures can be checked."""
    args = ["pdftotext", "-layout", "-enc", "UTF-8"]
    if password is not None:
        args += ["-upw", password]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True)


def bbox_words(pdf: bytes) -> list[tuple[int, str, float, float, float, float]]:
    """Every word poppler finds, in reading order: (page, text, xMin, yMin, xMax, yMax) in points."""
    import xml.etree.ElementTree as ET

    out = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    root = ET.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", out))
    ns = "{http://www.w3.org/1999/xhtml}"
    return [(number, word.text or "", *(float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
            for number, page in enumerate(root.iter(f"{ns}page"), 1) for word in page.iter(f"{ns}word")]


STILL = 0.01     # pt: poppler prints boxes to 1/1000 pt; glyph advances round to Pango units (1/1024 pt)
KERNED = 1.5     # pt: what kerning may shift a word on a line with Latin letters
LATIN = re.compile(r"[A-Za-z]")


def moved_too_far(seams: list[tuple], plain: list[tuple]) -> list[str]:
    """The words of two renderings (``bbox_words``) that are not the same words in the same places (the
    tolerances are explained in tests/reports/weasy/test_plain_vs_seams.py)."""
    if [w[:2] for w in seams] != [w[:2] for w in plain]:
        return ["the words differ"]
    wrong: list[str] = []
    line, kerned = None, False
    for (page, text, *box), (_, _, *other) in zip(seams, plain, strict=True):
        if (page, box[3]) != line:   # a new line: same page and baseline (yMax)
            line, kerned = (page, box[3]), False
        kerned = kerned or bool(LATIN.search(text))
        dx = max(abs(box[0] - other[0]), abs(box[2] - other[2]))
        dy = max(abs(box[1] - other[1]), abs(box[3] - other[3]))
        if dy > STILL or dx > (KERNED if kerned else STILL):
            wrong.append(f"page {page} {text!r}: moved {dx:.3f} pt sideways, {dy:.3f} pt up or down")
    return wrong


def with_and_without(seam, make, out=None) -> tuple:
    """``make()`` with ``seam`` (a module of salesbook.reports.weasy with install/uninstall) in, then again with
    it taken out (``out`` says whether it really is), the seam put back either way: ours, then WeasyPrint's own."""
    assert seam.install()
    ours = make()
    seam.uninstall()
    try:
        assert out is None or out(), f"{seam.__name__} is still in"
        theirs = make()
    finally:
        assert seam.install()
    return ours, theirs


def bytes_differ_without(seam, books: list[tuple[Path, str]], cases: list[tuple[str, str]], out=None) -> list[tuple]:
    """The reviews (language, per, period) whose PDF bytes change when ``seam`` (a module of
    salesbook.reports.weasy with install/uninstall) is taken out: each case's last review of each book is
    rendered with it and again without it. ``out`` says whether the seam is really out while it is."""
    from salesbook.reports.api import plan
    from salesbook.reports.batch import created_stamp
    from salesbook.reports.context import load_review_data
    from salesbook.reports.fonts import charset, ensure_fonts
    from salesbook.reports.pdf import PdfOptions, PdfRenderer
    from salesbook.reports.templates import pdf_source

    differ = []
    for computed, lang in books:
        data = load_review_data(computed)
        for per, period in cases:
            jobs, _ = plan(data, per, period, lang)
            html, charts = pdf_source(jobs[-1].context, created=created_stamp(CREATED))
            renderer = PdfRenderer(PdfOptions(fonts=ensure_fonts(charset([html, *charts.values()]))))
            ours, theirs = with_and_without(seam, lambda: renderer.render(html, charts, lang), out)  # noqa: B023
            if ours != theirs:
                differ.append((lang, per, period))
    return differ
