"""Commission plans that pay on units: worked examples whose figures are worked out by hand below each test.

A published per-unit scale: an Excel newsgroup thread of September 2005 ("commission scale for promoters")
pays $2.00 a unit under 100 units, $2.25 for 101-200 and $2.50 for 201-300, and works out 101 units both
ways: 100 x 2.00 + 1 x 2.25 = 202.25 when only the units above 100 earn the higher rate (our marginal tiers),
101 x 2.25 = 227.25 when all of them do (our whole tiers). It is reproduced in the Nemotron-CC-Math data set
(https://huggingface.co/datasets/nvidia/Nemotron-CC-Math-v1). Oracle Incentive Compensation documents the
same shape of plan, an amount per unit by tiers of units achieved ("Unit Non Quota Compensation Examples",
https://docs.oracle.com/cd/A60725_05/html/comnls/us/cn/unqcexp.htm). The other plans here are illustrative.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salesbook.engines.commissions import compute_commissions
from salesbook.errors import InputError

JAN = pd.Timestamp("2026-01-01")


def _plans(**over) -> pd.DataFrame:
    row = {"plan_id": "U", "name": "Per unit", "commission_base": "quantity", "tier_method": "marginal",
           "measure": "amount", "tier_scope": "period", "basis": "booking", "gate": np.nan, "cap_line": np.nan,
           "min_line": np.nan, "cap_period": np.nan, "override_rate": np.nan, "draw_amount": np.nan, "draw_type": None}
    return pd.DataFrame([{**row, **over}])


def _tiers(*pairs, plan="U") -> pd.DataFrame:
    return pd.DataFrame({"plan_id": plan, "lower_bound": [float(lo) for lo, _ in pairs], "rate": np.nan,
                         "per_unit": [float(pu) for _, pu in pairs]})


def _assign(reps=("A",), quota_quantity=np.nan, quota=np.nan, plan="U") -> pd.DataFrame:
    return pd.DataFrame({"rep_id": list(reps), "plan_id": plan, "start_date": JAN, "end_date": pd.NaT,
                         "quota": quota, "quota_quantity": quota_quantity})


def _deals(rows) -> pd.DataFrame:
    """(deal, date, rep, quantity, amount[, status, status date])."""
    rows = [r if len(r) == 7 else (*r, "booked", None) for r in rows]
    frame = pd.DataFrame(rows, columns=["deal_id", "date", "rep_id", "quantity", "amount", "status", "status_date"])
    frame.insert(3, "product_id", "X")
    return frame.astype({"date": "datetime64[ns]", "status_date": "datetime64[ns]"}, errors="ignore")


def _reps(*reps, manager=None, hire=None) -> pd.DataFrame:
    return pd.DataFrame({"rep_id": list(reps), "manager_id": [manager] * len(reps),
                         "hire_date": hire or pd.Timestamp("2020-01-01"), "leave_date": pd.NaT})


def _line(r, deal, component="commission"):
    rows = r.lines[(r.lines["deal_id"] == deal) & (r.lines["component"] == component)]
    assert len(rows) == 1, (deal, component, r.lines)
    return rows.iloc[0]


def _statement(r, rep, period):
    rows = r.statements[(r.statements["rep_id"] == rep) & (r.statements["period"] == period)]
    assert len(rows) == 1
    return rows.iloc[0]


def _reconciles(r) -> None:
    """Each rep-period's lines add up to its payable to the cent, and every row explains itself."""
    cents = (r.lines.groupby(["rep_id", "period"])["amount"].sum() * 100).round().astype(int)
    payable = (r.statements.set_index(["rep_id", "period"])["payable"] * 100).round().astype(int)
    assert cents.reindex(payable.index).fillna(0).astype(int).equals(payable)
    assert r.lines["explanation"].map(bool).all() and r.statements["explanation"].map(bool).all()


MARGINAL = ((0, 50.00), (100, 75.00))   # units 1-100 of the month at 50.00, every unit above at 75.00


def test_marginal_units_by_hand_80_then_70_units():
    """80 units: 80 x 50.00 = 4,000.00. Then 70 more, from 80 to 150 units: 20 x 50.00 + 50 x 75.00 = 1,000 +
    3,750 = 4,750.00. March: 4,000 + 4,750 = 8,750.00 for 150 units."""
    deals = _deals([("D1", "2026-03-05", "A", 80.0, 8_000.0), ("D2", "2026-03-20", "A", 70.0, 7_700.0)])
    r = compute_commissions(deals, _plans(), _tiers(*MARGINAL), _assign())
    d1, d2 = _line(r, "D1"), _line(r, "D2")
    assert (d1["quantity"], d1["running_from"], d1["running_to"], d1["tier"], d1["amount"]) == (80, 0, 80, 1, 80 * 50.00)
    assert (d2["quantity"], d2["running_from"], d2["running_to"], d2["tier"]) == (70, 80, 150, 2)
    assert d2["amount"] == 20 * 50.00 + 50 * 75.00 == 4_750.00
    assert d1["per_unit"] == 50.00 and d2["per_unit"] == pytest.approx(4_750.00 / 70)   # effective money per unit
    assert np.isnan(d1["rate"]) and np.isnan(d2["rate"])                                # a rate is for amounts
    assert d1["base"] == 8_000.00 and d2["base"] == 7_700.00                            # the money still shown
    assert "80 units × 50.00 = 4,000.00" in d1["explanation"]
    assert "20 units × 50.00 + 50 units × 75.00 = 4,750.00" in d2["explanation"]
    assert "crosses from tier 1 into tier 2 at 100 units" in d2["explanation"]
    st = _statement(r, "A", "2026-03")
    assert st["payable"] == 4_000.00 + 4_750.00 == 8_750.00
    assert (st["credited_quantity"], st["credited"]) == (150, 8_000.00 + 7_700.00)
    assert st["explanation"].startswith("credited 150 units; earned 8,750.00")
    _reconciles(r)
    zh = compute_commissions(deals, _plans(), _tiers(*MARGINAL), _assign(), lang="zh")
    assert "20 单位 × 50.00 + 50 单位 × 75.00 = 4,750.00" in _line(zh, "D2", "提成")["explanation"]
    assert _statement(zh, "A", "2026-03")["explanation"].startswith("计入 150 单位；提成 8,750.00")


@pytest.mark.parametrize(("method", "expected"), [("marginal", 100 * 2.00 + 1 * 2.25), ("whole", 101 * 2.25)])
def test_the_published_promoter_scale_both_ways(method, expected):
    """$2.00 a unit to 100 units, $2.25 from 100, $2.50 from 200; 101 units: 202.25 marginal, 227.25 whole."""
    deals = _deals([("D1", "2026-02-03", "A", 101.0, 1_010.0)])
    r = compute_commissions(deals, _plans(tier_method=method), _tiers((0, 2.00), (100, 2.25), (200, 2.50)),
                            _assign())
    assert _line(r, "D1")["amount"] == pytest.approx(expected)
    assert expected in (202.25, 227.25)


def test_whole_tier_all_units_move_to_the_tier_reached():
    """All units at 60.00 once 100 units are reached, 50.00 below. 80 units: 80 x 50.00 = 4,000.00. 70 more reach
    150: 150 x 60.00 - 80 x 50.00 already paid = 9,000 - 4,000 = 5,000.00. March: 9,000.00 = 150 x 60.00."""
    deals = _deals([("D1", "2026-03-05", "A", 80.0, 8_000.0), ("D2", "2026-03-20", "A", 70.0, 7_000.0)])
    r = compute_commissions(deals, _plans(tier_method="whole"), _tiers((0, 50.00), (100, 60.00)), _assign())
    assert _line(r, "D1")["amount"] == 80 * 50.00
    d2 = _line(r, "D2")
    assert d2["amount"] == 150 * 60.00 - 80 * 50.00 == 5_000.00
    assert "150 units × 60.00 - 80 units × 50.00 = 5,000.00" in d2["explanation"]
    assert "moves to 60.00 per unit" in d2["explanation"]
    assert _statement(r, "A", "2026-03")["payable"] == 150 * 60.00


def test_the_boundary_rule_decides_a_whole_tier_on_the_bound():
    """Exactly 100 units: upper (the default) puts them in the tier from 100, 100 x 60.00 = 6,000.00; lower keeps
    them in the tier below, 100 x 50.00 = 5,000.00."""
    deals = _deals([("D1", "2026-03-05", "A", 100.0, 9_000.0)])
    args = (deals, _plans(tier_method="whole"), _tiers((0, 50.00), (100, 60.00)), _assign())
    assert _line(compute_commissions(*args), "D1")["amount"] == 100 * 60.00
    assert _line(compute_commissions(*args, tier_boundary="lower"), "D1")["amount"] == 100 * 50.00


def test_attainment_on_a_unit_quota_with_a_gate_and_a_prorated_quota():
    """Unit quota 200 a month, tiers on attainment: 40.00 a unit to 100%, 60.00 above; gate 50%.
    A, January: 90 units = 45% < 50%: 3,600.00 earned (90 x 40.00), taken back by the gate: 0.00.
    A, February: 120 units = 60%: 120 x 40.00 = 4,800.00.
    B, January: 250 units = 125%: 200 x 40.00 + 50 x 60.00 = 8,000 + 3,000 = 11,000.00.
    C, hired 16 April: the quota covers 15 of April's 30 days, 200 x 15/30 = 100 units; 100 units = 100%, all below
    the bound: 100 x 40.00 = 4,000.00."""
    plans = _plans(measure="attainment", gate=0.5)
    tiers = _tiers((0, 40.00), (1.0, 60.00))
    deals = _deals([("A1", "2026-01-10", "A", 90.0, 9_000.0), ("A2", "2026-02-10", "A", 120.0, 12_000.0),
                    ("B1", "2026-01-12", "B", 250.0, 25_000.0), ("C1", "2026-04-20", "C", 100.0, 10_000.0)])
    reps = pd.concat([_reps("A", "B"), _reps("C", hire=pd.Timestamp("2026-04-16"))], ignore_index=True)
    r = compute_commissions(deals, plans, tiers, _assign(("A", "B", "C"), quota_quantity=200.0), reps=reps)
    a_jan, a_feb = _statement(r, "A", "2026-01"), _statement(r, "A", "2026-02")
    assert (a_jan["quota_quantity"], a_jan["credited_quantity"], a_jan["attainment"]) == (200, 90, 90 / 200)
    assert (a_jan["earned"], a_jan["gate_adjustment"], a_jan["payable"]) == (0.00, -(90 * 40.00), 0.00)
    assert _line(r, "A1")["amount"] == 90 * 40.00   # the line is paid, the gate line takes it back
    gate_line = r.lines[(r.lines["rep_id"] == "A") & (r.lines["component"] == "gate")].iloc[0]
    assert "attainment 45% is below 50%" in gate_line["explanation"]
    assert a_feb["payable"] == 120 * 40.00 and a_feb["attainment"] == pytest.approx(120 / 200)
    b = _statement(r, "B", "2026-01")
    assert b["payable"] == 200 * 40.00 + 50 * 60.00 == 11_000.00 and b["attainment"] == pytest.approx(1.25)
    assert "200 units × 40.00 + 50 units × 60.00 = 11,000.00" in _line(r, "B1")["explanation"]
    assert b["explanation"].startswith("credited 250 units of a quota of 200 units (125%)")
    c = _statement(r, "C", "2026-04")
    assert c["quota_quantity"] == 200 * 15 / 30 == 100
    assert (c["attainment"], c["payable"]) == (1.0, 100 * 40.00)
    _reconciles(r)


def test_tier_bounds_on_a_unit_quota_come_to_whole_units_and_whole_cents():
    """Unit quota 30, tiers from 0%, 80%, 100% and 120% at 15.00, 25.00, 40.00 and 60.00 a unit; 34 units in the month
    (113.3%): the bounds are 24, 30 and 36 units, so 24 x 15.00 + 6 x 25.00 + 4 x 40.00 = 360 + 150 + 160 = 670.00
    exactly, and nothing is left over for the next month (in attainment terms, 0.8 x 30 and 34 / 30 are not exact in
    floating point: the rounding carried was -0.0000004)."""
    plans = _plans(measure="attainment")
    tiers = _tiers((0, 15.00), (0.8, 25.00), (1.0, 40.00), (1.2, 60.00))
    deals = _deals([("D1", "2026-02-09", "A", 2.0, 2_000.0), ("D2", "2026-02-11", "A", 16.0, 16_000.0),
                    ("D3", "2026-02-28", "A", 16.0, 16_000.0)])
    r = compute_commissions(deals, plans, tiers, _assign(quota_quantity=30.0))
    st = _statement(r, "A", "2026-02")
    assert st["payable"] == 24 * 15.00 + 6 * 25.00 + 4 * 40.00 == 670.00
    assert st["rounding_carried"] == 0.0
    assert _line(r, "D3")["amount"] == 6 * 15.00 + 6 * 25.00 + 4 * 40.00   # from 18 to 34 units
    assert "6 units × 15.00 + 6 units × 25.00 + 4 units × 40.00 = 400.00" in _line(r, "D3")["explanation"]
    _reconciles(r)


def test_a_clawback_reverses_at_the_original_rate_per_unit():
    """January: 80 units, 4,000.00, then 70 units from 80 to 150: 20 x 50.00 + 50 x 75.00 = 4,750.00 (8,750.00).
    D2 is returned on 10 February (within 90 days): the clawback in February reverses what it was paid,
    -(20 x 50.00 + 50 x 75.00) = -4,750.00, whatever February's own tiers are."""
    deals = _deals([("D1", "2026-01-05", "A", 80.0, 8_000.0),
                    ("D2", "2026-01-20", "A", 70.0, 7_000.0, "returned", "2026-02-10")])
    r = compute_commissions(deals, _plans(), _tiers(*MARGINAL), _assign())
    assert _statement(r, "A", "2026-01")["payable"] == 8_750.00
    claw = _line(r, "D2", "clawback")
    assert (claw["period"], claw["quantity"], claw["amount"]) == ("2026-02", -70, -(20 * 50.00 + 50 * 75.00))
    assert claw["per_unit"] == pytest.approx(4_750.00 / 70)
    assert claw["explanation"].endswith("at its original rate; that is 20 units × 50.00 + 50 units × 75.00 = 4,750.00")
    feb = _statement(r, "A", "2026-02")
    assert (feb["clawbacks"], feb["payable"], feb["credited_quantity"]) == (-4_750.00, -4_750.00, -70)
    _reconciles(r)


def test_a_clawback_reverses_what_a_cap_let_through():
    """January: 80 units 4,000.00, D2 70 units 4,750.00, D3 10 units 10 x 75.00 = 750.00: 9,500.00 against a period
    cap of 6,000.00, so 6,000 / 9,500 of each line was paid. D2 returned in February: -4,750 x 6,000 / 9,500 =
    -3,000.00. With a line cap of 4,000.00 instead, D2 was paid 4,000.00 and that is what comes back."""
    deals = _deals([("D1", "2026-01-05", "A", 80.0, 8_000.0),
                    ("D2", "2026-01-20", "A", 70.0, 7_000.0, "returned", "2026-02-10"),
                    ("D3", "2026-01-21", "A", 10.0, 1_000.0)])
    cut = compute_commissions(deals, _plans(cap_period=6_000.0), _tiers(*MARGINAL), _assign())
    claw = _line(cut, "D2", "clawback")
    assert claw["amount"] == round(-4_750 * 6_000 / 9_500, 2) == -3_000.00
    assert "that is (20 units × 50.00 + 50 units × 75.00) × 63.16% = 3,000.00" in claw["explanation"]
    capped = compute_commissions(deals, _plans(cap_line=4_000.0), _tiers(*MARGINAL), _assign())
    claw = _line(capped, "D2", "clawback")
    assert claw["amount"] == -4_000.00 and claw["explanation"].endswith("that is the 4,000.00 paid on 70 units")
    _reconciles(cut)
    _reconciles(capped)


def test_credit_notes_take_units_back_through_the_tiers():
    """150 units in March (80 at 4,000.00, 70 at 4,750.00: 8,750.00). A credit note for 30 units takes the total
    from 150 to 120, all in the 75.00 tier: -30 x 75.00 = -2,250.00. A second one for 60 units takes it from 120
    to 60, across the bound: -(20 x 75.00 + 40 x 50.00) = -(1,500 + 2,000) = -3,500.00.
    March: 8,750 - 2,250 - 3,500 = 3,000.00 = 60 x 50.00, what 60 units earn."""
    deals = _deals([("D1", "2026-03-05", "A", 80.0, 8_000.0), ("D2", "2026-03-20", "A", 70.0, 7_000.0),
                    ("CN1", "2026-03-25", "A", 30.0, -3_000.0), ("CN2", "2026-03-28", "A", 60.0, -6_000.0)])
    r = compute_commissions(deals, _plans(), _tiers(*MARGINAL), _assign())
    cn1, cn2 = _line(r, "CN1"), _line(r, "CN2")
    assert (cn1["quantity"], cn1["running_from"], cn1["running_to"], cn1["amount"]) == (-30, 150, 120, -30 * 75.00)
    assert (cn2["quantity"], cn2["running_to"], cn2["amount"]) == (-60, 60, -(20 * 75.00 + 40 * 50.00))
    assert "-20 units × 75.00 - 40 units × 50.00 = -3,500.00" in cn2["explanation"]
    assert cn2["explanation"].startswith("credit note")
    st = _statement(r, "A", "2026-03")
    assert (st["payable"], st["credited_quantity"]) == (60 * 50.00, 150 - 30 - 60)
    _reconciles(r)


def test_a_split_deal_splits_its_units_by_share():
    """A has 50 units this month. Deal D2, 100 units, is split 60% to A and 40% to B.
    A: 60 units from 50 to 110: 50 x 50.00 + 10 x 75.00 = 2,500 + 750 = 3,250.00.
    B: 40 units from 0: 40 x 50.00 = 2,000.00."""
    deals = _deals([("D1", "2026-05-02", "A", 50.0, 5_000.0), ("D2", "2026-05-09", "A", 100.0, 10_000.0)])
    credits = pd.DataFrame({"deal_id": ["D2", "D2"], "rep_id": ["A", "B"], "share": [0.6, 0.4],
                            "overlay": [False, False]})
    r = compute_commissions(deals, _plans(), _tiers(*MARGINAL), _assign(("A", "B")), credits=credits)
    a = r.lines[(r.lines["deal_id"] == "D2") & (r.lines["rep_id"] == "A")].iloc[0]
    b = r.lines[(r.lines["deal_id"] == "D2") & (r.lines["rep_id"] == "B")].iloc[0]
    assert (a["quantity"], a["amount"], b["quantity"], b["amount"]) == (60, 50 * 50.00 + 10 * 75.00, 40, 40 * 50.00)
    assert "60% credit share" in a["explanation"] and "50 units × 50.00 + 10 units × 75.00" in a["explanation"]
    _reconciles(r)


def test_pay_on_cash_releases_the_units_paid_for():
    """100 units booked in January at 50.00 a unit: 5,000.00 earned, waiting for cash. The customer pays 4,000 of
    the 10,000 invoice in February (40%: 40 units, 2,000.00) and the rest in March (60 units, 3,000.00)."""
    deals = _deals([("D1", "2026-01-15", "A", 100.0, 10_000.0)])
    payments = pd.DataFrame({"payment_id": ["P1", "P2"], "deal_id": ["D1", "D1"],
                             "date": pd.to_datetime(["2026-02-10", "2026-03-10"]), "amount": [4_000.0, 6_000.0]})
    r = compute_commissions(deals, _plans(basis="cash"), _tiers((0, 50.00)), _assign(), payments=payments)
    cash = r.lines[r.lines["component"] == "cash"].sort_values("period")
    assert cash["period"].tolist() == ["2026-02", "2026-03"]
    assert cash["quantity"].tolist() == [100 * 0.4, 100 * 0.6]
    assert cash["amount"].tolist() == [40 * 50.00, 60 * 50.00]
    assert cash["per_unit"].tolist() == [50.00, 50.00] and cash["rate"].isna().all()
    assert "40 units paid for, at 50.00 per unit" in cash["explanation"].iloc[0]
    waiting = r.statements.set_index("period")["awaiting_cash"]
    assert waiting.to_dict() == {"2026-01": 5_000.00, "2026-02": 5_000.00 - 2_000.00, "2026-03": 0.00}
    _reconciles(r)


def test_money_limits_stay_money_on_a_per_unit_plan():
    """Line cap 4,500.00: 80 units x 50.00 = 4,000.00 stays; 70 more, 20 x 50.00 + 50 x 75.00 = 4,750.00, are capped
    to 4,500.00. Period cap 6,000.00: the month's 4,000 + 4,500 = 8,500.00 is cut by 2,500.00. Line minimum 300.00:
    a 4-unit deal in April, 4 x 50.00 = 200.00, is raised to 300.00, and a draw of 1,000.00 tops April up by 700.00;
    May's 10 units, 10 x 50.00 = 500.00, are topped up by 500.00 (the draw is recoverable: nothing above it yet)."""
    deals = _deals([("D1", "2026-03-05", "A", 80.0, 8_000.0), ("D2", "2026-03-20", "A", 70.0, 7_000.0),
                    ("D3", "2026-04-02", "A", 4.0, 400.0), ("D4", "2026-05-02", "A", 10.0, 1_000.0)])
    plans = _plans(cap_line=4_500.0, cap_period=6_000.0, min_line=300.0, draw_amount=1_000.0)
    r = compute_commissions(deals, plans, _tiers(*MARGINAL), _assign(), reps=_reps("A"))
    assert _line(r, "D1")["amount"] == 80 * 50.00
    assert _line(r, "D2")["amount"] == 4_500.00 and "capped at 4,500.00 per line" in _line(r, "D2")["explanation"]
    mar = _statement(r, "A", "2026-03")
    assert (mar["cap_adjustment"], mar["payable"]) == (6_000.00 - (4_000.00 + 4_500.00), 6_000.00)
    assert _line(r, "D3")["amount"] == 300.00   # 4 x 50.00 = 200.00 raised to the minimum
    apr, may = _statement(r, "A", "2026-04"), _statement(r, "A", "2026-05")
    assert (apr["draw_paid"], apr["payable"]) == (1_000.00 - 300.00, 1_000.00)
    assert (may["earned"], may["draw_paid"], may["payable"]) == (10 * 50.00, 1_000.00 - 10 * 50.00, 1_000.00)
    _reconciles(r)


def test_a_managers_override_stays_on_credited_money():
    """A on the per-unit plan sells 150 units for 15,000.00; manager M's plan pays a 2% override on the credited
    money of direct reports: 15,000 x 2% = 300.00 (not 2% of 150 units)."""
    deals = _deals([("D1", "2026-03-05", "A", 150.0, 15_000.0)])
    plans = pd.concat([_plans(), _plans(plan_id="MGR", commission_base="amount", override_rate=0.02)],
                      ignore_index=True)
    tiers = pd.concat([_tiers(*MARGINAL), pd.DataFrame({"plan_id": ["MGR"], "lower_bound": [0.0], "rate": [0.0],
                                                        "per_unit": [np.nan]})], ignore_index=True)
    assign = pd.concat([_assign(), _assign(("M",), plan="MGR")], ignore_index=True)
    r = compute_commissions(deals, plans, tiers, assign, reps=pd.concat([_reps("A", manager="M"), _reps("M")]))
    override = r.lines[r.lines["component"] == "override"].iloc[0]
    assert (override["rep_id"], override["base"], override["amount"]) == ("M", 15_000.00, 15_000.00 * 0.02)


def test_tiers_per_deal_restart_at_every_deal():
    """Per-deal scope: 120 units in one deal: 100 x 50.00 + 20 x 75.00 = 6,500.00; the next deal of 30 units
    starts again at unit 1: 30 x 50.00 = 1,500.00."""
    deals = _deals([("D1", "2026-03-05", "A", 120.0, 12_000.0), ("D2", "2026-03-06", "A", 30.0, 3_000.0)])
    r = compute_commissions(deals, _plans(tier_scope="deal"), _tiers(*MARGINAL), _assign())
    assert _line(r, "D1")["amount"] == 100 * 50.00 + 20 * 75.00
    assert _line(r, "D2")["amount"] == 30 * 50.00
    assert "tiers reset for every deal" in _line(r, "D2")["explanation"]


def test_amount_plans_beside_a_per_unit_plan_are_untouched():
    """B on a 5% amount plan: 10,000 x 5% = 500.00, its lines without units; A on the per-unit plan as above."""
    plans = pd.concat([_plans(), _plans(plan_id="M5", commission_base="amount")], ignore_index=True)
    tiers = pd.concat([_tiers(*MARGINAL), pd.DataFrame({"plan_id": ["M5"], "lower_bound": [0.0], "rate": [0.05],
                                                        "per_unit": [np.nan]})], ignore_index=True)
    assign = pd.concat([_assign(), _assign(("B",), plan="M5")], ignore_index=True)
    deals = _deals([("D1", "2026-03-05", "A", 80.0, 8_000.0), ("D2", "2026-03-05", "B", 12.0, 10_000.0)])
    r = compute_commissions(deals, plans, tiers, assign)
    b = _line(r, "D2")
    assert (b["amount"], b["rate"]) == (10_000 * 0.05, 0.05)
    assert np.isnan(b["quantity"]) and np.isnan(b["per_unit"])
    assert _statement(r, "B", "2026-03")["credited_quantity"] == 12    # units are still counted on the statement
    assert not _statement(r, "B", "2026-03")["explanation"].startswith("credited")


# ---- what is refused, and where -------------------------------------------------------------------------------

def _problems(exc: InputError, lang: str) -> list[str]:
    return [p.render(lang) for p in exc.problems]


def test_a_per_unit_tier_needs_money_per_unit_and_an_amount_tier_a_rate():
    plans = pd.concat([_plans(), _plans(plan_id="M5", commission_base="amount")], ignore_index=True)
    tiers = pd.DataFrame({"plan_id": ["U", "U", "M5"], "lower_bound": [0.0, 100.0, 0.0],
                          "rate": [0.05, np.nan, np.nan], "per_unit": [np.nan, 75.0, 5.0]}, index=[2, 3, 4])
    with pytest.raises(InputError) as info:
        compute_commissions(_deals([("D1", "2026-03-05", "A", 1.0, 1.0)]), plans, tiers, _assign())
    found = {(p.table, p.row, p.column) for p in info.value.problems}
    assert found == {("PlanTiers", 2, "per_unit"), ("PlanTiers", 4, "per_unit")}
    en, zh = _problems(info.value, "en"), _problems(info.value, "zh")
    assert "plan U pays on quantity (Commission base = quantity), so each tier needs Per unit" in en[0]
    assert "Rate is a percentage of amounts and is not used here" in en[0]
    assert "plan M5 pays on amounts (Commission base = amount): Per unit is used only by plans paying on quantity" in en[1]
    assert zh[0].startswith("工作表“提成阶梯”，第 2 行，列“每单位提成”：方案 U 按数量计提（提成基数 = 数量）")
    assert "方案 M5 按金额计提（提成基数 = 金额）" in zh[1]


def test_a_per_unit_plan_on_attainment_needs_a_unit_quota_and_a_money_quota_alone_is_refused():
    plans = pd.concat([_plans(), _plans(plan_id="UA", measure="attainment")], ignore_index=True)
    tiers = pd.concat([_tiers(*MARGINAL), _tiers((0, 40.0), (1.0, 60.0), plan="UA")], ignore_index=True)
    assign = pd.DataFrame({"rep_id": ["A", "B"], "plan_id": ["U", "UA"], "start_date": JAN, "end_date": pd.NaT,
                           "quota": [100_000.0, np.nan], "quota_quantity": np.nan}, index=[2, 3])
    with pytest.raises(InputError) as info:
        compute_commissions(_deals([("D1", "2026-03-05", "A", 1.0, 1.0)]), plans, tiers, assign)
    assert {(p.table, p.row, p.column) for p in info.value.problems} == {("PlanAssignments", 2, "quota_quantity"),
                                                                           ("PlanAssignments", 3, "quota_quantity")}
    en = _problems(info.value, "en")
    assert "plan U pays per unit, so its quota is counted in units; the money quota alone is not used: give Unit quota" \
        in en[0]
    assert "plan UA pays per unit and tiers on quota attainment or has a gate" in en[1]
    assert "方案 U 按数量计提，配额按数量计算；只填金额配额不会被使用：请填写数量配额。" in _problems(info.value, "zh")[0]


def test_a_deal_without_a_quantity_on_a_per_unit_plan_is_refused_at_its_cell():
    deals = _deals([("D1", "2026-03-05", "A", 80.0, 8_000.0), ("D2", "2026-03-06", "A", np.nan, 7_000.0)])
    deals.index = [2, 3]   # Excel rows, as the book layer indexes them
    with pytest.raises(InputError) as info:
        compute_commissions(deals, _plans(), _tiers(*MARGINAL), _assign())
    (p,) = info.value.problems
    assert (p.table, p.row, p.column) == ("Deals", 3, "quantity")
    assert p.text("en") == ("deal D2 is credited to rep A on plan U, which pays per unit, so it needs a Quantity; "
                            "a blank is not read as 0 units.")
    assert p.text("zh") == "订单 D2 计入销售代表 A 的方案 U，该方案按数量计提，需要填写数量；留空不会按 0 计。"
    # on an amount plan a blank quantity is no problem: it pays on the amount
    plans = _plans(commission_base="amount")
    tiers = pd.DataFrame({"plan_id": ["U"], "lower_bound": [0.0], "rate": [0.05], "per_unit": [np.nan]})
    assert compute_commissions(deals, plans, tiers, _assign()).statements["payable"].sum() == 15_000 * 0.05
