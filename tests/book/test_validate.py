"""The first malformed inputs each produce the right sheet/row/column message, all at once."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from salesbook.book.base import RawTable
from salesbook.book.file_book import FileBook
from salesbook.book.validate import _check_column, empty_column, empty_frame, load_book, read_table
from salesbook.errors import InputError
from salesbook.schemas import REGISTRY

ALL = ["Settings", "Products", "Regions", "Reps", "Deals"]


def problems(path, required=ALL):
    with FileBook(path) as book, pytest.raises(InputError) as info:
        load_book(book, required=required)
    return info.value.problems


def test_clean_book_loads_with_typed_columns_and_excel_row_index(make_book, base_sheets):
    with FileBook(make_book(base_sheets)) as book:
        loaded = load_book(book, required=ALL)
    deals = loaded.tables["Deals"]
    assert deals.index.tolist() == [2, 3] and deals.index.name == "excel_row"
    assert deals["amount"].tolist() == [1000.0, 2500.5]
    assert deals["date"].iloc[0].date() == dt.date(2026, 1, 5)
    assert deals["status"].tolist() == ["booked", "booked"]  # default filled
    assert loaded.settings["language"] == "en" and loaded.settings["rounding_unit"] == 0.01


def test_missing_sheet(make_book, base_sheets):
    del base_sheets["Deals"]
    (p,) = problems(make_book(base_sheets))
    assert "no table or sheet named 'Deals'" in p.render("en")
    assert "成交" in p.render("zh")


def test_missing_column_names_header_row_and_suggests_a_typo(make_book, base_sheets):
    base_sheets["Deals"][0][4] = "amout"
    (p,) = problems(make_book(base_sheets))
    assert (p.sheet, p.row, p.column) == ("Deals", 1, "Amount")
    assert "Did you mean 'amout'?" in p.text("en")


def test_text_in_number_column(make_book, base_sheets):
    base_sheets["Deals"][2][4] = "lots"
    (p,) = problems(make_book(base_sheets))
    assert (p.sheet, p.row, p.column) == ("Deals", 3, "amount (E)")
    assert p.text("en") == "'lots' is not an amount."
    assert p.text("zh") == "“lots”不是有效的金额。"


def test_duplicate_ids_point_at_the_repeat_and_the_first(make_book, base_sheets):
    base_sheets["Products"].append(["P1", "Again", "Hardware"])
    (p,) = problems(make_book(base_sheets))
    assert (p.sheet, p.row) == ("Products", 4)
    assert "first used on row 2" in p.text("en")


def test_empty_table(make_book, base_sheets):
    base_sheets["Deals"] = [base_sheets["Deals"][0]]
    (p,) = problems(make_book(base_sheets))
    assert p.sheet == "Deals" and "empty" in p.text("en")


def test_unknown_foreign_key(make_book, base_sheets):
    base_sheets["Deals"][1][2] = "R9"
    (p,) = problems(make_book(base_sheets))
    assert (p.sheet, p.row, p.column) == ("Deals", 2, "rep_id (C)")
    assert "'R9' is not in sheet 'Reps'" in p.text("en")


def test_all_problems_are_reported_together_in_chinese(make_book, base_sheets):
    base_sheets["Deals"][1][2] = "R9"
    base_sheets["Deals"][2][4] = "lots"
    base_sheets["Reps"][1][3] = "boss"
    base_sheets["Reps"][2][4] = "someday"
    found = problems(make_book(base_sheets))
    assert len(found) == 4
    text = InputError(found).render("zh")
    assert "工作表“Reps”，第 2 行" in text and "“boss”不是允许的取值" in text
    assert "“someday”不是有效的日期" in text


def test_chinese_headers_and_sheet_without_a_table(make_book, base_sheets):
    base_sheets["Deals"][0] = ["订单编号", "成交日期", "销售代表编号", "产品编号", "销售额"]
    path = make_book(base_sheets, tables=False)
    with FileBook(path) as book:
        loaded = load_book(book, required=ALL)
    assert loaded.tables["Deals"]["amount"].sum() == 3500.5


def test_excel_error_cells_are_reported_not_read_as_blank(make_book, base_sheets):
    base_sheets["Deals"][1][4] = "#N/A"  # openpyxl stores this as a real error cell (t="e")
    (p,) = problems(make_book(base_sheets))
    assert p.row == 2 and "#N/A" in p.text("en")


def test_table_found_by_its_chinese_name(make_book, base_sheets):
    sheets = {("成交" if k == "Deals" else k): v for k, v in base_sheets.items()}
    with FileBook(make_book(sheets, table_names={"成交": "Deals_2026"})) as book:
        loaded = load_book(book, required=ALL)
    assert len(loaded.tables["Deals"]) == 2


@pytest.mark.parametrize(("key", "value", "ok"), [
    ("rounding_unit", 0.01, True), ("rounding_unit", 1e-300, False), ("rounding_unit", 1e300, False),
    ("lead_half_life_days", 0, False), ("lead_half_life_days", 14, True),
    ("clawback_window_days", -5, False), ("clawback_window_days", 106_784_100, False),
    ("fiscal_year_start_month", 13, False), ("lead_linear_decay", "150%", False)])
def test_numeric_settings_must_be_in_range(key, value, ok):
    from salesbook.book.validate import parse_settings

    frame = pd.DataFrame({"key": [key], "value": [value]}, index=[5])
    settings, problems = parse_settings(frame, "Settings")
    if ok:
        assert not problems and settings[key] == value
    else:
        [p] = problems
        assert (p.sheet, p.row, p.column) == ("Settings", 5, "value")
        assert "outside the allowed range" in p.render("en") and "超出允许范围" in p.render("zh")


@pytest.mark.parametrize(("value", "ok"), [(200, False), (2, True), ("200%", True), (11, False)])
def test_a_percentage_setting_typed_as_a_whole_number_asks_whether_it_meant_percent(value, ok):
    """bonus_cap allows 0% to 1000%: 200 (a cell not formatted as %) is 20,000%, so it asks about 200%;
    2 is 200% and accepted; 11 (1,100%) is also out of range, and 11% is what it asks about."""
    from salesbook.book.validate import parse_settings

    frame = pd.DataFrame({"key": ["bonus_cap"], "value": [value]}, index=[7])
    settings, problems = parse_settings(frame, "Settings")
    if ok:
        assert not problems and settings["bonus_cap"] == 2
        return
    [p] = problems
    assert (p.sheet, p.row, p.column) == ("Settings", 7, "value")
    assert p.render("en").endswith(f"setting 'bonus_cap': {value} is more than the largest possible 1000%: did you "
                                   f"mean {value}%? A percentage cell holds {value}% as {value / 100:g}; type it as "
                                   f"{value}%.")
    assert f"是否应为 {value}%" in p.render("zh")


def test_rows_shorter_or_longer_than_the_header_read_as_padded_or_cut():
    raw = RawTable(name="Regions", sheet="Regions", headers=["region_id", "name"], header_row=3,
                   rows=[["EAST"], ["WEST", "West", "extra", 4], [], ["NORTH", "North"]])
    frame, found, _ = read_table(raw, REGISTRY["Regions"])
    assert frame.index.tolist() == [4, 5, 6, 7] and frame.index.name == "excel_row"
    assert frame["region_id"].tolist()[:2] == ["EAST", "WEST"] and frame["name"].iloc[1] == "West"
    assert pd.isna(frame["name"].iloc[0]) and pd.isna(frame["region_id"].iloc[2])
    assert sorted((p.row, p.column[0]) for p in found) == [(4, "n"), (6, "n"), (6, "r")]  # required cells


def test_per_unit_warnings_read_a_blank_tier_basis_as_the_default():
    """A plan whose 'Tiers on' is blank tiers on its base (the default): its per-unit tier starting at 0.5 units is
    said to read like attainment, and a missing value in a string column is no error of its own."""
    from salesbook.book import crosscheck

    plans = pd.DataFrame({"plan_id": ["U", "A"], "commission_base": ["quantity", "amount"],
                          "measure": pd.array([None, "attainment"], dtype="string")})
    tiers = pd.DataFrame({"plan_id": ["U", "U", "A"], "lower_bound": [0.0, 0.5, 0.0], "rate": [None, None, 0.05],
                          "per_unit": [10.0, 20.0, None]}, index=[2, 3, 4])
    found = crosscheck.per_unit_warnings({"Plans": plans, "PlanTiers": tiers}, {}, {})
    assert [(p.row, p.column) for p in found] == [(3, "Lower bound")]


@pytest.mark.parametrize("name", [n for n, t in REGISTRY.items() if not t.output])
def test_an_empty_table_is_typed_as_parsing_its_columns_would_type_them(name):
    """Empty tables skip the per-column parse: their columns must still be what the parse would give."""
    table = REGISTRY[name]
    raw = RawTable(name=name, sheet=name, headers=[c.name for c in table.columns], rows=[])
    frame, found, _ = read_table(raw, table)
    index = pd.Index([], name="excel_row")
    parsed = {c.name: _check_column(pd.Series([], dtype=object, index=index), c, name, c.name, k)[1]
              for k, c in enumerate(table.columns)}
    expected = pd.DataFrame(parsed, index=index)
    assert found == []
    pd.testing.assert_frame_equal(frame, expected, check_index_type=True)
    pd.testing.assert_frame_equal(empty_frame(table), expected, check_index_type=True)


def test_an_empty_column_handed_out_is_a_copy():
    col = REGISTRY["Deals"].columns[0]
    first = empty_column(col)
    first.index.name = "changed"
    first.attrs["x"] = 1
    again = empty_column(col)
    assert again.index.name == "excel_row" and again.attrs == {}


def _findings(path, defer: bool):
    """What loading ``path`` finds: ("refused", problems) or ("loaded", warnings), each as (place, text) pairs;
    deferred cross-table checks are run and concluded as ``pipeline.compute`` does."""
    def shown(found):
        return [(p.sheet, p.row, p.column, p.render("en"), p.render("zh")) for p in found]

    try:
        with FileBook(path) as book:
            loaded = load_book(book, defer_checks=defer)
        if defer:
            before = len(loaded.warnings)
            assert loaded.checks is not None
            loaded.run_checks()
            assert loaded.checks is None   # run once
            assert len(loaded.warnings) >= before
    except InputError as exc:
        return "refused", shown(exc.problems)
    return "loaded", shown(loaded.warnings)


def test_cross_table_checks_run_later_find_what_they_find_when_run_at_once(tmp_path, small_tables):
    """A book whose tables are each fine comes back before its cross-table checks (``defer_checks``); run later,
    they refuse it with the same problems, or add the same warnings in the same order, as loading at once."""
    from salesbook.book.template import write_book

    def book(name, change):
        tables = {k: v.copy() for k, v in small_tables.items()}
        change(tables)
        return write_book(tmp_path / f"{name}.xlsx", "en", tables)

    def unheld_role(t):   # a warning from the cross-table checks: KPI weights for a role no rep holds
        t["Reps"].loc[t["Reps"]["role"] == "director", "role"] = "manager"

    def missing_rep(t):   # a problem: a deal credited to a rep who is not in Reps
        unheld_role(t)
        t["Deals"].loc[t["Deals"].index[3], "rep_id"] = "R9999"

    def also_a_bad_amount(t):   # and a problem of the table itself: nothing is deferred
        missing_rep(t)
        t["Deals"]["amount"] = t["Deals"]["amount"].astype(object)
        t["Deals"].loc[t["Deals"].index[5], "amount"] = "lots"

    warned = book("warned", unheld_role)
    with FileBook(warned) as opened:
        early = load_book(opened, defer_checks=True)
    assert early.checks is not None and not any("director" in w.render("en") for w in early.warnings)
    for path, outcome in ((warned, "loaded"), (book("refused", missing_rep), "refused"),
                          (book("both", also_a_bad_amount), "refused")):
        at_once, later = _findings(path, defer=False), _findings(path, defer=True)
        assert at_once[0] == outcome and at_once == later
        texts = " ".join(t for *_, t, _ in at_once[1])
        assert "no rep has the role 'director'" in texts if outcome == "loaded" else "'R9999' is not in sheet" in texts
    assert any("'lots' is not an amount" in t for *_, t, _ in _findings(tmp_path / "both.xlsx", defer=True)[1])
