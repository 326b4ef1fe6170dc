"""Top-down target decomposition: company -> product line -> region -> rep (any order, 1-3 levels) -> months.

Every set of children sums exactly to its parent in the rounding unit (largest remainder), except
where padding (over-assignment) is asked for, which is reported as such in the explanation and in
the reconciliation table.  Methods per level: even, prior-year share, trailing-12-month share, a
weight column, or a blend; per-node growth uplift, locks (siblings rebalance), min/max, new-hire
ramp and proration for hires and leavers, with the freed amount redistributed or left unassigned.

Everything runs on integer units (cents, yuan, hundreds): floats appear only as weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesbook.engines.money import MAX_EXACT_UNITS, TooManyUnits, round_half_away, to_decimal
from salesbook.engines.targets.actuals import Numbered, credited
from salesbook.engines.targets.levels import node_name, split_tier
from salesbook.engines.targets.months import leaf_exact, round_months
from salesbook.engines.targets.output import long_form, wide_form
from salesbook.engines.targets.plan import (
    DIMENSIONS,
    METHODS,
    UNASSIGNED,
    Level,
    PlanData,
    Tier,
    check_levels,
)
from salesbook.engines.targets.review import check_table, commitments_of, variance_table
from salesbook.engines.targets.seasons import (
    PRORATION,
    check_seasonality,
    fiscal_months,
    rep_availability,
    season_rows,
    seasonality_profiles,
)
from salesbook.engines.targets.text import dim_name, dims_path, money, say
from salesbook.engines.targets.units import first_quantity_level, quantity_tiers
from salesbook.errors import InputError, problem
from salesbook.messages import Words, items, setting_name

__all__ = ["DIMENSIONS", "METHODS", "UNASSIGNED", "Level", "TargetResult", "check_seasonality", "decompose_targets",
           "prior_year_total", "rep_availability"]

DEFAULT_LEVELS = (Level("product_line"), Level("region_id"), Level("rep_id"))
SELLING_ROLES = ("rep", "senior", "manager")
FREED = ("redistribute", "unassigned")


@dataclass
class TargetResult:
    targets: pd.DataFrame        # Out_Targets: long form, every node x (FY, months, quarters)
    by_month: pd.DataFrame       # Out_TargetsByMonth: rep x month, printable
    review: pd.DataFrame         # Out_TargetReview: rep x month target vs actual, variance, to date, commitments gap
    variance: pd.DataFrame       # Out_TargetVariance: every node x period, the same columns
    check: pd.DataFrame          # Out_TargetCheck: each node vs its children and its months


def prior_year_total(history: pd.DataFrame, fiscal_year: int, fiscal_start_month: int = 1) -> float:
    """Actuals in the 12 months before the plan year (the base of a growth-only company target)."""
    start = fiscal_months(fiscal_year, fiscal_start_month)[0]
    h = history[(history["period"] >= start - pd.DateOffset(years=1)) & (history["period"] < start)]
    return float(h["amount"].sum())


def decompose_targets(
    company_target: float | None = None,
    *,
    products: pd.DataFrame,
    regions: pd.DataFrame,
    reps: pd.DataFrame,
    history: pd.DataFrame,
    seasonality: pd.DataFrame,
    levels: Sequence[Level] = DEFAULT_LEVELS,
    fiscal_year: int = 2026,
    fiscal_start_month: int = 1,
    unit: float = 1.0,
    adjustments: pd.DataFrame | None = None,
    ramp: Sequence[float] = (),
    freed: str = "redistribute",
    proration: str = "days",
    growth: float | None = None,
    deals: pd.DataFrame | None = None,
    credits: pd.DataFrame | None = None,
    commitments: pd.DataFrame | None = None,
    quantity_unit: float = 1.0,
    as_of: pd.Timestamp | None = None,
    lang: str = "en",
    review: bool = True,
) -> TargetResult:
    """Run the whole plan from DataFrames (canonical columns as in the schema registry).

    ``company_target`` None with ``growth`` set means prior-year actuals x (1 + growth).
    ``freed``: what happens to target a rep cannot carry (hired late, leaving, ramping) —
    "redistribute" to colleagues under the same parent, or "unassigned" (an explicit node).
    A level whose ``measure`` is quantity (and every level below it) is also targeted in units, rounded to
    ``quantity_unit`` (see ``units``).  ``as_of`` ends the to-date columns of the FY rows (None: the year).
    ``review`` False leaves Out_TargetReview and Out_TargetVariance empty (plan modeling needs only the
    targets: actuals against them would be the same deals matched again), commitments still checked.
    """
    levels = tuple(levels)
    check_levels(levels)
    if freed not in FREED or proration not in PRORATION:
        key = "target_freed" if freed not in FREED else "target_proration"
        raise InputError(problem("setting {k}: unknown value '{v}'.", "参数“{k}”的值“{v}”无法识别。", table="Settings",
                                 column="value", k=setting_name(key), v=freed if freed not in FREED else proration))
    dims = [lv.dimension for lv in levels]
    u = to_decimal(unit)
    if u <= 0:
        raise InputError(problem("setting {k} must be positive.", "参数“{k}”须为正数。", table="Settings",
                                 column="value", k=setting_name("rounding_unit")))
    months = fiscal_months(fiscal_year, fiscal_start_month)
    data = _plan_data(products, regions, reps, history, months, lang)
    season = _season_matrix(seasonality_profiles(seasonality), data.lines, "product_line" in dims)
    av = rep_availability(data.sellers["hire_date"], data.sellers["leave_date"], months, ramp, proration)

    base = prior_year_total(data.hist, fiscal_year, fiscal_start_month)
    if company_target is None or pd.isna(company_target):
        if growth is None or pd.isna(growth):
            raise InputError(problem("give a company target, or a growth rate over prior-year actuals.",
                                     "请填写公司目标，或相对上年实际的增长率。", table="CompanyTarget", column="target"))
        company_target = base * (1 + float(growth))
        if not company_target >= 0:
            raise InputError(problem(
                "prior-year actuals {base} with growth {g:+.1%} give a company target below 0; give the target itself.",
                "上年实际 {base} 按增长率 {g:+.1%} 计算的公司目标小于 0；请直接填写公司目标。", table="CompanyTarget",
                column="growth", base=money(round(base, 2)), g=float(growth)))
        top = say(lang, "company_growth", base=money(round(base, 2)), g=float(growth))
    else:
        top = say(lang, "company")
    total = int(round_half_away(company_target, u) / u)
    if abs(total) > MAX_EXACT_UNITS:  # the job reports it on CompanyTarget
        raise TooManyUnits(f"{total} units are too many to split exactly")
    adj, month_adj = _adjustments(adjustments, dims)
    tiers = [Tier(pd.DataFrame(index=[0]), np.array([total], dtype=np.int64), np.zeros((1, 12), np.int64), [top],
                  "company")]
    freed_pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for depth, lv in enumerate(levels):
        tier, pieces = split_tier(tiers[-1], dims[: depth], lv, depth, dims, data, adj, season, av, freed, float(u), lang)
        tiers.append(tier)
        freed_pieces = pieces
    exact = leaf_exact(tiers[-1], dims, data, season, av, freed_pieces, lang, month_adj, float(u), node_name)
    round_months(tiers, exact, lambda tier: season_rows(tier.frame, season))
    upto = sum(1 for m in months if as_of is None or m <= pd.Timestamp(as_of))
    act = credited(deals, credits, data, months) if review else None
    numbered = Numbered(act) if act is not None else None   # summed per tier in money, and again in units
    targets = long_form(tiers, dims, months, float(u), lang, data, season, av)
    if review:
        review_rows, variance = variance_table(tiers, dims, months, float(u), act, commitments, lang, targets, upto,
                                               numbered=numbered)
    else:
        review_rows, variance = pd.DataFrame(), pd.DataFrame()
        if commitments is not None and len(commitments):
            commitments_of(tiers[-1], dims, commitments, float(u))  # refused as in a run with the review
    check = check_table(tiers, float(u), lang)
    first = first_quantity_level(levels)
    if first is not None:
        uq = float(quantity_unit)
        if not uq > 0:
            raise InputError(problem("setting {k} must be positive.", "参数“{k}”须为正数。", table="Settings",
                                     column="value", k=setting_name("quantity_unit")))
        qt = quantity_tiers(tiers, first, levels, dims, data, adj, season, av, freed, float(u), uq, lang)
        q_targets = long_form(qt, dims, months, uq, lang, data, season, av, measure="quantity", first=first)
        if review:
            q_review, q_variance = variance_table(qt, dims, months, uq, act, None, lang, q_targets, upto,
                                                  "quantity", first, numbered)
            review_rows = pd.concat([review_rows, q_review], ignore_index=True)
            variance = pd.concat([variance, q_variance], ignore_index=True)
        targets = pd.concat([targets, q_targets], ignore_index=True)
        check = pd.concat([check, check_table(qt, uq, lang, "quantity", first)], ignore_index=True)
    return TargetResult(targets=targets, by_month=wide_form(tiers[-1], dims, data, float(u), lang),
                        review=review_rows, variance=variance, check=check)

def _plan_data(products: pd.DataFrame, regions: pd.DataFrame, reps: pd.DataFrame, history: pd.DataFrame,
               months: list[pd.Timestamp], lang: str) -> PlanData:
    start, end = months[0], months[-1] + pd.offsets.MonthEnd(0)
    active = products["active"].fillna(True).astype(bool) if "active" in products else True
    lines = sorted({str(x) for x in products.loc[active, "product_line"].dropna()})
    hire = pd.to_datetime(reps["hire_date"])
    leave = pd.to_datetime(reps["leave_date"]) if "leave_date" in reps else pd.Series(pd.NaT, index=reps.index)
    in_year = (hire <= end) & (leave.isna() | (leave >= start)) & reps["role"].isin(SELLING_ROLES)
    sellers = reps[in_year.to_numpy()].reset_index(drop=True)
    if "leave_date" not in sellers:
        sellers["leave_date"] = pd.NaT
    sold = sellers.get("product_lines", pd.Series(None, index=sellers.index))
    rows = []
    for pos, (rep, region, pl) in enumerate(zip(sellers["rep_id"], sellers["region_id"], sold, strict=True)):
        mine = [s.strip() for s in str(pl).replace("，", ",").split(",") if s.strip()] if pd.notna(pl) else []
        for line in (lines if not mine else [x for x in lines if x in mine]):
            rows.append((pos, rep, region, line))
    seller_nodes = pd.DataFrame(rows, columns=["pos", "rep_id", "region_id", "product_line"]).astype(
        {"rep_id": object, "region_id": object, "product_line": object})
    hist = history.merge(products[["product_id", "product_line"]].drop_duplicates("product_id"), on="product_id",
                         how="left")
    if "rep_id" not in hist:
        hist["rep_id"] = None
    for k in DIMENSIONS:  # factorised once: every level groups History by these keys
        hist[k] = hist[k].astype(object).astype("category")
    last = hist["period"].max() + pd.offsets.MonthBegin(1) if len(hist) else start
    windows = {"prior_year": (start - pd.DateOffset(years=1), start),
               "trailing_12m": (last - pd.DateOffset(years=1), last)}
    return PlanData(lines=lines, regions=regions, products=products, reps=reps, sellers=sellers, seller_nodes=seller_nodes,
                    hist=hist, windows=windows, lang=lang)


def _season_matrix(profiles: dict[str | None, np.ndarray], lines: list[str], by_line: bool) -> dict[object, np.ndarray]:
    """Profile per product line (key None = default); every line must have one when lines are a level."""
    unknown = [k for k in profiles if k is not None and k not in lines]
    missing = [x for x in lines if x not in profiles] if None not in profiles and by_line else []
    if unknown or missing or (None not in profiles and not by_line):
        raise InputError(problem("seasonality: give a default profile (blank product line) or one for every "
                                 "product line; unknown {u}, missing {m}.",
                                 "季节性：请提供默认分布（产品线留空）或为每条产品线各提供一组；未知 {u}，缺少 {m}。",
                                 table="Seasonality", column="product_line", u=items(unknown) if unknown else "-",
                                 m=items(missing) if missing else ("-" if by_line else Words("default", "默认分布"))))
    out: dict[object, np.ndarray] = {line: profiles.get(line, profiles.get(None)) for line in lines}
    if None in profiles:
        out[None] = profiles[None]
    return out


def _adjustments(adj: pd.DataFrame | None, dims: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node adjustments (growth, lock, bounds) and month locks (a locked amount with a fiscal month)."""
    cols = [*DIMENSIONS, "month", "growth", "locked", "min_amount", "max_amount"]
    if adj is None or adj.empty:
        return pd.DataFrame(columns=cols), pd.DataFrame(columns=cols)
    out = adj.reindex(columns=cols)
    for d in DIMENSIONS:
        out[d] = out[d].astype(object).where(out[d].notna() & (out[d].astype(str).str.strip() != ""), None)
    problems = [problem("an adjustment must name a node: fill the hierarchy columns ({h}) down to it.",
                        "调整须指明节点：按层级（{h}）填写到该节点。", table="TargetAdjustments", row=row,
                        column=dims[0], h=dims_path(dims))
                for row in out.index[~out[list(DIMENSIONS)].notna().any(axis=1)]]
    for d in DIMENSIONS:
        if d not in dims and out[d].notna().any():
            problems.append(problem("{d} is not a level of the hierarchy ({h}); leave it blank.",
                                    "{d} 不在分解层级（{h}）中；请留空。", table="TargetAdjustments",
                                    row=out.index[out[d].notna()][0], column=d, d=dim_name(d), h=dims_path(dims)))
    monthly = out["month"].notna()
    for row in out.index[monthly]:
        r = out.loc[row]
        if pd.isna(r["locked"]) or r[["growth", "min_amount", "max_amount"]].notna().any() or pd.isna(r[dims[-1]]):
            problems.append(problem("a row with a month locks one {d}'s month: give the locked amount only.",
                                    "填写月份的行用于锁定某个{d}的某月目标：只填锁定金额。", table="TargetAdjustments",
                                    row=row, column="month", d=dim_name(dims[-1])))
    if problems:
        raise InputError(problems)
    return out[~monthly], out[monthly]
