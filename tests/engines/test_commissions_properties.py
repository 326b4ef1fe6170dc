"""Invariants of the commission engine over generated plans and deals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import salesbook
from salesbook.engines.commissions import compute_commissions, credit_lines

METHODS = st.sampled_from(["marginal", "whole"])


@settings(max_examples=150, deadline=None)
@given(rates=st.lists(st.floats(0, 0.5), min_size=1, max_size=5), a=st.floats(0, 1e6), b=st.floats(0, 1e6),
       method=METHODS, boundary=st.sampled_from(["upper", "lower"]))
def test_payout_never_decreases_with_attainment(rates, a, b, method, boundary):
    tiers = [(i * 100_000.0, r) for i, r in enumerate(sorted(rates))]
    lo, hi = sorted((a, b))
    low = salesbook.tiered_payout(lo, tiers, method=method, boundary=boundary)
    assert salesbook.tiered_payout(hi, tiers, method=method, boundary=boundary) >= low - 1e-6


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(st.floats(0, 1e5), min_size=1, max_size=8), method=METHODS,
       rates=st.lists(st.floats(0, 0.3), min_size=1, max_size=4))
def test_running_deals_add_up_to_the_period_payout(parts, method, rates):
    """However a period's total is split into deals, paying each from its running start pays the total."""
    tiers = [(i * 50_000.0, r) for i, r in enumerate(rates)]
    start, paid = 0.0, 0.0
    for p in parts:
        paid += salesbook.tiered_payout(p, tiers, method=method, start=start)
        start += p
    assert paid == pytest.approx(salesbook.tiered_payout(sum(parts), tiers, method=method), abs=1e-6)


def _frames(deal_rows, method, measure, gate, cap, draw, draw_type, basis):
    plans = pd.DataFrame([{"plan_id": "P", "name": "p", "tier_method": method, "measure": measure,
                           "tier_scope": "period", "basis": basis, "gate": gate, "cap_line": np.nan, "cap_period": cap,
                           "override_rate": np.nan, "draw_amount": draw, "draw_type": draw_type}])
    bounds = [0.0, 0.8, 1.2] if measure == "attainment" else [0.0, 10_000.0, 30_000.0]
    tiers = pd.DataFrame({"plan_id": "P", "lower_bound": bounds, "rate": [0.02, 0.05, 0.08]})
    assign = pd.DataFrame({"rep_id": ["A", "B"], "plan_id": "P", "start_date": pd.Timestamp("2026-01-01"),
                           "end_date": pd.NaT, "quota": 20_000.0})
    reps = pd.DataFrame({"rep_id": ["A", "B"], "manager_id": None, "hire_date": pd.Timestamp("2025-01-01"),
                         "leave_date": pd.NaT})
    deals = pd.DataFrame(deal_rows, columns=["deal_id", "date", "rep_id", "product_id", "quantity", "amount", "status",
                                             "status_date"]).astype({"date": "datetime64[ns]",
                                                                     "status_date": "datetime64[ns]"})
    return plans, tiers, assign, reps, deals


DEAL = st.tuples(st.integers(0, 5), st.integers(1, 28), st.floats(0.01, 40_000), st.sampled_from([1.0, 0.5, 0.3]),
                 st.sampled_from(["booked", "booked", "booked", "returned", "cancelled"]), st.integers(0, 120))


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(DEAL, min_size=1, max_size=20), method=METHODS,
       measure=st.sampled_from(["amount", "attainment"]), gate=st.sampled_from([np.nan, 0.4]),
       cap=st.sampled_from([np.nan, 900.0]), draw=st.sampled_from([np.nan, 700.0]),
       draw_type=st.sampled_from(["recoverable", "non_recoverable"]), basis=st.sampled_from(["booking", "cash"]))
def test_statements_reconcile_and_splits_conserve_credit(rows, method, measure, gate, cap, draw, draw_type, basis):
    deal_rows = []
    for i, (m, d, amount, _, status, lag) in enumerate(rows):
        date = pd.Timestamp(2026, 1 + m, d)
        gone = status != "booked"
        deal_rows.append((f"D{i}", date, "A", "X", 1, round(amount, 2), status,
                          date + pd.Timedelta(days=lag) if gone else None))
    plans, tiers, assign, reps, deals = _frames(deal_rows, method, measure, gate, cap, draw, draw_type, basis)
    credits = pd.DataFrame([(f"D{i}", rep, sh if rep == "A" else round(1 - sh, 10), False)
                            for i, (*_, sh, _s, _l) in enumerate(rows) for rep in (("A",) if sh == 1.0 else ("A", "B"))],
                           columns=["deal_id", "rep_id", "share", "overlay"])
    lines = credit_lines(deals, credits)
    assert lines.groupby("deal_id")["credit_share"].sum().round(9).eq(1.0).all()
    payments = pd.DataFrame({"deal_id": deals["deal_id"], "date": deals["date"] + pd.Timedelta(days=20),
                             "amount": deals["amount"] * 0.6})
    r = compute_commissions(deals, plans, tiers, assign, credits=credits, reps=reps, payments=payments)
    # every rep-period's lines sum exactly (in cents) to its payable
    cents = (r.lines.groupby(["rep_id", "period"])["amount"].sum() * 100).round().astype(int)
    payable = (r.statements.set_index(["rep_id", "period"])["payable"] * 100).round().astype(int)
    assert cents.reindex(payable.index).fillna(0).astype(int).equals(payable)
    parts = r.statements[["earned", "spiffs", "overrides", "clawbacks", "draw_paid", "draw_recovered"]].sum(axis=1)
    assert ((parts - r.statements["payable"]).abs() < 0.005).all()
    # rounding is carried, not lost: the remainder left after each period stays under half a cent
    assert (r.statements["rounding_carried"].abs() <= 0.005 + 1e-9).all()
    # credited amounts are the credit shares of the deals (clawbacks within the window deducted)
    assert r.statements["credited"].sum() == pytest.approx(
        (deals.set_index("deal_id")["amount"].reindex(lines["deal_id"]).to_numpy() * lines["credit_share"]).sum()
        - _clawed(deals, lines), abs=0.05)
    # pay on cash never releases more than the commission earned on booking
    assert (r.statements["awaiting_cash"] >= -0.01).all()
    assert r.accruals["payable"].sum() == pytest.approx(r.statements["payable"].sum(), abs=0.005)
    # plan modeling's statements-only run: the same statements and accruals, no lines
    bare = compute_commissions(deals, plans, tiers, assign, credits=credits, reps=reps, payments=payments,
                               with_lines=False)
    pd.testing.assert_frame_equal(bare.statements, r.statements)
    pd.testing.assert_frame_equal(bare.accruals, r.accruals)
    assert bare.lines.empty and list(bare.lines.columns) == list(r.lines.columns)


def _clawed(deals: pd.DataFrame, lines: pd.DataFrame) -> float:
    d = deals.set_index("deal_id").reindex(lines["deal_id"])
    lag = (d["status_date"] - d["date"]).dt.days.to_numpy()
    hit = (d["status"].to_numpy() != "booked") & (lag <= 90)
    return float((d["amount"].to_numpy() * lines["credit_share"].to_numpy())[hit].sum())


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(1, 28), st.floats(1, 40_000)), min_size=1, max_size=12),
       extra=st.floats(1, 40_000), method=METHODS, measure=st.sampled_from(["amount", "attainment"]),
       gate=st.sampled_from([np.nan, 0.5]), cap=st.sampled_from([np.nan, 1_500.0]))
def test_one_more_deal_never_lowers_the_period_commission(rows, extra, method, measure, gate, cap):
    """With non-decreasing rates, selling more in a period never earns less (gate and cap included)."""
    deal_rows = [(f"D{i}", pd.Timestamp(2026, 3, d), "A", "X", 1, round(a, 2), "booked", None)
                 for i, (d, a) in enumerate(rows)]
    plans, tiers, assign, reps, deals = _frames(deal_rows, method, measure, gate, cap, np.nan, None, "booking")
    more = pd.concat([deals, deals.iloc[:1].assign(deal_id="DX", amount=round(extra, 2))], ignore_index=True)
    before = compute_commissions(deals, plans, tiers, assign, reps=reps).statements["earned"].sum()
    after = compute_commissions(more, plans, tiers, assign, reps=reps).statements["earned"].sum()
    assert after >= before - 0.01
