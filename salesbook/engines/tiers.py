"""Tiered commission arithmetic: marginal and whole-tier schedules, with a running start.

Boundary rule (documented, fixed): a value exactly on a tier's lower bound belongs to that tier
("at or above the bound"), which is how the published vendor examples read ("from 100% attainment").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class TierError(ValueError):
    """A tier table that is not usable (empty, unsorted, overlapping, negative rates)."""


def check_tiers(tiers: Sequence[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    if not tiers:
        raise TierError("the tier table is empty")
    lowers = np.array([float(lo) for lo, _ in tiers])
    rates = np.array([float(r) for _, r in tiers])
    if not np.all(np.isfinite(lowers)) or not np.all(np.isfinite(rates)):
        raise TierError("tier bounds and rates must be numbers")
    if np.any(np.diff(lowers) <= 0):
        i = int(np.argmax(np.diff(lowers) <= 0))
        raise TierError(f"tiers out of order or overlapping: lower bound {lowers[i + 1]:g} follows {lowers[i]:g}")
    if np.any(rates < 0):
        raise TierError("a tier rate is negative")
    return lowers, rates


def cumulative_marginal(x: np.ndarray, lowers: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """F(x): payout for reaching ``x`` when each slice is paid at its own tier's rate (0 below the first bound)."""
    x = np.asarray(x, dtype=float)
    widths = np.diff(lowers)
    at_bounds = np.concatenate([[0.0], np.cumsum(rates[:-1] * widths)])
    idx = np.searchsorted(lowers, x, side="right") - 1
    safe = np.clip(idx, 0, None)
    out = at_bounds[safe] + rates[safe] * (x - lowers[safe])
    return np.where(idx < 0, 0.0, out)


def rate_at(x: np.ndarray, lowers: np.ndarray, rates: np.ndarray) -> np.ndarray:
    idx = np.searchsorted(lowers, np.asarray(x, dtype=float), side="right") - 1
    return np.where(idx < 0, 0.0, rates[np.clip(idx, 0, None)])


def tier_index(x: np.ndarray, lowers: np.ndarray) -> np.ndarray:
    return np.searchsorted(lowers, np.asarray(x, dtype=float), side="right")  # 1-based tier number, 0 = below


def cumulative_whole(x: np.ndarray, lowers: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """G(x): payout when the whole amount earns the rate of the tier reached."""
    x = np.asarray(x, dtype=float)
    return rate_at(x, lowers, rates) * x


def tiered_payout(value: float, tiers: Sequence[tuple[float, float]], *, method: str = "marginal",
                  start: float = 0.0) -> float:
    """Commission for ``value`` earned after ``start`` was already achieved in the period.

    marginal: each slice at its own rate, so a deal crossing a bound pays each part at its rate.
    whole:    the period total is paid at the rate of the tier reached; a deal that lifts the total into a
              higher tier also carries the uplift on what came before (G(start + value) - G(start)).
    """
    lowers, rates = check_tiers(tiers)
    f = cumulative_marginal if method == "marginal" else cumulative_whole if method == "whole" else None
    if f is None:
        raise TierError(f"unknown tier method {method!r}; use marginal or whole")
    end = np.array([start + value])
    return float(f(end, lowers, rates)[0] - f(np.array([start]), lowers, rates)[0])
