"""The arithmetic of plans paying per unit, written out line by line.

A line of a per-unit plan names its tiers like any line, then shows its own figures ("20 units × 50.00 +
50 units × 75.00 = 4,750.00") so a rep can redo it with a calculator: the slices of a marginal schedule
between the running totals before and after the line, or, for a whole-tier schedule, the period's units at
the rate reached less what the units before the line were already paid (G(after) - G(before)). Tier bounds on
quota attainment are turned back into units with the line's unit quota.
"""

from __future__ import annotations

import numpy as np

from salesbook.engines.commissions.text import money, pct, unit_count, unit_money
from salesbook.engines.commissions.tiers import rate_at


def terms(s0: np.ndarray, s1: np.ndarray, lowers: np.ndarray, rates: np.ndarray, method: str, boundary: str,
          scale: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Units and money per unit of each slice of each line, from running totals ``s0`` to ``s1`` (in the plan's tier
    units, ``scale`` units each): arrays (lines, slices), signed, adding up to what the schedule pays between them,
    in the order a reader follows them (a credit note runs down the tiers: the top slice first); a slice paid
    nothing holds 0 units."""
    s0, s1, scale = (np.asarray(x, dtype=float) for x in (s0, s1, scale))
    if method == "whole":   # G(s1) - G(s0): the units reached at their rate, less the units before at theirs
        r0, r1 = rate_at(s0, lowers, rates, boundary), rate_at(s1, lowers, rates, boundary)
        same = r0 == r1
        q = np.stack([np.where(same, s1 - s0, s1), np.where(same, 0.0, -s0)], axis=1) * scale[:, None]
        r = np.stack([r1, r0], axis=1)
    else:
        left = np.where(np.arange(len(lowers)) == 0, lowers[0] if lowers[0] > 0 else -np.inf, lowers)
        right = np.append(lowers[1:], np.inf)
        lo, hi = np.minimum(s0, s1)[:, None], np.maximum(s0, s1)[:, None]
        sign = np.where(s1 >= s0, 1.0, -1.0)[:, None]
        q = sign * np.clip(np.minimum(hi, right) - np.maximum(lo, left), 0.0, None) * scale[:, None]
        r = np.broadcast_to(rates, q.shape)
        down = sign[:, 0] < 0
        q[down], r = q[down][:, ::-1], np.where(down[:, None], r[:, ::-1], r)
    q = np.where((r != 0) & (np.abs(q) > 1e-9), q, 0.0)
    return q, np.asarray(r, dtype=float)


def expression(parts: list[tuple[float, float]], T: dict) -> str:
    """"20 units × 50.00 + 50 units × 75.00"; a negative slice is subtracted."""
    out = []
    for i, (q, r) in enumerate(parts):
        term = T["u_term"].format(q=unit_count(abs(q), T), pu=unit_money(r))
        out.append(("-" if q < 0 else "") + term if i == 0 else (" - " if q < 0 else " + ") + term)
    return "".join(out)


def booking_calcs(ev: dict, idx: np.ndarray, P, boundary: str, T: dict) -> tuple[np.ndarray, np.ndarray]:
    """For booking events ``idx`` of per-unit plans: each line's arithmetic ("" for a line paid nothing) and its
    expression alone (for the clawback that may later reverse it). Lines with the same slices share one text."""
    calc = np.full(len(idx), "", dtype=object)
    expr = np.full(len(idx), "", dtype=object)
    known: dict[tuple, tuple[str, str]] = {}
    plan = ev["plan"][idx]
    for p in np.unique(plan):
        k = np.flatnonzero(plan == p)
        j = idx[k]
        lowers, rates = P.tiers[p]
        scale = ev["scale"][j]
        if P.scope[p] == "deal":
            s0, s1 = np.zeros(len(j)), ev["units"][j] / scale
        else:
            s0, s1 = ev["start"][j] / scale, ev["end"][j] / scale
        q, r = terms(s0, s1, lowers, rates, P.method[p], boundary, scale)
        for at, qs, rs in zip(k.tolist(), np.round(q, 9).tolist(), r.tolist(), strict=True):
            parts = tuple((a, b) for a, b in zip(qs, rs, strict=True) if a != 0)
            if not parts:
                continue
            if parts not in known:
                e = expression(list(parts), T)
                known[parts] = (e, T["u_calc"].format(expr=e, amt=money(sum(a * b for a, b in parts))))
            expr[at], calc[at] = known[parts]
    return calc, expr


def clawback_calc(expr: str, paid: float, units: float, factor: float, exact: bool, T: dict) -> str:
    """What a clawback of a per-unit line reverses: the original slices (times the share of them the period's gate
    or cap let through), or, where a line cap or minimum changed the line, the amount it was paid."""
    if not exact or not expr:
        return T["u_claw_paid"].format(amt=money(paid), q=unit_count(units, T))
    if factor != 1:
        expr = f"({expr}) × {pct(factor)}" if ("+" in expr or " - " in expr) else f"{expr} × {pct(factor)}"
    return T["u_claw"].format(calc=T["u_calc"].format(expr=expr, amt=money(paid)))
