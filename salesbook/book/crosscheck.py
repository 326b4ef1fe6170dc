"""Checks across tables that foreign keys do not cover: words that must name something in another table.

A KPI weight for a role no rep holds, or a scoring rule on a field the Leads sheet does not have, is
valid cell by cell and still means the user's intent never reaches the engine. Here those are found
once, at the boundary, and either resolved (a rule field typed as the Leads header the user sees) or
reported with the values that would have matched.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from salesbook.book.headers import header_lookup, match_header
from salesbook.errors import Problem, problem
from salesbook.messages import Count, Words, choice_name, column_name, items
from salesbook.schemas import REGISTRY


def _has_rows(frame: pd.DataFrame | None) -> bool:
    return frame is not None and len(frame) > 0


def check_roles(tables: Mapping[str, pd.DataFrame], sheets: Mapping[str, str],
                shown: Mapping[tuple[str, str], str]) -> list[Problem]:
    """Warnings: weights for a role no rep holds; reps with results whose role has no weights (no scorecard)."""
    reps, weights = tables.get("Reps"), tables.get("KPIWeights")
    if not (_has_rows(reps) and _has_rows(weights)) or "KPIWeights" not in sheets:
        return []
    codes = set(reps["role"].dropna())
    held = items(_role(r) for r in sorted(codes))
    out: list[Problem] = []
    for name in ("KPIWeights", "WeightMethods", "AHPJudgements"):
        frame = tables.get(name)
        if not _has_rows(frame) or name not in sheets:
            continue
        for role, rows in frame.groupby("role", sort=True).groups.items():
            if role not in codes:
                out.append(problem("no rep has the role '{role}', so these rows are not used; roles in Reps: {held}.",
                                   "没有销售代表的岗位级别是“{role}”，这些行不会被使用；销售代表表中的岗位级别：{held}。",
                                   table=name, row=int(min(rows)), column="role", role=_role(role), held=held))
    actuals = tables.get("Actuals")
    with_results = set(actuals["rep_id"].dropna()) if _has_rows(actuals) else set()
    unscored = reps[reps["role"].notna() & ~reps["role"].isin(weights["role"]) & reps["rep_id"].isin(with_results)]
    if len(unscored):
        roles = items(_role(r) for r in sorted(unscored["role"].unique()))
        out.append(problem(
            "{n:rep/reps} with results in Actuals hold the role {roles}, which has no KPI weights, so no "
            "scorecard; add rows for {roles} to KPIWeights if they are assessed.",
            "{n} 名在指标实际表中有数据的销售代表，其岗位级别（{roles}）在指标权重表中没有权重，因此没有考核结果；"
            "如需考核请在指标权重表中添加。",
            table="Reps", row=int(unscored.index[0]), column="role", n=Count(len(unscored)), roles=roles))
    return out


def _role(code: object) -> Words:
    return choice_name("Reps", "role", code)


def resolve_rule_fields(tables: dict[str, pd.DataFrame], sheets: Mapping[str, str],
                        shown: Mapping[tuple[str, str], str]) -> list[Problem]:
    """Scoring-rule fields typed as any Leads header (canonical, zh, en, alias, or however the book's own header
    is written) become the canonical column; a field that names no Leads column is an error listing them."""
    rules, leads = tables.get("ScoringRules"), tables.get("Leads")
    if not _has_rows(rules) or leads is None:
        return []
    table = REGISTRY["Leads"]
    lookup = header_lookup(table)
    problems: list[Problem] = []
    fields = rules["field"].astype("object")
    resolved = fields.copy()
    is_field_rule = rules["group"] != "engagement"
    for row in rules.index[is_field_rule.to_numpy(dtype=bool)]:
        text = fields[row]
        if text is None or pd.isna(text):
            continue
        canon = match_header(text, lookup)  # the same matching that read the Leads sheet's own headers
        if canon is None:
            problems.append(problem(
                "'{v}' is not a column of the Leads sheet; use one of: {allowed_en}.",
                "“{v}”不是线索表的列；可选：{allowed_zh}。",
                sheet=sheets.get("ScoringRules", "ScoringRules"), row=int(row),
                column=shown.get(("ScoringRules", "field"), "Field"), v=text,
                allowed_en=", ".join(c.label_en for c in table.columns),
                allowed_zh="、".join(c.zh for c in table.columns)))
            continue
        resolved[row] = canon
    tables["ScoringRules"] = rules.assign(field=resolved.astype("string"))
    return problems


def engagement_warnings(tables: Mapping[str, pd.DataFrame], sheets: Mapping[str, str],
                        shown: Mapping[tuple[str, str], str]) -> list[Problem]:
    """An engagement rule whose event type never occurs in LeadEvents never adds a point: say so."""
    rules, events = tables.get("ScoringRules"), tables.get("LeadEvents")
    if not (_has_rows(rules) and _has_rows(events)):
        return []
    seen = set(events["event_type"].dropna().astype(str).str.strip().str.casefold())
    out = []
    eng = rules[rules["group"] == "engagement"]
    for row, text in zip(eng.index, eng["field"], strict=True):
        if text is None or pd.isna(text) or str(text).strip().casefold() in seen:
            continue
        out.append(problem("no event in LeadEvents has the type '{v}', so this rule never adds points.",
                           "线索行为表中没有类型为“{v}”的行为，此规则不会加分。",
                           sheet=sheets.get("ScoringRules", "ScoringRules"), row=int(row),
                           column=shown.get(("ScoringRules", "field"), "Field"), v=text))
    return out


# Highest tier start that is still a believable quota attainment (500%); 80 or 100 there mean 80% or 100%.
_MAX_ATTAINMENT_BOUND = 5.0


def attainment_bounds(tables: Mapping[str, pd.DataFrame], sheets: Mapping[str, str],
                      shown: Mapping[tuple[str, str], str]) -> list[Problem]:
    """Tier starts of plans measured on quota attainment are fractions (1 = 100%): 80 there means 80%."""
    plans, tiers = tables.get("Plans"), tables.get("PlanTiers")
    if not (_has_rows(plans) and _has_rows(tiers)):
        return []
    on_attainment = set(plans.loc[plans["measure"] == "attainment", "plan_id"].dropna())
    bounds = pd.to_numeric(tiers["lower_bound"], errors="coerce")
    bad = tiers["plan_id"].isin(on_attainment) & (bounds > _MAX_ATTAINMENT_BOUND)
    out = []
    for row in tiers.index[bad.to_numpy(dtype=bool)]:
        v = float(bounds[row])
        out.append(problem(
            "plan {plan} tiers on quota attainment, written as a fraction (100% is 1.0): {v} would be {pct}%. "
            "Did you mean {v}%? Type it as {v}% (or {f}).",
            "方案 {plan} 按配额达成率分档，1 表示 100%：{v} 相当于 {pct}%。是否应为 {v}%？请输入 {v}%（或 {f}）。",
            sheet=sheets.get("PlanTiers", "PlanTiers"), row=int(row),
            column=shown.get(("PlanTiers", "lower_bound"), "Lower bound"), plan=tiers.at[row, "plan_id"],
            v=f"{v:g}", pct=f"{v * 100:g}", f=f"{v / 100:g}"))
    return out


def per_unit_warnings(tables: Mapping[str, pd.DataFrame], sheets: Mapping[str, str],
                      shown: Mapping[tuple[str, str], str]) -> list[Problem]:
    """Warnings on plans paying per unit: money per unit that reads like a rate, or that pays at least a whole
    unit's list price; a tier start below one unit that reads like quota attainment; a unit quota on a plan
    paying on amounts, which nothing reads."""
    plans, tiers = tables.get("Plans"), tables.get("PlanTiers")
    if not (_has_rows(plans) and _has_rows(tiers)) or "commission_base" not in plans:
        return []
    base = plans["commission_base"].astype(object).fillna("amount")
    on_units = set(plans.loc[base.eq("quantity").to_numpy(dtype=bool), "plan_id"].dropna())
    on_amount = set(plans.loc[base.eq("amount").to_numpy(dtype=bool), "plan_id"].dropna())
    measure = plans["measure"].astype(object).fillna("amount") if "measure" in plans else None   # blank: the default
    by_count = set(plans.loc[measure.ne("attainment").to_numpy(dtype=bool), "plan_id"].dropna()) \
        if measure is not None else set(plans["plan_id"].dropna())
    products = tables.get("Products")
    prices = pd.to_numeric(products["unit_price"], errors="coerce").dropna() \
        if _has_rows(products) and "unit_price" in products else pd.Series(dtype=float)
    top = float(prices.max()) if len(prices) else None
    per_unit = pd.to_numeric(tiers["per_unit"], errors="coerce") if "per_unit" in tiers else None
    bound = pd.to_numeric(tiers["lower_bound"], errors="coerce")
    out: list[Problem] = []
    for row in tiers.index:
        plan = tiers.at[row, "plan_id"]
        if plan not in on_units:
            continue
        v = float(per_unit[row]) if per_unit is not None and pd.notna(per_unit[row]) else None
        where = {"sheet": sheets.get("PlanTiers", "PlanTiers"), "row": int(row)}
        if v is not None and 0 < v < 1:
            out.append(problem(
                "plan {plan} pays {v} per unit, less than 1: if {v} is a rate (a percentage of amounts), set the plan's "
                "{b} to {a} and type it as the tier's {r}.",
                "方案 {plan} 每单位提成 {v}，小于 1：如果 {v} 是比例（金额的百分比），请把方案的{b}改为{a}，并填入该档的{r}。",
                column=shown.get(("PlanTiers", "per_unit"), "Per unit"), plan=plan, v=f"{v:g}",
                b=column_name("Plans", "commission_base"), a=choice_name("Plans", "commission_base", "amount"),
                r=column_name("PlanTiers", "rate"), **where))
        elif v is not None and top is not None and v >= top:
            out.append(problem(
                "plan {plan} pays {v} per unit, at least the highest unit price of any product ({top}): check it is "
                "money per unit, not a total.",
                "方案 {plan} 每单位提成 {v}，不低于所有产品中最高的单价（{top}）：请确认填写的是每单位金额，而不是总额。",
                column=shown.get(("PlanTiers", "per_unit"), "Per unit"), plan=plan, v=f"{v:,.2f}", top=f"{top:,.2f}",
                **where))
        lb = bound[row]
        if plan in by_count and pd.notna(lb) and 0 < lb < 1:
            out.append(problem(
                "plan {plan} pays per unit and tiers on the units themselves, so this tier starts at {v} of a unit; "
                "for quota attainment ({pct}%) set the plan's {m} to {att}.",
                "方案 {plan} 按数量计提、按数量本身分档，此档从 {v} 个单位开始；如果指的是配额达成率 {pct}%，请把方案的"
                "{m}改为{att}。",
                column=shown.get(("PlanTiers", "lower_bound"), "Lower bound"), plan=plan, v=f"{lb:g}",
                pct=f"{lb * 100:g}", m=column_name("Plans", "measure"), att=choice_name("Plans", "measure", "attainment"),
                **where))
    assignments = tables.get("PlanAssignments")
    if _has_rows(assignments) and "quota_quantity" in assignments:
        unit_quota = pd.to_numeric(assignments["quota_quantity"], errors="coerce")
        unused = assignments["plan_id"].isin(on_amount) & unit_quota.notna()
        for row in assignments.index[unused.to_numpy(dtype=bool)]:
            out.append(problem(
                "plan {plan} pays on amounts, so this {qq} is only shown on the statements; attainment, tiers and the "
                "gate use {q}.",
                "方案 {plan} 按金额计提，此{qq}只显示在对账单上；达成率、阶梯和门槛使用{q}。",
                sheet=sheets.get("PlanAssignments", "PlanAssignments"), row=int(row),
                column=shown.get(("PlanAssignments", "quota_quantity"), "Unit quota"), plan=assignments.at[row, "plan_id"],
                qq=column_name("PlanAssignments", "quota_quantity"), q=column_name("PlanAssignments", "quota")))
    return out


def credit_notes(tables: dict[str, pd.DataFrame]) -> None:
    """A credit note counts negative whichever sign its amount was typed with: ERP exports often list credit
    notes with positive amounts and say what they are in a document-type column. Every engine then sees a
    credit note as a negative amount (a negative amount is one even without the column)."""
    deals = tables.get("Deals")
    if not _has_rows(deals) or "doc_type" not in deals:
        return
    note = deals["doc_type"].astype(object).eq("credit_note").to_numpy(dtype=bool)
    flip = note & (pd.to_numeric(deals["amount"], errors="coerce") > 0).to_numpy(dtype=bool)
    if flip.any():
        amount = deals["amount"].copy()
        amount[flip] = -amount[flip]
        tables["Deals"] = deals.assign(amount=amount)
