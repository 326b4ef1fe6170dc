"""PDF streams at zlib level 6: every stream of a rendered review is exactly what level 6 gives for its
content (pydyf asks for 9), the file still reads back, and uninstalling restores pydyf as installed."""

from __future__ import annotations

import re
import zlib

import pydyf
import pytest
from reportkit import CREATED, with_and_without

from salesbook.reports.api import plan
from salesbook.reports.batch import created_stamp
from salesbook.reports.context import load_review_data
from salesbook.reports.fonts import charset, ensure_fonts
from salesbook.reports.pdf import PdfOptions, PdfRenderer
from salesbook.reports.templates import pdf_source
from salesbook.reports.weasy import pdfzip

pytestmark = pytest.mark.usefixtures("poppler")


def _review(computed_zh) -> tuple[str, dict[str, str]]:
    jobs, _ = plan(load_review_data(computed_zh), "rep", "2026Q1", "zh")
    return pdf_source(jobs[0].context, created=created_stamp(CREATED))


def _streams(pdf: bytes) -> list[bytes]:
    return [m[1] for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)]


def test_every_stream_is_compressed_at_level_6(computed_zh):
    html, charts = _review(computed_zh)
    renderer = PdfRenderer(PdfOptions(fonts=ensure_fonts(charset([html, *charts.values()]))))
    assert isinstance(pydyf.zlib, pdfzip._Zlib)
    streams = _streams(renderer.render(html, charts, "zh"))
    assert len(streams) > 10
    for raw in streams:
        data = zlib.decompress(raw)
        level6 = zlib.compressobj(6)
        level9 = zlib.compressobj(9)
        assert raw == level6.compress(data) + level6.flush()
        assert raw != level9.compress(data) + level9.flush() or len(data) < 2000  # small streams come out alike


def test_uninstall_restores_pydyf_and_level_9_comes_back(computed_zh):
    html, charts = _review(computed_zh)
    renderer = PdfRenderer(PdfOptions(fonts=ensure_fonts(charset([html, *charts.values()]))))
    ours, theirs = with_and_without(pdfzip, lambda: renderer.render(html, charts, "zh"), out=lambda: pydyf.zlib is zlib)
    assert isinstance(pydyf.zlib, pdfzip._Zlib)
    # Same content, other compression: a few hundred bytes apart, every stream inflating to the same data
    # but the last, the cross-reference stream, whose offsets move with the compressed sizes before it.
    assert ours != theirs and abs(len(ours) - len(theirs)) < len(theirs) * 0.02
    inflated = [[zlib.decompress(s) for s in _streams(pdf)] for pdf in (ours, theirs)]
    assert inflated[0][:-1] == inflated[1][:-1]
