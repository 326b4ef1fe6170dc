"""Statement column widths from the printed texts: never narrower than the real glyphs of the font the
reviews print with, never more than the table, and no widths (the table measures itself) where the texts
cannot fit; in the PDF every amount stays inside its column and on the page."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportkit import CREATED

from salesbook.reports.context import index_review_data, load_review_data
from salesbook.reports.fonts import find_source
from salesbook.reports.weasy import colwidths

SAMPLES = ["¥1,234,567.89", "-¥872.67", "$88,000,000.00", "100.0%", "9,999.99%", "应付提成", "Commission payable",
           "Clawbacks", "Mar", "合计", "Total", "–", "W M m w", "HK$12,345.00"]


def _advance_em(text: str, weight: str) -> float:
    """The real width of ``text`` in the system's Noto Sans CJK SC, from the font's own metrics."""
    from fontTools.ttLib import TTFont

    path, index = find_source(weight)
    font = TTFont(path, fontNumber=index, lazy=True)
    cmap, hmtx, upm = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    return sum(hmtx[cmap[ord(ch)]][0] for ch in text) / upm


@pytest.mark.parametrize("weight", ["regular", "bold"])
def test_the_estimate_is_never_narrower_than_the_font(weight):
    if find_source(weight) is None:
        pytest.skip("Noto Sans CJK SC is not installed")
    for text in SAMPLES:
        real = _advance_em(text, weight)
        assert real <= colwidths.text_em(text) <= real * 1.5, text   # safe, and not wastefully so


def test_headers_may_wrap_between_words_or_chinese_characters():
    assert colwidths.narrowest_em("Commission payable") == colwidths.text_em("Commission")
    assert colwidths.narrowest_em("应付提成") == colwidths.text_em("应")


cells = st.text(alphabet="0123456789,.¥-%月合计", min_size=1, max_size=16)


@given(st.integers(min_value=1, max_value=10).flatmap(
    lambda n: st.tuples(st.lists(cells, min_size=n, max_size=n),
                        st.lists(st.lists(cells, min_size=n, max_size=n), max_size=14))))
def test_widths_fit_the_texts_and_never_exceed_the_table(table):
    head, rows = table
    widths = colwidths.fixed_widths(head, rows, font_pt=7.5, table_mm=182, padding_mm=2)
    mm = 7.5 * colwidths.MM_PER_PT
    cells = [max([0.0, *(colwidths.text_em(r[i]) for r in rows)]) for i in range(len(head))]
    need = [max(colwidths.narrowest_em(h), c) * mm for h, c in zip(head, cells, strict=True)]
    one_line = [max(colwidths.text_em(h), c) * mm for h, c in zip(head, cells, strict=True)]
    if widths is None:
        assert sum(need) + 2 * len(head) > 182
        return
    assert len(widths) == len(head)
    assert sum(widths) + 2 * len(head) / 182 * 100 <= 100 + 1e-9
    headers_fit = sum(one_line) + 2 * len(head) <= 182
    for w, n, o in zip(widths, need, one_line, strict=True):
        assert w / 100 * 182 >= (o if headers_fit else n) - 0.01   # headers on one line wherever they fit


def test_a_column_of_dashes_still_gets_its_header_on_one_line():
    """A year without quota prints "–" for every attainment; its header must not stand one character a line."""
    head = ["月份", "定额", "计入业绩", "达成率", "提成"]
    rows = [[f"{m}月", "¥0.00", "¥1,077,027.86", "–", "¥2,082.05"] for m in range(1, 13)]
    widths = colwidths.fixed_widths(head, rows, font_pt=7.5, table_mm=182, padding_mm=2)
    assert widths is not None
    assert widths[3] / 100 * 182 >= colwidths.text_em("达成率") * 7.5 * colwidths.MM_PER_PT


def test_rows_of_another_length_get_no_widths():
    assert colwidths.fixed_widths(["a", "b"], [["1"]], font_pt=7.5, table_mm=182, padding_mm=2) is None


@pytest.mark.usefixtures("poppler")
@pytest.mark.parametrize("scale", [1, 3, 10])
def test_every_statement_amount_stays_in_its_column_and_on_the_page(tmp_path: Path, computed_zh, scale):
    """Up to eight-digit amounts with cents in a quarter's statement, printed with worked-out widths: no two
    amounts of a row touch and none leaves the page. (Wider statements, where the widths cannot be worked
    out and the table measures itself, are the year test's in test_pdf.py.)"""
    from salesbook.reports import render_reviews

    data = load_review_data(computed_zh)
    tables = dict(data.tables)
    big = tables["Out_Statements"].copy()
    money = [c for c in big.columns if c not in ("rep_id", "period", "plan_id", "attainment", "explanation")]
    big[money] = big[money] * scale
    tables["Out_Statements"] = big
    result = render_reviews(index_review_data(data.settings, tables), tmp_path, per="rep", formats=("pdf", "html"),
                            period="2026Q1", workers=1, progress=False, creation_date=CREATED)
    assert result.ok, result.summary()
    fixed = 0
    right_edge = (210 - 14) / 25.4 * 72 + 0.5   # the A4 text area's right edge, in points
    for pdf in sorted(tmp_path.glob("*.pdf")):
        html = pdf.with_suffix(".html").read_text(encoding="utf-8")
        if '<table class="statement' not in html:
            continue
        fixed += '<table class="statement fixed">' in html
        words = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        boxes = [(float(a), float(b), float(c), w) for a, b, c, w in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', words)]
        amounts = [b for b in boxes if "¥" in b[3]]
        assert amounts
        for x0, y0, x1, text in amounts:
            assert x1 <= right_edge, (pdf.name, text, x1)
            for other in amounts:
                if other is not (x0, y0, x1, text) and abs(other[1] - y0) < 1 and other[0] > x0:
                    assert other[0] - x1 > 2, (pdf.name, text, other[3])   # at least 2 pt of white between
    assert fixed


@pytest.mark.parametrize(("amount", "fixed"), [(123_456.78, True), (987_654_321.0, False)])
def test_a_statement_too_wide_for_worked_out_widths_measures_itself(amount, fixed):
    from salesbook.reports.formatting import Formatter
    from salesbook.reports.templates import environment, labels

    cols = ["quota", "credited", "attainment", "earned", "spiffs", "overrides", "clawbacks", "payable"]
    commission = {"columns": cols, "rows": [{"period": f"2026-0{m}", **dict.fromkeys(cols, amount), "attainment": 1.2}
                                            for m in (1, 2, 3)],
                  "total": dict.fromkeys([c for c in cols if c != "attainment"], amount * 3)}
    s = environment().from_string("{% set s = statement(c) %}{{ s.widths is not none }}|{{ s.rows[0][1] }}").render(
        c=commission, t=labels(None, "zh"), fmt=Formatter("zh", "CNY"))
    assert s == f"{fixed}|¥{amount:,.2f}"


@pytest.mark.usefixtures("poppler")
def test_every_kpi_figure_stays_in_its_column(tmp_path: Path, computed_zh):
    """A year's summed KPI (a manager's team sales) runs to ten digits with cents: with the table's columns
    shared out evenly it ran into the target beside it. Widths now come from the printed figures."""
    from salesbook.reports import render_reviews

    data = load_review_data(computed_zh)
    tables = dict(data.tables)
    cards = tables["Out_PeriodScorecards"].copy()
    cards[["actual", "target"]] = cards[["actual", "target"]].astype(float) * 1e4 + 1_000_000_000.55
    tables["Out_PeriodScorecards"] = cards
    result = render_reviews(index_review_data(data.settings, tables), tmp_path, per="rep", formats=("pdf", "html"),
                            period="2026", workers=1, progress=False, creation_date=CREATED)
    assert result.ok, result.summary()
    checked = 0
    for pdf in sorted(tmp_path.glob("*.pdf"))[:4]:
        assert '<table class="kpi fixed">' in pdf.with_suffix(".html").read_text(encoding="utf-8")
        words = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        boxes = [(float(a), float(b), float(c), w) for a, b, c, w in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', words)]
        figures = [b for b in boxes if re.fullmatch(r"[\d,]{9,}\.\d\d", b[3])]
        assert len(figures) >= 2, pdf.name
        for x0, y0, x1, text in figures:
            for other in boxes:
                if abs(other[1] - y0) < 1 and other[0] > x0:
                    assert other[0] - x1 > 2, (pdf.name, text, other[3])   # at least 2 pt of white between
            checked += 1
    assert checked
