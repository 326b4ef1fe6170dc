"""Review contexts built from a computed workbook: plain dicts of numbers and text, no DataFrames.

The workbook is read once and indexed once (``ReviewData``); each review's context is then a cheap
lookup, small enough to ship to a worker process or a Dask worker. Every section is optional: when an
engine's output table (or a column it needs) is absent, that section is ``None`` and the template skips it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from salesbook.book.aside import Aside
from salesbook.book.file_book import FileBook
from salesbook.book.runinfo import check_computed
from salesbook.book.validate import load_columns, read_table
from salesbook.errors import InputError
from salesbook.reports import scenarios
from salesbook.reports.periods import Period, parse_period
from salesbook.reports.values import number as _f
from salesbook.reports.values import text as _text
from salesbook.schemas import REGISTRY
from salesbook.schemas.core import ROLE_CHOICES

GRADES = ("A", "B", "C", "D")


@dataclass
class ReviewData:
    """The computed workbook, validated and indexed for quick per-review lookups."""

    settings: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    source: str = ""
    monthly: pd.DataFrame | None = None   # rep_id x month: target, actual (actual from deals when no review)
    mix: pd.DataFrame | None = None       # rep_id x month x product_line: amount (booked deals)
    extras: dict[str, Any] = field(default_factory=dict)

    def has(self, table: str, *columns: str) -> bool:
        frame = self.tables.get(table)
        return frame is not None and len(frame) > 0 and all(c in frame.columns for c in columns)


_PAY_COLUMNS = ("quota", "credited", "attainment", "earned", "spiffs", "overrides", "clawbacks", "payable")
_UNIT_COLUMNS = ("quota_quantity", "credited_quantity")   # a statement of a plan paying per unit
_CARD_COLUMNS = ("name", "aggregate", "actual", "target", "attainment", "score", "weight", "weighted_score", "total",
                 "rating", "bonus", "bonus_formula", "bonus_basis", "bonus_count", "rank_in_region", "rank_of", "through", "months")

# What the reviews read of a computed book: table -> the columns they use (None: all). Nothing else is read:
# the other inputs and results (most of a large book) only have their fingerprints checked (``check_computed``).
_REVIEW_INPUTS: dict[str, tuple[str, ...] | None] = {
    # small tables are read whole: what reviews and packs look up in them grows with every feature
    "Settings": None, "Reps": None, "Regions": None, "Products": None, "RatingBands": None,
    # the large ones for the columns used (doc_type: a credit note typed with a positive amount counts negative)
    "Deals": ("rep_id", "date", "product_id", "amount", "status", "doc_type"),
    # which plans pay per unit: their statements show units
    "Plans": ("plan_id", "commission_base")}
_REVIEW_RESULTS: dict[str, tuple[str, ...] | None] = {
    "Out_TargetReview": ("rep_id", "period", "measure", "target", "actual"),
    "Out_Statements": ("rep_id", "period", "plan_id", *_PAY_COLUMNS, *_UNIT_COLUMNS),
    "Out_PeriodScorecards": ("period_kind", "period", "rep_id", *_CARD_COLUMNS),
    "Out_Scorecards": ("rep_id", "period", *_CARD_COLUMNS),   # only from a book without Out_PeriodScorecards
    "Out_LeadScores": ("assigned_rep", "grade", "overdue")}
_SCENARIO_INPUTS: dict[str, tuple[str, ...] | None] = {"Settings": None, "Scenarios": None}
_SCENARIO_RESULTS: dict[str, tuple[str, ...] | None] = {"Out_Scenarios": None, "Out_ScenarioReps": None}


def review_reads(per: str | None, present: set[str]) -> tuple[dict[str, tuple[str, ...] | None],
                                                               dict[str, tuple[str, ...] | None]]:
    """(inputs, results) the reviews ``per`` (None: every kind) read from a book holding the tables ``present``."""
    inputs: dict[str, tuple[str, ...] | None] = {}
    results: dict[str, tuple[str, ...] | None] = {}
    if per != "scenarios":
        inputs.update(_REVIEW_INPUTS)
        results.update(_REVIEW_RESULTS)
        if "Out_PeriodScorecards" in present:
            del results["Out_Scorecards"]
    if per in (None, "scenarios"):
        inputs.update(_SCENARIO_INPUTS)
        results.update(_SCENARIO_RESULTS)
    return inputs, {n: c for n, c in results.items() if n in present}


def load_review_data(path: str | Path, notes: list | None = None, per: str | None = None,
                     recipients: bool = False, parallel: bool = False) -> ReviewData:
    """The inputs and results the reviews ``per`` (rep, region, company, scenarios; None: all) show, each
    read for the columns they use and checked as validation checks it; nothing else of the book is read.

    A book that was never computed is refused; ``notes`` gets a warning when its inputs changed since.
    ``parallel``: the results tables are read in a second process meanwhile (see ``aside``); the tables, and
    the first problem reported, are the same either way."""
    path = Path(path)
    with Aside(_read_results, path, per, parallel=parallel) as results_aside, FileBook(path) as book:
        stale = check_computed(book)
        if notes is not None:
            notes.extend(stale)
        inputs, _ = review_reads(per, set(book.table_names()))
        if recipients:  # a protected run: who receives what, and with which password
            inputs["Recipients"] = None
        loaded = load_columns(book, inputs)
        tables = dict(loaded.tables)
        if results_aside.forked:
            tables.update(results_aside.result())
        else:
            tables.update(_results(book, per))
    data = index_review_data(loaded.settings, tables, source=path.name)
    data.extras["locator"] = loaded.locator  # where each table and column is, for findings made later
    return data


def _read_results(path: Path, per: str | None) -> dict[str, pd.DataFrame]:
    with FileBook(path) as book:
        return _results(book, per)


def _results(book: FileBook, per: str | None) -> dict[str, pd.DataFrame]:
    """The Out_ tables the reviews ``per`` read, checked; a problem in one stops the reading."""
    _, results = review_reads(per, set(book.table_names()))
    tables = {}
    for name, columns in results.items():
        raw = book.read_columns(name, columns) if columns is not None else book.read_raw(name)
        if raw is None or raw.n_rows == 0:
            continue
        frame, problems, _ = read_table(raw, REGISTRY[name], columns=columns)
        if problems:
            raise InputError(problems)
        tables[name] = frame
    return tables


def index_review_data(settings: dict[str, Any], tables: dict[str, pd.DataFrame], source: str = "") -> ReviewData:
    data = ReviewData(settings=dict(settings), tables=tables, source=source)
    deals = tables.get("Deals")
    if deals is not None and len(deals):
        d = deals[deals["status"].fillna("booked").eq("booked")].copy()
        d["month"] = pd.to_datetime(d["date"]).dt.strftime("%Y-%m")
        products = tables.get("Products")
        if products is not None and len(products):
            d = d.merge(products[["product_id", "product_line"]], on="product_id", how="left")
        else:
            d["product_line"] = d["product_id"]
        d["product_line"] = d["product_line"].fillna(d["product_id"]).astype(str)
        data.mix = d.groupby(["rep_id", "month", "product_line"], observed=True)["amount"].sum().reset_index()
    if data.has("Out_TargetReview", "rep_id", "period", "target", "actual"):
        r = tables["Out_TargetReview"]
        if "measure" in r:  # the reviews chart money; targets in units have rows of their own
            r = r[r["measure"].fillna("amount").eq("amount")]
        data.monthly = r[r["period"].astype(str).str.match(r"^\d{4}-\d{2}$")][["rep_id", "period", "target", "actual"]] \
            .rename(columns={"period": "month"}).astype({"target": float, "actual": float})
    elif data.mix is not None:
        m = data.mix.groupby(["rep_id", "month"])["amount"].sum().reset_index().rename(columns={"amount": "actual"})
        m["target"] = math.nan
        data.monthly = m
    return data


# -- helpers ---------------------------------------------------------------------------------------
def _sum(rows: list[dict[str, Any]], key: str) -> float | None:
    """Sum of a column over rows, None when no row has it (unknown is not 0)."""
    vals = [r.get(key) for r in rows if r.get(key) is not None]
    return sum(vals) if vals else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _role_label(role: str, lang: str) -> str:
    for c in ROLE_CHOICES:
        if c.value == role:
            return c.zh if lang == "zh" else c.value.capitalize()
    return role


def as_of_date(data: ReviewData) -> pd.Timestamp:
    """The workbook's as-of date (blank: today, as the setting says)."""
    raw = data.settings.get("as_of_date")
    try:
        return pd.Timestamp(raw).normalize() if raw not in (None, "") and not pd.isna(raw) else pd.Timestamp.today().normalize()
    except (TypeError, ValueError):
        return pd.Timestamp.today().normalize()


def reported_months(data: ReviewData, months: list[str]) -> list[str]:
    """The months of ``months`` that have started by the as-of date (later ones have no results yet)."""
    cut = as_of_date(data).strftime("%Y-%m")
    return [m for m in months if m <= cut]


def common(data: ReviewData, period: Period, lang: str) -> dict[str, Any]:
    s = data.settings
    months = list(period.months)
    done = reported_months(data, months)
    return {"lang": lang, "company": _text(s.get("company_name")) or "salesbook", "currency": _text(s.get("currency")) or "CNY",
            "period": {"key": period.key, "kind": period.kind, "label": period.label(lang),
                       "months": months, "ytd": list(period.year_months)},
            "as_of": as_of_date(data).strftime("%Y-%m-%d"),
            # to date: the period is under way (some months not yet), or not begun (none reported)
            "to_date": {"partial": len(done) < len(months), "first": months[0] if months else None,
                        "last": done[-1] if done else None, "months": len(done), "of": len(months)}}


def _reps(data: ReviewData) -> pd.DataFrame:
    return data.tables["Reps"].set_index("rep_id", drop=False)


def _region_names(data: ReviewData) -> dict[str, str]:
    regions = data.tables.get("Regions")
    if regions is None or not len(regions):
        return {}
    return {str(k): _text(v) for k, v in zip(regions["region_id"], regions["name"], strict=True)}


@dataclass
class PeriodIndex:
    """Everything the reviews of one period need, grouped by rep once with vectorised pandas and kept
    as plain dicts; building 1,000 contexts is then dictionary lookups, not 1,000 DataFrame filters."""

    monthly: dict[str, dict[str, tuple[float | None, float | None]]]   # rep -> month -> (target, actual)
    mix: dict[str, dict[str, float]]                                     # rep -> product line -> amount
    kpi: dict[str, dict[str, Any]]                                       # rep -> KPI section
    commission: dict[str, dict[str, Any]]                                # rep -> statement section
    leads: dict[str, dict[str, tuple[int, int | None]]]                  # rep -> grade -> (count, overdue)
    leads_overdue: bool
    totals: dict[str, dict[str, Any]]                                    # rep -> target/actual/achievement/rank
    reps: dict[str, dict[str, str]]                                      # rep -> name, region_id, role
    regions: dict[str, str]
    has_target: bool
    done: set[str] = field(default_factory=set)                           # months begun by the as-of date


def period_index(data: ReviewData, period: Period) -> PeriodIndex:
    key = ("index", period.key)
    if key not in data.extras:
        data.extras[key] = _build_index(data, period)
    return data.extras[key]


def _build_index(data: ReviewData, period: Period) -> PeriodIndex:
    months, ytd = list(period.months), list(period.year_months)
    done = set(reported_months(data, ytd))
    reps_frame = data.tables["Reps"]
    reps = {str(r): {"name": _text(n), "region_id": _text(g), "role": _text(o)}
            for r, n, g, o in zip(reps_frame["rep_id"], reps_frame["name"], reps_frame["region_id"], reps_frame["role"],
                                  strict=True)}
    monthly: dict[str, dict[str, tuple[float | None, float | None]]] = {}
    has_target = False
    if data.monthly is not None:
        m = data.monthly[data.monthly["month"].isin(ytd)]
        for rep, month, t, a in zip(m["rep_id"], m["month"], m["target"], m["actual"], strict=True):
            cell = monthly.setdefault(str(rep), {})
            old_t, old_a = cell.get(month, (None, None))
            t, a = _f(t), (_f(a) if month in done else None)   # a month not begun has no actual yet (not 0)
            has_target = has_target or t is not None
            cell[month] = (t if old_t is None else old_t + (t or 0.0), a if old_a is None else old_a + (a or 0.0))
    totals = _totals(monthly, months, reps, done)
    mix: dict[str, dict[str, float]] = {}
    if data.mix is not None:
        g = data.mix[data.mix["month"].isin(months)].groupby(["rep_id", "product_line"])["amount"].sum()
        for (rep, line), v in g.items():
            mix.setdefault(str(rep), {})[str(line)] = float(v)
    leads: dict[str, dict[str, tuple[int, int | None]]] = {}
    overdue_known = False
    if data.has("Out_LeadScores", "assigned_rep", "grade"):
        ls = data.tables["Out_LeadScores"]
        overdue_known = "overdue" in ls.columns
        frame = pd.DataFrame({"rep": ls["assigned_rep"], "grade": ls["grade"],
                              "overdue": ls["overdue"].fillna(False).astype(bool) if overdue_known else False})
        g = frame.groupby(["rep", "grade"]).agg(count=("grade", "size"), overdue=("overdue", "sum"))
        for (rep, grade), row in g.iterrows():
            leads.setdefault(str(rep), {})[str(grade)] = (int(row["count"]), int(row["overdue"]) if overdue_known else None)
    return PeriodIndex(monthly=monthly, mix=mix, kpi=_kpi_index(data, period), commission=_commission_index(data, months),
                       leads=leads, leads_overdue=overdue_known, totals=totals, reps=reps,
                       regions=_region_names(data), has_target=has_target, done=done)


def _totals(monthly: dict, months: list[str], reps: dict[str, dict[str, str]], done: set[str]) -> dict[str, dict[str, Any]]:
    """Period target (whole period and to date), actual to date per rep, achievement = actual / target to
    date, and the rank by that achievement within the rep's region."""
    out: dict[str, dict[str, Any]] = {}
    for rep, cells in monthly.items():
        ts = [cells[m][0] for m in months if m in cells and cells[m][0] is not None]
        tds = [cells[m][0] for m in months if m in done and m in cells and cells[m][0] is not None]
        acts = [cells[m][1] for m in months if m in cells and cells[m][1] is not None]
        if not ts and not acts:
            continue
        t = sum(ts) if ts else None
        td = sum(tds) if tds else None
        a = sum(acts) if acts else (0.0 if any(m in done for m in months) else None)
        out[rep] = {"target": t, "target_to_date": td, "actual": a, "achievement": _ratio(a, td),
                    "region_id": reps.get(rep, {}).get("region_id", "")}
    by_region: dict[str, list[str]] = {}
    for rep, row in out.items():
        by_region.setdefault(row["region_id"], []).append(rep)
    for members in by_region.values():
        scores = {r: (out[r]["achievement"] if out[r]["achievement"] is not None else -1.0) for r in members}
        ordered = sorted(members, key=lambda r: (-scores[r], -(out[r]["actual"] or 0.0), r))
        ranked = [r for r in members if out[r]["achievement"] is not None]
        for rep in ordered:  # competition ranking: ties share the better rank; no achievement, no rank
            known = out[rep]["achievement"] is not None
            out[rep]["rank"] = 1 + sum(1 for other in ranked if scores[other] > scores[rep]) if known else None
            out[rep]["rank_of"] = len(ranked) if known else None
        by_region[out[ordered[0]]["region_id"]] = ordered
    for rep in out:
        out[rep]["peers"] = by_region[out[rep]["region_id"]]
    return out


_KPI_COLUMNS = ("actual", "target", "attainment", "score", "weight", "weighted_score")


def _kpi_index(data: ReviewData, period: Period) -> dict[str, dict[str, Any]]:
    """Each rep's scorecard of exactly this period, as the engine made it (Out_PeriodScorecards); from an
    older workbook without that table, Out_Scorecards' rows of this period if its grain is the period's."""
    if data.has("Out_PeriodScorecards", "period_kind", "period", "rep_id", "name", "score"):
        c = data.tables["Out_PeriodScorecards"]
        c = c[(c["period_kind"].astype(str) == period.kind) & (c["period"].astype(str) == period.key)]
    elif data.has("Out_Scorecards", "rep_id", "period", "name", "score"):
        c = data.tables["Out_Scorecards"]
        c = c[c["period"].astype(str) == period.key]
    else:
        return {}
    if not len(c):
        return {}
    pay = _text(data.settings.get("scorecard_period")) or "month"
    bands = []
    if data.has("RatingBands", "rating", "min_score"):
        b = data.tables["RatingBands"].sort_values("min_score", ascending=False)
        bands = [{"rating": _text(r), "min_score": _f(m)} for r, m in zip(b["rating"], b["min_score"], strict=True)]
    out: dict[str, dict[str, Any]] = {}
    for rep, rows in c.groupby("rep_id", sort=False):
        first = rows.iloc[0]

        def pick(col: str, rows: pd.DataFrame = rows, first: pd.Series = first) -> Any:
            return first[col] if col in rows.columns else None

        rank, of = _f(pick("rank_in_region")), _f(pick("rank_of"))
        out[str(rep)] = {
            "rows": [{"name": _text(r["name"]), "aggregate": _text(r.get("aggregate")) or "sum",
                      **{x: _f(r[x]) if x in rows.columns else None for x in _KPI_COLUMNS}}
                     for _, r in rows.iterrows()],
            "total": _f(pick("total")), "rating": _text(pick("rating")), "bonus": _f(pick("bonus")),
            "bonus_formula": _text(pick("bonus_formula")) or None,
            "bonus_basis": _text(pick("bonus_basis")) or pay, "bonus_count": int(_f(pick("bonus_count")) or 0),
            "rank_in_region": int(rank) if rank else None, "rank_of": int(of) if of else None,
            "through": _text(pick("through")) or None, "months": int(_f(pick("months")) or 0), "bands": bands}
    return out


def _commission_index(data: ReviewData, months: list[str]) -> dict[str, dict[str, Any]]:
    if not data.has("Out_Statements", "rep_id", "period", "payable"):
        return {}
    st = data.tables["Out_Statements"]
    st = st[st["period"].isin(months)]
    cols = [c for c in ("quota", "credited", "attainment", "earned", "spiffs", "overrides", "clawbacks", "payable")
            if c in st.columns]
    units = [c for c in _UNIT_COLUMNS if c in st.columns]
    # reps paid per unit: their quota and attainment are in units, shown beside the money credited
    by_units = set(st.loc[st["plan_id"].isin(_unit_plans(data)), "rep_id"].astype(str)) \
        if units and "plan_id" in st.columns else set()
    unit_cols = ["quota_quantity", "credited_quantity", *[c for c in cols if c != "quota"]] if by_units else cols
    sums = [c for c in cols if c != "attainment"] + (units if by_units else [])
    agg = {c: (c, _sum_of_known if c in _UNIT_COLUMNS else "sum") for c in sums}
    if "attainment" in cols:
        agg["attainment"] = ("attainment", "mean")
    by = st.groupby(["rep_id", "period"], sort=True).agg(**agg)
    out: dict[str, dict[str, Any]] = {}
    for (rep, period), row in by.iterrows():
        shown = unit_cols if str(rep) in by_units else cols
        sec = out.setdefault(str(rep), {"rows": [], "columns": shown, "total": dict.fromkeys(
            [c for c in shown if c not in ("attainment", "quota", "quota_quantity")], 0.0)})
        sec["rows"].append({"period": str(period), **{c: _f(row[c]) for c in shown}})
        for c in sec["total"]:
            sec["total"][c] += _f(row[c]) or 0.0
    for sec in out.values():  # adjustments nobody had this period (often SPIFFs, clawbacks) are left out
        sec["columns"] = [c for c in sec["columns"] if c not in _OPTIONAL_PAY
                          or any(abs(r[c] or 0.0) > 0.005 for r in sec["rows"])]
        sec["columns"] = [c for c in sec["columns"] if c != "quota_quantity"   # a plan paid per unit without a quota
                          or any(r[c] is not None for r in sec["rows"])]
    return out


_OPTIONAL_PAY = ("spiffs", "overrides", "clawbacks")


def _sum_of_known(values: pd.Series) -> float:
    """A sum that stays blank when nothing was known (no unit quota is not a quota of 0 units)."""
    return values.sum(min_count=1)


def _unit_plans(data: ReviewData) -> set[object]:
    """Plans paying per unit (Plans' commission base = quantity)."""
    plans = data.tables.get("Plans")
    if plans is None or not len(plans) or "commission_base" not in plans:
        return set()
    return set(plans.loc[plans["commission_base"].astype(object).eq("quantity").to_numpy(dtype=bool), "plan_id"])


def _series(ix: PeriodIndex, rep_ids: list[str], months: list[str], done: set[str]) -> dict[str, Any] | None:
    """Monthly target/actual summed over reps, with cumulative figures for the trend line; months after the
    as-of date (not in ``done``) have a target but no actual yet."""
    cells = [ix.monthly[r] for r in rep_ids if r in ix.monthly]
    if not cells:
        return None
    rows, ct, ca, ctd = [], 0.0, 0.0, 0.0
    for month in months:
        ts = [c[month][0] for c in cells if month in c and c[month][0] is not None]
        acts = [c[month][1] for c in cells if month in c and c[month][1] is not None]
        t = sum(ts) if ts else None
        a = sum(acts) if acts else None
        future = month not in done
        ct += t or 0.0
        if not future:
            ctd += t or 0.0
            ca += a or 0.0
        # a month not begun: "not yet" (no actual, no achievement) in the table, left out of the lines
        rows.append({"month": month, "target": t, "actual": None if future else a, "future": future,
                     "achievement": None if future else _ratio(a, t),
                     "cum_target": ct if ix.has_target and not future else None,
                     "cum_actual": None if future else ca})
    total_target = ct if ix.has_target else None
    to_date = ctd if ix.has_target and done else None
    actual = ca if done else None
    return {"rows": rows, "has_target": ix.has_target, "partial": len(done) < len(months),
            "total": {"target": total_target, "actual": actual, "achievement": _ratio(actual, to_date),
                      "target_to_date": to_date}}


def _mix(ix: PeriodIndex, rep_ids: list[str]) -> dict[str, Any] | None:
    lines: dict[str, float] = {}
    for rep in rep_ids:
        for line, v in ix.mix.get(rep, {}).items():
            lines[line] = lines.get(line, 0.0) + v
    total = sum(lines.values())
    if not lines or total <= 0:
        return None
    ordered = sorted(lines.items(), key=lambda kv: (-kv[1], kv[0]))
    return {"rows": [{"line": k, "amount": v, "share": v / total} for k, v in ordered], "total": total}


def _leads(ix: PeriodIndex, rep_ids: list[str]) -> dict[str, Any] | None:
    grades: dict[str, list[int]] = {}
    for rep in rep_ids:
        for grade, (n, late) in ix.leads.get(rep, {}).items():
            cell = grades.setdefault(grade, [0, 0])
            cell[0] += n
            cell[1] += late or 0
    if not grades:
        return None
    order = [g for g in GRADES if g in grades] + sorted(g for g in grades if g not in GRADES)
    rows = [{"grade": g, "count": grades[g][0], "overdue": grades[g][1] if ix.leads_overdue else None} for g in order]
    return {"rows": rows, "total": sum(r["count"] for r in rows),
            "overdue": sum(grades[g][1] for g in order) if ix.leads_overdue else None}


# -- the three reviews -------------------------------------------------------------------------------
def rep_context(data: ReviewData, rep_id: str, period: Period, lang: str) -> dict[str, Any]:
    ix = period_index(data, period)
    rep = ix.reps[rep_id]
    region_id = rep["region_id"]
    mine = ix.totals.get(rep_id)
    peers = None
    if mine is not None and mine.get("rank") is not None:  # no target, no achievement: nothing to rank by
        order = mine["peers"]
        at = order.index(rep_id)
        keep = sorted(set(range(min(3, len(order)))) | {i for i in (at - 1, at, at + 1) if 0 <= i < len(order)})
        peers = [{"name": ix.reps.get(order[i], {}).get("name", order[i]), "me": order[i] == rep_id,
                  "gap": n > 0 and keep[n - 1] != i - 1,
                  **{k: ix.totals[order[i]][k] for k in ("target", "actual", "achievement", "rank")}}
                 for n, i in enumerate(keep)]
    ctx = common(data, period, lang)
    commission = ix.commission.get(rep_id)
    ctx.update(kind="rep", key=rep_id,
               subject={"id": rep_id, "name": rep["name"], "region_id": region_id,
                        "region": ix.regions.get(region_id, region_id), "role": _role_label(rep["role"], lang)},
               summary={k: (mine or {}).get(k) for k in ("target", "target_to_date", "actual", "achievement", "rank",
                                                          "rank_of")},
               trend=_series(ix, [rep_id], list(period.year_months), ix.done), mix=_mix(ix, [rep_id]),
               kpi=ix.kpi.get(rep_id), commission=commission, leads=_leads(ix, [rep_id]), peers=peers)
    if commission:
        ctx["summary"]["payable"] = commission["total"].get("payable")
    return ctx


def region_context(data: ReviewData, region_id: str, period: Period, lang: str,
                   leave_out: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A region's review; ``leave_out`` drops reps from it (and from its totals): a pack for the region's manager
    leaves out the manager's own superiors."""
    ix = period_index(data, period)
    members = [r for r, v in ix.reps.items() if v["region_id"] == region_id and r not in leave_out]
    rows = []
    for rid in members:
        t = ix.totals.get(rid, {})
        kpi = ix.kpi.get(rid) or {}
        com = ix.commission.get(rid)
        rows.append({"id": rid, "name": ix.reps[rid]["name"], "role": _role_label(ix.reps[rid]["role"], lang),
                     "target": t.get("target"), "target_to_date": t.get("target_to_date"), "actual": t.get("actual"),
                     "achievement": t.get("achievement"),
                     "rank": t.get("rank"), "kpi_total": kpi.get("total"), "rating": kpi.get("rating", ""),
                     "payable": com["total"].get("payable") if com else None})
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, -(r["actual"] or 0), r["id"]))
    target, to_date, actual = _sum(rows, "target"), _sum(rows, "target_to_date"), _sum(rows, "actual")
    ctx = common(data, period, lang)
    manager = ""
    regions = data.tables.get("Regions")
    if regions is not None and len(regions):
        mid = _text(regions.set_index("region_id")["manager_id"].get(region_id))
        manager = ix.reps.get(mid, {}).get("name", "")
    payables = [r["payable"] for r in rows if r["payable"] is not None]
    ctx.update(kind="region", key=region_id,
               subject={"id": region_id, "name": ix.regions.get(region_id, region_id), "manager": manager,
                        "reps": len(rows)},
               summary={"target": target, "target_to_date": to_date, "actual": actual,
                        "achievement": _ratio(actual, to_date), "payable": sum(payables) if payables else None},
               reps=rows, trend=_series(ix, members, list(period.year_months), ix.done), mix=_mix(ix, members),
               leads=_leads(ix, members))
    return ctx


def company_context(data: ReviewData, period: Period, lang: str) -> dict[str, Any]:
    ix = period_index(data, period)
    regions = []
    for region_id in sorted({v["region_id"] for v in ix.reps.values()}):
        members = [r for r, v in ix.reps.items() if v["region_id"] == region_id]
        cells = [ix.totals[r] for r in members if r in ix.totals]
        target, to_date, actual = _sum(cells, "target"), _sum(cells, "target_to_date"), _sum(cells, "actual")
        regions.append({"id": region_id, "name": ix.regions.get(region_id, region_id), "reps": len(members),
                        "target": target, "target_to_date": to_date, "actual": actual,
                        "achievement": _ratio(actual, to_date)})
    regions.sort(key=lambda r: (-(r["achievement"] or -1), r["id"]))
    ranked = sorted(ix.totals.items(), key=lambda kv: (-(kv[1]["achievement"] or -1), -(kv[1]["actual"] or 0), kv[0]))
    leaders = [{"name": ix.reps.get(r, {}).get("name", r), "region": ix.regions.get(v["region_id"], v["region_id"]),
                **{k: v[k] for k in ("target", "target_to_date", "actual", "achievement")}}
               for r, v in ranked[:10] if v["achievement"] is not None]
    target, to_date, actual = _sum(regions, "target"), _sum(regions, "target_to_date"), _sum(regions, "actual")
    all_reps = list(ix.reps)
    payables = [sec["total"].get("payable") or 0.0 for sec in ix.commission.values()]
    ctx = common(data, period, lang)
    ctx.update(kind="company", key="company",
               subject={"id": "company", "name": ctx["company"], "reps": len(all_reps), "regions": len(regions)},
               summary={"target": target, "target_to_date": to_date, "actual": actual,
                        "achievement": _ratio(actual, to_date), "payable": sum(payables) if ix.commission else None},
               regions=regions, leaders=leaders, trend=_series(ix, all_reps, list(period.year_months), ix.done),
               mix=_mix(ix, all_reps), leads=_leads(ix, all_reps))
    return ctx


def review_keys(data: ReviewData, per: str) -> list[str]:
    """Which reviews a batch makes: every rep, every region with reps, or the company."""
    if per == "scenarios":
        return scenarios.scenario_keys(data)
    reps = data.tables["Reps"]
    if per == "rep":
        return [str(x) for x in reps["rep_id"]]
    if per == "region":
        return sorted({str(x) for x in reps["region_id"].dropna()})
    return ["company"]


def build_context(data: ReviewData, per: str, key: str, period: Period, lang: str) -> dict[str, Any]:
    if per == "rep":
        return rep_context(data, key, period, lang)
    if per == "region":
        return region_context(data, key, period, lang)
    if per == "scenarios":
        return scenarios.scenario_context(data, lang, common(data, period, lang))
    return company_context(data, period, lang)


def period_for(data: ReviewData, text: str | None) -> Period:
    s = data.settings
    return parse_period(text, fiscal_year=int(s.get("fiscal_year") or 2026),
                        start_month=int(s.get("fiscal_year_start_month") or 1))
