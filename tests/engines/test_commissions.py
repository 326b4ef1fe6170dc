"""Commissions against published worked examples, hand-checked plans, and invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import salesbook
from salesbook.engines.commissions import compute_commissions, credit_lines
from salesbook.engines.tiers import TierError


def test_marginal_tiers_prowi_glossary_example():
    # Prowi glossary "Tiered commission": quota 100,000; 0-50% 5%, 50-100% 10%, 100-150% 15%, 150%+ 20%;
    # sales 140,000 -> 2,500 + 5,000 + 6,000 = 13,500.
    tiers = [(0, 0.05), (50_000, 0.10), (100_000, 0.15), (150_000, 0.20)]
    assert salesbook.tiered_payout(140_000, tiers) == pytest.approx(13_500)


def test_marginal_vs_flat_carvd_example():
    # Carvd, "Tiered Commission Structure": quota 500K, 0-100% 8%, 100-125% 12%, above 125% 15%; 650K closed
    # -> 40,000 + 15,000 + 3,750 = 58,750 (a flat 8% would pay 52,000).
    tiers = [(0, 0.08), (500_000, 0.12), (625_000, 0.15)]
    assert salesbook.tiered_payout(650_000, tiers) == pytest.approx(58_750)
    assert salesbook.tiered_payout(650_000, [(0, 0.08)]) == pytest.approx(52_000)


def test_whole_tier_sales_cookie_example():
    # Sales Cookie KB, cumulative vs non-cumulative tiers: under 100% 6%, 100-150% 8%, above 150% 10%;
    # with non-cumulative (whole-tier) tiers a rep at 110% is paid tier B's 8% on all revenue.
    tiers = [(0, 0.06), (100_000, 0.08), (150_000, 0.10)]
    assert salesbook.tiered_payout(110_000, tiers, method="whole") == pytest.approx(8_800)
    assert salesbook.tiered_payout(110_000, tiers, method="marginal") == pytest.approx(6_000 + 800)


def test_deal_crossing_a_bound_pays_each_slice_at_its_rate():
    # ExcelForum thread "accelerators over quota": 5% to 100,000, 6% to 125,000, 7% above; 150,000 sold pays
    # 5,000 + 1,500 + 1,750 = 8,250.  Split into two deals the total is the same.
    tiers = [(0, 0.05), (100_000, 0.06), (125_000, 0.07)]
    first = salesbook.tiered_payout(90_000, tiers)
    second = salesbook.tiered_payout(60_000, tiers, start=90_000)
    assert first == pytest.approx(4_500) and second == pytest.approx(500 + 1_500 + 1_750)
    assert first + second == pytest.approx(8_250)


def test_boundary_value_belongs_to_the_higher_tier():
    tiers = [(0, 0.05), (100, 0.10)]
    assert salesbook.tiered_payout(100, tiers, method="whole") == pytest.approx(10.0)


@pytest.mark.parametrize("tiers", [[], [(0, 0.1), (0, 0.2)], [(100, 0.1), (50, 0.2)], [(0, -0.1)]])
def test_bad_tier_tables(tiers):
    with pytest.raises(TierError):
        salesbook.tiered_payout(10, tiers)


@settings(max_examples=150, deadline=None)
@given(rates=st.lists(st.floats(0, 0.5), min_size=1, max_size=5), a=st.floats(0, 1e6), b=st.floats(0, 1e6),
       method=st.sampled_from(["marginal", "whole"]))
def test_payout_never_decreases_with_attainment(rates, a, b, method):
    rates = sorted(rates)
    tiers = [(i * 100_000.0, r) for i, r in enumerate(rates)]
    lo, hi = sorted((a, b))
    assert salesbook.tiered_payout(hi, tiers, method=method) >= salesbook.tiered_payout(lo, tiers, method=method) - 1e-6


def _plan_book(**plan):
    plans = pd.DataFrame([{"plan_id": "P", "name": "p", "tier_method": "marginal", "measure": "amount",
                           "tier_scope": "period", "basis": "booking", "gate": np.nan, "cap_period": np.nan,
                           "override_rate": np.nan, "draw_amount": np.nan, "draw_type": None, **plan}])
    tiers = pd.DataFrame({"plan_id": ["P", "P"], "lower_bound": [0.0, 10_000.0], "rate": [0.05, 0.10]})
    assign = pd.DataFrame({"rep_id": ["A", "B"], "plan_id": ["P", "P"], "start_date": pd.to_datetime(["2026-01-01"] * 2),
                           "end_date": pd.to_datetime([None, None]), "quota": [20_000.0, 20_000.0]})
    reps = pd.DataFrame({"rep_id": ["A", "B", "M"], "manager_id": ["M", "M", None],
                         "hire_date": pd.to_datetime(["2020-01-01"] * 3), "leave_date": pd.to_datetime([None] * 3)})
    return plans, tiers, assign, reps


def _deals(rows):
    return pd.DataFrame(rows, columns=["deal_id", "date", "rep_id", "product_id", "quantity", "amount", "status",
                                       "status_date"]).astype({"date": "datetime64[ns]", "status_date": "datetime64[ns]"})


def test_running_total_split_credit_and_statement_by_hand():
    """January: A sells D1 8,000 then D2 6,000 split 50/50 with B.
    A: D1 8,000 x 5% = 400.00; D2 credit 3,000 crosses 10,000: 2,000 x 5% + 1,000 x 10% = 200.00 -> 600.00.
    B: D2 credit 3,000 x 5% = 150.00."""
    plans, tiers, assign, reps = _plan_book()
    deals = _deals([("D1", "2026-01-05", "A", "X", 1, 8_000.0, "booked", None),
                    ("D2", "2026-01-20", "A", "X", 1, 6_000.0, "booked", None)])
    credits = pd.DataFrame({"deal_id": ["D2", "D2"], "rep_id": ["A", "B"], "share": [0.5, 0.5], "overlay": [False, False]})
    r = compute_commissions(deals, plans, tiers, assign, credits=credits, reps=reps)
    lines = r.lines.set_index(["rep_id", "deal_id"])["amount"]
    assert lines[("A", "D1")] == 400.00 and lines[("A", "D2")] == 200.00 and lines[("B", "D2")] == 150.00
    st_ = r.statements.set_index("rep_id")
    assert st_.loc["A", "payable"] == 600.00 and st_.loc["B", "payable"] == 150.00
    assert st_.loc["A", "attainment"] == pytest.approx(11_000 / 20_000)


def test_clawback_reverses_the_original_commission_in_the_return_month():
    plans, tiers, assign, reps = _plan_book()
    deals = _deals([("D1", "2026-01-05", "A", "X", 1, 12_000.0, "returned", "2026-02-10")])
    r = compute_commissions(deals, plans, tiers, assign, reps=reps)
    jan = r.statements[r.statements["period"] == "2026-01"].iloc[0]
    feb = r.statements[r.statements["period"] == "2026-02"].iloc[0]
    # 10,000 x 5% + 2,000 x 10% = 700.00 earned in January, clawed back in full in February
    assert jan["payable"] == 700.00 and feb["clawbacks"] == -700.00 and feb["payable"] == -700.00
    late = _deals([("D1", "2026-01-05", "A", "X", 1, 12_000.0, "returned", "2026-06-10")])
    r2 = compute_commissions(late, plans, tiers, assign, reps=reps, clawback_days=90)
    assert (r2.lines["component"] != "clawback").all()  # outside the 90-day window


def test_gate_cap_and_recoverable_draw():
    plans, tiers, assign, reps = _plan_book(gate=0.5, draw_amount=800.0, draw_type="recoverable")
    deals = _deals([("D1", "2026-01-05", "A", "X", 1, 8_000.0, "booked", None),     # 40% of quota: gated
                    ("D2", "2026-02-05", "A", "X", 1, 20_000.0, "booked", None)])   # 100%: 500 + 1,000 = 1,500
    r = compute_commissions(deals, plans, tiers, assign, reps=reps)
    s = r.statements.set_index("period")
    assert s.loc["2026-01", "earned"] == 0.0 and s.loc["2026-01", "draw_paid"] == 800.00
    assert s.loc["2026-01", "balance_carried"] == 800.00 and s.loc["2026-01", "payable"] == 800.00
    # February: 1,500 earned; only earnings above the 800 draw recover the balance: 700 recovered,
    # 800 payable, 100 still owed and carried forward
    assert s.loc["2026-02", "earned"] == 1_500.00 and s.loc["2026-02", "draw_recovered"] == -700.00
    assert s.loc["2026-02", "payable"] == 800.00 and s.loc["2026-02", "balance_carried"] == 100.00
    capped = compute_commissions(deals, _plan_book(cap_period=1_000.0)[0], tiers, assign, reps=reps)
    assert capped.statements.set_index("period").loc["2026-02", "payable"] == 1_000.00


def test_pay_on_cash_pro_rata_to_payments():
    plans, tiers, assign, reps = _plan_book(basis="cash")
    deals = _deals([("D1", "2026-01-05", "A", "X", 1, 8_000.0, "booked", None)])
    pays = pd.DataFrame({"deal_id": ["D1", "D1"], "date": pd.to_datetime(["2026-01-20", "2026-03-02"]),
                         "amount": [3_000.0, 5_000.0]})
    r = compute_commissions(deals, plans, tiers, assign, payments=pays, reps=reps)
    s = r.statements.set_index("period")["payable"]
    assert s["2026-01"] == 150.00 and s["2026-03"] == 250.00  # 3,000 and 5,000 at 5%, each in its cash month


def test_credit_splits_must_total_100_percent_naming_the_rows():
    deals = _deals([("D1", "2026-01-05", "A", "X", 1, 100.0, "booked", None)])
    credits = pd.DataFrame({"deal_id": ["D1", "D1"], "rep_id": ["A", "B"], "share": [0.6, 0.3], "overlay": [False, False]},
                           index=pd.Index([2, 3], name="excel_row"))
    with pytest.raises(salesbook.InputError) as info:
        credit_lines(deals, credits)
    assert [p.row for p in info.value.problems] == [2, 3] and "90.00%" in info.value.render("en")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 28), st.floats(1, 50_000), st.sampled_from([1.0, 0.5, 0.3])),
                min_size=1, max_size=25))
def test_lines_sum_exactly_to_each_payable_and_splits_conserve_credit(rows):
    plans, tiers, assign, reps = _plan_book()
    deals = _deals([(f"D{i}", f"2026-0{1 + i % 3}-{d:02d}", "A", "X", 1, round(a, 2), "booked", None)
                    for i, (d, a, _) in enumerate(rows)])
    credits = pd.DataFrame([(f"D{i}", rep, sh if rep == "A" else round(1 - sh, 10), False) for i, (_, _, sh) in enumerate(rows)
                            for rep in (("A",) if sh == 1.0 else ("A", "B"))], columns=["deal_id", "rep_id", "share", "overlay"])
    lines = credit_lines(deals, credits)
    assert lines.groupby("deal_id")["credit_share"].sum().round(9).eq(1.0).all()
    r = compute_commissions(deals, plans, tiers, assign, credits=credits, reps=reps)
    cents = (r.lines.groupby(["rep_id", "period"])["amount"].sum() * 100).round().astype(int)
    payable = (r.statements.set_index(["rep_id", "period"])["payable"] * 100).round().astype(int)
    assert cents.reindex(payable.index).fillna(0).astype(int).equals(payable)
    parts = r.statements[["earned", "spiffs", "overrides", "clawbacks", "draw_paid", "draw_recovered"]].sum(axis=1)
    assert ((parts - r.statements["payable"]).abs() < 0.005).all()
