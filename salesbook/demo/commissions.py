"""Demo commission plans for the demo reps.

Marginal tiers on attainment with a decelerator below 80% and accelerators above 100%, a gate and a
period cap (STD); whole-tier with a line cap for seniors (SNR); new hires on a six-month recoverable
(reps) or non-recoverable (seniors) draw, then moved to the normal plan; services reps paid on cash with
per-deal tiers and a 200 minimum per line; managers with an override on their team. New hires' draws are a
guarantee for their first two months and recoverable from the third.  Assignments are effective-dated: promotions
in July, new-hire plans ending after six months.
"""

from __future__ import annotations

import pandas as pd

from salesbook.demo import DemoContext

ORDER = 30

PLANS = [  # id, en name, zh name, method, measure, scope, basis, gate, cap_line, cap_period, override, draw, draw type
    ("STD", "Standard tiered (marginal)", "标准阶梯（超额累进）", "marginal", "attainment", "period", "booking", 0.5,
     None, 60_000.0, None, None, None),
    ("SNR", "Senior whole-tier", "高级销售（全额累进）", "whole", "attainment", "period", "booking", 0.6, 20_000.0,
     None, None, None, None),
    ("NEW", "New hire, recoverable draw", "新人方案（可追回预支）", "marginal", "attainment", "period", "booking", None,
     None, None, None, 8_000.0, "recoverable"),
    ("NSR", "New senior, non-recoverable draw", "新入职高级销售（不可追回预支）", "marginal", "attainment", "period",
     "booking", None, None, None, None, 10_000.0, "non_recoverable"),
    ("SVC", "Services, paid on cash", "服务类（按回款计提）", "marginal", "amount", "deal", "cash", None, None, None,
     None, None, None),
    ("MGR", "Manager with override", "经理方案（含管理提成）", "marginal", "attainment", "period", "booking", None,
     None, None, 0.001, None, None),
]
TIERS = [
    ("STD", 0.0, 0.02), ("STD", 0.8, 0.03), ("STD", 1.0, 0.05), ("STD", 1.2, 0.07),   # decelerator, accelerators
    ("SNR", 0.0, 0.015), ("SNR", 1.0, 0.04), ("SNR", 1.5, 0.05),
    ("NEW", 0.0, 0.02), ("NEW", 1.0, 0.04),
    ("NSR", 0.0, 0.02), ("NSR", 1.0, 0.045),
    ("SVC", 0.0, 0.03), ("SVC", 50_000.0, 0.04),                                        # per-deal tiers on amount
    ("MGR", 0.0, 0.01), ("MGR", 1.0, 0.02),
]


def generate(ctx: DemoContext) -> dict[str, pd.DataFrame]:
    zh = ctx.lang == "zh"
    fy = ctx.fiscal_year
    plans = pd.DataFrame([(p[0], p[2] if zh else p[1], *p[3:]) for p in PLANS],
                         columns=["plan_id", "name", "tier_method", "measure", "tier_scope", "basis", "gate", "cap_line",
                                  "cap_period", "override_rate", "draw_amount", "draw_type"])
    # new hires keep their first two months' draw (recovery from the third month); services pay 200 a line at least
    plans["recovery_from_period"] = plans["plan_id"].map({"NEW": 3})
    plans["min_line"] = plans["plan_id"].map({"SVC": 200.0})
    tiers = pd.DataFrame(TIERS, columns=["plan_id", "lower_bound", "rate"])
    deals = ctx.tables["Deals"]
    booked = deals[deals["status"] == "booked"]
    months = booked.groupby("rep_id")["date"].agg(lambda d: max(d.dt.month.nunique(), 1))
    monthly = booked.groupby("rep_id")["amount"].sum() / months
    start, promoted = pd.Timestamp(fy, 1, 1), pd.Timestamp(fy, 7, 1)
    rows = []
    for rep, role, hire in zip(ctx.tables["Reps"]["rep_id"], ctx.tables["Reps"]["role"],
                               ctx.tables["Reps"]["hire_date"], strict=True):
        quota = max(round(float(monthly.get(rep, 100_000.0)) * 0.95, -3), 10_000.0)
        if role == "director":
            continue  # directors are paid from the KPI scorecard, not commissions
        if role == "manager":
            rows.append((rep, "MGR", start, None, quota))
        elif hire.year == fy:  # six months on a draw, then the normal plan
            ramp_end = hire + pd.DateOffset(months=6) - pd.Timedelta(days=1)
            rows.append((rep, "NSR" if role == "senior" else "NEW", hire, ramp_end, quota))
            rows.append((rep, "SNR" if role == "senior" else "STD", ramp_end + pd.Timedelta(days=1), None, quota))
        elif role == "senior":
            rows.append((rep, "SNR", start, None, quota))
        elif rep.endswith(("3", "7")):
            rows.append((rep, "SVC", start, None, None))
        elif rep.endswith("9"):  # promoted mid-year: standard plan to June, senior plan from July
            rows.append((rep, "STD", start, promoted - pd.Timedelta(days=1), quota))
            rows.append((rep, "SNR", promoted, None, quota))
        else:
            rows.append((rep, "STD", start, None, quota))
    assignments = pd.DataFrame(rows, columns=["rep_id", "plan_id", "start_date", "end_date", "quota"])
    spiffs = pd.DataFrame({"spiff_id": ["Q2-MES", "H2-KIT"], "product_id": ["P05", "P09"],
                           "start_date": [pd.Timestamp(fy, 4, 1), pd.Timestamp(fy, 7, 1)],
                           "end_date": [pd.Timestamp(fy, 6, 30), pd.Timestamp(fy, 12, 31)],
                           "per_unit": [None, 50.0], "per_deal": [2_000.0, None]})
    return {"Plans": plans, "PlanTiers": tiers, "PlanAssignments": assignments, "Spiffs": spiffs}
