"""Periods of the target plan: fiscal months, quarters, seasonality profiles, rep availability."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesbook.errors import InputError, Problem, problem
from salesbook.messages import Listing, Words

PRORATION = ("days", "half_month", "any_day")


def fiscal_months(fiscal_year: int, start_month: int = 1) -> list[pd.Timestamp]:
    """First day of each of the 12 fiscal months; a year starting in April 2026 is FY2026 if start_month=1."""
    first = pd.Timestamp(fiscal_year if start_month == 1 else fiscal_year - 1, start_month, 1)
    return [first + pd.DateOffset(months=i) for i in range(12)]


def month_labels(months: list[pd.Timestamp]) -> list[str]:
    return [m.strftime("%Y-%m") for m in months]


def quarter_labels(months: list[pd.Timestamp]) -> list[str]:
    """Q1 = the first three fiscal months; labelled 2026Q1, or FY2027Q1 when the year starts mid-calendar."""
    prefix = f"{months[0].year}" if months[0].month == 1 else f"FY{months[-1].year}"
    return [f"{prefix}Q{q}" for q in range(1, 5)]


def seasonality_profiles(seasonality: pd.DataFrame) -> dict[str | None, np.ndarray]:
    """Monthly shares per product line (None = the default profile); each must cover 1-12 and total 100%.

    Rows with a blank product line make the default profile; rows naming a product line override it
    for that line.  A profile that does not total 100% is an error, not silently rescaled: finance
    must see that the months add back to the year.
    """
    lines = seasonality["product_line"] if "product_line" in seasonality else pd.Series(pd.NA, index=seasonality.index)
    problems: list[Problem] = []
    profiles: dict[str | None, np.ndarray] = {}
    seen: dict[tuple[str | None, int], object] = {}
    for row, line, month, share in zip(seasonality.index, lines, seasonality["month"], seasonality["share"],
                                       strict=True):
        key = None if pd.isna(line) or str(line).strip() == "" else str(line).strip()
        if pd.isna(month) or not 1 <= int(month) <= 12:
            problems.append(problem("month must be 1 to 12.", "月份必须是 1 到 12。", table="Seasonality", row=row,
                                    column="month"))
            continue
        if pd.isna(share) or float(share) < 0:
            problems.append(problem("share must be a percentage of 0% or more.", "占比须为不小于 0% 的百分比。",
                                    table="Seasonality", row=row, column="share"))
            continue
        if (key, int(month)) in seen:
            problems.append(problem("month {m} appears twice (first on row {first}).",
                                    "第 {m} 月重复出现（首次在第 {first} 行）。", table="Seasonality", row=row,
                                    column="month", m=int(month), first=seen[(key, int(month))]))
            continue
        seen[(key, int(month))] = row
        profiles.setdefault(key, np.zeros(12))[int(month) - 1] = float(share)
    for key, shares in profiles.items():
        name = key or Words("default", "默认")
        missing = sorted(set(range(1, 13)) - {m for k, m in seen if k == key})
        if missing:
            problems.append(problem("profile '{p}': {m:month # is/months # are} missing; give a share for every "
                                    "month 1-12.",
                                    "季节性“{p}”缺少第 {m} 月；请为 1-12 每个月填写占比。", table="Seasonality",
                                    column="month", p=name, m=Listing(missing)))
        elif abs(shares.sum() - 1.0) > 1e-6:
            problems.append(problem("profile '{p}': the monthly shares total {t:.4%}, not 100%.",
                                    "季节性“{p}”各月占比合计为 {t:.4%}，不是 100%。", table="Seasonality",
                                    column="share", p=name, t=shares.sum()))
    if not profiles:
        problems.append(problem("no seasonality rows; give a share for every month 1-12.",
                                "季节性表为空；请为 1-12 每个月填写占比。", table="Seasonality", column="month"))
    if problems:
        raise InputError(problems)
    return profiles


def check_seasonality(seasonality: pd.DataFrame) -> np.ndarray:
    """The default (or only) monthly profile as an array of 12 shares totalling 1."""
    profiles = seasonality_profiles(seasonality)
    return profiles.get(None, next(iter(profiles.values())))


@dataclass
class Availability:
    """Per rep x fiscal month: share of a full month's target the rep can carry, and why."""

    share: np.ndarray        # employed x ramp
    employed: np.ndarray     # proration factor
    ramp: np.ndarray         # ramp factor
    tenure: np.ndarray       # 1 = hire month
    active_days: np.ndarray
    days: np.ndarray         # (12,) days in each month


def rep_availability(hire: Sequence, leave: Sequence, months: list[pd.Timestamp], ramp: Sequence[float],
                     proration: str = "days") -> Availability:
    """(reps x 12) share of a full month's target each rep can carry: employed share x ramp share.

    Employed share by ``proration``: "days" =
    calendar days employed / days in month; "half_month" = the whole month if employed at least half
    its days, else nothing; "any_day" = the whole month if employed on any day.  Ramp share comes from
    the tenure month (1 = hire month); months after the ramp profile are 100%.
    """
    hire_d = pd.to_datetime(pd.Series(hire)).to_numpy().astype("datetime64[D]")
    leave_s = pd.to_datetime(pd.Series(leave))
    leave_d = leave_s.fillna(pd.Timestamp("2262-01-01")).to_numpy().astype("datetime64[D]")
    starts = np.array([np.datetime64(m.date(), "D") for m in months])
    ends = np.array([np.datetime64((m + pd.offsets.MonthEnd(0)).date(), "D") for m in months])
    days = (ends - starts).astype(np.int64) + 1
    first = np.maximum(starts[None, :], hire_d[:, None])
    last = np.minimum(ends[None, :], leave_d[:, None])
    active_days = np.clip((last - first).astype(np.int64) + 1, 0, days[None, :])
    if proration == "days":
        employed = active_days / days[None, :]
    elif proration == "half_month":
        employed = (2 * active_days >= days[None, :]).astype(float)
    else:
        employed = (active_days > 0).astype(float)
    hire_m = hire_d.astype("datetime64[M]").astype(np.int64)
    month_m = np.array([(m.year - 1970) * 12 + m.month - 1 for m in months])
    tenure = month_m[None, :] - hire_m[:, None] + 1
    profile = np.asarray(list(ramp) or [1.0], dtype=float)
    ramp_share = np.where(tenure < 1, 0.0, np.where(tenure > len(profile), 1.0,
                                                    profile[np.clip(tenure - 1, 0, len(profile) - 1)]))
    if not ramp:
        ramp_share = (tenure >= 1).astype(float)
    return Availability(employed * ramp_share, employed, ramp_share, tenure, active_days, days)


def season_codes(frame: pd.DataFrame, season: dict[object, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct seasonality rows (p, 12) and, per node, which one it follows (its line's, else the default)."""
    if "product_line" in frame:
        lines = [k for k in season if k is not None]
        table = np.vstack([season[k] for k in lines] + [season.get(None, season[lines[0]] if lines else np.ones(12))])
        code = pd.Index(lines).get_indexer(frame["product_line"].astype(object).to_numpy())
        return table, np.where(code < 0, len(lines), code)
    return season[None][None, :], np.zeros(len(frame), dtype=np.int64)


def season_rows(frame: pd.DataFrame, season: dict[object, np.ndarray]) -> np.ndarray:
    """(n, 12) seasonality row for each node."""
    table, code = season_codes(frame, season)
    return table[code]
