"""Commissions for a period: credited lines, tiers on running totals, caps, gates, SPIFFs, overrides,
clawbacks, draws and pay-on-cash; statements whose lines add up exactly to the payable.

Amounts are computed unrounded per line, then each rep-period's total is rounded once (Excel ROUND,
half away from zero) and spread back over its lines by largest remainder, so the statement lines sum
to the payable to the cent and no sub-cent remainder is lost or invented.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesbook.engines.allocation import split_rows
from salesbook.engines.money import round_array
from salesbook.engines.tiers import TierError, check_tiers, cumulative_marginal, cumulative_whole, rate_at, tier_index
from salesbook.errors import InputError, Problem, problem

LINE_COLUMNS = ["rep_id", "period", "date", "deal_id", "component", "plan_id", "credit_share", "base", "tier",
                "rate", "amount", "explanation"]
STATEMENT_COLUMNS = ["rep_id", "period", "plan_id", "quota", "credited", "attainment", "earned", "spiffs",
                     "overrides", "clawbacks", "cap_adjustment", "gate_adjustment", "draw_paid", "draw_recovered",
                     "balance_carried", "payable", "explanation"]

TEXT = {
    "en": {"line": "{base:,.2f} x {rate:.4%} (tier {tier}, {how}, running total {start:,.0f} -> {end:,.0f})",
           "marginal": "marginal", "whole": "whole-tier", "share": "{s:.0%} credit", "claw": "clawback of {deal} "
           "({status} {date}) at the original rate", "spiff": "SPIFF {id}: {how}", "override":
           "override {rate:.2%} on team credit {base:,.2f}", "gate": "gate: attainment {a:.0%} below {g:.0%}, nothing "
           "earned", "cap": "capped at {cap:,.2f}", "draw": "draw top-up to {d:,.2f}", "recover": "recovered {r:,.2f} "
           "of the draw balance", "cash": "paid on cash {p:,.2f} received {date}"},
    "zh": {"line": "{base:,.2f} × {rate:.4%}（第 {tier} 档，{how}，累计 {start:,.0f} -> {end:,.0f}）",
           "marginal": "超额累进", "whole": "全额累进", "share": "分配 {s:.0%}", "claw": "{deal} {status}（{date}），"
           "按原费率追回", "spiff": "专项奖励 {id}：{how}", "override": "管理提成 {rate:.2%} × 团队业绩 {base:,.2f}",
           "gate": "门槛：达成率 {a:.0%} 低于 {g:.0%}，本期不计提", "cap": "封顶 {cap:,.2f}", "draw": "预支补足至 {d:,.2f}",
           "recover": "冲回预支余额 {r:,.2f}", "cash": "按回款计提：{date} 收款 {p:,.2f}"},
}


@dataclass
class CommissionResult:
    lines: pd.DataFrame
    statements: pd.DataFrame
    accruals: pd.DataFrame


def _period(d: pd.Series, grain: str) -> pd.Series:
    d = pd.to_datetime(d)
    if grain == "quarter":
        return d.dt.year.astype(str) + "Q" + d.dt.quarter.astype(str)
    if grain == "year":
        return d.dt.year.astype(str)
    return d.dt.strftime("%Y-%m")


def credit_lines(deals: pd.DataFrame, credits: pd.DataFrame | None) -> pd.DataFrame:
    """One line per deal x credited rep; deals without Credits rows credit 100% to their owner.

    Non-overlay shares of a deal must total 100%; otherwise every offending Credits row is reported.
    """
    d = deals.reset_index(drop=True)
    if credits is None or credits.empty:
        return d.assign(credit_share=1.0, overlay=False)
    c = credits.copy()
    c["overlay"] = c["overlay"].fillna(False).astype(bool)
    sums = c[~c["overlay"]].groupby("deal_id")["share"].sum()
    bad = sums[(sums - 1.0).abs() > 1e-6]
    problems: list[Problem] = []
    for deal_id, total in bad.items():
        for row in c.index[(c["deal_id"] == deal_id) & ~c["overlay"]]:
            problems.append(problem("credit shares of deal {d} total {t:.2%}, not 100% (mark extra credit as overlay).",
                                    "订单 {d} 的业绩分配合计 {t:.2%}，不是 100%（额外业绩请标记为叠加）。", table="Credits",
                                    row=int(row), column="share", d=deal_id, t=total))
    if problems:
        raise InputError(problems)
    split = d.drop(columns=["rep_id"]).merge(c[["deal_id", "rep_id", "share", "overlay"]], on="deal_id")
    split = split.rename(columns={"share": "credit_share"})
    whole = d[~d["deal_id"].isin(c["deal_id"])].assign(credit_share=1.0, overlay=False)
    return pd.concat([whole, split], ignore_index=True)


def compute_commissions(deals: pd.DataFrame, plans: pd.DataFrame, tiers: pd.DataFrame, assignments: pd.DataFrame,
                        *, credits: pd.DataFrame | None = None, payments: pd.DataFrame | None = None,
                        spiffs: pd.DataFrame | None = None, reps: pd.DataFrame | None = None, grain: str = "month",
                        unit: float = 0.01, clawback_days: int = 90, clawback_reduces_attainment: bool = True,
                        lang: str = "en") -> CommissionResult:
    """All plans for all periods present in the data."""
    T = TEXT["zh" if lang == "zh" else "en"]
    tier_tables, problems = _tier_tables(plans, tiers)
    if problems:
        raise InputError(problems)
    plans = plans.set_index("plan_id")
    lines = credit_lines(deals, credits)
    lines = _assign_plans(lines, assignments)
    lines = lines[lines["plan_id"].notna()].copy()
    lines["basis"] = lines["plan_id"].map(plans["basis"]).fillna("booking")
    # bookings and their clawbacks; cash lines come from payments
    book = lines[lines["basis"] == "booking"].assign(base=lambda x: x["amount"] * x["credit_share"], when=lambda x: x["date"],
                                                     kind="commission")
    cash = _cash_lines(lines[lines["basis"] == "cash"], payments)
    events = pd.concat([book, cash], ignore_index=True)
    events["period"] = _period(events["when"], grain)
    claw = _clawbacks(events, clawback_days)
    if len(claw):
        claw["period"] = _period(claw["when"], grain)
    quota = _quotas(assignments, reps, events, claw, grain)
    out = _tiered(events, claw, plans, tier_tables, quota, clawback_reduces_attainment, T)
    out = pd.concat([out, _spiff_lines(lines, spiffs, grain, T)], ignore_index=True)
    out = pd.concat([out, _override_lines(events, plans, reps, T)], ignore_index=True)
    statements, adjustments = _statements(out, plans, quota, unit, T)
    out = pd.concat([out, adjustments], ignore_index=True)
    out = _round_lines(out, statements, unit)
    statements = _restate(statements, out)
    accruals = _accruals(statements)
    out["date"] = pd.to_datetime(out["date"]).dt.normalize()
    return CommissionResult(out[LINE_COLUMNS].sort_values(["rep_id", "period", "date", "deal_id"], kind="stable")
                            .reset_index(drop=True), statements, accruals)


def _tier_tables(plans: pd.DataFrame, tiers: pd.DataFrame) -> tuple[dict, list[Problem]]:
    out, problems = {}, []
    for plan_id in plans["plan_id"]:
        t = tiers[tiers["plan_id"] == plan_id].sort_index()
        try:
            out[plan_id] = check_tiers(list(zip(t["lower_bound"], t["rate"], strict=True)))
        except TierError as exc:
            problems.append(problem("plan {p}: {e}.", "方案 {p}：{e}。", table="PlanTiers",
                                    row=int(t.index[0]) if len(t) else None, column="lower_bound", p=plan_id, e=str(exc)))
    return out, problems


def _assign_plans(lines: pd.DataFrame, assignments: pd.DataFrame) -> pd.DataFrame:
    """The plan in force for each line's rep on the deal date (effective-dated)."""
    a = assignments[["rep_id", "plan_id", "start_date", "end_date"]]
    m = lines.reset_index(names="_line").merge(a, on="rep_id", how="left")
    ok = (m["start_date"] <= m["date"]) & (m["end_date"].isna() | (m["date"] <= m["end_date"]))
    m = m[ok].sort_values(["_line", "start_date"]).drop_duplicates("_line", keep="last")
    lines = lines.copy()
    lines["plan_id"] = m.set_index("_line")["plan_id"].reindex(lines.index)
    return lines


def _cash_lines(lines: pd.DataFrame, payments: pd.DataFrame | None) -> pd.DataFrame:
    if lines.empty or payments is None or payments.empty:
        return lines.iloc[0:0].assign(base=[], when=[], kind=[], cash=[])
    p = payments[["deal_id", "date", "amount"]].rename(columns={"date": "when", "amount": "cash"})
    m = lines.merge(p, on="deal_id")
    m["base"] = m["cash"] * m["credit_share"]
    m["kind"] = "commission"
    return m


def _clawbacks(events: pd.DataFrame, window: int) -> pd.DataFrame:
    """Cancelled or returned bookings within the window from the deal date: reverse at the original rate."""
    st = events["status"].fillna("booked")
    hit = events[(st != "booked") & events["status_date"].notna()
                 & ((events["status_date"] - events["date"]).dt.days <= window) & (events["basis"] == "booking")]
    return hit.assign(when=hit["status_date"], kind="clawback")


def _quotas(assignments: pd.DataFrame, reps: pd.DataFrame | None, events, claw, grain: str) -> pd.DataFrame:
    """Quota per rep-period, prorated for days employed (hires and leavers)."""
    periods = pd.Index(sorted(set(events["period"]) | (set(claw["period"]) if len(claw) else set())))
    a = assignments.dropna(subset=["quota"])
    rows = []
    for rep, q in zip(a["rep_id"], a["quota"], strict=True):
        for p in periods:
            rows.append((rep, p, float(q)))
    quota = pd.DataFrame(rows, columns=["rep_id", "period", "quota"]).drop_duplicates(["rep_id", "period"], keep="last")
    if reps is not None and len(quota):
        start, end = _period_bounds(quota["period"], grain)
        r = reps.set_index("rep_id")
        hire = pd.to_datetime(quota["rep_id"].map(r["hire_date"])).fillna(start)
        leave = pd.to_datetime(quota["rep_id"].map(r["leave_date"])).fillna(end)
        first, last = np.maximum(start, hire), np.minimum(end, leave)
        share = np.clip(((last - first).dt.days + 1) / ((end - start).dt.days + 1), 0, 1)
        quota["quota"] = quota["quota"] * share
    return quota


def _period_bounds(p: pd.Series, grain: str) -> tuple[pd.Series, pd.Series]:
    if grain == "month":
        start = pd.to_datetime(p + "-01")
        return start, start + pd.offsets.MonthEnd(0)
    if grain == "quarter":
        start = pd.PeriodIndex(p.str.replace("Q", "Q"), freq="Q").start_time
        return pd.Series(start, index=p.index), pd.Series(start, index=p.index) + pd.offsets.QuarterEnd(0)
    start = pd.to_datetime(p + "-01-01")
    return start, start + pd.offsets.YearEnd(0)


def _tiered(events: pd.DataFrame, claw: pd.DataFrame, plans: pd.DataFrame, tier_tables: dict, quota: pd.DataFrame,
            claw_reduces: bool, T: dict) -> pd.DataFrame:
    """Line commissions on each rep-period's running total (or per deal), in date order."""
    frames = []
    ev = events.assign(_claw=False)
    if len(claw):
        ev = pd.concat([ev, claw.assign(_claw=True, base=-claw["base"])], ignore_index=True)
    ev = ev.merge(quota, on=["rep_id", "period"], how="left")
    ev = ev.sort_values(["rep_id", "period", "when", "deal_id", "_claw"], kind="stable").reset_index(drop=True)
    for plan_id, g in ev.groupby("plan_id", sort=True):
        plan = plans.loc[plan_id]
        lowers, rates = tier_tables[plan_id]
        method = str(plan.get("tier_method", "marginal") or "marginal")
        on_attain = str(plan.get("measure", "amount") or "amount") == "attainment"
        per_deal = str(plan.get("tier_scope", "period") or "period") == "deal"
        counts = g["base"].where(~g["_claw"] | claw_reduces, 0.0)
        start = counts.groupby([g["rep_id"], g["period"]]).cumsum() - counts
        if per_deal:
            start = pd.Series(0.0, index=g.index)
        scale = g["quota"].to_numpy(dtype=float) if on_attain else np.ones(len(g))
        scale = np.where(np.isfinite(scale) & (scale > 0), scale, np.nan)
        s0, s1 = start.to_numpy(), start.to_numpy() + g["base"].to_numpy()
        if on_attain:
            x0, x1 = s0 / scale, s1 / scale
            f = cumulative_marginal if method == "marginal" else cumulative_whole
            amount = (f(x1, lowers, rates) - f(x0, lowers, rates)) * scale
        else:
            f = cumulative_marginal if method == "marginal" else cumulative_whole
            amount = f(s1, lowers, rates) - f(s0, lowers, rates)
        amount = np.nan_to_num(amount, nan=0.0)
        is_claw = g["_claw"].to_numpy()
        norm = np.where(np.isnan(scale), 1, scale) if on_attain else 1.0
        tier0 = tier_index(s0 / norm, lowers)
        tier = tier_index(s1 / norm, lowers)
        with np.errstate(divide="ignore", invalid="ignore"):  # effective rate: base x rate = amount
            rate = np.where(g["base"].to_numpy() != 0, amount / g["base"].to_numpy(), rate_at(s1 / norm, lowers, rates))
        out = pd.DataFrame({"rep_id": g["rep_id"].to_numpy(), "period": g["period"].to_numpy(), "date": g["when"].to_numpy(),
                            "deal_id": g["deal_id"].to_numpy(), "component": np.where(is_claw, "clawback", "commission"),
                            "plan_id": plan_id, "credit_share": g["credit_share"].to_numpy(), "base": g["base"].to_numpy(),
                            "tier": tier, "rate": rate, "amount": amount, "_orig_idx": g.index.to_numpy()})
        how = T[method]
        expl = [T["line"].format(base=b, rate=r, tier=f"{t0}-{t}" if t0 != t else t, how=how, start=a0, end=a1)
                for b, r, t0, t, a0, a1 in zip(out["base"], out["rate"], tier0, out["tier"], s0, s1, strict=True)]
        share_note = [T["share"].format(s=s) if s < 1 else "" for s in out["credit_share"]]
        cash_note = [T["cash"].format(p=c, date=pd.Timestamp(d).date()) if pd.notna(c) else "" for c, d in
                     zip(g.get("cash", pd.Series(np.nan, index=g.index)), g["when"], strict=True)]
        out["explanation"] = ["; ".join(x for x in parts if x) for parts in zip(expl, share_note, cash_note, strict=True)]
        frames.append(out)
    res = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*LINE_COLUMNS, "_orig_idx"])
    # clawbacks reverse what the original line paid ("at the original rate"), not the current tier's rate
    if len(res) and (res["component"] == "clawback").any():
        orig = res[res["component"] == "commission"].set_index(["rep_id", "deal_id", "plan_id"])
        orig = orig[~orig.index.duplicated()]
        cl = res["component"] == "clawback"
        key = pd.MultiIndex.from_frame(res.loc[cl, ["rep_id", "deal_id", "plan_id"]])
        paid = orig["amount"].reindex(key).fillna(0.0).to_numpy()
        orig_rate = orig["rate"].reindex(key).fillna(0.0).to_numpy()
        res.loc[cl, "amount"] = -paid
        res.loc[cl, "rate"] = orig_rate
        ev_claw = ev.loc[res.loc[cl, "_orig_idx"].to_numpy()]
        res.loc[cl, "explanation"] = [T["claw"].format(deal=d, status=s, date=pd.Timestamp(w).date()) for d, s, w in
                                      zip(ev_claw["deal_id"], ev_claw["status"], ev_claw["when"], strict=True)]
    return res.drop(columns=["_orig_idx"])


def _spiff_lines(lines: pd.DataFrame, spiffs: pd.DataFrame | None, grain: str, T: dict) -> pd.DataFrame:
    if spiffs is None or spiffs.empty:
        return pd.DataFrame(columns=LINE_COLUMNS)
    booked = lines[lines["status"].fillna("booked") == "booked"]
    m = booked.merge(spiffs, on="product_id")
    m = m[(m["date"] >= m["start_date"]) & (m["end_date"].isna() | (m["date"] <= m["end_date"]))]
    per_unit = m["per_unit"].fillna(0.0) * m["quantity"].fillna(0.0)
    per_deal = m["per_deal"].fillna(0.0)
    amt = (per_unit + per_deal) * m["credit_share"]
    how = [f"{pu:g} x {q:g}" if pu else f"{pd_:g} / deal" for pu, q, pd_ in
           zip(m["per_unit"].fillna(0.0), m["quantity"].fillna(0.0), m["per_deal"].fillna(0.0), strict=True)]
    return pd.DataFrame({"rep_id": m["rep_id"], "period": _period(m["date"], grain), "date": m["date"], "deal_id": m["deal_id"],
                         "component": "spiff", "plan_id": m["plan_id"], "credit_share": m["credit_share"], "base": per_unit + per_deal,
                         "tier": 0, "rate": np.nan, "amount": amt,
                         "explanation": [T["spiff"].format(id=s, how=h) for s, h in zip(m["spiff_id"], how, strict=True)]})


def _override_lines(events: pd.DataFrame, plans: pd.DataFrame, reps: pd.DataFrame | None, T: dict) -> pd.DataFrame:
    """Managers earn their plan's override rate on their direct reports' credited base."""
    if reps is None or "override_rate" not in plans.columns or events.empty:
        return pd.DataFrame(columns=LINE_COLUMNS)
    mgr = events["rep_id"].map(reps.set_index("rep_id")["manager_id"])
    e = events.assign(manager=mgr).dropna(subset=["manager"])
    team = e.groupby(["manager", "period"], as_index=False).agg(base=("base", "sum"), date=("when", "max"))
    # the manager's own plan in force at the period end decides the override rate
    plan_of = events.drop_duplicates(["rep_id", "period"], keep="last").set_index(["rep_id", "period"])["plan_id"]
    key = pd.MultiIndex.from_frame(team[["manager", "period"]])
    team["plan_id"] = plan_of.reindex(key).to_numpy()
    team["rate"] = team["plan_id"].map(plans["override_rate"]).astype(float)
    team = team[team["rate"].fillna(0) > 0]
    return pd.DataFrame({"rep_id": team["manager"], "period": team["period"], "date": team["date"], "deal_id": None,
                         "component": "override", "plan_id": team["plan_id"], "credit_share": np.nan, "base": team["base"],
                         "tier": 0, "rate": team["rate"], "amount": team["base"] * team["rate"],
                         "explanation": [T["override"].format(rate=r, base=b) for r, b in zip(team["rate"], team["base"], strict=True)]})


def _statements(lines: pd.DataFrame, plans: pd.DataFrame, quota: pd.DataFrame, unit: float,
                T: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per rep-period: components, gate and cap adjustments, draw top-up/recovery with the balance carried."""
    keys = ["rep_id", "period"]
    piv = lines.pivot_table(index=keys, columns="component", values="amount", aggfunc="sum", fill_value=0.0)
    for c in ("commission", "clawback", "spiff", "override"):
        if c not in piv:
            piv[c] = 0.0
    credited = lines[lines["component"].isin(["commission", "clawback"])].groupby(keys)["base"].sum()
    plan_of = lines[lines["plan_id"].notna()].groupby(keys)["plan_id"].last()
    st = piv.reset_index().merge(quota, on=keys, how="left")
    st["credited"] = credited.reindex(pd.MultiIndex.from_frame(st[keys])).fillna(0.0).to_numpy()
    st["plan_id"] = plan_of.reindex(pd.MultiIndex.from_frame(st[keys])).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        st["attainment"] = np.where(st["quota"] > 0, st["credited"] / st["quota"], np.nan)
    plan = plans.reindex(st["plan_id"])
    gate = plan["gate"].to_numpy(dtype=float) if "gate" in plan else np.full(len(st), np.nan)
    with np.errstate(invalid="ignore"):
        gate_hit = ~np.isnan(gate) & (np.nan_to_num(st["attainment"].to_numpy(dtype=float), nan=0.0) < np.nan_to_num(gate))
    st["gate_adjustment"] = np.where(gate_hit, -st["commission"], 0.0)
    cap = plan["cap_period"].to_numpy(dtype=float) if "cap_period" in plan else np.full(len(st), np.nan)
    after_gate = st["commission"] + st["gate_adjustment"]
    st["cap_adjustment"] = np.where(~np.isnan(cap) & (after_gate > cap), cap - after_gate, 0.0)
    att = np.nan_to_num(st["attainment"].to_numpy(dtype=float))
    adj_frames = [
        _adjust(st, gate_hit, "gate", st["gate_adjustment"], [T["gate"].format(a=a, g=g) for a, g in
                                                             zip(att[gate_hit], gate[gate_hit], strict=True)]),
        _adjust(st, st["cap_adjustment"].to_numpy() != 0, "cap", st["cap_adjustment"],
                [T["cap"].format(cap=c) for c in cap[st["cap_adjustment"].to_numpy() != 0]]),
    ]
    st["earned"] = st["commission"] + st["gate_adjustment"] + st["cap_adjustment"]
    st["spiffs"], st["overrides"], st["clawbacks"] = st["spiff"], st["override"], st["clawback"]
    # draws: walk periods in order per rep, carrying the recoverable balance
    draw = plan["draw_amount"].to_numpy(dtype=float) if "draw_amount" in plan else np.full(len(st), np.nan)
    draw_type = plan["draw_type"].to_numpy() if "draw_type" in plan else np.full(len(st), None)
    st = st.assign(_draw=draw, _dtype=draw_type).sort_values(keys, kind="stable").reset_index(drop=True)
    paid = np.zeros(len(st))
    recovered = np.zeros(len(st))
    carried = np.zeros(len(st))
    has_draw = st["rep_id"].isin(st.loc[st["_draw"].fillna(0) > 0, "rep_id"]).to_numpy()
    gross_all = (st["earned"] + st["spiffs"] + st["overrides"] + st["clawbacks"]).to_numpy()
    draw_all = np.nan_to_num(st["_draw"].to_numpy(dtype=float))
    dtype_all = st["_dtype"].to_numpy()
    for _, idx in st[has_draw].groupby("rep_id", sort=False).indices.items():
        rows = np.flatnonzero(has_draw)[idx]
        balance = 0.0
        for i in rows:
            gross, d = gross_all[i], draw_all[i]
            if d > 0 and gross < d:  # guarantee: top up to the draw; a recoverable top-up becomes a balance owed
                paid[i] = d - gross
                if dtype_all[i] == "recoverable":
                    balance += paid[i]
            elif balance > 0:  # recover only from earnings above the draw
                rec = min(balance, gross - d)
                recovered[i] = -rec
                balance -= rec
            carried[i] = balance
    st["draw_paid"], st["draw_recovered"], st["balance_carried"] = paid, recovered, carried
    top = st["draw_paid"].to_numpy() > 0
    back = st["draw_recovered"].to_numpy() < 0
    adj_frames += [
        _adjust(st, top, "draw", st["draw_paid"], [T["draw"].format(d=d) for d in draw_all[top]]),
        _adjust(st, back, "draw_recovery", st["draw_recovered"],
                [T["recover"].format(r=-r) for r in st["draw_recovered"].to_numpy()[back]]),
    ]
    parts = ["earned", "spiffs", "overrides", "clawbacks", "draw_paid", "draw_recovered"]
    raw_total = st[parts].sum(axis=1).to_numpy()
    u = float(unit)
    st["payable"] = np.round(round_array(raw_total, u), 10)  # once per statement, like Excel ROUND
    st["explanation"] = ""
    adj = pd.concat(adj_frames, ignore_index=True)
    for c in ("quota", "credited", "attainment"):
        st[c] = st[c].astype(float)
    return st[STATEMENT_COLUMNS], adj


def _adjust(st: pd.DataFrame, mask: np.ndarray, component: str, amount: pd.Series, text: list[str]) -> pd.DataFrame:
    """Statement-level adjustment lines (gate, cap, draw) for the rows in ``mask``."""
    mask = np.asarray(mask, dtype=bool)
    sub = st.loc[mask]
    return pd.DataFrame({"rep_id": sub["rep_id"].to_numpy(), "period": sub["period"].to_numpy(), "date": pd.NaT,
                         "deal_id": None, "component": component, "plan_id": sub["plan_id"].to_numpy(),
                         "credit_share": np.nan, "base": np.nan, "tier": 0, "rate": np.nan,
                         "amount": np.asarray(amount)[mask], "explanation": text}, columns=LINE_COLUMNS)


def _round_lines(lines: pd.DataFrame, statements: pd.DataFrame, unit: float) -> pd.DataFrame:
    """Spread each statement's rounded payable over its lines by largest remainder (exact to the unit).

    Vectorised over all rep-periods: floor every line, then give the units still missing in each group to
    the lines with the largest fractional remainders (ties to the earlier line).
    """
    lines = lines.sort_values(["rep_id", "period", "date", "deal_id"], kind="stable", na_position="last").reset_index(drop=True)
    keys = lines["rep_id"].astype(str) + "\x1f" + lines["period"].astype(str)
    codes, uniq = pd.factorize(keys, sort=False)
    pay_keys = statements["rep_id"].astype(str) + "\x1f" + statements["period"].astype(str)
    payable = pd.Series(statements["payable"].to_numpy(dtype=float), index=pay_keys)
    total_units = np.round(payable.reindex(uniq).fillna(0.0).to_numpy() / unit).astype(np.int64)
    raw = lines["amount"].to_numpy(dtype=float) / unit
    base = np.floor(raw + 1e-9)
    left = total_units - np.bincount(codes, weights=base, minlength=len(uniq)).round().astype(np.int64)
    rem = raw - base
    pos = np.arange(len(lines))
    order = np.lexsort((pos, -rem, codes))
    starts = np.searchsorted(codes[order], np.arange(len(uniq)))
    rank = np.empty(len(lines), dtype=np.int64)
    rank[order] = pos - starts[codes[order]]
    sizes = np.bincount(codes, minlength=len(uniq))
    ok = (left >= 0) & (left <= sizes)
    out = base + (ok[codes] & (rank < left[codes]))
    for g in np.flatnonzero(~ok):  # only float noise far beyond a unit ends here: proportional fallback
        idx = np.flatnonzero(codes == g)
        out[idx] = split_rows(np.array([total_units[g]]), (np.abs(raw[idx]) + 1e-12)[None, :])[0]
    lines["amount"] = np.round(out * unit, 10)
    return lines


_COMPONENT_OF = {"commission": "earned", "gate": "earned", "cap": "earned", "spiff": "spiffs", "override": "overrides",
                 "clawback": "clawbacks", "draw": "draw_paid", "draw_recovery": "draw_recovered"}


def _restate(st: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """Statement components as sums of the rounded lines, so they add up exactly to the payable."""
    comp = lines.assign(col=lines["component"].map(_COMPONENT_OF))
    piv = comp.pivot_table(index=["rep_id", "period"], columns="col", values="amount", aggfunc="sum", fill_value=0.0)
    idx = pd.MultiIndex.from_frame(st[["rep_id", "period"]])
    st = st.copy()
    for col in ("earned", "spiffs", "overrides", "clawbacks", "draw_paid", "draw_recovered"):
        st[col] = (piv[col].reindex(idx).fillna(0.0).to_numpy() if col in piv else 0.0)
        st[col] = np.round(st[col], 2)
    for col in ("gate_adjustment", "cap_adjustment", "balance_carried", "credited", "quota"):
        st[col] = np.round(st[col].astype(float), 2)
    st["explanation"] = [f"{e:,.2f} + {s_:,.2f} + {o:,.2f} {c:+,.2f} {d:+,.2f} {r:+,.2f} = {p:,.2f}" for e, s_, o, c, d, r, p in
                         zip(st["earned"], st["spiffs"], st["overrides"], st["clawbacks"], st["draw_paid"],
                             st["draw_recovered"], st["payable"], strict=True)]
    return st


def _accruals(st: pd.DataFrame) -> pd.DataFrame:
    g = st.groupby("period", as_index=False).agg(earned=("earned", "sum"), spiffs=("spiffs", "sum"),
                                                 overrides=("overrides", "sum"), clawbacks=("clawbacks", "sum"),
                                                 draws=("draw_paid", "sum"), recovered=("draw_recovered", "sum"),
                                                 payable=("payable", "sum"), carried=("balance_carried", "sum"))
    return g.round(2)
