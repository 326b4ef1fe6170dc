"""The months of a plan as one grid: every row on its year, every parent's month the sum of its children's."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesbook.engines.allocation import allocate
from salesbook.engines.targets import Level, decompose_targets

MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
PROFILE = [0.06] + [0.08] * 5 + [0.09] * 6   # 6 + 5 x 8 + 6 x 9 = 100


def seven_reps(profile=PROFILE, lines=("HW",), line_profiles=None) -> dict:
    products = pd.DataFrame({"product_id": [f"P{i}" for i in range(len(lines))], "product_line": list(lines),
                             "active": True})
    reps = pd.DataFrame({"rep_id": [f"R{i}" for i in range(1, 8)], "name": [f"Rep {i}" for i in range(1, 8)],
                         "region_id": "E", "role": "rep", "hire_date": pd.Timestamp(2020, 1, 1),
                         "leave_date": pd.NaT, "product_lines": None, "capacity": 1.0})
    season = pd.DataFrame({"product_line": None, "month": range(1, 13), "share": profile})
    for line, shares in (line_profiles or {}).items():
        season = pd.concat([season, pd.DataFrame({"product_line": line, "month": range(1, 13), "share": shares})],
                           ignore_index=True)
    history = pd.DataFrame(columns=["period", "rep_id", "region_id", "product_id", "amount"])
    return dict(products=products, regions=pd.DataFrame({"region_id": ["E"]}), reps=reps, history=history,
                seasonality=season)


def months(result, level: int, **path) -> list[float]:
    t = result.targets
    m = (t["level"] == level) & t["period"].isin(MONTHS)
    for k, v in path.items():
        m &= t[k] == v
    return t[m]["target"].tolist()


def test_company_months_come_from_its_seasonality_to_the_cent():
    """12,000,000.00 split evenly over 7 reps, seasonality 6% (Jan), 8% (Feb-Jun), 9% (Jul-Dec).

    Company months: 12,000,000 x 6% = 720,000.00; x 8% = 960,000.00; x 9% = 1,080,000.00, all whole cents.
    Reps: 1,200,000,000 cents / 7 = 171,428,571.43 -> floors 7 x 171,428,571 = 1,199,999,997, three cents
    left to the earliest reps: R1-R3 1,714,285.72, R4-R7 1,714,285.71.
    A rep's January: 6% of 1,714,285.72 = 102,857.1432 (of .71: 102,857.1426) -> 102,857.14 or .15;
    seven floors 7 x 102,857.14 = 719,999.98, so exactly two reps get 102,857.15 and January adds up to
    720,000.00.  Rounding each rep's year on its own instead puts 719,999.98 in the company's January
    and 960,000.02 in its February (shown first, as the reason for the rule).
    """
    apart = [allocate(r, PROFILE, unit="0.01") for r in allocate("12000000", [1] * 7, unit="0.01")]
    assert sum(m[0] for m in apart) == Decimal("719999.98") and sum(m[1] for m in apart) == Decimal("960000.02")

    r = decompose_targets(12_000_000, unit=0.01, levels=(Level("rep_id", method="even"),), **seven_reps())
    assert months(r, 0) == [720_000.00] + [960_000.00] * 5 + [1_080_000.00] * 6
    t = r.targets
    fy = t[(t["level"] == 1) & (t["period"] == "FY")].set_index("rep_id")["target"]
    assert fy.tolist() == [1_714_285.72] * 3 + [1_714_285.71] * 4
    jan = t[(t["level"] == 1) & (t["period"] == "2026-01")]["target"].round(2)
    assert sorted(jan) == [102_857.14] * 5 + [102_857.15] * 2 and round(jan.sum(), 2) == 720_000.00
    for rep in fy.index:  # every rep's months add up to the rep's year, each within a cent of exact
        mine = np.array(months(r, 1, rep_id=rep))
        assert round(mine.sum(), 2) == fy[rep]
        assert np.all(np.abs(mine - fy[rep] * np.array(PROFILE)) < 0.01)
    by_month = t[(t["level"] == 1) & t["period"].isin(MONTHS)].groupby("period")["target"].sum().round(2)
    assert by_month.tolist() == months(r, 0)
    assert (r.check["months_total"] == r.check["target"]).all()


def test_lines_with_their_own_seasonality_make_the_company_months():
    """Company 1,000,000 at unit 1; HW and SW split by weight 3 : 2 -> HW 600,000, SW 400,000.

    HW's profile: 12% in January, 8% in each other month (12 + 11 x 8 = 100).
    SW's profile: 10% in January-April, 7.5% in May-December (40 + 8 x 7.5 = 100).
    The company follows its lines (there is no single company profile): its exact month is the sum of the
    lines' exact months: January 600,000 x 12% + 400,000 x 10% = 72,000 + 40,000 = 112,000; February-April
    48,000 + 40,000 = 88,000; May-December 48,000 + 30,000 = 78,000 (112,000 + 3 x 88,000 + 8 x 78,000 =
    1,000,000).  The default profile (6% / 8% / 9%) plays no part.
    """
    hw = [0.12] + [0.08] * 11
    sw = [0.10] * 4 + [0.075] * 8
    book = seven_reps(lines=("HW", "SW"), line_profiles={"HW": hw, "SW": sw})
    book["products"]["weight"] = [3.0, 2.0]
    levels = (Level("product_line", method="weight", weight_column="weight"), Level("rep_id", method="even"))
    r = decompose_targets(1_000_000, unit=1, levels=levels, **book)
    assert months(r, 1, product_line="HW") == [72_000] + [48_000] * 11
    assert months(r, 1, product_line="SW") == [40_000] * 4 + [30_000] * 8
    assert months(r, 0) == [112_000] + [88_000] * 3 + [78_000] * 8
    # each line's reps add up to the line's month: HW's 7 reps share 72,000 in January (10,285.71 each)
    jan = r.targets[(r.targets["level"] == 2) & (r.targets["product_line"] == "HW") & (r.targets["period"] == "2026-01")]
    assert jan["target"].sum() == 72_000 and set(jan["target"]) <= {10_285, 10_286}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.lists(st.integers(0, 400), min_size=12, max_size=12).filter(lambda q: sum(q) > 0),
       c=st.integers(0, 10**5), reps=st.integers(1, 7), data=st.data())
def test_whole_company_months_are_reproduced_exactly(raw, c, reps, data):
    """A profile typed in tenths of a percent (12 shares totalling 100.0%) and a company target of
    c x 1000 units: each company month c x share_j x 1000 is whole and must come out exactly, however the
    reps (random capacities) share the year."""
    q = [int(x) for x in allocate(1000, raw)]  # per mille, totalling 1000
    book = seven_reps(profile=[x / 1000 for x in q])
    book["reps"] = book["reps"].iloc[:reps].assign(
        capacity=[float(data.draw(st.integers(0, 5))) for _ in range(reps)])
    level = Level("rep_id", method="weight", weight_column="capacity")
    r = decompose_targets(c * 1000, unit=1, levels=(level,), **book)
    assert months(r, 0) == [c * x for x in q]
    leaf = r.targets[(r.targets["level"] == 1) & r.targets["period"].isin(MONTHS)]
    assert leaf.groupby("period")["target"].sum().tolist() == [c * x for x in q]
