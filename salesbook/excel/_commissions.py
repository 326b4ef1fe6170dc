"""Worksheet functions for commissions."""

from __future__ import annotations

from typing import Any

import xlwings as xw

from salesbook.engines.commissions import BOUNDARY_RULES, METHODS, TierError, check_tiers, rate_at, tiered_payout
from salesbook.excel._convert import CellError, cell_safe, grid, is_blank, number


def _tiers(value: Any) -> list[tuple[float, float]]:
    """A 2-column range (lower bound, rate), with or without a header row."""
    rows = [r for r in grid(value) if not all(is_blank(v) for v in r)]
    if rows and all(isinstance(v, str) for v in rows[0]):
        rows = rows[1:]
    if not rows or any(len(r) < 2 for r in rows):
        raise CellError("tiers must be a 2-column range: lower bound, rate")
    return [(number(r[0], "tier lower bound"), number(r[1], "tier rate")) for r in rows]


def _choice(value: Any, default: str, allowed: tuple[str, ...], name: str) -> str:
    v = default if is_blank(value) else str(value).strip().lower()
    if v not in allowed:
        raise CellError(f"{name} must be {' or '.join(allowed)}, not {value!r}")
    return v


@xw.func
@xw.arg("value", doc="Amount or attainment to pay on / 计提金额或达成率")
@xw.arg("tiers", doc="2 columns: lower bound, rate (ascending) / 两列：下限、费率（升序）")
@xw.arg("method", doc="marginal (default) or whole / 超额累进（默认）或全额累进")
@xw.arg("start", doc="Already achieved earlier in the period, default 0 / 本期此前已完成，默认 0")
@xw.arg("boundary", doc="upper (default): a value on a bound is in the higher tier; lower: in the tier below / "
                        "upper（默认）：等于下限归较高档；lower：归较低档")
@cell_safe("SB_COMMISSION")
def SB_COMMISSION(value: Any, tiers: Any, method: Any = "marginal", start: Any = 0, boundary: Any = "upper") -> Any:
    """Tiered commission on a value; marginal pays each slice at its own rate, whole pays all at the tier reached.
    With start, only the part earned after start is paid, so a deal crossing a bound pays each slice at its rate.
    阶梯提成：超额累进每段按各自费率，全额累进全部按达到档位的费率；填写 start 时只计算其后的部分。"""
    m = _choice(method, "marginal", METHODS, "method")
    b = _choice(boundary, "upper", BOUNDARY_RULES, "boundary")
    s = 0.0 if is_blank(start) else number(start, "start")
    try:
        return tiered_payout(number(value, "value"), _tiers(tiers), method=m, start=s, boundary=b)
    except TierError as exc:
        raise CellError(str(exc)) from None


@xw.func
@xw.arg("value", doc="Amount or attainment / 金额或达成率")
@xw.arg("tiers", doc="2 columns: lower bound, rate / 两列：下限、费率")
@xw.arg("boundary", doc="upper (default) or lower: which tier a value on a bound is in / 等于下限时归较高档或较低档")
@cell_safe("SB_TIER_RATE")
def SB_TIER_RATE(value: Any, tiers: Any, boundary: Any = "upper") -> Any:
    """Rate of the tier a value falls in (by default a value on a bound belongs to the higher tier).
    数值所在档位的费率（默认恰好等于下限时属于较高一档）。"""
    b = _choice(boundary, "upper", BOUNDARY_RULES, "boundary")
    try:
        lowers, rates = check_tiers(_tiers(tiers))
    except TierError as exc:
        raise CellError(str(exc)) from None
    return float(rate_at(number(value, "value"), lowers, rates, b))
