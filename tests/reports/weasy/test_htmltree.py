"""Our review HTML goes to WeasyPrint as an expat tree, with our lean user-agent stylesheet: the same PDF
bytes as its own HTML parser and stylesheet give, for every kind of review in both languages; markup that
is not XML still prints, the slow way."""

from __future__ import annotations

import pytest
from reportkit import CREATED
from weasyprint import HTML

from salesbook.reports.api import plan
from salesbook.reports.batch import created_stamp
from salesbook.reports.context import load_review_data
from salesbook.reports.fonts import charset, ensure_fonts
from salesbook.reports.pdf import PdfOptions, PdfRenderer
from salesbook.reports.templates import pdf_source
from salesbook.reports.weasy import htmltree, uasheet


def _pdf(renderer: PdfRenderer, document: HTML, lang: str) -> bytes:
    doc = document.render(stylesheets=[renderer.css(lang)], font_config=renderer.font_config)
    return doc.write_pdf(pdf_identifier=b"0" * 32)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("per", ["rep", "region", "company"])
def test_tree_route_and_lean_stylesheet_give_the_same_pdf_as_weasyprints_own(per, lang, computed_zh, computed_en):
    data = load_review_data(computed_zh if lang == "zh" else computed_en)
    jobs, failures = plan(data, per, "2026Q1", lang)
    assert jobs and not failures
    job = jobs[min(3, len(jobs) - 1)]
    html, charts = pdf_source(job.context, created=created_stamp(CREATED))
    assert charts, "the review has charts"
    renderer = PdfRenderer(PdfOptions(fonts=ensure_fonts(charset([html, *charts.values()]))))
    renderer.fetcher.charts = charts

    fast = htmltree.document(html, renderer.fetcher)
    assert isinstance(fast, htmltree.TreeHTML), "the packaged templates must stay well-formed XML"
    slow = HTML(string=html, url_fetcher=renderer.fetcher)
    assert _pdf(renderer, fast, lang) == _pdf(renderer, slow, lang)
    # ... and with the lean user-agent stylesheet the renderer picks for our reviews
    assert renderer._lean_ua and not uasheet.uses_pseudo_boxes(html)
    lean = htmltree.document(html, renderer.fetcher, uasheet.lean_sheet())
    assert lean._ua_stylesheets() == [uasheet.lean_sheet()]
    assert _pdf(renderer, lean, lang) == _pdf(renderer, slow, lang)


@pytest.mark.parametrize("markup", [
    "<p>Q1<br>review&nbsp;notes</p>",             # HTML void element, HTML-only entity
    "<p>unclosed <b>bold</p>",
    '<base href="https://example.invalid/"><p>with a base URL</p>',
])
def test_markup_that_is_not_plain_xml_takes_weasyprints_own_parser(markup):
    html = f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><title>t</title></head><body>{markup}</body></html>'
    document = htmltree.document(html, None)
    assert not isinstance(document, htmltree.TreeHTML)
    assert type(document) is HTML


def test_tree_route_keeps_text_language_and_title():
    html = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"/><title>销售代表业绩回顾</title></head>'
            '<body><p>实际 &amp; 目标 &lt;100%&gt;</p></body></html>')
    document = htmltree.document(html, None)
    assert isinstance(document, htmltree.TreeHTML)
    root = document.etree_element
    assert root.get("lang") == "zh-CN"
    assert root.find("head/title").text == "销售代表业绩回顾"
    assert root.find("body/p").text == "实际 & 目标 <100%>"
