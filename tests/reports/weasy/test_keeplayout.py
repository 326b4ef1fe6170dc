"""Measured text layouts kept for drawing: our reviews print to the same bytes with and without, most
drawn texts use the layout they were measured with, and anything else still takes WeasyPrint's own way."""

from __future__ import annotations

from collections import Counter

import weasyprint.text.line_break as line_break
from reportkit import bytes_differ_without, with_and_without
from weasyprint import HTML

from salesbook.reports.weasy import keeplayout


def test_reviews_print_the_same_bytes_with_and_without(computed_zh, computed_en):
    cases = [("rep", "2026"), ("rep", "2026Q1"), ("region", "2026"), ("company", "2026")]
    assert bytes_differ_without(keeplayout, [(computed_zh, "zh"), (computed_en, "en")], cases,
                                out=lambda: not hasattr(line_break.first_line_metrics, "__wrapped__")) == []


def test_most_drawn_texts_reuse_their_measured_layout(monkeypatch):
    assert keeplayout.install() and keeplayout.install()
    stock_setup = line_break.Layout.setup
    calls: Counter[str] = Counter()

    def setup(self, style):
        calls["setup"] += 1
        return stock_setup(self, style)

    monkeypatch.setattr(line_break.Layout, "setup", setup)
    page = "<p>" + "".join(f"<span style='display: inline-block'>cell {i}</span> " for i in range(40)) + "</p>"
    HTML(string=page).write_pdf()
    with_seam = calls["setup"]
    calls.clear()
    keeplayout.uninstall()
    try:
        HTML(string=page).write_pdf()
    finally:
        assert keeplayout.install()
    assert with_seam < calls["setup"] * 0.75, (with_seam, calls["setup"])


def test_justified_text_prints_the_same_with_and_without():
    """Justified text (its lines laid out again once the spacing is known) prints the same either way."""
    words = " ".join(["justified words spread out"] * 30)
    page = (f"<html><head><meta name='dcterms.created' content='2026-01-01T00:00:00Z'/><meta name="
            f"'dcterms.modified' content='2026-01-01T00:00:00Z'/></head><body><p style='text-align: justify; "
            f"width: 80mm; letter-spacing: 0.1pt'>{words}</p></body></html>")
    ours, theirs = with_and_without(keeplayout, lambda: HTML(string=page).write_pdf())
    assert ours == theirs
