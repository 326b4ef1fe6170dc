"""Inputs of the commission engine as integer-coded numpy arrays, checked once.

Everything downstream works on codes (rep, plan, deal position, day number, period number) rather
than on text, which is what keeps a million credited lines inside the benchmark budget.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesbook.engines.commissions.tiers import TierError, check_tiers
from salesbook.errors import InputError, Problem, problem, row_number
from salesbook.messages import Words, choice_name, column_name, items, reason, sheet_name

NO_DAY = np.iinfo(np.int64).min // 4     # a missing start-type date
FAR_DAY = np.iinfo(np.int64).max // 4    # a missing end-type date (open-ended)
GRAINS = ("month", "quarter", "year")


def days(values, missing: int = NO_DAY) -> np.ndarray:
    """Dates as whole days since 1970-01-01 (int64); missing dates become ``missing``."""
    a = pd.to_datetime(pd.Series(values), errors="coerce").to_numpy(dtype="datetime64[D]")
    out = a.astype(np.int64)
    out[np.isnat(a)] = missing
    return out


def period_code(day: np.ndarray, grain: str) -> np.ndarray:
    """Period number of each day: months, quarters or years since 1970."""
    months = np.asarray(day, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return months if grain == "month" else months // 3 if grain == "quarter" else months // 12


def period_bounds(code: np.ndarray, grain: str) -> tuple[np.ndarray, np.ndarray]:
    """First and last day of each period number."""
    per = {"month": 1, "quarter": 3, "year": 12}[grain]
    first_month = np.asarray(code, dtype=np.int64) * per
    start = first_month.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    end = (first_month + per).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) - 1
    return start, end


def period_label(code: np.ndarray, grain: str) -> np.ndarray:
    """Text label of each period number: 2026-01, 2026Q1 or 2026."""
    code = np.asarray(code, dtype=np.int64)
    if grain == "month":
        return np.array([f"{1970 + c // 12}-{c % 12 + 1:02d}" for c in code], dtype=object)
    if grain == "quarter":
        return np.array([f"{1970 + c // 4}Q{c % 4 + 1}" for c in code], dtype=object)
    return np.array([str(1970 + c) for c in code], dtype=object)


def col(df: pd.DataFrame, name: str, default=np.nan, dtype=float) -> np.ndarray:
    """A column as a numpy array, or the default when the column is absent (direct API callers)."""
    if name not in df.columns:
        return np.full(len(df), default, dtype=dtype if default is not None else object)
    s = df[name]
    if dtype is float:
        return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if dtype is bool:
        return s.fillna(False).astype(bool).to_numpy()
    return s.astype(object).where(s.notna(), default).to_numpy(dtype=object)


def text(df: pd.DataFrame, name: str, default: str) -> np.ndarray:
    """A text/choice column with blanks as ``default``, trimmed and lower-cased (cleaned once per distinct value)."""
    if name not in df.columns:
        return np.full(len(df), default, dtype=object)
    codes, uniq = pd.factorize(df[name].astype(object), use_na_sentinel=True)
    clean = np.array([str(v).strip().lower() or default for v in uniq] + [default], dtype=object)
    return clean[np.where(codes < 0, len(uniq), codes)]


def sort_order(*keys: np.ndarray) -> np.ndarray:
    """Stable order by several non-negative integer keys, most significant first.

    The keys are packed into one int64 when their ranges fit (one sort instead of a multi-key lexsort).
    """
    keys = [np.asarray(k).astype(np.int64) for k in keys]
    lows = [int(k.min()) if len(k) else 0 for k in keys]
    widths = [max(1, int(int(k.max()) - lo + 1).bit_length()) if len(k) else 1 for k, lo in zip(keys, lows, strict=True)]
    if sum(widths) > 62:
        return np.lexsort(keys[::-1])
    packed = np.zeros(len(keys[0]), dtype=np.int64)
    for k, lo, w in zip(keys, lows, widths, strict=True):
        packed = (packed << w) | (k - lo)
    return np.argsort(packed, kind="stable")


@dataclass
class Plans:
    """Plan settings by plan code (row order of the Plans table) and each plan's tier table."""

    ids: np.ndarray
    method: np.ndarray
    measure: np.ndarray
    units: np.ndarray           # True: the plan pays on credited units (commission_base = quantity), tiers per unit
    scope: np.ndarray
    basis: np.ndarray
    gate: np.ndarray
    cap_line: np.ndarray
    min_line: np.ndarray
    cap_period: np.ndarray
    override: np.ndarray
    draw: np.ndarray
    recoverable: np.ndarray
    recovery_from: np.ndarray   # first period of employment whose draw is recovered (NaN: the first)
    tiers: list
    index: pd.Index


def load_plans(plans: pd.DataFrame, tiers: pd.DataFrame, problems: list[Problem]) -> Plans:
    """Plan arrays plus tier tables; a plan with no usable tiers is a located problem."""
    ids = plans["plan_id"].astype(object).to_numpy()
    index = pd.Index(ids)
    base = text(plans, "commission_base", "amount")
    p = Plans(ids=ids, method=text(plans, "tier_method", "marginal"), measure=text(plans, "measure", "amount"),
              units=base == "quantity", scope=text(plans, "tier_scope", "period"), basis=text(plans, "basis", "booking"),
              gate=col(plans, "gate"), cap_line=col(plans, "cap_line"), min_line=col(plans, "min_line"),
              cap_period=col(plans, "cap_period"), override=np.nan_to_num(col(plans, "override_rate")),
              draw=np.nan_to_num(col(plans, "draw_amount")),
              recoverable=text(plans, "draw_type", "recoverable") != "non_recoverable",
              recovery_from=col(plans, "recovery_from_period"), tiers=[], index=index)
    for i, row in enumerate(plans.index):
        for name, value, allowed in (("tier_method", p.method[i], ("marginal", "whole")),
                                     ("commission_base", base[i], ("amount", "quantity")),
                                     ("measure", p.measure[i], ("amount", "attainment")),
                                     ("tier_scope", p.scope[i], ("period", "deal")),
                                     ("basis", p.basis[i], ("booking", "cash"))):
            if value not in allowed:
                problems.append(problem("plan {p}: '{v}' is not one of {a}.", "方案 {p}：“{v}”不是允许的取值；可选：{a}。",
                                        table="Plans", row=row_number(row), column=name, p=ids[i], v=value,
                                        a=items(choice_name("Plans", name, a) for a in allowed)))
    for i in np.flatnonzero(p.min_line > p.cap_line):
        problems.append(problem("plan {p}: the line minimum {m} is above the line cap {c}; a line cannot earn at least "
                                "{m} and at most {c}.",
                                "方案 {p}：单笔保底 {m} 高于单笔封顶 {c}；同一笔不能既至少 {m} 又至多 {c}。", table="Plans",
                                row=row_number(plans.index[i]), column="min_line", p=ids[i],
                                m=f"{p.min_line[i]:,.2f}", c=f"{p.cap_line[i]:,.2f}"))
    t_plan = tiers["plan_id"].astype(object).to_numpy() if len(tiers) else np.array([], dtype=object)
    t_rate, t_unit = col(tiers, "rate"), col(tiers, "per_unit")
    for i, plan_id in enumerate(ids):
        rows = np.flatnonzero(t_plan == plan_id)
        sel = tiers.iloc[rows]
        if sel.empty and (p.override[i] > 0 or p.draw[i] > 0):
            p.tiers.append((np.array([0.0]), np.array([0.0])))  # an override-only or draw-only plan
            continue
        found = _tier_pay_problems(plan_id, bool(p.units[i]), tiers.index[rows], t_rate[rows], t_unit[rows])
        if found:
            problems.extend(found)
            p.tiers.append((np.array([0.0]), np.array([0.0])))
            continue
        pay = t_unit[rows] if p.units[i] else t_rate[rows]
        try:
            p.tiers.append(check_tiers(list(zip(sel["lower_bound"], pay, strict=True))))
        except TierError as exc:
            p.tiers.append((np.array([0.0]), np.array([0.0])))
            row = row_number(sel.index[0]) if len(sel) else None
            problems.append(problem("plan {p}: {e}.", "方案 {p}：{e}。", table="PlanTiers" if len(sel) else "Plans",
                                    row=row if len(sel) else row_number(plans.index[i]),
                                    column="lower_bound" if len(sel) else "plan_id", p=plan_id, e=reason(exc)))
    return p


def _tier_pay_problems(plan_id: object, units: bool, rows: pd.Index, rate: np.ndarray,
                       per_unit: np.ndarray) -> list[Problem]:
    """Each tier pays by the column its plan's commission base reads: Rate on amounts, Per unit on quantity.

    A value in the other column would be ignored without a word, so it is an error naming the cell."""
    out = []
    b, r_, u_ = (column_name("Plans", "commission_base"), column_name("PlanTiers", "rate"),
                 column_name("PlanTiers", "per_unit"))
    q, a = choice_name("Plans", "commission_base", "quantity"), choice_name("Plans", "commission_base", "amount")
    for label, r, u in zip(rows, rate, per_unit, strict=True):
        has_r, has_u, row = not np.isnan(r), not np.isnan(u), row_number(label)
        if units and not has_u and has_r:
            out.append(problem(
                "plan {p} pays on quantity ({b} = {q}), so each tier needs {u}, an amount of money per unit; {r} is a "
                "percentage of amounts and is not used here: type the money per unit in {u}, or set {b} to {a}.",
                "方案 {p} 按数量计提（{b} = {q}），每一档都需要填写{u}（每单位的金额）；{r}是金额的百分比，此处不使用："
                "请在{u}中填写每单位金额，或将{b}改为{a}。",
                table="PlanTiers", row=row, column="per_unit", p=plan_id, b=b, q=q, u=u_, r=r_, a=a))
        elif units and not has_u:
            out.append(problem("plan {p} pays on quantity ({b} = {q}), so each tier needs {u}, an amount of money per "
                               "unit.",
                               "方案 {p} 按数量计提（{b} = {q}），每一档都需要填写{u}（每单位的金额）。",
                               table="PlanTiers", row=row, column="per_unit", p=plan_id, b=b, q=q, u=u_))
        elif units and has_r:
            out.append(problem("plan {p} pays on quantity ({b} = {q}): {r} is not used on its tiers; clear it and keep "
                               "{u}.",
                               "方案 {p} 按数量计提（{b} = {q}）：其阶梯不使用{r}；请清空该单元格，保留{u}。",
                               table="PlanTiers", row=row, column="rate", p=plan_id, b=b, q=q, r=r_, u=u_))
        elif not units and has_u:
            out.append(problem("plan {p} pays on amounts ({b} = {a}): {u} is used only by plans paying on quantity; "
                               "clear it and give a {r}, or set {b} to {q} to pay per unit.",
                               "方案 {p} 按金额计提（{b} = {a}）：{u}只用于按数量计提的方案；请清空该单元格并填写{r}，"
                               "或将{b}改为{q}以按单位计提。",
                               table="PlanTiers", row=row, column="per_unit", p=plan_id, b=b, a=a, u=u_, r=r_, q=q))
        elif not units and not has_r:
            out.append(problem("plan {p} pays on amounts ({b} = {a}), so each tier needs a {r}.",
                               "方案 {p} 按金额计提（{b} = {a}），每一档都需要填写{r}。",
                               table="PlanTiers", row=row, column="rate", p=plan_id, b=b, a=a, r=r_))
    return out


@dataclass
class Credits:
    """One credited line per deal x rep: the deal's position, the rep, its share and overlay flag."""

    deal: np.ndarray
    rep: np.ndarray
    share: np.ndarray
    overlay: np.ndarray
    deal_index: pd.Index   # the deal ids, whose lookup table (built once, for 200,000 ids 0.03 s) later lookups reuse


def credit_arrays(deals: pd.DataFrame, credits: pd.DataFrame | None) -> Credits:
    """Deals split by Credits; deals with no (non-overlay) Credits rows credit 100% to their owner.

    Non-overlay shares of a deal must total 100%; otherwise every offending Credits row is reported.
    """
    problems: list[Problem] = []
    ids = deals["deal_id"].astype(object).to_numpy()
    # kept as Python objects: pandas 3 would infer its Arrow-backed "str" index, whose lookups of the
    # credits' and payments' ids took 0.25 s against 0.17 s for 200,000 deals (median of 7, alternating)
    index = pd.Index(ids, dtype=object)
    if not index.is_unique:
        for i in np.flatnonzero(index.duplicated(keep=False)):
            problems.append(problem("deal {d} appears more than once.", "订单 {d} 重复出现。", table="Deals",
                                    row=row_number(deals.index[i]), column="deal_id", d=ids[i]))
        raise InputError(problems)
    owner = deals["rep_id"].astype(object).to_numpy()
    n = len(deals)
    if credits is None or credits.empty:
        return Credits(np.arange(n), owner, np.ones(n), np.zeros(n, dtype=bool), index)
    pos = index.get_indexer(credits["deal_id"].astype(object).to_numpy())
    overlay = col(credits, "overlay", False, bool)
    share = np.nan_to_num(col(credits, "share"))
    for i in np.flatnonzero(pos < 0):
        problems.append(problem("deal {d} is not in sheet '{s}'.", "订单 {d} 不在工作表“{s}”中。", table="Credits",
                                s=sheet_name("Deals"),
                                row=row_number(credits.index[i]), column="deal_id", d=credits["deal_id"].iloc[i]))
    ok = pos >= 0
    main = ok & ~overlay
    total = np.bincount(pos[main], weights=share[main], minlength=n)
    has = np.bincount(pos[main], minlength=n) > 0
    bad = has & (np.abs(total - 1.0) > 1e-6)
    for i in np.flatnonzero(main & bad[np.where(ok, pos, 0)]):
        problems.append(problem("credit shares of deal {d} total {t:.2%}, not 100% (mark extra credit as overlay).",
                                "订单 {d} 的业绩分配合计 {t:.2%}，不是 100%（额外业绩请标记为叠加）。", table="Credits",
                                row=row_number(credits.index[i]), column="share", d=ids[pos[i]], t=total[pos[i]]))
    if problems:
        raise InputError(problems)
    whole = np.flatnonzero(~has)
    c_pos = pos[ok]
    deal = np.concatenate([whole, c_pos])
    order = np.argsort(deal, kind="stable")  # deal order, owner line first, then Credits rows as listed
    rep = np.concatenate([owner[whole], credits["rep_id"].astype(object).to_numpy()[ok]])
    return Credits(deal[order], rep[order], np.concatenate([np.ones(len(whole)), share[ok]])[order],
                   np.concatenate([np.zeros(len(whole), dtype=bool), overlay[ok]])[order], index)


@dataclass
class Assignments:
    """Effective-dated plan assignments, sorted by rep then start day."""

    rep: np.ndarray
    plan: np.ndarray
    start: np.ndarray
    end: np.ndarray
    quota: np.ndarray
    quota_qty: np.ndarray       # quota in units (plans paying on quantity)

    def plan_at(self, rep: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Index of the assignment in force for each (rep, day), -1 where none applies."""
        if len(self.rep) == 0:
            return np.full(len(rep), -1)
        lo = min(int(self.start.min()), int(day.min()) if len(day) else 0)
        span = max(int(self.start.max()), int(day.max()) if len(day) else 0) - lo + 2
        key_a = self.rep * span + (self.start - lo)
        key_l = rep.astype(np.int64) * span + (day - lo)
        i = np.searchsorted(key_a, key_l, side="right") - 1
        safe = np.clip(i, 0, None)
        ok = (i >= 0) & (self.rep[safe] == rep) & (day >= self.start[safe]) & (day <= self.end[safe])
        return np.where(ok, i, -1)


def load_assignments(assignments: pd.DataFrame, rep_index: pd.Index, plans: Plans,
                     problems: list[Problem]) -> Assignments:
    """Assignments as codes; unknown plans, reversed dates and overlapping periods are located problems."""
    a = assignments
    rep = rep_index.get_indexer(a["rep_id"].astype(object).to_numpy())
    plan = plans.index.get_indexer(a["plan_id"].astype(object).to_numpy())
    start = days(a["start_date"])
    end = days(a["end_date"], FAR_DAY) if "end_date" in a else np.full(len(a), FAR_DAY)
    quota = col(a, "quota")
    quota_qty = col(a, "quota_quantity")
    rows = [row_number(r) for r in a.index]
    for i in np.flatnonzero(plan < 0):
        problems.append(problem("plan {p} is not in sheet '{s}'.", "方案 {p} 不在工作表“{s}”中。", table="PlanAssignments",
                                s=sheet_name("Plans"),
                                row=rows[i], column="plan_id", p=a["plan_id"].iloc[i]))
    for i in np.flatnonzero(start == NO_DAY):
        problems.append(problem("a start date is required.", "需要填写生效日期。", table="PlanAssignments",
                                row=rows[i], column="start_date"))
    for i in np.flatnonzero((end < start) & (start != NO_DAY)):
        problems.append(problem("end date is before the start date.", "失效日期早于生效日期。", table="PlanAssignments",
                                row=rows[i], column="end_date"))
    need_quota = np.zeros(len(a), dtype=bool)
    on_units = np.zeros(len(a), dtype=bool)
    ok_plan = plan >= 0
    need_quota[ok_plan] = (plans.measure[plan[ok_plan]] == "attainment") | ~np.isnan(plans.gate[plan[ok_plan]])
    on_units[ok_plan] = plans.units[plan[ok_plan]]
    for i in np.flatnonzero(need_quota & ~on_units & ~(quota > 0)):
        problems.append(problem("plan {p} pays on quota attainment or has a gate, so a quota above 0 is needed.",
                                "方案 {p} 按配额达成率计提或设有门槛，需要填写大于 0 的配额。", table="PlanAssignments",
                                row=rows[i], column="quota", p=a["plan_id"].iloc[i]))
    for i in np.flatnonzero(on_units & ~(quota_qty > 0) & (need_quota | (quota > 0))):
        why = (Words("pays per unit and tiers on quota attainment or has a gate, so a quota in units above 0 is needed",
                     "按数量计提，且按配额达成率分档或设有门槛，需要填写大于 0 的数量配额") if need_quota[i] else
               Words("pays per unit, so its quota is counted in units; the money quota alone is not used",
                     "按数量计提，配额按数量计算；只填金额配额不会被使用"))
        problems.append(problem("plan {p} {why}: give {qq}.", "方案 {p} {why}：请填写{qq}。", table="PlanAssignments",
                                row=rows[i], column="quota_quantity", p=a["plan_id"].iloc[i], why=why,
                                qq=column_name("PlanAssignments", "quota_quantity")))
    order = np.lexsort((start, rep))
    rs, ss, es = rep[order], start[order], end[order]
    clash = np.flatnonzero((rs[1:] == rs[:-1]) & (ss[1:] <= es[:-1]))
    for k in clash:
        problems.append(problem("overlaps the assignment in row {r} for rep {rep}: only one plan can apply on a day.",
                                "与第 {r} 行的方案分配重叠（销售代表 {rep}）：同一天只能适用一个方案。",
                                table="PlanAssignments", row=rows[order[k + 1]], column="start_date",
                                r=rows[order[k]], rep=a["rep_id"].iloc[order[k + 1]]))
    keep = order[(rep[order] >= 0) & (plan[order] >= 0)]
    return Assignments(rep[keep].astype(np.int64), plan[keep], start[keep], end[keep], quota[keep], quota_qty[keep])


def coverage(asg: Assignments, hire: np.ndarray, leave: np.ndarray, p_first: int, n_periods: int,
             grain: str) -> np.ndarray:
    """Share of each period (0..1) each assignment covers while the rep is employed: shape (assignments, periods)."""
    codes = p_first + np.arange(n_periods)
    p_start, p_end = period_bounds(codes, grain)
    first = np.maximum(np.maximum(asg.start, hire[asg.rep])[:, None], p_start[None, :])
    last = np.minimum(np.minimum(asg.end, leave[asg.rep])[:, None], p_end[None, :])
    return np.clip((last - first + 1) / (p_end - p_start + 1)[None, :], 0.0, 1.0)
