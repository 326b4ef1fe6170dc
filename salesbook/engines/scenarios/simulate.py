"""Cost under uncertainty: a bootstrap of each rep's monthly attainment, and the statistics of the draws.

One simulated year draws, for every rep and every period of the fiscal year, one of that rep's own
periods of the replay (credited over quota, or over the rep's mean period where there is no quota), with
replacement; a rep with fewer than ``MIN_HISTORY`` such periods draws from every rep's. The draws are made
once, seeded, in the base's terms (an amount credited), so every scenario is priced on the same simulated
years and differences between scenarios are the plans', not the dice's. The units credited in a drawn period
come with it (``bootstrap_units``: the same periods drawn), for plans paying per unit; a rep paid per unit in
the base year is drawn from their periods' unit attainment (units over the unit quota, or over their mean).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesbook.engines.scenarios.payout import PlanSet, Slots, YearPay, deal_rates, year_pay

MIN_HISTORY = 3
PROBABILITIES = np.round(np.arange(0.05, 0.951, 0.05), 2)   # the distribution's rows: 5%, 10% ... 95%
GRID = np.round(np.arange(0.0, 2.0001, 0.05), 2)             # the payout curve's attainments: 0% ... 200%


@dataclass
class Year:
    """The replay's fiscal year as (reps, periods) arrays: plan number, quota, credited (NaN: no statement); for
    plans paying per unit the units credited and the unit quota, and which reps such a plan pays."""

    reps: list[str]
    periods: list[str]
    plan: np.ndarray
    quota: np.ndarray
    credited: np.ndarray
    fixed: np.ndarray
    units: np.ndarray | None = None
    unit_quota: np.ndarray | None = None
    on_units: np.ndarray | None = None     # (reps,) paid per unit in some period of the year

    def __post_init__(self) -> None:
        shape = np.shape(self.credited)
        self.units = np.full(shape, np.nan) if self.units is None else self.units
        self.unit_quota = np.full(shape, np.nan) if self.unit_quota is None else self.unit_quota
        self.on_units = np.zeros(shape[0], dtype=bool) if self.on_units is None else self.on_units


def _numbers(statements: pd.DataFrame, name: str) -> np.ndarray:
    if name not in statements:
        return np.full(len(statements), np.nan)
    return pd.to_numeric(statements[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def replay_year(statements: pd.DataFrame, reps: Sequence[str], periods: Sequence[str], plans: PlanSet) -> Year:
    """The statements of a replay laid out by rep and period of the year; SPIFFs per rep."""
    r_index, p_index = pd.Index(list(reps)), pd.Index(list(periods))
    shape = (len(reps), len(periods))
    plan, quota, credited = np.full(shape, -1), np.full(shape, np.nan), np.full(shape, np.nan)
    units, unit_quota = np.full(shape, np.nan), np.full(shape, np.nan)
    rep = r_index.get_indexer(statements["rep_id"].astype(object).to_numpy())
    fixed = np.zeros(len(reps))
    # SPIFFs as replayed; clawbacks are not added again: the credited amounts are already net of returns
    extra = pd.to_numeric(statements["spiffs"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    np.add.at(fixed, rep[rep >= 0], extra[rep >= 0])
    per = p_index.get_indexer(statements["period"].astype(str).to_numpy())
    ok = (rep >= 0) & (per >= 0)
    r, p = rep[ok], per[ok]
    plan[r, p] = [plans.number(x) for x in statements["plan_id"].astype(object).to_numpy()[ok]]
    quota[r, p] = pd.to_numeric(statements["quota"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)[ok]
    credited[r, p] = pd.to_numeric(statements["credited"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)[ok]
    units[r, p] = _numbers(statements, "credited_quantity")[ok]
    unit_quota[r, p] = _numbers(statements, "quota_quantity")[ok]
    on_units = ((plan >= 0) & plans.units[np.clip(plan, 0, None)]).any(axis=1) if len(plans.ids) else None
    return Year(list(reps), list(periods), plan, quota, credited, fixed, units, unit_quota, on_units)


def mean_period(year: Year, units: bool = False) -> np.ndarray:
    """Each rep's mean credited period of the year, in money or in units (NaN for a rep without a positive one)."""
    values = year.units if units else year.credited
    seen = np.isfinite(values)
    total = np.where(seen, values, 0.0).sum(axis=1)
    count = seen.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return np.where(mean > 0, mean, np.nan)


def reference(quota: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """What 100% attainment means in each (rep, period): the quota, else the rep's mean credited period."""
    return np.where(quota > 0, quota, mean[:, None])


def slots(year: Year, base: Year, plans: PlanSet, lines: pd.DataFrame, managers: np.ndarray,
          boundary: str = "upper", sizes: DealSizes | None = None) -> Slots:
    """A scenario's year (its plans and quotas) with what the simulation needs around it; ``sizes``: the
    reps' deal sizes in money and in units (``all_deal_sizes``), the same for every scenario (worked out here
    when not given)."""
    money, units = all_deal_sizes(lines, year.reps) if sizes is None else sizes
    ref = reference(year.quota, mean_period(base))
    rates = deal_rates(lines, year.reps, year.plan, year.quota, plans, boundary, unit_quota=year.unit_quota)
    ref_units = reference(year.unit_quota, mean_period(base, units=True))
    return Slots(plan=year.plan, quota=year.quota, deal_rate=rates, manager=managers, fixed=year.fixed,
                 ref=np.nan_to_num(ref), deals=money, unit_quota=year.unit_quota, ref_units=np.nan_to_num(ref_units),
                 unit_deals=units)


DealSizes = tuple[list[np.ndarray], list[np.ndarray] | None]


def all_deal_sizes(lines: pd.DataFrame, reps: Sequence[str]) -> DealSizes:
    """Each rep's deal line sizes in money, and in units where the lines carry them."""
    return deal_sizes(lines, reps), deal_sizes(lines, reps, "units") if "units" in lines else None


def deal_sizes(lines: pd.DataFrame, reps: Sequence[str], column: str = "base") -> list[np.ndarray]:
    """Each rep's positive credited deal line sizes (money, or ``column`` = units), ascending."""
    pos = pd.Index(list(reps)).get_indexer(lines["rep_id"].astype(object).to_numpy())
    base = pd.to_numeric(lines[column], errors="coerce").to_numpy(dtype=float, na_value=0.0)
    keep = (pos >= 0) & (base > 0)
    order = np.lexsort((base[keep], pos[keep]))
    pos, base = pos[keep][order], base[keep][order]
    bounds = np.searchsorted(pos, np.arange(len(reps) + 1))
    return [base[bounds[i]:bounds[i + 1]] for i in range(len(reps))]


def _ratios(base: Year, units: bool) -> tuple[np.ndarray, np.ndarray]:
    """(attainment of every rep-period, the reference it is of): credited over quota or over the rep's mean,
    in money or in units."""
    ref = reference(base.unit_quota, mean_period(base, True)) if units else reference(base.quota, mean_period(base))
    values = base.units if units else base.credited
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.isfinite(values) & (ref > 0), values / ref, np.nan), ref


def _sources(base: Year, draws: int, seed: int) -> np.ndarray | None:
    """The rep-period of the base each simulated rep-period is drawn from (flat positions, (draws, reps, periods)).

    A rep's own periods count where their attainment is known: in money, or in units for a rep paid per unit in
    the base year; None when no rep-period has one."""
    money, _ = _ratios(base, False)
    units, _ = _ratios(base, True)
    known = np.where(base.on_units[:, None], np.isfinite(units), np.isfinite(money))
    counts = known.sum(axis=1)
    pool = np.flatnonzero(known)
    n_reps, n_periods = known.shape
    if len(pool) == 0:
        return None
    width = max(int(counts.max()), len(pool))
    table = np.zeros((n_reps, width), dtype=np.int64)
    lengths = np.empty(n_reps, dtype=np.int64)
    for r in range(n_reps):
        own = r * n_periods + np.flatnonzero(known[r])
        row = own if len(own) >= MIN_HISTORY else pool
        table[r, :len(row)] = row
        lengths[r] = len(row)
    rng = np.random.default_rng(seed)
    pick = (rng.random((draws, n_reps, n_periods)) * lengths[None, :, None]).astype(np.int64)
    return table[np.arange(n_reps)[None, :, None], pick]


def bootstrap(base: Year, draws: int, seed: int) -> np.ndarray:
    """Credited amounts (draws, reps, periods): each a period of the rep's own history times its reference."""
    ratio, ref = _ratios(base, False)
    src = _sources(base, draws, seed)
    if src is None:
        return np.zeros((draws, *ratio.shape))
    return np.nan_to_num(ratio.ravel()[src]) * np.nan_to_num(ref)[None]


def bootstrap_units(base: Year, draws: int, seed: int) -> np.ndarray:
    """Credited units (draws, reps, periods) of the periods ``bootstrap`` draws with the same seed: each the unit
    attainment of the period drawn times the rep's unit reference (0 where units are not known)."""
    ratio, ref = _ratios(base, True)
    src = _sources(base, draws, seed)
    if src is None:
        return np.zeros((draws, *ratio.shape))
    return np.nan_to_num(ratio.ravel()[src]) * np.nan_to_num(ref)[None]


@dataclass
class Priced:
    """A scenario priced on the simulated years."""

    totals: np.ndarray          # (draws,) company commission of each simulated year
    per_rep: np.ndarray         # (reps,) expected commission per rep
    expected: float
    quantiles: np.ndarray       # at PROBABILITIES
    cost_of_sales: float
    above_quota: float
    curve: np.ndarray           # at GRID


DRAWS_AT_ONCE = 100  # simulated years priced together: every draw is priced on its own, so this only bounds
# the size of the (draws, reps, periods) temporaries, which at 1,000 reps then stay small enough to be quick


def price(credited: np.ndarray, s: Slots, plans: PlanSet, boundary: str = "upper",
          units: np.ndarray | None = None) -> Priced:
    """A scenario's cost on the simulated years (``units``: the units credited with them, for plans paying per
    unit) and its payout curve."""
    parts = [year_pay(credited[k:k + DRAWS_AT_ONCE], s, plans, boundary,
                      None if units is None else units[k:k + DRAWS_AT_ONCE])
             for k in range(0, len(credited), DRAWS_AT_ONCE)]
    year = YearPay(pay=np.concatenate([p.pay for p in parts]), credited=np.concatenate([p.credited for p in parts]),
                   quota=parts[0].quota, measured=np.concatenate([p.measured for p in parts])) \
        if len(parts) != 1 else parts[0]
    totals = year.pay.sum(axis=1)
    sales = year.credited.sum(axis=1)
    with_quota = np.isfinite(year.quota)
    above = (year.measured[:, with_quota] >= year.quota[with_quota][None, :]).mean(axis=1) if with_quota.any() \
        else np.full(len(totals), np.nan)
    grid = GRID[:, None, None] * s.ref[None]
    curve = year_pay(grid, s, plans, boundary, GRID[:, None, None] * s.ref_units[None]).pay.sum(axis=1) - s.fixed.sum()
    mean_sales = float(sales.mean())
    return Priced(totals=totals, per_rep=year.pay.mean(axis=0), expected=float(totals.mean()),
                  quantiles=np.quantile(totals, PROBABILITIES), cost_of_sales=float(totals.mean()) / mean_sales
                  if mean_sales else float("nan"), above_quota=float(np.mean(above)), curve=curve)
