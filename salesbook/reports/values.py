"""Cell values as the review contexts use them: a finite number or None (unknown is not 0), a text or ''."""

from __future__ import annotations

import math

import pandas as pd


def number(x: object) -> float | None:
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def text(x: object) -> str:
    return "" if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) else str(x)
