import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesbook.book import parse
from salesbook.book.parse import (
    blank_mask,
    error_mask,
    parse_bool,
    parse_column,
    parse_date,
    parse_int,
    parse_number,
    parse_text,
)
from salesbook.schemas import Choice, Column, Kind


def s(*values):
    return pd.Series(list(values), dtype=object)


def test_numbers_accept_numeric_text_currency_and_percent():
    out, bad = parse_number(s(1, 2.5, "1,234.50", " ¥3,000 ", "12%", "", None, "abc", True))
    assert out.iloc[:5].tolist() == [1.0, 2.5, 1234.5, 3000.0, 0.12]
    assert out.iloc[5:7].isna().all()
    assert bad.tolist() == [False] * 7 + [True, True]


def test_int_rejects_fractions():
    out, bad = parse_int(s(3.0, "4", 2.5))
    assert out.iloc[0] == 3 and out.iloc[1] == 4 and pd.isna(out.iloc[2])
    assert bad.tolist() == [False, False, True]


def test_dates_from_cells_serials_and_unambiguous_text():
    out, bad = parse_date(s(dt.date(2026, 3, 31), dt.datetime(2026, 3, 31, 15, 0), 46112.0, "2026-03-31",
                            "2026/3/31", "2026年3月31日", "2026-03", "03/31/2026", "2026-02-30", None,
                            "31/3/2026", "Mar 31, 2026", "31 March 2026", "２０２６－０３－３１", "2026-03-31T09:30:00"))
    expected = pd.Timestamp(2026, 3, 31)
    assert out.iloc[:6].tolist() == [expected] * 6
    assert out.iloc[6] == pd.Timestamp(2026, 3, 1)
    assert out.iloc[7] == expected  # 31 cannot be a month: month first, unambiguous
    assert out.iloc[10:].tolist() == [expected] * 5
    assert bad.tolist() == [False] * 8 + [True, False] + [False] * 5


def test_ambiguous_text_dates_follow_date_order():
    assert parse_date(s("03/04/2026"))[0].iloc[0] == pd.Timestamp(2026, 3, 4)
    assert parse_date(s("03/04/2026"), "dmy")[0].iloc[0] == pd.Timestamp(2026, 4, 3)
    assert parse_date(s("13/04/2026"), "mdy")[0].iloc[0] == pd.Timestamp(2026, 4, 13)  # 13 decides, whatever the order


def test_numbers_as_people_type_them():
    from salesbook.book.parse import parse_number

    money, bad = parse_number(s("１２００００", "(1,200)", "12万", "1.5亿", "12万元", "¥120,000", "(-5)", "五"),
                              money=True)
    assert money.iloc[:6].tolist() == [120000.0, -1200.0, 120000.0, 150000000.0, 120000.0, 120000.0]
    assert bad.tolist() == [False] * 6 + [True, True]
    ratio, bad = parse_number(s("1/3", "1／3", "3", "1/0"), ratio=True)
    assert ratio.iloc[:3].round(6).tolist() == [0.333333, 0.333333, 3.0] and bad.tolist() == [False] * 3 + [True]
    _, bad = parse_number(s("12万"))
    assert bad.tolist() == [True]  # 万 only where the column is money


def test_bool_in_both_languages():
    out, bad = parse_bool(s(True, "yes", "是", "否", 0, "maybe", None))
    assert out.iloc[:5].tolist() == [True, True, True, False, False]
    assert bad.tolist() == [False] * 5 + [True, False]


def test_ids_from_numeric_cells_lose_the_float_tail():
    out, _ = parse_text(s(1001.0, " R7 ", 12.5, None), identifier=True)
    assert out.tolist()[:3] == ["1001", "R7", "12.5"] and pd.isna(out.iloc[3])


def test_choice_accepts_value_label_and_alias_case_insensitively():
    col = Column("role", Kind.CHOICE, "岗位", choices=(Choice("manager", "销售经理", ("经理",)),))
    out, bad = parse_column(s("Manager", "销售经理", "经理", "boss"), col)
    assert out.tolist()[:3] == ["manager"] * 3
    assert bad.tolist() == [False, False, False, True]


def test_excel_error_values_are_detected():
    assert error_mask(s("#N/A", " #div/0! ", "#hashtag", 3.0, None)).tolist() == [True, True, False, False, False]


@pytest.mark.parametrize("n", [10, 5000])
def test_long_repetitive_columns_parse_like_short_ones(n):
    """The distinct-value fast path must give exactly what the direct path gives."""
    col = Column("d", Kind.DATE, "日期")
    values = s(*(["2026-01-05", 46000.0, None, "bad"] * n))
    fast, fast_bad = parse_column(values, col)
    slow, slow_bad = parse_date(values)
    pd.testing.assert_series_equal(fast.reset_index(drop=True), slow.reset_index(drop=True), check_names=False)
    assert np.array_equal(fast_bad.to_numpy(), slow_bad.to_numpy())


@pytest.mark.parametrize("kind", [Kind.NUMBER, Kind.ID, Kind.BOOL])
def test_booleans_beside_equal_numbers_keep_their_own_parse_in_long_columns(kind):
    """True == 1 and False == 0 for a hash table: a long column mixing them is still parsed cell by cell."""
    col = Column("c", kind, "列")
    values = s(*([True, 1, False, 0.0, 2] * 400))
    fast, fast_bad = parse_column(values, col)
    slow, slow_bad = parse_column(values.iloc[:5], col)
    pd.testing.assert_series_equal(fast.iloc[:5], slow)
    assert fast_bad.iloc[:5].tolist() == slow_bad.tolist()
    if kind is Kind.ID:
        assert slow.tolist() == ["TRUE", "1", "FALSE", "0", "2"]
    if kind is Kind.NUMBER:
        assert slow_bad.tolist() == [True, False, True, False, False]


def test_blank_and_error_masks_on_text_mixed_and_long_columns():
    values = s("", " ", "\u3000", "\t\n", "x", " x ", None, float("nan"), 0, "#N/A", "Shop #3", " #ref! ")
    assert blank_mask(values).tolist() == [True] * 4 + [False, False, True, True] + [False] * 4
    assert error_mask(values).tolist() == [False] * 9 + [True, False, True]
    long = s(*(["R1", "R2", " ", None] * 600))
    assert blank_mask(long).tolist() == [False, False, True, True] * 600
    assert not error_mask(long).any()
    assert not error_mask(pd.Series(["#N/A"], dtype="string")).any()  # typed text is not a cell from calamine


_ENDS = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2028", "\u3000", "\u200b",
         "\ufeff", "a", "中", "😀", "_"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", *_ENDS]), st.text(max_size=4), st.sampled_from(["", *_ENDS])),
                min_size=1, max_size=60))
def test_texts_asked_one_by_one_are_every_text_strip_or_isspace_would_change(parts):
    """``parse_typed`` asks only the texts ``_padded`` names; any other text must be one that is not blank and
    has nothing to strip, or the Arrow shortcut would let a padded id through unstripped."""
    texts = ["".join(p) for p in parts] * (parse._PADDED_MIN // len(parts) + 1)   # the shortcut's size
    named = set(parse._padded(texts))
    changed = {k for k, t in enumerate(texts) if not t or t.isspace() or t.strip() != t}
    assert changed <= named
