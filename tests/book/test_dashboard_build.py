"""The dashboard's summary tables on small hand-made outputs: which charts, which formulas, which values
(worked out by hand below), in either language."""

from __future__ import annotations

import pandas as pd
import pytest

from salesbook.book.dashboard import build_dashboard
from salesbook.book.dashboard.build import scaled
from salesbook.book.dashboard.formulas import Source, column_ref
from salesbook.book.dashboard.model import ERROR_NA

SETTINGS = {"currency": "CNY", "fiscal_year": 2026, "fiscal_year_start_month": 4, "company_name": "Co",
            "as_of_date": None}


def _headers(name: str, frame: pd.DataFrame) -> dict[str, str]:
    return {c: c.title() for c in frame.columns}  # what the sheet's header cells say


def _block(board, title: str) -> tuple[int, list[list[object]], list[list[str | None]]]:
    """(first data row, values, formulas) of the summary table under ``title``."""
    top = next(r for (r, c), cell in board.cells.items() if c == 1 and cell.value == title and cell.style == "heading"
               and r > 40) + 2
    rows, formulas, r = [], [], top
    while board.cells.get((r, 1)) is not None and board.cells[(r, 1)].style != "note":
        cols = sorted(c for (rr, c) in board.cells if rr == r)
        rows.append([board.cells[(r, c)].value for c in cols])
        formulas.append([board.cells[(r, c)].formula for c in cols])
        r += 1
    return top, rows, formulas


def test_structured_references_escape_what_excel_needs():
    assert column_ref("Out_Accruals", "Period") == "Out_Accruals[Period]"
    assert column_ref("Out_LeadScores", "Rep ID") == "Out_LeadScores[Rep ID]"
    assert column_ref("T", "Fit x engagement") == "T[Fit x engagement]"
    assert column_ref("T", "a[b]#1") == "T[[a'[b']'#1]]"
    assert column_ref("T", "Cost % of sales") == "T[[Cost % of sales]]"
    assert column_ref("T", "期间") == "T[期间]"


@pytest.mark.parametrize(("lang", "largest", "fmt", "unit"), [
    ("en", 56_000_000, "#,##0.0,,", "CNY millions"), ("en", 45_000, "#,##0,", "CNY thousands"),
    ("en", 900, "#,##0", "CNY"), ("zh", 56_000_000, "0\\.0,", "万元"), ("zh", 455_000_000, "0\\.00,,", "亿元"),
    ("zh", 900, "#,##0", "元")])
def test_money_axes_are_scaled_to_short_labels_named_in_the_books_unit(lang, largest, fmt, unit):
    assert scaled(lang, "CNY", largest) == (fmt, unit)


def test_a_commissions_only_run_charts_the_fiscal_months_cost_without_a_sales_line():
    # fiscal year 2026 starting in April: 2025-04 ... 2026-03, as the targets engine counts it
    accruals = pd.DataFrame({"period": ["2025-04", "2025-04", "2025-05", "2026-04"], "accrued": [100.0, 50.0, 30.0, 999.0]})
    board = build_dashboard({"Out_Accruals": accruals}, {}, SETTINGS, "en", _headers)
    assert [c.key for c in board.charts] == ["commission"]
    chart = board.charts[0]
    assert [s.kind for s in chart.series] == ["column"] and chart.second_axis is None
    top, rows, formulas = _block(board, "Commission cost by month")
    assert [r[0] for r in rows] == [f"2025-{m:02d}" for m in range(4, 13)] + ["2026-01", "2026-02", "2026-03"]
    # April: 100 + 50 = 150; May: 30; the 2026-04 line is outside the fiscal year
    assert [r[1] for r in rows[:3]] == [150.0, 30.0, 0.0]
    assert formulas[0][1] == f"SUMPRODUCT(--(Out_Accruals[Period]=$A{top}),Out_Accruals[Accrued])"
    assert chart.series[0].vals_ref == f"Out_Dashboard!$B${top}:$B${top + 11}"
    assert chart.series[0].cats == tuple(r[0] for r in rows)


def _variance() -> pd.DataFrame:
    """A company (level 0) over lines (1) over regions (2); two lines, three regions, two months."""
    rows = [(0, "", "", "FY", 300.0, 330.0), (0, "", "", "2026-01", 100.0, 120.0), (0, "", "", "2026-02", 200.0, 210.0)]
    for line, region, target, actual in (("HW", "E", 100.0, 110.0), ("SW", "E", 20.0, 10.0), ("HW", "W", 80.0, 96.0),
                                         ("HW", "N", 100.0, 0.0)):
        rows.append((2, line, region, "FY", target, actual))
    frame = pd.DataFrame(rows, columns=["level", "product_line", "region_id", "period", "target", "actual"])
    frame.insert(3, "rep_id", "")
    return frame


def test_regions_are_ranked_by_attainment_with_a_formula_that_follows_edits():
    board = build_dashboard({"Out_TargetVariance": _variance()}, {"Regions": pd.DataFrame(
        {"region_id": ["E", "W", "N"], "name": ["East", "West", "North"]})},
        {**SETTINGS, "fiscal_year_start_month": 1, "as_of_date": pd.Timestamp(2026, 1, 31).date()}, "en", _headers)
    assert [c.key for c in board.charts] == ["monthly", "regions"]
    top, rows, formulas = _block(board, "Attainment by region, full year")
    # East: (110 + 10) / (100 + 20) = 1.0; West: 96 / 80 = 1.2; North: 0 / 100 = 0
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [("E", "East", 120.0, 120.0), ("W", "West", 80.0, 96.0),
                                                          ("N", "North", 100.0, 0.0)]
    assert [r[4] for r in rows] == pytest.approx([1.0, 1.2, 0.0])
    assert formulas[0][2] == (f"SUMPRODUCT(--(Out_TargetVariance[Level]=2),--(Out_TargetVariance[Region_Id]=$A{top}),"
                              '--(Out_TargetVariance[Period]="FY"),Out_TargetVariance[Target])')
    top2, ranked, ranked_f = _block(board, "Regions by attainment")
    assert [(r[1], r[2]) for r in ranked] == [("West", pytest.approx(1.2)), ("East", pytest.approx(1.0)),
                                              ("North", pytest.approx(0.0))]
    assert ranked_f[0][1] == f"INDEX($B${top}:$B${top + 2},MATCH(LARGE($F${top}:$F${top + 2},$A{top2}),$F${top}:$F${top + 2},0))"
    chart = board.charts[1]
    assert chart.horizontal and chart.series[0].cats == ("West", "East", "North")
    # the monthly table: February is after the as-of date, so it has no cumulative actual or achievement
    _, months, _ = _block(board, "Target vs actual by month")
    assert months[0] == ["2026-01", 100.0, 120.0, 100.0, 120.0, pytest.approx(1.2)]
    assert months[1][3:] == [300.0, ERROR_NA, ERROR_NA]


def test_ratings_count_reps_by_their_yearly_scorecard_weights():
    # three reps: R1 (two KPIs, weights 0.6 + 0.4) rated A; R2 (three KPIs, 0.5 + 0.3 + 0.2) rated A; R3 (one KPI) B
    rows = [("year", "2026", "R1", 0.6, "A"), ("year", "2026", "R1", 0.4, "A"), ("year", "2026", "R2", 0.5, "A"),
            ("year", "2026", "R2", 0.3, "A"), ("year", "2026", "R2", 0.2, "A"), ("year", "2026", "R3", 1.0, "B"),
            ("month", "2026-01", "R3", 1.0, "S")]
    cards = pd.DataFrame(rows, columns=["period_kind", "period", "rep_id", "weight", "rating"])
    bands = pd.DataFrame({"rating": ["B", "S", "A"], "min_score": [85.0, 110.0, 100.0]})
    board = build_dashboard({"Out_PeriodScorecards": cards}, {"RatingBands": bands}, SETTINGS, "zh", _headers)
    top, rows_out, formulas = _block(board, "2026 财年考核评级分布")
    # bands best first: S (110), A (100), B (85); A: 0.6 + 0.4 + 0.5 + 0.3 + 0.2 = 2 reps; B: 1; S only monthly: 0
    assert [(r[0], r[1]) for r in rows_out] == [("S", 0.0), ("A", 2.0), ("B", 1.0)]
    assert [r[2] for r in rows_out] == pytest.approx([0.0, 2 / 3, 1 / 3])
    assert formulas[1][1] == ('ROUND(SUMPRODUCT(--(Out_PeriodScorecards[Period_Kind]="year"),'
                              f'--(Out_PeriodScorecards[Period]="2026"),--(Out_PeriodScorecards[Rating]=$A{top + 1}),'
                              "Out_PeriodScorecards[Weight]),0)")
    assert board.charts[0].title == "2026 财年考核评级分布"


def test_win_rates_compare_statuses_as_a_chinese_sheet_shows_them():
    scores = pd.DataFrame({"lead_id": ["L1", "L2", "L3", "L4", "L5"], "grade": ["A", "A", "B", "A", "B"],
                           "status": ["won", "lost", "won", "open", "lost"]})
    board = build_dashboard({"Out_LeadScores": scores}, {}, SETTINGS, "zh", _headers)
    _, rows, formulas = _block(board, "线索等级分布与赢单率")
    # A: 3 leads, 1 won, 1 lost -> 1 / (1 + 1) = 50%; B: 2 leads, 1 won, 1 lost -> 50%
    assert rows == [["A", 3.0, 0.5, 1.0, 1.0], ["B", 2.0, 0.5, 1.0, 1.0]]
    assert '--(Out_LeadScores[Status]="赢单")' in formulas[0][3]


def test_no_chart_without_its_outputs():
    assert build_dashboard({}, {}, SETTINGS, "en", _headers) is None
    assert build_dashboard({"Out_LeadScores": pd.DataFrame({"lead_id": ["L1"], "grade": ["A"]})}, {}, SETTINGS, "en",
                           _headers) is None  # no status to count wins by


def test_a_sum_takes_the_rows_whose_texts_match_without_regard_to_case_and_whose_numbers_are_equal():
    """What SUMPRODUCT of exact comparisons gives in Excel, asked of one table many times (the texts and the
    numbers are read once and kept), worked out here row by row."""
    frame = pd.DataFrame({"grade": ["A", "a", "B", None, 7, "A ", "b", "A"],
                          "level": [1, 1, 2, 1, "1", 1, 2.0, None],
                          "amount": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, "x", 80.0]})
    source = Source("Out_X", frame, _headers("Out_X", frame))
    for grade, level in [("A", 1), ("a", 1), ("B", 2), ("b", 2), ("C", 1), ("A", 3)]:
        formula, value = source.total("amount", [("grade", grade, None), ("level", level, "$A2")])
        by_hand = sum(float(a) for g, lv, a in frame.itertuples(index=False)
                      if isinstance(g, str) and g.casefold() == grade.casefold()
                      and pd.to_numeric(lv, errors="coerce") == level and isinstance(a, float))
        assert value == by_hand, (grade, level)
        assert formula == f'SUMPRODUCT(--(Out_X[Grade]="{grade}"),--(Out_X[Level]=$A2),Out_X[Amount])'
        assert source.total(None, [("grade", grade, None)])[1] == sum(
            isinstance(g, str) and g.casefold() == grade.casefold() for g in frame["grade"])
