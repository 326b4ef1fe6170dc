"""Commissions against published worked examples and hand-checked plans."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

import salesbook
from salesbook.engines.commissions import TierError, compute_commissions, credit_lines
from salesbook.errors import InputError

# --- tiered_payout: published tier examples ---------------------------------------------------------------


def test_marginal_tiers_by_hand():
    # quota 100,000; 0-50% 5%, 50-100% 10%, 100-150% 15%, 150%+ 20%; 140,000 -> 2,500 + 5,000 + 6,000 = 13,500
    tiers = [(0, 0.05), (50_000, 0.10), (100_000, 0.15), (150_000, 0.20)]
    assert salesbook.tiered_payout(140_000, tiers) == pytest.approx(13_500)
    # 0-100% 8%, 100-125% 12%, above 125% 15% on a 500K quota; 650K -> 40,000 + 15,000 + 3,750 (flat 8%: 52,000)
    tiers = [(0, 0.08), (500_000, 0.12), (625_000, 0.15)]
    assert salesbook.tiered_payout(650_000, tiers) == pytest.approx(58_750)
    assert salesbook.tiered_payout(650_000, [(0, 0.08)]) == pytest.approx(52_000)


def test_mytime_tiered_commission_per_pay_cycle():
    # MyTime help centre, "Tiered Commission by Revenue Amount (Above Earned Breakdown)": 25% to 500, 30% to
    # 3,000, 40% above, the amount above each tier at that tier's rate, reset every pay cycle; cycles of 400,
    # 100 and 5,000 pay 100, 25 and 1,675.  (Its 1,500 cycle is printed as 424.98, but its own formula,
    # 499.99 x 25% + 1,000.01 x 30%, gives 425.00, which is what we pay.)
    # https://help.mytime.com/hc/en-us/articles/360046956372
    plans = pd.DataFrame([_plan()])
    tiers = pd.DataFrame({"plan_id": "P", "lower_bound": [0.0, 500.0, 3_000.0], "rate": [0.25, 0.30, 0.40]})
    assign = pd.DataFrame({"rep_id": ["A"], "plan_id": "P", "start_date": pd.Timestamp("2026-01-01"),
                           "end_date": pd.NaT, "quota": np.nan})
    r = compute_commissions(_monthly("A", [400.0, 100.0, 1_500.0, 5_000.0]), plans, tiers, assign)
    assert r.statements["payable"].tolist() == [100.00, 25.00, 425.00, 1_675.00]


def test_whole_tier_sales_cookie_example():
    # Sales Cookie KB, "What is the difference between cumulative and non-cumulative tiers": under 100% of
    # quota 6%, 100-150% 8%, above 150% 10%; with non-cumulative (whole-tier) tiers a rep at 110% is paid
    # tier B's 8% on all revenue; with cumulative tiers part comes from tier A and part from tier B.
    # https://support2.salescookie.com/portal/en/kb/articles/kb-what-is-the-difference-between-cumulative-and-non-cumulative-tiers
    tiers = [(0, 0.06), (100_000, 0.08), (150_000, 0.10)]
    assert salesbook.tiered_payout(110_000, tiers, method="whole") == pytest.approx(8_800)
    assert salesbook.tiered_payout(110_000, tiers, method="marginal") == pytest.approx(6_000 + 800)


def test_deal_crossing_a_bound_pays_each_slice_at_its_rate():
    # ExcelForum, accelerators over quota: 5% to 100,000, 6% to 125,000, 7% above; 150,000 sold pays
    # 5,000 + 1,500 + 1,750 = 8,250.
    # https://excelforum.com/excel-formulas-and-functions/861932-vlookup-for-multiple-results-without-duplicates-prev-thread.html
    # Split into two deals (the second starting at 90,000) the total is the same.
    tiers = [(0, 0.05), (100_000, 0.06), (125_000, 0.07)]
    first = salesbook.tiered_payout(90_000, tiers)
    second = salesbook.tiered_payout(60_000, tiers, start=90_000)
    assert first == pytest.approx(4_500) and second == pytest.approx(500 + 1_500 + 1_750)
    assert first + second == pytest.approx(8_250)


def test_boundary_rule_is_a_setting():
    tiers = [(0, 0.06), (100_000, 0.08)]
    assert salesbook.tiered_payout(100_000, tiers, method="whole") == pytest.approx(8_000)            # on the bound: higher
    assert salesbook.tiered_payout(100_000, tiers, method="whole", boundary="lower") == pytest.approx(6_000)
    # marginal payout is continuous, so the rule does not change it
    assert salesbook.tiered_payout(100_000, tiers, boundary="lower") == salesbook.tiered_payout(100_000, tiers)


@pytest.mark.parametrize("tiers", [[], [(0, 0.1), (0, 0.2)], [(100, 0.1), (50, 0.2)], [(0, -0.1)], [(0, "x")]])
def test_bad_tier_tables(tiers):
    with pytest.raises(TierError):
        salesbook.tiered_payout(10, tiers)


# --- the engine -------------------------------------------------------------------------------------------


def _plan(**over) -> dict:
    return {"plan_id": "P", "name": "p", "tier_method": "marginal", "measure": "amount", "tier_scope": "period",
            "basis": "booking", "gate": np.nan, "cap_line": np.nan, "cap_period": np.nan, "override_rate": np.nan,
            "draw_amount": np.nan, "draw_type": None, **over}


def _book(tiers=((0.0, 0.05), (10_000.0, 0.10)), quota=20_000.0, reps=("A", "B"), **plan):
    plans = pd.DataFrame([_plan(**plan)])
    t = pd.DataFrame({"plan_id": "P", "lower_bound": [lo for lo, _ in tiers], "rate": [r for _, r in tiers]})
    assign = pd.DataFrame({"rep_id": list(reps), "plan_id": "P", "start_date": pd.Timestamp("2026-01-01"),
                           "end_date": pd.NaT, "quota": quota})
    rep_table = pd.DataFrame({"rep_id": [*reps, "M"], "manager_id": ["M"] * len(reps) + [None],
                              "hire_date": pd.Timestamp("2020-01-01"), "leave_date": pd.NaT})
    return plans, t, assign, rep_table


def _deals(rows):
    return pd.DataFrame(rows, columns=["deal_id", "date", "rep_id", "product_id", "quantity", "amount", "status",
                                       "status_date"]).astype({"date": "datetime64[ns]", "status_date": "datetime64[ns]"})


def _monthly(rep, amounts, status=None):
    return _deals([(f"D{i}", f"2026-{i + 1:02d}-10", rep, "X", 1, a, "booked", None) for i, a in enumerate(amounts)])


def _reconciles(r) -> None:
    cents = (r.lines.groupby(["rep_id", "period"])["amount"].sum() * 100).round().astype(int)
    payable = (r.statements.set_index(["rep_id", "period"])["payable"] * 100).round().astype(int)
    assert cents.reindex(payable.index).fillna(0).astype(int).equals(payable)
    parts = r.statements[["earned", "spiffs", "overrides", "clawbacks", "draw_paid", "draw_recovered"]].sum(axis=1)
    assert ((parts - r.statements["payable"]).abs() < 0.005).all()
    assert r.lines["explanation"].map(bool).all() and r.statements["explanation"].map(bool).all()


def test_running_total_split_credit_and_statement_by_hand():
    """January: A sells D1 8,000 then D2 6,000 split 50/50 with B.
    A: D1 8,000 x 5% = 400.00; D2 credit 3,000 crosses 10,000: 2,000 x 5% + 1,000 x 10% = 200.00 -> 600.00.
    B: D2 credit 3,000 x 5% = 150.00."""
    plans, tiers, assign, reps = _book()
    deals = _deals([("D1", "2026-01-05", "A", "X", 1, 8_000.0, "booked", None),
                    ("D2", "2026-01-20", "A", "X", 1, 6_000.0, "booked", None)])
    credits = pd.DataFrame({"deal_id": ["D2", "D2"], "rep_id": ["A", "B"], "share": [0.5, 0.5], "overlay": [False, False]})
    r = compute_commissions(deals, plans, tiers, assign, credits=credits, reps=reps)
    lines = r.lines.set_index(["rep_id", "deal_id"])
    assert lines.loc[("A", "D1"), "amount"] == 400.00 and lines.loc[("A", "D2"), "amount"] == 200.00
    assert lines.loc[("B", "D2"), "amount"] == 150.00
    assert (lines.loc[("A", "D2"), "running_from"], lines.loc[("A", "D2"), "running_to"]) == (8_000.0, 11_000.0)
    assert "crosses from tier 1 into tier 2" in lines.loc[("A", "D2"), "explanation"]
    assert "50% credit share" in lines.loc[("B", "D2"), "explanation"]
    st = r.statements.set_index("rep_id")
    assert st.loc["A", "payable"] == 600.00 and st.loc["B", "payable"] == 150.00
    assert st.loc["A", "attainment"] == pytest.approx(11_000 / 20_000)
    _reconciles(r)


def test_attainment_accelerator_and_decelerator_on_prorated_quota():
    # quota 20,000 per month; rep hired 16 January: January quota is 16/31 of it (10,322.58).
    # Tiers on attainment: 2% below 50% (decelerator), 4% to 100%, 8% above (accelerator).
    plans, tiers, assign, reps = _book(tiers=((0.0, 0.02), (0.5, 0.04), (1.0, 0.08)), measure="attainment")
    reps.loc[reps["rep_id"] == "A", "hire_date"] = pd.Timestamp("2026-01-16")
    deals = _deals([("D1", "2026-01-20", "A", "X", 1, 12_000.0, "booked", None)])
    r = compute_commissions(deals, plans, tiers, assign, reps=reps)
    q = 20_000 * 16 / 31
    expected = q * 0.5 * 0.02 + q * 0.5 * 0.04 + (12_000 - q) * 0.08
    st = r.statements.iloc[0]
    assert st["quota"] == pytest.approx(round(q, 2)) and st["payable"] == pytest.approx(round(expected, 2))
    assert r.lines.iloc[0]["tier"] == 3


def test_whole_tier_uplift_and_per_deal_tiers():
    plans, tiers, assign, reps = _book(tier_method="whole")
    deals = _deals([("D1", "2026-01-05", "A", "X", 1, 8_000.0, "booked", None),
                    ("D2", "2026-01-20", "A", "X", 1, 4_000.0, "booked", None)])
    r = compute_commissions(deals, plans, tiers, assign, reps=reps)
    # D1 400 at 5%; D2 lifts the period to 12,000 at 10% = 1,200, so D2 pays 800 (incl. 400 uplift on D1)
    assert r.lines["amount"].tolist() == [400.00, 800.00]
    assert "uplift" in r.lines["explanation"].iloc[1]
    per_deal = compute_commissions(deals, _book(tier_scope="deal")[0], tiers, assign, reps=reps)
    assert per_deal.lines["amount"].tolist() == [400.00, 200.00]  # each deal starts from 0


def test_line_cap_period_cap_and_gate():
    plans, tiers, assign, reps = _book(cap_line=600.0)
    deals = _deals([("D1", "2026-01-05", "A", "X", 1, 14_000.0, "booked", None)])  # 500 + 400 = 900 -> 600
    r = compute_commissions(deals, plans, tiers, assign, reps=reps)
    assert r.lines["amount"].tolist() == [600.00] and "capped at 600.00 per line" in r.lines["explanation"].iloc[0]
    r = compute_commissions(deals, _book(cap_period=700.0)[0], tiers, assign, reps=reps)
    assert r.statements["payable"].tolist() == [700.00] and r.statements["cap_adjustment"].tolist() == [-200.00]
    assert r.lines["component"].tolist() == ["commission", "cap"]
    r = compute_commissions(deals, _book(gate=0.75)[0], tiers, assign, reps=reps)   # 70% < 75%
    assert r.statements["payable"].tolist() == [0.0] and r.statements["gate_adjustment"].tolist() == [-900.00]
    r = compute_commissions(deals, _book(gate=0.70)[0], tiers, assign, reps=reps)   # exactly on the gate passes
    assert r.statements["payable"].tolist() == [900.00]


def test_oracle_recoverable_draw_scenario():
    # Oracle (Siebel) Incentive Compensation Administration Guide, "Recoverable Draw Scenario" (Table 4):
    # draw 2,000/month; gross earnings 2,750 3,000 1,500 2,375 3,000 2,750 -> net 2,750 3,000 2,000 2,000
    # 2,875 2,750; March's 500 top-up is recovered as 375 in April and 125 in May.
    # https://docs.oracle.com/cd/E05553_01/books/InCompAdm/InCompAdmPlanDesign8.html
    plans, tiers, assign, reps = _book(tiers=((0.0, 0.10),), reps=("A",), draw_amount=2_000.0, draw_type="recoverable")
    deals = _monthly("A", [27_500.0, 30_000.0, 15_000.0, 23_750.0, 30_000.0, 27_500.0])
    r = compute_commissions(deals, plans, tiers, assign, reps=reps)
    st = r.statements
    assert st["earned"].tolist() == [2_750, 3_000, 1_500, 2_375, 3_000, 2_750]
    assert st["payable"].tolist() == [2_750, 3_000, 2_000, 2_000, 2_875, 2_750]
    assert st["draw_paid"].tolist() == [0, 0, 500, 0, 0, 0]
    assert st["draw_recovered"].tolist() == [0, 0, 0, -375, -125, 0]
    assert st["balance_carried"].tolist() == [0, 0, 500, 125, 0, 0]
    _reconciles(r)


def test_xactly_recoverable_vs_non_recoverable_draw():
    # Xactly, "The Non-Recoverable Draw Against Commission": draw 1,500; August commissions 500 -> paid 1,500;
    # September commissions 3,000 -> 2,000 after repaying the 1,000 if recoverable, 3,000 if not.
    # https://www.xactlycorp.com/blog/non-recoverable-draw/
    deals = _deals([("D1", "2026-08-10", "A", "X", 1, 5_000.0, "booked", None),
                    ("D2", "2026-09-10", "A", "X", 1, 30_000.0, "booked", None)])
    for kind, september in (("recoverable", 2_000.0), ("non_recoverable", 3_000.0)):
        plans, tiers, assign, reps = _book(tiers=((0.0, 0.10),), reps=("A",), draw_amount=1_500.0, draw_type=kind)
        st = compute_commissions(deals, plans, tiers, assign, reps=reps).statements.set_index("period")
        assert st.loc["2026-08", "payable"] == 1_500.0 and st.loc["2026-09", "payable"] == september


def test_draw_guarantee_is_paid_in_a_month_without_deals():
    plans, tiers, assign, reps = _book(tiers=((0.0, 0.10),), reps=("A", "B"), draw_amount=1_000.0)
    deals = _deals([("D1", "2026-01-10", "A", "X", 1, 50_000.0, "booked", None)])
    st = compute_commissions(deals, plans, tiers, assign, reps=reps).statements.set_index("rep_id")
    assert st.loc["B", "payable"] == 1_000.0 and st.loc["B", "draw_paid"] == 1_000.0


def test_tolt_refund_clawback_is_its_own_negative_line():
    # Tolt docs, "Refunds": a $49.00 sale at a 30% commission pays 14.70; after payout a refund creates a
    # separate -14.70 commission that nets against the next payout (paid commissions are never edited).
    # https://docs.tolt.com/guides/refunds
    plans, tiers, assign, reps = _book(tiers=((0.0, 0.30),), reps=("A",))
    deals = _deals([("D1", "2026-01-05", "A", "X", 1, 49.00, "returned", "2026-02-03"),
                    ("D2", "2026-02-10", "A", "X", 1, 100.00, "booked", None)])
    r = compute_commissions(deals, plans, tiers, assign, reps=reps)
    jan, feb = r.lines[r.lines["period"] == "2026-01"], r.lines[r.lines["period"] == "2026-02"]
    assert jan["amount"].tolist() == [14.70]
    claw = feb[feb["component"] == "clawback"].iloc[0]
    assert claw["amount"] == -14.70 and claw["rate"] == pytest.approx(0.30) and claw["deal_id"] == "D1"
    assert "at its original rate" in claw["explanation"]
    assert r.statements.set_index("period").loc["2026-02", "payable"] == pytest.approx(30.00 - 14.70)
    late = deals.assign(status_date=pd.to_datetime(["2026-06-10", None]))
    r2 = compute_commissions(late, plans, tiers, assign, reps=reps, clawback_days=90)
    assert (r2.lines["component"] != "clawback").all()  # outside the 90-day window


def test_clawback_at_the_original_rate_and_attainment_setting():
    plans, tiers, assign, reps = _book(reps=("A",))
    deals = _deals([("D1", "2026-01-05", "A", "X", 1, 12_000.0, "returned", "2026-02-10"),
                    ("D2", "2026-02-20", "A", "X", 1, 5_000.0, "booked", None)])
    r = compute_commissions(deals, plans, tiers, assign, reps=reps)
    st = r.statements.set_index("period")
    # January: 10,000 x 5% + 2,000 x 10% = 700; the February return reverses 700 (effective 5.83%), not 12,000 x 5%
    assert st.loc["2026-01", "payable"] == 700.00 and st.loc["2026-02", "clawbacks"] == -700.00
    assert st.loc["2026-02", "credited"] == -7_000.00          # attainment deducted (the default)
    kept = compute_commissions(deals, plans, tiers, assign, reps=reps, clawback_reduces_attainment=False)
    assert kept.statements.set_index("period").loc["2026-02", "credited"] == 5_000.00


def test_clawback_of_a_gated_period_reverses_only_what_was_paid():
    plans, tiers, assign, reps = _book(reps=("A",), gate=0.5)
    deals = _deals([("D1", "2026-01-05", "A", "X", 1, 4_000.0, "cancelled", "2026-02-01")])  # 20%: gated
    r = compute_commissions(deals, plans, tiers, assign, reps=reps)
    assert r.statements["payable"].tolist() == [0.0, 0.0]


def test_oracle_pay_on_cash_rate_fixed_at_booking():
    # Oracle Incentive Compensation community, "How to pay 50/50 on order/on payment collection": a 10K
    # order in tier 1 (10%, 0-100K YTD) earns 1,000 at the rate fixed when the order is processed, and
    # the collected share of the invoices releases it.  Here all of it is paid on collection: two
    # invoices of 5,000 in February and April release 500 each; a refund of 1,000 in May takes back 100.
    plans, tiers, assign, reps = _book(tiers=((0.0, 0.10), (100_000.0, 0.12)), reps=("A",), basis="cash")
    deals = _deals([("D1", "2026-01-15", "A", "X", 1, 10_000.0, "booked", None)])
    pays = pd.DataFrame({"deal_id": "D1", "date": pd.to_datetime(["2026-02-01", "2026-04-01", "2026-05-01"]),
                         "amount": [5_000.0, 5_000.0, -1_000.0]})
    r = compute_commissions(deals, plans, tiers, assign, payments=pays, reps=reps)
    st = r.statements.set_index("period")
    assert st.loc["2026-01", "payable"] == 0.0 and st.loc["2026-01", "awaiting_cash"] == 1_000.0
    assert st.loc["2026-01", "credited"] == 10_000.0        # credited on booking
    assert st.loc["2026-02", "payable"] == 500.0 and st.loc["2026-04", "payable"] == 500.0
    assert st.loc["2026-05", "payable"] == -100.0 and st.loc["2026-05", "awaiting_cash"] == 100.0
    assert set(r.lines["component"]) == {"cash"}
    acc = r.accruals.set_index("period")
    assert acc.loc["2026-01", "accrued"] == 1_000.0 and acc.loc["2026-01", "payable"] == 0.0
    _reconciles(r)


def test_cancelled_pay_on_cash_deal_leaves_attainment_and_its_unpaid_commission_lapses():
    plans, tiers, assign, reps = _book(tiers=((0.0, 0.10),), reps=("A",), basis="cash")
    deals = _deals([("D1", "2026-01-15", "A", "X", 1, 10_000.0, "cancelled", "2026-03-01")])
    pays = pd.DataFrame({"deal_id": ["D1"], "date": pd.to_datetime(["2026-02-01"]), "amount": [4_000.0]})
    r = compute_commissions(deals, plans, tiers, assign, payments=pays, reps=reps)
    st = r.statements.set_index("period")
    assert st.loc["2026-02", "payable"] == 400.0 and st.loc["2026-02", "awaiting_cash"] == 600.0
    assert st.loc["2026-03", "credited"] == -10_000.0 and st.loc["2026-03", "awaiting_cash"] == 0.0
    assert st.loc["2026-03", "payable"] == 0.0     # the 400 paid on cash comes back only with a refund payment
    assert r.accruals.set_index("period").loc["2026-03", "accrued"] == -600.0


def test_pay_on_cash_partial_payments_never_release_more_than_the_deal():
    plans, tiers, assign, reps = _book(tiers=((0.0, 0.05),), reps=("A",), basis="cash")
    deals = _deals([("D1", "2026-01-05", "A", "X", 1, 8_000.0, "booked", None)])
    pays = pd.DataFrame({"deal_id": "D1", "date": pd.to_datetime(["2026-01-20", "2026-03-02", "2026-03-20"]),
                         "amount": [3_000.0, 5_000.0, 2_000.0]})  # 2,000 overpaid
    r = compute_commissions(deals, plans, tiers, assign, payments=pays, reps=reps)
    s = r.statements.set_index("period")["payable"]
    assert s["2026-01"] == 150.00 and s["2026-03"] == 250.00 and r.lines["amount"].sum() == pytest.approx(400.0)


def test_spiffs_per_unit_and_per_deal_reversed_with_the_deal():
    plans, tiers, assign, reps = _book(tiers=((0.0, 0.0),), reps=("A", "B"))
    deals = _deals([("D1", "2026-01-05", "A", "KIT", 4, 1_000.0, "booked", None),
                    ("D2", "2026-01-06", "A", "MES", 1, 1_000.0, "returned", "2026-02-01"),
                    ("D3", "2026-03-06", "A", "KIT", 2, 1_000.0, "booked", None)])   # after the SPIFF ended
    credits = pd.DataFrame({"deal_id": ["D1", "D1"], "rep_id": ["A", "B"], "share": [0.75, 0.25], "overlay": False})
    spiffs = pd.DataFrame({"spiff_id": ["S1", "S2"], "product_id": ["KIT", "MES"],
                           "start_date": pd.to_datetime(["2026-01-01", "2026-01-01"]),
                           "end_date": pd.to_datetime(["2026-02-28", None]), "per_unit": [50.0, np.nan],
                           "per_deal": [np.nan, 300.0]})
    r = compute_commissions(deals, plans, tiers, assign, credits=credits, spiffs=spiffs, reps=reps)
    sp = r.lines[r.lines["component"].isin(["spiff", "spiff_clawback"])].set_index(["rep_id", "deal_id", "component"])
    assert sp.loc[("A", "D1", "spiff"), "amount"] == 150.0 and sp.loc[("B", "D1", "spiff"), "amount"] == 50.0
    assert sp.loc[("A", "D2", "spiff"), "amount"] == 300.0 and sp.loc[("A", "D2", "spiff_clawback"), "amount"] == -300.0
    assert ("A", "D3", "spiff") not in sp.index
    _reconciles(r)


def test_manager_override_on_direct_reports_without_own_deals():
    plans, tiers, assign, reps = _book()
    plans = pd.concat([plans, pd.DataFrame([_plan(plan_id="MGR", override_rate=0.01)])], ignore_index=True)
    assign = pd.concat([assign, pd.DataFrame({"rep_id": ["M"], "plan_id": ["MGR"], "start_date": pd.Timestamp("2026-01-01"),
                                              "end_date": pd.NaT, "quota": np.nan})], ignore_index=True)
    deals = _deals([("D1", "2026-01-05", "A", "X", 1, 8_000.0, "booked", None),
                    ("D2", "2026-01-06", "B", "X", 1, 2_000.0, "booked", None)])
    r = compute_commissions(deals, plans, tiers, assign, reps=reps)
    ov = r.lines[r.lines["component"] == "override"]
    assert ov["rep_id"].unique().tolist() == ["M"] and ov["amount"].tolist() == [80.0, 20.0]
    assert r.statements.set_index("rep_id").loc["M", "overrides"] == 100.0


def test_effective_dated_assignments_switch_plans():
    plans = pd.DataFrame([_plan(plan_id="STD"), _plan(plan_id="SNR")])
    tiers = pd.DataFrame({"plan_id": ["STD", "SNR"], "lower_bound": [0.0, 0.0], "rate": [0.02, 0.04]})
    assign = pd.DataFrame({"rep_id": ["A", "A"], "plan_id": ["STD", "SNR"],
                           "start_date": pd.to_datetime(["2026-01-01", "2026-07-01"]),
                           "end_date": pd.to_datetime(["2026-06-30", None]), "quota": [10_000.0, 10_000.0]})
    deals = _deals([("D1", "2026-06-30", "A", "X", 1, 1_000.0, "booked", None),
                    ("D2", "2026-07-01", "A", "X", 1, 1_000.0, "booked", None)])
    r = compute_commissions(deals, plans, tiers, assign)
    assert r.lines[["plan_id", "amount"]].values.tolist() == [["STD", 20.0], ["SNR", 40.0]]


def test_overlapping_assignments_and_bad_credits_are_located():
    plans, tiers, assign, reps = _book(reps=("A",))
    bad = pd.concat([assign, assign.assign(start_date=pd.Timestamp("2026-03-01"))], ignore_index=True)
    bad.index = pd.Index([2, 3], name="excel_row")
    deals = _deals([("D1", "2026-01-05", "A", "X", 1, 100.0, "booked", None)])
    with pytest.raises(salesbook.InputError) as info:
        compute_commissions(deals, plans, tiers, bad, reps=reps)
    p = info.value.problems[0]
    assert (p.table, p.row, p.column) == ("PlanAssignments", 3, "start_date") and "row 2" in p.text("en")
    credits = pd.DataFrame({"deal_id": ["D1", "D1"], "rep_id": ["A", "B"], "share": [0.6, 0.3], "overlay": [False, False]},
                           index=pd.Index([2, 3], name="excel_row"))
    with pytest.raises(salesbook.InputError) as info:
        credit_lines(deals, credits)
    assert [p.row for p in info.value.problems] == [2, 3] and "90.00%" in info.value.render("en")
    overlay = credits.assign(overlay=[False, True], share=[1.0, 0.3])   # overlay credit sits outside the 100%
    assert credit_lines(deals, overlay)["credit_share"].tolist() == [1.0, 0.3]


def test_attainment_plan_needs_a_quota_and_tiers_must_be_usable():
    plans, tiers, assign, reps = _book(reps=("A",), measure="attainment", quota=np.nan)
    deals = _deals([("D1", "2026-01-05", "A", "X", 1, 100.0, "booked", None)])
    with pytest.raises(salesbook.InputError, match="quota"):
        compute_commissions(deals, plans, tiers, assign, reps=reps)
    plans, tiers, assign, reps = _book(reps=("A",))
    with pytest.raises(salesbook.InputError, match="out of order"):
        compute_commissions(deals, plans, tiers.assign(lower_bound=[5.0, 1.0]), assign, reps=reps)


def test_rounding_remainder_is_carried_not_lost():
    # 1/3 of a cent per month: paid 0.00, 0.01 (carry reaches 0.0067 -> rounds to 0.01), then 0.00
    plans, tiers, assign, reps = _book(tiers=((0.0, 1 / 3),), reps=("A",))
    deals = _monthly("A", [0.01, 0.01, 0.01])
    st = compute_commissions(deals, plans, tiers, assign, reps=reps).statements
    assert st["payable"].tolist() == [0.0, 0.01, 0.0]
    assert st["payable"].sum() == pytest.approx(0.01)   # round(0.01) of the year's 0.01 total
    assert st["rounding_carried"].iloc[0] == pytest.approx(0.01 / 3)


def test_chinese_explanations():
    plans, tiers, assign, reps = _book(reps=("A",), draw_amount=1_000.0)
    deals = _deals([("D1", "2026-01-05", "A", "X", 1, 12_000.0, "booked", None)])
    r = compute_commissions(deals, plans, tiers, assign, reps=reps, lang="zh")
    assert r.lines["component"].tolist() == ["提成", "预支补足"]
    assert "超额累进" in r.lines["explanation"].iloc[0] and "应付" in r.statements["explanation"].iloc[0]
    assert "计提" in r.accruals["explanation"].iloc[0]


def test_credited_lines_without_a_plan_are_listed_not_paid():
    """M has no plan: its credit on D2 earns nothing and is listed as unplanned; a cancelled deal is not."""
    plans, tiers, assign, reps = _book()
    deals = _deals([("D1", "2026-01-05", "A", "X", 1, 8_000.0, "booked", None),
                    ("D2", "2026-01-20", "A", "X", 1, 6_000.0, "booked", None),
                    ("D3", "2026-01-21", "M", "X", 1, 1_000.0, "cancelled", "2026-01-22")])
    credits = pd.DataFrame({"deal_id": ["D2", "D2"], "rep_id": ["A", "M"], "share": [0.5, 0.5], "overlay": [False, False]})
    r = compute_commissions(deals, plans, tiers, assign, credits=credits, reps=reps)
    assert r.unplanned.to_dict("records") == [{"rep_id": "M", "deal_id": "D2"}]
    assert "M" not in set(r.lines["rep_id"])


# --- line minimum, draw recovery start, credit notes --------------------------------------------------------------

def test_line_minimum_beside_the_line_cap():
    """2% on every line, at least 50 and at most 500 a line. D1 1,000 x 2% = 20 -> 50.00; D2 70,000 x 2% = 1,400
    -> 500.00; D3 5,000 x 2% = 100.00 as is, returned in April: the clawback reverses the 100.00 it paid; the
    credit note CN -1,000 reverses 1,000 x 2% = 20.00 and gets no minimum. March: 50 + 500 + 100 - 20 = 630.00."""
    plans, tiers, assign, reps = _book(tiers=((0.0, 0.02),), reps=("A",), min_line=50.0, cap_line=500.0)
    deals = _deals([("D1", "2026-03-03", "A", "X", 1, 1_000.0, "booked", None),
                    ("D2", "2026-03-09", "A", "X", 1, 70_000.0, "booked", None),
                    ("D3", "2026-03-10", "A", "X", 1, 5_000.0, "returned", "2026-04-01"),
                    ("CN", "2026-03-20", "A", "X", 1, -1_000.0, "booked", None)])
    r = compute_commissions(deals, plans, tiers, assign, reps=reps)
    lines = r.lines.set_index(["deal_id", "component"])
    assert lines.loc[("D1", "commission"), "amount"] == 50.00
    assert lines.loc[("D1", "commission"), "explanation"] == ("marginal: tier 1 (0.00 and above) at 2%; raised to the "
                                                              "50.00 minimum per line")
    assert lines.loc[("D2", "commission"), "amount"] == 500.00
    assert lines.loc[("D3", "commission"), "amount"] == 100.00 and lines.loc[("D3", "clawback"), "amount"] == -100.00
    assert lines.loc[("CN", "commission"), "amount"] == -20.00
    assert r.statements.set_index("period")["payable"].to_dict() == {"2026-03": 630.00, "2026-04": -100.00}
    zh = compute_commissions(deals, plans, tiers, assign, reps=reps, lang="zh").lines
    assert zh["explanation"].iloc[0] == "超额累进：第 1 档（0.00 及以上），费率 2%；不足单笔保底，补足至 50.00"
    _reconciles(r)


def test_a_line_minimum_above_the_line_cap_is_refused():
    plans, tiers, assign, reps = _book(reps=("A",), min_line=800.0, cap_line=500.0)
    plans.index = pd.RangeIndex(2, 3)
    with pytest.raises(InputError) as e:
        compute_commissions(_monthly("A", [1_000.0]), plans, tiers, assign, reps=reps)
    assert e.value.problems[0].render("en") == (
        "sheet 'Plans', row 2, column 'Line minimum': plan P: the line minimum 800.00 is above the line cap 500.00; a "
        "line cannot earn at least 800.00 and at most 500.00.")


def test_draws_are_recovered_only_from_the_recovery_period_on():
    """Draw 2,000 a month, recoverable from the third month of employment; 10% on sales. Hired 12 January.
    A draw against commission is an advance recovered from later earnings (SHRM, "Commission Sales Draw
    Agreement"); most new-hire draws are non-recoverable, a guarantee (Xactly, "What is Draw Against Commission").
    Jan (period 1): earned 500; draw prorated 2,000 x 20/31 = 1,290.32, topped up by 790.32: a guarantee.
    Feb (period 2): earned 3,000, nothing to recover (without the start, Jan's 790.32 would come back: 2,209.68).
    Mar (period 3): earned 1,000, topped up by 1,000.00, recoverable: balance 1,000.00.
    Apr: earned 4,000, 2,000 above the draw: 1,000.00 recovered, payable 3,000.00."""
    plans, tiers, assign, reps = _book(tiers=((0.0, 0.10),), reps=("A",), draw_amount=2_000.0,
                                       draw_type="recoverable", recovery_from_period=3)
    reps.loc[reps["rep_id"] == "A", "hire_date"] = pd.Timestamp("2026-01-12")
    deals = _deals([("D1", "2026-01-20", "A", "X", 1, 5_000.0, "booked", None),
                    ("D2", "2026-02-10", "A", "X", 1, 30_000.0, "booked", None),
                    ("D3", "2026-03-10", "A", "X", 1, 10_000.0, "booked", None),
                    ("D4", "2026-04-10", "A", "X", 1, 40_000.0, "booked", None)])
    st = compute_commissions(deals, plans, tiers, assign, reps=reps).statements
    assert st["draw_paid"].tolist() == [790.32, 0.0, 1_000.00, 0.0]
    assert st["draw_recovered"].tolist() == [0.0, 0.0, 0.0, -1_000.00]
    assert st["balance_carried"].tolist() == [0.0, 0.0, 1_000.00, 0.0]
    assert st["payable"].tolist() == [1_290.32, 3_000.00, 2_000.00, 3_000.00]
    lines = compute_commissions(deals, plans, tiers, assign, reps=reps).lines
    draw = lines[lines["component"] == "draw"]["explanation"].tolist()
    assert draw[0] == ("draw: earnings 500.00 topped up to the 1,290.32 guarantee (guarantee: period 1 since hire, draws "
                       "are recovered from period 3 on, so this one is not recovered)")
    assert draw[1].endswith("(recoverable, owed back from later earnings)")
    zh = compute_commissions(deals, plans, tiers, assign, reps=reps, lang="zh").lines
    assert "保底期：入职第 1 期，预支自第 3 期起才追回，本期预支不追回" in zh["explanation"].tolist()[1]
    without = compute_commissions(deals, _book(tiers=((0.0, 0.10),), reps=("A",), draw_amount=2_000.0,
                                               draw_type="recoverable")[0], tiers, assign, reps=reps).statements
    assert without["payable"].tolist()[:2] == [1_290.32, 2_209.68]


def test_credit_notes_reverse_the_slices_they_take_back_in_their_own_period():
    """5% up to 100,000 a month, 8% above. March: invoices 60,000 and 70,000 (3,000 + 2,000 + 2,400 = 7,400), then a
    credit note of -40,000 takes the running total from 130,000 back to 90,000: -(30,000 x 8% + 10,000 x 5%) =
    -2,900; March pays 4,500.00 = 90,000 x 5%. An April credit note of -10,000 starts from 0 and reverses at the
    first tier: -500.00. A credit note is a negative sale: OCA's sale_commission gives a refund the invoice's
    commission reversed (https://github.com/OCA/commission/pull/53)."""
    plans, tiers, assign, reps = _book(tiers=((0.0, 0.05), (100_000.0, 0.08)), reps=("A",))
    deals = _deals([("D1", "2026-03-03", "A", "X", 1, 60_000.0, "booked", None),
                    ("D2", "2026-03-09", "A", "X", 1, 70_000.0, "booked", None),
                    ("CN1", "2026-03-25", "A", "X", 1, -40_000.0, "booked", None),
                    ("CN2", "2026-04-02", "A", "X", 1, -10_000.0, "booked", None)])
    r = compute_commissions(deals, plans, tiers, assign, reps=reps)
    lines = r.lines.set_index("deal_id")
    assert lines["amount"].to_dict() == {"D1": 3_000.00, "D2": 4_400.00, "CN1": -2_900.00, "CN2": -500.00}
    assert (lines.loc["CN1", "running_from"], lines.loc["CN1", "running_to"], lines.loc["CN1", "tier"]) == \
        (130_000.0, 90_000.0, 1)
    assert lines.loc["CN1", "explanation"] == (
        "credit note: takes the running total back across 100,000.00 from tier 2 into tier 1; "
        "each slice reversed at its own rate (tier 1 5% + tier 2 8%)")
    assert lines.loc["CN2", "explanation"] == ("credit note: marginal, reversed in tier 1 (0.00 to "
                                               "100,000.00) at 5%")
    assert r.statements["payable"].tolist() == [4_500.00, -500.00]
    zh = compute_commissions(deals, plans, tiers, assign, reps=reps, lang="zh").lines.set_index("deal_id")
    assert zh.loc["CN1", "explanation"] == ("贷项通知单（红字）：累计业绩在 100,000.00 处由第 2 档回落至第 1 档，各段按"
                                            "各自费率冲减（第 1 档 5% + 第 2 档 8%）")
    # whole-tier: the credit note moves March back to 5% on everything: 130,000 x 8% = 10,400 -> 90,000 x 5% = 4,500
    whole = compute_commissions(deals, _book(tiers=((0.0, 0.05), (100_000.0, 0.08)), reps=("A",),
                                             tier_method="whole")[0], tiers, assign, reps=reps)
    assert whole.lines.set_index("deal_id").loc["CN1", "amount"] == -5_900.00
    assert "falls back to tier 1, so everything credited this period moves to 5%" in \
        whole.lines.set_index("deal_id").loc["CN1", "explanation"]
    _reconciles(r)


def test_a_credit_note_is_not_a_clawback_at_the_original_rate():
    """The same 70,000 sale taken back two ways, in April: as a return (status) the clawback reverses what it paid
    in March, 4,400.00 (2,000 at 5% + 2,400 at 8%); as an April credit note of -70,000 it is April's own negative
    sale, at April's first tier: -3,500.00."""
    plans, tiers, assign, reps = _book(tiers=((0.0, 0.05), (100_000.0, 0.08)), reps=("A",))
    sale = [("D1", "2026-03-03", "A", "X", 1, 60_000.0, "booked", None)]
    returned = compute_commissions(_deals([*sale, ("D2", "2026-03-09", "A", "X", 1, 70_000.0, "returned",
                                                   "2026-04-05")]), plans, tiers, assign, reps=reps)
    credited = compute_commissions(_deals([*sale, ("D2", "2026-03-09", "A", "X", 1, 70_000.0, "booked", None),
                                           ("CN", "2026-04-05", "A", "X", 1, -70_000.0, "booked", None)]),
                                   plans, tiers, assign, reps=reps)
    assert returned.statements.set_index("period")["payable"].to_dict() == {"2026-03": 7_400.00, "2026-04": -4_400.00}
    assert credited.statements.set_index("period")["payable"].to_dict() == {"2026-03": 7_400.00, "2026-04": -3_500.00}


def test_a_credit_note_takes_back_the_per_unit_spiff_of_its_units_and_earns_no_per_deal_spiff():
    """SPIFF K: 10 per unit and 100 per deal. D1 sells 5 units: 5 x 10 + 100 = 150.00; the credit note for 2 of
    them takes back 2 x 10 = 20.00 and no per-deal amount."""
    plans, tiers, assign, reps = _book(tiers=((0.0, 0.0),), reps=("A",))
    deals = _deals([("D1", "2026-03-03", "A", "X", 5, 5_000.0, "booked", None),
                    ("CN", "2026-03-20", "A", "X", 2, -2_000.0, "booked", None)])
    spiffs = pd.DataFrame({"spiff_id": ["K"], "product_id": ["X"], "start_date": pd.Timestamp("2026-01-01"),
                           "end_date": pd.NaT, "per_unit": [10.0], "per_deal": [100.0]})
    r = compute_commissions(deals, plans, tiers, assign, reps=reps, spiffs=spiffs)
    s = r.lines[r.lines["component"] == "spiff"].set_index("deal_id")
    assert s["amount"].to_dict() == {"D1": 150.00, "CN": -20.00}
    assert s.loc["CN", "explanation"] == "SPIFF K taken back by a credit note: 10.00 per unit x 2 units credited"


def test_a_credit_note_on_a_pay_on_cash_plan_lowers_what_waits_for_cash():
    """10% paid on cash: invoice 10,000 (1,000 earned on booking) and a 2,000 credit note (-200) in March, so
    800 waits for cash; the customer pays the 8,000 it owes in April: 8,000 / 10,000 of 1,000 = 800.00 paid,
    nothing left waiting."""
    plans, tiers, assign, reps = _book(tiers=((0.0, 0.10),), reps=("A",), basis="cash")
    deals = _deals([("D1", "2026-03-03", "A", "X", 1, 10_000.0, "booked", None),
                    ("CN", "2026-03-20", "A", "X", 1, -2_000.0, "booked", None)])
    pay = pd.DataFrame({"payment_id": ["p1"], "deal_id": ["D1"], "date": pd.to_datetime(["2026-04-10"]),
                        "amount": [8_000.0]})
    st = compute_commissions(deals, plans, tiers, assign, reps=reps, payments=pay).statements.set_index("period")
    assert st["awaiting_cash"].to_dict() == {"2026-03": 800.00, "2026-04": 0.0}
    assert st["payable"].to_dict() == {"2026-03": 0.0, "2026-04": 800.00}


def test_statements_without_the_lines_are_the_statements_made_with_them(demo_tables_en):
    """Plan modeling asks the engine for statements only: on the demo's deals (splits, pay on cash, spiffs,
    manager overrides, unit plans, draws) they are the full run's to the cent and word for word."""
    t = demo_tables_en
    args = (t["Deals"], t["Plans"], t["PlanTiers"], t["PlanAssignments"])
    kw = {"credits": t["Credits"], "payments": t["Payments"], "spiffs": t["Spiffs"], "reps": t["Reps"]}
    full = compute_commissions(*args, **kw)
    bare = compute_commissions(*args, **kw, with_lines=False)
    assert set(full.lines["component"]) >= {"commission", "cash", "spiff", "override", "draw"}
    pd.testing.assert_frame_equal(bare.statements, full.statements)
    pd.testing.assert_frame_equal(bare.accruals, full.accruals)
    assert bare.lines.empty and list(bare.lines.columns) == list(full.lines.columns)


def test_the_working_arrays_are_let_go_of_before_the_lines_are_explained(demo_tables_en, monkeypatch):
    """The explanations and the tables are the job's peak: by then only the ledger and its events may hold
    arrays (the credited lines before the plan filter, the sort and the running totals are let go of; at
    500,000 deals they were about 130 MB of the run's peak)."""
    from salesbook.engines.commissions import compute

    t = demo_tables_en
    held_elsewhere: list[int] = []
    stock = compute.commission_explanations

    def explanations(ev, led):
        arrays = [a for a in (*vars(led).values(), *ev.values()) if isinstance(a, np.ndarray)]
        kept = {id(a) for a in arrays} | {id(a.base) for a in arrays}
        frame = sys._getframe(1)
        while frame is not None:   # every caller up to the engine's entry
            for value in frame.f_locals.values():
                if isinstance(value, np.ndarray) and id(value) not in kept and id(value.base) not in kept:
                    held_elsewhere.append(value.nbytes)
            frame = None if frame.f_code is compute.compute_commissions.__code__ else frame.f_back
        return stock(ev, led)

    monkeypatch.setattr(compute, "commission_explanations", explanations)
    result = compute.compute_commissions(t["Deals"], t["Plans"], t["PlanTiers"], t["PlanAssignments"],
                                         credits=t["Credits"], payments=t["Payments"], spiffs=t["Spiffs"],
                                         reps=t["Reps"])
    assert len(result.lines) > 1000
    assert held_elsewhere == []
