"""salesbook model as a user runs it, and the scenario comparison review it makes (HTML and PDF, zh and en)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from salesbook.book.template import write_book
from salesbook.demo import build_demo_tables
from salesbook.reports import build_reports

CREATED = "2026-01-01"


def sb(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "salesbook", *args], capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def modeled(tmp_path_factory) -> dict[str, Path]:
    """Small demo books (every demo scenario) through `salesbook model --review`, in zh and en."""
    out = {}
    for lang in ("zh", "en"):
        tmp = tmp_path_factory.mktemp(f"model_{lang}")
        book = write_book(tmp / "demo.xlsx", lang, build_demo_tables(lang, scale=0.1))
        r = sb("model", str(book), "--review", str(tmp / "review"), "--creation-date", CREATED, "--no-progress")
        assert r.returncode == 0, r.stderr
        out[lang] = tmp
        out[f"{lang}_stdout"] = r.stdout  # type: ignore[assignment]
    return out


def test_model_writes_the_scenario_sheets_and_says_what_each_costs(modeled):
    book = modeled["zh"] / "demo_model.xlsx"
    wb = openpyxl.load_workbook(book, read_only=True)
    assert {"Out_Scenarios", "Out_ScenarioReps", "Out_Statements"} <= set(wb.sheetnames)
    headers = [c.value for c in next(wb["Out_Scenarios"].iter_rows(max_row=1))]
    assert headers[:4] == ["情景编号", "情景名称", "指标", "达成率"]
    text = modeled["zh_stdout"]
    for line in ("BASE 基准（工作簿现状）：回放提成", "STEEP 更陡的加速：回放提成", "CAP 降低封顶", "SPLIT 代表目标平均分解"):
        assert line in text, text
    assert "STEEP Steeper accelerator: replayed" in modeled["en_stdout"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_review_overlays_the_curves_and_lists_winners_and_losers(modeled, lang, poppler):
    review = modeled[lang] / "review"
    html = (review / "scenarios_2026.html").read_text(encoding="utf-8")
    pdf = review / "scenarios_2026.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = {"zh": ("方案模拟对比", "提成曲线", "模拟成本分布", "受益与受损", "更陡的加速", "降低封顶", "受益最多", "受损最多"),
             "en": ("Plan scenarios compared", "Payout curves", "Simulated cost", "Winners and losers",
                    "Steeper accelerator", "Lower caps", "Gain most", "Lose most")}[lang]
    for word in words:
        assert word in text, (word, text[:2000])
        assert word in html
    assert html.count("<polyline") == 5        # base and four scenarios on one curve chart
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "yes" in fonts.splitlines()[-1]       # embedded


def test_a_book_without_scenario_results_is_told_to_run_model(tmp_path, small_book):
    from salesbook.errors import InputError
    from salesbook.pipeline import run_book

    computed = run_book(small_book, tmp_path / "computed.xlsx").output
    with pytest.raises(InputError) as info:
        build_reports(computed, tmp_path / "out", per="scenarios", progress=False)
    assert "salesbook model" in info.value.render("en")
    assert "salesbook model" in info.value.render("zh") and "情景模拟结果" in info.value.render("zh")
