"""Bar value labels never collide: each label's box, measured with the report font's own advance widths,
is clear of every bar (of any series) and of every other label; a label with no room is left out."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from salesbook.reports import charts
from salesbook.reports.formatting import Formatter

SVG = "{http://www.w3.org/2000/svg}"
BAR = re.compile(r"M(-?[\d.]+) (-?[\d.]+)h(-?[\d.]+)v(-?[\d.]+)h(-?[\d.]+)Z")


@pytest.fixture(scope="module")
def advance():
    """Advance width in em of a character in Noto Sans CJK SC (the face the PDF embeds)."""
    fonts = pytest.importorskip("salesbook.reports.fonts")
    ttlib = pytest.importorskip("fontTools.ttLib")
    found = fonts.find_source("regular")
    if found is None:
        pytest.skip("Noto Sans CJK is not installed")
    font = ttlib.TTFont(str(found[0]), fontNumber=found[1])
    cmap, hmtx, upm = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    return lambda ch: hmtx[cmap[ord(ch)]][0] / upm


def _boxes(svg: str, advance):
    root = ET.fromstring(svg)
    bars = []
    for path in root.iter(f"{SVG}path"):
        if path.get("stroke-width") in ("0.5", "0.6") and path.get("d", "").startswith("M"):
            for x, y, w, h, _ in BAR.findall(path.get("d")):
                x, y, w, h = float(x), float(y), float(w), float(h)
                bars.append((x, y, x + w, y + h))
    labels = []
    for text in root.iter(f"{SVG}text"):
        if text.get("font-size") != str(charts.LABEL_SIZE):
            continue
        size = float(text.get("font-size"))
        width = sum(advance(ch) for ch in text.text) * size
        x, y = float(text.get("x")), float(text.get("y"))
        # the glyphs' extent: ascent 0.88 em above the baseline, descent 0.12 em below (Noto Sans CJK)
        labels.append((text.text, (x - width / 2, y - 0.88 * size, x + width / 2, y + 0.12 * size)))
    return bars, labels


def _hits(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


CASES = {
    # the chart: a target bar beside every actual, one month's 9.0万 against 25万 targets
    "months": ([f"{m}月" for m in range(1, 13)],
               [("目标", [250_000.0] * 12), ("实际", [200_000.0, 180_000.0, 90_000.0, 290_000.0, 250_000.0, 10_000.0,
                                                    260_000.0, 255_000.0, 240_000.0, None, None, None])]),
    "neighbours": (["A", "B", "C", "D", "E", "F"],
                   [("actual", [90_000.0, 2_400_000.0, 90_000.0, 2_500_000.0, 1_000.0, 9_990_000.0])]),
    "crowded": ([str(i) for i in range(24)], [("x", [float((i * 7919) % 100_000) for i in range(24)]),
                                             ("y", [float((i * 104729) % 100_000) for i in range(24)])]),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_no_value_label_overlaps_a_bar_or_another_label(case, lang, advance):
    cats, series = CASES[case]
    fmt = Formatter(lang)
    svg = str(charts.bar_chart(cats, series, fmt, title="t", uid="u", future=[v is None for v in series[-1][1]]))
    bars, labels = _boxes(svg, advance)
    assert bars and labels
    for i, (text, box) in enumerate(labels):
        assert not any(_hits(box, bar) for bar in bars), f"label {text} overlaps a bar"
        assert not any(_hits(box, other) for _, other in labels[i + 1:]), f"label {text} overlaps a label"
    if case == "months":   # the short March bar beside two tall targets has no room: left out, not drawn over
        shown = [t for t, _ in labels]
        assert ("9.0万" if lang == "zh" else "90.0K") not in shown
        assert ("29.0万" if lang == "zh" else "290.0K") in shown   # the tallest bar's label has room
        assert svg.count('stroke-dasharray="2 1.5"') == 1   # the three months not yet begun: dashed plan bars


def test_a_label_with_room_is_drawn():
    fmt = Formatter("zh")
    svg = str(charts.bar_chart(["1月", "2月"], [("实际", [120_000.0, 80_000.0])], fmt, title="t", uid="u"))
    assert "12.0万" in svg and "8.0万" in svg
