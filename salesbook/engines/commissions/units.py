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


def terms(s0: float, s1: float, lowers: np.ndarray, rates: np.ndarray, method: str, boundary: str,
          scale: float) -> list[tuple[float, float]]:
    """(units, money per unit) of each slice from running total ``s0`` to ``s1`` (in the plan's tier units,
    ``scale`` units each), signed, adding up to what the schedule pays between them; slices paid nothing are
    left out."""
    if method == "whole":
        r0, r1 = (float(x) for x in rate_at(np.array([s0, s1]), lowers, rates, boundary))
        out = [((s1 - s0) * scale, r1)] if r0 == r1 else [(s1 * scale, r1), (-s0 * scale, r0)]
    else:
        lo, hi = min(s0, s1), max(s0, s1)
        sign = 1.0 if s1 >= s0 else -1.0
        out = []
        for k in range(len(lowers)):
            left = lowers[k] if (k or lowers[0] > 0) else -np.inf   # a first tier from 0 also covers what dips below
            right = lowers[k + 1] if k + 1 < len(lowers) else np.inf
            a, b = max(lo, left), min(hi, right)
            if b > a:
                out.append((sign * (b - a) * scale, float(rates[k])))
        if sign < 0:
            out.reverse()   # a credit note runs down the tiers: the top slice first
    return [(q, r) for q, r in out if r != 0 and abs(q) > 1e-9]


def expression(parts: list[tuple[float, float]], T: dict) -> str:
    """"20 units × 50.00 + 50 units × 75.00"; a negative slice is subtracted."""
    out = []
    for i, (q, r) in enumerate(parts):
        term = T["u_term"].format(q=unit_count(abs(q), T), pu=unit_money(r))
        out.append(("-" if q < 0 else "") + term if i == 0 else (" - " if q < 0 else " + ") + term)
    return "".join(out)


def booking_calcs(ev: dict, idx: np.ndarray, P, boundary: str, T: dict) -> tuple[np.ndarray, np.ndarray]:
    """For booking events ``idx`` of per-unit plans: each line's arithmetic ("" for a line paid nothing) and its
    expression alone (for the clawback that may later reverse it)."""
    calc = np.full(len(idx), "", dtype=object)
    expr = np.full(len(idx), "", dtype=object)
    for k, j in enumerate(idx):
        p = int(ev["plan"][j])
        lowers, rates = P.tiers[p]
        scale = float(ev["scale"][j])
        if P.scope[p] == "deal":
            s0, s1 = 0.0, float(ev["units"][j]) / scale
        else:
            s0, s1 = float(ev["start"][j]) / scale, float(ev["end"][j]) / scale
        parts = terms(s0, s1, lowers, rates, P.method[p], boundary, scale)
        if not parts:
            continue
        expr[k] = expression(parts, T)
        calc[k] = T["u_calc"].format(expr=expr[k], amt=money(sum(q * r for q, r in parts)))
    return calc, expr


def clawback_calc(expr: str, paid: float, units: float, factor: float, exact: bool, T: dict) -> str:
    """What a clawback of a per-unit line reverses: the original slices (times the share of them the period's gate
    or cap let through), or, where a line cap or minimum changed the line, the amount it was paid."""
    if not exact or not expr:
        return T["u_claw_paid"].format(amt=money(paid), q=unit_count(units, T))
    if factor != 1:
        expr = f"({expr}) × {pct(factor)}" if ("+" in expr or " - " in expr) else f"{expr} × {pct(factor)}"
    return T["u_claw"].format(calc=T["u_calc"].format(expr=expr, amt=money(paid)))
