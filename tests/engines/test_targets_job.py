"""The targets job on the demo workbook: read through the book layer, outputs in the schema's shape."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from salesbook.book.file_book import FileBook
from salesbook.book.validate import load_book
from salesbook.engines.money import round_half_away
from salesbook.engines.targets import prior_year_total
from salesbook.errors import InputError
from salesbook.jobs.targets import JOB, parse_hierarchy, run
from salesbook.schemas import REGISTRY


@pytest.fixture(scope="module")
def loaded_en(demo_book_en):
    return load_book(FileBook(demo_book_en))


@pytest.fixture(scope="module")
def out_en(loaded_en):
    return run(loaded_en)


def test_outputs_have_the_schema_columns(out_en):
    assert set(out_en) == set(JOB.writes)
    for name, frame in out_en.items():
        assert list(frame.columns) == REGISTRY[name].column_names, name
        assert len(frame) > 0 and frame["explanation"].notna().all(), name


def test_demo_plan_reconciles_except_for_the_padded_level(loaded_en, out_en):
    ct = loaded_en.tables["CompanyTarget"]
    t = out_en["Out_Targets"]
    money = t[t["measure"] == "amount"]
    top = money[(money["level"] == 0) & (money["period"] == "FY")]["target"].iloc[0]
    assert top == ct["target"].iloc[0]
    check = out_en["Out_TargetCheck"]
    assert np.allclose(check["months_total"], check["target"])
    diff = check[check["measure"] == "amount"].dropna(subset=["difference"])
    exact = diff[diff["level"] < 2]
    assert (exact["difference"] == 0).all()
    padded = diff[diff["level"] == 2]  # the demo pads the rep level by 5%
    expected = [float(round_half_away(x * 1.05, "0.01")) - x for x in padded["target"]]
    assert np.allclose(padded["difference"], expected, atol=0.005)
    assert padded["explanation"].str.contains("padding 5%").all()
    # the rep level is also targeted in units: each region x line converted at its average price, padded 5%
    units = check[check["measure"] == "quantity"].dropna(subset=["difference"])
    assert set(units["level"]) == {2} and (units["target"] == units["target"].round()).all()
    assert np.allclose(units["difference"], [float(round_half_away(q * 1.05, 1)) - q for q in units["target"]])
    # the printable sheet: every seller once, the rep level's total
    wide = out_en["Out_TargetsByMonth"]
    assert wide["rep_id"].is_unique
    reps = money[(money["level"] == 3) & (money["period"] == "FY")]["target"].sum()
    assert round(wide["total"].sum(), 2) == round(reps, 2)


def test_chinese_book_explains_in_chinese(demo_book_zh):
    out = run(load_book(FileBook(demo_book_zh)))
    expl = out["Out_Targets"]["explanation"]
    assert expl.str.contains("占比").any() and not expl.str.contains("share").any()


def test_hierarchy_setting_and_growth_only_target(loaded_en):
    tables = dict(loaded_en.tables)
    tables["TargetLevels"] = tables["TargetLevels"].iloc[0:0]
    tables["TargetAdjustments"] = tables["TargetAdjustments"].iloc[0:0]
    ct = tables["CompanyTarget"].copy()
    ct["target"] = np.nan
    ct["growth"] = 0.1
    tables["CompanyTarget"] = ct
    book = dataclasses.replace(loaded_en, tables=tables, settings={**loaded_en.settings,
                                                                    "target_hierarchy": "区域 > 代表"})
    t = run(book)["Out_Targets"]
    assert (t["measure"] == "amount").all()  # the hierarchy setting splits money only
    assert t["level"].max() == 2 and t[t["level"] == 1]["product_line"].isna().all()
    base = prior_year_total(tables["History"], 2026)
    top = t[(t["level"] == 0) & (t["period"] == "FY")]["target"].iloc[0]
    assert top == float(round_half_away(base * 1.1, "0.01"))


def test_job_errors_are_located(loaded_en):
    with pytest.raises(InputError, match="no company target for fiscal year 2030"):
        run(dataclasses.replace(loaded_en, settings={**loaded_en.settings, "fiscal_year": 2030}))
    with pytest.raises(InputError, match="cannot read the hierarchy"):
        parse_hierarchy("region > team")
    bad = dict(loaded_en.tables)
    season = bad["Seasonality"].copy()
    season.loc[season.index[0], "share"] += 0.01
    bad["Seasonality"] = season
    with pytest.raises(InputError) as info:
        run(dataclasses.replace(loaded_en, tables=bad))
    p = info.value.problems[0]
    assert p.table == "Seasonality" and "not 100%" in info.value.render("en")


def test_targets_without_the_review_are_the_same_targets(loaded_en, out_en):
    """Plan modeling asks for the targets only: the same Out_Targets and months, the actuals left out."""
    lean = run(loaded_en, review=False)
    for name in ("Out_Targets", "Out_TargetsByMonth", "Out_TargetCheck"):
        assert lean[name].equals(out_en[name]), name
    assert len(out_en["Out_TargetReview"]) > 0 and len(out_en["Out_TargetVariance"]) > 0
    assert lean["Out_TargetReview"].empty and lean["Out_TargetVariance"].empty
    assert list(lean["Out_TargetReview"].columns) == REGISTRY["Out_TargetReview"].column_names
