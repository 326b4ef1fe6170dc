"""Tiered commission arithmetic: marginal and whole-tier schedules, with a running start.

A schedule is a list of ``(lower_bound, rate)`` in ascending order; the last tier is open-ended and
nothing is paid below the first bound.

Boundary rule (the ``boundary`` argument, Settings key ``tier_boundary``):
- ``"upper"`` (default): a value exactly on a bound belongs to the tier that starts there ("from 100%
  attainment", "10,000 and above"), which is how most published plans word their tiers;
- ``"lower"``: a bound is the last value of the tier below ("up to and including 100%"), so the higher
  rate starts just above it.
The rule changes which tier (and, for whole-tier schedules, which rate) a value on a bound gets; the
marginal payout is continuous, so it is the same under both rules.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from salesbook.messages import MessageError

BOUNDARY_RULES = ("upper", "lower")
METHODS = ("marginal", "whole")


class TierError(MessageError):
    """A tier table that is not usable (empty, unsorted, overlapping, negative rates)."""


def check_tiers(tiers: Sequence[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """Bounds and rates as arrays, after checking the table is usable."""
    if tiers is None or len(tiers) == 0:
        raise TierError("the tier table is empty", "阶梯表为空")
    try:
        lowers = np.array([float(lo) for lo, _ in tiers])
        rates = np.array([float(r) for _, r in tiers])
    except (TypeError, ValueError):
        raise TierError("each tier needs a lower bound and a rate", "每一档都需要下限和费率") from None
    if not np.all(np.isfinite(lowers)) or not np.all(np.isfinite(rates)):
        raise TierError("tier bounds and rates must be numbers", "档位下限和费率必须是数字")
    if np.any(np.diff(lowers) <= 0):
        i = int(np.argmax(np.diff(lowers) <= 0))
        raise TierError("tiers out of order or overlapping: lower bound {b:g} follows {a:g}",
                        "档位顺序颠倒或重叠：下限 {b:g} 排在 {a:g} 之后", a=lowers[i], b=lowers[i + 1])
    if np.any(rates < 0):
        raise TierError("a tier rate is negative", "有档位的费率为负数")
    return lowers, rates


def _side(boundary: str) -> str:
    if boundary not in BOUNDARY_RULES:
        raise TierError("unknown boundary rule '{b}'; use upper or lower", "未知的边界规则“{b}”；可选 upper（归入较高档）或 lower（归入较低档）", b=boundary)
    return "right" if boundary == "upper" else "left"


def tier_index(x: np.ndarray, lowers: np.ndarray, boundary: str = "upper") -> np.ndarray:
    """1-based tier number of each value, 0 below the first bound."""
    return np.searchsorted(lowers, np.asarray(x, dtype=float), side=_side(boundary))


def rate_at(x: np.ndarray, lowers: np.ndarray, rates: np.ndarray, boundary: str = "upper") -> np.ndarray:
    """Rate of the tier each value falls in: 0 below a first bound above zero; a first tier starting at
    zero (or below) also covers negative values, so a refund or a clawed-back running total that dips
    below zero is valued at the first tier's rate."""
    idx = tier_index(x, lowers, boundary) - 1
    below = (idx < 0) & (lowers[0] > 0)
    return np.where(below, 0.0, rates[np.clip(idx, 0, None)])


def cumulative_marginal(x: np.ndarray, lowers: np.ndarray, rates: np.ndarray, boundary: str = "upper") -> np.ndarray:
    """F(x): payout for reaching ``x`` when each slice is paid at its own tier's rate (see ``rate_at`` below zero)."""
    x = np.asarray(x, dtype=float)
    at_bounds = np.concatenate([[0.0], np.cumsum(rates[:-1] * np.diff(lowers))])
    idx = np.searchsorted(lowers, x, side="right") - 1  # continuous: the side does not change the value
    safe = np.clip(idx, 0, None)
    below = (idx < 0) & (lowers[0] > 0)
    return np.where(below, 0.0, at_bounds[safe] + rates[safe] * (x - lowers[safe]))


def cumulative_whole(x: np.ndarray, lowers: np.ndarray, rates: np.ndarray, boundary: str = "upper") -> np.ndarray:
    """G(x): payout when the whole amount earns the rate of the tier reached."""
    x = np.asarray(x, dtype=float)
    return rate_at(x, lowers, rates, boundary) * x


def cumulative(method: str):
    """F for marginal, G for whole-tier schedules."""
    if method == "marginal":
        return cumulative_marginal
    if method == "whole":
        return cumulative_whole
    raise TierError("unknown tier method '{m}'; use marginal or whole", "未知的累进方式“{m}”；可选 marginal（超额累进）或 whole（全额累进）",
                    m=method)


def tiered_payout(value: float, tiers: Sequence[tuple[float, float]], *, method: str = "marginal",
                  start: float = 0.0, boundary: str = "upper") -> float:
    """Commission for ``value`` earned after ``start`` was already achieved in the period.

    marginal: each slice at its own rate, so a deal crossing a bound pays each part at its rate.
    whole:    the period total is paid at the rate of the tier reached; a deal that lifts the total into a
              higher tier also carries the uplift on what came before (G(start + value) - G(start)).
    Summing the payouts of consecutive deals (each with the running total before it as ``start``) gives
    exactly the payout of the period total, whichever way it was split.
    """
    lowers, rates = check_tiers(tiers)
    f = cumulative(method)
    _side(boundary)
    try:
        ends = np.array([float(start), float(start) + float(value)])
    except (TypeError, ValueError):
        raise TierError("value and start must be numbers, got '{v}' and '{s}'", "数值与起点必须是数字，收到“{v}”与“{s}”",
                        v=value, s=start) from None
    if not np.all(np.isfinite(ends)):
        raise TierError("value and start must be finite numbers", "数值与起点必须是有限的数字")
    with np.errstate(over="ignore", invalid="ignore"):
        g = f(ends, lowers, rates, boundary)
        out = float(g[1] - g[0])
    if not np.isfinite(out):
        raise TierError("the payout is too large to compute: check the tier rates and the amounts",
                        "提成过大，无法计算：请检查档位费率与金额")
    return out
