"""SB_ALLOCATE and SB_SEASONALIZE with Excel-shaped arguments."""

from __future__ import annotations

from salesbook.excel.functions import SB_ALLOCATE, SB_SEASONALIZE


def test_allocate_returns_a_vertical_array_that_sums_exactly():
    out = SB_ALLOCATE(1_000_000.0, [[1.0]] * 12, 0.01)  # a 12x1 column range, floats as Excel sends them
    assert len(out) == 12 and all(len(r) == 1 for r in out)
    assert round(sum(r[0] for r in out), 2) == 1_000_000.00


def test_allocate_accepts_a_row_blanks_and_default_unit():
    assert SB_ALLOCATE(10.0, [[1.0, 1.0, 1.0]]) == [[4.0], [3.0], [3.0]]
    # a blank weight cell is 0; 7.5 / 0 / 2.5 -> the spare unit goes to the larger weight on a tie
    assert SB_ALLOCATE(10.0, [3.0, None, 1.0]) == [[8.0], [0.0], [2.0]]


def test_bad_arguments_give_a_message_not_a_traceback():
    assert SB_ALLOCATE(100.0, [1.0, -1.0]) == "SB_ALLOCATE: weight -1 is negative; weights must be >= 0"
    assert SB_ALLOCATE(100.0, ["abc"]).startswith("SB_ALLOCATE: weights: 'abc' is not a number")
    assert SB_SEASONALIZE(1200.0, [0.5, 0.4]) == "SB_SEASONALIZE: profile totals 90.0000%, not 100%"


def test_seasonalize_splits_by_profile():
    profile = [[0.25], [0.25], [0.5]]
    assert SB_SEASONALIZE(1000.0, profile) == [[250.0], [250.0], [500.0]]


def test_allocate_with_locked_cells_rebalances_the_rest():
    # 1,000 over weights 1:1:2 with the first cell locked at 400 -> the other 600 split 1:2
    assert SB_ALLOCATE(1000.0, [[1.0], [1.0], [2.0]], None, [[400.0], [None], [""]]) == [[400.0], [200.0], [400.0]]
    assert SB_ALLOCATE(1000.0, [[1.0], [1.0]], None, [[600.0], [500.0]]) == \
        "SB_ALLOCATE: locked amounts 1100.0 exceed the total 1000.0"
    assert SB_ALLOCATE(1000.0, [[1.0], [1.0]], None, [[600.0]]) == "SB_ALLOCATE: locked: 1 cells for 2 weights"


def test_seasonalize_a_million_at_cents_reconciles():
    out = SB_SEASONALIZE(1_000_000.0, [[1 / 12]] * 12, 0.01)
    assert [r[0] for r in out] == [83_333.34] * 4 + [83_333.33] * 8
