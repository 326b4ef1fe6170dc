"""The Scenarios sheet at the boundary: every override is checked like a cell of the column it replaces and
every problem is located at its Scenarios row, in the book's language."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from salesbook.book.template import write_book
from salesbook.demo import build_demo_tables
from salesbook.errors import InputError
from salesbook.pipeline import validate_book

COLUMNS = ["scenario_id", "name", "table", "key", "column", "value", "action"]
BAD = [
    ("S1", "Bad", "Plans", "STD", "rate", "5%", "set"),                 # row 2: rate is not a column of Plans
    ("S1", None, "PlanTiers", "STD / 300%", "rate", "5%", "set"),        # row 3: no such tier
    ("S1", None, "PlanTiers", "STD / 100%", "rate", "12", "set"),        # row 4: 12 where 12% is meant
    ("S1", None, "Plans", "XYZ", "cap_period", "1000", "add"),           # row 5: plans cannot be added
    ("S2", None, "PlanTiers", "STD / 100%", "rate", "abc", "set"),       # row 6: not a percentage
    ("S2", None, "PlanTiers", "STD / 200%", "lower_bound", "2", "add"),  # row 7: a new tier without its rate
    ("BASE", None, "Plans", "STD", "gate", "60%", "set"),                # row 8: the base's own code
]


@pytest.fixture(scope="module")
def tiny():
    return {lang: build_demo_tables(lang, scale=0.05) for lang in ("en", "zh")}


def _problems(tmp_path, tables, lang, rows):
    frame = pd.DataFrame(rows, columns=COLUMNS)
    book = write_book(tmp_path / f"s_{lang}.xlsx", lang, {**tables, "Scenarios": frame})
    with pytest.raises(InputError) as info:
        validate_book(book)
    return info.value, book


def test_every_bad_override_is_named_at_its_row_in_english(tmp_path, tiny):
    err, _ = _problems(tmp_path, tiny["en"], "en", BAD)
    by_row = {p.row: p for p in err.problems if p.sheet == "Scenarios"}
    assert sorted(by_row) == [2, 3, 4, 5, 6, 7, 8], err.render("en")
    assert by_row[2].render("en").startswith("sheet 'Scenarios', row 2, column 'Column (E)': a scenario cannot change "
                                             "'rate' in sheet 'Plans'; it can change: Tier method, Gate")
    assert "no row of sheet 'PlanTiers' has the key STD / 3." in by_row[3].text("en")
    assert by_row[3].column == "Row key (D)"
    assert "did you mean 12%?" in by_row[4].text("en") and by_row[4].column == "New value (F)"
    assert "cannot add rows to sheet 'Plans'" in by_row[5].text("en") and by_row[5].column == "Action (G)"
    assert by_row[6].text("en") == "'abc' is not a percentage."
    assert by_row[7].text("en") == "the new row STD / 2 of sheet 'PlanTiers' needs Rate too (one row per column)."
    assert "BASE names the book as it is" in by_row[8].text("en")


def test_every_bad_override_is_named_at_its_row_in_chinese(tmp_path, tiny):
    err, _ = _problems(tmp_path, tiny["zh"], "zh", BAD)
    text = err.render("zh")
    lines = [line for line in text.splitlines() if line.startswith("工作表“方案模拟”")]
    assert len(lines) == 7, text
    assert "工作表“方案模拟”，第 2 行，列“调整列 (E)”：情景不能调整工作表“提成方案”的“提成比例”；可调整的列：阶梯方式、门槛达成率" in text
    assert "工作表“方案模拟”，第 4 行，列“新值 (F)”：1200% 超过了可能的最大值 100%：是否应为 12%？" in text
    assert "工作表“提成阶梯”的新增行 STD / 2 还须填写 提成比例（每列一行）。" in text
    for line in lines:   # no code names, no English words left in what a Chinese book's user reads
        body = line.split("：", 1)[1]
        assert not re.search(r"\b[a-z]+_[a-z_]+\b|\b(?:Plans|PlanTiers|rate|cap_period)\b", body), line


def test_a_plausible_override_is_accepted_and_an_unusual_one_warned(tmp_path, tiny):
    rows = [("OK", "Fine", "PlanTiers", "STD / 120%", "rate", "60%", "set")]   # possible, but unusual for a rate
    frame = pd.DataFrame(rows, columns=COLUMNS)
    book = write_book(tmp_path / "ok.xlsx", "en", {**tiny["en"], "Scenarios": frame})
    _, _, warnings = validate_book(book)
    found = [w for w in warnings if w.sheet == "Scenarios"]
    assert len(found) == 1 and found[0].row == 2 and "60% is unusual here" in found[0].text("en")
