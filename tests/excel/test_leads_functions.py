"""SB_LEAD_SCORE and SB_GRADE with Excel-shaped arguments."""

from __future__ import annotations

from salesbook.excel.functions import SB_GRADE, SB_LEAD_SCORE

LEAD = [["industry", "budget", "source"], ["制造业", 600000.0, "官网"]]
RULES = [["field", "operator", "value", "points"], ["industry", "=", "制造业", 20.0], ["budget", ">=", "500000", 15.0],
         ["source", "in", "展会, 官网", 5.0], ["budget", "between", "1, 10", 3.0], [None, None, None, None]]


def test_lead_score_and_grade():
    assert SB_LEAD_SCORE(LEAD, RULES) == 40.0
    bands = [["Grade", "Min"], ["A", 60.0], ["B", 40.0], ["C", 0.0]]
    assert SB_GRADE(40.0, bands) == "B" and SB_GRADE(75.0, bands) == "A" and SB_GRADE(-5.0, bands) == "C"


def test_errors_are_readable():
    assert SB_LEAD_SCORE(LEAD, [["x", "=", "1", 1.0]]) == "SB_LEAD_SCORE: rule 1: field 'x' is not in lead_row"
    assert SB_LEAD_SCORE(LEAD, [["budget", ">", "lots", 1.0]]).startswith("SB_LEAD_SCORE: rule 1:")
    assert SB_GRADE("high", [["A", 1.0]]) == "SB_GRADE: score: 'high' is not a number"
