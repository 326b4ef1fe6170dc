"""The demo book is realistic in size and shape, and the same seed gives the same data."""

from __future__ import annotations

import pandas as pd

from salesbook.demo import build_demo_tables


def test_demo_has_the_promised_volume(demo_tables_zh):
    t = demo_tables_zh
    assert t["Products"]["product_line"].nunique() >= 3
    assert len(t["Regions"]) >= 4
    assert len(t["Reps"]) >= 30 and t["Reps"]["role"].nunique() >= 3
    months = t["History"]["period"].dt.to_period("M").nunique()
    assert months == 24
    assert len(t["Deals"]) >= 20_000
    assert set(t["Deals"]["status"]) == {"booked", "cancelled", "returned"}
    assert len(t["Credits"]) > 0 and len(t["Payments"]) > 0


def test_demo_names_follow_the_language(demo_tables_zh, demo_tables_en):
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in n) for n in demo_tables_zh["Reps"]["name"])
    assert all(n.isascii() for n in demo_tables_en["Reps"]["name"])


def test_demo_is_deterministic_and_scales():
    a = build_demo_tables("en", scale=0.05, seed=3)
    b = build_demo_tables("en", scale=0.05, seed=3)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
    big = build_demo_tables("en", scale=0.2, seed=3)
    assert len(big["Deals"]) == 4 * len(a["Deals"])


def test_demo_credit_splits_total_100_percent_per_deal(demo_tables_en):
    credits = demo_tables_en["Credits"]
    regular = credits[~credits["overlay"]].groupby("deal_id")["share"].sum()
    assert ((regular - 1.0).abs() < 1e-9).all()
