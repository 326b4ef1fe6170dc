"""One level of the decomposition: each parent's children, their weights, and the exact split.

Rules for awkward weights (documented in the schema docs too):
- a negative weight (a weight column below zero) is an error; negative history (net returns) counts as 0;
- within one parent, if every child's weight is zero or missing, the parent is split evenly;
- under a history method a rep with no history rows at all (a new hire) gets the average of the
  siblings that have history, before ramp and proration;
- a blank value in a weight column counts as 0;
- locks, minimums and maximums are fixed first and the unlocked siblings share the rest; if the
  fixed amounts exceed the parent that is an error naming the node; if every child is fixed and
  something is left over, it goes to an "(unassigned)" child so the parent still reconciles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesbook.engines.allocation import split_groups
from salesbook.engines.money import largest_remainder
from salesbook.engines.targets.text import dim_name, dims_path, money, say, weight_label
from salesbook.errors import InputError, Problem, problem
from salesbook.messages import Words, choice_name, items, sheet_name

DIMENSIONS = ("product_line", "region_id", "rep_id")
METHODS = ("even", "prior_year", "trailing_12m", "weight", "blend")
MEASURES = ("amount", "quantity")
UNASSIGNED = "(unassigned)"
HEADCOUNT = "headcount"


@dataclass(frozen=True)
class Level:
    """One level of the hierarchy and how its children split their parent."""

    dimension: str                     # one of DIMENSIONS
    method: str = "prior_year"         # one of METHODS
    weight_column: str | None = None   # method "weight": a column of Regions/Products/Reps, or "headcount"
    blend: tuple[tuple[str, float], ...] = ()  # e.g. (("prior_year", 0.7), ("even", 0.3))
    padding: float = 0.0               # over-assignment: children total parent x (1 + padding)
    measure: str = "amount"            # "quantity": this level and those below are targeted in units too
    row: int | None = None             # the TargetLevels row it came from, to locate a problem


@dataclass
class PlanData:
    """Everything a level needs to find and weigh children, prepared once."""

    lines: list[str]
    regions: pd.DataFrame
    products: pd.DataFrame
    reps: pd.DataFrame             # every rep (regions of credited actuals)
    sellers: pd.DataFrame          # reps carrying targets, positional index = row in the availability matrix
    seller_nodes: pd.DataFrame     # one row per seller x product line they sell (pos = seller row)
    hist: pd.DataFrame             # History with product_line
    windows: dict[str, tuple[pd.Timestamp, pd.Timestamp]]
    lang: str


@dataclass
class Tier:
    """The nodes of one level: keys, parent row in the level above, FY units, months, wording."""

    frame: pd.DataFrame
    units: np.ndarray
    months: np.ndarray
    expl: list[str]
    method: str
    padding: float = 0.0
    month_locks: np.ndarray | None = None   # (n, 12) locked units per leaf month, NaN = free


def check_levels(levels: Sequence[Level]) -> None:
    """Distinct dimensions, 1 to 3 levels, reps (if present) last; known methods; sane blends."""
    dims = [lv.dimension for lv in levels]
    problems: list[Problem] = []
    if not dims or len(set(dims)) != len(dims) or any(d not in DIMENSIONS for d in dims) or (
            "rep_id" in dims and dims[-1] != "rep_id"):
        problems.append(problem("the hierarchy must use product line, region and rep at most once each, "
                                "rep last if present (got {d}).",
                                "层级中产品线、区域、代表各至多出现一次，代表须在最后（当前为 {d}）。",
                                table="TargetLevels", column="dimension", d=dims_path(dims)))
    for lv in levels:
        if lv.method not in METHODS:
            problems.append(problem("unknown method '{m}'; use one of {ms}.", "未知方法“{m}”；可选：{ms}。",
                                    table="TargetLevels", row=lv.row, column="method", m=lv.method,
                                    ms=items(choice_name("TargetLevels", "method", m) for m in METHODS)))
        if lv.method == "blend":
            bad = [m for m, _ in lv.blend if m not in METHODS or m == "blend"]
            if bad or not lv.blend or abs(sum(s for _, s in lv.blend) - 1) > 1e-6 or any(s < 0 for _, s in lv.blend):
                problems.append(problem("blend at level {d}: name methods among {ms} with shares that total 100%.",
                                        "{d}层的混合方法：须从 {ms} 中选择，占比合计 100%。",
                                        table="TargetLevels", row=lv.row, column="blend", d=dim_name(lv.dimension),
                                        ms=items(Words(m, f"{m}（{choice_name('TargetLevels', 'method', m).zh}）")
                                                 for m in METHODS if m != "blend")))
        if not lv.padding >= 0:
            problems.append(problem("padding must be 0% or more.", "加码比例须不小于 0%。", table="TargetLevels",
                                    row=lv.row, column="padding"))
        if lv.measure not in MEASURES:
            problems.append(problem("unknown measure '{m}'; use one of {ms}.", "未知计量“{m}”；可选：{ms}。",
                                    table="TargetLevels", row=lv.row, column="measure", m=lv.measure,
                                    ms=items(choice_name("TargetLevels", "measure", m) for m in MEASURES)))
    seen_units = False
    for lv in levels:
        if seen_units and lv.measure == "amount":
            problems.append(problem("the {d} level is in amount below a level in quantity: once a level is targeted "
                                    "in units, every level below it is too.",
                                    "{d}层按金额，却位于按数量分解的层级之下：某层按数量分解后，其下各层也须按数量。",
                                    table="TargetLevels", row=lv.row, column="measure", d=dim_name(lv.dimension)))
        seen_units = seen_units or lv.measure == "quantity"
    if problems:
        raise InputError(problems)


def children(nodes: pd.DataFrame, path: list[str], dim: str, data: PlanData) -> pd.DataFrame:
    """Each parent crossed with its possible children; a parent with none gets an unassigned child."""
    parents = nodes[path].copy()
    parents["parent"] = np.arange(len(nodes))
    if dim == "product_line":
        kids = parents.merge(pd.DataFrame({dim: data.lines}), how="cross")
    elif dim == "region_id":
        kids = parents.merge(data.regions[["region_id"]], how="cross")
    else:
        on = [d for d in path if d != UNASSIGNED]
        sn = data.seller_nodes if "product_line" in on else data.seller_nodes.drop_duplicates("rep_id")
        right = sn[[*on, "rep_id", "pos"]]
        kids = parents.merge(right, on=on, how="inner") if on else parents.merge(right, how="cross")
        kids = kids.sort_values(["parent", "pos"], kind="stable").drop(columns="pos")
    orphan = parents[~parents["parent"].isin(kids["parent"])]
    if len(orphan):
        kids = pd.concat([kids, orphan.assign(**{dim: UNASSIGNED})], ignore_index=True)
    return kids.sort_values("parent", kind="stable").reset_index(drop=True)


def _group_share(values: np.ndarray, parent: np.ndarray) -> np.ndarray:
    """values / their parent's total (NaN where the total is 0 or missing)."""
    v = np.nan_to_num(values, nan=0.0)
    total = np.bincount(parent, weights=v)[parent]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, v / np.where(total > 0, total, 1.0), np.nan)


def _even_share(parent: np.ndarray) -> np.ndarray:
    return 1.0 / np.bincount(parent)[parent]


def _history(kids: pd.DataFrame, path: list[str], dim: str, method: str, data: PlanData) -> np.ndarray:
    """Actuals of each child in the window (NaN = no rows at all); a rep's history follows the rep."""
    start, end = data.windows[method]
    h = data.hist[(data.hist["period"] >= start) & (data.hist["period"] < end)]
    keys = [d for d in [*path, dim] if not (dim == "rep_id" and d == "region_id")]
    by = h.groupby(keys, observed=True, dropna=True)["amount"].sum().clip(lower=0).rename("_w").reset_index()
    for k in keys:
        by[k] = by[k].astype(object)
    left = kids[keys].astype(object)
    return left.merge(by, on=keys, how="left")["_w"].to_numpy(dtype=float)


def _weight_column(kids: pd.DataFrame, path: list[str], dim: str, col: str | None, data: PlanData) -> np.ndarray:
    """A weight column at any level: the level's own table, else the sum over the node's sellers."""
    col = col or "capacity"
    own = {"region_id": data.regions, "product_line": data.products, "rep_id": data.sellers}[dim]
    if col in own.columns and col not in DIMENSIONS:
        values = pd.to_numeric(own[col], errors="coerce")
        if own[col].notna().sum() != values.notna().sum():
            raise InputError(problem("weight column '{c}' has text where numbers are expected.",
                                     "权重列“{c}”中有非数字内容。", table=_table_of(dim), column=col,
                                     c=_weight_name(col, dim)))
        if (values < 0).any():
            row = values.index[(values < 0).to_numpy()][0]
            raise InputError(problem("weight column '{c}' is negative; weights must be 0 or more.",
                                     "权重列“{c}”为负数；权重须不小于 0。", table=_table_of(dim), row=row, column=col,
                                     c=_weight_name(col, dim)))
        per = pd.Series(values.fillna(0.0).to_numpy(), index=own[dim].astype(object)).groupby(level=0).sum()
        return kids[dim].astype(object).map(per).fillna(0.0).to_numpy(dtype=float)
    if col in DIMENSIONS or (col != HEADCOUNT and col not in data.sellers.columns):
        raise InputError(problem("weight column '{c}' is not a number column of sheet '{t}' or '{r}' (or 'headcount').",
                                 "权重列“{c}”不是工作表“{t}”或“{r}”中的数字列（也不是 headcount，即人数）。",
                                 table="TargetLevels", column="weight_column", c=col, t=sheet_name(_table_of(dim)),
                                 r=sheet_name("Reps")))
    keys = [d for d in [*path, dim] if d != "rep_id"]
    if not keys:  # rep level straight below the company, by headcount: one each
        return np.ones(len(kids))
    sn = data.seller_nodes if "product_line" in keys else data.seller_nodes.drop_duplicates("rep_id")
    sn = sn.drop_duplicates([*keys, "rep_id"])
    if col == HEADCOUNT:
        vals = pd.Series(1.0, index=sn.index)
    else:
        vals = pd.to_numeric(data.sellers[col], errors="coerce").iloc[sn["pos"].to_numpy()]
        if (vals < 0).any():
            raise InputError(problem("weight column '{c}' is negative; weights must be 0 or more.",
                                     "权重列“{c}”为负数；权重须不小于 0。", table="Reps", column=col,
                                     c=_weight_name(col, "rep_id")))
        vals = pd.Series(vals.fillna(0.0).to_numpy(), index=sn.index)
    by = pd.DataFrame({**{k: sn[k].astype(object) for k in keys}, "_w": vals}).groupby(keys)["_w"].sum().reset_index()
    return kids[keys].astype(object).merge(by, on=keys, how="left")["_w"].fillna(0.0).to_numpy(dtype=float)


def _weight_name(col: str, dim: str) -> Words:
    return Words(weight_label(col, _table_of(dim), "en"), weight_label(col, _table_of(dim), "zh"))


def _table_of(dim: str) -> str:
    return {"region_id": "Regions", "product_line": "Products", "rep_id": "Reps"}[dim]


def level_shares(kids: pd.DataFrame, path: list[str], lv: Level, data: PlanData) -> tuple[np.ndarray, list[str]]:
    """Each child's share of its parent by the level's method (sums to 1 per parent), with its wording."""
    dim, lang = lv.dimension, data.lang
    parent = kids["parent"].to_numpy()
    real = (kids[dim] != UNASSIGNED).to_numpy()
    notes = np.full(len(kids), "", dtype=object)

    def one(method: str) -> np.ndarray:
        if method == "even":
            return _even_share(parent)
        if method == "weight":
            share = _group_share(_weight_column(kids, path, dim, lv.weight_column, data), parent)
        else:
            raw = _history(kids, path, dim, method, data)
            if dim == "rep_id":  # new hires: the average of siblings with history
                present = ~np.isnan(raw)
                avg = np.bincount(parent, weights=np.where(present, raw, 0.0)) / np.maximum(
                    np.bincount(parent, weights=present.astype(float)), 1)
                fill = ~present & (np.bincount(parent, weights=present.astype(float))[parent] > 0) & real
                notes[fill] = say(lang, "sibling_avg")
                raw = np.where(present, raw, avg[parent])
            share = _group_share(raw, parent)
        empty = np.isnan(share)
        notes[empty & real] = say(lang, "no_history")
        return np.where(empty, _even_share(parent), share)

    if lv.method == "blend":
        share = sum(s * one(m) for m, s in lv.blend)
        label = say(lang, "blend", parts=" + ".join(f"{s:.0%} {_method_label(m, lv, lang)}" for m, s in lv.blend))
    else:
        share = one(lv.method)
        label = _method_label(lv.method, lv, lang)
    dim_label = say(lang, dim)
    how = [say(lang, "no_reps") if not r else f"{say(lang, 'share', dim=dim_label, pct=f'{p:.1%}')} {label}"
           + (f" ({n})" if n else "") for r, p, n in zip(real, share, notes, strict=True)]
    return np.asarray(share, dtype=float), how


def _method_label(method: str, lv: Level, lang: str) -> str:
    if method != "weight":
        return say(lang, method)
    return say(lang, "weight", col=weight_label(lv.weight_column or "capacity", _table_of(lv.dimension), lang))


@dataclass
class Fixes:
    """Per child: growth, lock and min/max in units (NaN = none)."""

    growth: np.ndarray
    locked: np.ndarray
    lo: np.ndarray
    hi: np.ndarray


def match_adjustments(adj: pd.DataFrame, kids: pd.DataFrame, dims: list[str], depth: int, unit: float) -> Fixes:
    """Adjustments whose deepest filled column is this level's dimension; blank columns above match any."""
    n = len(kids)
    fx = Fixes(np.zeros(n), np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan))
    if adj.empty:
        return fx
    dim = dims[depth]
    filled = adj[list(DIMENSIONS)].notna()
    deepest = filled[dims].apply(lambda r: max((i for i, f in enumerate(r) if f), default=-1), axis=1)
    mine = adj[deepest.to_numpy() == depth]
    problems: list[Problem] = []
    seen = pd.Series(-1, index=kids.index, dtype=object)
    for pattern, rows in mine.groupby(filled.loc[mine.index, dims].apply(tuple, axis=1)):
        on = [d for d, f in zip(dims, pattern, strict=True) if f]
        left = kids[on].astype(object).reset_index(names="_kid")
        right = rows[on].astype(object).assign(_row=rows.index)
        m = left.merge(right, on=on, how="inner")
        for row in rows.index.difference(m["_row"]):
            problems.append(problem("this adjustment matches no {d} in the plan ({v}).",
                                    "该调整在分解中找不到对应的{d}（{v}）。", table="TargetAdjustments", row=row,
                                    column=dim, d=dim_name(dim), v=" / ".join(str(adj.at[row, c]) for c in on)))
        for kid, row in zip(m["_kid"], m["_row"], strict=True):
            if seen[kid] != -1:
                problems.append(problem("two adjustments apply to the same node (also row {first}).",
                                        "两条调整作用于同一节点（另见第 {first} 行）。", table="TargetAdjustments",
                                        row=row, column=dim, first=seen[kid]))
                continue
            seen[kid] = row
            r = adj.loc[row]
            if pd.notna(r["growth"]):
                if float(r["growth"]) <= -1:
                    problems.append(problem("growth must be above -100%.", "增长调整须大于 -100%。",
                                            table="TargetAdjustments", row=row, column="growth"))
                fx.growth[kid] = float(r["growth"])
            for name, arr in (("locked", fx.locked), ("min_amount", fx.lo), ("max_amount", fx.hi)):
                if pd.notna(r[name]):
                    arr[kid] = np.floor(float(r[name]) / unit + 0.5 + 1e-9)
            if not (np.isnan(fx.lo[kid]) or np.isnan(fx.hi[kid])) and fx.lo[kid] > fx.hi[kid]:
                problems.append(problem("the minimum is above the maximum.", "下限高于上限。", table="TargetAdjustments",
                                        row=row, column="min_amount"))
    if problems:
        raise InputError(problems)
    return fx


def split_level(totals: np.ndarray, parent: np.ndarray, weights: np.ndarray, fx: Fixes, node_names: list[str],
                unit: float, lang: str) -> tuple[np.ndarray, np.ndarray, list[list[str]], np.ndarray]:
    """Exact split of each parent's units: vectorised, with a small loop only where locks or bounds apply.

    Returns (child units, units left over per parent for an unassigned child, notes per child, and
    which children are pinned by a lock, minimum or maximum).
    """
    units = split_groups(totals, parent, weights)
    leftover = np.zeros(len(totals), dtype=np.int64)
    pinned = ~np.isnan(fx.locked)
    notes: list[list[str]] = [[] for _ in range(len(parent))]
    touched = ~np.isnan(fx.locked) | ~np.isnan(fx.lo) | ~np.isnan(fx.hi)
    problems: list[Problem] = []
    for k in np.flatnonzero(~np.isnan(fx.locked)):
        notes[k].append(say(lang, "locked", amt=money(fx.locked[k] * unit)))
    for p in np.unique(parent[touched]):
        idx = np.flatnonzero(parent == p)
        total = int(totals[p])
        fixed = fx.locked[idx].copy()
        part = units[idx]
        for _ in range(len(idx) + 1):  # locks first; then each child outside its bounds is pinned to the bound
            is_fixed = ~np.isnan(fixed)
            rest = total - int(np.nansum(fixed))
            if rest < 0:
                problems.append(problem("locked amounts and minimums under {node} total {l}, more than its target {t}.",
                                        "{node} 下锁定金额与下限合计 {l}，超过其目标 {t}。", table="TargetAdjustments",
                                        node=node_names[p], l=money(np.nansum(fixed) * unit), t=money(total * unit)))
                break
            part = np.where(is_fixed, np.nan_to_num(fixed), 0).astype(np.int64)
            free = np.flatnonzero(~is_fixed)
            if len(free) == 0:
                leftover[p] = rest
                break
            w = weights[idx][free]
            part[free] = largest_remainder(rest, w if w.sum() > 0 else np.ones(len(free)))
            low = ~is_fixed & (part < fx.lo[idx])
            high = ~is_fixed & (part > fx.hi[idx])
            if not (low.any() or high.any()):
                break
            fixed = np.where(low, fx.lo[idx], np.where(high, fx.hi[idx], fixed))
        units[idx] = part
        for j, k in enumerate(idx):
            if not np.isnan(fixed[j]) and np.isnan(fx.locked[k]):
                pinned[k] = True
                notes[k].append(say(lang, "min" if fixed[j] == fx.lo[k] else "max", amt=money(fixed[j] * unit)))
    if problems:
        raise InputError(problems)
    return units, leftover, notes, pinned


def match_month_locks(rows: pd.DataFrame, leaf: pd.DataFrame, dims: list[str], unit: float) -> np.ndarray:
    """(n, 12) locked units per leaf node and fiscal month (NaN = not locked); blank columns above match any."""
    locks = np.full((len(leaf), 12), np.nan)
    filled = rows[dims].notna()
    problems: list[Problem] = []
    for pattern, group in rows.groupby(filled.apply(tuple, axis=1)):
        on = [d for d, f in zip(dims, pattern, strict=True) if f]
        m = leaf[on].astype(object).reset_index(names="_kid").merge(
            group[on].astype(object).assign(_row=group.index), on=on, how="inner")
        for row in group.index.difference(m["_row"]):
            problems.append(problem("this month lock matches no {d} in the plan.", "该月度锁定在分解中找不到对应的{d}。",
                                    table="TargetAdjustments", row=row, column=dims[-1], d=dim_name(dims[-1])))
        for kid, row in zip(m["_kid"], m["_row"], strict=True):
            j = int(rows.at[row, "month"]) - 1
            if not 0 <= j < 12 or not np.isnan(locks[kid, j]):
                problems.append(problem("month must be 1-12 and locked once per node.", "月份须为 1-12，且每个节点每月只锁定一次。",
                                        table="TargetAdjustments", row=row, column="month"))
                continue
            locks[kid, j] = np.floor(float(rows.at[row, "locked"]) / unit + 0.5 + 1e-9)
    if problems:
        raise InputError(problems)
    return locks
