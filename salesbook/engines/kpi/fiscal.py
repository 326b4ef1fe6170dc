"""Fiscal periods of the scorecards: a label for each date, and the first and last day of each label."""

from __future__ import annotations

import pandas as pd


def period_key(dates: pd.Series, grain: str, start_month: int = 1) -> pd.Series:
    """Period label of each date: 2026-03 (month), 2026Q1 (fiscal quarter), 2026 (fiscal year).

    A fiscal year starts in ``start_month`` and is named after the calendar year it starts in (the
    reports' periods are named the same way)."""
    d = pd.to_datetime(dates)
    if grain == "month":
        return d.dt.strftime("%Y-%m")
    fy = d.dt.year - (d.dt.month < start_month).astype(int)
    if grain == "quarter":
        q = (d.dt.month - start_month) % 12 // 3 + 1
        return fy.astype(str) + "Q" + q.astype(str)
    return fy.astype(str)


def period_bounds(keys: pd.Series, grain: str, start_month: int = 1) -> tuple[pd.Series, pd.Series]:
    """First and last day of each period label made by ``period_key``."""
    keys = keys.astype(str)
    if grain == "month":
        start = pd.to_datetime(keys + "-01")
        return start, start + pd.offsets.MonthEnd(0)
    fy = keys.str[:4].astype(int)
    first = (fy * 12 + start_month - 1) if grain == "year" else (fy * 12 + start_month - 1
                                                                   + (keys.str[-1].astype(int) - 1) * 3)
    start = pd.to_datetime(pd.DataFrame({"year": first // 12, "month": first % 12 + 1, "day": 1}))
    months = 12 if grain == "year" else 3
    end = pd.to_datetime(pd.DataFrame({"year": (first + months) // 12, "month": (first + months) % 12 + 1,
                                       "day": 1})) - pd.Timedelta(days=1)
    return start, end
