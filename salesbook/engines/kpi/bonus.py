"""The variable-pay bonus of a scorecard, factor by factor.

    bonus = annual target bonus x period share x KPI factor x company factor x business-unit factor
            x share of the period employed, capped at ``bonus_cap`` x the period's target bonus

The annual target bonus is ``Reps.target_bonus``, or ``salary x target_bonus_pct``: the formula of published
variable-pay plans, "Final Bonus = (Base Salary x Target %) x Individual Multiplier x Company Multiplier"
(worked example: 80,000 x 10% x 1.5 x 0.8 = 9,600; https://costcalculator.calculator.city/calculation-bonus),
and of corporate short-term incentive plans, where a company goal achieved below a threshold pays nothing
and the payout is capped (e.g. the plan filed at
https://www.sec.gov/Archives/edgar/data/862831/000095015206002115/l17984aexv10w20.htm: below 80% of the
corporate goal 0%, from 80% to 100% the achievement times the target %).

The KPI factor is the rating band's multiplier (stepped) or, with ``kpi_factor = "score"``, the weighted
total itself: total / 100, 0 below a threshold, within a floor and a cap. Company and business-unit
(region or product line) factors come per period from ``PerformanceFactors``, each with its own optional
cap; a scorecard takes the most specific factor whose period holds it (month, then quarter, then year).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesbook.engines.kpi.fiscal import period_key
from salesbook.engines.money import round_array
from salesbook.errors import InputError, Problem, problem, row_number
from salesbook.messages import Listing, Words, column_name, items, setting_choice_name, setting_name

GRAIN_MONTHS = {"month": 1, "quarter": 3, "year": 12}
KPI_FACTORS = ("rating", "score")


@dataclass(frozen=True)
class BonusRules:
    """How the scorecard enters the bonus (Settings bonus_kpi_factor, bonus_score_*, bonus_cap)."""

    kpi_factor: str = "rating"
    score_threshold: float | None = None   # fractions of a total of 100: 0.8 = a total of 80.0
    score_floor: float | None = None
    score_cap: float | None = None
    bonus_cap: float | None = None         # share of the period's target bonus


TEXT = {
    "en": {
        "start": "bonus = ", "salary": "{s} (salary) × {p} (target bonus)", "target": "{t} (target bonus)",
        "none": "no target bonus in Reps (Target bonus, or Base salary and Target bonus %): bonus 0.00",
        "share": " × {m}/12 ({kind})", "kind": {"month": "month", "quarter": "quarter"},
        "rating": " × {f} (rating {r}, total {t:.1f})",
        "knockout": " × {f} (knockout: {kpi} below its threshold, lowest rating {r})",
        "score": " × {f} (KPI total {t:.1f})",
        "below": " × 0 (KPI total {t:.1f}, below the threshold {th:.1f})",
        "floor": " × {f} (KPI total {t:.1f}, raised to the floor {x:.1f})",
        "score_cap": " × {f} (KPI total {t:.1f}, capped at {x:.1f})",
        "company": " × {f} (company factor {p}{c})", "region": " × {f} (region {u} factor {p}{c})",
        "product_line": " × {f} (product line {u} factor {p}{c})", "capped": ", {raw} capped at {cap}",
        "employed": " × {d}/{n} (days employed)", "equals": " = {b}",
        "bonus_cap": "; capped at {c} of the period's target bonus {t}: {b}",
    },
    "zh": {
        "start": "奖金 = ", "salary": "{s}（年薪） × {p}（目标奖金比例）", "target": "{t}（目标奖金）",
        "none": "销售代表表中没有目标奖金（目标奖金，或年薪与目标奖金比例）：奖金 0.00",
        "share": " × {m}/12（{kind}）", "kind": {"month": "月度", "quarter": "季度"},
        "rating": " × {f}（评级 {r}，总分 {t:.1f}）",
        "knockout": " × {f}（一票否决：{kpi} 低于门槛，最低评级 {r}）",
        "score": " × {f}（考核总分 {t:.1f}）",
        "below": " × 0（考核总分 {t:.1f}，低于门槛 {th:.1f}）",
        "floor": " × {f}（考核总分 {t:.1f}，按下限 {x:.1f}）",
        "score_cap": " × {f}（考核总分 {t:.1f}，按上限 {x:.1f}）",
        "company": " × {f}（公司系数 {p}{c}）", "region": " × {f}（区域 {u} 系数 {p}{c}）",
        "product_line": " × {f}（产品线 {u} 系数 {p}{c}）", "capped": "，{raw} 按上限 {cap}",
        "employed": " × {d}/{n}（在岗天数）", "equals": " = {b}",
        "bonus_cap": "；按本期目标奖金 {t} 的 {c} 封顶：{b}",
    },
}


def money(x: float) -> str:
    return f"{x:,.2f}"


def factor(x: float) -> str:
    """A factor as a finance sheet writes it: 1.08, 0.95, 1.5, 0."""
    return f"{x:.6f}".rstrip("0").rstrip(".")


def percent(x: float) -> str:
    return f"{x * 100:.4f}".rstrip("0").rstrip(".") + "%"


# -- annual targets ------------------------------------------------------------------------------------------

@dataclass
class Targets:
    """Each rep's annual target bonus and, where it comes from salary x %, those two."""

    amount: pd.Series   # by rep_id
    salary: pd.Series   # NaN unless the target is salary x %
    pct: pd.Series


def annual_targets(reps: pd.DataFrame) -> Targets:
    """Target bonus per rep: the amount, or salary x target %; both given and different is an error."""
    ids = reps["rep_id"]
    amount = _num(reps, "target_bonus")
    salary = _num(reps, "salary")
    pct = _num(reps, "target_bonus_pct")
    problems: list[Problem] = []
    from_pct = salary * pct
    for i in np.flatnonzero(~np.isnan(pct) & np.isnan(salary)):
        problems.append(problem("rep {r} has a target bonus % of {p} but no base salary to take it of.",
                                "销售代表 {r} 填了目标奖金比例 {p}，但没有年薪，无法计算目标奖金。", table="Reps",
                                row=row_number(reps.index[i]), column="salary", r=ids.iloc[i], p=percent(pct[i])))
    both = ~np.isnan(amount) & ~np.isnan(from_pct)
    for i in np.flatnonzero(both & (np.abs(amount - from_pct) >= 0.005)):
        problems.append(problem(
            "rep {r}: target bonus {t} differs from base salary {s} x target bonus % {p} = {x}; one bonus cannot "
            "have two targets: clear the target bonus (salary x % is then used) or correct one of them.",
            "销售代表 {r}：目标奖金 {t} 与年薪 {s} × 目标奖金比例 {p} = {x} 不一致；一份奖金不能有两个目标："
            "请清空目标奖金（将按年薪 × 比例计算），或更正其中之一。", table="Reps", row=row_number(reps.index[i]),
            column="target_bonus", r=ids.iloc[i], t=money(amount[i]), s=money(salary[i]), p=percent(pct[i]),
            x=money(from_pct[i])))
    if problems:
        raise InputError(problems)
    use = ~np.isnan(from_pct)
    index = pd.Index(ids.to_numpy(dtype=object))
    return Targets(amount=pd.Series(np.where(use, from_pct, np.nan_to_num(amount)), index=index),
                   salary=pd.Series(np.where(use, salary, np.nan), index=index),
                   pct=pd.Series(np.where(use, pct, np.nan), index=index))


def _num(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


# -- performance factors -----------------------------------------------------------------------------------------

_YEAR = re.compile(r"^(\d{4})(?:\.0)?$")
_QUARTER = re.compile(r"^(\d{4})\s*(?:[-/ ]?\s*q|年\s*第?\s*)([1-4])\s*(?:季度?)?$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:月)?(?:[-/.]\d{1,2}(?:\s.*)?|日)?$")
_CN_DIGITS = str.maketrans("０１２３４５６７８９ＱｑＹ－／．", "0123456789QqY-/.")


def parse_period(text: object) -> tuple[str, str] | None:
    """A period as typed -> (grain, label): 2026 -> year "2026"; 2026Q1, 2026 Q1, 2026年第1季度 -> quarter
    "2026Q1"; 2026-03, 2026/3, 2026年3月, or a date in the month -> month "2026-03"."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    s = str(text).strip().translate(_CN_DIGITS)
    if m := _YEAR.match(s):
        return "year", m[1]
    if m := _QUARTER.match(s):
        return "quarter", f"{m[1]}Q{m[2]}"
    if (m := _MONTH.match(s)) and 1 <= int(m[2]) <= 12:
        return "month", f"{m[1]}-{int(m[2]):02d}"
    return None


@dataclass
class Factors:
    """Performance factors by (scope, unit, period label), after their caps, with their source rows."""

    rows: pd.DataFrame   # scope, unit, grain, label, factor, raw, cap, row


def load_factors(factors: pd.DataFrame | None) -> Factors:
    """Check and normalise the PerformanceFactors rows; every problem is located."""
    cols = ["scope", "unit", "grain", "label", "factor", "raw", "cap", "row"]
    if factors is None or factors.empty:
        return Factors(pd.DataFrame(columns=cols))
    problems: list[Problem] = []
    out = []
    seen: dict[tuple[str, str, str], object] = {}
    scope = factors["scope"].fillna("company").astype(str).to_numpy() if "scope" in factors else \
        np.full(len(factors), "company")
    unit = factors["unit"].astype(object).to_numpy() if "unit" in factors else np.full(len(factors), None)
    raw = _num(factors, "factor")
    cap = _num(factors, "cap")
    for i, idx in enumerate(factors.index):
        row = row_number(idx)
        u = None if unit[i] is None or pd.isna(unit[i]) or not str(unit[i]).strip() else str(unit[i]).strip()
        s = scope[i]
        if s == "company" and u is not None:
            problems.append(problem("a company factor applies to everyone: leave the business unit blank, or set the "
                                    "scope to region or product line for '{u}'.",
                                    "公司系数适用于全员：业务单元请留空；如果是“{u}”的系数，请将范围改为区域或产品线。",
                                    table="PerformanceFactors", row=row, column="unit", u=u))
            continue
        if s != "company" and u is None:
            problems.append(problem("a {s} factor needs the business unit it is for.",
                                    "{s}系数需要填写所属业务单元。", table="PerformanceFactors", row=row, column="unit",
                                    s=SCOPE_WORDS[s]))
            continue
        period = parse_period(factors["period"].iloc[i])
        if period is None:
            problems.append(problem("'{v}' is not a period: type 2026 (a fiscal year), 2026Q1 (a fiscal quarter) or "
                                    "2026-03 (a month).",
                                    "“{v}”不是有效的期间：请填写 2026（财年）、2026Q1（财季）或 2026-03（月份）。",
                                    table="PerformanceFactors", row=row, column="period", v=factors["period"].iloc[i]))
            continue
        key = (s, u or "", period[1])
        if key in seen:
            problems.append(problem("a second {what} factor for {p} (the first is on row {first}).",
                                    "{what} {p} 的系数重复（首次出现在第 {first} 行）。", table="PerformanceFactors",
                                    row=row, column="period", p=period[1], first=seen[key],
                                    what=_scope_words(s, u)))
            continue
        seen[key] = row
        f = raw[i] if np.isnan(cap[i]) else min(raw[i], cap[i])
        out.append((s, u or "", period[0], period[1], f, raw[i], cap[i], row))
    if problems:
        raise InputError(problems)
    return Factors(pd.DataFrame(out, columns=cols))


SCOPE_WORDS = {"company": Words("company", "公司"), "region": Words("region", "区域"),
               "product_line": Words("product line", "产品线")}


def _scope_words(scope: str, unit: str | None) -> Words:
    """"company", or the business unit as a sentence names it: "region EAST", "product line HW"."""
    name = SCOPE_WORDS[scope]
    return name if scope == "company" else Words(f"{name.en} {unit}", f"{name.zh} {unit}")


def _containing(keys: pd.Series, grain: str, start_month: int) -> dict[str, pd.Series]:
    """For each scorecard period label, the label of each period grain that holds it (itself included)."""
    keys = keys.astype(str)
    out = {grain: keys}
    if grain == "month":
        first = pd.to_datetime(keys + "-01")
        out["quarter"] = period_key(first, "quarter", start_month)
        out["year"] = period_key(first, "year", start_month)
    elif grain == "quarter":
        out["year"] = keys.str[:4]
    return out


def _rep_units(reps: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each rep's region and product lines (a list; empty when the rep sells every line)."""
    r = reps.set_index("rep_id")
    region = r["region_id"].astype(object) if "region_id" in r else pd.Series(None, index=r.index, dtype=object)
    lines = r["product_lines"] if "product_lines" in r else pd.Series(None, index=r.index, dtype=object)
    lines = lines.map(lambda v: [] if v is None or (isinstance(v, float) and np.isnan(v)) or pd.isna(v)
                      else [p.strip() for p in re.split(r"[,，、;；]", str(v)) if p.strip()])
    return region, lines


def apply_factors(keys: pd.DataFrame, grain: str, start_month: int, reps: pd.DataFrame, table: Factors,
                  warnings: list[Problem] | None = None) -> pd.DataFrame:
    """Company and business-unit factor of each (rep_id, period_key) row: value, label, scope, unit, raw, cap.

    Looked up a grain at a time, most specific first, over whole columns (a book of 200 reps has thousands of
    scorecards, one per rep and period of each kind)."""
    n = len(keys)
    out = pd.DataFrame({"company": np.full(n, np.nan), "company_label": None, "company_raw": np.nan,
                        "company_cap": np.nan, "unit": np.full(n, np.nan), "unit_label": None, "unit_scope": None,
                        "unit_name": None, "unit_raw": np.nan, "unit_cap": np.nan}, index=keys.index)
    f = table.rows
    if f.empty or n == 0:
        return out
    region, lines = _rep_units(reps)
    has = set(zip(f["scope"], f["unit"], strict=True))
    units = _business_units(reps, region, lines, has)          # rep -> (scope, unit), one at most
    rep_ids = keys["rep_id"]
    scope_of = rep_ids.map({r: su[0] for r, su in units.items()}).astype(object).to_numpy()
    unit_of = rep_ids.map({r: su[1] for r, su in units.items()}).astype(object).to_numpy()
    company = np.full(n, "company", dtype=object) if ("company", "") in has else np.full(n, None, dtype=object)
    missing: dict[tuple[str, str], set[str]] = {}
    for prefix, scope, unit in (("company", company, np.full(n, "", dtype=object)),
                                ("unit", scope_of, unit_of)):
        wanted = pd.notna(scope)
        if not wanted.any():
            continue
        value, label, raw, cap = _lookup(f, scope, unit, keys["period_key"], grain, start_month)
        got = ~np.isnan(value)
        out[prefix] = value
        out[f"{prefix}_label"] = label
        out[f"{prefix}_raw"], out[f"{prefix}_cap"] = raw, cap
        if prefix == "unit":
            out["unit_scope"] = np.where(got, scope_of, None)
            out["unit_name"] = np.where(got, unit_of, None)
        lack = np.flatnonzero(wanted & ~got)
        for s_, u_, p_ in zip(scope[lack], unit[lack], keys["period_key"].to_numpy()[lack], strict=True):
            missing.setdefault((str(s_), str(u_)), set()).add(str(p_))
    if warnings is not None:
        known = {("region", str(x)) for x in region.dropna()} | \
                {("product_line", ln) for ls in lines for ln in (ls if isinstance(ls, list) else [])}
        warnings.extend(_factor_warnings(f, grain, known, missing))
    return out


def _business_units(reps: pd.DataFrame, region: pd.Series, lines: pd.Series,
                    has: set[tuple[str, str]]) -> dict[object, tuple[str, str]]:
    """The one business unit with factors each rep belongs to (its region, or one product line it names);
    a rep in two such units is a located problem: a bonus takes one business-unit factor."""
    lines_with = {u for s, u in has if s == "product_line"}
    rows = {r: row_number(i) for i, r in zip(reps.index, reps["rep_id"], strict=True)}
    out: dict[object, tuple[str, str]] = {}
    problems = []
    line_of = dict(zip(lines.index, lines.to_numpy(), strict=True))   # plain lookups: a Series' is 10 us each
    for rep, area in zip(region.index, region.to_numpy(), strict=True):
        found = [("region", str(area))] if pd.notna(area) and ("region", str(area)) in has else []
        names = line_of[rep] if isinstance(line_of[rep], list) else []
        found += [("product_line", ln) for ln in names if ln in lines_with]
        if len(found) > 1:
            problems.append(problem(
                "rep {r} belongs to more than one business unit with factors ({u}); a bonus takes one "
                "business-unit factor: keep the factors of one of them, or name one product line for the rep.",
                "销售代表 {r} 属于多个设有系数的业务单元（{u}）；一份奖金只取一个业务单元系数：请只保留其中一个的系数，"
                "或为该代表只填一条产品线。", table="Reps", row=rows.get(rep), column="product_lines", r=rep,
                u=Listing(u for _, u in found)))
        elif found:
            out[rep] = found[0]
    if problems:
        raise InputError(problems)
    return out


def _lookup(f: pd.DataFrame, scope: np.ndarray, unit: np.ndarray, period: pd.Series, grain: str,
            start_month: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For each row, the factor of (scope, unit) whose period holds the row's period, the most specific first:
    its value after the cap, its period label, the value before the cap and the cap (NaN where none)."""
    n = len(period)
    value, raw, cap = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    label = np.full(n, None, dtype=object)
    holding = _containing(period, grain, start_month)
    table = {f"{s}\x1f{u}\x1f{lab}": i for i, (s, u, lab) in enumerate(zip(f["scope"], f["unit"], f["label"],
                                                                          strict=True))}
    prefix = pd.Series(scope, dtype=object).astype(str) + "\x1f" + pd.Series(unit, dtype=object).astype(str) + "\x1f"
    for g in ("month", "quarter", "year"):
        if g not in holding:
            continue
        at = (prefix + holding[g].astype(str).to_numpy()).map(table).to_numpy(dtype=float)
        take = np.isnan(value) & ~np.isnan(at) & pd.notna(scope)
        i = at[take].astype(np.int64)
        value[take], raw[take], cap[take] = f["factor"].to_numpy()[i], f["raw"].to_numpy()[i], f["cap"].to_numpy()[i]
        label[take] = f["label"].to_numpy()[i]
    return value, label, raw, cap


def _factor_warnings(f: pd.DataFrame, grain: str, known: set, missing: dict) -> list[Problem]:
    """Factors for a shorter period than the pay period, for a business unit no rep is in, and periods without one."""
    out = []
    for row, s, u in zip(f["row"], f["scope"], f["unit"], strict=True):
        if s != "company" and (s, u) not in known:
            out.append(problem("no rep is in {what} (Reps: {c}), so this factor is not used; check the spelling.",
                               "没有销售代表属于{what}（销售代表表：{c}），此系数不会被使用；请检查拼写。",
                               table="PerformanceFactors", row=row, column="unit", what=_scope_words(s, u),
                               c=column_name("Reps", "region_id" if s == "region" else "product_lines")))
    kind = Words(grain, {"month": "月度", "quarter": "季度", "year": "年度"}[grain])
    for row, g, label in zip(f["row"], f["grain"], f["label"], strict=True):
        if GRAIN_MONTHS[g] < GRAIN_MONTHS[grain]:
            out.append(problem("the factor for {p} is for a shorter period than the {k} scorecards the bonus is paid "
                               "on, so it is not used; give the factor of the whole {k} period.",
                               "{p} 的系数所属期间短于发放奖金所依据的{k}考核，因此不使用；请填写整个{k}期间的系数。",
                               table="PerformanceFactors", row=row, column="period", p=label, k=kind))
    first = {}
    for s, u, row in zip(f["scope"], f["unit"], f["row"], strict=True):
        first.setdefault((s, u), row)
    for (s, u), periods in sorted(missing.items()):
        if s != "company" and (s, u) not in known:
            continue
        out.append(problem("no {what} factor for {p:period #/periods #}: those bonuses are worked out without one "
                           "(as 100%).",
                           "{p} 没有{what}的系数：这些奖金按不含该系数（即 100%）计算。", table="PerformanceFactors",
                           row=first[(s, u)], column="period", what=_scope_words(s, u or None),
                           p=Listing(sorted(periods))))
    return out


# -- the bonus ------------------------------------------------------------------------------------------------------

def compute_bonus(cards: pd.DataFrame, grain: str, targets: Targets, factors: pd.DataFrame, rules: BonusRules,
                  lang: str) -> pd.DataFrame:
    """Bonus of each rep-period: ``cards`` has rep_id, period_key, total, rating, multiplier (the rating's),
    knocked (bool), knock_kpi, lowest_rating, lowest_multiplier, emp_days, period_days; ``factors`` comes
    from ``apply_factors`` on the same rows. Returns multiplier (the KPI factor used), company_factor,
    unit_factor, bonus and bonus_formula."""
    T = TEXT["zh" if lang == "zh" else "en"]
    if rules.kpi_factor not in KPI_FACTORS:
        raise InputError(problem("setting {k}: '{v}' is not one of {a}.", "参数“{k}”的值“{v}”不是允许的取值；可选：{a}。",
                                 table="Settings", column="value", k=setting_name("bonus_kpi_factor"),
                                 v=rules.kpi_factor, a=items(setting_choice_name("bonus_kpi_factor", a)
                                                              for a in KPI_FACTORS)))
    total = cards["total"].to_numpy(dtype=float)
    knocked = cards["knocked"].to_numpy(dtype=bool)
    kfac = cards["multiplier"].to_numpy(dtype=float).copy()
    low = cards["lowest_multiplier"].to_numpy(dtype=float)
    why = np.full(len(cards), "rating", dtype=object)
    if rules.kpi_factor == "score":
        s = total / 100.0
        why[:] = "score"
        if rules.score_floor is not None:
            why[s < rules.score_floor] = "floor"
            s = np.maximum(s, rules.score_floor)
        if rules.score_cap is not None:
            why[s > rules.score_cap] = "score_cap"
            s = np.minimum(s, rules.score_cap)
        if rules.score_threshold is not None:
            below = total / 100.0 < rules.score_threshold
            why[below] = "below"
            s = np.where(below, 0.0, s)
        kfac = s
    kfac = np.where(knocked, low, kfac)
    why[knocked] = "knockout"
    share = GRAIN_MONTHS[grain] / 12
    emp = np.clip(cards["emp_days"].to_numpy(dtype=float) / cards["period_days"].to_numpy(dtype=float), 0, 1)
    rep = cards["rep_id"]
    annual = rep.map(targets.amount).fillna(0.0).to_numpy(dtype=float)
    cf = factors["company"].to_numpy(dtype=float)
    uf = factors["unit"].to_numpy(dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        target = annual * share * emp            # employed share first: nobody employed earns 0, whatever the rate
        raw = target * kfac * np.nan_to_num(cf, nan=1.0) * np.nan_to_num(uf, nan=1.0)
        limit = target * rules.bonus_cap if rules.bonus_cap is not None else np.full(len(raw), np.inf)
        capped = raw > limit
        bonus = np.where(capped, limit, raw)
    salary = rep.map(targets.salary).to_numpy(dtype=float)
    pct = rep.map(targets.pct).to_numpy(dtype=float)
    rounded = round_array(np.nan_to_num(bonus, nan=0.0, posinf=0.0), 0.01)
    col = {k: cards[k].to_numpy() for k in ("knock_kpi", "lowest_rating", "rating", "emp_days", "period_days")}
    fac = {k: factors[k].to_numpy() for k in ("company_label", "company_raw", "company_cap", "unit_scope",
                                               "unit_name", "unit_label", "unit_raw", "unit_cap")}
    uncapped = round_array(np.nan_to_num(raw, nan=0.0, posinf=0.0), 0.01)
    texts = []
    for i in range(len(cards)):   # one sentence per rep and period, from plain arrays (not pandas rows)
        if annual[i] == 0 and np.isnan(salary[i]):
            texts.append(T["none"])
            continue
        t = T["start"] + (T["salary"].format(s=money(salary[i]), p=percent(pct[i])) if not np.isnan(salary[i])
                          else T["target"].format(t=money(annual[i])))
        if grain != "year":
            t += T["share"].format(m=GRAIN_MONTHS[grain], kind=T["kind"][grain])
        w = why[i]
        if w == "knockout":
            t += T["knockout"].format(f=factor(kfac[i]), kpi=col["knock_kpi"][i], r=col["lowest_rating"][i])
        elif w == "rating":
            t += T["rating"].format(f=factor(kfac[i]), r=col["rating"][i], t=total[i])
        elif w == "below":
            t += T["below"].format(t=total[i], th=rules.score_threshold * 100)
        elif w == "floor":
            t += T["floor"].format(f=factor(kfac[i]), t=total[i], x=rules.score_floor * 100)
        elif w == "score_cap":
            t += T["score_cap"].format(f=factor(kfac[i]), t=total[i], x=rules.score_cap * 100)
        else:
            t += T["score"].format(f=factor(kfac[i]), t=total[i])
        if not np.isnan(cf[i]):
            t += T["company"].format(f=factor(cf[i]), p=fac["company_label"][i],
                                     c=_capped_text(T, fac["company_raw"][i], fac["company_cap"][i]))
        if not np.isnan(uf[i]):
            t += T[fac["unit_scope"][i]].format(f=factor(uf[i]), u=fac["unit_name"][i], p=fac["unit_label"][i],
                                                c=_capped_text(T, fac["unit_raw"][i], fac["unit_cap"][i]))
        if emp[i] < 1:
            t += T["employed"].format(d=int(col["emp_days"][i]), n=int(col["period_days"][i]))
        if capped[i]:
            t += T["equals"].format(b=money(uncapped[i]))
            t += T["bonus_cap"].format(c=percent(rules.bonus_cap), t=money(target[i]), b=money(rounded[i]))
        else:
            t += T["equals"].format(b=money(rounded[i]))
        texts.append(t)
    return pd.DataFrame({"multiplier": kfac, "company_factor": cf, "unit_factor": uf, "bonus": bonus,
                         "bonus_rounded": rounded, "bonus_formula": texts}, index=cards.index)


def _capped_text(T: dict, raw: float, cap: float) -> str:
    if np.isnan(cap) or not raw > cap:
        return ""
    return T["capped"].format(raw=factor(raw), cap=factor(cap))
