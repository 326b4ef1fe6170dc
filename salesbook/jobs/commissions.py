"""Job: commissions into Out_Commissions, Out_Statements and Out_Accruals."""

from __future__ import annotations

import pandas as pd

from salesbook.book.validate import LoadedBook
from salesbook.engines.commissions import compute_commissions
from salesbook.jobs import Job


def run(book: LoadedBook) -> dict[str, pd.DataFrame]:
    t, s = book.tables, book.settings
    r = compute_commissions(
        t["Deals"], t["Plans"], t["PlanTiers"], t["PlanAssignments"], credits=t.get("Credits"),
        payments=t.get("Payments"), spiffs=t.get("Spiffs"), reps=t.get("Reps"),
        grain=str(s.get("commission_period", "month")), unit=float(s["rounding_unit"]),
        clawback_days=int(s.get("clawback_window_days", 90)),
        clawback_reduces_attainment=bool(s.get("clawback_reduces_attainment", True)),
        tier_boundary=str(s.get("tier_boundary", "upper")), lang=str(s["language"]))
    return {"Out_Commissions": r.lines, "Out_Statements": r.statements, "Out_Accruals": r.accruals}


JOB = Job(name="commissions", title_en="Commissions", title_zh="提成",
          needs=("Deals", "Plans", "PlanTiers", "PlanAssignments", "Reps"),
          uses=("Deals", "Credits", "Payments", "Plans", "PlanTiers", "PlanAssignments", "Spiffs", "Reps"),
          writes=("Out_Commissions", "Out_Statements", "Out_Accruals"), run=run, order=30)
