"""Commissions for every rep and period: credited lines, tiers on running totals or per deal, caps, gates,
SPIFFs, manager overrides, clawbacks at the original rate, draws and pay on cash; statements whose lines
add up exactly to the payable.

How a period is paid (each step is a component line in ``Out_Commissions``):
1. Every deal is split into credited lines (``Credits``; 100% to the owner when it has no rows there).
2. Each line gets the plan assigned to its rep on the deal date (effective-dated ``PlanAssignments``);
   a line whose rep has no plan that day earns nothing (directors paid from the scorecard, for example).
3. Lines are walked in date order per rep, period and plan; the running total (or, for ``tier_scope =
   deal``, the deal alone) places each line on the plan's tiers - as an amount, or as quota attainment
   against the quota prorated for hires, leavers and plan changes. A plan whose commission base is quantity
   counts credited units instead (deal quantity x share, negative for a credit note), against its unit quota,
   and its tiers pay money per unit; caps, minimums, draws and managers' overrides stay money. A deal that
   crosses a bound pays each slice at its rate (marginal) or moves the whole period to the new rate (whole-tier).
   A credit note takes the running total back, reversing each slice it crosses at that
   slice's rate, in the period of its own date.
4. Per line cap and per line minimum (lines with a positive amount), then per rep-period gate (nothing below a
   minimum attainment) and period cap.
5. Cancelled or returned deals within the clawback window are reversed at the original rate in the
   period of the cancellation, as paid (after that period's gate and cap).
6. Pay-on-cash plans earn on booking (tier and rate fixed then) and pay pro rata to ``Payments``,
   partial payments and refunds included, never more than 100% of the deal; a cancelled or returned
   deal leaves attainment like any other, and what cash never released lapses.
7. SPIFFs (per unit or per deal; a credit note takes back its units' per-unit SPIFF), overrides on each direct
   report's credited amount, and draws (recoverable: the top-up is a balance recovered from earnings above the
   guarantee, from the plan's ``recovery_from_period`` of the rep's employment on, earlier top-ups being a
   guarantee; non-recoverable: top-up only).
8. Each statement is rounded once (Excel ROUND, half away from zero) on the rep's cumulative total, so
   the sub-unit remainder is carried to the next period instead of lost, and its lines are rounded by
   largest remainder so they sum exactly to the payable.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from salesbook.engines.commissions.explain import cash_explanations, commission_explanations
from salesbook.engines.commissions.pay import Ledger, assemble
from salesbook.engines.commissions.prep import (
    FAR_DAY,
    GRAINS,
    NO_DAY,
    col,
    coverage,
    credit_arrays,
    days,
    load_assignments,
    load_plans,
    period_bounds,
    period_code,
    sort_order,
    text,
)
from salesbook.engines.commissions.result import CommissionResult
from salesbook.engines.commissions.text import TEXT, money, pct, texts
from salesbook.engines.commissions.tiers import BOUNDARY_RULES, cumulative, rate_at, tier_index
from salesbook.errors import InputError, Problem, problem, row_number
from salesbook.messages import column_name, items, setting_choice_name, setting_name, sheet_name

__all__ = ["TEXT", "CommissionResult", "compute_commissions", "credit_lines"]


def credit_lines(deals: pd.DataFrame, credits: pd.DataFrame | None) -> pd.DataFrame:
    """One row per deal x credited rep with ``credit_share`` and ``overlay``; shares are checked.

    Non-overlay shares of a deal must total 100%; otherwise every offending Credits row is reported.
    """
    c = credit_arrays(deals, credits)
    out = deals.reset_index(drop=True).drop(columns=["rep_id"]).take(c.deal).reset_index(drop=True)
    out.insert(0, "rep_id", c.rep)
    return out.assign(credit_share=c.share, overlay=c.overlay)


def _settings_problem(key: str, value, allowed) -> InputError:
    return InputError(problem("setting {k}: '{v}' is not one of {a}.", "参数“{k}”的值“{v}”不是允许的取值；可选：{a}。",
                              table="Settings", column="value", k=setting_name(key), v=value,
                              a=items(setting_choice_name(key, a) for a in allowed)))


def compute_commissions(deals: pd.DataFrame, plans: pd.DataFrame, tiers: pd.DataFrame, assignments: pd.DataFrame,
                        *, credits: pd.DataFrame | None = None, payments: pd.DataFrame | None = None,
                        spiffs: pd.DataFrame | None = None, reps: pd.DataFrame | None = None, grain: str = "month",
                        unit: float = 0.01, clawback_days: int = 90, clawback_reduces_attainment: bool = True,
                        tier_boundary: str = "upper", lang: str = "en", with_lines: bool = True) -> CommissionResult:
    """All plans for all periods present in the data (see the module docstring for the steps).

    ``with_lines=False`` gives the same statements and accruals and no Out_Commissions lines (plan modeling
    replays each scenario's statements only): the lines are rounded as always, but not explained or tabled."""
    led, ev, unplanned = _ledger(deals, plans, tiers, assignments, credits, payments, spiffs, reps, grain, unit,
                                 clawback_days, clawback_reduces_attainment, tier_boundary, lang)
    if ev is None:
        return replace(assemble(led, None), unplanned=unplanned)
    if with_lines:
        led.ev_expl = commission_explanations(ev, led)
        led.cash_expl = cash_explanations(led) if led.cash is not None else None
    else:   # the rounding and the statements never read a line's explanation
        led.ev_expl = np.empty(len(ev["line"]), dtype=object)
        led.cash_expl = np.empty(len(led.cash["event"]), dtype=object) if led.cash is not None else None
    return replace(assemble(led, ev, with_lines=with_lines), unplanned=unplanned)


def _ledger(deals: pd.DataFrame, plans: pd.DataFrame, tiers: pd.DataFrame, assignments: pd.DataFrame,
            credits: pd.DataFrame | None, payments: pd.DataFrame | None, spiffs: pd.DataFrame | None,
            reps: pd.DataFrame | None, grain: str, unit: float, clawback_days: int, clawback_reduces_attainment: bool,
            tier_boundary: str, lang: str) -> tuple[Ledger, dict | None, pd.DataFrame]:
    """Steps 1-7: the ledger and its events (None when nothing falls in any period), and the credited lines
    that had no plan. A function of its own so that its working arrays (about 130 MB at 500,000 deals: the
    credited lines before the plan filter, the sort, the running totals) are let go of before the lines are
    explained and made into tables, the job's peak, instead of being held to the end."""
    if grain not in GRAINS:
        raise _settings_problem("commission_period", grain, GRAINS)
    if tier_boundary not in BOUNDARY_RULES:
        raise _settings_problem("tier_boundary", tier_boundary, BOUNDARY_RULES)
    if not (unit > 0):
        raise _settings_problem("rounding_unit", unit, ("> 0",))
    T = texts(lang)
    problems: list[Problem] = []
    P = load_plans(plans, tiers, problems)
    cr = credit_arrays(deals, credits)
    line_rep, uniq = pd.factorize(pd.Series(cr.rep, dtype=object), sort=False)
    others = [assignments["rep_id"].astype(object)]
    if reps is not None and len(reps):
        others += [reps["rep_id"].astype(object), reps["manager_id"].astype(object).dropna()] \
            if "manager_id" in reps else [reps["rep_id"].astype(object)]
    extra = pd.Index(pd.unique(pd.concat(others, ignore_index=True).dropna()))
    rep_index = pd.Index(np.concatenate([np.asarray(uniq, dtype=object),
                                         extra[~extra.isin(uniq)].to_numpy(dtype=object)]))
    A = load_assignments(assignments, rep_index, P, problems)
    if problems:
        raise InputError(problems)
    led = Ledger(T=T, P=P, grain=grain, unit=float(unit), rep_index=rep_index, lang=lang)
    _hire_leave(led, reps)

    # --- deal attributes by deal position, credited lines with a plan -------------------------------------
    d_day = days(deals["date"])
    d_amount = np.nan_to_num(deals["amount"].to_numpy(dtype=float, na_value=np.nan))
    d_qty = col(deals, "quantity")
    d_units = np.where(d_amount < 0, -np.abs(d_qty), d_qty)   # a credit note credits its units back (negative)
    d_status = text(deals, "status", "booked")
    d_sday = days(deals["status_date"]) if "status_date" in deals else np.full(len(deals), NO_DAY)
    led.deal_ids = deals["deal_id"].astype(object).to_numpy()
    l_day = d_day[cr.deal]
    a_idx = A.plan_at(line_rep.astype(np.int64), l_day)
    bare = np.flatnonzero((a_idx < 0) & (d_status[cr.deal] == "booked"))
    unplanned = pd.DataFrame({"rep_id": rep_index.to_numpy(dtype=object)[line_rep[bare]],
                              "deal_id": led.deal_ids[cr.deal[bare]]})
    L = np.flatnonzero(a_idx >= 0)
    l_deal, l_rep, l_share = cr.deal[L], line_rep[L].astype(np.int64), cr.share[L]
    l_plan, l_day, l_overlay = A.plan[a_idx[L]], l_day[L], cr.overlay[L]
    l_base = d_amount[l_deal] * l_share
    l_units = d_units[l_deal] * l_share      # NaN where the deal has no quantity
    _units_needed(deals, np.isnan(l_units) & P.units[l_plan], l_deal, l_plan, rep_index[l_rep], P)
    gone = np.isin(d_status[l_deal], ("cancelled", "returned")) & (d_sday[l_deal] != NO_DAY)
    lag = d_sday[l_deal] - l_day
    l_claw = gone & (lag >= 0) & (lag <= int(clawback_days))
    led.claw_days = int(clawback_days)
    claw = np.flatnonzero(l_claw)  # pay-on-cash lines too: their credit leaves attainment, unpaid commission lapses

    # --- payments (pay-on-cash) ------------------------------------------------------------------------------
    pay = _payments(payments, deals, cr.deal_index, d_amount)
    all_days = [l_day, d_sday[l_deal][claw]] + ([pay["day"]] if pay is not None else [])
    all_days = np.concatenate(all_days) if len(L) else np.array([], dtype=np.int64)
    if len(all_days) == 0:
        return led, None, unplanned
    codes = period_code(all_days, grain)
    led.p_first, led.n_periods = int(codes.min()), int(codes.max() - codes.min() + 1)
    cov = coverage(A, led.hire, led.leave, led.p_first, led.n_periods, grain)
    _dense_quota_and_draws(led, A, cov)

    # --- events: bookings and clawbacks in running-total order ---------------------------------------------
    n_book = len(L)
    ev = {
        "line": np.concatenate([np.arange(n_book), claw]),
        "rep": np.concatenate([l_rep, l_rep[claw]]),
        "plan": np.concatenate([l_plan, l_plan[claw]]),
        "day": np.concatenate([l_day, d_sday[l_deal][claw]]),
        "base": np.concatenate([l_base, -l_base[claw]]),
        "units": np.nan_to_num(np.concatenate([l_units, -l_units[claw]])),
        "has_units": np.isfinite(np.concatenate([l_units, l_units[claw]])),
        "claw": np.concatenate([np.zeros(n_book, dtype=bool), np.ones(len(claw), dtype=bool)]),
    }
    order = sort_order(ev["rep"], ev["plan"], ev["day"], ev["line"], ev["claw"])
    for k in list(ev):   # one array at a time: never two copies of every event array at once
        ev[k] = ev[k][order]
    ev["pidx"] = period_code(ev["day"], grain) - led.p_first
    reduces = bool(clawback_reduces_attainment)
    ignored = ev["claw"] & (not reduces)
    in_money, in_units = np.where(ignored, 0.0, ev["base"]), np.where(ignored, 0.0, ev["units"])
    ev["on_units"] = P.units[ev["plan"]]
    ev["counts"] = np.where(ev["on_units"], in_units, in_money)   # what the running total counts: the plan's base
    new = np.ones(len(order), dtype=bool)
    new[1:] = (ev["rep"][1:] != ev["rep"][:-1]) | (ev["plan"][1:] != ev["plan"][:-1]) | (ev["pidx"][1:] != ev["pidx"][:-1])
    gid = np.cumsum(new) - 1
    ev["gid"] = gid
    running = pd.Series(ev["counts"]).groupby(gid, sort=False).cumsum().to_numpy()
    ev["start"] = np.round(running - ev["counts"], 6)
    ev["end"] = np.round(running, 6)
    ev["S"] = ev["rep"] * led.n_periods + ev["pidx"]
    size = len(rep_index) * led.n_periods
    led.credited = np.bincount(ev["S"], weights=in_money, minlength=size).reshape(len(rep_index), led.n_periods)
    led.credited_qty = np.bincount(ev["S"], weights=in_units, minlength=size).reshape(led.credited.shape)
    led.qty_seen = np.bincount(ev["S"], weights=ev["has_units"], minlength=size).reshape(led.credited.shape) > 0
    _tiers(ev, P, led, tier_boundary)
    _gate_and_cap(ev, new, P, led)
    src = np.empty(len(order), dtype=np.int64)
    src[order] = np.arange(len(order))          # original event -> sorted position
    _clawbacks(ev, src[n_book + np.arange(len(claw))], src[claw], led)
    led.events = ev
    led.ev_deal = l_deal[ev["line"]]
    led.ev_share = l_share[ev["line"]]
    led.ev_overlay = l_overlay[ev["line"]]
    led.ev_status = d_status[led.ev_deal]
    led.deal_paid = pay["paid"] if pay is not None else np.zeros(len(deals))
    _cash(ev, pay, led, l_deal, d_amount)
    _spiffs(spiffs, deals, led, L=(l_deal, l_rep, l_plan, l_day, l_share, l_overlay, l_claw, d_sday[l_deal]),
            qty=np.nan_to_num(deals["quantity"].to_numpy(dtype=float, na_value=np.nan))
            if "quantity" in deals else np.zeros(len(deals)),
            status=d_status, amount=d_amount)
    _overrides(reps, A, led)
    led.assignments = A
    led.boundary = tier_boundary
    return led, ev, unplanned


def _units_needed(deals: pd.DataFrame, blank: np.ndarray, l_deal: np.ndarray, l_plan: np.ndarray,
                  l_rep: np.ndarray, P) -> None:
    """A deal credited on a plan paying per unit needs its quantity: a blank is not read as 0 units."""
    lines = np.flatnonzero(blank)
    if len(lines) == 0:
        return
    first = lines[np.unique(l_deal[lines], return_index=True)[1]]
    raise InputError([problem("deal {d} is credited to rep {r} on plan {p}, which pays per unit, so it needs a "
                              "{q}; a blank is not read as 0 units.",
                              "订单 {d} 计入销售代表 {r} 的方案 {p}，该方案按数量计提，需要填写{q}；留空不会按 0 计。",
                              table="Deals", row=row_number(deals.index[l_deal[i]]), column="quantity",
                              d=deals["deal_id"].iloc[l_deal[i]], r=l_rep[i], p=P.ids[l_plan[i]],
                              q=column_name("Deals", "quantity")) for i in first])


def _hire_leave(led: Ledger, reps: pd.DataFrame | None) -> None:
    n = len(led.rep_index)
    led.hire = np.full(n, NO_DAY, dtype=np.int64)
    led.leave = np.full(n, FAR_DAY, dtype=np.int64)
    led.manager = np.full(n, -1, dtype=np.int64)
    if reps is None or reps.empty:
        return
    idx = led.rep_index.get_indexer(reps["rep_id"].astype(object).to_numpy())
    ok = idx >= 0
    if "hire_date" in reps:
        led.hire[idx[ok]] = days(reps["hire_date"])[ok]
    if "leave_date" in reps:
        led.leave[idx[ok]] = days(reps["leave_date"], FAR_DAY)[ok]
    if "manager_id" in reps:
        m = led.rep_index.get_indexer(reps["manager_id"].astype(object).to_numpy())
        led.manager[idx[ok]] = m[ok]


def _dense_quota_and_draws(led: Ledger, A, cov: np.ndarray) -> None:
    """Quota and draw per rep x period: each assignment's amount times the share of the period it covers."""
    shape = (len(led.rep_index), led.n_periods)
    led.quota = np.zeros(shape)
    has = np.zeros(shape)
    led.draw = np.zeros(shape)
    led.recoverable = np.zeros(shape)
    q = np.nan_to_num(A.quota)
    np.add.at(led.quota, A.rep, cov * q[:, None])
    np.add.at(has, A.rep, cov * (q > 0)[:, None])
    led.quota_qty, has_qty, qq = np.zeros(shape), np.zeros(shape), np.nan_to_num(A.quota_qty)
    np.add.at(led.quota_qty, A.rep, cov * qq[:, None])
    np.add.at(has_qty, A.rep, cov * (qq > 0)[:, None])
    led.quota_qty = np.where(has_qty > 0, np.round(led.quota_qty, 9), np.nan)
    draw = led.P.draw[A.plan]
    np.add.at(led.draw, A.rep, cov * draw[:, None])
    np.add.at(led.recoverable, A.rep, cov * ((draw > 0) & led.P.recoverable[A.plan])[:, None])
    led.quota = np.where(has > 0, led.quota, np.nan)
    led.draw = np.round(led.draw, 6)
    led.recoverable = led.recoverable > 0
    _guarantee_periods(led, A, cov)


def _guarantee_periods(led: Ledger, A, cov: np.ndarray) -> None:
    """Periods of a recoverable draw before its plan's recovery_from_period (counted from the hire date's period,
    1 = that period): their draw is a guarantee, not recovered, and no balance is recovered in them.

    ``led.guarantee`` holds, per rep x period, the period's number since hire while in a guarantee, else 0;
    ``led.recovery_from`` the period number recovery starts at."""
    shape = (len(led.rep_index), led.n_periods)
    led.guarantee = np.zeros(shape, dtype=np.int64)
    led.recovery_from = np.zeros(shape, dtype=np.int64)
    n_from = led.P.recovery_from[A.plan]
    use = np.flatnonzero(np.isfinite(n_from) & (n_from > 1) & (led.P.draw[A.plan] > 0) & led.P.recoverable[A.plan])
    if len(use) == 0:
        return
    hired = led.hire[A.rep[use]]
    first_day = np.where(hired != NO_DAY, hired, A.start[use])   # no hire date: the plan's first day
    first = period_code(first_day, led.grain)
    number = (led.p_first + np.arange(led.n_periods))[None, :] - first[:, None] + 1
    inside = (cov[use] > 0) & (number < n_from[use][:, None]) & (number >= 1)
    for k in range(len(use)):
        cols = np.flatnonzero(inside[k])
        led.guarantee[A.rep[use[k]], cols] = number[k, cols]
        led.recovery_from[A.rep[use[k]], cols] = int(n_from[use[k]])


def _per_unit_on_quota(f, ev: dict, m: np.ndarray, per_deal: bool, scale: np.ndarray, lowers: np.ndarray,
                       rates: np.ndarray, boundary: str) -> np.ndarray:
    """A per-unit plan tiered on unit-quota attainment, paid in units: its bounds turned into units for each unit
    quota (80% of 30 units = 24 units), so whole units at money per unit come to whole cents. Working in attainment
    (34 / 30 units) and back would leave a float remainder (669.9999996) in the statement's rounding carried."""
    u1 = ev["units"][m] if per_deal else ev["end"][m]
    u0 = np.zeros(len(u1)) if per_deal else ev["start"][m]
    amt = np.zeros(len(u1))
    for q in np.unique(scale[np.isfinite(scale)]):
        k = scale == q
        bounds = np.round(lowers * q, 9)
        amt[k] = f(u1[k], bounds, rates, boundary) - f(u0[k], bounds, rates, boundary)
    return amt


def _tiers(ev: dict, P, led: Ledger, boundary: str) -> None:
    """Amount, tier and effective rate of every booking event from its plan's schedule."""
    n = len(ev["base"])
    amount, rate, per_unit = np.zeros(n), np.zeros(n), np.full(n, np.nan)
    t_first, t_last = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    capped, floored = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    credit = ~ev["claw"] & (ev["base"] < 0)   # a credit note: a negative amount that is not a clawback
    quota, quota_qty = led.quota.ravel()[ev["S"]], led.quota_qty.ravel()[ev["S"]]
    ev["scale"] = np.ones(n)
    for p in np.unique(ev["plan"]):
        m = ev["plan"] == p
        lowers, rates = P.tiers[p]
        f = cumulative(P.method[p])
        per_deal = P.scope[p] == "deal"
        units = bool(P.units[p])   # tiers on credited units, each tier's "rate" money per unit
        s0 = np.zeros(int(m.sum())) if per_deal else ev["start"][m]
        s1 = (ev["units"] if units else ev["base"])[m] if per_deal else ev["end"][m]
        scale = np.ones(len(s0))
        if P.measure[p] == "attainment":
            q = (quota_qty if units else quota)[m]
            scale = np.where(q > 0, q, np.nan)
            s0, s1 = np.round(s0 / scale, 9), np.round(s1 / scale, 9)
        ev["scale"][m] = scale
        if units and P.measure[p] == "attainment":
            amt = _per_unit_on_quota(f, ev, m, per_deal, scale, lowers, rates, boundary)
        else:
            amt = np.nan_to_num((f(s1, lowers, rates, boundary) - f(s0, lowers, rates, boundary)) * scale)
        lo, hi = np.minimum(s0, s1), np.maximum(s0, s1)
        if P.method[p] == "marginal":
            a = np.searchsorted(lowers, lo, side="right")
            b = np.maximum(np.searchsorted(lowers, hi, side="left"), a)
        else:
            a, b = tier_index(lo, lowers, boundary), tier_index(hi, lowers, boundary)
        if lowers[0] <= 0:  # the first tier also covers a running total pushed below zero by a clawback
            a, b = np.maximum(a, 1), np.maximum(b, 1)
        base = ev["base"][m]
        cap = P.cap_line[p]
        if np.isfinite(cap):
            capped[m] = amt > cap
            amt = np.minimum(amt, cap)
        least = P.min_line[p]
        if np.isfinite(least):   # a booked line with a positive amount earns at least the minimum
            low = ~ev["claw"][m] & (base > 0) & (amt < least)
            floored[m] = low
            amt = np.where(low, least, amt)
        with np.errstate(divide="ignore", invalid="ignore"):
            if units:   # money per unit; the money rate is only kept for the arithmetic of cash and clawbacks
                u = ev["units"][m]
                per_unit[m] = np.where(u != 0, amt / u, rate_at(np.nan_to_num(hi), lowers, rates, boundary))
                r = np.where(base != 0, amt / base, 0.0)
            else:
                r = np.where(base != 0, amt / base, rate_at(np.nan_to_num(hi), lowers, rates, boundary))
        c = credit[m]   # a credit note starts in the higher tier and ends in the lower one
        amount[m], rate[m], t_first[m], t_last[m] = amt, r, np.where(c, b, a), np.where(c, a, b)
    ev.update(amount=amount, rate=rate, per_unit=per_unit, t_first=t_first, tier=t_last, capped=capped,
              floored=floored, credit=credit)


def _gate_and_cap(ev: dict, new: np.ndarray, P, led: Ledger) -> None:
    """Per rep, period and plan: the gate (nothing below a minimum attainment) and the period cap.

    ``factor`` is the share of the group's commission actually paid; clawbacks and cash releases of
    the group's deals use it so they reverse or pay what the rep really got.
    """
    first = np.flatnonzero(new)
    G = len(first)
    g_plan, g_S = ev["plan"][first], ev["S"][first]
    comm = np.bincount(ev["gid"], weights=np.where(ev["claw"], 0.0, ev["amount"]), minlength=G)
    with np.errstate(divide="ignore", invalid="ignore"):
        att = np.round(led.credited.ravel() / led.quota.ravel(), 9)
        att_units = np.round(led.credited_qty.ravel() / led.quota_qty.ravel(), 9)
    g_att = np.where(P.units[g_plan], att_units[g_S], att[g_S])   # a plan paying per unit: units over its unit quota
    gate = P.gate[g_plan]
    hit = ~np.isnan(gate) & (np.nan_to_num(g_att, nan=0.0) < gate)
    after = np.where(hit, 0.0, comm)
    cap = P.cap_period[g_plan]
    cap_adj = np.where(~np.isnan(cap) & (after > cap), cap - after, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(comm != 0, (after + cap_adj) / comm, np.where(hit, 0.0, 1.0))
    led.groups = {"first": first, "plan": g_plan, "S": g_S, "rep": ev["rep"][first], "pidx": ev["pidx"][first],
                  "comm": comm, "gate_hit": hit, "gate": gate, "att": g_att, "gate_adj": np.where(hit, -comm, 0.0),
                  "cap": cap, "cap_adj": cap_adj, "factor": factor, "basis": P.basis[g_plan]}
    ev["factor"] = factor[ev["gid"]]


def _clawbacks(ev: dict, claw_pos: np.ndarray, orig_pos: np.ndarray, led: Ledger) -> None:
    """A clawback reverses what the original line paid: its amount at its rate, after its period's gate and cap."""
    ev["src"] = np.full(len(ev["base"]), -1, dtype=np.int64)
    led.cash_claw = (claw_pos[:0], orig_pos[:0])
    if len(claw_pos) == 0:
        return
    f = ev["factor"][orig_pos]
    ev["amount"][claw_pos] = -ev["amount"][orig_pos] * f
    ev["rate"][claw_pos] = ev["rate"][orig_pos] * f
    ev["per_unit"][claw_pos] = ev["per_unit"][orig_pos] * f
    ev["tier"][claw_pos] = ev["tier"][orig_pos]
    ev["t_first"][claw_pos] = ev["tier"][orig_pos]
    ev["capped"][claw_pos] = False
    ev["floored"][claw_pos] = False
    ev["src"][claw_pos] = orig_pos
    # pay-on-cash plans pay only what cash released (refunds are negative Payments), so a cancelled deal
    # has nothing to reverse; what it never released stops waiting for cash (see commissions_pay)
    cash = led.P.basis[ev["plan"][claw_pos]] == "cash"
    ev["amount"][claw_pos[cash]] = 0.0
    led.cash_claw = (claw_pos[cash], orig_pos[cash])


def _payments(payments: pd.DataFrame | None, deals: pd.DataFrame, deal_index: pd.Index,
              d_amount: np.ndarray) -> dict | None:
    """Per payment: its deal, day and the share of the deal it releases (running total clipped to 0..100%)."""
    if payments is None or payments.empty:
        return None
    pos = deal_index.get_indexer(payments["deal_id"].astype(object).to_numpy())
    bad = np.flatnonzero(pos < 0)
    if len(bad):
        raise InputError([problem("deal {d} is not in sheet '{s}'.", "订单 {d} 不在工作表“{s}”中。", table="Payments",
                                  s=sheet_name("Deals"),
                                  row=row_number(payments.index[i]),
                                  column="deal_id", d=payments["deal_id"].iloc[i]) for i in bad])
    day = days(payments["date"])
    cash = np.nan_to_num(payments["amount"].to_numpy(dtype=float, na_value=np.nan))
    order = np.lexsort((np.arange(len(pos)), day, pos))
    pos, day, cash = pos[order], day[order], cash[order]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        frac = np.where(d_amount[pos] != 0, cash / d_amount[pos], 0.0)
    frac = np.clip(frac, -1e9, 1e9)  # the running total is clipped to 0..100% anyway; this keeps it a finite number
    cum = np.clip(np.round(pd.Series(frac).groupby(pos, sort=False).cumsum().to_numpy(), 12), 0.0, 1.0)
    prev = np.concatenate([[0.0], cum[:-1]])
    prev[np.r_[True, pos[1:] != pos[:-1]]] = 0.0
    counts = np.bincount(pos, minlength=len(deal_index))
    release = cum - prev
    return {"deal": pos, "day": day, "cash": cash, "release": release, "start": np.cumsum(counts) - counts,
            "count": counts, "paid": np.bincount(pos, weights=release, minlength=len(deal_index))}


def _cash(ev: dict, pay: dict | None, led: Ledger, l_deal: np.ndarray, d_amount: np.ndarray) -> None:
    """Pay-on-cash lines: each booking's commission (after gate and cap) released pro rata to its payments."""
    basis = led.P.basis[ev["plan"]]
    e = np.flatnonzero((basis == "cash") & ~ev["claw"])
    led.cash_earned = e
    if pay is None or len(e) == 0:
        led.cash = None
        return
    deal = l_deal[ev["line"][e]]
    cnt = pay["count"][deal]
    rep_e = np.repeat(e, cnt)
    offs = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    k = np.repeat(pay["start"][deal], cnt) + offs
    rel = pay["release"][k]
    keep = rel != 0
    rep_e, k, rel = rep_e[keep], k[keep], rel[keep]
    day = np.maximum(pay["day"][k], ev["day"][rep_e])
    led.cash = {"event": rep_e, "day": day, "pidx": period_code(day, led.grain) - led.p_first,
                "base": ev["base"][rep_e] * rel, "rate": ev["rate"][rep_e] * ev["factor"][rep_e],
                "units": ev["units"][rep_e] * rel, "per_unit": ev["per_unit"][rep_e] * ev["factor"][rep_e],
                "amount": ev["amount"][rep_e] * ev["factor"][rep_e] * rel, "cash": pay["cash"][k],
                "release": rel}


def _spiffs(spiffs: pd.DataFrame | None, deals: pd.DataFrame, led: Ledger, L: tuple, qty: np.ndarray,
            status: np.ndarray, amount: np.ndarray) -> None:
    """SPIFFs per unit or per deal on the credit share of each non-overlay line, reversed with the deal.

    A credit note takes back the per-unit SPIFF of the units it credits and earns no
    per-deal SPIFF (it is not a deal won)."""
    led.spiff = None
    if spiffs is None or spiffs.empty:
        return
    l_deal, l_rep, l_plan, l_day, l_share, l_overlay, l_claw, l_sday = L
    prod_codes, prod_uniq = pd.factorize(deals["product_id"].astype(object))
    l_prod = prod_codes[l_deal]
    s_prod = pd.Index(prod_uniq).get_indexer(spiffs["product_id"].astype(object).to_numpy())
    s_start = days(spiffs["start_date"])
    s_end = days(spiffs["end_date"], FAR_DAY) if "end_date" in spiffs else np.full(len(spiffs), FAR_DAY)
    per_unit = np.nan_to_num(spiffs["per_unit"].to_numpy(dtype=float, na_value=np.nan)) \
        if "per_unit" in spiffs else np.zeros(len(spiffs))
    per_deal = np.nan_to_num(spiffs["per_deal"].to_numpy(dtype=float, na_value=np.nan)) \
        if "per_deal" in spiffs else np.zeros(len(spiffs))
    ids = spiffs["spiff_id"].astype(object).to_numpy()
    parts = []
    for k in range(len(spiffs)):
        if s_prod[k] < 0:
            continue
        m = np.flatnonzero((l_prod == s_prod[k]) & (l_day >= s_start[k]) & (l_day <= s_end[k]) & ~l_overlay)
        if len(m) == 0:
            continue
        q = qty[l_deal[m]]
        credit = amount[l_deal[m]] < 0
        base = np.where(credit, -per_unit[k] * np.abs(q), per_unit[k] * q + per_deal[k])
        keep = ~credit | (base != 0)   # a credit note without units has no SPIFF to take back
        m, q, base, credit = m[keep], q[keep], base[keep], credit[keep]
        if len(m) == 0:
            continue
        how = (led.T["spiff_unit"].format(pu=money(per_unit[k]), q="{q:g}") if per_unit[k] else "") + \
              ((led.T["sep"] if per_unit[k] and per_deal[k] else "") +
               (led.T["spiff_deal"].format(pd=money(per_deal[k])) if per_deal[k] else ""))
        for claw in (False, True):
            mm = m[l_claw[m]] if claw else m
            if len(mm) == 0:
                continue
            sel = np.isin(m, mm)
            sign = -1.0 if claw else 1.0
            day = l_sday[mm] if claw else l_day[mm]
            expl = [led.T["spiff_claw"].format(id=ids[k], status=led.T.get(s, s), days=led.claw_days)
                    for s in status[l_deal[mm]]] if claw else [
                led.T["spiff_credit"].format(id=ids[k], pu=money(per_unit[k]), q=f"{abs(v):g}") if c
                else led.T["spiff"].format(id=ids[k], how=how.format(q=v)) for v, c in zip(q, credit, strict=True)]
            parts.append({"rep": l_rep[mm], "day": day, "deal": l_deal[mm], "plan": l_plan[mm], "share": l_share[mm],
                          "base": base[sel], "amount": sign * base[sel] * l_share[mm], "claw": np.full(len(mm), claw),
                          "expl": np.array(expl, dtype=object)})
    if parts:
        led.spiff = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
        led.spiff["pidx"] = period_code(led.spiff["day"], led.grain) - led.p_first


def _overrides(reps: pd.DataFrame | None, A, led: Ledger) -> None:
    """Managers earn their own plan's override rate on each direct report's credited amount per period."""
    led.override = None
    if reps is None or reps.empty or not np.any(led.P.override > 0):
        return
    r, p = np.nonzero(led.credited != 0)
    mgr = led.manager[r]
    ok = mgr >= 0
    r, p, mgr = r[ok], p[ok], mgr[ok]
    if len(r) == 0:
        return
    start, end = period_bounds(p + led.p_first, led.grain)
    a = A.plan_at(mgr, end)
    a = np.where(a >= 0, a, A.plan_at(mgr, start))
    plan = np.where(a >= 0, A.plan[np.clip(a, 0, None)], -1)
    rate = np.where(plan >= 0, led.P.override[np.clip(plan, 0, None)], 0.0)
    keep = rate > 0
    r, p, mgr, plan, rate, end = r[keep], p[keep], mgr[keep], plan[keep], rate[keep], end[keep]
    base = led.credited[r, p]
    names = led.rep_index.to_numpy(dtype=object)
    led.override = {"rep": mgr, "pidx": p, "day": end, "plan": plan, "base": base, "rate": rate,
                    "amount": base * rate, "report": r,
                    "expl": np.array([led.T["override"].format(rate=pct(x), rep=names[y], base=money(b))
                                      for x, y, b in zip(rate, r, base, strict=True)], dtype=object)}
