"""Demo inputs for target decomposition: the company target, seasonality, levels, adjustments, ramp."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesbook.demo import DemoContext

ORDER = 10


def generate(ctx: DemoContext) -> dict[str, pd.DataFrame]:
    t = ctx.tables
    rng = ctx.rng("targets")
    hist = t["History"]
    last = hist[hist["period"].dt.year == ctx.fiscal_year - 1]
    target = round(float(last["amount"].sum()) * 1.12, -4)
    by_month = last.groupby(last["period"].dt.month)["amount"].sum()
    raw = (by_month / by_month.sum()).round(3).to_numpy().copy()
    raw[-1] = round(1.0 - raw[:-1].sum(), 3)
    lines = sorted(t["Products"]["product_line"].unique())
    reps = t["Reps"]
    sellers = reps[reps["role"].isin(["rep", "senior"])]
    committed = sellers.sample(n=min(12, len(sellers)), random_state=int(rng.integers(1 << 30)))
    per_rep = target / max(len(sellers), 1)
    return {
        "CompanyTarget": pd.DataFrame({"fiscal_year": [ctx.fiscal_year], "target": [target]}),
        "Seasonality": pd.DataFrame({"month": range(1, 13), "share": raw}),
        "TargetLevels": pd.DataFrame({
            "level": [1, 2, 3], "dimension": ["product_line", "region_id", "rep_id"],
            "method": ["prior_year", "trailing_12m", "blend"], "weight_column": [None, None, None],
            "blend": [None, None, "prior_year:70%, weight:30%"], "padding": [0.0, 0.0, 0.05]}),
        "TargetAdjustments": pd.DataFrame({
            "product_line": [lines[0], lines[1], None], "region_id": ["EAST", "WEST", None],
            "rep_id": [None, None, None], "growth": [0.08, None, None],
            "locked": [None, round(target * 0.02, -3), None], "min_amount": [None, None, None],
            "max_amount": [None, None, None],
            "note": ["新客户开发重点" if ctx.lang == "zh" else "new-account push",
                     "渠道合同已签" if ctx.lang == "zh" else "channel contract signed", None]}).head(2),
        "RampProfile": pd.DataFrame({"tenure_month": [1, 2, 3], "share": [0.25, 0.5, 0.75]}),
        "Commitments": pd.DataFrame({"rep_id": committed["rep_id"].to_numpy(),
                                     "amount": np.round(per_rep * rng.uniform(0.8, 1.2, len(committed)), -3)}),
    }
