"""Targets end to end through a real workbook and the ``salesbook run`` command, in English and Chinese:
months rounded as one grid, targets in units, variance columns, and the refusals of a bad measure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salesbook.book.headers import header_lookup, normalise_header
from salesbook.book.template import write_book
from salesbook.schemas import REGISTRY

MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
PROFILE = [0.06] + [0.08] * 5 + [0.09] * 6


def sb(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "salesbook", *args], capture_output=True, text=True, timeout=600)


def read_out(path: Path, name: str) -> pd.DataFrame:
    """An output sheet as the user sees it, headers and drop-down words mapped back to the schema's codes."""
    frame = pd.read_excel(path, sheet_name=name, engine="openpyxl")
    lookup = header_lookup(REGISTRY[name])
    frame = frame.rename(columns=lambda h: lookup.get(normalise_header(h), h))
    if "measure" in frame:
        shown = set(frame["measure"].dropna())
        assert shown <= {"amount", "quantity"} or shown <= {"金额", "数量"}, shown  # the book's language
        frame["measure"] = frame["measure"].replace({"金额": "amount", "数量": "quantity"})
    return frame


def settings(lang: str, as_of: str, unit: float) -> pd.DataFrame:
    return pd.DataFrame({"key": ["company_name", "language", "currency", "fiscal_year", "fiscal_year_start_month",
                                 "as_of_date", "rounding_unit", "quantity_unit"],
                         "value": ["Example Co.", lang, "CNY", 2026, 1, pd.Timestamp(as_of), unit, 1]})


def reps(ids: list[str], regions: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"rep_id": ids, "name": [f"Rep {i}" for i in ids], "region_id": regions, "role": "rep",
                         "hire_date": pd.Timestamp(2020, 1, 1), "capacity": 1.0})


def run_book(tmp_path: Path, lang: str, tables: dict[str, pd.DataFrame]) -> Path:
    book = write_book(tmp_path / f"book_{lang}.xlsx", lang, tables)
    out = tmp_path / f"out_{lang}.xlsx"
    r = sb("run", str(book), "--out", str(out), "--only", "targets")
    assert r.returncode == 0, r.stderr
    return out


# -- months as one grid -----------------------------------------------------------------------------------

def grid_book(lang: str) -> dict[str, pd.DataFrame]:
    ids = [f"R{i}" for i in range(1, 8)]
    return {
        "Settings": settings(lang, "2026-12-31", 0.01),
        "Products": pd.DataFrame({"product_id": ["P1"], "name": ["Sensor"], "product_line": ["HW"]}),
        "Regions": pd.DataFrame({"region_id": ["E"], "name": ["East"]}),
        "Reps": reps(ids, ["E"] * 7),
        "CompanyTarget": pd.DataFrame({"fiscal_year": [2026], "target": [12_000_000.00]}),
        "Seasonality": pd.DataFrame({"month": range(1, 13), "share": PROFILE}),
        "TargetLevels": pd.DataFrame({"level": [1], "dimension": ["rep_id"], "method": ["even"]}),
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_company_months_to_the_cent_through_the_workbook(tmp_path, lang):
    """12,000,000.00, seven reps even, seasonality 6% / 8% x 5 / 9% x 6 (see test_targets_grid for the
    arithmetic): company months 720,000.00, 960,000.00 and 1,080,000.00 exactly; reps 1,714,285.72 (three)
    and 1,714,285.71 (four); in January five reps 102,857.14 and two 102,857.15, adding up to 720,000.00."""
    out = run_book(tmp_path, lang, grid_book(lang))
    t = read_out(out, "Out_Targets")
    company = t[(t["level"] == 0) & t["period"].isin(MONTHS)]["target"].round(2).tolist()
    assert company == [720_000.00] + [960_000.00] * 5 + [1_080_000.00] * 6
    reps_fy = t[(t["level"] == 1) & (t["period"] == "FY")]["target"].round(2).tolist()
    assert reps_fy == [1_714_285.72] * 3 + [1_714_285.71] * 4
    jan = t[(t["level"] == 1) & (t["period"] == "2026-01")]["target"].round(2)
    assert sorted(jan) == [102_857.14] * 5 + [102_857.15] * 2 and round(jan.sum(), 2) == 720_000.00
    for month in MONTHS:  # every month: the reps add up to the company
        rows = t[(t["level"] == 1) & (t["period"] == month)]
        assert round(rows["target"].sum(), 2) == company[MONTHS.index(month)]
    check = read_out(out, "Out_TargetCheck")
    assert np.allclose(check["months_total"], check["target"])
    expl = t[(t["level"] == 1) & (t["period"] == "2026-01")]["explanation"].iloc[0]
    assert ("季节占比 6.0%" if lang == "zh" else "season 6.0%") in expl


# -- targets in units, variance and to date ----------------------------------------------------------------

def unit_book(lang: str, measure: tuple[str, str, str] = ("amount", "amount", "quantity")) -> dict[str, pd.DataFrame]:
    """Two lines, HW (list price 2,000) and SW (500); East (reps A, B) and West (C); 2025 history with units."""
    words = {"amount": "金额", "quantity": "数量"} if lang == "zh" else {}
    rows = [("A", "E", "P1", 300_000, 150), ("B", "E", "P1", 100_000, 50), ("C", "W", "P1", 200_000, 100),
            ("A", "E", "P2", 100_000, 200), ("B", "E", "P2", 100_000, 100), ("C", "W", "P2", 200_000, 400)]
    return {
        "Settings": settings(lang, "2026-02-15", 1),
        "Products": pd.DataFrame({"product_id": ["P1", "P2"], "name": ["Sensor", "Licence"],
                                  "product_line": ["HW", "SW"], "unit_price": [2000.0, 500.0]}),
        "Regions": pd.DataFrame({"region_id": ["E", "W"], "name": ["East", "West"]}),
        "Reps": reps(["A", "B", "C"], ["E", "E", "W"]),
        "History": pd.DataFrame([(pd.Timestamp(2025, 6, 1), *r) for r in rows],
                                columns=["period", "rep_id", "region_id", "product_id", "amount", "quantity"]),
        "CompanyTarget": pd.DataFrame({"fiscal_year": [2026], "target": [1_000_000]}),
        "Seasonality": pd.DataFrame({"month": range(1, 13), "share": [1 / 12] * 12}),
        "TargetLevels": pd.DataFrame({"level": [1, 2, 3], "dimension": ["product_line", "region_id", "rep_id"],
                                      "method": ["prior_year"] * 3, "measure": [words.get(m, m) for m in measure]}),
        "Deals": pd.DataFrame({"deal_id": ["D1", "D2"], "date": pd.to_datetime(["2026-01-20", "2026-02-10"]),
                               "rep_id": ["A", "B"], "product_id": ["P1", "P2"], "quantity": [10, 6],
                               "amount": [20_000.0, 3_000.0], "status": "booked"}),
        "Credits": pd.DataFrame({"deal_id": ["D2", "D2"], "rep_id": ["A", "B"], "share": [0.5, 0.5]}),
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_units_variance_and_to_date_through_the_workbook(tmp_path, lang):
    """The money plan, by prior-year shares: HW 600,000 (E 400,000: A 300,000, B 100,000; W: C 200,000),
    SW 400,000 (E 200,000: A 100,000, B 100,000; W: C 200,000).

    Units (the rep level's measure is quantity; ERPNext keeps the same pair, a sales person's target_qty and
    target_amount per item group, in its "Sales Person Target Variance Based On Item Group" report):
      HW/E: 2025 sales 400,000 for 150 + 50 = 200 units, average price 2,000: 400,000 / 2,000 = 200 units,
            split by 2025 units A 150 / B 50 -> A 150, B 50.  HW/W: 200,000 / (200,000 / 100) = 100 -> C 100.
      SW/E: 200,000 for 300 units, price 666.67: 300 units -> A 200, B 100.  SW/W: 200,000 / 500 = 400 -> C 400.
    Actuals: D1 A, HW, 10 units, 20,000 in January; D2 B, SW, 6 units, 3,000 in February, credited 50% / 50%
    to A and B: 3 units and 1,500 each.
    A in money: target 300,000 + 100,000 = 400,000; actual 20,000 + 1,500 = 21,500; variance 21,500 -
    400,000 = -378,500; achievement 21,500 / 400,000 = 5.375%.
    A in units, HW: target 150, actual 10, variance -140; SW: target 200, actual 3, variance -197.
    To date (as of 15 February 2026: January and February): A's money actual to date 21,500 against the
    January + February targets of A's two lines (25,000 each month for HW; SW's 8,333.33 a month rounded
    to 8,333 or 8,334); HW units to date: 10 against A's January + February unit targets (12.5 a month,
    12 or 13).  Variance is actual - target, as in the ERPNext report (Variance = Achieved - Target).
    """
    out = run_book(tmp_path, lang, unit_book(lang))
    t = read_out(out, "Out_Targets")
    units = t[(t["measure"] == "quantity") & (t["period"] == "FY")]
    lv2 = units[units["level"] == 2].set_index(["product_line", "region_id"])["target"].to_dict()
    assert lv2 == {("HW", "E"): 200, ("HW", "W"): 100, ("SW", "E"): 300, ("SW", "W"): 400}
    lv3 = units[units["level"] == 3].set_index(["product_line", "rep_id"])["target"].to_dict()
    assert lv3 == {("HW", "A"): 150, ("HW", "B"): 50, ("HW", "C"): 100, ("SW", "A"): 200, ("SW", "B"): 100,
                   ("SW", "C"): 400}
    money = t[(t["measure"] == "amount") & (t["period"] == "FY") & (t["level"] == 3)]
    assert money.set_index(["product_line", "rep_id"])["target"].to_dict() == {
        ("HW", "A"): 300_000, ("HW", "B"): 100_000, ("HW", "C"): 200_000, ("SW", "A"): 100_000,
        ("SW", "B"): 100_000, ("SW", "C"): 200_000}
    hw_e = units[(units["level"] == 2) & (units["product_line"] == "HW") & (units["region_id"] == "E")]
    assert hw_e["explanation"].iloc[0] == (
        "400,000 ÷ 平均单价 2,000（上年销售额 400,000 ÷ 数量 200）= 数量 200" if lang == "zh" else
        "400,000 / average price 2,000 (prior-year sales 400,000 / 200 units) = 200 units")

    review = read_out(out, "Out_TargetReview")
    fy = review[(review["rep_id"] == "A") & (review["period"] == "FY")]
    cash = fy[fy["measure"] == "amount"].iloc[0]
    assert (cash["target"], cash["actual"], cash["variance"]) == (400_000, 21_500, -378_500)
    assert cash["achievement"] == pytest.approx(0.05375)
    hw = fy[(fy["measure"] == "quantity") & (fy["product_line"] == "HW")].iloc[0]
    sw = fy[(fy["measure"] == "quantity") & (fy["product_line"] == "SW")].iloc[0]
    assert (hw["target"], hw["actual"], hw["variance"]) == (150, 10, -140)
    assert (sw["target"], sw["actual"], sw["variance"]) == (200, 3, -197)
    # to date: January and February of the rep's own month rows
    leaf = t[(t["level"] == 3) & (t["rep_id"] == "A") & t["period"].isin(MONTHS[:2])]
    jan_feb_money = leaf[leaf["measure"] == "amount"]["target"].sum()
    assert 66_666 <= jan_feb_money <= 66_668  # 2 x 25,000 + two SW months of 8,333 or 8,334
    assert (cash["target_to_date"], cash["actual_to_date"]) == (jan_feb_money, 21_500)
    assert cash["variance_to_date"] == 21_500 - jan_feb_money
    jan_feb_hw = leaf[(leaf["measure"] == "quantity") & (leaf["product_line"] == "HW")]["target"].sum()
    assert 24 <= jan_feb_hw <= 26 and (hw["target_to_date"], hw["actual_to_date"]) == (jan_feb_hw, 10)
    assert hw["variance_to_date"] == 10 - jan_feb_hw
    feb = review[(review["rep_id"] == "A") & (review["measure"] == "amount") & (review["period"] == "2026-02")].iloc[0]
    assert feb["actual"] == 1_500 and feb["variance"] == 1_500 - feb["target"]
    assert ("累计 2026-01 至 2026-02" if lang == "zh" else "to date 2026-01 to 2026-02") in cash["explanation"]
    assert ("累计 2026-01 至 2026-02" if lang == "zh" else "to date 2026-01 to 2026-02") in feb["explanation"]
    assert ("数量" if lang == "zh" else "units of booked deals") in hw["explanation"]

    variance = read_out(out, "Out_TargetVariance")
    company = variance[(variance["level"] == 0) & (variance["period"] == "FY")].iloc[0]
    assert (company["target"], company["actual"], company["variance"]) == (1_000_000, 23_000, -977_000)
    hw_units = variance[(variance["measure"] == "quantity") & (variance["level"] == 2) & (variance["period"] == "FY")
                        & (variance["product_line"] == "HW") & (variance["region_id"] == "E")].iloc[0]
    assert (hw_units["target"], hw_units["actual"], hw_units["variance"]) == (200, 10, -190)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_amount_below_quantity_is_refused_where_it_is_typed(tmp_path, lang):
    book = write_book(tmp_path / "bad.xlsx", lang, unit_book(lang, ("amount", "quantity", "amount")))
    before = sorted(tmp_path.iterdir())
    r = sb("run", str(book), "--only", "targets")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    if lang == "zh":
        assert "工作表“分解层级”，第 4 行，列“计量" in r.stderr
        assert "代表层按金额，却位于按数量分解的层级之下" in r.stderr
    else:
        assert "sheet 'TargetLevels', row 4, column 'Measure" in r.stderr
        assert "the rep level is in amount below a level in quantity" in r.stderr
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_price_to_convert_is_refused_naming_the_node(tmp_path, lang):
    tables = unit_book(lang)
    tables["History"] = tables["History"].drop(columns="quantity")
    tables["Products"] = tables["Products"].drop(columns="unit_price")
    book = write_book(tmp_path / "noprice.xlsx", lang, tables)
    r = sb("run", str(book), "--only", "targets")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    if lang == "zh":
        assert "工作表“分解层级”，第 4 行" in r.stderr and "无法把 HW / E" in r.stderr
    else:
        assert "sheet 'TargetLevels', row 4" in r.stderr and "no price to turn the target of HW / E" in r.stderr
