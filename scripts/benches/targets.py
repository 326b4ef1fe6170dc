"""Target decomposition: 10,000 reps x 12 months through a 3-level hierarchy (goal <= 1 s for the engine)."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from salesbook.engines.allocation import split_groups
from salesbook.engines.targets import Level, decompose_targets


def make(n_reps: int, n_regions: int = 50, seed: int = 1) -> dict:
    rng = np.random.default_rng(seed)
    lines = ["HW", "SW", "SVC"]
    products = pd.DataFrame({"product_id": [f"P{i}" for i in range(9)], "product_line": [lines[i % 3] for i in range(9)],
                             "active": True})
    regions = pd.DataFrame({"region_id": [f"G{i:03d}" for i in range(n_regions)]})
    rep_ids = [f"R{i:05d}" for i in range(n_reps)]
    region_of = rng.choice(regions["region_id"], size=n_reps)
    hire = pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 2400, n_reps), unit="D")
    reps = pd.DataFrame({"rep_id": rep_ids, "name": rep_ids, "region_id": region_of, "role": "rep", "hire_date": hire,
                         "leave_date": pd.NaT, "product_lines": None, "capacity": rng.uniform(0.5, 1.5, n_reps)})
    months = pd.date_range("2025-01-01", periods=12, freq="MS")
    n = n_reps * 3 * 12
    history = pd.DataFrame({"period": np.tile(np.repeat(months, 3), n_reps),
                            "rep_id": np.repeat(rep_ids, 36), "region_id": np.repeat(region_of, 36),
                            "product_id": np.tile([f"P{i}" for i in range(3)], n_reps * 12),
                            "amount": rng.lognormal(10, 1, n).round(2)})
    season = pd.DataFrame({"month": range(1, 13), "share": [1 / 12] * 12})
    return dict(products=products, regions=regions, reps=reps, history=history, seasonality=season)


def deals_for(book: dict, n: int, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    reps = book["reps"]["rep_id"].to_numpy()
    return pd.DataFrame({"deal_id": [f"D{i}" for i in range(n)],
                         "date": pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
                         "rep_id": rng.choice(reps, n), "product_id": rng.choice([f"P{i}" for i in range(9)], n),
                         "amount": rng.lognormal(9, 1, n).round(2), "status": "booked"})


def _best(repeat: int, fn) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def run(args) -> list[tuple[str, str, str]]:
    n = 2_000 if args.quick else 10_000
    book = make(n)
    levels = (Level("product_line"), Level("region_id", method="trailing_12m"),
              Level("rep_id", method="blend", blend=(("prior_year", 0.7), ("weight", 0.3)), weight_column="capacity"))
    rows = []
    secs, result = _best(args.repeat, lambda: decompose_targets(5e9, levels=levels, unit=0.01, ramp=[0.25, 0.5, 0.75],
                                                                **book))
    rows.append((f"{n:,} reps x 12 months, 3 levels (engine)", f"{secs:.3f} s",
                 f"{len(result.targets):,} Out_Targets rows; goal <= 1 s"))
    lines, regions = ["HW", "SW", "SVC"], book["regions"]["region_id"].tolist()
    adj = pd.DataFrame({"product_line": lines * 10, "region_id": regions[:30], "rep_id": None,
                        "growth": [0.05] * 30, "locked": None, "min_amount": None, "max_amount": None})
    secs, result = _best(args.repeat, lambda: decompose_targets(
        5e9, levels=levels, unit=0.01, ramp=[0.25, 0.5, 0.75], freed="unassigned", adjustments=adj, **book))
    rows.append((f"{n:,} reps, freed target unassigned, 30 growth adjustments", f"{secs:.3f} s", "engine"))
    n_deals = 200_000 if args.quick else 1_000_000
    deals = deals_for(book, n_deals)
    secs, result = _best(args.repeat, lambda: decompose_targets(5e9, levels=levels, unit=0.01, deals=deals, **book))
    rows.append((f"{n:,} reps + {n_deals:,} deals: target vs actual", f"{secs:.3f} s",
                 f"{len(result.variance):,} Out_TargetVariance rows"))
    rng = np.random.default_rng(3)
    groups = np.repeat(np.arange(100_000), 10)
    weights = rng.uniform(0, 1, len(groups))
    totals = rng.integers(0, 10**9, 100_000)
    secs, _ = _best(args.repeat, lambda: split_groups(totals, groups, weights))
    rows.append(("split_groups: 100,000 parents x 10 children", f"{secs:.3f} s", "largest remainder, 10^6 parts"))
    return rows
