"""Top-down target decomposition: company -> product line -> region -> rep (any order), then months.

Every set of children sums exactly to its parent in the rounding unit (largest remainder), except
where padding (over-assignment) is asked for, which is reported as such.  Methods per level: even,
prior-year share, trailing-12-month share, a weight column, or a blend; per-node growth uplift,
locks (siblings rebalance), min/max, new-hire ramp and proration for hires and leavers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salesbook.engines.allocation import split_rows
from salesbook.engines.money import round_half_away, to_decimal
from salesbook.errors import InputError, Problem, problem

DIMENSIONS = ("product_line", "region_id", "rep_id")
METHODS = ("even", "prior_year", "trailing_12m", "weight", "blend")
UNASSIGNED = "(unassigned)"


@dataclass(frozen=True)
class Level:
    dimension: str                     # one of DIMENSIONS
    method: str = "prior_year"         # one of METHODS
    weight_column: str | None = None   # Reps column (rep level) for method "weight"
    blend: tuple[tuple[str, float], ...] = ()  # e.g. (("prior_year", 0.7), ("even", 0.3))
    padding: float = 0.0               # over-assignment: children total parent x (1 + padding)


@dataclass
class TargetResult:
    targets: pd.DataFrame        # long form, every node x period
    by_month: pd.DataFrame       # rep x period wide sheet
    review: pd.DataFrame         # rep x period: target, actual, achievement; commitments gap


@dataclass
class _Node:
    path: dict[str, str]
    units: int
    explanation: list[str] = field(default_factory=list)
    method: str = ""


TEXT = {
    "en": {"even": "even split", "prior_year": "of prior-year actuals", "trailing_12m": "of trailing-12-month actuals",
           "weight": "by {col}", "share": "{dim} share {pct}", "growth": "{g:+.0%} growth", "locked": "locked at {amt}",
           "padding": "padding {p:.0%} at this level", "no_history": "no history: even split",
           "season": "season {pct}", "ramp": "ramp/proration {r:.0%} (tenure month {m})", "active": "active {d}/{n} days",
           "unassigned": "not assigned: rep not yet hired / already left", "min": "raised to minimum",
           "max": "capped at maximum", "blend": "blend {parts}", "company": "company target",
           "product_line": "product line", "region_id": "region", "rep_id": "rep", "no_reps": "no rep sells this here",
           "off": "not employed this month"},
    "zh": {"even": "平均分配", "prior_year": "上年实际", "trailing_12m": "近12个月实际", "weight": "按{col}",
           "share": "{dim}占比 {pct}", "growth": "增长调整 {g:+.0%}", "locked": "锁定为 {amt}",
           "padding": "本层加码 {p:.0%}", "no_history": "无历史数据：平均分配", "season": "季节占比 {pct}",
           "ramp": "爬坡/折算 {r:.0%}（入职第 {m} 个月）", "active": "在岗 {d}/{n} 天", "unassigned": "未分配：未入职或已离职",
           "min": "提高到下限", "max": "封顶到上限", "blend": "混合 {parts}", "company": "公司目标",
           "product_line": "产品线", "region_id": "区域", "rep_id": "代表", "no_reps": "该区域无人销售此产品线", "off": "本月不在岗"},
}


def _t(lang: str, key: str, **kw: object) -> str:
    return TEXT["zh" if lang == "zh" else "en"][key].format(**kw)


def check_seasonality(seasonality: pd.DataFrame, periods: int = 12) -> np.ndarray:
    """Monthly shares as an array of 12; they must cover months 1..12 and total 100%."""
    problems: list[Problem] = []
    shares = np.zeros(12)
    for row, month, share in zip(seasonality.index, seasonality["month"], seasonality["share"], strict=True):
        if pd.isna(month) or not 1 <= int(month) <= 12:
            problems.append(problem("month must be 1 to 12.", "月份必须是 1 到 12。", table="Seasonality", row=row,
                                    column="month"))
            continue
        shares[int(month) - 1] = float(share)
    if problems:
        raise InputError(problems)
    missing = sorted(set(range(1, 13)) - {int(m) for m in seasonality["month"].dropna()})
    total = shares.sum()
    if missing:
        raise InputError(problem("months {m} are missing; give a share for every month 1-12.",
                                 "缺少第 {m} 月；请为 1-12 每个月填写占比。", table="Seasonality", column="month",
                                 m=", ".join(map(str, missing))))
    if abs(total - 1.0) > 1e-6:
        raise InputError(problem("the monthly shares total {t:.4%}, not 100%.", "各月占比合计为 {t:.4%}，不是 100%。",
                                 table="Seasonality", column="share", t=total))
    return shares


def _months(fiscal_year: int, start_month: int) -> list[pd.Timestamp]:
    first = pd.Timestamp(fiscal_year if start_month == 1 else fiscal_year - 1, start_month, 1)
    return [first + pd.DateOffset(months=i) for i in range(12)]


def rep_availability(reps: pd.DataFrame, months: list[pd.Timestamp], ramp: Sequence[float]) -> np.ndarray:
    """(reps x 12) share of a full month's target each rep can carry: days employed x ramp by tenure."""
    hire = pd.to_datetime(reps["hire_date"]).to_numpy()
    leave = pd.to_datetime(reps["leave_date"]).to_numpy()
    out = np.zeros((len(reps), 12))
    for j, m in enumerate(months):
        start = np.datetime64(m, "D")
        end = np.datetime64(m + pd.offsets.MonthEnd(0), "D")
        days = (end - start).astype(int) + 1
        first = np.maximum(start, hire.astype("datetime64[D]"))
        last = np.where(pd.isna(leave), end, np.minimum(end, leave.astype("datetime64[D]")))
        active = np.clip((last - first).astype(int) + 1, 0, days) / days
        hire_m = pd.DatetimeIndex(hire).to_period("M")
        tenure = (m.year - hire_m.year) * 12 + (m.month - hire_m.month) + 1
        tenure = np.asarray(tenure)
        ramp_share = np.array([ramp[t - 1] if 1 <= t <= len(ramp) else (1.0 if t > 0 else 0.0) for t in tenure])
        out[:, j] = active * ramp_share
    return out


def _history_weights(history: pd.DataFrame, keys: pd.DataFrame, path_dims: list[str], dim: str,
                     window: tuple[pd.Timestamp, pd.Timestamp]) -> np.ndarray:
    h = history[(history["period"] >= window[0]) & (history["period"] < window[1])]
    by = h.groupby([*path_dims, dim], dropna=False)["amount"].sum()
    idx = pd.MultiIndex.from_frame(keys[[*path_dims, dim]]) if path_dims else pd.Index(keys[dim])
    return np.clip(by.reindex(idx).fillna(0.0).to_numpy(), 0, None)


def decompose_targets(
    company_target: float,
    *,
    products: pd.DataFrame,
    regions: pd.DataFrame,
    reps: pd.DataFrame,
    history: pd.DataFrame,
    seasonality: pd.DataFrame,
    levels: Sequence[Level] = (Level("product_line"), Level("region_id"), Level("rep_id")),
    fiscal_year: int = 2026,
    fiscal_start_month: int = 1,
    unit: float = 1.0,
    adjustments: pd.DataFrame | None = None,
    ramp: Sequence[float] = (),
    freed: str = "redistribute",
    deals: pd.DataFrame | None = None,
    credits: pd.DataFrame | None = None,
    commitments: pd.DataFrame | None = None,
    lang: str = "en",
) -> TargetResult:
    """Run the whole plan from DataFrames (canonical columns as in the schema registry)."""
    dims = [lv.dimension for lv in levels]
    if sorted(dims) != sorted(DIMENSIONS) or dims[-1] != "rep_id":
        raise InputError(problem("the hierarchy must use product_line, region_id and rep_id once each, rep last.",
                                 "层级须包含产品线、区域、代表各一次，且代表在最后。", table="TargetLevels"))
    for lv in levels:
        if lv.method not in METHODS:
            raise InputError(problem("unknown method '{m}'; use one of {ms}.", "未知方法“{m}”；可选 {ms}。",
                                     table="TargetLevels", m=lv.method, ms=", ".join(METHODS)))
    season = check_seasonality(seasonality)
    u = float(unit)
    months = _months(fiscal_year, fiscal_start_month)
    plan_start = months[0]
    window_py = (plan_start - pd.DateOffset(years=1), plan_start)
    if len(history):
        last = history["period"].max() + pd.offsets.MonthBegin(1)
        window_t12 = (last - pd.DateOffset(years=1), last)
    else:
        window_t12 = window_py
    hist = history.merge(products[["product_id", "product_line"]], on="product_id", how="left")

    active_lines = products.loc[products["active"].fillna(True).astype(bool), "product_line"].dropna().unique()
    plan_end = months[-1] + pd.offsets.MonthEnd(0)
    reps = reps.copy()
    in_year = (pd.to_datetime(reps["hire_date"]) <= plan_end) & (
        reps["leave_date"].isna() | (pd.to_datetime(reps["leave_date"]) >= plan_start))
    sellers = reps[in_year & reps["role"].isin(["rep", "senior", "manager"])].reset_index(drop=True)
    avail = rep_availability(sellers, months, ramp)
    avail_year = (avail * season[None, :]).sum(axis=1)  # effective share of a full year

    adj = _adjustments(adjustments)
    total_units = int(round_half_away(company_target, to_decimal(unit)) / to_decimal(unit))
    nodes = pd.DataFrame({"units": [total_units]})
    explanations = [[_t(lang, "company")]]
    out_rows: list[pd.DataFrame] = []
    path_dims: list[str] = []
    for lv in levels:
        children = _children(nodes, path_dims, lv.dimension, active_lines, regions, sellers)
        if children.empty:
            break
        weights, how = _level_weights(children, path_dims, lv, hist, sellers, avail_year, freed, window_py,
                                      window_t12, lang)
        children, child_units, notes = _allocate_level(nodes, children, path_dims, lv, weights, adj, lang, u)
        child_expl = [[*how[i], *notes[i]] for i in range(len(children))]
        children["units"] = child_units
        out_rows.append(_annual_rows(children, [*path_dims, lv.dimension], lv, child_expl, u))
        path_dims = [*path_dims, lv.dimension]
        nodes, explanations = children, child_expl
    rep_nodes = nodes
    monthly = _split_months(rep_nodes, explanations, sellers, avail, season, months, freed, lang, u, path_dims)
    targets = _assemble(out_rows, monthly, path_dims, months, u)
    by_month = _wide(monthly, sellers, months)
    review = _review(monthly, sellers, months, deals, credits, commitments)
    return TargetResult(targets=targets, by_month=by_month, review=review)


def _adjustments(adj: pd.DataFrame | None) -> pd.DataFrame:
    cols = [*DIMENSIONS, "growth", "locked", "min_amount", "max_amount"]
    if adj is None or adj.empty:
        return pd.DataFrame(columns=cols)
    return adj.reindex(columns=cols)


def _children(nodes: pd.DataFrame, path_dims: list[str], dim: str, lines: np.ndarray, regions: pd.DataFrame,
              sellers: pd.DataFrame) -> pd.DataFrame:
    """Cross each parent with its possible children; a parent with none gets an unassigned child."""
    parents = nodes.drop(columns=["units", "parent"], errors="ignore").reset_index(names="parent")
    if dim == "product_line":
        cand = pd.DataFrame({dim: lines})
    elif dim == "region_id":
        cand = pd.DataFrame({dim: regions["region_id"].to_numpy()})
    else:
        cand = sellers[["rep_id", "region_id", "product_lines"]].rename(columns={"region_id": "_region"})
    kids = parents.merge(cand, how="cross")
    if dim == "rep_id":
        if "region_id" in path_dims:
            kids = kids[kids["_region"] == kids["region_id"]]
        if "product_line" in path_dims:
            sells = [pl is None or pd.isna(pl) or str(pl).strip() == "" or line in [s.strip() for s in str(pl).split(",")]
                     for pl, line in zip(kids["product_lines"], kids["product_line"], strict=True)]
            kids = kids[np.array(sells, dtype=bool)]
        kids = kids.drop(columns=["_region", "product_lines"])
    orphan = parents[~parents["parent"].isin(kids["parent"])]
    if len(orphan):
        extra = orphan.copy()
        extra[dim] = UNASSIGNED
        kids = pd.concat([kids, extra], ignore_index=True)
    return kids.sort_values(["parent"], kind="stable").reset_index(drop=True)


def _level_weights(children: pd.DataFrame, path_dims: list[str], lv: Level, hist: pd.DataFrame,
                   sellers: pd.DataFrame, avail_year: np.ndarray, freed: str, window_py, window_t12,
                   lang: str) -> tuple[np.ndarray, list[list[str]]]:
    dim = lv.dimension

    def one(method: str) -> np.ndarray:
        if method == "even":
            return np.ones(len(children))
        if method in ("prior_year", "trailing_12m"):
            window = window_py if method == "prior_year" else window_t12
            return _history_weights(hist, children, path_dims, dim, window)
        col = lv.weight_column or "capacity"
        if dim != "rep_id":
            raise InputError(problem("method 'weight' is only available at the rep level (column {c}).",
                                     "“按权重”方法仅用于代表层（列 {c}）。", table="TargetLevels", c=col))
        if col not in sellers.columns:
            raise InputError(problem("weight column '{c}' is not a column of Reps.", "权重列“{c}”不是销售代表表的列。",
                                     table="TargetLevels", c=col))
        w = sellers.set_index("rep_id")[col].astype(float).fillna(1.0)
        return children["rep_id"].map(w).fillna(0.0).to_numpy()

    def share_of(method: str, w: np.ndarray) -> np.ndarray:
        total = pd.Series(w).groupby(children["parent"].to_numpy()).transform("sum").to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, w / total, np.nan)

    if lv.method == "blend":
        if not lv.blend or abs(sum(s for _, s in lv.blend) - 1) > 1e-6:
            raise InputError(problem("blend shares must total 100%.", "混合方法的占比合计须为 100%。",
                                     table="TargetLevels", column="blend"))
        shares = sum(s * np.nan_to_num(share_of(m, one(m)), nan=0.0) for m, s in lv.blend)
        label = _t(lang, "blend", parts=" + ".join(f"{s:.0%} {_method_label(m, lv, lang)}" for m, s in lv.blend))
    else:
        raw = one(lv.method)
        shares = share_of(lv.method, raw)
        label = _method_label(lv.method, lv, lang)
    if dim == "rep_id" and freed == "redistribute":
        a = children["rep_id"].map(pd.Series(avail_year, index=sellers["rep_id"])).fillna(0.0).to_numpy()
        shares = np.nan_to_num(shares, nan=1.0) * a
    shares = np.asarray(shares, dtype=float)
    no_hist = np.isnan(shares)
    share_norm = pd.Series(np.nan_to_num(shares)).groupby(children["parent"].to_numpy()).transform("sum").to_numpy()
    pct = np.where(share_norm > 0, np.nan_to_num(shares) / np.where(share_norm > 0, share_norm, 1), np.nan)
    keys = children[dim].to_numpy()
    dim_label = _t(lang, dim)
    how = [[_t(lang, "no_reps")] if k == UNASSIGNED else [_t(lang, "no_history")] if nh
           else [_t(lang, "share", dim=dim_label, pct=f"{p:.1%}") + " " + label]
           for k, nh, p in zip(keys, no_hist, pct, strict=True)]
    return np.nan_to_num(shares, nan=0.0), how


def _method_label(method: str, lv: Level, lang: str) -> str:
    if method == "weight":
        return _t(lang, "weight", col=lv.weight_column or "capacity")
    return _t(lang, method)


def _allocate_level(parents: pd.DataFrame, children: pd.DataFrame, path_dims: list[str], lv: Level,
                    weights: np.ndarray, adj: pd.DataFrame, lang: str,
                    u: float) -> tuple[pd.DataFrame, np.ndarray, list[list[str]]]:
    """Allocate each parent's units over its children, honouring growth, locks, min/max and padding."""
    dim = lv.dimension
    keys = [*path_dims, dim]
    notes: list[list[str]] = [[] for _ in range(len(children))]
    mine = adj[adj[keys].notna().all(axis=1) & adj[[d for d in DIMENSIONS if d not in keys]].isna().all(axis=1)]
    growth = np.zeros(len(children))
    locked = np.full(len(children), np.nan)
    lo = np.full(len(children), np.nan)
    hi = np.full(len(children), np.nan)
    if len(mine):
        m = children[keys].reset_index().merge(mine, on=keys, how="inner")
        for _, r in m.iterrows():
            i = int(r["index"])
            if pd.notna(r["growth"]):
                growth[i] = float(r["growth"])
                notes[i].append(_t(lang, "growth", g=growth[i]))
            if pd.notna(r["locked"]):
                locked[i] = float(r["locked"]) / u
                notes[i].append(_t(lang, "locked", amt=f"{float(r['locked']):,.2f}"))
            lo[i] = float(r["min_amount"]) / u if pd.notna(r["min_amount"]) else np.nan
            hi[i] = float(r["max_amount"]) / u if pd.notna(r["max_amount"]) else np.nan
    w = weights * (1.0 + growth)
    pad = 1.0 + lv.padding
    units = np.zeros(len(children), dtype=np.int64)
    problems: list[Problem] = []
    for p, idx in children.groupby("parent").indices.items():
        total = round(float(parents["units"].iat[p]) * pad)
        fixed = np.round(locked[idx])
        part = np.zeros(len(idx), dtype=np.int64)
        for _round in range(len(idx) + 1):  # locks, then min/max clamps as extra locks
            is_fixed = ~np.isnan(fixed)
            rest = total - int(np.nansum(fixed))
            if rest < 0 and total >= 0:
                problems.append(problem("locked amounts under {node} total {l:,.2f}, more than its target {t:,.2f}.",
                                        "{node} 下锁定金额合计 {l:,.2f}，超过其目标 {t:,.2f}。", table="TargetAdjustments",
                                        node=" / ".join(str(children.at[idx[0], d]) for d in path_dims) or "company",
                                        l=np.nansum(fixed) * u, t=total * u))
                break
            part = np.zeros(len(idx), dtype=np.int64)
            free = np.flatnonzero(~is_fixed)
            if len(free):
                part[free] = split_rows(np.array([rest]), w[idx][free][None, :])[0]
            part[is_fixed] = fixed[is_fixed].astype(np.int64)
            low_hit = ~is_fixed & ~np.isnan(lo[idx]) & (part < lo[idx])
            high_hit = ~is_fixed & ~np.isnan(hi[idx]) & (part > hi[idx])
            if not (low_hit.any() or high_hit.any()) or is_fixed.all():
                break
            fixed = np.where(low_hit, np.round(lo[idx]), np.where(high_hit, np.round(hi[idx]), fixed))
            for k in np.flatnonzero(low_hit):
                notes[idx[k]].append(_t(lang, "min"))
            for k in np.flatnonzero(high_hit):
                notes[idx[k]].append(_t(lang, "max"))
        units[idx] = part
        if lv.padding:
            for k in idx:
                notes[k].append(_t(lang, "padding", p=lv.padding))
    if problems:
        raise InputError(problems)
    return children, units, notes


def _annual_rows(children: pd.DataFrame, keys: list[str], lv: Level, expl: list[list[str]], u: float) -> pd.DataFrame:
    rows = children[keys].copy()
    rows["level"] = len(keys)
    rows["period"] = "FY"
    rows["target"] = children["units"].to_numpy() * u
    rows["method"] = lv.method
    rows["explanation"] = ["; ".join(e) for e in expl]
    return rows


def _split_months(reps: pd.DataFrame, expl: list[list[str]], sellers: pd.DataFrame, avail: np.ndarray,
                  season: np.ndarray, months: list[pd.Timestamp], freed: str, lang: str, u: float,
                  keys: list[str]) -> pd.DataFrame:
    """Rep nodes' annual units into 12 months (+ an unassigned bucket when freed amounts are reported)."""
    pos = pd.Series(np.arange(len(sellers)), index=sellers["rep_id"])
    rep_pos = reps["rep_id"].map(pos)
    a = np.where(rep_pos.notna().to_numpy()[:, None], avail[rep_pos.fillna(0).astype(int).to_numpy()], 1.0)
    w = season[None, :] * a
    if freed == "unassigned":
        w = np.concatenate([w, (season[None, :] * (1 - a)).sum(axis=1, keepdims=True)], axis=1)
    else:
        zero = w.sum(axis=1) <= 0
        w[zero] = season  # a rep with no availability but a lock: spread by season
    parts = split_rows(reps["units"].to_numpy(), w)
    labels = [m.strftime("%Y-%m") for m in months]
    base = pd.Series(["; ".join(e) for e in expl], index=reps.index, dtype=object)
    hire = pd.to_datetime(sellers["hire_date"]).to_numpy()
    frames = []
    for j in range(parts.shape[1]):
        f = reps[keys].copy()
        f["period"] = labels[j] if j < 12 else "FY"
        f["units"] = parts[:, j]
        if j < 12:
            note = (base + "; " + _t(lang, "season", pct=f"{season[j]:.1%}")).tolist()
            for i in np.flatnonzero((a[:, j] < 1) & rep_pos.notna().to_numpy()):  # only ramping/absent reps
                h = pd.Timestamp(hire[int(rep_pos.iat[i])])
                tenure = (months[j].year - h.year) * 12 + months[j].month - h.month + 1
                extra = _t(lang, "off") if a[i, j] <= 0 else _t(lang, "ramp", r=a[i, j], m=tenure)
                note[i] = note[i] + "; " + extra
            f["explanation"] = note
            f["rep_id_out"] = reps["rep_id"]
        else:
            f["explanation"] = _t(lang, "unassigned")
            f["rep_id_out"] = UNASSIGNED
        frames.append(f)
    out = pd.concat(frames, ignore_index=True)
    out["rep_id"] = out.pop("rep_id_out")
    out = out[(out["period"] != "FY") | (out["units"] != 0)]
    out["target"] = out["units"] * u
    return out


def _assemble(annual: list[pd.DataFrame], monthly: pd.DataFrame, keys: list[str], months: list[pd.Timestamp],
              u: float) -> pd.DataFrame:
    """Long form: annual rows per level, and monthly rows per node (parents = sums of their reps)."""
    rows = list(annual)
    m = monthly.copy()
    m["level"] = len(keys)
    m["method"] = "season"
    rows.append(m[[*keys, "level", "period", "target", "method", "explanation"]])
    for depth in range(1, len(keys)):
        sub = keys[:depth]
        g = monthly[monthly["period"] != "FY"].groupby([*sub, "period"], as_index=False)["units"].sum()
        g["target"] = g["units"] * u
        g["level"] = depth
        g["method"] = "sum"
        g["explanation"] = "sum of children"
        rows.append(g.drop(columns=["units"]))
    out = pd.concat(rows, ignore_index=True)
    for d in DIMENSIONS:
        if d not in out:
            out[d] = None
    out = pd.concat([out, _quarters(out, months)], ignore_index=True)
    out["target"] = out["target"].round(10)
    cols = ["level", "product_line", "region_id", "rep_id", "period", "target", "method", "explanation"]
    return out[cols].sort_values(["level", "product_line", "region_id", "rep_id", "period"],
                                 kind="stable", na_position="first").reset_index(drop=True)


def _quarters(long: pd.DataFrame, months: list[pd.Timestamp]) -> pd.DataFrame:
    """Fiscal-quarter rows (Q1 = first three fiscal months) as exact sums of each node's months."""
    labels = [m.strftime("%Y-%m") for m in months]
    q_of = {lab: f"{months[0].year}Q{i // 3 + 1}" if months[0].month == 1 else f"FY{months[-1].year}Q{i // 3 + 1}"
            for i, lab in enumerate(labels)}
    m = long[long["period"].isin(labels)].copy()
    m["period"] = m["period"].map(q_of)
    keys = ["level", "product_line", "region_id", "rep_id", "period"]
    q = m.groupby(keys, dropna=False, as_index=False)["target"].sum()
    q["target"] = q["target"].round(10)
    q["method"] = "sum"
    q["explanation"] = "sum of the quarter's months"
    return q


def _wide(monthly: pd.DataFrame, sellers: pd.DataFrame, months: list[pd.Timestamp]) -> pd.DataFrame:
    labels = [m.strftime("%Y-%m") for m in months]
    m = monthly[monthly["period"].isin(labels)]
    wide = m.pivot_table(index="rep_id", columns="period", values="target", aggfunc="sum", fill_value=0.0)
    wide = wide.reindex(columns=labels, fill_value=0.0)
    wide.columns = [f"m{i + 1:02d}" for i in range(len(wide.columns))]
    wide["total"] = wide.sum(axis=1).round(10)
    wide = wide.reset_index()
    info = sellers[["rep_id", "name", "region_id"]]
    return info.merge(wide, on="rep_id", how="right")


def credited_actuals(deals: pd.DataFrame, credits: pd.DataFrame | None) -> pd.DataFrame:
    """Booked deal amounts per rep and month, split by Credits shares (overlays add on top)."""
    d = deals[deals["status"].fillna("booked") == "booked"][["deal_id", "date", "rep_id", "amount"]]
    if credits is not None and len(credits):
        split = d.drop(columns=["rep_id"]).merge(credits[["deal_id", "rep_id", "share"]], on="deal_id")
        split["amount"] = split["amount"] * split["share"]
        d = pd.concat([d[~d["deal_id"].isin(credits["deal_id"])], split.drop(columns=["share"])])
    d = d.assign(period=pd.to_datetime(d["date"]).dt.strftime("%Y-%m"))
    return d.groupby(["rep_id", "period"], as_index=False)["amount"].sum()


def _review(monthly: pd.DataFrame, sellers: pd.DataFrame, months: list[pd.Timestamp], deals, credits,
            commitments) -> pd.DataFrame:
    labels = [m.strftime("%Y-%m") for m in months]
    t = monthly[monthly["period"].isin(labels)].groupby(["rep_id", "period"], as_index=False)["target"].sum()
    if deals is not None and len(deals):
        act = credited_actuals(deals, credits).rename(columns={"amount": "actual"})
        t = t.merge(act, on=["rep_id", "period"], how="left")
    else:
        t["actual"] = np.nan
    t["actual"] = t["actual"].fillna(0.0).round(2)
    year = t.groupby("rep_id", as_index=False)[["target", "actual"]].sum()
    year["period"] = "FY"
    t = pd.concat([t, year], ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        t["achievement"] = np.where(t["target"] > 0, t["actual"] / t["target"], np.nan)
    t["commitment"] = np.nan
    if commitments is not None and len(commitments):
        c = commitments.groupby("rep_id")["amount"].sum()
        fy = t["period"] == "FY"
        t.loc[fy, "commitment"] = t.loc[fy, "rep_id"].map(c)
    t["gap"] = t["commitment"] - t["target"]
    return t[["rep_id", "period", "target", "actual", "achievement", "commitment", "gap"]].sort_values(
        ["rep_id", "period"], kind="stable").reset_index(drop=True)
