"""Computed style values looked up directly where the stylesheet sets nothing: every property of every
element and pseudo-element computes to what WeasyPrint's own method gives, on a page that uses the cases
the general path is there for; our reviews print to the same bytes; and most lookups take the short way."""

from __future__ import annotations

from collections import Counter

import weasyprint.css as wcss
from reportkit import bytes_differ_without, with_and_without
from weasyprint import CSS, HTML
from weasyprint.css.properties import INITIAL_VALUES

from salesbook.reports.weasy import stylelookup
from salesbook.reports.weasy.swap import swapped

PAGE = """<!DOCTYPE html><html lang="zh-CN" dir="ltr"><head><meta charset="utf-8"/><title>t</title></head>
<body><h1 style="text-indent: calc(10% + 2px)">标题 <span>继承的缩进</span></h1>
<div class="v" style="--gap: 3mm; margin-block-start: var(--gap); padding-inline: 1em 2ex">
  <p style="text-decoration: underline">下划线 <em>传播 <b>更深</b></em></p>
  <p dir="rtl" style="margin-inline-start: 7px; border-inline-end: 2px solid red">rtl <span>x</span></p>
  <section style="page: wide; float: left; position: relative; width: calc(50% - 1em)">
    <div style="display: flex">x<span style="font-size: larger; line-height: 1.5">y</span></div>
  </section>
  <ol><li>一</li><li style="list-style: square inside">二</li></ol>
  <table><tr><td style="width: var(--missing, 20%)">c</td><td>d</td></tr></table>
</div></body></html>"""

SHEET = """
html { font-family: serif; font-size: 11pt; color: #333 }
.v { color: var(--ink, navy); border: thin dotted; font-weight: bolder }
.v p::before { content: "» "; color: inherit }
em { font-style: inherit; letter-spacing: .1em; word-spacing: calc(1px + 1%) }
@page wide { size: A4 landscape }
"""


def _all_styles() -> list[tuple[str, str, dict[str, str]]]:
    html = HTML(string=PAGE)
    style_for = wcss.get_all_computed_styles(html, user_stylesheets=[CSS(string=SHEET)])
    out = []
    for element in html.etree_element.iter():
        for pseudo in (None, "before", "marker"):
            style = style_for(element, pseudo)
            if style is None:
                continue
            keys = sorted(INITIAL_VALUES)
            # Alternate the order in which properties are first asked for: some compute others.
            values = {key: repr(style[key]) for key in (keys if len(out) % 2 else keys[::-1])}
            out.append((element.tag, pseudo or "", values))
    return out


def test_every_property_computes_as_weasyprints_own_method_gives():
    ours, theirs = with_and_without(stylelookup, _all_styles, out=lambda: not swapped(wcss.ComputedStyle, "__missing__"))
    assert len(ours) == len(theirs) > 20
    for (tag, pseudo, mine), (_, _, stock) in zip(ours, theirs, strict=True):
        differ = {key: (mine[key], stock[key]) for key in mine if mine[key] != stock[key]}
        assert not differ, (tag, pseudo, differ)
    # The page exercises what the short way hands back: inherited math, var(), logical and rtl properties.
    h1_span = next(values for tag, pseudo, values in ours if tag == "span" and not pseudo)
    assert "calc" in h1_span["text_indent"]


def test_install_is_idempotent_and_most_lookups_take_the_short_way(monkeypatch):
    assert stylelookup.install() and stylelookup.install()
    stock = wcss.ComputedStyle.__missing__.__wrapped__
    assert not hasattr(stock, "__wrapped__")
    calls = Counter()

    def general(self, key):
        calls["general"] += 1
        return stock(self, key)

    monkeypatch.setattr(wcss.ComputedStyle, "__missing__", general)  # the installed one is back afterwards
    assert stylelookup.install()
    short = wcss.ComputedStyle.__missing__
    assert short.__wrapped__ is general

    def every(self, key):
        calls["all"] += 1
        return short(self, key)

    wcss.ComputedStyle.__missing__ = every
    HTML(string=PAGE).render(stylesheets=[CSS(string=SHEET)])
    assert calls["all"] > 1000
    assert 0 < calls["general"] < calls["all"] * 0.4, calls


def test_reviews_print_the_same_bytes_with_and_without(computed_zh, computed_en):
    cases = [("rep", "2026Q1"), ("region", "2026Q1"), ("company", "2026Q1")]
    assert bytes_differ_without(stylelookup, [(computed_zh, "zh"), (computed_en, "en")], cases,
                                out=lambda: not hasattr(wcss.ComputedStyle.__missing__, "__wrapped__")) == []
