"""Chart labels laid out as one run: the same words at the same places as WeasyPrint's per-letter path,
drawn with one text operation per label instead of one per letter; per-letter placement still works."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

from salesbook.reports.charts import bar_chart, radar_chart
from salesbook.reports.formatting import Formatter
from salesbook.reports.pdf import PdfOptions, PdfRenderer
from salesbook.reports.weasy import svgtext

pytestmark = pytest.mark.usefixtures("poppler")


@pytest.mark.parametrize(("attrib", "text", "expected"), [
    ({"x": "10", "y": "20"}, "1月", True),
    ({}, "目标 Target", True),
    ({"x": "10 20", "y": "5"}, "ab", False),        # a position per letter
    ({"x": "10", "rotate": "30"}, "ab", False),
    ({"x": "10", "dx": "1"}, "ab", False),
    ({"textLength": "40"}, "ab", False),
    ({"letter-spacing": "2"}, "ab", False),
    ({"x": "1"}, "a", False),                        # nothing to gain
    ({"x": "1"}, "", False),
])
def test_which_texts_go_as_one_run(attrib, text, expected):
    assert svgtext.letters_follow_on(attrib, text) is expected


def _html(svg: str) -> str:
    return f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head><body>{svg}</body></html>'


def _charts() -> str:
    fmt = Formatter("zh", "CNY")
    bar = bar_chart(["1月", "2月", "3月"], [("目标", [120_000, 90_000, 150_000]), ("实际", [80_000, 95_000, 10_000])],
                    fmt, title="目标与实际", uid="b")
    radar = radar_chart(["销售额", "毛利", "回款", "新客户", "满意度"], [("得分", [0.9, 1.1, 0.7, 1.2, 0.5])], fmt,
                        title="KPI", uid="r")
    per_letter = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="10 30 50" y="20" '
                  'font-size="12">XYZ</text></svg>')
    return f"{bar}{radar}{per_letter}"


def _words(pdf: Path) -> list[tuple[str, float, float]]:
    """Each word with the position of its lower-left corner, from poppler."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    root = ET.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", out))
    return [(w.text or "", float(w.get("xMin")), float(w.get("yMax"))) for w in root.iter("{http://www.w3.org/1999/xhtml}word")]


def _text_shows(pdf: bytes) -> int:
    """How many text-showing operators (Tj / TJ) the page streams hold."""
    count = 0
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            count += len(re.findall(rb"\b(?:Tj|TJ)\b", zlib.decompress(m[1])))
        except zlib.error:
            continue
    return count


def test_one_run_prints_the_same_words_in_the_same_places(tmp_path):
    html = _html(_charts())
    try:
        svgtext.uninstall()
        per_letter = PdfRenderer(PdfOptions(default_path=True)).render(html, lang="zh")
        assert svgtext.install()
        one_run = PdfRenderer(PdfOptions()).render(html, lang="zh")
    finally:
        svgtext.install()
    (tmp_path / "a.pdf").write_bytes(per_letter)
    (tmp_path / "b.pdf").write_bytes(one_run)
    a, b = _words(tmp_path / "a.pdf"), _words(tmp_path / "b.pdf")
    assert [w for w, _, _ in a] == [w for w, _, _ in b]
    assert {"1月", "目标", "实际", "销售额", "满意度", "X", "Y", "Z"} <= {w for w, _, _ in b}
    for (word, xa, ya), (_, xb, yb) in zip(a, b, strict=True):
        assert abs(xa - xb) < 0.05 and abs(ya - yb) < 0.05, word
    # per letter: a text operation per letter; one run: per label (fewer by far, the point of it)
    assert _text_shows(one_run) * 2 < _text_shows(per_letter)


def test_a_one_run_label_is_laid_out_once_and_prints_the_same_bytes(monkeypatch):
    import weasyprint.text.line_break as line_break

    html = _html(_charts())
    labels = [m for m in re.finditer(r"<text([^>]*)>([^<]*)</text>", html)
              if svgtext.letters_follow_on(dict(re.findall(r'([\w-]+)="([^"]*)"', m[1])), m[2])]
    svgtext.uninstall()
    layouts = []

    def counted(text, *args, **kwargs):
        layouts.append(str(text))
        return stock(text, *args, **kwargs)

    stock = line_break.split_first_line
    monkeypatch.setattr(line_break, "split_first_line", counted)
    try:
        assert svgtext.install()
        assert line_break.split_first_line.__wrapped__ is counted
        renderer = PdfRenderer(PdfOptions())
        once = renderer.render(html, lang="zh")
        laid_out_once = len(layouts)
        svgtext._uninstall_layout_memo()
        assert line_break.split_first_line is counted
        layouts.clear()
        twice = renderer.render(html, lang="zh")
    finally:
        svgtext.uninstall()
        monkeypatch.undo()
        assert svgtext.install()
    assert once == twice
    assert len(labels) > 10
    assert len(layouts) - laid_out_once == len(labels)
