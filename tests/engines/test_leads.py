"""Lead scoring: every operator, decay by hand, grades, model honesty, routing fairness, determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import salesbook
from salesbook.engines.leads import auc, engagement, route, rule_mask, score_rules

LEADS = pd.DataFrame({
    "lead_id": ["L1", "L2", "L3", "L4"],
    "industry": pd.array(["制造业", "Energy", None, "food"], dtype="string"),
    "budget": [600_000.0, 50_000.0, np.nan, 250_000.0],
    "created_date": pd.to_datetime(["2026-01-10", "2026-02-01", "2026-03-01", "2026-03-05"]),
    "company": pd.array(["Test Co", "Apex", "Delta", "Orion"], dtype="string"),
}, index=pd.Index([2, 3, 4, 5], name="excel_row"))


@pytest.mark.parametrize(("field", "op", "value", "expected"), [
    ("industry", "=", "制造业", [True, False, False, False]),
    ("industry", "=", "FOOD", [False, False, False, True]),          # text compares case-insensitively
    ("industry", "!=", "Energy", [True, False, True, True]),         # a blank is "not Energy"
    ("industry", "in", "Energy, food", [False, True, False, True]),
    ("industry", "not in", "Energy", [True, False, True, True]),
    ("budget", ">", "250000", [True, False, False, False]),           # blanks never pass a comparison
    ("budget", ">=", "250,000", [True, False, False, True]),
    ("budget", "<", "100k", [False, True, False, False]),
    ("budget", "<=", "250000", [False, True, False, True]),
    ("budget", "between", "100000, 600000", [True, False, False, True]),
    ("company", "contains", "co", [True, False, False, False]),
    ("industry", "is blank", None, [False, False, True, False]),
    ("industry", "is not blank", None, [True, True, False, True]),
    ("created_date", ">=", "2026-03-01", [False, False, True, True]),  # dates compare as dates
    ("budget", "=", "50000", [False, True, False, False]),
])
def test_every_operator(field, op, value, expected):
    assert rule_mask(LEADS[field], op, value).tolist() == expected


def test_unknown_field_and_bad_value_name_the_rule_row():
    rules = pd.DataFrame({"rule_id": ["R1", "R2"], "group": ["fit", "fit"], "field": ["budjet", "budget"],
                          "operator": [">", ">"], "value": ["1", "lots"], "points": [5.0, 5.0]},
                         index=pd.Index([7, 8], name="excel_row"))
    with pytest.raises(salesbook.InputError) as info:
        score_rules(LEADS, rules)
    rows = [(p.row, p.column) for p in info.value.problems]
    assert rows == [(7, "field"), (8, "operator")]
    assert "'budjet' is not a column of sheet 'Leads'" in info.value.render("en")


def test_engagement_decay_by_hand():
    rules = pd.DataFrame({"rule_id": ["E1"], "group": ["engagement"], "field": ["demo_request"], "operator": ["="],
                          "value": [None], "points": [16.0]})
    events = pd.DataFrame({"lead_id": ["L1", "L1"], "date": pd.to_datetime(["2026-03-01", "2026-01-30"]),
                           "event_type": ["demo_request", "Demo_Request"]})
    as_of = pd.Timestamp("2026-03-31")
    # half-life 30 days: ages 30 and 60 -> 16 x 0.5 + 16 x 0.25 = 12.0
    half = engagement(LEADS, events, rules, as_of, "half_life", 30)
    assert half[0] == pytest.approx(12.0) and half[1:].tolist() == [0.0, 0.0, 0.0]
    # linear 25% a month: ages 30 and 60 days = 0.9856 and 1.9713 months -> 16 x (1-0.2464) + 16 x (1-0.4928)
    lin = engagement(LEADS, events, rules, as_of, "linear", monthly_rate=0.25)
    expected = 16 * (1 - 0.25 * 30 / 30.4375) + 16 * (1 - 0.25 * 60 / 30.4375)
    assert lin[0] == pytest.approx(expected)


def _book(n_leads=12, caps=None):
    leads = pd.DataFrame({
        "lead_id": [f"L{i:03d}" for i in range(n_leads)], "created_date": pd.Timestamp("2026-05-01"),
        "industry": pd.array(["food"] * n_leads, dtype="string"), "region_id": "E", "product_line": "HW",
        "status": "open", "owner_rep_id": pd.array([None] * n_leads, dtype="string"), "last_contact_date": pd.NaT,
        "budget": 1000.0, "employees": 10, "source": "web", "company": "x"})
    reps = pd.DataFrame({"rep_id": ["A", "B", "C", "D"], "role": ["rep"] * 4, "region_id": ["E", "E", "E", "W"],
                         "hire_date": pd.to_datetime(["2020-01-01", "2020-01-01", "2026-06-01", "2020-01-01"]),
                         "leave_date": pd.NaT, "product_lines": None, "industries": [None, "food, energy", None, None],
                         "max_open_leads": [np.nan, np.nan, np.nan, np.nan], "capacity": [1.0, 1.0, 1.0, 1.0]})
    return leads, reps


def test_routing_is_fair_for_equal_capacity_and_respects_eligibility():
    leads, reps = _book(13)
    owner, reason = route(leads, reps, pd.Timestamp("2026-05-31"), "en")
    counts = pd.Series(owner).value_counts()
    assert set(counts.index) == {"A", "B"}  # C not yet hired, D in another region
    assert counts.max() - counts.min() <= 1
    leads.loc[0, "region_id"] = "N"
    owner, reason = route(leads, reps, pd.Timestamp("2026-05-31"), "en")
    assert pd.isna(owner[0]) and "no active rep covers" in reason[0]


def test_routing_weights_capacity_and_stops_at_the_maximum():
    leads, reps = _book(9)
    reps.loc[1, "capacity"] = 2.0
    owner, _ = route(leads, reps, pd.Timestamp("2026-05-31"), "en")
    counts = pd.Series(owner).value_counts()
    assert counts["B"] == 6 and counts["A"] == 3  # twice the capacity, twice the leads
    reps.loc[:, "max_open_leads"] = 2.0
    owner, reason = route(leads, reps, pd.Timestamp("2026-05-31"), "en")
    assert pd.Series(owner).value_counts().max() == 2 and "open-lead maximum" in reason[-1]


def test_too_little_history_is_said_not_hidden():
    leads, reps = _book(12)
    leads.loc[:3, "status"] = ["won", "lost", "won", "lost"]
    rules = pd.DataFrame(columns=["rule_id", "group", "field", "operator", "value", "points"])
    bands = pd.DataFrame({"grade": ["A", "B"], "min_score": [10.0, -100.0], "follow_up_days": [1, 7]})
    r = salesbook.score_leads(leads, rules, bands, reps=reps, as_of=pd.Timestamp("2026-05-03"))
    assert r.scores["probability"].isna().all()
    assert "Too little history: 2 won and 2 lost" in r.model["note"].iloc[0]
    # follow-up: grade B -> 7 days after creation; overdue only once that date has passed
    assert r.scores["next_contact"].iloc[5] == pd.Timestamp("2026-05-08") and not r.scores["overdue"].any()


def test_model_learns_real_signal_on_the_demo_and_reports_auc(demo_tables_en):
    t = demo_tables_en
    r = salesbook.score_leads(t["Leads"], t["ScoringRules"], t["GradeBands"], events=t["LeadEvents"], reps=t["Reps"],
                              as_of=pd.Timestamp("2026-12-31"))
    a = r.model.set_index("metric").loc["holdout AUC", "value"]
    assert 0.55 < a < 1.0
    open_ = t["Leads"]["status"] == "open"
    assert r.scores.loc[open_.to_numpy(), "probability"].between(0, 1).all()


def test_auc_rank_statistic():
    assert auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])) == pytest.approx(0.75)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40), st.integers(0, 5))
def test_routing_is_deterministic(n, seed):
    leads, reps = _book(n)
    rng = np.random.default_rng(seed)
    leads["created_date"] = pd.Timestamp("2026-05-01") + pd.to_timedelta(rng.integers(0, 20, n), unit="D")
    a, _ = route(leads, reps, pd.Timestamp("2026-06-30"), "en")
    b, _ = route(leads.sample(frac=1, random_state=seed), reps, pd.Timestamp("2026-06-30"), "en")
    order = leads.sample(frac=1, random_state=seed).index
    assert dict(zip(leads.index, a, strict=True)) == dict(zip(order, b, strict=True))


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.sampled_from(["Web", " web ", "WEB", "Straße", "STRASSE", "", "  ", None, "ﬁre", "展会", 7]),
                      min_size=1, max_size=60),
       dtype=st.sampled_from(["object", "str", "string"]))
def test_text_folded_once_per_distinct_value_is_the_text_folded_row_by_row(texts, dtype):
    from salesbook.engines.leads.scoring import _per_distinct

    column = pd.Series(texts, dtype=object, index=np.arange(len(texts)) * 3, name="source").astype(dtype)
    for fold in (lambda c: c.astype("string").str.strip(), lambda c: c.astype(str).str.strip().str.casefold()):
        pd.testing.assert_series_equal(_per_distinct(column, fold), fold(column))
