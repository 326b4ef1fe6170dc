"""Periods, locale formatting and SVG charts: pure functions, checked against hand-worked values."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from salesbook.errors import InputError
from salesbook.reports import charts
from salesbook.reports.formatting import Formatter
from salesbook.reports.periods import parse_period

SVG = "{http://www.w3.org/2000/svg}"


def test_periods_month_quarter_year():
    m = parse_period("2026-03", fiscal_year=2026)
    assert (m.kind, m.months, m.year_months[-1], len(m.year_months)) == ("month", ("2026-03",), "2026-03", 3)
    q = parse_period("2026q2", fiscal_year=2026)
    assert q.key == "2026Q2" and q.months == ("2026-04", "2026-05", "2026-06") and len(q.year_months) == 6
    y = parse_period(None, fiscal_year=2026)
    assert y.kind == "year" and len(y.months) == 12 and y.months[0] == "2026-01"
    assert q.label("zh") == "2026财年第2季度" and q.label("en") == "FY2026 Q2"
    assert m.label("zh") == "2026年3月" and m.label("en") == "March 2026"


def test_fiscal_year_starting_in_april():
    q1 = parse_period("2026Q1", fiscal_year=2026, start_month=4)
    assert q1.months == ("2026-04", "2026-05", "2026-06")
    fy = parse_period("2026", fiscal_year=2026, start_month=4)
    assert fy.months[0] == "2026-04" and fy.months[-1] == "2027-03"
    feb = parse_period("2027-02", fiscal_year=2026, start_month=4)
    assert feb.year_months[0] == "2026-04" and len(feb.year_months) == 11


@pytest.mark.parametrize("bad", ["2026-13", "Q5", "26Q1", "next year"])
def test_bad_period_is_an_input_error_in_both_languages(bad):
    with pytest.raises(InputError) as err:
        parse_period(bad, fiscal_year=2026)
    assert bad in err.value.render("en") and "期间" in err.value.render("zh")


def test_money_and_percent_per_locale():
    zh, en = Formatter("zh", "CNY"), Formatter("en", "USD")
    assert zh.money(1234567.891) == "¥1,234,567.89"
    assert en.money(-1234.5, 0) == "-$1,234"
    assert en.money(-0.001) == "$0.00"
    assert Formatter("en", "SEK").money(10) == "SEK 10.00"
    assert zh.percent(0.7612) == "76.1%" and en.percent(None) == "–" and en.money(math.nan) == "–"
    assert zh.compact(1_234_567) == "123.5万" and zh.compact(250_000_000) == "2.50亿" and en.compact(1_234_567) == "1.2M"
    assert zh.month("2026-03") == "3月" and en.month("2026-03") == "Mar"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _used_and_defined_patterns(root: ET.Element) -> tuple[set[str], set[str]]:
    defined = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    used = {e.get("fill")[5:-1] for e in root.iter() if (e.get("fill") or "").startswith("url(#")}
    return used, defined


def test_every_chart_is_valid_svg_with_its_patterns_defined():
    fmt = Formatter("zh", "CNY")
    made = [
        charts.bar_chart(["1月", "2月", "3月"], [("目标", [5e5, 4e5, 6e5]), ("实际", [6e5, 2e5, None])], fmt,
                         title="目标与实际", uid="b"),
        charts.line_chart(["1月", "2月"], [("累计目标", [1.0, 2.0]), ("累计实际", [1.5, 2.5])], fmt, title="累计", uid="l"),
        charts.pie_chart([(f"产品线{i}", 10 - i) for i in range(8)], fmt, title="产品组合", uid="p", other="其他"),
        charts.radar_chart(["销售额", "毛利", "增长率", "客户满意度"], [("得分", [1.1, 0.9, 1.3, None]),
                                                                ("目标线", [1.0] * 4)], fmt, title="KPI", uid="r"),
    ]
    for svg in made:
        root = _parse(svg)
        used, defined = _used_and_defined_patterns(root)
        assert used <= defined, f"fills point at undefined patterns: {used - defined}"
        assert root.find(f"{SVG}title").text
        assert "<script" not in svg
    pie = _parse(made[2])
    labels = ["".join(t.itertext()) for t in pie.iter(f"{SVG}text")]
    assert len(labels) == 6 and labels[-1].startswith("其他")  # 8 slices folded into 5 + "other"


def test_the_pie_key_prints_long_product_names_whole_with_the_share_under_them():
    fmt = Formatter("en")
    long_names = [("Automation Software", 50.1), ("Maintenance Services", 39.3), ("Industrial Sensors", 10.6)]
    root = _parse(charts.pie_chart(long_names, fmt, title="Product mix", uid="m", amounts=True))
    texts = [(t.text, float(t.get("y"))) for t in root.iter(f"{SVG}text")]
    assert [t for t, _ in texts[::2]] == [name for name, _ in long_names]          # whole, no "…"
    assert [t for t, _ in texts[1::2]] == ["50.1%  50", "39.3%  39", "10.6%  11"]  # share and amount beneath
    assert all(below > above for (_, above), (_, below) in zip(texts[::2], texts[1::2], strict=True))
    assert max(y for _, y in texts) < 190
    short = _parse(charts.pie_chart([("A", 2), ("B", 1)], fmt, title="Product mix", uid="s"))
    assert ["".join(t.itertext()) for t in short.iter(f"{SVG}text")] == ["A  66.7%", "B  33.3%"]   # one line each
    six = _parse(charts.pie_chart([(f"Product line number {i}", 10 - i) for i in range(6)], fmt, title="t", uid="x",
                                      amounts=True))
    ys = [float(t.get("y")) for t in six.iter(f"{SVG}text")]
    assert len(ys) == 12 and min(ys) > 9 and max(ys) < 190   # six two-line entries fit the chart


def test_series_are_told_apart_without_colour():
    fmt = Formatter("en")
    root = _parse(charts.bar_chart(["A", "B"], [("Target", [1, 2]), ("Actual", [2, 1])], fmt, title="t", uid="x"))
    bars = [p for p in root.findall(f"{SVG}path") if p.get("stroke-width") == "0.5"]
    assert [b.get("d").count("Z") for b in bars] == [2, 2]  # one shape per series, a bar per category
    fills = [b.get("fill") for b in bars]
    assert fills[0].startswith("#") and fills[1].startswith("url(#")  # solid vs hatched
    legend = {r.get("fill") for r in root.findall(f"{SVG}rect")}
    assert legend == set(fills)  # the key shows the same two fills
    line = _parse(charts.line_chart(["A", "B"], [("T", [1, 2]), ("A", [2, 1])], fmt, title="t", uid="y"))
    dashes = {p.get("stroke-dasharray") for p in line.iter(f"{SVG}polyline")}
    assert len(dashes) == 2  # one solid, one dashed
    markers = [p.get("d") for p in line.findall(f"{SVG}path") if p.get("fill") != "none"]
    assert sum("a" in d for d in markers) and sum("h" in d and "a" not in d for d in markers)  # round vs square


def test_radar_value_labels_sit_over_every_line_on_a_white_backing():
    """The labels come after the last polygon (the dashed target line) in drawing order, on white boxes."""
    root = _parse(charts.radar_chart(["销售额", "毛利", "增长率"], [("得分", [0.99, 0.88, 1.2]), ("目标线", [1.0] * 3)],
                                     Formatter("zh"), title="KPI", uid="r"))
    children = list(root)
    last_polygon = max(i for i, e in enumerate(children) if e.tag == f"{SVG}polygon")
    values = [(i, "".join(e.itertext())) for i, e in enumerate(children) if e.tag == f"{SVG}text"
              and "".join(e.itertext()).endswith("%")]
    assert [v for _, v in values] == ["99%", "88%", "120%"]
    backing = min(i for i, _ in values) - 1
    assert backing > last_polygon
    assert children[backing].tag == f"{SVG}path" and children[backing].get("fill") == "#fff"
    assert children[backing].get("d").count("Z") == len(values)  # a box behind each label


def test_chart_labels_from_cells_are_escaped():
    evil = '<img src="file:///etc/passwd"><script>alert(1)</script>'
    svg = charts.bar_chart([evil], [(evil, [1.0])], Formatter("en"), title=evil, uid="e")
    root = _parse(svg)  # still well-formed XML
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("img")) and not list(root.iter(f"{SVG}img"))
    assert "&lt;script&gt;" in svg
