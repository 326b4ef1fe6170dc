"""The explanation column of commission, clawback and cash lines.

Lines that share a reason (plan, the tiers a line starts and ends in, credit share, line cap or minimum) share
one sentence, formatted once and looked up by code; the line's own numbers are in its columns, so a million
lines need only a few hundred distinct sentences. A line of a plan paying per unit adds its own arithmetic
("20 units × 50.00 + 50 units × 75.00 = 4,750.00", see ``units``): there the units are the point.
"""

from __future__ import annotations

import numpy as np

from salesbook.engines.commissions.pay import Ledger
from salesbook.engines.commissions.text import band, by_category, money, pct, unit_count, unit_money
from salesbook.engines.commissions.units import booking_calcs, clawback_calc


def commission_explanations(ev: dict, led: Ledger) -> np.ndarray:
    """Sentence of every booking and clawback event."""
    T, P = led.T, led.P
    n = len(ev["base"])
    out = np.empty(n, dtype=object)
    share_vals, share_code = np.unique(np.round(led.ev_share, 4), return_inverse=True)
    ns = len(share_vals)
    ntier = max(len(t[0]) for t in P.tiers) + 1
    claw = ev["claw"]
    b = np.flatnonzero(~claw)
    key = ((((((ev["plan"][b] * ntier + ev["t_first"][b]) * ntier + ev["tier"][b]) * ns + share_code[b]) * 2
             + led.ev_overlay[b]) * 2 + ev["capped"][b]) * 2 + ev["floored"][b]) * 2 + ev["credit"][b]

    def parts(k: int) -> tuple[str, str]:
        """(what tiers pay the line, what else applies to it)."""
        k, credit = divmod(k, 2)
        k, floored = divmod(k, 2)
        k, capped = divmod(k, 2)
        k, overlay = divmod(k, 2)
        k, s = divmod(k, ns)
        k, t1 = divmod(k, ntier)
        plan, t0 = divmod(k, ntier)
        head = _credit_text(plan, t0, t1, led) if credit else _tier_text(plan, t0, t1, led)
        tail = T["sep"] + T["per_deal"] if P.scope[plan] == "deal" else ""
        if capped:
            tail += T["cap_line"].format(cap=money(P.cap_line[plan]))
        if floored:
            tail += T["min_line"].format(m=money(P.min_line[plan]))
        if overlay:
            return head, tail + T["sep"] + T["overlay"]
        return head, tail + (T["sep"] + T["share"].format(s=pct(share_vals[s])) if share_vals[s] != 1 else "")

    out[b] = by_category(key, lambda k: "".join(parts(k)))
    on_units = ev["on_units"][b]
    exprs = np.full(n, "", dtype=object)
    if on_units.any():
        u = b[on_units]
        calc, exprs[u] = booking_calcs(ev, u, P, led.boundary, T)
        heads = by_category(key[on_units], lambda k: parts(k)[0])
        tails = by_category(key[on_units], lambda k: parts(k)[1])
        out[u] = [h + (T["sep"] + c if c else "") + t for h, c, t in zip(heads, calc, tails, strict=True)]
    cl = np.flatnonzero(claw)
    if len(cl):
        src = ev["src"][cl]
        status = np.where(led.ev_status[cl] == "cancelled", 0, 1)
        f = ev["factor"][src]
        same = f == 1
        key = status * led.n_periods + ev["pidx"][src]

        def claw_text(k: int) -> str:
            s, p = divmod(k, led.n_periods)
            return T["claw"].format(status=T["cancelled" if s == 0 else "returned"], days=led.claw_days,
                                    period=led.label(p))

        out[cl[same]] = by_category(key[same], claw_text)
        for j in np.flatnonzero(~same):
            out[cl[j]] = claw_text(int(key[j])) + T["claw_factor"].format(f=pct(f[j]))
        for j in np.flatnonzero(ev["on_units"][cl]):
            o = src[j]
            exact = not (ev["capped"][o] or ev["floored"][o])
            out[cl[j]] += T["sep"] + clawback_calc(exprs[o], -float(ev["amount"][cl[j]]), abs(float(ev["units"][o])),
                                                   float(f[j]), exact, T)
    return out


def _rate_text(plan: int, led: Ledger):
    """How a tier's rate reads: a percentage, or money per unit on a plan paying per unit."""
    if led.P.units[plan]:
        return lambda r: led.T["u_rate"].format(pu=unit_money(r))
    return pct


def _bound_text(plan: int, led: Ledger):
    """How a tier's lower bound reads: attainment, units or money."""
    if led.P.measure[plan] == "attainment":
        return pct
    return (lambda x: unit_count(x, led.T)) if led.P.units[plan] else money


def _tier_text(plan: int, t0: int, t1: int, led: Ledger) -> str:
    """Which tier a line is paid in, or which bound it crosses and how the crossing is paid."""
    T, P = led.T, led.P
    lowers, rates = P.tiers[plan]
    att, units, rate = P.measure[plan] == "attainment", bool(P.units[plan]), _rate_text(plan, led)
    if t1 == 0:
        return T["below"]
    if t0 == t1 or t0 > t1:
        return T["u_line" if units else "line"].format(how=T[P.method[plan]], tier=t1,
                                                       band=band(lowers, t1, att, T, units), rate=rate(rates[t1 - 1]))
    if P.method[plan] == "marginal" and units:   # the line's own arithmetic follows, slice by slice
        return T["u_cross_marginal"].format(t0=t0, t1=t1, at=_bound_text(plan, led)(lowers[t1 - 1]))
    if P.method[plan] == "marginal":
        slices = [T["slice"].format(amt=T["tier_word"].format(t=t), rate=rate(rates[t - 1])) for t in range(max(t0, 1), t1 + 1)]
        return T["cross_marginal"].format(t0=t0, t1=t1, at=_bound_text(plan, led)(lowers[t1 - 1]), slices=" + ".join(slices))
    return T["cross_whole"].format(t1=t1, rate=rate(rates[t1 - 1]))


def _credit_text(plan: int, t0: int, t1: int, led: Ledger) -> str:
    """A credit note takes the running total back from tier ``t0`` (where it starts) to ``t1`` (where it ends)."""
    T, P = led.T, led.P
    lowers, rates = P.tiers[plan]
    att, units, rate = P.measure[plan] == "attainment", bool(P.units[plan]), _rate_text(plan, led)
    if t0 == 0:
        return T["credit_below"]
    if t0 == t1:
        return T["u_credit_line" if units else "credit_line"].format(
            how=T[P.method[plan]], tier=t1, band=band(lowers, t1, att, T, units), rate=rate(rates[t1 - 1]))
    into = T["tier_word"].format(t=t1) if t1 else T["below_first"]
    if P.method[plan] == "marginal" and units:
        return T["u_credit_cross_marginal"].format(t0=t0, into=into, at=_bound_text(plan, led)(lowers[t0 - 1]))
    if P.method[plan] == "marginal":
        slices = [T["slice"].format(amt=T["tier_word"].format(t=t), rate=rate(rates[t - 1])) for t in range(max(t1, 1), t0 + 1)]
        return T["credit_cross_marginal"].format(t0=t0, into=into, at=_bound_text(plan, led)(lowers[t0 - 1]),
                                                 slices=" + ".join(slices))
    return T["credit_cross_whole"].format(into=into, rate=rate(rates[t1 - 1]) if t1 else rate(0.0))


def cash_explanations(led: Ledger) -> np.ndarray:
    """Sentence of every cash release: the booking's rate and tier (per unit: the units the payments released)."""
    c, ev, T = led.cash, led.events, led.T
    e = c["event"]
    same = ev["factor"][e] == 1
    ntier = max(len(t[0]) for t in led.P.tiers) + 1
    rate_vals, rate_code = np.unique(np.round(ev["rate"][e], 8), return_inverse=True)
    key = ((ev["pidx"][e] * ntier + ev["tier"][e]) * len(rate_vals)) + rate_code

    def make(k: int) -> str:
        k, r = divmod(k, len(rate_vals))
        p, tier = divmod(k, ntier)
        return T["cash"].format(rate=pct(rate_vals[r]), period=led.label(p), tier=tier)

    out = np.empty(len(e), dtype=object)
    out[same] = by_category(key[same], make)
    for j in np.flatnonzero(~same):
        out[j] = make(int(key[j])) + T["cash_factor"].format(f=pct(ev["factor"][e[j]]))
    for j in np.flatnonzero(ev["on_units"][e]):
        out[j] = T["u_cash"].format(q=unit_count(float(c["units"][j]), T), pu=unit_money(float(c["per_unit"][j])),
                                    period=led.label(int(ev["pidx"][e[j]])), tier=int(ev["tier"][e[j]]))
        if not same[j]:
            out[j] += T["cash_factor"].format(f=pct(ev["factor"][e[j]]))
    return out
