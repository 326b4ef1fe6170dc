"""From computed commission events to the three output tables: lines, statements, accruals.

Statements are per rep and period.  Their payable is rounded once, on the rep's cumulative total, so a
sub-unit remainder is carried into the next period rather than dropped; the lines of a statement are
then rounded by largest remainder so they add up to its payable exactly, and the statement's components
are restated as sums of those rounded lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from salesbook.engines.commissions.prep import period_bounds, period_label, sort_order
from salesbook.engines.commissions.result import CommissionResult
from salesbook.engines.commissions.text import money, pct, unit_count
from salesbook.engines.money import round_array
from salesbook.errors import InputError, problem
from salesbook.messages import Words

LINE_COLUMNS = ["rep_id", "period", "date", "deal_id", "component", "plan_id", "credit_share", "base", "quantity",
                "running_from", "running_to", "tier", "rate", "per_unit", "amount", "explanation"]
STATEMENT_COLUMNS = ["rep_id", "period", "plan_id", "quota", "credited", "quota_quantity", "credited_quantity",
                     "attainment", "earned", "spiffs", "overrides", "clawbacks", "gate_adjustment", "cap_adjustment",
                     "draw_paid", "draw_recovered", "balance_carried", "awaiting_cash", "rounding_carried", "payable",
                     "explanation"]
ACCRUAL_COLUMNS = ["period", "accrued", "earned", "spiffs", "overrides", "clawbacks", "draws", "recovered", "payable",
                   "carried", "awaiting_cash", "rounding_carried", "explanation"]

# component codes, their names in each language, and the statement column each one feeds
COMPONENTS = ["commission", "clawback", "cash", "spiff", "spiff_clawback", "override", "gate", "cap", "draw",
              "draw_recovery"]
COMPONENT_ZH = ["提成", "追回", "回款提成", "专项奖励", "专项奖励冲回", "管理提成", "门槛调整", "封顶调整", "预支补足", "预支冲回"]
COMM, CLAW, CASH, SPIFF, SPIFF_CLAW, OVERRIDE, GATE, CAP, DRAW, DRAW_REC = range(10)
# Lines and statements are rounded to whole units in float arithmetic, which is exact only while a rep's amounts
# stay well below 2**53 units: 2**45 units is 351 billion at cents, far above any real commission.
MAX_UNITS = 2**45
# where to look when a component is too large to pay exactly: (table, column)
SOURCE = {COMM: ("Deals", "amount"), CLAW: ("Deals", "amount"), CASH: ("Payments", "amount"),
          SPIFF: ("Spiffs", "per_unit"), SPIFF_CLAW: ("Spiffs", "per_unit"), OVERRIDE: ("Plans", "override_rate"),
          GATE: ("Deals", "amount"), CAP: ("Plans", "cap_period"), DRAW: ("Plans", "draw_amount"),
          DRAW_REC: ("Plans", "draw_amount")}
FEEDS = {"earned": (COMM, CASH, GATE, CAP), "spiffs": (SPIFF,), "overrides": (OVERRIDE,), "clawbacks": (CLAW, SPIFF_CLAW),
         "draw_paid": (DRAW,), "draw_recovered": (DRAW_REC,), "gate_adjustment": (GATE,), "cap_adjustment": (CAP,)}


@dataclass
class Ledger:
    """Everything the engine has worked out so far, shared by the steps that build the outputs."""

    T: dict
    P: object
    grain: str
    unit: float
    rep_index: pd.Index
    lang: str
    p_first: int = 0
    n_periods: int = 0
    extra: dict = field(default_factory=dict)
    _labels: dict = field(default_factory=dict, repr=False)

    def label(self, pidx: int) -> str:
        """A period's label, made once per period: explanations ask for it line by line."""
        code = pidx + self.p_first
        text = self._labels.get(code)
        if text is None:
            text = self._labels[code] = str(period_label(np.array([code]), self.grain)[0])
        return text


def _part(comp, rep, pidx, day, deal, plan, share, base, rfrom, rto, tier, rate, amount, expl, *, qty=None,
          per_unit=None) -> dict:
    """One kind of line as arrays; ``qty`` and ``per_unit`` only for lines of plans paying per unit (NaN elsewhere)."""
    n = len(rep)
    full = np.full
    return {"comp": np.broadcast_to(comp, (n,)).astype(np.int64), "rep": np.asarray(rep, dtype=np.int64),
            "pidx": np.asarray(pidx, dtype=np.int64), "day": np.asarray(day, dtype=np.int64),
            "deal": np.asarray(deal, dtype=np.int64) if deal is not None else full(n, -1),
            "plan": np.asarray(plan, dtype=np.int64), "share": share if share is not None else full(n, np.nan),
            "base": base if base is not None else full(n, np.nan), "rfrom": rfrom if rfrom is not None else full(n, np.nan),
            "rto": rto if rto is not None else full(n, np.nan), "tier": tier if tier is not None else full(n, -1),
            "rate": rate if rate is not None else full(n, np.nan), "amount": np.asarray(amount, dtype=float),
            "expl": expl, "qty": qty if qty is not None else full(n, np.nan),
            "pu": per_unit if per_unit is not None else full(n, np.nan)}


def _concat(parts: list[dict]) -> dict:
    """The parts' arrays joined key by key, each key's pieces let go of once joined (the parts are emptied):
    at 600,000 lines, holding every piece until the end doubled the lines' memory for a moment."""
    return {k: np.concatenate([p.pop(k) for p in parts]) for k in list(parts[0])}


def assemble(led: Ledger, ev: dict | None, *, with_lines: bool = True) -> CommissionResult:
    """Lines, statements and accruals from the events (``ev`` is None when there is nothing to pay). ``ev`` is
    emptied once the statements are made: its arrays are not needed after, and held to the end they were
    part of the job's peak. ``with_lines=False``: the lines are rounded and summed into the statements as
    always, but not made into Out_Commissions (which comes back empty)."""

    if ev is None:
        return CommissionResult(pd.DataFrame(columns=LINE_COLUMNS), pd.DataFrame(columns=STATEMENT_COLUMNS),
                                pd.DataFrame(columns=ACCRUAL_COLUMNS))
    P = led.P
    parts = []
    booking = P.basis[ev["plan"]] == "booking"
    b = np.flatnonzero(booking)
    on_units = ev["on_units"][b]
    parts.append(_part(np.where(ev["claw"][b], CLAW, COMM), ev["rep"][b], ev["pidx"][b], ev["day"][b], led.ev_deal[b],
                       ev["plan"][b], led.ev_share[b], ev["base"][b], ev["start"][b], ev["end"][b], ev["tier"][b],
                       np.where(on_units, np.nan, ev["rate"][b]), ev["amount"][b], led.ev_expl[b],
                       qty=np.where(on_units, ev["units"][b], np.nan), per_unit=ev["per_unit"][b]))
    if led.cash is not None and len(led.cash["event"]):
        c, e = led.cash, led.cash["event"]
        on_units = ev["on_units"][e]
        parts.append(_part(CASH, ev["rep"][e], c["pidx"], c["day"], led.ev_deal[e], ev["plan"][e], led.ev_share[e],
                           c["base"], None, None, ev["tier"][e], np.where(on_units, np.nan, c["rate"]), c["amount"],
                           led.cash_expl, qty=np.where(on_units, c["units"], np.nan), per_unit=c["per_unit"]))
    if led.spiff is not None:
        s = led.spiff
        parts.append(_part(np.where(s["claw"], SPIFF_CLAW, SPIFF), s["rep"], s["pidx"], s["day"], s["deal"], s["plan"],
                           s["share"], s["base"], None, None, None, None, s["amount"], s["expl"]))
    if led.override is not None:
        o = led.override
        parts.append(_part(OVERRIDE, o["rep"], o["pidx"], o["day"], None, o["plan"], None, o["base"], None, None,
                           None, o["rate"], o["amount"], o["expl"]))
    parts += _gate_cap_parts(led)
    lines = _concat(parts)
    del parts   # the pieces, now copied into lines
    lines["S"] = lines["rep"] * led.n_periods + lines["pidx"]
    draw_S = np.flatnonzero(led.draw.ravel() > 0)
    Sk = np.unique(np.concatenate([lines["S"], draw_S, ev["S"]]))
    st = _statements(led, ev, lines, Sk)
    ev.clear()   # in the statements now: the event arrays go before the lines become a frame (the peak)
    draw_parts = _draws(led, st)
    if draw_parts:
        extra = _concat(draw_parts)
        extra["S"] = extra["rep"] * led.n_periods + extra["pidx"]
        extra["row"] = np.searchsorted(st["S"], extra["S"])
        for k in list(lines):   # one array at a time, the old one let go of as the longer one replaces it
            lines[k] = np.concatenate([lines[k], extra[k]])
    _check_size(led, lines)
    _payable(led, st)
    lines = _sorted(led, lines)
    lines["amount"] = _spread(lines, st, led.unit)
    _restate(st, lines, led)
    # the line table takes the arrays out of ``lines`` as it goes
    frame = _line_frame(led, lines) if with_lines else pd.DataFrame(columns=LINE_COLUMNS)
    del lines
    return CommissionResult(frame, _statement_frame(led, st), _accruals(led, st))


def _check_size(led: Ledger, lines: dict) -> None:
    """A rep whose amounts run beyond what can be counted exactly in rounding units is an input problem."""
    size = np.where(np.isfinite(lines["amount"]), np.abs(lines["amount"]) / led.unit, np.inf)
    per_rep = np.bincount(lines["rep"], weights=size, minlength=len(led.rep_index))
    if not np.any(per_rep > MAX_UNITS):
        return
    rep = int(np.argmax(per_rep))
    mine = np.flatnonzero(lines["rep"] == rep)
    worst = mine[np.argmax(size[mine])]
    table, column = SOURCE[int(lines["comp"][worst])]
    deal = led.deal_ids[lines["deal"][worst]] if lines["deal"][worst] >= 0 else "-"
    raise InputError(problem(
        "the commissions of rep {r} ({c} in {p}, deal {d}) are too large to round exactly in units of {u:g}; "
        "check the amounts and rates behind them, or use a larger rounding unit.",
        "销售代表 {r} 的提成（{p} 的 {c}，订单 {d}）过大，无法按取整单位 {u:g} 精确取整；请检查相关金额与比例，或使用更大的取整单位。",
        table=table, column=column, r=led.rep_index[rep],
        c=Words(COMPONENTS[int(lines["comp"][worst])].replace("_", " "), COMPONENT_ZH[int(lines["comp"][worst])]),
        p=led.label(int(lines["pidx"][worst])), d=deal, u=led.unit))


def _gate_cap_parts(led: Ledger) -> list[dict]:
    """Statement-level gate and cap adjustment lines of booking-basis groups (cash plans fold them into the release)."""
    g, T = led.groups, led.T
    parts = []
    booking = g["basis"] == "booking"
    _, end = period_bounds(g["pidx"] + led.p_first, led.grain)
    for comp, col in ((GATE, "gate_adj"), (CAP, "cap_adj")):
        k = np.flatnonzero(booking & (g[col] != 0))
        if len(k) == 0:
            continue
        if comp == GATE:
            expl = [T["gate"].format(a=pct(np.nan_to_num(a)), g=pct(x)) for a, x in zip(g["att"][k], g["gate"][k], strict=True)]
        else:
            expl = [T["cap"].format(cap=money(x), c=money(c_)) for x, c_ in zip(g["cap"][k], g["comm"][k], strict=True)]
        parts.append(_part(comp, g["rep"][k], g["pidx"][k], end[k], None, g["plan"][k], None, None, None, None, None,
                           None, g[col][k], np.array(expl, dtype=object)))
    return parts


def _statements(led: Ledger, ev: dict, lines: dict, Sk: np.ndarray) -> dict:
    """Unrounded statement components per rep-period (rows in rep, period order)."""
    P = led.P
    n = len(Sk)
    row = lines["row"] = np.searchsorted(Sk, lines["S"])
    sums = np.zeros((len(COMPONENTS), n))
    for c in range(len(COMPONENTS)):
        m = lines["comp"] == c
        if m.any():
            sums[c] = np.bincount(row[m], weights=lines["amount"][m], minlength=n)
    rep, pidx = np.divmod(Sk, led.n_periods)
    st = {"S": Sk, "rep": rep, "pidx": pidx, "sums": sums}
    st["earned"] = sums[[COMM, CASH, GATE, CAP]].sum(axis=0)
    st["gross"] = st["earned"] + sums[SPIFF] + sums[OVERRIDE] + sums[CLAW] + sums[SPIFF_CLAW]
    st["quota"] = led.quota.ravel()[Sk]
    st["credited"] = led.credited.ravel()[Sk]
    st["quota_qty"] = led.quota_qty.ravel()[Sk]
    st["credited_qty"] = np.where(led.qty_seen.ravel()[Sk], led.credited_qty.ravel()[Sk], np.nan)
    # the plan shown on a statement: the one in force at the period end, else at its start, else any used
    start, end = period_bounds(pidx + led.p_first, led.grain)
    A = led.assignments
    a = A.plan_at(rep, end)
    a = np.where(a >= 0, a, A.plan_at(rep, start))
    plan = np.where(a >= 0, A.plan[np.clip(a, 0, None)], -1)
    fallback = np.full(n, -1)
    fallback[np.searchsorted(Sk, led.groups["S"])] = led.groups["plan"]
    st["plan"] = np.where(plan >= 0, plan, fallback)
    st["end"] = end
    # attainment of the statement's plan: credited units over the unit quota on a plan paying per unit
    st["units"] = (st["plan"] >= 0) & P.units[np.clip(st["plan"], 0, None)]
    with np.errstate(divide="ignore", invalid="ignore"):
        st["attainment"] = np.where(st["units"], np.where(st["quota_qty"] > 0, st["credited_qty"] / st["quota_qty"], np.nan),
                                    np.where(st["quota"] > 0, st["credited"] / st["quota"], np.nan))
    # commission earned on booking by pay-on-cash plans and not yet released, cumulative per rep
    wait = np.zeros(led.quota.shape)
    e = led.cash_earned
    if len(e):
        np.add.at(wait.ravel(), ev["S"][e], ev["amount"][e] * ev["factor"][e])
        if led.cash is not None and len(led.cash["event"]):
            c = led.cash
            np.add.at(wait.ravel(), ev["rep"][c["event"]] * led.n_periods + c["pidx"], -c["amount"])
    claw_pos, orig = led.cash_claw
    lapsed = ev["amount"][orig] * ev["factor"][orig] * (1.0 - led.deal_paid[led.ev_deal[orig]])
    np.add.at(wait.ravel(), ev["S"][claw_pos], -lapsed)
    led.awaiting = np.round(np.cumsum(wait, axis=1), 6)
    st["awaiting_cash"] = led.awaiting.ravel()[Sk]
    st["draw_paid"], st["draw_recovered"], st["balance_carried"] = np.zeros(n), np.zeros(n), np.zeros(n)
    led.booking_earned = np.zeros(led.quota.shape)
    np.add.at(led.booking_earned.ravel(), Sk, sums[[COMM, GATE, CAP]].sum(axis=0))
    if len(e):
        np.add.at(led.booking_earned.ravel(), ev["S"][e], ev["amount"][e] * ev["factor"][e])
    np.add.at(led.booking_earned.ravel(), ev["S"][claw_pos], -lapsed)
    return st


def _draws(led: Ledger, st: dict) -> list[dict]:
    """Walk each drawing rep's periods in order: top up to the guarantee, recover a recoverable balance."""
    T = led.T
    led.balance = np.zeros(led.quota.shape)
    reps = np.flatnonzero((led.draw > 0).any(axis=1))
    if len(reps) == 0:
        return []
    rows_of = pd.Series(np.arange(len(st["rep"]))).groupby(st["rep"]).indices
    out = {"rep": [], "pidx": [], "day": [], "plan": [], "amount": [], "comp": [], "expl": []}
    for r in reps:
        balance = 0.0
        for i in rows_of.get(r, []):
            p = st["pidx"][i]
            d, gross = led.draw[r, p], st["gross"][i]
            guarantee = int(led.guarantee[r, p])   # the period's number since hire while draws are a guarantee
            if d > 0 and gross < d:
                paid = d - gross
                st["draw_paid"][i] = paid
                recoverable = bool(led.recoverable[r, p]) and not guarantee
                if recoverable:
                    balance += paid
                kind = T["guarantee"].format(k=guarantee, n=int(led.recovery_from[r, p])) if guarantee else \
                    T["recoverable" if recoverable else "non_recoverable"]
                _add(out, r, p, st, i, paid, DRAW, T["draw"].format(g=money(gross), d=money(d), kind=kind))
            elif balance > 0 and gross > d and not guarantee:
                rec = min(balance, gross - d)
                st["draw_recovered"][i] = -rec
                _add(out, r, p, st, i, -rec, DRAW_REC, T["recover"].format(r=money(rec), b=money(balance), d=money(d)))
                balance -= rec
            balance = round(balance, 9)
            st["balance_carried"][i] = balance
            led.balance[r, p:] = balance
    if not out["rep"]:
        return []
    n = len(out["rep"])
    return [_part(np.array(out["comp"]), out["rep"], out["pidx"], out["day"], None, out["plan"], None, None, None, None,
                  None, None, np.array(out["amount"]), np.array(out["expl"], dtype=object))] if n else []


def _add(out: dict, r: int, p: int, st: dict, i: int, amount: float, comp: int, expl: str) -> None:
    for k, v in (("rep", r), ("pidx", p), ("day", st["end"][i]), ("plan", st["plan"][i]), ("amount", amount),
                 ("comp", comp), ("expl", expl)):
        out[k].append(v)


def _payable(led: Ledger, st: dict) -> None:
    """Round each rep's cumulative total once; the period's payable is the step, the remainder is carried."""
    raw = st["gross"] + st["draw_paid"] + st["draw_recovered"]
    cum = pd.Series(raw).groupby(st["rep"], sort=False).cumsum().to_numpy()
    rounded = round_array(np.round(cum, 9), led.unit)
    prev = np.concatenate([[0.0], rounded[:-1]])
    prev[np.r_[True, st["rep"][1:] != st["rep"][:-1]]] = 0.0
    st["payable"] = np.round(rounded - prev, 10)
    st["rounding_carried"] = np.round(cum - rounded, 9)


def _sorted(led: Ledger, lines: dict) -> dict:
    """Lines in statement order: rep (by id), period, date, deal, component."""
    names = led.rep_index.to_numpy(dtype=object).astype(str)
    rank = np.empty(len(names), dtype=np.int64)
    rank[np.argsort(names, kind="stable")] = np.arange(len(names))
    deal = np.where(lines["deal"] < 0, len(led.deal_ids), lines["deal"])
    order = sort_order(rank[lines["rep"]], lines["pidx"], lines["day"], deal, lines["comp"])
    for k in list(lines):   # one column at a time: never two copies of every column at once
        lines[k] = lines[k][order]
    return lines


def _spread(lines: dict, st: dict, unit: float) -> np.ndarray:
    """Round lines to whole units so each statement's lines sum exactly to its payable (largest remainder).

    Each line is floored, then the units still missing in its statement go to the lines with the largest
    remainders (ties to the earlier line).  Vectorised over all statements at once.
    """
    codes = lines["row"]
    n_st = len(st["S"])
    total = np.round(st["payable"] / unit).astype(np.int64)
    raw = lines["amount"] / unit
    base = np.floor(raw + 1e-9)
    left = total - np.round(np.bincount(codes, weights=base, minlength=n_st)).astype(np.int64)
    rem = raw - base
    pos = np.arange(len(raw))
    # one stable sort on (statement, remainder descending); equal remainders keep line order
    q = np.clip(((1.0 - np.clip(rem, 0.0, 1.0)) * (1 << 30)).astype(np.int64), 0, (1 << 30) - 1)
    order = np.argsort((codes.astype(np.int64) << 31) | q, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(n_st))
    rank = np.empty(len(raw), dtype=np.int64)
    rank[order] = pos - starts[codes[order]]
    sizes = np.bincount(codes, minlength=n_st)
    ok = (left >= 0) & (left <= sizes)
    out = base + (ok[codes] & (rank < left[codes]))
    for g in np.flatnonzero(~ok & (sizes > 0)):  # only float noise far beyond a unit ends here
        idx = np.flatnonzero(codes == g)
        out[idx[np.argmax(np.abs(raw[idx]))]] += total[g] - out[idx].sum()
    return np.round(out * unit, 10)


def _restate(st: dict, lines: dict, led: Ledger) -> None:
    """Statement components as sums of the rounded lines, so they add up exactly to the payable."""
    codes = lines["row"]
    n = len(st["S"])
    for name, comps in FEEDS.items():
        m = np.isin(lines["comp"], comps)
        st[name] = np.round(np.bincount(codes[m], weights=lines["amount"][m], minlength=n), 2)
    T = led.T
    parts = (("earned", T["st_earned"]), ("spiffs", T["st_spiffs"]), ("overrides", T["st_overrides"]),
             ("clawbacks", T["st_clawbacks"]), ("draw_paid", T["st_draw"]), ("draw_recovered", T["st_recovered"]))
    # "earned a + spiffs b + ... = payable p", naming only the components that are not zero; built a column at
    # a time (object arrays of str concatenate element-wise in C), not a string join per statement
    expl = _amount_texts(f"{parts[0][1]} ", st["earned"])
    for name, label in parts[1:]:
        shown = np.flatnonzero(st[name] != 0)
        expl[shown] += _amount_texts(f" + {label} ", st[name][shown])
    expl += _amount_texts(f" = {T['st_payable']} ", st["payable"])
    for i in np.flatnonzero(st["units"]):   # a plan paying per unit: the units credited come first
        q = unit_count(float(np.nan_to_num(st["credited_qty"][i])), T)
        quota = st["quota_qty"][i]
        expl[i] = (T["st_units_quota"].format(q=q, quota=unit_count(float(quota), T), att=pct(st["attainment"][i]))
                   if quota > 0 else T["st_units"].format(q=q)) + expl[i]
    carried = np.flatnonzero(np.abs(st["rounding_carried"]) >= 5e-7)
    expl[carried] += np.array([T["carry"].format(x=f"{x:+.4f}") for x in st["rounding_carried"][carried]],
                              dtype=object)
    st["explanation"] = expl


def _amount_texts(prefix: str, values: np.ndarray) -> np.ndarray:
    """``prefix`` + each amount with thousands separators and cents, as an object array (for concatenating)."""
    return np.array([f"{prefix}{v:,.2f}" for v in values.tolist()], dtype=object)


def _take(values: np.ndarray, codes: np.ndarray) -> Any:
    """``values[codes]``, missing where a code is -1, as a text column of the frame. When every value is a
    text, the frame's own string array takes them (what the frame would turn an object array into anyway,
    without the object array of one reference per line first: on 600,000 lines the frame's text columns
    were the largest step of the job's memory, and the slowest of its assembly)."""
    values = np.asarray(values, dtype=object)
    if len(values) and pd.api.types.infer_dtype(values, skipna=False) == "string":
        return pd.array(values, dtype="str").take(codes, allow_fill=True)
    ext = np.append(values, None)
    return ext[np.where(codes < 0, len(values), codes)]


def _line_frame(led: Ledger, lines: dict) -> pd.DataFrame:
    """Out_Commissions from the line arrays, each array taken out of ``lines`` once its column is made.

    Why: on a book of 600,000 lines the arrays and the frame held side by side were the commission job's
    peak; one column at a time, and no second copy of the frame's columns (``copy=False``)."""
    names = COMPONENT_ZH if led.lang == "zh" else COMPONENTS
    labels = period_label(np.arange(led.n_periods) + led.p_first, led.grain)
    take = lines.pop
    raw = take("tier")
    tier = pd.array(raw, dtype="Int64")
    tier[raw < 0] = pd.NA
    del raw
    columns = {
        "rep_id": _take(led.rep_index.to_numpy(dtype=object), take("rep")),
        "period": _take(labels, take("pidx")),
        "date": pd.to_datetime(take("day").astype("datetime64[D]")),
        "deal_id": _take(led.deal_ids, take("deal")),
        "component": _take(np.array(names, dtype=object), take("comp")),
        "plan_id": _take(led.P.ids, take("plan")),
        "credit_share": take("share"),
        "base": np.round(take("base").astype(float), 2),
        "quantity": np.round(take("qty").astype(float), 6),
        "running_from": np.round(take("rfrom").astype(float), 2),
        "running_to": np.round(take("rto").astype(float), 2),
        "tier": tier,
        "rate": take("rate").astype(float, copy=False),
        "per_unit": take("pu").astype(float, copy=False),
        "amount": take("amount"),
        "explanation": take("expl"),
    }
    lines.clear()
    return pd.DataFrame(columns, columns=LINE_COLUMNS, copy=False)


def _statement_frame(led: Ledger, st: dict) -> pd.DataFrame:
    names = led.rep_index.to_numpy(dtype=object).astype(str)
    order = np.lexsort((st["pidx"], names[st["rep"]]))
    labels = period_label(np.arange(led.n_periods) + led.p_first, led.grain)
    df = pd.DataFrame({
        "rep_id": _take(led.rep_index.to_numpy(dtype=object), st["rep"]),
        "period": _take(labels, st["pidx"]),
        "plan_id": _take(led.P.ids, st["plan"]),
        "quota": np.round(st["quota"], 2), "credited": np.round(st["credited"], 2),
        "quota_quantity": np.round(st["quota_qty"], 6), "credited_quantity": np.round(st["credited_qty"], 6),
        "attainment": np.round(st["attainment"], 6),
        **{k: st[k] for k in ("earned", "spiffs", "overrides", "clawbacks", "gate_adjustment", "cap_adjustment",
                              "draw_paid", "draw_recovered")},
        "balance_carried": np.round(st["balance_carried"], 2), "awaiting_cash": np.round(st["awaiting_cash"], 2),
        "rounding_carried": st["rounding_carried"], "payable": st["payable"], "explanation": st["explanation"],
    }, columns=STATEMENT_COLUMNS)
    return df.iloc[order].reset_index(drop=True)


def _accruals(led: Ledger, st: dict) -> pd.DataFrame:
    """Finance view by period: accrued on bookings vs payable, draw balance and commission awaiting cash."""
    n = led.n_periods

    def per(values: np.ndarray) -> np.ndarray:
        return np.bincount(st["pidx"], weights=values, minlength=n)

    carry = np.full(led.quota.shape, np.nan)
    carry.ravel()[st["S"]] = st["rounding_carried"]
    carry = pd.DataFrame(carry).ffill(axis=1).fillna(0.0).to_numpy()
    earned_booking = led.booking_earned.sum(axis=0)
    df = pd.DataFrame({
        "period": period_label(np.arange(n) + led.p_first, led.grain),
        "earned": np.round(per(st["earned"]), 2), "spiffs": np.round(per(st["spiffs"]), 2),
        "overrides": np.round(per(st["overrides"]), 2), "clawbacks": np.round(per(st["clawbacks"]), 2),
        "draws": np.round(per(st["draw_paid"]), 2), "recovered": np.round(per(st["draw_recovered"]), 2),
        "payable": np.round(per(st["payable"]), 2), "carried": np.round(led.balance.sum(axis=0), 2),
        "awaiting_cash": np.round(led.awaiting.sum(axis=0), 2), "rounding_carried": np.round(carry.sum(axis=0), 4),
    })
    df["accrued"] = np.round(earned_booking + df["spiffs"] + df["overrides"] + df["clawbacks"], 2)
    present = np.bincount(st["pidx"], minlength=n) > 0
    df = df[present].reset_index(drop=True)
    T = led.T
    df["explanation"] = [T["accrual"].format(a=money(a), e=money(e), s=money(s), o=money(o), c=money(c), p=money(p),
                                             b=money(b), w=money(w))
                         for a, e, s, o, c, p, b, w in zip(df["accrued"], df["earned"], df["spiffs"], df["overrides"],
                                                           df["clawbacks"], df["payable"], df["carried"],
                                                           df["awaiting_cash"], strict=True)]
    return df[ACCRUAL_COLUMNS]
