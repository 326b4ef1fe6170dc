"""Rounding and exact splitting in whole rounding units.

Amounts are rounded the way Excel's ROUND does (half away from zero), on the decimal value the user
typed rather than its binary float (so 2.675 rounds to 2.68 as in Excel, not 2.67 as in ``round``).
Splits are done in integer units (cents, yuan, hundreds) by the largest-remainder (Hamilton) method,
so the parts always add back to the whole exactly.  Quotas are computed from the weights as typed
(0.1 is one tenth, not the binary float nearest to it), in exact rational arithmetic, so a tie the
documented rule decides is a real tie and a whole quota comes out whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np

# The vectorised splits compute quotas in binary floating point, which counts whole units exactly only up
# to 2**53; every split refuses more so that the scalar and the vectorised forms agree.
MAX_EXACT_UNITS = 2**53


class TooManyUnits(ValueError):
    """An amount with more rounding units than a split can count exactly."""


def to_decimal(x: float | int | str | Decimal) -> Decimal:
    """The shortest decimal that round-trips the float (what Excel displays), not its binary expansion."""
    if isinstance(x, Decimal):
        return x
    return Decimal(repr(float(x))) if isinstance(x, float) else Decimal(str(x))


def typed(x: float | int | str | Decimal) -> Fraction:
    """A weight as the exact rational of the decimal it displays: typed(0.1) == Fraction(1, 10)."""
    return Fraction(to_decimal(x))


def round_half_away(x: float | int | str | Decimal, unit: float | str | Decimal = "0.01") -> Decimal:
    """Excel ROUND semantics to a multiple of ``unit`` (0.01, 1, 100, 0.05 ...)."""
    u = to_decimal(unit)
    if u <= 0:
        raise ValueError(f"rounding unit must be positive, got {unit}")
    q = (to_decimal(x) / u).quantize(Decimal(1), rounding=ROUND_HALF_UP)  # HALF_UP is away from zero
    return q * u


def round_array(values: np.ndarray, unit: float = 0.01) -> np.ndarray:
    """Vectorised half-away-from-zero rounding to ``unit`` for large columns.

    A relative nudge of a few ulps first makes values that are *displayed* as exact halves
    (1.005 stored as 1.00499999...) round away from zero like Excel does.
    """
    v = np.asarray(values, dtype=np.float64) / unit
    nudged = v + np.sign(v) * np.abs(v) * 4 * np.finfo(np.float64).eps
    return np.sign(nudged) * np.floor(np.abs(nudged) + 0.5) * unit


def to_units(amount: float | int | str | Decimal, unit: float | str | Decimal) -> int:
    """``amount`` as a whole number of ``unit``s; it must already be a multiple of ``unit``."""
    q = to_decimal(amount) / to_decimal(unit)
    if q != q.to_integral_value():
        raise ValueError(f"{amount} is not a whole multiple of the rounding unit {unit}")
    return int(q)


def largest_remainder(total_units: int, weights: Sequence[float] | np.ndarray) -> np.ndarray:
    """Split ``total_units`` integer units in proportion to ``weights``; the parts sum exactly.

    Each part first gets the floor of its exact quota (``total x weight / sum of weights``, with every
    weight taken as the decimal it displays); the units left over go one each to the parts with the
    largest fractional remainders (Hamilton's method).  Ties go to the larger weight, then to the
    earlier position, so the result never depends on sort stability or platform: ``(6, [0.1, 0.3])``
    has quotas 1.5 and 4.5, a tie in remainder, and gives [1, 5].
    Negative totals are split as the negation of the positive split (symmetry).
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or len(w) == 0:
        raise ValueError("weights must be a non-empty 1-D sequence")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("weights must be finite and non-negative")
    if w.sum() <= 0:
        raise ValueError("weights must not all be zero")
    if abs(total_units) > MAX_EXACT_UNITS:
        raise TooManyUnits(f"{total_units} units are too many to split exactly")
    if total_units < 0:
        return -largest_remainder(-total_units, weights)
    raw = weights.tolist() if isinstance(weights, np.ndarray) else list(weights)
    exact = [typed(x) for x in raw]
    return np.array(hamilton(int(total_units), exact), dtype=np.int64)


def hamilton(total: int, weights: Sequence[Fraction]) -> list[int]:
    """Largest remainder over exact weights (not all zero, none negative), the tie rule as above."""
    s = sum(weights, Fraction(0))
    quotas = [total * x / s for x in weights]
    base = [q.numerator // q.denominator for q in quotas]
    left = total - sum(base)
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - base[i]), -weights[i], i))
    for i in order[:left]:
        base[i] += 1
    return base
