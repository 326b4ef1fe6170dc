"""What `report` is given, which engines a book runs, and what the Settings sheet tells its user."""

from __future__ import annotations

import hashlib

import openpyxl
import pandas as pd
import pytest
from mistakes import CASES, base_tables, build, sheet

from salesbook import cli
from salesbook.book.template import write_book
from salesbook.pipeline import run_book

BASE = CASES[0]


def test_report_on_a_book_never_computed_exits_2_and_says_run_first(tmp_path, capsys):
    book = build(BASE, "zh", tmp_path)
    before = hashlib.sha256(book.read_bytes()).hexdigest()
    code = cli.main(["report", str(book), "--out", str(tmp_path / "rev"), "--format", "html", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    assert "还没有计算结果" in err and "salesbook run" in err  # the book's language, without --lang
    assert not (tmp_path / "rev").exists() or not any((tmp_path / "rev").iterdir())
    assert hashlib.sha256(book.read_bytes()).hexdigest() == before


@pytest.mark.parametrize(("lang", "said"), [("en", "the inputs changed after the results were computed (Deals)"),
                                             ("zh", "计算结果之后输入又被修改过（成交）")])
def test_report_warns_naming_the_inputs_changed_after_the_run(tmp_path, capsys, lang, said):
    book = build(BASE, lang, tmp_path)
    computed = run_book(book, tmp_path / "computed.xlsx").output
    code = cli.main(["report", str(computed), "--out", str(tmp_path / "fresh"), "--format", "html",
                     "--per", "company", "--no-progress"])
    assert code == 0 and said[:8] not in capsys.readouterr().err
    wb = openpyxl.load_workbook(computed)
    ws = wb[sheet("Deals", lang)]
    ws["G2"] = 61_000  # one amount edited after the run
    wb.save(computed)
    code = cli.main(["report", str(computed), "--out", str(tmp_path / "stale"), "--format", "html",
                     "--per", "company", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 0
    assert said in err


def test_recipients_edited_after_the_run_are_no_sign_of_stale_results(tmp_path, capsys):
    """Recipients feeds no engine: typing passwords into the computed book is expected, and no digest of them is
    kept in Out_RunInfo."""
    book = build(BASE, "en", tmp_path)
    computed = run_book(book, tmp_path / "computed.xlsx").output
    assert "Recipients" not in set(pd.read_excel(computed, sheet_name="Out_RunInfo", engine="openpyxl")["Table"])
    wb = openpyxl.load_workbook(computed)
    rep = wb[sheet("Reps", "en")]["A2"].value
    ws = wb["Recipients"]  # the sheet of an empty table, one blank row inside it
    ws["A2"], ws["C2"] = rep, "tulip-42-harbour-9"
    wb.save(computed)
    code = cli.main(["report", str(computed), "--out", str(tmp_path / "fresh"), "--format", "html",
                     "--per", "company", "--no-progress"])
    assert code == 0 and "inputs changed" not in capsys.readouterr().err


def test_runinfo_is_the_same_on_every_run_of_the_same_inputs(tmp_path):
    book = build(BASE, "en", tmp_path)
    a = pd.read_excel(run_book(book, tmp_path / "a.xlsx").output, sheet_name="Out_RunInfo", engine="openpyxl")
    b = pd.read_excel(run_book(book, tmp_path / "b.xlsx").output, sheet_name="Out_RunInfo", engine="openpyxl")
    assert a.equals(b)
    assert set(a["Table"]) >= {"Deals", "Reps", "PlanTiers", "Settings"}


def test_a_commissions_only_book_runs_with_a_plain_run(tmp_path, capsys):
    """Reps + plans + deals: no KPI or target tables filled, and a plain `run` computes the commissions."""
    keep = ("Settings", "Products", "Regions", "Reps", "Deals", "Plans", "PlanTiers", "PlanAssignments")
    tables = {k: v for k, v in base_tables("zh").items() if k in keep}
    book = write_book(tmp_path / "commissions_only.xlsx", "zh", tables)
    out = tmp_path / "out.xlsx"
    code = cli.main(["run", str(book), "--out", str(out), "--no-progress"])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    st = pd.read_excel(out, sheet_name="Out_Statements", engine="openpyxl")
    assert round(float(st["应付"].sum()), 2) == 12_400.00  # 7,400 + 5,000 worked out in tests/mistakes.py
    assert "已跳过" in printed.out  # the engines not in use are named, one line each
    assert "Out_Scorecards" not in openpyxl.load_workbook(out, read_only=True).sheetnames


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_settings_choices_have_a_drop_down_and_the_instructions_say_what_is_allowed(tmp_path, lang):
    book = write_book(tmp_path / f"t_{lang}.xlsx", lang)
    wb = openpyxl.load_workbook(book)
    ws = wb[sheet("Settings", lang)]
    keys = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    lists = {str(c): dv.formula1 for dv in ws.data_validations.dataValidation for c in dv.sqref.ranges}
    period = lists[f"B{keys['scorecard_period']}"]
    assert ("月度" in period and "季度" in period) if lang == "zh" else ("month" in period and "quarter" in period)
    assert f"B{keys['company_name']}" not in lists  # free text: no list
    instructions = wb.worksheets[0]
    texts = [str(c.value) for row in instructions.iter_rows() for c in row if c.value is not None]
    rate_rule = "0% 至 100%" if lang == "zh" else "0% to 100%"
    assert any(rate_rule in t for t in texts), "the instructions state the rate's range"
    assert any(("重新分配" if lang == "zh" else "redistribute") in t for t in texts)
