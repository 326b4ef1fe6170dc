"""Exact allocation: split an amount into rounding units so the parts add back to the whole.

``allocate`` is the public, Decimal-exact entry point (what SB_ALLOCATE calls); ``split_rows`` is the
vectorised form the target engine uses for thousands of parents at once.  Both use the
largest-remainder (Hamilton) method with the same deterministic tie rule as
``money.largest_remainder``: larger remainder first, then larger weight, then earlier position.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

import numpy as np

from salesbook.engines.money import MAX_EXACT_UNITS, largest_remainder, round_half_away, to_decimal


class AllocationError(ValueError):
    """Weights or locks that cannot be honoured; the message says which rule was broken."""


def allocate(total: float | int | str | Decimal, weights: Sequence[float], *, unit: float | str | Decimal = 1,
             locked: Mapping[int, float | int | str | Decimal] | None = None) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights`` in multiples of ``unit``; the sum equals ``total``.

    ``total`` is first rounded to the unit (Excel ROUND semantics).  ``locked`` maps positions to fixed
    amounts (also rounded to the unit); the rest is split over the unlocked positions.
    Rules: weights must be finite and >= 0; a zero weight gets nothing; if every unlocked weight is zero
    the remainder is split evenly among the unlocked positions; locks may not exceed the total.
    """
    u = _number(unit, "the unit")
    if u <= 0:
        raise AllocationError(f"unit must be positive, got {unit}")
    w = [float(x) for x in weights]
    if not w:
        raise AllocationError("no weights given")
    if any(not np.isfinite(x) for x in w):
        raise AllocationError("weights must be numbers")
    if any(x < 0 for x in w):
        raise AllocationError(f"weight {min(w):g} is negative; weights must be >= 0")
    total_units = _units(_number(total, "the total"), u)
    locked = dict(locked or {})
    for pos in locked:
        if not 0 <= pos < len(w):
            raise AllocationError(f"locked position {pos} is outside 0..{len(w) - 1}")
    locked_units = {pos: _units(_number(v, f"locked amount {pos}"), u) for pos, v in locked.items()}
    rest = total_units - sum(locked_units.values())
    if (total_units >= 0 and rest < 0) or (total_units < 0 and rest > 0):
        raise AllocationError(f"locked amounts {sum(locked_units.values()) * u} exceed the total {total_units * u}")
    free = [i for i in range(len(w)) if i not in locked_units]
    parts = dict(locked_units)
    if free:
        fw = [w[i] for i in free]
        if sum(fw) <= 0:
            fw = [1.0] * len(free)
        for i, p in zip(free, largest_remainder(rest, fw), strict=True):
            parts[i] = int(p)
    elif rest != 0:
        raise AllocationError(f"every position is locked but {rest * u} is left over")
    return [parts[i] * u for i in range(len(w))]


def _number(x: float | int | str | Decimal, what: str) -> Decimal:
    try:
        d = to_decimal(x)
    except (InvalidOperation, ValueError, TypeError):
        raise AllocationError(f"{what} must be a number, got {x!r}") from None
    if not d.is_finite():
        raise AllocationError(f"{what} must be a number, got {x!r}")
    return d


def _units(amount: Decimal, u: Decimal) -> int:
    if abs(amount / u) > MAX_EXACT_UNITS:
        raise AllocationError(f"{amount} is too large to split exactly in units of {u} (at most {MAX_EXACT_UNITS:,} units)")
    return int(round_half_away(amount, u) / u)


def split_rows(totals: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Row-wise largest remainder: ``totals`` (n,) integer units, ``weights`` (n, k) >= 0 -> (n, k) ints.

    Rows whose weights are all zero are split evenly.  Each row sums exactly to its total.
    """
    totals = np.asarray(totals, dtype=np.int64)
    w = np.asarray(weights, dtype=np.float64).copy()
    n, k = w.shape
    if n == 0:
        return np.zeros((0, k), dtype=np.int64)
    sums = w.sum(axis=1)
    w[sums <= 0] = 1.0
    sums = w.sum(axis=1)
    sign = np.where(totals < 0, -1, 1)
    mag = np.abs(totals)
    exact = w / sums[:, None] * mag[:, None]
    base = np.floor(exact).astype(np.int64)
    over = base.sum(axis=1) - mag
    if (over > 0).any():  # float drift: take back from the smallest remainders
        for i in np.flatnonzero(over > 0):
            for _ in range(int(over[i])):
                j = np.argmax(base[i] - exact[i])
                base[i, j] -= 1
    left = mag - base.sum(axis=1)
    rem = exact - base
    # rank within each row: larger remainder, then larger weight, then earlier column
    order = _row_order(rem, w)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.broadcast_to(np.arange(k), (n, k)).copy(), axis=1)
    base += (ranks < left[:, None]).astype(np.int64)
    return base * sign[:, None]


def _row_order(rem: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Per-row ordering by (-remainder, -weight, column) using one stable lexsort over flattened keys."""
    n, k = rem.shape
    rows = np.repeat(np.arange(n), k)
    cols = np.tile(np.arange(k), n)
    idx = np.lexsort((cols, -w.ravel(), -rem.ravel(), rows))
    return cols[idx].reshape(n, k)


def split_groups(totals: np.ndarray, groups: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Largest remainder within groups over flat arrays (no padding to a matrix).

    ``totals`` (g,) integer units per group, ``groups`` (n,) group number of each part (0..g-1, every
    group with a non-zero total must have a part), ``weights`` (n,) >= 0.  A group whose weights are
    all zero is split evenly.  Same tie rule as ``largest_remainder``; each group sums exactly.
    """
    totals = np.asarray(totals, dtype=np.int64)
    groups = np.asarray(groups, dtype=np.int64)
    w = np.asarray(weights, dtype=np.float64).copy()
    n, g = len(w), len(totals)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    gsum = np.bincount(groups, weights=w, minlength=g)
    w[gsum[groups] <= 0] = 1.0
    gsum = np.bincount(groups, weights=w, minlength=g)
    sign = np.where(totals < 0, -1, 1)
    mag = np.abs(totals)
    exact = w / gsum[groups] * mag[groups]
    base = np.floor(exact).astype(np.int64)
    over = _group_sum(base, groups, g) - mag
    for grp in np.flatnonzero(over > 0):  # float drift (rare): take back from the smallest remainders
        members = np.flatnonzero(groups == grp)
        for _ in range(int(over[grp])):
            j = members[np.argmax(base[members] - exact[members])]
            base[j] -= 1
    left = mag - _group_sum(base, groups, g)
    order = np.lexsort((np.arange(n), -w, -(exact - base), groups))
    sorted_groups = groups[order]
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - np.searchsorted(sorted_groups, sorted_groups, side="left")
    base += (rank < left[groups]).astype(np.int64)
    return base * sign[groups]


def _group_sum(values: np.ndarray, groups: np.ndarray, g: int) -> np.ndarray:
    out = np.zeros(g, dtype=np.int64)
    np.add.at(out, groups, values)
    return out
