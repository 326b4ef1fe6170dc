"""Every figure on a review is checkable: a small hand-filled book (tests/reports/periodbook.py) is run
and reviewed per rep, region and company, for a month, a quarter under way and the year, in zh and en.
Every money amount and percentage the PDF text (pdftotext) and the HTML show must be one of the figures
worked out by hand from the book's tables for that review and period, and the key ones must be there:
the overview, the KPI block's total, rating, bonus and ranks."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import periodbook as pb
from reportkit import CREATED, pdftotext

MONEY = re.compile(r"-?¥[\d,]+(?:\.\d+)?")
PCT = re.compile(r"\d[\d,]*(?:\.\d+)?%")


def m0(v: float) -> str:
    return f"¥{v:,.0f}"


def m2(v: float) -> str:
    return f"¥{v:,.2f}"


def p1(v: float) -> str:
    return f"{v * 100:.1f}%"


def p0(v: float) -> str:
    return f"{v * 100:.0f}%"


@pytest.fixture(scope="module")
def reviews(tmp_path_factory, poppler):
    """Both books computed, and the 18 reviews (3 kinds x 3 periods x 2 languages) as PDF and HTML."""
    from salesbook.book.template import write_book
    from salesbook.pipeline import run_book
    from salesbook.reports import build_reports

    root = tmp_path_factory.mktemp("periods")
    out = {}
    for lang in ("zh", "en"):
        book = write_book(root / f"book_{lang}.xlsx", lang, pb.tables(lang))
        computed = run_book(book, root / f"book_{lang}_computed.xlsx", lang=lang, only=["targets", "kpi"]).output
        for per in ("rep", "region", "company"):
            for period in pb.PERIODS:
                folder = root / f"{lang}_{per}_{period}"
                result = build_reports(computed, folder, per=per, period=period, workers=1, progress=False,
                                       creation_date=CREATED)
                assert not result.failures
                for f in sorted(folder.iterdir()):
                    out.setdefault((lang, per, period), {}).setdefault(f.suffix, []).append(f)
    return out


def _trend(reps: list[str], months: list[int], money: set, pct: set) -> None:
    ytd = list(range(1, months[-1] + 1))
    for m in ytd:
        t = sum(pb.month_target(r, m) for r in reps)
        money.add(m0(t))
        if pb.done(m):
            a = sum(pb.DEALS[r][m - 1] for r in reps)
            money.add(m0(a))
            pct.add(p1(a / t))
    s = pb.sales(reps, ytd)
    money.update(m0(x) for x in (s["target"], s["to_date"], s["actual"]) if x is not None)
    if s["achievement"] is not None:
        pct.add(p1(s["achievement"]))


def _overview(s: dict, money: set, pct: set, must: list[str]) -> None:
    must.append(m0(s["target"]))
    money.add(m0(s["target"]))
    if s["actual"] is not None:
        must += [m0(s["actual"]), p1(s["achievement"])]
        money.update({m0(s["actual"]), m0(s["to_date"])})
        pct.update({p1(s["achievement"]), p0(s["achievement"])})
    if s["to_date"] is not None and s["to_date"] != s["target"]:
        must.append(m0(s["to_date"]))


def _mix(reps: list[str], months: list[int], money: set, pct: set) -> None:
    amount = sum(pb.DEALS[r][m - 1] for r in reps for m in months if pb.done(m))
    if amount:
        money.add(m2(amount))
        pct.add("100.0%")


def _rank(reps: list[str], rep: str, months: list[int]) -> tuple[int, int] | None:
    ach = {r: pb.sales([r], months)["achievement"] for r in reps}
    if ach[rep] is None:
        return None
    return 1 + sum(1 for r in reps if ach[r] is not None and ach[r] > ach[rep]), len(reps)


def expected(per: str, key: str, period: str) -> tuple[set[str], set[str], list[str], list[str]]:
    """Allowed money and percentage texts, figures that must be shown, and regular expressions that must match."""
    _, months = pb.PERIODS[period]
    money: set[str] = set()
    pct: set[str] = {"100%", "100.0%"}   # the radar's on-target line and the target reference
    if per == "region":   # the value axis of the reps' achievement chart: ticks, not figures
        pct.update(f"{25 * i}%" for i in range(9))
    must: list[str] = []
    patterns: list[str] = []
    if per == "rep":
        region = pb.REPS[key][0]
        peers = [r for r, (g, _) in pb.REPS.items() if g == region]
        _overview(pb.sales([key], months), money, pct, must)
        _trend([key], months, money, pct)
        _mix([key], months, money, pct)
        for r in peers:
            s = pb.sales([r], months)
            if s["actual"] is not None:
                money.add(m0(s["actual"]))
                pct.add(p1(s["achievement"]))
        rank = _rank(peers, key, months)
        if rank:
            patterns.append(rf"{rank[0]}\s*/\s*{rank[1]}")
        card = pb.kpi_review(key, period)
        if card:
            for row in card["rows"]:
                pct.update({p1(row["attainment"]), p1(row["score"]), p1(row["weight"]), p0(row["score"])})
                must += [f"{row['actual']:,.2f}", f"{row['target']:,.2f}", p1(row["attainment"]), p1(row["score"])]
            money.add(m2(card["bonus"]))
            must.append(m2(card["bonus"]))
            patterns += [rf"{card['total']:.1f}\s*·\s*(评级|Rating)[：:]\s*{card['rating']}\b",
                         rf"(KPI 总分）|KPI total\))[：:]\s*{card['rank']}\s*/\s*{card['rank_of']}"]
    elif per == "region":
        members = [r for r, (g, _) in pb.REPS.items() if g == key]
        _overview(pb.sales(members, months), money, pct, must)
        _trend(members, months, money, pct)
        _mix(members, months, money, pct)
        for r in members:
            s = pb.sales([r], months)
            money.add(m0(s["target"]))
            if s["actual"] is not None:
                money.add(m0(s["actual"]))
                pct.update({p1(s["achievement"]), p0(s["achievement"])})
                must.append(p1(s["achievement"]))
            card = pb.kpi_review(r, period)
            if card:
                patterns.append(rf"{p1(s['achievement'])}\s+{card['total']:.1f}\s+{card['rating']}\b")
    else:
        everyone = list(pb.REPS)
        _overview(pb.sales(everyone, months), money, pct, must)
        _trend(everyone, months, money, pct)
        _mix(everyone, months, money, pct)
        for region in pb.REGIONS:
            members = [r for r, (g, _) in pb.REPS.items() if g == region]
            s = pb.sales(members, months)
            money.add(m0(s["target"]))
            if s["actual"] is not None:
                money.add(m0(s["actual"]))
                pct.add(p1(s["achievement"]))
                must.append(p1(s["achievement"]))
        for r in everyone:
            s = pb.sales([r], months)
            money.add(m0(s["target"]))
            if s["actual"] is not None:
                money.add(m0(s["actual"]))
                pct.add(p1(s["achievement"]))
    return money, pct, must, patterns


def _check(text: str, per: str, key: str, period: str, where: str) -> None:
    money, pct, must, patterns = expected(per, key, period)
    flat = re.sub(r"\s+", " ", text)
    stray_money = sorted(set(MONEY.findall(flat)) - money)
    stray_pct = sorted(set(PCT.findall(flat)) - pct)
    assert not stray_money, f"{where}: amounts not worked out for this review: {stray_money}"
    assert not stray_pct, f"{where}: percentages not worked out for this review: {stray_pct}"
    missing = [x for x in must if x not in flat]
    assert not missing, f"{where}: figures missing: {missing}"
    for p in patterns:
        assert re.search(p, flat), f"{where}: no match for {p}"


def _key(per: str, path: Path) -> str:
    return "company" if per == "company" else path.name.split("_")[1]   # rep_R1_赵一_2026.pdf, region_E_华东_...


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("per", ["rep", "region", "company"])
@pytest.mark.parametrize("period", list(pb.PERIODS))
def test_every_figure_on_the_review_is_worked_out_by_hand(reviews, lang, per, period):
    files = reviews[(lang, per, period)]
    assert len(files[".pdf"]) == {"rep": 3, "region": 2, "company": 1}[per] == len(files[".html"])
    for pdf, page in zip(files[".pdf"], files[".html"], strict=True):
        key = _key(per, pdf)
        _check(pdftotext(pdf), per, key, period, pdf.name)
        raw = page.read_text(encoding="utf-8")
        body = re.sub(r"<style.*?</style>|<title>.*?</title>", " ", raw, flags=re.S)
        _check(html.unescape(re.sub(r"<[^>]+>", " ", body)), per, key, period, page.name)


def test_months_not_yet_begun_say_so(reviews):
    """The year's review, as of 20 May: June to December show '–' for actual and achievement, and the page
    says achievement is against the target to date."""
    pdf = next(p for p in reviews[("en", "rep", "2026")][".pdf"] if "_R1_" in p.name)
    text = re.sub(r"[ \t]+", " ", pdftotext(pdf))
    for mon in ("Jun", "Jul", "Dec"):
        assert re.search(rf"^\s*{mon} ¥[\d,]+ – –\s*$", text, re.M), mon
    flat = re.sub(r"\s+", " ", text)
    assert "Achievement to date" in flat and "Data as of 2026-05-20" in flat
    year = pb.sales(["R1"], list(range(1, 13)))
    assert re.search(rf"Total to date {re.escape(m0(year['to_date']))} {re.escape(m0(year['actual']))} "
                     rf"{re.escape(p1(year['achievement']))}", flat)
