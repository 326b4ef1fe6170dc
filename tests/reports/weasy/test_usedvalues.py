"""Used values set without a call per property: every box of a page built to hit the general paths gets the
values WeasyPrint's own functions give it, our reviews print to the same bytes with and without, and most
boxes take the short way."""

from __future__ import annotations

import functools
from collections import Counter

import weasyprint.layout.background as wbackground
import weasyprint.layout.percent as wpercent
from reportkit import bytes_differ_without, with_and_without
from weasyprint import CSS, HTML

from salesbook.reports.weasy import usedvalues
from salesbook.reports.weasy.swap import swapped

# Percentages of every kind of containing block, calc(), auto minimums, box-sizing, collapsed and separate
# borders, rounded corners, every kind of background the short way must leave alone, a hidden box and a
# page background.
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"/><title>t</title></head><body>
<div style="width: 60%; padding: 2% 3mm; margin: 1em 5% auto; min-width: 10%; max-height: 80%">
  <p style="width: calc(50% - 2mm); margin-left: calc(10% + 1px); box-sizing: border-box; border: 2px solid">a</p>
  <p style="height: 30%; min-height: calc(5% + 2px); box-sizing: padding-box; padding: 4%">b</p>
  <span style="display: inline-block; width: 40%; padding-left: 1%">c</span>
</div>
<div style="height: 50mm"><div style="height: 20%; max-height: 40mm; min-height: auto">d</div></div>
<table style="border-collapse: collapse; width: 80%"><tr><td style="border: 3px solid; width: 30%">e</td>
  <td style="border: 1px dashed; padding: 5%">f</td></tr></table>
<table style="border-collapse: separate; border-spacing: 2px"><tr><td style="border: 2px solid">g</td></tr></table>
<p style="border-radius: 3mm; border: 1px solid">rounded</p>
<p style="border-top-left-radius: 10% 5%">one corner</p>
<p style="background: #eef">coloured</p>
<p style="background-color: rgba(0, 0, 0, 0.5)">half</p>
<p style="background-image: linear-gradient(red, blue)">gradient</p>
<p style="box-shadow: 1px 1px 2px gray">shadow</p>
<p style="visibility: hidden; background: red">hidden</p>
<p style="color: green; background-color: currentcolor">current</p>
<p style="border-image: linear-gradient(red, blue) 1; border: 2px solid">border image</p>
<div style="position: absolute; left: 10%; top: 5%; width: 20%">absolute</div>
<div style="float: right; width: 25%; padding: 1%">float</div>
<div style="display: flex"><div style="flex: 1; margin: 2%">flex</div></div>
<div style="display: grid; grid-template-columns: 1fr 2fr"><div style="padding: 3%">grid</div></div>
<div style="columns: 2; width: 70%"><p style="margin: 1%">columns</p></div>
</body></html>"""
SHEET = "@page { size: A5; margin: 10%; background: #fafafa } html { font-size: 10pt }"
_FIELDS = ("margin_top", "margin_right", "margin_bottom", "margin_left", "padding_top", "padding_right",
           "padding_bottom", "padding_left", "width", "height", "min_width", "min_height", "max_width",
           "max_height", "border_top_width", "border_right_width", "border_bottom_width", "border_left_width",
           "border_top_left_radius", "border_top_right_radius", "border_bottom_right_radius",
           "border_bottom_left_radius", "position_x", "position_y")


def _boxes(box, out: list) -> list:
    values = {name: getattr(box, name, "-") for name in _FIELDS}
    background = getattr(box, "background", "-")
    values["background"] = "-" if background == "-" else repr(background and (background.color, len(background.layers)))
    out.append((type(box).__name__, getattr(box, "element_tag", ""), values))
    for child in box.all_children():
        _boxes(child, out)
    return out


def _laid_out() -> tuple[list, bytes]:
    document = HTML(string=PAGE).render(stylesheets=[CSS(string=SHEET)])
    found: list = []
    for page in document.pages:
        _boxes(page._page_box, found)
    return found, document.write_pdf()


def test_every_box_gets_the_values_weasyprints_own_functions_give():
    (ours, ours_pdf), (theirs, theirs_pdf) = with_and_without(
        usedvalues, _laid_out, out=lambda: not swapped(wpercent, "resolve_percentages"))
    assert len(ours) == len(theirs) > 60
    for (kind, tag, mine), (_, _, stock) in zip(ours, theirs, strict=True):
        differ = {name: (mine[name], stock[name]) for name in mine if mine[name] != stock[name]}
        assert not differ, (kind, tag, differ)
    assert ours_pdf == theirs_pdf
    # the page exercises the general paths: some backgrounds are there, some percentages resolved
    assert sum(values["background"] not in ("None", "-") for _, _, values in ours) >= 6


def test_install_is_idempotent_and_most_boxes_take_the_short_way(monkeypatch):
    assert usedvalues.install() and usedvalues.install()
    usedvalues.uninstall()
    calls: Counter[str] = Counter()
    stock_backgrounds, stock_percentage = wbackground.layout_box_backgrounds, wpercent.percentage

    @functools.wraps(stock_backgrounds)
    def backgrounds(*args, **kwargs):
        calls["backgrounds"] += 1
        return stock_backgrounds(*args, **kwargs)

    @functools.wraps(stock_percentage)
    def percentage(*args, **kwargs):
        calls["percentage"] += 1
        return stock_percentage(*args, **kwargs)

    monkeypatch.setattr(wbackground, "layout_box_backgrounds", backgrounds)
    monkeypatch.setattr(wpercent, "percentage", percentage)
    page = "<table>" + "<tr><td>x</td><td>y</td></tr>" * 40 + "</table>"
    HTML(string=page).write_pdf()
    plain = calls.copy()
    calls.clear()
    try:
        assert usedvalues.install()   # around the counting stand-ins
        HTML(string=page).write_pdf()
    finally:
        usedvalues.uninstall()
        monkeypatch.undo()
        assert usedvalues.install()
    assert plain["backgrounds"] > 120 and plain["percentage"] > 120 * 15, plain
    assert calls["backgrounds"] <= 2, calls   # the page (it always has a background) and nothing else
    assert calls["percentage"] < plain["percentage"] / 5, (calls, plain)


def test_reviews_print_the_same_bytes_with_and_without(computed_zh, computed_en):
    cases = [("rep", "2026"), ("region", "2026Q1"), ("company", "2026")]
    assert bytes_differ_without(usedvalues, [(computed_zh, "zh"), (computed_en, "en")], cases,
                                out=lambda: not hasattr(wpercent.resolve_percentages, "__wrapped__")) == []
