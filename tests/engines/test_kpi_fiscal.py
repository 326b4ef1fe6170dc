"""Fiscal period labels: every date's label is its month, fiscal quarter or fiscal year, as written by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from salesbook.engines.kpi.fiscal import month_key, period_bounds, period_key


def _by_hand(day: dt.date, grain: str, start_month: int) -> str:
    fiscal_year = day.year - (day.month < start_month)
    if grain == "month":
        return f"{day.year}-{day.month:02d}"
    if grain == "quarter":
        return f"{fiscal_year}Q{(day.month - start_month) % 12 // 3 + 1}"
    return str(fiscal_year)


@settings(max_examples=60, deadline=None)
@given(days=st.lists(st.dates(dt.date(1900, 1, 1), dt.date(2261, 12, 31)), min_size=1, max_size=40),
       grain=st.sampled_from(["month", "quarter", "year"]), start_month=st.integers(1, 12))
def test_each_dates_label_is_the_one_written_by_hand(days, grain, start_month):
    dates = pd.Series(pd.to_datetime(days), index=np.arange(len(days)) * 3)   # an index of its own is kept
    keys = period_key(dates, grain, start_month)
    assert keys.index.equals(dates.index) and keys.dtype == "str"
    assert keys.tolist() == [_by_hand(d, grain, start_month) for d in days]
    first, last = period_bounds(keys, grain, start_month)   # every date lies inside its period
    assert ((first <= dates) & (dates <= last)).all()


def test_a_missing_date_has_no_label_and_the_others_keep_theirs():
    dates = pd.Series(pd.to_datetime(["2026-03-13", None, "2025-12-31"]))
    assert period_key(dates, "quarter", 4).tolist()[::2] == ["2025Q4", "2025Q3"]
    assert period_key(dates, "month").isna().tolist() == [False, True, False]
    assert month_key(dates).tolist()[::2] == ["2026-03", "2025-12"]
