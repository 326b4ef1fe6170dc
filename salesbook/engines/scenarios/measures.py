"""What each scenario costs, beside the base: the Out_Scenarios and Out_ScenarioReps tables.

Replay figures come from the scenario's statements on the real deals (exact to the cent, as the engine
rounds them); simulated figures from the priced draws. Every row says in words how it was obtained.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from salesbook.engines.scenarios.simulate import GRID, PROBABILITIES, Priced
from salesbook.engines.scenarios.text import BASE, KINDS, money, pct, signed, texts

SCENARIO_COLUMNS = ["scenario_id", "name", "measure", "attainment", "probability", "amount", "share", "base_amount",
                    "base_share", "explanation"]
REP_COLUMNS = ["scenario_id", "rep_id", "name", "plan_id", "base_payable", "payable", "base_bonus", "bonus", "change",
               "change_share", "base_expected", "expected", "outcome", "explanation"]
_PARTS = (("earned", "earned"), ("spiffs", "spiffs"), ("overrides", "overrides"), ("clawbacks", "clawbacks"))


@dataclass
class Replay:
    """A scenario replayed on the deals: its statements and, where the KPI engine is in use, the bonuses."""

    statements: pd.DataFrame
    periods: Sequence[str]
    bonus: pd.Series | None = None          # rep -> KPI bonus of the year
    unit_plans: frozenset = frozenset()     # plans paying per unit: their statements hold units to the unit quota

    @property
    def payable(self) -> pd.Series:
        return self.statements.groupby("rep_id")["payable"].sum()

    def above_quota(self) -> tuple[int, int]:
        """(reps whose year's credited reached the year's quota, reps with a quota), in the fiscal year: credited
        money against the quota, or, on a plan paying per unit, credited units against the unit quota (a rep with
        both reaches quota when each is reached)."""
        st = self.statements[self.statements["period"].astype(str).isin(list(self.periods))]
        on_units = st["plan_id"].isin(self.unit_plans).to_numpy(dtype=bool)
        money = st[~on_units & (pd.to_numeric(st["quota"], errors="coerce") > 0).to_numpy(dtype=bool)]
        year = money.groupby("rep_id")[["credited", "quota"]].sum()
        reached = year["credited"] >= year["quota"]
        if on_units.any():
            units = st[on_units & (pd.to_numeric(st["quota_quantity"], errors="coerce") > 0).to_numpy(dtype=bool)]
            in_units = units.groupby("rep_id")[["credited_quantity", "quota_quantity"]].sum()
            by_units = in_units["credited_quantity"] >= in_units["quota_quantity"]
            reached = pd.concat([reached, by_units]).groupby(level=0).all()
        return int(reached.sum()), len(reached)


@dataclass
class Outcome:
    scenario: str
    name: str
    replay: Replay
    priced: Priced
    plan_of: Mapping[str, str] = field(default_factory=dict)   # rep -> plan at the year's end


def _summary(o: Outcome) -> dict[str, float]:
    st = o.replay.statements
    payable = float(st["payable"].sum())
    bonus = float(o.replay.bonus.sum()) if o.replay.bonus is not None else math.nan
    sales = float(pd.to_numeric(st["credited"], errors="coerce").sum())
    hit, of = o.replay.above_quota()
    p = o.priced
    q = dict(zip(PROBABILITIES.tolist(), p.quantiles.tolist(), strict=True))
    return {"replay_payable": payable, "replay_bonus": bonus,
            "replay_total": payable + (bonus if math.isfinite(bonus) else 0.0), "replay_sales": sales,
            "replay_cost_of_sales": payable / sales if sales else math.nan,
            "replay_above_quota": hit / of if of else math.nan, "sim_expected": p.expected, "sim_p10": q[0.1],
            "sim_p50": q[0.5], "sim_p90": q[0.9], "sim_cost_of_sales": p.cost_of_sales,
            "sim_above_quota": p.above_quota}


def _versus(value: float, base: float, kind: str, T: Mapping[str, str]) -> str:
    if not (math.isfinite(value) and math.isfinite(base)):
        return ""
    d = value - base
    if abs(d) < 0.005 if kind == "amount" else abs(d) < 5e-7:
        return T["same"]
    if kind == "share":
        return T["vs_base"].format(d=T["points"].format(d=f"{d * 100:+.1f}"), p=pct(value / base - 1) if base else "-")
    return T["vs_base"].format(d=signed(d), p=pct(d / base) if base else "-")


def scenario_table(outcomes: Sequence[Outcome], *, draws: int, seed: int, lang: str,
                   names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per scenario and measure (``names``: each measure's name in the book's language, else its code);
    the first outcome is the base."""
    names = names or {}
    T = texts(lang)
    base = outcomes[0]
    base_sum = _summary(base)
    rows = []
    for o in outcomes:
        s = _summary(o)
        n_st = len(o.replay.statements)
        k, m = o.replay.above_quota()
        notes = {"replay_payable": T["replay_payable"].format(n=f"{n_st:,}"), "replay_bonus": T["replay_bonus"],
                 "replay_total": T["replay_total"], "replay_sales": T["replay_sales"],
                 "replay_cost_of_sales": T["replay_cost_of_sales"],
                 "replay_above_quota": T["replay_above_quota"].format(k=k, m=m),
                 "sim_expected": T["sim_expected"].format(n=f"{draws:,}", s=seed),
                 "sim_p10": T["sim_q"].format(p="10%"), "sim_p50": T["sim_q"].format(p="50%"),
                 "sim_p90": T["sim_q"].format(p="90%"), "sim_cost_of_sales": T["sim_cost_of_sales"],
                 "sim_above_quota": T["sim_above_quota"]}
        for code, value in s.items():
            if not math.isfinite(value) and code in ("replay_bonus", "replay_above_quota", "sim_above_quota"):
                continue  # the KPI engine or quotas are not in use
            kind = KINDS[code]
            ref = base_sum[code]
            rows.append(_row(o, names.get(code, code), kind, value, ref, notes[code] + (_versus(value, ref, kind, T)
                                                                               if o is not base else "")))
        for prob, amount, ref in zip(PROBABILITIES, o.priced.quantiles, base.priced.quantiles, strict=True):
            rows.append(_row(o, names.get("distribution", "distribution"), "amount", float(amount), float(ref),
                             T["distribution"].format(p=pct(prob, 0)), probability=float(prob)))
        for a, amount, ref in zip(GRID, o.priced.curve, base.priced.curve, strict=True):
            rows.append(_row(o, names.get("curve", "curve"), "amount", float(amount), float(ref),
                             T["curve"].format(a=pct(a, 0)), attainment=float(a)))
    return pd.DataFrame(rows, columns=SCENARIO_COLUMNS)


def _row(o: Outcome, measure: str, kind: str, value: float, ref: float, text: str, *,
         attainment: float = math.nan, probability: float = math.nan) -> dict[str, object]:
    amount, share = (value, math.nan) if kind == "amount" else (math.nan, value)
    base_amount, base_share = (ref, math.nan) if kind == "amount" else (math.nan, ref)
    return {"scenario_id": o.scenario, "name": o.name, "measure": measure, "attainment": attainment,
            "probability": probability, "amount": _cents(amount), "share": share, "base_amount": _cents(base_amount),
            "base_share": base_share, "explanation": text}


def _cents(x: float) -> float:
    return round(x, 2) if math.isfinite(x) else math.nan


def rep_table(outcomes: Sequence[Outcome], reps: Sequence[str], names: Mapping[str, str], *,
              lang: str) -> pd.DataFrame:
    """Winners and losers: one row per scenario (the base left out) and rep who is paid in either."""
    T = texts(lang)
    base = outcomes[0]
    index = pd.Index(list(reps))
    rows = []
    b_pay, b_bonus = base.replay.payable, base.replay.bonus
    for o in outcomes[1:]:
        pay, bonus = o.replay.payable, o.replay.bonus
        parts = o.replay.statements.groupby("rep_id")[[c for c, _ in _PARTS] + ["draw_paid", "draw_recovered"]].sum()
        counts = o.replay.statements.groupby("rep_id").size()
        paid = sorted(set(pay.index) | set(b_pay.index) | set(bonus.index if bonus is not None else ())
                      | set(b_bonus.index if b_bonus is not None else ()), key=str)
        for rep in paid:
            bp, sp = float(b_pay.get(rep, 0.0)), float(pay.get(rep, 0.0))
            bb = float(b_bonus.get(rep, 0.0)) if b_bonus is not None else math.nan
            sb = float(bonus.get(rep, 0.0)) if bonus is not None else math.nan
            before = bp + (bb if math.isfinite(bb) else 0.0)
            change = round(sp + (sb if math.isfinite(sb) else 0.0) - before, 2)
            pos = index.get_loc(rep) if rep in index else None
            be = float(base.priced.per_rep[pos]) if pos is not None else math.nan
            se = float(o.priced.per_rep[pos]) if pos is not None else math.nan
            outcome = "gains" if change >= 0.005 else "loses" if change <= -0.005 else "unchanged"
            text = T["rep"].format(b=money(bp), s=money(sp))
            if math.isfinite(bb) and math.isfinite(sb) and abs(sb - bb) >= 0.005:
                text += T["rep_bonus"].format(b=money(bb), s=money(sb))
            text += T["rep_expected"].format(b=money(be), s=money(se))
            if rep in parts.index:
                r = parts.loc[rep]
                shown = [T[name].format(x=money(float(r[col]))) for col, name in _PARTS if abs(float(r[col])) >= 0.005]
                draws = float(r["draw_paid"] + r["draw_recovered"])
                if abs(draws) >= 0.005:
                    shown.append(T["draws"].format(x=money(draws)))
                text += T["rep_statements"].format(n=int(counts.get(rep, 0)), parts=" + ".join(shown) or money(0.0),
                                                   p=money(sp))
            rows.append({"scenario_id": o.scenario, "rep_id": rep, "name": names.get(rep, ""),
                         "plan_id": o.plan_of.get(rep), "base_payable": round(bp, 2), "payable": round(sp, 2),
                         "base_bonus": _cents(bb), "bonus": _cents(sb), "change": change,
                         "change_share": change / before if before else math.nan, "base_expected": _cents(be),
                         "expected": _cents(se), "outcome": T[outcome], "explanation": text})
    return pd.DataFrame(rows, columns=REP_COLUMNS)


def base_name(lang: str) -> str:
    return texts(lang)["base_name"]


__all__ = ["BASE", "REP_COLUMNS", "SCENARIO_COLUMNS", "Outcome", "Replay", "base_name", "rep_table", "scenario_table"]
