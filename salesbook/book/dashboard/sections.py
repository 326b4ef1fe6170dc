"""The dashboard's five sections: for each, a summary table of formulas over an Out_ table and its chart.

Company target vs actual by month (columns, cumulative lines on a second axis), attainment by region
(bars, ranked by a formula), commission cost by month and as a share of sales, leads by grade with
the win rate, and the KPI rating distribution of the fiscal year.  Each returns its key figures.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from salesbook.book.dashboard.formulas import Source
from salesbook.book.dashboard.labels import say
from salesbook.book.dashboard.layout import (
    COUNT,
    GREEN,
    GREY,
    LIGHT,
    MID,
    NAVY,
    ORANGE,
    PERCENT,
    Figure,
    Layout,
    number,
    ratio,
    scaled,
)
from salesbook.book.dashboard.model import ERROR_NA, Axis, Cell
from salesbook.messages import choice_label


def monthly(lay: Layout, tv: Source, months: list[str], as_of: dt.date | None) -> list[Figure]:
    lang = lay.lang
    level = float(pd.to_numeric(tv.frame["level"], errors="coerce").min())
    top = lay.table(say(lang, "monthly"), [say(lang, k) for k in
                                           ("month", "target", "actual", "cum_target", "cum_actual", "achievement")])
    last = top + len(months) - 1
    done = as_of.strftime("%Y-%m") if as_of else None
    cum_t = cum_a = 0.0
    for i, month in enumerate(months):
        r = top + i
        lay.put(r, 1, Cell(month))
        t_f, t = tv.total("target", [("level", level, None), ("period", month, f"$A{r}")])
        a_f, a = tv.total("actual", [("level", level, None), ("period", month, f"$A{r}")])
        lay.put(r, 2, Cell(t, t_f, "money"))
        lay.put(r, 3, Cell(a, a_f, "money"))
        cum_t += t
        lay.put(r, 4, Cell(cum_t, f"SUM($B${top}:B{r})", "money"))
        if done is not None and month > done:  # not happened yet: a gap in the lines
            lay.put(r, 5, Cell(ERROR_NA, "NA()", "money"))
            lay.put(r, 6, Cell(ERROR_NA, "NA()", "percent"))
        else:
            cum_a += a
            lay.put(r, 5, Cell(cum_a, f"SUM($C${top}:C{r})", "money"))
            lay.put(r, 6, Cell(ratio(a, t), f"IF(B{r}>0,C{r}/B{r},NA())", "percent"))
    future = done is not None and any(m > done for m in months)
    lay.close(last, [say(lang, "future", as_of=as_of.isoformat())] if future and as_of else [])
    monthly_max = max([abs(number(lay.board.cells[(r, c)].value) or 0) for r in range(top, last + 1) for c in (2, 3)])
    cum_max = max([abs(number(lay.board.cells[(r, c)].value) or 0) for r in range(top, last + 1) for c in (4, 5)])
    fmt, unit = scaled(lang, lay.currency, monthly_max)
    fmt2, unit2 = scaled(lang, lay.currency, cum_max)
    cats = (1, top, last)
    lay.chart(key="monthly", title=say(lang, "monthly"), category_title=say(lang, "month"),
              axis=Axis(say(lang, "amount", unit=unit), fmt, 0), second_axis=Axis(say(lang, "cumulative", unit=unit2), fmt2, 0),
              series=(lay.series((top - 1, 2), cats, 2, color=LIGHT), lay.series((top - 1, 3), cats, 3, color=NAVY),
                      lay.series((top - 1, 4), cats, 4, kind="line", secondary=True, color=GREY, dashed=True),
                      lay.series((top - 1, 5), cats, 5, kind="line", secondary=True, color=ORANGE)))
    t_sum, a_sum = f"SUM(B{top}:B{last})", f"SUM(C{top}:C{last})"
    t_val = sum(number(lay.board.cells[(r, 2)].value) or 0 for r in range(top, last + 1))
    a_val = sum(number(lay.board.cells[(r, 3)].value) or 0 for r in range(top, last + 1))
    return [(say(lang, "fig_target"), t_sum, t_val, "money"), (say(lang, "fig_actual"), a_sum, a_val, "money"),
            (say(lang, "fig_achievement"), f"IF({t_sum}>0,{a_sum}/{t_sum},NA())", ratio(a_val, t_val), "percent")]


def _region_level(tv: Source) -> float | None:
    """The level whose nodes are regions: the highest one with a region and no rep on its rows."""
    f = tv.frame
    region = f["region_id"].astype(object).map(lambda v: isinstance(v, str) and v != "")
    rep = f["rep_id"].astype(object).map(lambda v: isinstance(v, str) and v != "")
    levels = pd.to_numeric(f.loc[region & ~rep, "level"], errors="coerce").dropna()
    return float(levels.min()) if len(levels) else None


def regions(lay: Layout, tv: Source, regions: pd.DataFrame | None) -> None:
    lang = lay.lang
    level = _region_level(tv)
    if level is None:
        return
    f = tv.frame
    at = (pd.to_numeric(f["level"], errors="coerce") == level) & (f["period"].astype(str) == "FY")
    ids = list(dict.fromkeys(f.loc[at, "region_id"].astype(str)))
    if not ids:
        return
    names = {}
    if regions is not None and {"region_id", "name"} <= set(regions.columns):
        names = {str(k): str(v) for k, v in zip(regions["region_id"], regions["name"], strict=True) if pd.notna(v)}
    top = lay.table(say(lang, "regions"), [say(lang, k) for k in
                                           ("region_id", "region", "target", "actual", "attainment", "sort_key")])
    last = top + len(ids) - 1
    keys = []
    for i, rid in enumerate(ids):
        r = top + i
        lay.put(r, 1, Cell(rid))
        lay.put(r, 2, Cell(names.get(rid, rid)))
        conds = [("level", level, None), ("region_id", rid, f"$A{r}"), ("period", "FY", None)]
        t_f, t = tv.total("target", conds)
        a_f, a = tv.total("actual", conds)
        lay.put(r, 3, Cell(t, t_f, "money"))
        lay.put(r, 4, Cell(a, a_f, "money"))
        share = ratio(a, t)
        lay.put(r, 5, Cell(share, f"IF(C{r}>0,D{r}/C{r},NA())", "percent"))
        # ties keep the table's order: an earlier row gets the larger key
        key = (share if isinstance(share, float) else -1.0) - r / 1e9
        keys.append(key)
        lay.put(r, 6, Cell(key, f"IF(ISNUMBER(E{r}),E{r},-1)-ROW()/1000000000", "number"))
    lay.close(last)
    # the same regions, best first, by LARGE over the sort keys (so an edit re-sorts them)
    top2 = lay.table(say(lang, "ranked"), [say(lang, k) for k in ("rank", "region", "attainment")])
    last2 = top2 + len(ids) - 1
    order = np.argsort([-k for k in keys], kind="stable")
    keys_ref = f"$F${top}:$F${last}"
    for k, idx in enumerate(order, start=1):
        r = top2 + k - 1
        match = f"MATCH(LARGE({keys_ref},$A{r}),{keys_ref},0)"
        lay.put(r, 1, Cell(k, None, "count"))
        lay.put(r, 2, Cell(lay.board.cells[(top + int(idx), 2)].value, f"INDEX($B${top}:$B${last},{match})"))
        lay.put(r, 3, Cell(lay.board.cells[(top + int(idx), 5)].value, f"INDEX($E${top}:$E${last},{match})", "percent"))
    lay.close(last2)
    lay.chart(key="regions", title=say(lang, "regions"), category_title=say(lang, "region"),
              axis=Axis(say(lang, "attainment"), "0%", 0), horizontal=True,
              series=(lay.series((top2 - 1, 3), (2, top2, last2), 3, kind="bar", color=NAVY, labels=True),))


def commission(lay: Layout, ac: Source, tv: Source | None, months: list[str]) -> list[Figure]:
    lang = lay.lang
    heads = ["month", "cost"] + (["cost_pct", "sales"] if tv is not None else [])
    top = lay.table(say(lang, "commission"), [say(lang, k) for k in heads])
    last = top + len(months) - 1
    level = float(pd.to_numeric(tv.frame["level"], errors="coerce").min()) if tv is not None else 0.0
    for i, month in enumerate(months):
        r = top + i
        lay.put(r, 1, Cell(month))
        c_f, c = ac.total("accrued", [("period", month, f"$A{r}")])
        lay.put(r, 2, Cell(c, c_f, "money"))
        if tv is not None:
            s_f, s = tv.total("actual", [("level", level, None), ("period", month, f"$A{r}")])
            lay.put(r, 4, Cell(s, s_f, "money"))
            lay.put(r, 3, Cell(ratio(c, s), f"IF(D{r}>0,B{r}/D{r},NA())", "percent"))
    lay.close(last)
    cost_max = max(abs(number(lay.board.cells[(r, 2)].value) or 0) for r in range(top, last + 1))
    fmt, unit = scaled(lang, lay.currency, cost_max)
    cats = (1, top, last)
    series = [lay.series((top - 1, 2), cats, 2, color=MID)]
    second = None
    if tv is not None:
        series.append(lay.series((top - 1, 3), cats, 3, kind="line", secondary=True, color=ORANGE))
        second = Axis(say(lang, "cost_pct"), PERCENT, 0)
    lay.chart(key="commission", title=say(lang, "commission"), category_title=say(lang, "month"),
              axis=Axis(say(lang, "amount", unit=unit), fmt, 0), second_axis=second, series=tuple(series))
    cost_sum = f"SUM(B{top}:B{last})"
    cost_val = sum(number(lay.board.cells[(r, 2)].value) or 0 for r in range(top, last + 1))
    out = [(say(lang, "fig_cost"), cost_sum, cost_val, "money")]
    if tv is not None:
        sales_sum = f"SUM(D{top}:D{last})"
        sales_val = sum(number(lay.board.cells[(r, 4)].value) or 0 for r in range(top, last + 1))
        out.append((say(lang, "fig_cost_pct"), f"IF({sales_sum}>0,{cost_sum}/{sales_sum},NA())",
                    ratio(cost_val, sales_val), "percent"))
    return out


def _ordered(values: pd.Series, bands: pd.DataFrame | None, column: str) -> list[str]:
    """The band codes in the order of their bands table (best first), then any others found, sorted."""
    found = sorted({str(v) for v in values.dropna() if str(v) != ""})
    order: list[str] = []
    if bands is not None and {column, "min_score"} <= set(bands.columns) and len(bands):
        ranked = bands.sort_values("min_score", ascending=False, kind="stable")
        order = [str(v) for v in ranked[column] if pd.notna(v)]
    return list(dict.fromkeys(order + found))


def leads(lay: Layout, ls: Source, bands: pd.DataFrame | None) -> list[Figure]:
    lang = lay.lang
    grades = _ordered(ls.frame["grade"], bands, "grade")
    if not grades:
        return []
    won_label = choice_label("Out_LeadScores", "status", "won", lang)
    lost_label = choice_label("Out_LeadScores", "status", "lost", lang)
    top = lay.table(say(lang, "leads"), [say(lang, k) for k in ("grade", "lead_count", "win_rate", "won", "lost")])
    last = top + len(grades) - 1
    for i, grade in enumerate(grades):
        r = top + i
        lay.put(r, 1, Cell(grade))
        n_f, n = ls.total(None, [("grade", grade, f"$A{r}")])
        w_f, w = ls.total(None, [("grade", grade, f"$A{r}"), ("status", won_label, None)])
        l_f, lost = ls.total(None, [("grade", grade, f"$A{r}"), ("status", lost_label, None)])
        lay.put(r, 2, Cell(n, n_f, "count"))
        lay.put(r, 3, Cell(ratio(w, w + lost), f"IF(D{r}+E{r}>0,D{r}/(D{r}+E{r}),NA())", "percent"))
        lay.put(r, 4, Cell(w, w_f, "count"))
        lay.put(r, 5, Cell(lost, l_f, "count"))
    lay.close(last, [say(lang, "win_rate_note")])
    cats = (1, top, last)
    lay.chart(key="leads", title=say(lang, "leads"), category_title=say(lang, "grade"),
              axis=Axis(say(lang, "lead_count"), COUNT, 0), second_axis=Axis(say(lang, "win_rate"), PERCENT, 0),
              series=(lay.series((top - 1, 2), cats, 2, color=MID, labels=True),
                      lay.series((top - 1, 3), cats, 3, kind="line", secondary=True, color=ORANGE)))
    won, lost = f"SUM(D{top}:D{last})", f"SUM(E{top}:E{last})"
    w_val = sum(number(lay.board.cells[(r, 4)].value) or 0 for r in range(top, last + 1))
    l_val = sum(number(lay.board.cells[(r, 5)].value) or 0 for r in range(top, last + 1))
    n_val = sum(number(lay.board.cells[(r, 2)].value) or 0 for r in range(top, last + 1))
    return [(say(lang, "fig_leads"), f"SUM(B{top}:B{last})", n_val, "count"),
            (say(lang, "fig_win_rate"), f"IF({won}+{lost}>0,{won}/({won}+{lost}),NA())", ratio(w_val, w_val + l_val),
             "percent")]


def ratings(lay: Layout, cards: Source, bands: pd.DataFrame | None) -> list[Figure]:
    lang = lay.lang
    f = cards.frame
    if not {"period_kind", "period", "rating", "weight"} <= set(f.columns):
        return []
    yearly = f[f["period_kind"].astype(str) == "year"]
    if not len(yearly):
        return []
    year = str(yearly["period"].astype(str).iloc[-1])
    ratings = _ordered(yearly["rating"], bands, "rating")
    minimum = {}
    if bands is not None and {"rating", "min_score"} <= set(bands.columns):
        minimum = {str(k): v for k, v in zip(bands["rating"], bands["min_score"], strict=True)}
    top = lay.table(say(lang, "ratings", fy=year), [say(lang, k) for k in ("rating", "reps", "share", "min_score")])
    last = top + len(ratings) - 1
    counts = []
    for i, rating in enumerate(ratings):
        r = top + i
        lay.put(r, 1, Cell(rating))
        w_f, w = cards.total("weight", [("period_kind", "year", None), ("period", year, None),
                                        ("rating", rating, f"$A{r}")])
        counts.append(round(w))
        lay.put(r, 2, Cell(float(round(w)), f"ROUND({w_f},0)", "count"))
        lay.put(r, 4, Cell(number(minimum.get(rating)), None, "number"))
    total = float(sum(counts))
    for i in range(len(ratings)):
        r = top + i
        lay.put(r, 3, Cell(ratio(counts[i], total), f"IF(SUM($B${top}:$B${last})>0,B{r}/SUM($B${top}:$B${last}),NA())",
                           "percent"))
    lay.close(last, [say(lang, "ratings_note")])
    lay.chart(key="ratings", title=say(lang, "ratings", fy=year), category_title=say(lang, "rating"),
              axis=Axis(say(lang, "reps"), COUNT, 0),
              series=(lay.series((top - 1, 2), (1, top, last), 2, color=GREEN, labels=True),))
    return [(say(lang, "fig_rated"), f"SUM(B{top}:B{last})", total, "count")]
