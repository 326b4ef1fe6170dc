"""Macros (buttons) for Excel: run everything, each engine alone, and generate reports.

Two kinds of entry points call one implementation through the book adapter:
- classic xlwings (VBA ``RunPython "import salesbook.excel.macros as m; m.run_all()"``): no parameters,
  the workbook is ``xw.Book.caller()``;
- xlwings Lite/Server scripts: ``@xw.script`` functions that receive ``book: xw.Book``.
Problems are written to an ``Out_Problems`` sheet (sheet, row, column, message) and summarised in an
alert, so nothing is lost in a console nobody sees.  A run also refreshes the ``Out_Dashboard`` charts.
"""

from __future__ import annotations

import contextlib
from typing import Any

import xlwings as xw

from salesbook.book.dashboard import dashboard_for
from salesbook.book.validate import load_book
from salesbook.book.xlwings_book import XlwingsBook
from salesbook.errors import InputError
from salesbook.pipeline import MODEL, WARNINGS, compute, detect_language, findings_frame, plan_jobs

PROBLEMS_SHEET = "Out_Problems"


def run_in_book(book: Any, only: list[str] | None = None, also: tuple[str, ...] = ()) -> dict[str, int]:
    """Compute the given engines (default: all that have data, plus plan modeling if ``also`` asks for it)
    inside an open workbook."""
    adapter = XlwingsBook(book)
    lang = detect_language(adapter)  # type: ignore[arg-type]
    try:
        jobs, _ = plan_jobs(adapter, only, also)  # type: ignore[arg-type]
        loaded = load_book(adapter, required=sorted({t for j in jobs for t in j.needs}))
        outputs = compute(loaded, jobs)
    except InputError as exc:
        _show_problems(book, adapter, exc, lang)
        return {}
    warnings = [loaded.locator.locate(w) for w in loaded.warnings]
    outputs[WARNINGS] = findings_frame(warnings, lang)
    for name, frame in outputs.items():
        adapter.write_table(name, frame, lang=lang)
    adapter.write_dashboard(dashboard_for(outputs, loaded.tables, loaded.settings, lang))
    _clear_problems(book)
    if warnings:
        _alert(book, f"计算完成；有 {len(warnings)} 条提示需要核对，详见工作表 {WARNINGS}。" if lang == "zh"
               else f"Done; {len(warnings)} warning{'s' if len(warnings) != 1 else ''} to check: see sheet {WARNINGS}.")
    return {name: len(frame) for name, frame in outputs.items()}


def _alert(book: Any, text: str) -> None:
    with contextlib.suppress(Exception):  # some runtimes have no alert; the sheet is the record
        book.app.alert(text, title="salesbook")


def _show_problems(book: Any, adapter: XlwingsBook, exc: InputError, lang: str) -> None:
    adapter.write_table(PROBLEMS_SHEET, findings_frame(exc.problems, lang), lang=lang)
    n = len(exc.problems)
    _alert(book, f"发现 {n} 个问题，未写入结果；详见工作表 {PROBLEMS_SHEET}。" if lang == "zh"
           else f"{n} problem{'s' if n != 1 else ''} found; no results were written. See sheet {PROBLEMS_SHEET}.")


def _clear_problems(book: Any) -> None:
    if PROBLEMS_SHEET in [s.name for s in book.sheets]:
        book.sheets[PROBLEMS_SHEET].delete()


# -- classic xlwings entry points (RunPython from VBA buttons) ---------------------------------
def run_all() -> None:
    run_in_book(xw.Book.caller())


def run_targets() -> None:
    run_in_book(xw.Book.caller(), ["targets"])


def run_leads() -> None:
    run_in_book(xw.Book.caller(), ["leads"])


def run_commissions() -> None:
    run_in_book(xw.Book.caller(), ["commissions"])


def run_kpi() -> None:
    run_in_book(xw.Book.caller(), ["kpi"])


def run_model() -> None:
    """Plan modeling: every engine in use, then each scenario of the Scenarios sheet (Out_Scenarios,
    Out_ScenarioReps); the comparison review is made with ``salesbook report BOOK --per scenarios``."""
    run_in_book(xw.Book.caller(), also=(MODEL,))


# -- xlwings Lite / Server scripts ---------------------------------------------------------------
@xw.script
def salesbook_run_all(book: xw.Book) -> None:
    """Compute every engine / 全部计算"""
    run_in_book(book)


@xw.script
def salesbook_score_leads(book: xw.Book) -> None:
    """Score and route leads / 线索评分与分配"""
    run_in_book(book, ["leads"])


@xw.script
def salesbook_decompose_targets(book: xw.Book) -> None:
    """Decompose targets / 目标分解"""
    run_in_book(book, ["targets"])


@xw.script
def salesbook_compute_commissions(book: xw.Book) -> None:
    """Compute commissions / 计算提成"""
    run_in_book(book, ["commissions"])


@xw.script
def salesbook_build_scorecards(book: xw.Book) -> None:
    """Build KPI scorecards / 绩效考核"""
    run_in_book(book, ["kpi"])


@xw.script
def salesbook_model(book: xw.Book) -> None:
    """Plan modeling: what each scenario costs / 方案模拟"""
    run_in_book(book, also=(MODEL,))
