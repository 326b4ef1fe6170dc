"""Packs follow the reporting line: every pack is opened with its owner's password and what it holds is
compared with what the Reps and Regions tables say that person may read, worked out here on its own."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from reportkit import CREATED, TYPED_PASSWORD, pdftotext_pw, send_list

from salesbook.reports.context import index_review_data, load_review_data, period_for, region_context
from salesbook.reports.packs import manager_packs, region_packs, superiors
from salesbook.reports.share import build_protected, protect_reviews

H = {"id": "收件人编号", "files": "附件", "password": "密码", "reviews": "报告份数"}


@pytest.fixture(scope="module", autouse=True)
def _tools() -> None:
    if not all(shutil.which(t) for t in ("pdftotext", "pdftohtml")):
        pytest.skip("poppler-utils is needed (scripts/bootstrap.sh test installs it)")


@pytest.fixture(scope="module")
def book_tables(shared_zh) -> dict[str, pd.DataFrame]:
    return load_review_data(shared_zh).tables


def _run(tmp_path_factory, book, per: str):
    out = tmp_path_factory.mktemp(per) / "packs"
    result = build_protected(book, out, per=per, period="2026Q1", workers=2, progress=False, creation_date=CREATED)
    assert result.ok, result.summary("en")
    return out, result, send_list(result.send_list[1])


@pytest.fixture(scope="module")
def region_run(tmp_path_factory, shared_zh):
    return _run(tmp_path_factory, shared_zh, "region")


@pytest.fixture(scope="module")
def manager_run(tmp_path_factory, shared_zh):
    return _run(tmp_path_factory, shared_zh, "manager")


def _opened(out, row) -> tuple[set[str], set[str], str]:
    """(rep ids, region ids, text) of the reviews inside a pack, read from the opened PDF's pages."""
    proc = pdftotext_pw(out / row[H["files"]], row[H["password"]] or TYPED_PASSWORD)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    return set(re.findall(r"工号：(R\d+)", text)), set(re.findall(r"区域：([A-Z]+)\s", text)), text


def _chain(rep: str, manager: dict[str, str]) -> set[str]:
    """Everyone above ``rep``, walked here by hand from Reps.manager_id."""
    above, m = set(), manager.get(rep)
    while m and m not in above:
        above.add(m)
        m = manager.get(m)
    return above


def test_every_region_pack_holds_its_region_and_its_reps_below_the_manager(region_run, book_tables):
    out, _, rows = region_run
    reps, regions = book_tables["Reps"], book_tables["Regions"]
    manager = {r: m for r, m in zip(reps["rep_id"], reps["manager_id"], strict=True) if isinstance(m, str)}
    owner_of = dict(zip(regions["region_id"], regions["manager_id"], strict=True))
    seen: dict[str, str] = {}
    assert len(rows) == reps["region_id"].nunique() == 5
    for row in rows:
        [region] = [g for g, m in owner_of.items() if m == row[H["id"]]]
        got_reps, got_regions, _ = _opened(out, row)
        expected = {r for r, g in zip(reps["rep_id"], reps["region_id"], strict=True) if g == region}
        expected -= _chain(owner_of[region], manager)
        assert got_regions == {region}
        assert got_reps == expected, (region, got_reps ^ expected)
        assert int(row[H["reviews"]]) == len(expected) + 1
        for rep in got_reps:  # nobody's review in two packs
            assert rep not in seen, (rep, seen.get(rep), region)
            seen[rep] = region
    # everyone is in a pack but the director, who sits in EAST above its manager R0002
    assert set(reps["rep_id"]) - set(seen) == {"R0001"}


def test_every_manager_pack_holds_the_direct_reports_and_the_regions_run(manager_run, book_tables):
    out, _, rows = manager_run
    reps, regions = book_tables["Reps"], book_tables["Regions"]
    managers = sorted({m for m in reps["manager_id"] if isinstance(m, str)})
    assert sorted(r[H["id"]] for r in rows) == managers == ["R0001", "R0002", "R0003", "R0004", "R0005", "R0006"]
    for row in rows:
        m = row[H["id"]]
        got_reps, got_regions, _ = _opened(out, row)
        assert got_reps == set(reps.loc[reps["manager_id"] == m, "rep_id"]), m
        assert got_regions == set(regions.loc[regions["manager_id"] == m, "region_id"]), m
        assert m not in got_reps  # a manager's own review goes to their own manager


def test_a_region_review_in_a_pack_leaves_out_the_managers_superiors(region_run, manager_run, shared_zh):
    data = load_review_data(shared_zh)
    reps = data.tables["Reps"]
    director = reps.loc[reps["rep_id"] == "R0001", "name"].iloc[0]
    for out, _, rows in (region_run, manager_run):
        east = next(r for r in rows if r[H["id"]] == "R0002")
        _, regions, text = _opened(out, east)
        assert regions == {"EAST"} and director not in text
    # while the region review itself, for whoever may read all of EAST, lists the director
    names = [r["name"] for r in region_context(data, "EAST", period_for(data, "2026Q1"), "zh")["reps"]]
    assert director in names


def test_pack_bookmarks_list_each_review(region_run):
    out, _, rows = region_run
    row = next(r for r in rows if r[H["id"]] == "R0003")
    xml = subprocess.run(["pdftohtml", "-xml", "-stdout", "-i", "-q", "-upw", row[H["password"]],
                          str(out / row[H["files"]])], capture_output=True, check=True).stdout
    root = ET.fromstring(xml)
    top = [item.text for item in root.find("outline").findall("item")]
    assert top[0] == "区域业绩回顾 · 华北"
    assert len(top) == int(row[H["reviews"]]) and all(t.startswith("销售代表业绩回顾 · ") for t in top[1:])


def test_a_pack_missing_a_review_is_not_made_and_the_others_are(tmp_path, shared_zh):
    full = load_review_data(shared_zh)
    tables = dict(full.tables)
    tables["Reps"] = tables["Reps"][tables["Reps"]["region_id"].isin(["SOUTH", "CENTRAL"])]
    data = index_review_data(full.settings, tables)
    override = tmp_path / "templates"
    override.mkdir()
    (override / "rep_review.html").write_text(  # a user's template with a bug that only bites for R0024
        '{% extends "base.html" %}{% block content %}<h1>{{ c.subject.name }}</h1>'
        '<p>{{ 100 // (c.subject.id != "R0024") }}</p>{% endblock %}', encoding="utf-8")
    out = tmp_path / "packs"
    result = protect_reviews(data, out, per="region", period="2026Q1", workers=1, progress=False,
                             templates_dir=override)
    assert not result.ok
    assert [str(f.review) for f in result.failures] == ["rep R0024", "region SOUTH pack"]
    assert result.failures[1].text("en") == "region SOUTH pack: not made, since rep R0024 failed"
    assert result.failures[1].text("zh") == "区域 SOUTH 报告包: 未生成，因为 代表 R0024 失败"
    assert [p.name for p in result.files] == [p.name for p in out.iterdir()] == ["pack_region_CENTRAL_华中_2026Q1.pdf"]
    assert [r[H["id"]] for r in send_list(result.send_list[1])] == ["R0006"]  # no row, no password for SOUTH


# -- the rules on small tables ----------------------------------------------------------------------------------
def _reps(rows: list[tuple[str, str, str | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["rep_id", "region_id", "manager_id"])
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="excel_row")
    return frame


def _regions(rows: list[tuple[str, str | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["region_id", "manager_id"])
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="excel_row")
    return frame


def test_a_region_without_a_manager_or_with_an_unknown_one_is_an_error_before_anything_is_made():
    reps = _reps([("A", "N", None), ("B", "S", None), ("C", "W", None)])
    packs, errors, _ = region_packs(reps, _regions([("N", "A"), ("S", None), ("W", "ZZ")]))
    assert [p.key for p in packs] == ["N"]
    texts = {e.row: e.render("en") for e in errors}
    assert texts == {
        3: "sheet 'Regions', row 3, column 'Manager': region 'S' has no manager, so no one can open its pack: fill in "
           "the manager (a Rep ID from the Reps sheet).",
        4: "sheet 'Regions', row 4, column 'Manager': the manager 'ZZ' of region 'W' is not in Reps, so their pack has "
           "no password or e-mail: use a Rep ID from the Reps sheet.",
    }
    assert errors[0].render("zh").startswith("工作表“区域”，第 3 行，列“区域经理”：区域“S”没有填写区域经理")


def test_a_loop_in_the_reporting_line_ends_the_walk():
    assert superiors("A", {"A": "B", "B": "C", "C": "A"}) == ["B", "C"]
    assert superiors("A", {"A": "A"}) == []


def test_manager_packs_name_the_top_of_the_line():
    reps = _reps([("D", "N", None), ("M", "N", "D"), ("R", "N", "M"), ("S", "N", "M")])
    packs, errors, warnings = manager_packs(reps, _regions([("N", "M")]))
    assert errors == []
    assert [(p.owner, p.regions, p.reps, sorted(p.hidden)) for p in packs] == [
        ("D", (), ("M",), []), ("M", ("N",), ("R", "S"), ["D"])]
    assert [w.render("en") for w in warnings] == [
        "sheet 'Reps', row 2, column 'Region ID': D is in region 'N' but above its manager M in the reporting line, so "
        "the region review in M's pack leaves out their row.",
        "sheet 'Reps', row 2, column 'Manager ID': rep D has no manager, so their own review is in no manager's pack "
        "(send it with --per rep)."]
