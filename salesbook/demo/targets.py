"""Demo inputs for target decomposition: company target, seasonality, levels, adjustments, ramp, commitments."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesbook.demo import DemoContext

ORDER = 10


def _profile(amounts: pd.Series) -> np.ndarray:
    """Monthly shares rounded to 0.1% that total exactly 100% (the last month takes the rounding)."""
    raw = (amounts / amounts.sum()).round(3).to_numpy().copy()
    raw[-1] = round(1.0 - raw[:-1].sum(), 3)
    return raw


def generate(ctx: DemoContext) -> dict[str, pd.DataFrame]:
    t = ctx.tables
    rng = ctx.rng("targets")
    zh = ctx.lang == "zh"
    hist = t["History"].merge(t["Products"][["product_id", "product_line"]], on="product_id", how="left")
    last = hist[hist["period"].dt.year == ctx.fiscal_year - 1]
    lines = sorted(t["Products"]["product_line"].unique())
    # default profile from last year's months; the first product line keeps its own (project-driven) shape
    season = pd.DataFrame({"product_line": None, "month": range(1, 13),
                           "share": _profile(last.groupby(last["period"].dt.month)["amount"].sum())})
    own = last[last["product_line"] == lines[0]]
    season = pd.concat([season, pd.DataFrame({
        "product_line": lines[0], "month": range(1, 13),
        "share": _profile(own.groupby(own["period"].dt.month)["amount"].sum().reindex(range(1, 13), fill_value=0))})],
        ignore_index=True)
    target = round(float(last["amount"].sum()) * 1.12, -4)
    reps = t["Reps"]
    sellers = reps[reps["role"].isin(["rep", "senior"])]
    committed = sellers.sample(n=min(12, len(sellers)), random_state=int(rng.integers(1 << 30)))
    per_rep = target / max(len(sellers), 1)
    newest = sellers.sort_values("hire_date").iloc[-1]["rep_id"]
    regions = t["Regions"]["region_id"].tolist()
    return {
        "CompanyTarget": pd.DataFrame({"fiscal_year": [ctx.fiscal_year], "target": [target], "growth": [None]}),
        "Seasonality": season,
        "TargetLevels": pd.DataFrame({
            "level": [1, 2, 3], "dimension": ["product_line", "region_id", "rep_id"],
            "method": ["prior_year", "trailing_12m", "blend"], "weight_column": [None, None, "capacity"],
            "blend": [None, None, "prior_year:70%, weight:30%"], "padding": [0.0, 0.0, 0.05],
            # reps also get unit targets: each region's line target at its prior-year average price
            "measure": ["amount", "amount", "quantity"]}),
        "TargetAdjustments": pd.DataFrame({
            "product_line": [lines[0], lines[1], None], "region_id": [regions[0], regions[-1], None],
            "rep_id": [None, None, newest], "growth": [0.08, None, None],
            "locked": [None, round(target * 0.02, -3), None], "min_amount": [None, None, 50_000.0],
            "max_amount": [None, None, None],
            "note": ["新客户开发重点" if zh else "new-account push", "渠道合同已签" if zh else "channel contract signed",
                     "新人保底目标" if zh else "floor for the newest hire"]}),
        "RampProfile": pd.DataFrame({"tenure_month": [1, 2, 3], "share": [0.25, 0.5, 0.75]}),
        "Commitments": pd.DataFrame({
            "rep_id": committed["rep_id"].to_numpy(),
            "product_line": [lines[0] if i % 4 == 0 and (pd.isna(pl) or lines[0] in str(pl)) else None
                             for i, pl in enumerate(committed["product_lines"])],
            "amount": np.round(per_rep * rng.uniform(0.8, 1.2, len(committed)) * [
                0.4 if i % 4 == 0 else 1.0 for i in range(len(committed))], -3)}),
    }
