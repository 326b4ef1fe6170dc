"""Demo KPI catalogue (the handbook's four families), weights per role, judgements and monthly actuals."""

from __future__ import annotations

import pandas as pd

from salesbook.demo import DemoContext

ORDER = 40

# id, en, zh, category, direction, method, threshold, stretch, cap, critical, aggregate
KPI_ROWS = [
    ("SALES", "Sales amount", "销售额", "result", "higher", "ttsl", 0.8, 1.2, 1.5, True, "sum"),
    ("GP", "Gross profit", "毛利", "result", "higher", "linear", None, None, 1.3, False, "sum"),
    ("GROWTH", "Growth rate", "增长率", "result", "higher", "linear", None, None, 1.5, False, "mean"),
    ("NEWCUST", "New customers", "新客户数", "process", "higher", "step", None, None, None, False, "sum"),
    ("CONV", "Conversion rate", "转化率", "process", "higher", "linear", None, None, 1.2, False, "mean"),
    ("CYCLE", "Sales cycle days", "销售周期天数", "process", "lower", "linear", None, None, 1.2, False, "mean"),
    ("CSAT", "Customer satisfaction", "客户满意度", "customer", "higher", "linear", None, None, 1.1, False, "mean"),
    ("COMPLAINT", "Complaint rate", "投诉率", "customer", "lower", "ttsl", 0.5, 1.5, 1.2, False, "mean"),
    ("TEAM", "Collaboration", "团队协作", "team", "higher", "linear", None, None, 1.1, False, "mean"),
]
ROLE_KPIS = {
    "rep": {"SALES": 0.40, "GP": 0.10, "NEWCUST": 0.15, "CONV": 0.10, "CYCLE": 0.05, "CSAT": 0.10, "COMPLAINT": 0.05,
            "TEAM": 0.05},
    "senior": {"SALES": 0.35, "GP": 0.15, "GROWTH": 0.10, "NEWCUST": 0.10, "CONV": 0.10, "CSAT": 0.10, "TEAM": 0.10},
    "manager": {"SALES": 0.30, "GP": 0.20, "GROWTH": 0.15, "CSAT": 0.15, "TEAM": 0.20},
    "director": {"SALES": 0.30, "GP": 0.30, "GROWTH": 0.20, "CSAT": 0.10, "TEAM": 0.10},
}
# Saaty-scale judgements for the manager level: sales vs others etc.
MANAGER_AHP = [("SALES", "GP", 2), ("SALES", "GROWTH", 3), ("SALES", "CSAT", 3), ("SALES", "TEAM", 2),
               ("GP", "GROWTH", 2), ("GP", "CSAT", 2), ("GP", "TEAM", 1), ("GROWTH", "CSAT", 1),
               ("GROWTH", "TEAM", 1 / 2), ("CSAT", "TEAM", 1 / 2)]


def generate(ctx: DemoContext) -> dict[str, pd.DataFrame]:
    rng = ctx.rng("kpi")
    zh = ctx.lang == "zh"
    t = ctx.tables
    kpis = pd.DataFrame([(k, z if zh else e, c, d, m, th, st, 0.0, cap, crit, agg)
                         for k, e, z, c, d, m, th, st, cap, crit, agg in KPI_ROWS],
                        columns=["kpi_id", "name", "category", "direction", "method", "threshold", "stretch", "floor",
                                 "cap", "critical", "aggregate"])
    weights = pd.DataFrame([(r, k, w) for r, ks in ROLE_KPIS.items() for k, w in ks.items()],
                           columns=["role", "kpi_id", "weight"])
    methods = pd.DataFrame({"role": ["rep", "senior", "manager", "director"],
                            "method": ["manual", "blend", "ahp", "manual"],
                            "subjective": [None, "manual", None, None], "objective": [None, "entropy", None, None],
                            "subjective_share": [None, 0.6, None, None]})
    judgements = pd.DataFrame([("manager", a, b, v) for a, b, v in MANAGER_AHP], columns=["role", "kpi_a", "kpi_b", "value"])
    steps = pd.DataFrame({"kpi_id": "NEWCUST", "min_attainment": [0.0, 0.5, 0.8, 1.0, 1.3],
                          "score": [0.0, 0.4, 0.8, 1.0, 1.2]})
    bands = pd.DataFrame({"rating": ["S", "A", "B", "C", "D"], "min_score": [110, 100, 85, 70, 0],
                          "multiplier": [1.5, 1.2, 1.0, 0.6, 0.0]})

    reps = t["Reps"]
    deals = t["Deals"]
    booked = deals[deals["status"] == "booked"]
    month = booked["date"].dt.month
    sales = booked.groupby([booked["rep_id"], month])["amount"].sum()
    hist = t["History"]
    prior = hist[hist["period"].dt.year == ctx.fiscal_year - 1]
    prior = prior.groupby([prior["rep_id"], prior["period"].dt.month])["amount"].sum()
    team_sales = booked.groupby([booked["rep_id"].map(reps.set_index("rep_id")["manager_id"]), month])["amount"].sum()
    rows = []
    for rep, role, hire, leave in zip(reps["rep_id"], reps["role"], reps["hire_date"], reps["leave_date"], strict=True):
        for m in range(1, 13):
            start = pd.Timestamp(ctx.fiscal_year, m, 1)
            if hire > start + pd.offsets.MonthEnd(0) or (pd.notna(leave) and leave < start):
                continue
            if role in ("manager", "director"):
                actual_sales = float(team_sales.get((rep, m), 0.0)) + float(sales.get((rep, m), 0.0))
            else:
                actual_sales = float(sales.get((rep, m), 0.0))
            base = float(prior.get((rep, m), 0.0))
            planned = actual_sales * rng.uniform(0.85, 1.18) if actual_sales > 0 else base * 1.12
            target_sales = round(max(planned, 10_000.0), -2)
            perf = actual_sales / target_sales if target_sales else 1.0
            noise = rng.normal(0, 0.08)
            values = {
                "SALES": (round(actual_sales, 2), target_sales),
                "GP": (round(actual_sales * rng.uniform(0.28, 0.36), 2), round(target_sales * 0.32, -2)),
                "GROWTH": (round(perf * 0.12 + noise / 4, 4), 0.12),
                "NEWCUST": (float(max(0, round(4 * perf + rng.normal(0, 1)))), 4.0),
                "CONV": (round(min(0.6, max(0.02, 0.22 * perf + noise / 3)), 4), 0.22),
                "CYCLE": (round(max(10.0, 45 / max(perf, 0.3) + rng.normal(0, 5)), 1), 45.0),
                "CSAT": (round(min(5.0, max(2.5, 4.3 + noise * 3)), 2), 4.5),
                "COMPLAINT": (round(max(0.0, 0.02 + rng.normal(0, 0.008)), 4), 0.02),
                "TEAM": (round(min(5.0, max(2.0, 4.0 + rng.normal(0, 0.4))), 2), 4.0),
            }
            for kpi in ROLE_KPIS[role]:
                a, tg = values[kpi]
                rows.append((start, rep, kpi, a, tg))
    actuals = pd.DataFrame(rows, columns=["period", "rep_id", "kpi_id", "actual", "target"])
    fy = ctx.fiscal_year
    # the company factor of each quarter (Q4's revenue beat plan by 62%, capped at 150%) and East's for the year
    factors = pd.DataFrame({
        "scope": ["company"] * 4 + ["region"],
        "unit": [None] * 4 + ["EAST"],
        "period": [f"{fy}Q{q}" for q in range(1, 5)] + [str(fy)],
        "factor": [0.95, 1.05, 1.10, 1.62, 1.08],
        "cap": [1.5] * 4 + [None],
        "note": (["收入完成计划 95%", "收入完成计划 105%", "收入完成计划 110%", "收入完成计划 162%", "华东利润完成 108%"]
                 if zh else ["revenue 95% of plan", "revenue 105% of plan", "revenue 110% of plan",
                             "revenue 162% of plan", "East profit 108% of plan"]),
    })
    return {"KPIs": kpis, "KPISteps": steps, "KPIWeights": weights, "WeightMethods": methods,
            "AHPJudgements": judgements, "Actuals": actuals, "RatingBands": bands, "PerformanceFactors": factors}
