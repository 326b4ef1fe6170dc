"""Amounts in the PDF do not ask for tabular figures: the cut font's digits already share one width, so the
request only cost a font-feature attribute per amount. Same bytes either way; the HTML keeps asking."""

from __future__ import annotations

import pytest
from reportkit import CREATED

from salesbook.reports import pdf
from salesbook.reports.api import plan
from salesbook.reports.batch import created_stamp
from salesbook.reports.context import load_review_data
from salesbook.reports.fonts import charset, ensure_fonts, find_source
from salesbook.reports.pdf import PdfOptions, PdfRenderer
from salesbook.reports.templates import pdf_source, stylesheet


@pytest.mark.parametrize("weight", ["regular", "bold"])
def test_the_fonts_digits_share_one_width_and_it_has_no_tabular_figures(weight):
    from fontTools.ttLib import TTFont

    source = find_source(weight)
    if source is None:
        pytest.skip("Noto Sans CJK SC is not installed")
    font = TTFont(str(source[0]), fontNumber=source[1], lazy=True)
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    assert len({hmtx[cmap[ord(d)]][0] for d in "0123456789"}) == 1
    for table in ("GSUB", "GPOS"):
        if table in font:
            assert "tnum" not in {r.FeatureTag for r in font[table].table.FeatureList.FeatureRecord}


def test_reviews_print_the_same_bytes_with_or_without_asking_for_tabular_figures(computed_zh, monkeypatch):
    assert "tabular-nums" in stylesheet(None)   # on screens, with other fonts, amounts still line up
    data = load_review_data(computed_zh)
    for per in ("rep", "region", "company"):
        jobs, _ = plan(data, per, "2026", "zh")
        html, charts = pdf_source(jobs[-1].context, created=created_stamp(CREATED))
        fonts = ensure_fonts(charset([html, *charts.values()]))
        ours = PdfRenderer(PdfOptions(fonts=fonts))
        assert "font-variant-numeric: normal" in ours.stylesheet_text("zh")
        with monkeypatch.context() as m:
            m.setattr(pdf, "SAME_WIDTH_DIGITS", "")
            asking = PdfRenderer(PdfOptions(fonts=fonts))
        assert "font-variant-numeric: normal" not in asking.stylesheet_text("zh")
        assert ours.render(html, charts, "zh") == asking.render(html, charts, "zh"), per
