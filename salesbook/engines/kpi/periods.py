"""Scorecards of every review period: each month, fiscal quarter and fiscal year, to the as-of date.

A review of a quarter or a year shows the scorecard *of that period*: every KPI aggregated over the
period's months by its own rule (sum, mean or last), then attainment, score, weighted total and rating
exactly as a monthly scorecard is made (``build_scorecards`` at the period's grain), and the rank in
region and role among the reps scored for the same period. Nothing is averaged across scorecards.

Only months that have started by the as-of date count: a period still under way is scored to date
(``through`` says the last month in it, ``months`` how many months of results it holds).

Bonus. The bonus is paid on the scorecards of the workbook's scorecard period (``pay_grain``). A period
of that grain carries its own bonus; a longer period carries the sum of the bonuses paid on the
scorecards inside it (``bonus_basis`` = the pay grain, ``bonus_count`` = how many); a shorter one has no
bonus of its own (blank).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesbook.engines.kpi.bonus import BonusRules
from salesbook.engines.kpi.fiscal import month_key, period_key
from salesbook.engines.kpi.scorecards import build_scorecards
from salesbook.engines.rowtext import format_rows, formatted, join_nonempty
from salesbook.errors import Problem

KINDS = ("month", "quarter", "year")
_ORDER = {k: i for i, k in enumerate(KINDS)}

PERIOD_COLUMNS = ["period_kind", "period", "through", "months", "rep_id", "role", "region_id", "kpi_id", "name",
                  "aggregate", "actual", "target", "attainment", "score", "weight", "weighted_score", "total", "rating",
                  "multiplier", "company_factor", "unit_factor", "bonus", "bonus_formula", "bonus_basis", "bonus_count",
                  "rank_in_region", "rank_of", "explanation"]
FACTOR_COLUMNS = ["multiplier", "company_factor", "unit_factor"]

TEXT = {
    "en": {"own": "bonus on this period's own scorecard", "sum": "bonus: sum of the {n} {kind} scorecards' bonuses",
           "none": "no bonus of its own: bonuses are set on {kind} scorecards",
           "through": "months {first} to {last} ({n} with results)", "rank": "rank {r} of {n} in region and role",
           "kind": {"month": "monthly", "quarter": "quarterly", "year": "yearly"},
           "sum_formula": "bonus = {parts} = {total}"},
    "zh": {"own": "奖金按本期考核计算", "sum": "奖金为期内 {n} 个{kind}考核奖金之和",
           "none": "本期不单独计奖金：奖金按{kind}考核发放",
           "through": "{first} 至 {last}（{n} 个月有数据）", "rank": "区域同岗位排名 {r}/{n}",
           "kind": {"month": "月度", "quarter": "季度", "year": "年度"},
           "sum_formula": "奖金 = {parts} = {total}"},
}


def period_scorecards(actuals: pd.DataFrame, kpis: pd.DataFrame, weights: pd.DataFrame, reps: pd.DataFrame,
                      bands: pd.DataFrame, *, steps: pd.DataFrame | None = None, lang: str = "en",
                      start_month: int = 1, as_of: pd.Timestamp | None = None,
                      pay_grain: str = "month", factors: pd.DataFrame | None = None, rules: BonusRules | None = None,
                      warnings: list[Problem] | None = None) -> pd.DataFrame:
    """One row per period kind x period x rep x KPI (see the module's notes); columns ``PERIOD_COLUMNS``.
    ``factors`` and ``rules`` shape the bonus of the pay-grain scorecards as in ``build_scorecards``;
    ``warnings`` collects what they say about the factors."""
    T = TEXT["zh" if lang == "zh" else "en"]
    sep = "；" if lang == "zh" else "; "
    a = actuals
    if as_of is not None and len(a):
        month_start = pd.to_datetime(a["period"]).dt.to_period("M").dt.start_time
        a = a[(month_start <= pd.Timestamp(as_of)).to_numpy()]
    if a.empty:
        return pd.DataFrame(columns=PERIOD_COLUMNS)
    months = month_key(a["period"])
    cards: dict[str, pd.DataFrame] = {}
    for kind in KINDS:
        c = build_scorecards(a, kpis, weights, reps, bands, grain=kind, steps=steps, lang=lang,
                             start_month=start_month, factors=factors, rules=rules,
                             warnings=warnings if kind == pay_grain else None, bonus_in_explanation=False)
        span = pd.DataFrame({"rep_id": a["rep_id"].to_numpy(), "period": period_key(a["period"], kind, start_month).to_numpy(),
                             "month": months.to_numpy()}).groupby(["rep_id", "period"])["month"]
        c = c.merge(span.agg(through="max", first="min", months="nunique").reset_index(), on=["rep_id", "period"],
                    how="left")
        c.insert(0, "period_kind", kind)
        cards[kind] = c
    pay = cards.get(pay_grain, cards["month"])
    paid = pay.drop_duplicates(["rep_id", "period"])[["rep_id", "period", "bonus"]]
    region = reps.set_index("rep_id")["region_id"]
    agg = kpis.set_index("kpi_id").get("aggregate", pd.Series(dtype=object))
    out = []
    for kind, c in cards.items():
        c = c.copy()
        if kind == pay_grain:
            c["bonus_basis"], c["bonus_count"] = kind, 1
            note = [f"{T['own']}{sep}{f}" for f in c["bonus_formula"].tolist()]
        elif _ORDER[kind] > _ORDER.get(pay_grain, 0):   # longer than the pay period: what was paid inside it
            inside = paid.assign(_paid_period=paid["period"],
                                 period=_coarser(paid["period"], pay_grain, kind, start_month))
            s = inside.groupby(["rep_id", "period"])["bonus"].agg(["sum", "size"])
            key = pd.MultiIndex.from_arrays([c["rep_id"], c["period"]])
            c["bonus"] = s["sum"].reindex(key).round(2).to_numpy()
            c["bonus_count"] = s["size"].reindex(key).fillna(0).astype(int).to_numpy()
            c["bonus_basis"] = pay_grain
            c["bonus_formula"] = _sums(inside, key, c["bonus"], T)
            c[FACTOR_COLUMNS] = np.nan
            note = [f"{T['sum'].format(n=n, kind=T['kind'][pay_grain])}{sep}{f}" if f else
                    T["sum"].format(n=n, kind=T["kind"][pay_grain]) for n, f in zip(c["bonus_count"].tolist(),
                                                                                    c["bonus_formula"].tolist(),
                                                                                    strict=True)]
        else:
            c["bonus"], c["bonus_basis"], c["bonus_count"] = np.nan, pay_grain, 0
            c["bonus_formula"] = ""
            c[FACTOR_COLUMNS] = np.nan
            note = [T["none"].format(kind=T["kind"][pay_grain])] * len(c)
        c["region_id"] = c["rep_id"].map(region)
        groups = c.drop_duplicates(["rep_id", "period"]).groupby(["period", "region_id", "role"], dropna=False).size()
        c["rank_of"] = pd.MultiIndex.from_arrays([c["period"], c["region_id"], c["role"]]).map(groups.to_dict()) \
            if len(c) else []
        c["aggregate"] = c["kpi_id"].map(agg).fillna("sum") if len(agg) else "sum"
        n = len(c)
        through = format_rows(T["through"], n, first=c["first"], last=c["through"], n=c["months"])
        rank = format_rows(T["rank"], n, r=_whole(c["rank_in_region"]), n=_whole(c["rank_of"]))
        c["explanation"] = join_nonempty(sep, [c["explanation"], through, rank, note], n)
        out.append(c[PERIOD_COLUMNS])
    return pd.concat(out, ignore_index=True)


def _whole(values: pd.Series) -> np.ndarray:
    """``int(x)`` of every value (a rank or a count), refused as ``int`` refuses a blank."""
    x = values.to_numpy(dtype=float, na_value=np.nan)
    if not np.isfinite(x).all():
        int(x[~np.isfinite(x)][0])   # raises as int() does
    return np.trunc(x).astype(np.int64)


def _sums(inside: pd.DataFrame, key: pd.MultiIndex, totals: pd.Series, T: dict) -> np.ndarray:
    """"bonus = 2026Q1 11,542.50 + 2026Q2 9,000.00 = 20,542.50" for each row of a longer period."""
    out = np.full(len(key), "", dtype=object)
    if inside.empty or not len(key):
        return out
    piece = format_rows("{p} {b:,.2f}", len(inside), p=inside["_paid_period"], b=inside["bonus"])
    parts = pd.Series(piece, index=inside.index, dtype=object).groupby(
        [inside["rep_id"], inside["period"]], sort=False).agg(" + ".join)
    got = parts.reindex(key).to_numpy(dtype=object)
    has = pd.notna(got) & totals.notna().to_numpy()
    out[has] = format_rows(T["sum_formula"], int(has.sum()), parts=got[has],
                           total=formatted(totals.to_numpy(dtype=float)[has], ",.2f", int(has.sum())))
    return out


def _coarser(keys: pd.Series, grain: str, kind: str, start_month: int) -> pd.Series:
    """The ``kind`` period (quarter or year) that holds each ``grain`` period label."""
    if grain == "month":
        return period_key(pd.to_datetime(keys + "-01"), kind, start_month)
    return keys.str[:4]   # a fiscal quarter 2026Q3 is in fiscal year 2026
