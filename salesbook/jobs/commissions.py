"""Job: commissions into Out_Commissions, Out_Statements and Out_Accruals."""

from __future__ import annotations

import pandas as pd

from salesbook.book.validate import LoadedBook
from salesbook.engines.commissions import compute_commissions
from salesbook.errors import Problem, problem
from salesbook.jobs import Job
from salesbook.messages import Count


def run(book: LoadedBook, *, with_lines: bool = True) -> dict[str, pd.DataFrame]:
    """The three outputs; with ``with_lines=False`` Out_Commissions is left empty (``statements``)."""
    t, s = book.tables, book.settings
    r = compute_commissions(
        t["Deals"], t["Plans"], t["PlanTiers"], t["PlanAssignments"], credits=t.get("Credits"),
        payments=t.get("Payments"), spiffs=t.get("Spiffs"), reps=t.get("Reps"),
        grain=str(s.get("commission_period", "month")), unit=float(s["rounding_unit"]),
        clawback_days=int(s.get("clawback_window_days", 90)),
        clawback_reduces_attainment=bool(s.get("clawback_reduces_attainment", True)),
        tier_boundary=str(s.get("tier_boundary", "upper")), lang=str(s["language"]), with_lines=with_lines)
    book.warnings.extend(_deals_without_plan(r.unplanned))
    return {"Out_Commissions": r.lines, "Out_Statements": r.statements, "Out_Accruals": r.accruals}


def statements(book: LoadedBook) -> pd.DataFrame:
    """Out_Statements alone, as ``run`` makes them: plan modeling replays only statements, so each scenario's
    lines, their explanations and their table would be made to be thrown away."""
    return run(book, with_lines=False)["Out_Statements"]


def _deals_without_plan(unplanned: pd.DataFrame) -> list[Problem]:
    """Credited deals on a day the rep had no plan earn nothing (a director, say): never without a word."""
    out = []
    for rep, rows in unplanned.groupby("rep_id", sort=True):
        out.append(problem("rep {rep} has {n:credited deal/credited deals} on days without a plan in "
                           "PlanAssignments; deals on such days earn no commission.",
                           "销售代表 {rep} 有 {n} 笔业绩订单发生在方案分配表未覆盖的日期，不计提成。",
                           table="PlanAssignments", rep=rep, n=Count(rows["deal_id"].nunique())))
    return out


JOB = Job(name="commissions", title_en="Commissions", title_zh="提成",
          needs=("Deals", "Plans", "PlanTiers", "PlanAssignments", "Reps"),
          uses=("Deals", "Credits", "Payments", "Plans", "PlanTiers", "PlanAssignments", "Spiffs", "Reps"),
          writes=("Out_Commissions", "Out_Statements", "Out_Accruals"), run=run, order=30)
