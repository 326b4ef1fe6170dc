"""Runs inside a fresh virtual environment that holds salesbook's wheel and only the requirements xlwings Lite
would install with it (no extras, no python-calamine).  It imports every module of the calculation side,
drives every macro entry point and every worksheet function on a workbook held open in the xlwings stand-in,
and writes what they produced as JSON: a digest of each Out_ sheet, each function's arguments and result.
The test compares that with the same work done in the project's own environment.

Usage: python -E -s wheel_check.py BOOK.pickle RESULT.json   (a pickled ``fake_xlwings.Book``)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import importlib.util
import inspect
import json
import math
import pickle
import pkgutil
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the stand-in
from fake_xlwings import Book  # the pickled book is made of its classes

# Modules of the extras and of the fast reader, none of which the calculation side may need.
ABSENT = ("weasyprint", "jinja2", "dask", "distributed", "python_calamine", "cssselect2", "pydyf")



def normal(v: Any) -> Any:
    """One cell as both Excel and a file reader may hand it over: blanks as None, numbers as floats to 1e-6,
    dates as ISO text (the date alone at midnight)."""
    if v is None or (isinstance(v, str) and v == "") or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, bool | str):
        return v
    if isinstance(v, int | float):
        return round(float(v), 6) + 0.0
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def sheet_digest(rows: list[list[Any]]) -> dict[str, Any]:
    """A sheet's header, row count and a hash of every normalised cell (the first rows kept for a message)."""
    body = [[normal(v) for v in r] for r in rows]
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return {"header": body[0] if body else [], "rows": max(len(body) - 1, 0),
            "sha256": hashlib.sha256(text.encode()).hexdigest(), "first": body[1:3]}


def out_sheets(book: Book) -> dict[str, dict[str, Any]]:
    return {s.name: sheet_digest(s.used_range.options(ndim=2).value) for s in book.sheets if s.name.startswith("Out_")}


def import_calculation_side() -> list[str]:
    """Every module but the reviews (the reports extra) and ``__main__`` (it runs the command)."""
    import salesbook

    names = ["salesbook"]
    for info in pkgutil.walk_packages(salesbook.__path__, "salesbook."):
        if info.name.startswith("salesbook.reports") or info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
        names.append(info.name)
    return names


def entry_points() -> tuple[list[str], list[str]]:
    """The macros module's entry points: classic ones take nothing (the workbook comes from xlwings'
    Book.caller), xlwings Lite scripts take the workbook as ``book``."""
    import salesbook.excel.macros as macros

    classic, scripts = [], []
    for name, f in inspect.getmembers(macros, inspect.isfunction):
        if f.__module__ != macros.__name__ or name.startswith("_") or name == "run_in_book":
            continue
        params = list(inspect.signature(f).parameters)
        (classic if params == [] else scripts if params == ["book"] else []).append(name)
    return classic, scripts


def drive_macros(book: Book) -> dict[str, Any]:
    import xlwings as xw

    import salesbook.excel.macros as macros

    xw.Book.caller = classmethod(lambda cls: book)  # what xlwings answers when Excel called the macro
    classic, scripts = entry_points()
    out: dict[str, Any] = {}
    for name in classic + scripts:
        for sheet in [s for s in book.sheets if s.name.startswith("Out_")]:
            sheet.delete()
        book.app.alerts.clear()
        start = time.perf_counter()
        entry = getattr(macros, name)
        entry() if name in classic else entry(book)
        out[name] = {"seconds": round(time.perf_counter() - start, 2), "alerts": list(book.app.alerts),
                     "sheets": out_sheets(book)}
    return out


def _table(book: Book, name: str) -> tuple[list[Any], list[list[Any]]]:
    rows = book.table(name).range.options(ndim=2).value
    return rows[0], rows[1:]


def function_calls(book: Book) -> list[tuple[str, str, list[Any]]]:
    """Each worksheet function with arguments taken from the book's tables as a user would select them.
    Columns are taken by position: the template's order, the same in both languages."""
    _, company = _table(book, "CompanyTarget")          # fiscal year, target, growth
    _, seasonality = _table(book, "Seasonality")        # product line, month, share
    _, leads = _table(book, "Leads")
    rules_header, rules = _table(book, "ScoringRules")  # rule, group, field, operator, value, points
    bands_header, bands = _table(book, "GradeBands")    # grade, minimum score, follow-up days
    _, tiers = _table(book, "PlanTiers")                # plan, lower bound, rate
    _, judgements = _table(book, "AHPJudgements")       # role, KPI A, KPI B, importance of A over B
    _, actuals = _table(book, "Actuals")                # month, rep, KPI, actual, target

    total = company[0][1]
    line = seasonality[0][0]
    profile = [r[2] for r in seasonality if r[0] == line]
    # the rules name lead fields by their canonical names: the lead's row goes under those names
    fields = ["lead_id", "created_date", "company", "industry", "region_id", "product_line", "employees", "budget",
              "source", "status", "owner_rep_id", "last_contact_date"]
    lead_row = [fields, [v.isoformat() if isinstance(v, dt.datetime) else v for v in leads[0]]]
    plan = tiers[0][0]
    plan_tiers = [[r[1], r[2]] for r in tiers if r[0] == plan]
    top = max(r[0] for r in plan_tiers)
    role = judgements[0][0]
    pairs = [(r[1], r[2], float(Fraction(str(r[3])))) for r in judgements if r[0] == role]
    kpis = list(dict.fromkeys([a for a, _, _ in pairs] + [b for _, b, _ in pairs]))
    matrix = [[1.0] * len(kpis) for _ in kpis]
    for a, b, x in pairs:
        matrix[kpis.index(a)][kpis.index(b)], matrix[kpis.index(b)][kpis.index(a)] = x, 1 / x
    month = actuals[0][0]
    by_rep: dict[str, dict[str, float]] = {}
    for r in actuals:
        if r[0] == month and r[4]:
            by_rep.setdefault(r[1], {})[r[2]] = r[3] / r[4]
    kpi_ids = sorted(set.intersection(*(set(rep) for rep in by_rep.values())))  # the KPIs every rep has
    data = [[rep[k] for k in kpi_ids] for rep in by_rep.values()]  # attainment, reps by KPIs
    actual, target = actuals[0][3], actuals[0][4]
    below = next(r for r in actuals if r[4] and 0 < r[3] < r[4])  # a result under target: ttsl differs there

    field_rules = [r[2:6] for r in [rules_header, *rules] if r is rules_header or r[2] in fields]
    calls: list[tuple[str, str, list[Any]]] = [
        ("version", "SB_VERSION", []),
        ("seasonalize", "SB_SEASONALIZE", [total, profile]),
        ("allocate", "SB_ALLOCATE", [total, profile, 0.01]),
        ("lead score", "SB_LEAD_SCORE", [lead_row, field_rules]),
        ("marginal commission", "SB_COMMISSION", [top * 1.5 or 150000.0, plan_tiers]),
        ("whole commission", "SB_COMMISSION", [top * 1.5 or 150000.0, plan_tiers, "whole"]),
        ("tier rate", "SB_TIER_RATE", [top, plan_tiers]),
        ("ahp weights", "SB_AHP_WEIGHTS", [matrix]),
        ("ahp cr", "SB_AHP_CR", [matrix]),
        ("entropy weights", "SB_ENTROPY_WEIGHTS", [data]),
        ("linear kpi score", "SB_KPI_SCORE", [actual, target]),
        ("ttsl kpi score", "SB_KPI_SCORE", [below[3], below[4], "ttsl"]),
    ]
    band_rows = [r[:2] for r in [bands_header, *bands]]
    calls += [(f"grade {r[0]}", "SB_GRADE", [r[1], band_rows]) for r in bands]  # each band's own minimum
    return calls


def call_functions(calls: list[tuple[str, str, list[Any]]]) -> dict[str, dict[str, Any]]:
    import salesbook.excel.functions as functions

    return {label: {"name": name, "args": args, "result": getattr(functions, name)(*args)}
            for label, name, args in calls}


def main(book_path: str, result_path: str) -> None:
    import salesbook

    result: dict[str, Any] = {"prefix": sys.prefix, "salesbook": salesbook.__file__,
                              "present": [m for m in ABSENT if importlib.util.find_spec(m) is not None]}
    result["modules"] = import_calculation_side()
    importlib.import_module("salesbook.reports.scenarios")  # salesbook model's summary needs no extra
    try:
        from salesbook.reports import build_reports  # noqa: F401
        result["reports_import"] = None
    except ImportError as exc:
        result["reports_import"] = str(exc)
    book = pickle.loads(Path(book_path).read_bytes())
    result["macros"] = drive_macros(book)
    result["functions"] = call_functions(function_calls(book))
    Path(result_path).write_text(json.dumps(result, ensure_ascii=False, default=str), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
