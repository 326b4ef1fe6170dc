"""A small hand-filled book for the period tests, and the review figures worked out from it by hand
(plain Python over the tables below: no salesbook engine is called here)."""

from __future__ import annotations

import pandas as pd

AS_OF = "2026-05-20"        # January to May have begun; June on have not
DONE = [f"2026-{m:02d}" for m in range(1, 6)]
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
COMPANY_TARGET = 3_600_000.0
SEASON = [0.05, 0.05, 0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.10, 0.05, 0.05]
REPS = {"R1": ("E", "赵一"), "R2": ("E", "钱二"), "R3": ("W", "孙三")}
REGIONS = {"E": "华东", "W": "华西"}
TARGET_BONUS = 120_000.0
# booked deals per rep and month (January to May), one deal each
DEALS = {"R1": [40_000, 50_000, 83_000, 95_000, 70_000],
         "R2": [47_000, 30_000, 92_000, 61_000, 99_000],
         "R3": [88_000, 91_000, 175_000, 183_000, 160_000]}
# KPI results: (kpi, rule, threshold, weight): sales summed, satisfaction averaged, head count the last month
KPIS = [("S", "销售额", "sum", 0.6, 0.5), ("Q", "满意度", "mean", None, 0.3), ("H", "活跃客户", "last", None, 0.2)]
SALES_TARGET = 100_000.0
KPI_ACTUALS = {  # rep -> kpi -> (actual per month Jan..May, target per month)
    "R1": {"S": ([40_000, 50_000, 83_000, 95_000, 70_000], SALES_TARGET), "Q": ([4.0, 4.2, 4.4, 4.6, 4.3], 4.5),
           "H": ([8, 9, 10, 12, 11], 10)},
    "R2": {"S": ([47_000, 30_000, 92_000, 61_000, 99_000], SALES_TARGET), "Q": ([4.5, 4.5, 4.8, 4.1, 4.4], 4.5),
           "H": ([10, 10, 9, 9, 12], 10)},
    "R3": {"S": ([88_000, 91_000, 175_000, 183_000, 160_000], 150_000.0), "Q": ([4.1, 4.3, 4.2, 4.9, 4.6], 4.5),
           "H": ([14, 15, 15, 16, 18], 15)},
}
BANDS = [("A", 105.0, 1.5), ("B", 95.0, 1.0), ("C", 85.0, 0.6), ("D", 0.0, 0.0)]
CAP = 1.2


def tables(lang: str) -> dict[str, pd.DataFrame]:
    settings = {"company_name": "测试公司" if lang == "zh" else "Test Co", "language": lang, "currency": "CNY",
                "fiscal_year": 2026, "fiscal_year_start_month": 1, "as_of_date": pd.Timestamp(AS_OF),
                "scorecard_period": "month", "target_hierarchy": "region_id > rep_id"}
    deals = [{"deal_id": f"D{rep}{i}", "date": pd.Timestamp(2026, i + 1, 10), "rep_id": rep, "product_id": "P1",
              "customer": "C", "quantity": 1, "amount": float(v), "status": "booked"}
             for rep, vals in DEALS.items() for i, v in enumerate(vals)]
    actuals = [{"period": pd.Timestamp(2026, i + 1, 1), "rep_id": rep, "kpi_id": k, "actual": float(v), "target": float(t)}
               for rep, ks in KPI_ACTUALS.items() for k, (vals, t) in ks.items() for i, v in enumerate(vals)]
    # a planned June row with its actual typed as 0: after the as-of date, so it must count nowhere
    actuals.append({"period": pd.Timestamp(2026, 6, 1), "rep_id": "R1", "kpi_id": "S", "actual": 0.0,
                    "target": SALES_TARGET})
    return {
        "Settings": pd.DataFrame({"key": list(settings), "value": list(settings.values())}),
        "Products": pd.DataFrame({"product_id": ["P1"], "name": ["软件"], "product_line": ["软件"]}),
        "Regions": pd.DataFrame({"region_id": list(REGIONS), "name": list(REGIONS.values())}),
        "Reps": pd.DataFrame({"rep_id": list(REPS), "name": [n for _, n in REPS.values()],
                              "region_id": [r for r, _ in REPS.values()], "role": ["rep"] * 3,
                              "hire_date": [pd.Timestamp("2020-01-01")] * 3, "target_bonus": [TARGET_BONUS] * 3}),
        "CompanyTarget": pd.DataFrame({"fiscal_year": [2026], "target": [COMPANY_TARGET]}),
        "Seasonality": pd.DataFrame({"month": list(range(1, 13)), "share": SEASON}),
        "TargetLevels": pd.DataFrame({"level": [1, 2], "dimension": ["region_id", "rep_id"], "method": ["even", "even"]}),
        "Deals": pd.DataFrame(deals),
        "KPIs": pd.DataFrame({"kpi_id": [k for k, *_ in KPIS], "name": [n for _, n, *_ in KPIS],
                              "direction": ["higher"] * 3, "method": ["linear"] * 3,
                              "threshold": [th for *_, th, _ in KPIS], "cap": [CAP] * 3, "floor": [0.0] * 3,
                              "aggregate": [a for _, _, a, *_ in KPIS]}),
        "KPIWeights": pd.DataFrame({"role": ["rep"] * 3, "kpi_id": [k for k, *_ in KPIS], "weight": [w for *_, w in KPIS]}),
        "Actuals": pd.DataFrame(actuals),
        "RatingBands": pd.DataFrame({"rating": [b[0] for b in BANDS], "min_score": [b[1] for b in BANDS],
                                     "multiplier": [b[2] for b in BANDS]}),
    }


# -- the figures, by hand -----------------------------------------------------------------------------
PERIODS = {"2026-03": ("month", [3]), "2026Q2": ("quarter", [4, 5, 6]), "2026": ("year", list(range(1, 13)))}


def month_target(rep: str, m: int) -> float:
    region = REPS[rep][0]
    peers = sum(1 for r, _ in REPS.values() if r == region)
    return COMPANY_TARGET * SEASON[m - 1] / len(REGIONS) / peers


def done(m: int) -> bool:
    return f"2026-{m:02d}" in DONE


def sales(reps: list[str], months: list[int]) -> dict[str, float | None]:
    """target (whole), target to date, actual to date, achievement for a set of reps over some months."""
    target = sum(month_target(r, m) for r in reps for m in months)
    to_date = sum(month_target(r, m) for r in reps for m in months if done(m))
    begun = [m for m in months if done(m)]
    actual = float(sum(DEALS[r][m - 1] for r in reps for m in begun)) if begun else None
    return {"target": target, "to_date": to_date if begun else None, "actual": actual,
            "achievement": actual / to_date if begun else None}


def kpi_card(rep: str, months: list[int]) -> dict:
    """The scorecard of the months (all begun): each KPI by its rule, linear score from the threshold on."""
    rows = []
    for k, name, rule, threshold, weight in KPIS:
        values, t = KPI_ACTUALS[rep][k]
        xs = [values[m - 1] for m in months]
        a, tt = {"sum": (sum(xs), t * len(xs)), "mean": (sum(xs) / len(xs), t), "last": (xs[-1], t)}[rule]
        att = a / tt
        score = 0.0 if threshold is not None and att < threshold else min(max(att, 0.0), CAP)
        rows.append({"kpi": k, "name": name, "rule": rule, "actual": a, "target": tt, "attainment": att,
                     "score": score, "weight": weight, "weighted": score * weight * 100})
    total = sum(r["weighted"] for r in rows)
    rating, mult = next((r, m) for r, low, m in BANDS if total >= low - 1e-9)
    return {"rows": rows, "total": total, "rating": rating, "multiplier": mult}


def kpi_review(rep: str, period: str) -> dict | None:
    _, months = PERIODS[period]
    begun = [m for m in months if done(m)]
    if not begun:
        return None
    card = kpi_card(rep, begun)
    monthly = [kpi_card(rep, [m]) for m in begun]
    card["bonus"] = sum(round(TARGET_BONUS / 12 * c["multiplier"], 2) for c in monthly)
    card["bonus_count"] = len(begun)
    region = REPS[rep][0]
    peers = [r for r, (g, _) in REPS.items() if g == region]
    totals = {r: kpi_card(r, begun)["total"] for r in peers}
    card["rank"] = 1 + sum(1 for r in peers if totals[r] > totals[rep] + 1e-9)
    card["rank_of"] = len(peers)
    card["through"] = begun[-1]
    return card
