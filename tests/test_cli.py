"""The salesbook command as a user runs it: exit codes, messages, nothing written on bad input."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from salesbook import cli


def sb(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "salesbook", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=600)


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_new_creates_a_template_and_refuses_to_overwrite(tmp_path):
    book = tmp_path / "plan.xlsx"
    r = sb("new", str(book), "--lang", "zh")
    assert r.returncode == 0, r.stderr
    assert "说明" in openpyxl.load_workbook(book).sheetnames
    before = digest(book)
    r = sb("new", str(book), "--lang", "zh")
    assert r.returncode == 2 and "已存在" in r.stderr
    assert digest(book) == before


def test_validate_lists_problems_in_chinese_with_exit_2_and_no_traceback(tmp_path, small_tables):
    from salesbook.book.template import write_book

    tables = {k: v.copy() for k, v in small_tables.items()}
    settings = tables["Settings"]
    settings.loc[settings["key"] == "language", "value"] = "zh"
    tables["Deals"]["amount"] = tables["Deals"]["amount"].astype(object)
    tables["Deals"].loc[3, "amount"] = "很多"
    tables["Deals"].loc[5, "rep_id"] = "R9999"
    book = write_book(tmp_path / "bad.xlsx", "zh", tables)
    before = set(tmp_path.iterdir())
    r = sb("validate", str(book))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert "工作表“成交”，第 5 行，列“销售额 (G)”：“很多”不是有效的金额。" in r.stderr
    assert "“R9999”在工作表“销售代表”" in r.stderr
    assert set(tmp_path.iterdir()) == before


def test_run_writes_a_computed_copy_and_leaves_the_input_alone(small_book, tmp_path):
    before = digest(small_book)
    out = tmp_path / "computed.xlsx"
    r = sb("run", str(small_book), "--out", str(out), "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert f"Wrote {out}" in r.stdout
    assert out.exists() and digest(small_book) == before


def test_run_on_a_file_that_is_not_a_workbook(tmp_path):
    fake = tmp_path / "sales.xlsx"
    fake.write_text("name,amount\nAnn,3\n")
    r = sb("run", str(fake), "--lang", "en")
    assert r.returncode == 2
    assert "'sales.xlsx' is not an Excel .xlsx file" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sales.xlsx"]


def test_unknown_engine_is_an_input_problem(small_book):
    r = sb("run", str(small_book), "--only", "astrology", "--lang", "en")
    assert r.returncode == 2 and "unknown engine astrology" in r.stderr


def test_internal_errors_exit_1_with_a_traceback(small_book, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("salesbook.pipeline.run_book", broken)
    assert cli.main(["run", str(small_book)]) == 1
    err = capsys.readouterr().err
    assert "RuntimeError: boom" in err and "internal error" in err


@pytest.mark.parametrize("command", ["new", "validate", "run", "report", "demo"])
def test_every_command_has_help(command):
    with pytest.raises(SystemExit) as info:
        cli.build_parser().parse_args([command, "--help"])
    assert info.value.code == 0


def test_report_command_writes_reviews_from_a_computed_book(small_book, tmp_path):
    from salesbook.pipeline import run_book

    computed = run_book(small_book, tmp_path / "computed.xlsx", lang="en").output
    r = sb("report", str(computed), "--out", str(tmp_path / "reviews"), "--per", "region", "--format", "pdf,html",
           "--workers", "1", "--no-progress", "--lang", "en")
    assert r.returncode == 0, r.stderr
    pdfs = sorted((tmp_path / "reviews").glob("*.pdf"))
    htmls = sorted((tmp_path / "reviews").glob("*.html"))
    assert pdfs and len(pdfs) == len(htmls)
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
