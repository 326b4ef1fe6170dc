"""Demo commission plans: tiered marginal and whole-tier, attainment accelerators, gate, cap, SPIFF,
manager override, a recoverable draw for new hires and a pay-on-cash plan."""

from __future__ import annotations

import pandas as pd

from salesbook.demo import DemoContext

ORDER = 30


def generate(ctx: DemoContext) -> dict[str, pd.DataFrame]:
    zh = ctx.lang == "zh"
    fy = ctx.fiscal_year
    reps = ctx.tables["Reps"]
    plans = pd.DataFrame([
        ("STD", "标准阶梯（超额累进）" if zh else "Standard tiered (marginal)", "marginal", "attainment", "period",
         "booking", 0.5, 60_000.0, None, None, None),
        ("SNR", "高级销售（全额累进）" if zh else "Senior whole-tier", "whole", "attainment", "period", "booking", 0.6,
         None, None, None, None),
        ("NEW", "新人方案（可追回预支）" if zh else "New hire with recoverable draw", "marginal", "attainment", "period",
         "booking", None, None, None, 4_000.0, "recoverable"),
        ("SVC", "服务按回款" if zh else "Services on cash", "marginal", "amount", "period", "cash", None, None, None, None,
         None),
        ("MGR", "经理方案（含管理提成）" if zh else "Manager with override", "marginal", "attainment", "period",
         "booking", None, None, 0.002, None, None),
    ], columns=["plan_id", "name", "tier_method", "measure", "tier_scope", "basis", "gate", "cap_period",
                "override_rate", "draw_amount", "draw_type"])
    tiers = pd.DataFrame([
        ("STD", 0.0, 0.02), ("STD", 0.8, 0.03), ("STD", 1.0, 0.05), ("STD", 1.2, 0.07),   # accelerators above 100%
        ("SNR", 0.0, 0.015), ("SNR", 1.0, 0.04), ("SNR", 1.5, 0.05),
        ("NEW", 0.0, 0.02), ("NEW", 1.0, 0.04),
        ("SVC", 0.0, 0.03), ("SVC", 200_000.0, 0.04),
        ("MGR", 0.0, 0.01), ("MGR", 1.0, 0.02),
    ], columns=["plan_id", "lower_bound", "rate"])
    deals = ctx.tables["Deals"]
    booked = deals[deals["status"] == "booked"]
    monthly = booked.groupby("rep_id")["amount"].sum() / 12
    rows = []
    for rep, role, hire in zip(reps["rep_id"], reps["role"], reps["hire_date"], strict=True):
        quota = round(float(monthly.get(rep, 100_000.0)) * 0.95, -3) or 100_000.0
        start = pd.Timestamp(fy, 1, 1)
        if role == "director":
            continue
        if role == "manager":
            rows.append((rep, "MGR", start, None, quota))
        elif hire.year == fy:
            rows.append((rep, "NEW", hire, None, quota))
        elif role == "senior":
            rows.append((rep, "SNR", start, None, quota))
        elif rep.endswith(("3", "7")):
            rows.append((rep, "SVC", start, None, None))
        else:  # effective-dated change: standard plan, then senior plan from July for a few promoted reps
            if rep.endswith("9"):
                rows.append((rep, "STD", start, pd.Timestamp(fy, 6, 30), quota))
                rows.append((rep, "SNR", pd.Timestamp(fy, 7, 1), None, quota))
            else:
                rows.append((rep, "STD", start, None, quota))
    assignments = pd.DataFrame(rows, columns=["rep_id", "plan_id", "start_date", "end_date", "quota"])
    spiffs = pd.DataFrame({"spiff_id": ["Q2-MES", "H2-KIT"], "product_id": ["P05", "P09"],
                           "start_date": [pd.Timestamp(fy, 4, 1), pd.Timestamp(fy, 7, 1)],
                           "end_date": [pd.Timestamp(fy, 6, 30), pd.Timestamp(fy, 12, 31)],
                           "per_unit": [None, 50.0], "per_deal": [2_000.0, None]})
    return {"Plans": plans, "PlanTiers": tiers, "PlanAssignments": assignments, "Spiffs": spiffs}
