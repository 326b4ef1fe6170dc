"""Exact allocation: split an amount into rounding units so the parts add back to the whole.

``allocate`` is the public, Decimal-exact entry point (what SB_ALLOCATE calls); ``split_groups`` and
``split_rows`` are the vectorised forms the target engine uses for thousands of parents at once.  All use
the largest-remainder (Hamilton) method with the same deterministic tie rule as
``money.largest_remainder``: larger remainder first, then larger weight, then earlier position.  The
vectorised forms compute quotas in floating point and hand every group whose outcome a rounding error
could change (two remainders too close to tell apart, or a quota a hair below a whole unit) to the exact
method, so they always give what ``allocate`` gives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

import numpy as np

from salesbook.engines.money import MAX_EXACT_UNITS, hamilton, largest_remainder, round_half_away, to_decimal, typed


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
    w = np.asarray(weights, dtype=np.float64)
    n, k = w.shape
    if n == 0:
        return np.zeros((0, k), dtype=np.int64)
    return split_groups(totals, np.repeat(np.arange(n), k), w.ravel()).reshape(n, k)


def split_groups(totals: np.ndarray, groups: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Largest remainder within groups over flat arrays (no padding to a matrix).

    ``totals`` (g,) integer units per group, ``groups`` (n,) group number of each part (0..g-1, every
    group with a non-zero total must have a part), ``weights`` (n,) >= 0.  A group whose weights are
    all zero is split evenly.  Same tie rule as ``largest_remainder``; each group sums exactly, and the
    parts are those of the exact method.

    Weights that are short decimals (0.06, 1234.5, 3) are turned into integers of a common scale per
    group and the quotas computed in integer arithmetic; other groups in floating point, with the few
    whose outcome a rounding error could change handed to the exact method.
    """
    totals = np.asarray(totals, dtype=np.int64)
    groups = np.asarray(groups, dtype=np.int64)
    w = np.asarray(weights, dtype=np.float64).copy()
    n, g = len(w), len(totals)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    gsum = np.bincount(groups, weights=w, minlength=g)
    w[gsum[groups] <= 0] = 1.0
    sign = np.where(totals < 0, -1, 1)
    mag = np.abs(totals)
    ints, whole = _scaled_integers(w, groups, mag, g)
    base = np.zeros(n, dtype=np.int64)
    key = np.zeros(n, dtype=np.float64)      # the remainder in floating point (loose groups)
    key_int = np.zeros(n, dtype=np.int64)    # the remainder's numerator over the group's denominator
    doubt = np.zeros(g, dtype=bool)
    exact_part = whole[groups]
    if exact_part.any():  # quotas mag x w / W in integers: floor and remainder exact
        wsum = _group_sum(np.where(exact_part, ints, 0), groups, g)
        num = mag[groups] * np.where(exact_part, ints, 0)
        den = np.maximum(wsum[groups], 1)
        base[exact_part] = (num // den)[exact_part]
        key_int[exact_part] = (num % den)[exact_part]  # one denominator per group: compare numerators
    loose = ~exact_part
    if loose.any():
        gs = np.bincount(groups, weights=np.where(loose, w, 0.0), minlength=g)
        exact = np.where(loose, w / np.where(gs[groups] > 0, gs[groups], 1.0) * mag[groups], 0.0)
        fl = np.floor(exact).astype(np.int64)
        rem = exact - fl
        base[loose] = fl[loose]
        key[loose] = rem[loose]
        tol = np.where(loose, 16 * np.finfo(np.float64).eps * (exact + 1.0), 0.0)
        doubt[groups[loose & (rem > 1 - tol) & (rem > 0)]] = True
    # rank within each group: larger remainder, then larger weight, then earlier position (stable sort)
    order = np.lexsort((-w, -key, -key_int, groups))
    sorted_groups = groups[order]
    if loose.any():  # what a few ulps could reorder: neighbouring remainders of different weights too close
        a, b = order[:-1], order[1:]
        close = (sorted_groups[1:] == sorted_groups[:-1]) & loose[b] & (key[a] - key[b] <= tol[a] + tol[b]) & (
            w[a] != w[b])
        doubt[sorted_groups[1:][close]] = True
    left = mag - _group_sum(base, groups, g)
    doubt |= (left < 0) | (left > np.bincount(groups, minlength=g))
    left = np.where(doubt, 0, left)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - np.searchsorted(sorted_groups, sorted_groups, side="left")
    base += (rank < left[groups]).astype(np.int64)
    if doubt.any():
        sus = np.flatnonzero(doubt[groups])
        sus = sus[np.argsort(groups[sus], kind="stable")]
        cuts = np.flatnonzero(np.diff(groups[sus])) + 1
        for members in np.split(sus, cuts):
            base[members] = hamilton(int(mag[groups[members[0]]]), [typed(x) for x in w[members].tolist()])
    return base * sign[groups]


def _scaled_integers(w: np.ndarray, groups: np.ndarray, mag: np.ndarray, g: int) -> tuple[np.ndarray, np.ndarray]:
    """Each weight as an integer of its group's decimal scale (0.06 and 0.1 -> 6 and 10), and which groups
    can be split in int64 this way: every weight a decimal of at most 15 places, and no product overflowing."""
    # a decimal of at most 15 places is also one of exactly k places, k as many as the float can hold
    k_max = np.clip(np.floor(53 * np.log10(2.0) - np.log10(np.maximum(w, 1e-300))), 0, 15)
    scale = 10.0**k_max
    short = np.flatnonzero(np.rint(w * scale) / scale == w)
    places = np.full(len(w), -1, dtype=np.int64)
    for k in range(16):
        todo = short[places[short] < 0]
        if not len(todo):
            break
        scaled = w[todo] * 10.0**k
        ok = (scaled < 2**53) & (np.rint(scaled) / 10.0**k == w[todo])
        places[todo[ok]] = k
    gp = np.zeros(g, dtype=np.int64)
    np.maximum.at(gp, groups, places)
    bad = np.zeros(g, dtype=bool)
    bad[groups[places < 0]] = True
    scaled = w * 10.0 ** gp[groups]
    bad[groups[scaled >= 2**53]] = True
    ints = np.where(bad[groups], 0, np.rint(np.where(scaled < 2**53, scaled, 0))).astype(np.int64)
    top = np.zeros(g, dtype=np.int64)
    np.maximum.at(top, groups, ints)
    total = _group_sum(ints, groups, g)
    limit = np.iinfo(np.int64).max
    bad |= (total >= 2**62) | (mag > limit // np.maximum(top, 1))
    return ints, ~bad


def _group_sum(values: np.ndarray, groups: np.ndarray, g: int) -> np.ndarray:
    out = np.zeros(g, dtype=np.int64)
    np.add.at(out, groups, values)
    return out
