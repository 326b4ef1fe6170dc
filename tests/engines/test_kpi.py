"""KPI weights and scorecards against published and hand-computed figures."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import salesbook
from salesbook.engines.kpi import MatrixError, build_scorecards, critic_weights, entropy_weights, role_weights

DRINKS = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
# Saaty, T. L., "Theory and Applications of the Analytic Network Process" (2005), drink consumption in the
# US, as reproduced in the AHPy documentation: published weights water .327, soda .190, coffee .177,
# milk .129, beer .116, tea .042, wine .019 and CR 0.022 (Saaty's random index).
DRINK_JUDGEMENTS = {
    ("coffee", "wine"): 9, ("coffee", "tea"): 5, ("coffee", "beer"): 2, ("coffee", "soda"): 1, ("coffee", "milk"): 1,
    ("coffee", "water"): 1 / 2, ("wine", "tea"): 1 / 3, ("wine", "beer"): 1 / 9, ("wine", "soda"): 1 / 9,
    ("wine", "milk"): 1 / 9, ("wine", "water"): 1 / 9, ("tea", "beer"): 1 / 3, ("tea", "soda"): 1 / 4,
    ("tea", "milk"): 1 / 3, ("tea", "water"): 1 / 9, ("beer", "soda"): 1 / 2, ("beer", "milk"): 1,
    ("beer", "water"): 1 / 3, ("soda", "milk"): 2, ("soda", "water"): 1 / 2, ("milk", "water"): 1 / 3}


def drinks_matrix() -> np.ndarray:
    a = np.eye(7)
    for (x, y), v in DRINK_JUDGEMENTS.items():
        i, j = DRINKS.index(x), DRINKS.index(y)
        a[i, j], a[j, i] = v, 1 / v
    return a


def test_ahp_reproduces_saatys_published_drink_example():
    r = salesbook.ahp(drinks_matrix())
    published = {"coffee": 0.177, "wine": 0.019, "tea": 0.042, "beer": 0.116, "soda": 0.190, "milk": 0.129,
                 "water": 0.327}
    assert dict(zip(DRINKS, np.round(r.weights, 3), strict=True)) == published
    assert round(r.cr, 3) == 0.022 and r.consistent
    assert r.ci == pytest.approx((r.lambda_max - 7) / 6)


def test_inconsistent_matrix_is_flagged_with_the_worst_judgement():
    a = np.array([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])  # a cycle: A > B > C > A
    r = salesbook.ahp(a)
    assert r.cr >= 0.10 and not r.consistent and r.worst is not None


@pytest.mark.parametrize(("matrix", "message"), [
    ([[1, 2, 3], [0.5, 1, 2]], "not square"),
    ([[1, 2], [2, 1]], "not reciprocal"),
    ([[1, 0], [0, 1]], "positive"),
    ([[1, "x"], [1, 1]], "text"),
])
def test_malformed_matrices(matrix, message):
    with pytest.raises(MatrixError, match=message):
        salesbook.ahp(matrix)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.floats(0.01, 100), min_size=2, max_size=9))
def test_a_consistent_matrix_returns_its_weight_vector(raw):
    w = np.array(raw) / sum(raw)
    r = salesbook.ahp(w[:, None] / w[None, :])
    assert np.allclose(r.weights, w, atol=1e-9)
    assert abs(r.cr) < 1e-9
    assert (r.weights >= 0).all() and math.isclose(r.weights.sum(), 1.0)


DATA = [[2.0, 8.0, 5.0], [4.0, 6.0, 5.0], [6.0, 1.0, 6.0], [8.0, 3.0, 9.0]]


def test_entropy_weights_by_hand():
    # min-max normalise each column, p = z / sum z, e = -sum(p ln p) / ln 4, w = (1 - e) / sum(1 - e)
    cols = list(zip(*DATA, strict=True))
    d = []
    for c in cols:
        lo, hi = min(c), max(c)
        z = [(x - lo) / (hi - lo) + 1e-12 for x in c]
        p = [x / sum(z) for x in z]
        e = -sum(x * math.log(x) for x in p) / math.log(len(c))
        d.append(1 - e)
    expected = [x / sum(d) for x in d]
    assert np.allclose(salesbook.entropy_weights(DATA), expected, atol=1e-9)


def test_critic_weights_by_hand():
    cols = list(zip(*DATA, strict=True))
    z = [[(x - min(c)) / (max(c) - min(c)) for x in c] for c in cols]

    def sd(v):
        m = sum(v) / len(v)
        return math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1))

    def corr(a, b):
        ma, mb = sum(a) / len(a), sum(b) / len(b)
        cov = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
        return cov / math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b))

    c = [sd(z[j]) * sum(1 - corr(z[j], z[k]) for k in range(3)) for j in range(3)]
    assert np.allclose(salesbook.critic_weights(DATA), [x / sum(c) for x in c], atol=1e-9)


def test_lower_is_better_flips_direction():
    w_hi = salesbook.entropy_weights(DATA)
    w_lo = salesbook.entropy_weights(DATA, lower_better=[False, False, True])  # column 3 is skewed
    assert not np.allclose(w_hi, w_lo)


def test_kpi_score_methods():
    assert salesbook.kpi_score(90, 100).item() == pytest.approx(0.9)
    assert salesbook.kpi_score(150, 100, cap=1.2).item() == pytest.approx(1.2)
    assert salesbook.kpi_score(30, 20, direction="lower").item() == pytest.approx(2 / 3)  # cycle days: lower is better
    # threshold 80 -> 50%, target 100 -> 100%, stretch 120 -> 150%, linear between
    got = salesbook.kpi_score([70, 80, 90, 100, 110, 130], [100] * 6, "ttsl", threshold=80, stretch=120, cap=1.5)
    assert got.tolist() == pytest.approx([0.0, 0.5, 0.75, 1.0, 1.25, 1.5])
    steps = [(0.0, 0.0), (0.8, 0.6), (1.0, 1.0), (1.2, 1.3)]
    assert salesbook.kpi_score([70, 85, 100, 125], [100] * 4, "step", steps=steps).tolist() == [0.0, 0.6, 1.0, 1.3]


def _scorecard_inputs():
    kpis = pd.DataFrame({"kpi_id": ["S", "C"], "name": ["Sales", "Complaints"], "direction": ["higher", "lower"],
                         "method": ["linear", "linear"], "threshold": [0.8, None], "stretch": [None, None],
                         "floor": [0.0, 0.0], "cap": [1.5, 1.2], "critical": [True, False], "aggregate": ["sum", "mean"]})
    weights = pd.DataFrame({"role": ["rep", "rep"], "kpi_id": ["S", "C"], "weight": [0.7, 0.3]})
    reps = pd.DataFrame({"rep_id": ["A", "B"], "role": ["rep", "rep"], "region_id": ["E", "E"],
                         "hire_date": pd.to_datetime(["2020-01-01", "2026-03-16"]), "leave_date": pd.to_datetime([None, None]),
                         "target_bonus": [36_000.0, 36_000.0]})
    bands = pd.DataFrame({"rating": ["A", "B", "D"], "min_score": [100, 80, 0], "multiplier": [1.2, 1.0, 0.0]})
    actuals = pd.DataFrame({"period": pd.to_datetime(["2026-03-01"] * 4), "rep_id": ["A", "A", "B", "B"],
                            "kpi_id": ["S", "C", "S", "C"], "actual": [110.0, 0.02, 70.0, 0.01],
                            "target": [100.0, 0.02, 100.0, 0.02]})
    return actuals, kpis, weights, reps, bands


def test_scorecard_total_rating_bonus_and_knockout_by_hand():
    """Rep A, March 2026: sales 110/100 -> 1.10 x 70% = 77.0; complaints 0.02 vs 0.02 (lower better) -> 1.00
    x 30% = 30.0; total 107.0 -> rating A (x1.2); bonus = 36,000 / 12 x 1.2 = 3,600.00.
    Rep B: sales 70/100 = 0.70 is below the 80% threshold of a critical KPI -> knockout, lowest rating D,
    bonus 0 (and B joined on 16 March, 16/31 of the month)."""
    card = build_scorecards(*_scorecard_inputs())
    a = card[card["rep_id"] == "A"]
    assert a["total"].iloc[0] == pytest.approx(107.0)
    assert set(a["rating"]) == {"A"} and a["bonus"].iloc[0] == 3600.00
    b = card[card["rep_id"] == "B"]
    assert set(b["rating"]) == {"D"} and b["bonus"].iloc[0] == 0.0
    assert "knockout: Sales below threshold" in b["explanation"].iloc[0]
    assert b["bonus_formula"].iloc[0] == ("bonus = 36,000.00 (target bonus) × 1/12 (month) × 0 (knockout: Sales below "
                                          "its threshold, lowest rating D) × 16/31 (days employed) = 0.00")
    assert b["bonus_formula"].iloc[0] in b["explanation"].iloc[0]


def test_bonus_proration_for_a_mid_month_hire():
    actuals, kpis, weights, reps, bands = _scorecard_inputs()
    actuals.loc[actuals["rep_id"] == "B", "actual"] = [110.0, 0.02]
    card = build_scorecards(actuals, kpis, weights, reps, bands)
    b = card[card["rep_id"] == "B"].iloc[0]
    # 3,000 a month x 1.2 x 16/31 days employed = 1,858.06
    assert b["bonus"] == pytest.approx(round(3000 * 1.2 * 16 / 31, 2))


def test_bonus_proration_across_centuries_counts_days_not_nanoseconds():
    """A rep hired in 2261 scored for January 1900 (and one who left in 1901, scored for March 2026) earns
    nothing; 362 years between the dates is more than a nanosecond count holds, and once overflowed."""
    actuals, kpis, weights, reps, bands = _scorecard_inputs()
    actuals.loc[actuals["rep_id"] == "B", "actual"] = [110.0, 0.02]
    actuals.loc[actuals["rep_id"] == "B", "period"] = pd.Timestamp("1900-01-01")
    # nanosecond dates, as validation hands them over (their span is 1677-2262)
    reps["hire_date"] = pd.to_datetime(["1900-01-01", "2261-12-01"]).as_unit("ns")
    reps["leave_date"] = pd.to_datetime(["1901-06-30", None]).as_unit("ns")
    actuals["period"] = actuals["period"].astype("datetime64[ns]")
    card = build_scorecards(actuals, kpis, weights, reps, bands)
    assert card["bonus"].tolist() == [0.0] * 4


def test_manual_weights_must_total_100_percent():
    actuals, kpis, weights, reps, _ = _scorecard_inputs()
    weights.loc[0, "weight"] = 0.6
    with pytest.raises(salesbook.InputError, match=r"total 90\.00%, not 100%"):
        role_weights(kpis, weights, None, None, actuals, reps)


def test_ahp_weights_per_role_from_judgement_rows():
    actuals, kpis, weights, reps, _ = _scorecard_inputs()
    methods = pd.DataFrame({"role": ["rep"], "method": ["ahp"], "subjective": [None], "objective": [None],
                            "subjective_share": [None]})
    judgements = pd.DataFrame({"role": ["rep"], "kpi_a": ["S"], "kpi_b": ["C"], "value": [3.0]})
    w = role_weights(kpis, weights, methods, judgements, actuals, reps).set_index("kpi_id")["weight"]
    assert w["S"] == pytest.approx(0.75) and w["C"] == pytest.approx(0.25)


@pytest.mark.parametrize(("back", "ok"), [(1 / 3, True), (0.333, True), (0.33, True), (3.0, False), (0.5, False)])
def test_a_pair_judged_both_ways_must_be_reciprocal(back, ok):
    actuals, kpis, weights, reps, _ = _scorecard_inputs()
    methods = pd.DataFrame({"role": ["rep"], "method": ["ahp"], "subjective": [None], "objective": [None],
                            "subjective_share": [None]})
    judgements = pd.DataFrame({"role": ["rep", "rep"], "kpi_a": ["S", "C"], "kpi_b": ["C", "S"], "value": [3.0, back]},
                              index=[2, 3])  # Excel rows
    if ok:
        w = role_weights(kpis, weights, methods, judgements, actuals, reps).set_index("kpi_id")["weight"]
        assert w["S"] == pytest.approx(0.75, abs=0.002)
    else:
        with pytest.raises(salesbook.InputError, match=r"C over S = .* contradicts row 2 \(S over C = 3\)") as err:
            role_weights(kpis, weights, methods, judgements, actuals, reps)
        assert err.value.problems[0].row == 3


def test_a_kpi_compared_with_itself_must_be_one():
    actuals, kpis, weights, reps, _ = _scorecard_inputs()
    methods = pd.DataFrame({"role": ["rep"], "method": ["ahp"], "subjective": [None], "objective": [None],
                            "subjective_share": [None]})
    judgements = pd.DataFrame({"role": ["rep", "rep"], "kpi_a": ["S", "S"], "kpi_b": ["C", "S"], "value": [3.0, 2.0]})
    with pytest.raises(salesbook.InputError, match="compared with itself must be 1"):
        role_weights(kpis, weights, methods, judgements, actuals, reps)


@pytest.mark.parametrize(("realisation", "bonus"), [(0.79, 0.0), (0.85, 3_000.0), (0.95, 4_800.0), (1.05, 6_000.0),
                                                     (1.12, 7_200.0), (1.30, 9_000.0)])
def test_published_stepped_bonus_is_reproduced(realisation, bonus):
    """calqoo.com "Performance Bonus Calculation": target bonus = basic salary x target %; stepped payout
    below 80% none, 80-89% 50%, 90-99% 80%, 100-109% 100%, 110-119% 120%, from 120% 150% of target bonus.
    Salary 60,000 at a 10% target -> 6,000; e.g. 95% realisation pays 4,800."""
    kpis = pd.DataFrame({"kpi_id": ["REAL"], "name": ["Realisation"], "direction": ["higher"], "method": ["step"],
                         "threshold": [None], "stretch": [None], "floor": [0.0], "cap": [None], "critical": [False],
                         "aggregate": ["sum"]})
    steps = pd.DataFrame({"kpi_id": "REAL", "min_attainment": [0.0, 0.8, 0.9, 1.0, 1.1, 1.2],
                          "score": [0.0, 0.5, 0.8, 1.0, 1.2, 1.5]})
    # the stepped share of target bonus becomes the rating multiplier (score 80 -> x0.8 ...)
    bands = pd.DataFrame({"rating": ["150%", "120%", "100%", "80%", "50%", "0%"],
                          "min_score": [150, 120, 100, 80, 50, 0], "multiplier": [1.5, 1.2, 1.0, 0.8, 0.5, 0.0]})
    reps = pd.DataFrame({"rep_id": ["E"], "role": ["rep"], "region_id": ["X"], "hire_date": pd.to_datetime(["2020-01-01"]),
                         "leave_date": pd.to_datetime([None]), "target_bonus": [60_000 * 0.10]})
    actuals = pd.DataFrame({"period": pd.to_datetime(["2026-06-01"]), "rep_id": ["E"], "kpi_id": ["REAL"],
                            "actual": [realisation * 100], "target": [100.0]})
    weights = pd.DataFrame({"role": ["rep"], "kpi_id": ["REAL"], "weight": [1.0]})
    card = build_scorecards(actuals, kpis, weights, reps, bands, grain="year", steps=steps)
    assert card["bonus"].iloc[0] == pytest.approx(bonus)


@pytest.mark.parametrize("fn", [entropy_weights, critic_weights])
def test_objective_weights_of_values_near_the_float_limit(fn):
    """max - min of 1e300 and the most negative float overflows; the weights must still be finite and total 1."""
    w = fn([[1e300, 1.0], [-np.finfo(float).max, 2.0], [0.0, 3.0]])
    assert np.all(np.isfinite(w)) and abs(w.sum() - 1) < 1e-12


# -- thresholds and period scorecards -------------------------------------------------------------------
def test_linear_scoring_below_the_threshold_scores_zero():
    """The threshold is where scoring starts: 36% attainment against a 60% threshold scores 0 (linear and
    step), 60% scores 60% (linear, from the threshold on); without a threshold linear scores from 0."""
    assert salesbook.kpi_score([36, 60, 90], [100] * 3, threshold=60).tolist() == pytest.approx([0.0, 0.6, 0.9])
    assert salesbook.kpi_score(36, 100).item() == pytest.approx(0.36)
    steps = [(0.0, 0.2), (1.0, 1.0)]
    assert salesbook.kpi_score([36, 60], [100] * 2, "step", threshold=60, steps=steps).tolist() == [0.0, 0.2]
    # lower is better (cycle days, target 20): a threshold of 80% attainment is 25 days; 30 days is short of it
    assert salesbook.kpi_score([30, 25], [20] * 2, direction="lower", threshold=25).tolist() == pytest.approx([0, 0.8])
    actuals, kpis, weights, reps, bands = _scorecard_inputs()
    kpis["critical"] = False
    kpis.loc[0, "threshold"] = 0.6
    actuals.loc[0, "actual"] = 36.0
    card = build_scorecards(actuals, kpis, weights, reps, bands)
    a = card[(card["rep_id"] == "A") & (card["kpi_id"] == "S")].iloc[0]
    assert a["attainment"] == pytest.approx(0.36) and a["score"] == 0.0 and a["weighted_score"] == 0.0
    assert "below the 60% threshold" in a["explanation"]


def test_ttsl_threshold_and_stretch_of_a_lower_is_better_kpi_are_attainment_too():
    """Cycle days, target 20, threshold 80% and stretch 120% attainment (target / actual): 25 days is the
    threshold (50%), 20 on target (100%), 16.67 the stretch (cap 150%); 18 days is better than target."""
    kpis = pd.DataFrame({"kpi_id": ["D"], "name": ["Days"], "direction": ["lower"], "method": ["ttsl"],
                         "threshold": [0.8], "stretch": [1.2], "floor": [0.0], "cap": [1.5], "critical": [False],
                         "aggregate": ["mean"]})
    weights = pd.DataFrame({"role": ["rep"], "kpi_id": ["D"], "weight": [1.0]})
    _, _, _, reps, bands = _scorecard_inputs()
    days = [26.0, 25.0, 20.0, 18.0]
    actuals = pd.DataFrame({"period": pd.to_datetime([f"2026-0{m}-01" for m in range(1, 5)]), "rep_id": ["A"] * 4,
                            "kpi_id": ["D"] * 4, "actual": days, "target": [20.0] * 4})
    card = build_scorecards(actuals, kpis, weights, reps, bands)
    expected_18 = 1.0 + 0.5 * (20 - 18) / (20 - 20 / 1.2)  # between target and stretch, on the days scale
    assert card["score"].tolist() == pytest.approx([0.0, 0.5, 1.0, expected_18])


def _year_inputs():
    """The issue's book: sales summed, satisfaction averaged, head count the last month, Jan-Mar 2026;
    as-of 31 March. Sales: 200,000 / 250,000; 180,000 / 250,000; 290,000 / 250,000 -> 670,000 / 750,000."""
    kpis = pd.DataFrame({"kpi_id": ["S", "Q", "H"], "name": ["Sales", "Satisfaction", "Head count"],
                         "direction": ["higher"] * 3, "method": ["linear"] * 3, "threshold": [0.6, None, None],
                         "stretch": [None] * 3, "floor": [0.0] * 3, "cap": [1.2] * 3, "critical": [False] * 3,
                         "aggregate": ["sum", "mean", "last"]})
    weights = pd.DataFrame({"role": ["rep"] * 3, "kpi_id": ["S", "Q", "H"], "weight": [0.6, 0.3, 0.1]})
    reps = pd.DataFrame({"rep_id": ["A", "B"], "role": ["rep", "rep"], "region_id": ["E", "E"],
                         "hire_date": pd.to_datetime(["2020-01-01", "2020-01-01"]),
                         "leave_date": pd.to_datetime([None, None]), "target_bonus": [120_000.0, 120_000.0]})
    bands = pd.DataFrame({"rating": ["A", "B", "C", "D"], "min_score": [105, 95, 85, 0],
                          "multiplier": [1.5, 1.0, 0.6, 0.0]})
    rows = []
    for rep, sales, sat, head in (("A", (200_000, 180_000, 290_000), (4.0, 4.5, 5.0), (8, 9, 11)),
                                  ("B", (260_000, 250_000, 240_000), (4.5, 4.5, 4.5), (10, 10, 10))):
        for i in range(3):
            month = pd.Timestamp(2026, i + 1, 1)
            rows += [(month, rep, "S", sales[i], 250_000.0), (month, rep, "Q", sat[i], 4.5),
                     (month, rep, "H", head[i], 10.0)]
    # a row after the as-of date (planned, actual typed as 0) must not count
    rows.append((pd.Timestamp(2026, 4, 1), "A", "S", 0.0, 250_000.0))
    actuals = pd.DataFrame(rows, columns=["period", "rep_id", "kpi_id", "actual", "target"])
    return actuals, kpis, weights, reps, bands


def test_period_scorecards_aggregate_each_kpi_by_its_rule_to_the_as_of_date():
    from salesbook.engines.kpi import period_scorecards

    actuals, kpis, weights, reps, bands = _year_inputs()
    cards = period_scorecards(actuals, kpis, weights, reps, bands, as_of=pd.Timestamp("2026-03-31"))
    year = cards[(cards["period_kind"] == "year") & (cards["rep_id"] == "A")].set_index("kpi_id")
    assert set(year["period"]) == {"2026"} and set(year["through"]) == {"2026-03"} and set(year["months"]) == {3}
    assert (year.loc["S", "actual"], year.loc["S", "target"]) == (670_000, 750_000)
    assert (year.loc["Q", "actual"], year.loc["Q", "target"]) == (pytest.approx(4.5), 4.5)
    assert (year.loc["H", "actual"], year.loc["H", "target"]) == (11, 10)
    # scores: 0.8933 x 60 + 1.0 x 30 + 1.1 x 10 = 94.6 -> C (85 <= 94.6 < 95)
    total = 670 / 750 * 60 + 30 + 11
    assert year["total"].iloc[0] == pytest.approx(total, abs=1e-4) and set(year["rating"]) == {"C"}
    # the yearly bonus is what the monthly scorecards paid: Jan 0.8x60+..., each 10,000 x multiplier
    monthly = cards[(cards["period_kind"] == "month") & (cards["rep_id"] == "A")].drop_duplicates("period")
    assert monthly["period"].tolist() == ["2026-01", "2026-02", "2026-03"]
    assert year["bonus"].iloc[0] == pytest.approx(monthly["bonus"].sum())
    assert set(year["bonus_basis"]) == {"month"} and set(year["bonus_count"]) == {3}
    # rank for the year among region E's reps of role rep: B (750,000: 60 + 30 + 10 = 100.0) is first
    assert set(year["rank_in_region"]) == {2} and set(year["rank_of"]) == {2}
    q1 = cards[(cards["period_kind"] == "quarter") & (cards["rep_id"] == "A")]
    assert set(q1["period"]) == {"2026Q1"} and q1["total"].iloc[0] == pytest.approx(total, abs=1e-4)


def test_period_scorecards_in_a_fiscal_year_starting_in_april():
    from salesbook.engines.kpi import period_scorecards

    actuals, kpis, weights, reps, bands = _year_inputs()
    cards = period_scorecards(actuals, kpis, weights, reps, bands, as_of=pd.Timestamp("2026-12-31"), start_month=4,
                              pay_grain="quarter")
    assert set(cards.loc[cards["period_kind"] == "quarter", "period"]) == {"2025Q4", "2026Q1"}
    assert set(cards.loc[cards["period_kind"] == "year", "period"]) == {"2025", "2026"}
    month = cards[cards["period_kind"] == "month"]
    assert month["bonus"].isna().all() and set(month["bonus_basis"]) == {"quarter"}
    # FY2025 Q4 (Jan-Mar 2026) pays a quarter's bonus: 120,000 / 4 x multiplier
    q4 = cards[(cards["period"] == "2025Q4") & (cards["rep_id"] == "B")].iloc[0]
    assert q4["rating"] == "B" and q4["bonus"] == pytest.approx(30_000.0)
