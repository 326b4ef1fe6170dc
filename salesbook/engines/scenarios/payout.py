"""A year of commission for any credited amounts at once: many simulated years, or one attainment grid.

Everything is laid out as arrays over (draws, reps, periods): a draw is one simulated year (or, for the
payout curve, one attainment every rep reaches). The plan arithmetic is the commission engine's, applied
to a whole period's credited amount: the tiers (marginal or whole, on the amount or on quota
attainment), the gate, the period cap, managers' overrides on their direct reports and draws (a
non-recoverable one tops up, a recoverable one is recovered from later earnings above it). It runs per
plan and per period, never per draw. A plan paying per unit runs the same arithmetic on the credited units
(its tiers are money per unit, its quota in units); overrides stay on the credited money.

What a year of period totals cannot know comes from the replay on the real deals and is said so: per-deal
tier plans pay the rep's effective rate on their own deal lines, a line cap cuts what the rep's deal sizes
would put above it at the slot's rate, pay-on-cash plans are priced on booking (the cost of a year's
sales, whenever its cash arrives), SPIFFs are the replay's amounts and returns act through the credited
amounts, which are net of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesbook.engines.commissions import TierError, check_tiers, rate_at


@dataclass
class PlanSet:
    """A scenario's plans as arrays by plan number, with each plan's tier table."""

    ids: list[str]
    method: np.ndarray
    measure: np.ndarray
    units: np.ndarray          # True: the plan pays per credited unit (its tiers' rates are money per unit)
    scope: np.ndarray
    gate: np.ndarray
    cap_line: np.ndarray
    cap_period: np.ndarray
    override: np.ndarray
    draw: np.ndarray
    recoverable: np.ndarray
    tiers: list[tuple[np.ndarray, np.ndarray]]

    def number(self, plan_id: object) -> int:
        return self.ids.index(plan_id) if plan_id in self.ids else -1


def _text(frame: pd.DataFrame, name: str, default: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), default, dtype=object)
    return np.array([str(v).strip().lower() if isinstance(v, str) and v.strip() else default for v in frame[name]],
                    dtype=object)


def _num(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def plan_set(plans: pd.DataFrame, tiers: pd.DataFrame) -> PlanSet:
    """Plans and their tiers (a plan the engine accepted has usable tiers; one without pays nothing here)."""
    ids = [str(p) for p in plans["plan_id"]]
    units = _text(plans, "commission_base", "amount") == "quantity"
    table = []
    t_plan = tiers["plan_id"].astype(str).to_numpy() if len(tiers) else np.array([], dtype=object)
    for pid, on_units in zip(ids, units, strict=True):
        sel = tiers[t_plan == pid]
        pay = _num(sel, "per_unit" if on_units else "rate")
        try:
            table.append(check_tiers(list(zip(sel["lower_bound"], pay, strict=True))))
        except TierError:
            table.append((np.array([0.0]), np.array([0.0])))
    draw_type = _text(plans, "draw_type", "recoverable")
    return PlanSet(ids=ids, method=_text(plans, "tier_method", "marginal"), measure=_text(plans, "measure", "amount"),
                   units=units,
                   scope=_text(plans, "tier_scope", "period"), gate=_num(plans, "gate"), cap_line=_num(plans, "cap_line"),
                   cap_period=_num(plans, "cap_period"), override=np.nan_to_num(_num(plans, "override_rate")),
                   draw=np.nan_to_num(_num(plans, "draw_amount")), recoverable=draw_type != "non_recoverable",
                   tiers=table)


def tier_value(x: np.ndarray, lowers: np.ndarray, rates: np.ndarray, method: str, boundary: str = "upper") -> np.ndarray:
    """Commission for reaching ``x`` from zero: each slice at its tier's rate (marginal) or the whole of ``x`` at
    the rate of the tier reached (whole); nothing below a first bound above zero, as the engine pays."""
    x = np.asarray(x, dtype=float)
    if method == "whole":
        return rate_at(x, lowers, rates, boundary) * x
    at_bounds = np.concatenate([[0.0], np.cumsum(rates[:-1] * np.diff(lowers))])
    idx = np.searchsorted(lowers, x, side="right") - 1
    safe = np.clip(idx, 0, None)
    below = (idx < 0) & (lowers[0] > 0)
    return np.where(below, 0.0, at_bounds[safe] + rates[safe] * (x - lowers[safe]))


@dataclass
class Slots:
    """Who is paid by which plan in which period of the year, and what the simulation holds from the replay.

    Arrays are (reps, periods) unless said: ``plan`` -1 where the rep has no plan; ``quota`` NaN where none;
    ``deal_rate`` the effective rate of a per-deal plan's slot; ``manager`` (reps) the manager's position or -1;
    ``fixed`` (reps) SPIFFs of the replay; ``ref`` the amount 100% attainment means (the quota,
    else the rep's mean month); ``deals`` each rep's deal line sizes, for line caps of period plans."""

    plan: np.ndarray
    quota: np.ndarray
    deal_rate: np.ndarray
    manager: np.ndarray
    fixed: np.ndarray
    ref: np.ndarray
    deals: list[np.ndarray] | None = None   # per rep: the sizes of their credited deal lines, ascending
    # plans paying per unit: the unit quota (NaN where none), the units 100% attainment means, the lines' units
    unit_quota: np.ndarray | None = None
    ref_units: np.ndarray | None = None
    unit_deals: list[np.ndarray] | None = None

    def __post_init__(self) -> None:
        if self.unit_quota is None:
            self.unit_quota = np.full(self.plan.shape, np.nan)
        if self.ref_units is None:
            self.ref_units = np.zeros(self.plan.shape)


@dataclass
class YearPay:
    """Per draw and rep: commission of the year (with the fixed parts), credited amount, quota."""

    pay: np.ndarray       # (draws, reps)
    credited: np.ndarray  # (draws, reps) money
    quota: np.ndarray     # (reps,) the year's quota of the slots that have one (NaN: none), in ``measured``'s terms
    measured: np.ndarray  # (draws, reps) what the quota is held against: money, or units for a rep paid per unit


def year_pay(credited: np.ndarray, slots: Slots, plans: PlanSet, boundary: str = "upper",
             units: np.ndarray | None = None) -> YearPay:
    """Commission of every rep in every draw for the credited amounts (draws, reps, periods) and, for slots of
    plans paying per unit, the credited units (same shape)."""
    paid = slots.plan >= 0
    c = np.where(paid[None], credited, 0.0)
    u = np.where(paid[None], units, 0.0) if units is not None else np.zeros_like(c)
    gross = np.zeros_like(c)
    for p in np.unique(slots.plan[paid]):
        m = slots.plan == p
        if plans.units[p]:
            gross[:, m] = _plan_pay(u[:, m], slots.unit_quota[m], slots.deal_rate[m], np.nonzero(m)[0],
                                    slots.unit_deals, plans, int(p), boundary)
        else:
            gross[:, m] = _plan_pay(c[:, m], slots.quota[m], slots.deal_rate[m], np.nonzero(m)[0], slots.deals, plans,
                                    int(p), boundary)
    gross += _overrides(c, slots, plans)
    total = _draws(gross, slots, plans).sum(axis=2) + slots.fixed[None, :]
    on_units = paid & plans.units[np.clip(slots.plan, 0, None)]
    by_units = (on_units & (slots.unit_quota > 0)).any(axis=1)   # a rep paid per unit is held to the unit quota
    quota = np.where(by_units, np.where(on_units & (slots.unit_quota > 0), slots.unit_quota, 0.0).sum(axis=1),
                     np.where(paid & ~on_units & (slots.quota > 0), slots.quota, 0.0).sum(axis=1))
    measured = np.where(by_units[None], np.where(on_units[None], u, 0.0).sum(axis=2),
                        np.where(on_units[None], 0.0, c).sum(axis=2))
    return YearPay(pay=total, credited=c.sum(axis=2), quota=np.where(quota > 0, quota, np.nan), measured=measured)


def _plan_pay(c: np.ndarray, quota: np.ndarray, deal_rate: np.ndarray, rep_of: np.ndarray,
              deals: list[np.ndarray] | None, plans: PlanSet, p: int, boundary: str) -> np.ndarray:
    """One plan's commission on its slots' credited amounts (draws, slots): tiers, line cap, gate, period cap.

    A whole-tier plan with a line cap is paid as the engine pays it line by line: each line at its tier's
    rate, and at every bound crossed the line that crosses it carries the uplift of everything before it,
    which the line cap limits."""
    lowers, rates = plans.tiers[p]
    cap_line = plans.cap_line[p]
    q = np.where(quota > 0, quota, np.nan)[None, :]
    attainment = plans.measure[p] == "attainment"
    x, scale = (c / q, q) if attainment else (c, np.ones_like(q))
    capped_whole = plans.method[p] == "whole" and np.isfinite(cap_line)
    with np.errstate(invalid="ignore", divide="ignore"):
        if plans.scope[p] == "deal":
            amount = c * deal_rate[None, :]
        else:
            method = "marginal" if capped_whole else plans.method[p]
            amount = np.nan_to_num(tier_value(x, lowers, rates, method, boundary) * scale)
            if np.isfinite(cap_line) and deals is not None:
                amount = _line_capped(amount, c, rep_of, deals, cap_line)
            if capped_whole:
                for k in range(1, len(lowers)):
                    crossed = x >= lowers[k] if boundary == "upper" else x > lowers[k]
                    uplift = np.minimum((rates[k] - rates[k - 1]) * lowers[k] * scale, cap_line)
                    amount = amount + np.nan_to_num(np.where(crossed, uplift, 0.0))
        gate = plans.gate[p]
        if np.isfinite(gate):
            amount = np.where(np.nan_to_num(np.round(c / q, 9), nan=0.0) < gate, 0.0, amount)
    return _capped_period(amount, plans.cap_period[p])


def _capped_period(amount: np.ndarray, cap: float) -> np.ndarray:
    return np.minimum(amount, cap) if np.isfinite(cap) else amount


def _line_capped(amount: np.ndarray, c: np.ndarray, rep_of: np.ndarray, deals: list[np.ndarray],
                 cap: float) -> np.ndarray:
    """A line cap on a period plan: each of the rep's deal lines paid at the slot's effective rate and capped.

    With the rep's line sizes b ascending and the slot's rate r = amount / credited, the lines pay
    r * (sum of b up to cap / r) + cap * (lines above it); that over r * (sum of b) is the share kept."""
    out = amount.copy()
    order = np.argsort(rep_of, kind="stable")  # each rep's slots side by side (year_pay passes them so already)
    reps, starts = np.unique(rep_of[order], return_index=True)
    in_order = bool(np.all(order == np.arange(len(order))))
    for r, start, stop in zip(reps.tolist(), starts.tolist(), [*starts[1:].tolist(), len(order)], strict=True):
        b = deals[r]
        if len(b) == 0:
            continue
        cols = slice(start, stop) if in_order else order[start:stop]
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(c[:, cols] > 0, amount[:, cols] / c[:, cols], 0.0)
            cum = np.concatenate([[0.0], np.cumsum(b)])
            k = np.searchsorted(b, np.where(rate > 0, cap / rate, np.inf), side="right")
            kept = np.where(rate > 0, (rate * cum[k] + cap * (len(b) - k)) / (rate * cum[-1]), 1.0)
        out[:, cols] = amount[:, cols] * np.clip(np.where(np.isnan(kept), 1.0, kept), 0.0, 1.0)  # +-inf: clipped
    return out


def _overrides(c: np.ndarray, slots: Slots, plans: PlanSet) -> np.ndarray:
    """A manager's override: their plan's rate on the credited amounts of their direct reports."""
    rate = np.where(slots.plan >= 0, plans.override[np.clip(slots.plan, 0, None)], 0.0)
    has = slots.manager >= 0
    if not np.any(rate > 0) or not has.any():
        return np.zeros_like(c)
    team = np.zeros_like(c)  # each manager: the credited amounts of their direct reports, added in rep order
    for r in np.flatnonzero(has):  # one pass per rep, not a (reps x reps) product: linear in the team's size
        team[:, slots.manager[r]] += c[:, r]
    return team * rate[None]


def _draws(gross: np.ndarray, slots: Slots, plans: PlanSet) -> np.ndarray:
    """Top up to the draw; recover a recoverable balance from later earnings above it (per period, all draws
    at once)."""
    plan = np.clip(slots.plan, 0, None)
    draw = np.where(slots.plan >= 0, plans.draw[plan], 0.0)
    if not np.any(draw > 0):
        return gross
    recoverable = (slots.plan >= 0) & plans.recoverable[plan]
    by_period = np.moveaxis(gross, 2, 0).copy()  # (periods, draws, reps): each period's slice contiguous
    balance = np.zeros(gross.shape[:2])
    for t in range(gross.shape[2]):
        g, d = by_period[t], draw[None, :, t]
        top = (d > 0) & (g < d)
        paid = np.where(top, d - g, 0.0)
        back = np.where(~top & (balance > 0) & (g > d), np.minimum(balance, g - d), 0.0)
        balance = balance + np.where(top & recoverable[None, :, t], paid, 0.0) - back
        by_period[t] = g + paid - back
    return np.ascontiguousarray(np.moveaxis(by_period, 0, 2))


def deal_rates(lines: pd.DataFrame, reps: Sequence[str], plan_of: np.ndarray, quota: np.ndarray, plans: PlanSet,
               boundary: str = "upper", unit_quota: np.ndarray | None = None) -> np.ndarray:
    """Effective rate of each per-deal slot: the rep's credited deal lines of the year paid one by one on
    the slot's plan (line cap included) over their total. ``lines``: rep_id, base (credited amount) and, for plans
    paying per unit, units (credited units: the rate is then money per unit)."""
    out = np.zeros(plan_of.shape)
    per_deal = [p for p in np.unique(plan_of[plan_of >= 0]) if plans.scope[p] == "deal"]
    if not per_deal or not len(lines):
        return out
    pos = pd.Index(list(reps)).get_indexer(lines["rep_id"].astype(object).to_numpy())
    keep = pos >= 0
    pos = pos[keep]
    for p in per_deal:
        on_units = bool(plans.units[p])
        column = "units" if on_units else "base"
        base = pd.to_numeric(lines[column], errors="coerce").to_numpy(dtype=float, na_value=0.0)[keep] \
            if column in lines else np.zeros(len(pos))
        base = np.nan_to_num(base)
        total = np.bincount(pos, weights=base, minlength=len(reps))
        lowers, rates = plans.tiers[p]
        q_of = unit_quota if on_units and unit_quota is not None else quota
        with np.errstate(invalid="ignore", divide="ignore"):
            q = np.nanmean(np.where(q_of > 0, q_of, np.nan), axis=1)[pos] if plans.measure[p] == "attainment" else 1.0
            x = base / q
        amount = np.nan_to_num(tier_value(x, lowers, rates, plans.method[p], boundary) * q)
        if np.isfinite(plans.cap_line[p]):
            amount = np.minimum(amount, plans.cap_line[p])
        paid = np.bincount(pos, weights=amount, minlength=len(reps))
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(total != 0, paid / total, 0.0)
        m = plan_of == p
        out[m] = np.broadcast_to(rate[:, None], plan_of.shape)[m]
    return out
