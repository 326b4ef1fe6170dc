"""Fiscal periods of the scorecards: a label for each date, and the first and last day of each label."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def period_key(dates: pd.Series, grain: str, start_month: int = 1) -> pd.Series:
    """Period label of each date: 2026-03 (month), 2026Q1 (fiscal quarter), 2026 (fiscal year).

    A fiscal year starts in ``start_month`` and is named after the calendar year it starts in (the
    reports' periods are named the same way)."""
    d = pd.to_datetime(dates)
    months = d.dt.year.fillna(0).to_numpy(np.int64) * 12 + d.dt.month.fillna(0).to_numpy(np.int64) - 1
    return _labelled(np.where(d.isna().to_numpy(), -1, months), d.index, lambda m: _label(m, grain, start_month))


def month_key(dates: pd.Series) -> pd.Series:
    """``period_key(dates, "month")``: the 2026-03 of each date."""
    return period_key(dates, "month")


def _label(month: int, grain: str, start_month: int) -> str:
    """The label of the month numbered year x 12 + month - 1."""
    year, m = divmod(month, 12)
    if grain == "month":
        return f"{year:04d}-{m + 1:02d}"
    fy = year - (m + 1 < start_month)
    return f"{fy}Q{(m + 1 - start_month) % 12 // 3 + 1}" if grain == "quarter" else str(fy)


def _labelled(months: np.ndarray, index: pd.Index, label: Callable[[int], str]) -> pd.Series:
    """Each row's label (missing where the month is -1, a missing date), made once per distinct month: the
    scorecards label every actual several times over, and formatting each row's date took 0.5 to 0.75 s of
    a 500,000-deal book's KPI job (0.16 to 0.20 s this way)."""
    codes, distinct = pd.factorize(months)
    texts = np.array([label(int(m)) if m >= 0 else np.nan for m in distinct], dtype=object)
    return pd.Series(texts[codes], index=index, dtype="str")


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
