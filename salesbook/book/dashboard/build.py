"""The dashboard of a run: summary tables (formulas over the Out_ tables) and the charts drawn from them.

Each chart has its own small table under the chart grid; every figure in it is a formula over an Out_
table (see ``formulas``), so a user who edits an Out_ sheet and recalculates sees the charts follow.
A chart whose Out_ tables the run did not write is left out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from salesbook.book.dashboard.formulas import Source
from salesbook.book.dashboard.labels import currency_word, say
from salesbook.book.dashboard.model import (
    ERROR_NA,
    GRID_TOP,
    SHEET,
    SLOT_ROWS,
    Axis,
    Cell,
    Chart,
    Dashboard,
    Series,
    range_ref,
    slot_cells,
)
from salesbook.currency import symbol
from salesbook.messages import choice_label
from salesbook.schemas import REGISTRY, Kind

Headers = Callable[[str, pd.DataFrame], dict[str, str]]  # table name, frame -> header per column as written

NAVY, MID, LIGHT, GREY, ORANGE, GREEN = "1E3A5F", "5B8DB8", "A7C4DE", "6B7280", "C2410C", "15803D"
PERCENT = "0.0%"
COUNT = "#,##0"
_MONTH = re.compile(r"^\d{4}-\d{2}$")


def money_format(currency: object) -> str:
    """Whole currency units with the symbol: ``"¥"#,##0``."""
    sign = symbol(currency).replace('"', "")
    return f'"{sign}"#,##0' if sign else "#,##0"


def scaled(lang: str, currency: object, largest: float) -> tuple[str, str]:
    """An axis number format that keeps tick labels short, and the unit its title names.

    English scales by thousands (``,`` divides by 1,000 in a format); Chinese by 万 and 亿, written with the
    usual format trick: ``0\\.0,`` divides by 1,000 and shows the last digit after a literal point."""
    word = currency_word(lang, currency)
    if lang == "zh":
        if largest >= 1e8:
            return "0\\.00,,", say(lang, "unit_hundred_millions", code=word)
        if largest >= 1e4:
            return "0\\.0,", say(lang, "unit_ten_thousands", code=word)
        return "#,##0", say(lang, "unit_ones", code=word)
    if largest >= 1e6:
        return "#,##0.0,,", say(lang, "unit_millions", code=word)
    if largest >= 1e4:
        return "#,##0,", say(lang, "unit_thousands", code=word)
    return "#,##0", say(lang, "unit_ones", code=word)


class _Layout:
    """Places the summary tables one under another below the chart grid and collects the charts."""

    def __init__(self, lang: str, currency: object):
        self.lang, self.currency = lang, currency
        self.board = Dashboard(lang=lang, money_format=money_format(currency))
        self.row = GRID_TOP + 2 * SLOT_ROWS + 3  # first row of the data area (after two rows of charts)
        self.data_top = self.row

    def put(self, row: int, col: int, cell: Cell) -> None:
        self.board.cells[(row, col)] = cell

    def table(self, title: str, headers: list[str]) -> int:
        """A table's title and header row; returns the first data row."""
        self.put(self.row, 1, Cell(title, style="heading"))
        for j, h in enumerate(headers, start=1):
            self.put(self.row + 1, j, Cell(h, style="header"))
        first = self.row + 2
        return first

    def close(self, last_row: int, notes: list[str] = ()) -> None:
        for k, note in enumerate(notes):
            self.put(last_row + 1 + k, 1, Cell(note, style="note"))
        self.row = last_row + 2 + len(notes)

    def series(self, name_at: tuple[int, int], cats_at: tuple[int, int, int], vals_col: int, **kw) -> Series:
        """A series whose name is the header cell ``name_at`` and whose categories and values are the rows
        ``cats_at`` = (column, first row, last row) of the table."""
        c_col, r1, r2 = cats_at
        cats = tuple(_text(self.board.cells.get((r, c_col), Cell()).value) for r in range(r1, r2 + 1))
        vals = tuple(_number(self.board.cells.get((r, vals_col), Cell()).value) for r in range(r1, r2 + 1))
        return Series(name=str(self.board.cells[name_at].value), name_ref=range_ref(SHEET, *name_at, *name_at),
                      cats_ref=range_ref(SHEET, r1, c_col, r2, c_col), vals_ref=range_ref(SHEET, r1, vals_col, r2, vals_col),
                      cats=cats, vals=vals, col=vals_col, cats_col=c_col, rows=(r1, r2), **kw)

    def chart(self, **kw) -> None:
        self.board.charts.append(Chart(slot=len(self.board.charts), **kw))


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None or value == ERROR_NA:
        return None
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(v) else v


def _ratio(num: float | None, den: float | None) -> object:
    return num / den if num is not None and den is not None and den > 0 else ERROR_NA


def build_dashboard(outputs: Mapping[str, pd.DataFrame], inputs: Mapping[str, pd.DataFrame],
                    settings: Mapping[str, object], lang: str, headers: Headers) -> Dashboard | None:
    """The dashboard over this run's outputs, or None when none of its charts has data."""
    lang = "zh" if lang == "zh" else "en"
    currency = settings.get("currency") or "CNY"
    as_of = settings.get("as_of_date")
    as_of = as_of if isinstance(as_of, dt.date) else None
    lay = _Layout(lang, currency)

    def source(name: str) -> Source | None:
        frame = outputs.get(name)
        if frame is None or not len(frame):
            return None
        return Source(name, _as_shown(name, frame.reset_index(drop=True), lang), headers(name, frame))

    variance, accruals = source("Out_TargetVariance"), source("Out_Accruals")
    leads, cards = source("Out_LeadScores"), source("Out_PeriodScorecards")
    months = _months(variance, settings)
    figures: list[tuple[str, str, object, str]] = []  # label, formula, value, style
    if variance is not None and months:
        figures += _monthly(lay, variance, months, as_of)
        _regions(lay, variance, inputs.get("Regions"))
    if accruals is not None and months:
        figures += _commission(lay, accruals, variance, months)
    if leads is not None and {"grade", "status"} <= set(leads.frame.columns):
        figures += _leads(lay, leads, inputs.get("GradeBands"))
    if cards is not None:
        figures += _ratings(lay, cards, inputs.get("RatingBands"))
    if not lay.board.charts:
        return None
    _header(lay, settings, as_of)
    _figures(lay, figures)
    return lay.board


def _as_shown(name: str, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Coded columns as the sheet shows them (a Chinese book writes choices by their Chinese labels)."""
    schema = REGISTRY.get(name)
    if schema is None or lang != "zh":
        return frame
    out = frame.copy()
    for col in schema.columns:
        if col.kind is Kind.CHOICE and col.name in out.columns:
            out[col.name] = out[col.name].map(lambda v, c=col: c.choice_label(v, lang) if isinstance(v, str) else v)
    return out


def _months(variance: Source | None, settings: Mapping[str, object]) -> list[str]:
    """The fiscal months: the company rows of the targets when there are any, else from the settings."""
    if variance is not None:
        f = variance.frame
        top = f[pd.to_numeric(f["level"], errors="coerce") == pd.to_numeric(f["level"], errors="coerce").min()]
        found = [p for p in top["period"].astype(str) if _MONTH.match(p)]
        if found:
            return list(dict.fromkeys(found))
    try:
        fy, start = int(settings.get("fiscal_year") or 0), int(settings.get("fiscal_year_start_month") or 1)
    except (TypeError, ValueError):
        return []
    if not fy:
        return []
    first = pd.Timestamp(fy if start == 1 else fy - 1, start, 1)  # as the targets engine counts fiscal years
    return [(first + pd.DateOffset(months=k)).strftime("%Y-%m") for k in range(12)]


def _header(lay: _Layout, settings: Mapping[str, object], as_of: dt.date | None) -> None:
    lang = lay.lang
    lay.put(1, 1, Cell(say(lang, "title"), style="title"))
    lay.board.row_heights[1] = 24.0
    company = str(settings.get("company_name") or "")
    shown = as_of.isoformat() if as_of else "–"
    lay.put(2, 1, Cell(say(lang, "subtitle", company=company, fy=settings.get("fiscal_year") or "", as_of=shown),
                       style="subtitle"))
    lay.put(lay.data_top - 1, 1, Cell(say(lang, "how", row=lay.data_top), style="note"))


def _monthly(lay: _Layout, tv: Source, months: list[str], as_of: dt.date | None) -> list[tuple[str, str, object, str]]:
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
            lay.put(r, 6, Cell(_ratio(a, t), f"IF(B{r}>0,C{r}/B{r},NA())", "percent"))
    future = done is not None and any(m > done for m in months)
    lay.close(last, [say(lang, "future", as_of=as_of.isoformat())] if future and as_of else [])
    monthly_max = max([abs(_number(lay.board.cells[(r, c)].value) or 0) for r in range(top, last + 1) for c in (2, 3)])
    cum_max = max([abs(_number(lay.board.cells[(r, c)].value) or 0) for r in range(top, last + 1) for c in (4, 5)])
    fmt, unit = scaled(lang, lay.currency, monthly_max)
    fmt2, unit2 = scaled(lang, lay.currency, cum_max)
    cats = (1, top, last)
    lay.chart(key="monthly", title=say(lang, "monthly"), category_title=say(lang, "month"),
              axis=Axis(say(lang, "amount", unit=unit), fmt, 0), second_axis=Axis(say(lang, "cumulative", unit=unit2), fmt2, 0),
              series=(lay.series((top - 1, 2), cats, 2, color=LIGHT), lay.series((top - 1, 3), cats, 3, color=NAVY),
                      lay.series((top - 1, 4), cats, 4, kind="line", secondary=True, color=GREY, dashed=True),
                      lay.series((top - 1, 5), cats, 5, kind="line", secondary=True, color=ORANGE)))
    t_sum, a_sum = f"SUM(B{top}:B{last})", f"SUM(C{top}:C{last})"
    t_val = sum(_number(lay.board.cells[(r, 2)].value) or 0 for r in range(top, last + 1))
    a_val = sum(_number(lay.board.cells[(r, 3)].value) or 0 for r in range(top, last + 1))
    return [(say(lang, "fig_target"), t_sum, t_val, "money"), (say(lang, "fig_actual"), a_sum, a_val, "money"),
            (say(lang, "fig_achievement"), f"IF({t_sum}>0,{a_sum}/{t_sum},NA())", _ratio(a_val, t_val), "percent")]


def _region_level(tv: Source) -> float | None:
    """The level whose nodes are regions: the highest one with a region and no rep on its rows."""
    f = tv.frame
    region = f["region_id"].astype(object).map(lambda v: isinstance(v, str) and v != "")
    rep = f["rep_id"].astype(object).map(lambda v: isinstance(v, str) and v != "")
    levels = pd.to_numeric(f.loc[region & ~rep, "level"], errors="coerce").dropna()
    return float(levels.min()) if len(levels) else None


def _regions(lay: _Layout, tv: Source, regions: pd.DataFrame | None) -> None:
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
        ratio = _ratio(a, t)
        lay.put(r, 5, Cell(ratio, f"IF(C{r}>0,D{r}/C{r},NA())", "percent"))
        # ties keep the table's order: an earlier row gets the larger key
        key = (ratio if isinstance(ratio, float) else -1.0) - r / 1e9
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


def _commission(lay: _Layout, ac: Source, tv: Source | None, months: list[str]) -> list[tuple[str, str, object, str]]:
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
            lay.put(r, 3, Cell(_ratio(c, s), f"IF(D{r}>0,B{r}/D{r},NA())", "percent"))
    lay.close(last)
    cost_max = max(abs(_number(lay.board.cells[(r, 2)].value) or 0) for r in range(top, last + 1))
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
    cost_val = sum(_number(lay.board.cells[(r, 2)].value) or 0 for r in range(top, last + 1))
    out = [(say(lang, "fig_cost"), cost_sum, cost_val, "money")]
    if tv is not None:
        sales_sum = f"SUM(D{top}:D{last})"
        sales_val = sum(_number(lay.board.cells[(r, 4)].value) or 0 for r in range(top, last + 1))
        out.append((say(lang, "fig_cost_pct"), f"IF({sales_sum}>0,{cost_sum}/{sales_sum},NA())",
                    _ratio(cost_val, sales_val), "percent"))
    return out


def _ordered(values: pd.Series, bands: pd.DataFrame | None, column: str) -> list[str]:
    """The band codes in the order of their bands table (best first), then any others found, sorted."""
    found = sorted({str(v) for v in values.dropna() if str(v) != ""})
    order: list[str] = []
    if bands is not None and {column, "min_score"} <= set(bands.columns) and len(bands):
        ranked = bands.sort_values("min_score", ascending=False, kind="stable")
        order = [str(v) for v in ranked[column] if pd.notna(v)]
    return list(dict.fromkeys(order + found))


def _leads(lay: _Layout, ls: Source, bands: pd.DataFrame | None) -> list[tuple[str, str, object, str]]:
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
        lay.put(r, 3, Cell(_ratio(w, w + lost), f"IF(D{r}+E{r}>0,D{r}/(D{r}+E{r}),NA())", "percent"))
        lay.put(r, 4, Cell(w, w_f, "count"))
        lay.put(r, 5, Cell(lost, l_f, "count"))
    lay.close(last, [say(lang, "win_rate_note")])
    cats = (1, top, last)
    lay.chart(key="leads", title=say(lang, "leads"), category_title=say(lang, "grade"),
              axis=Axis(say(lang, "lead_count"), COUNT, 0), second_axis=Axis(say(lang, "win_rate"), PERCENT, 0),
              series=(lay.series((top - 1, 2), cats, 2, color=MID, labels=True),
                      lay.series((top - 1, 3), cats, 3, kind="line", secondary=True, color=ORANGE)))
    won, lost = f"SUM(D{top}:D{last})", f"SUM(E{top}:E{last})"
    w_val = sum(_number(lay.board.cells[(r, 4)].value) or 0 for r in range(top, last + 1))
    l_val = sum(_number(lay.board.cells[(r, 5)].value) or 0 for r in range(top, last + 1))
    n_val = sum(_number(lay.board.cells[(r, 2)].value) or 0 for r in range(top, last + 1))
    return [(say(lang, "fig_leads"), f"SUM(B{top}:B{last})", n_val, "count"),
            (say(lang, "fig_win_rate"), f"IF({won}+{lost}>0,{won}/({won}+{lost}),NA())", _ratio(w_val, w_val + l_val),
             "percent")]


def _ratings(lay: _Layout, cards: Source, bands: pd.DataFrame | None) -> list[tuple[str, str, object, str]]:
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
        lay.put(r, 4, Cell(_number(minimum.get(rating)), None, "number"))
    total = float(sum(counts))
    for i in range(len(ratings)):
        r = top + i
        lay.put(r, 3, Cell(_ratio(counts[i], total), f"IF(SUM($B${top}:$B${last})>0,B{r}/SUM($B${top}:$B${last}),NA())",
                           "percent"))
    lay.close(last, [say(lang, "ratings_note")])
    lay.chart(key="ratings", title=say(lang, "ratings", fy=year), category_title=say(lang, "rating"),
              axis=Axis(say(lang, "reps"), COUNT, 0),
              series=(lay.series((top - 1, 2), (1, top, last), 2, color=GREEN, labels=True),))
    return [(say(lang, "fig_rated"), f"SUM(B{top}:B{last})", total, "count")]


def _figures(lay: _Layout, figures: list[tuple[str, str, object, str]]) -> None:
    """The key figures in the grid slot after the last chart: a label and its value, each a formula over
    the tables below."""
    row, col = slot_cells(lay.board.figures_slot)
    lay.put(row + 1, col, Cell(say(lay.lang, "figures"), style="heading"))
    for k, (label, formula, value, style) in enumerate(figures):
        r = row + 3 + 2 * k
        lay.put(r, col, Cell(label, style="label"))
        lay.put(r, col + 2, Cell(value, formula, f"big_{style}"))
        lay.board.row_heights[r] = 21.0


