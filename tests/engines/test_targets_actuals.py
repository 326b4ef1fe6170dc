"""Deals numbered in order of appearance split their amounts exactly as deals numbered in sorted order:
``split_groups`` splits each group on its own."""

from __future__ import annotations

import numpy as np

from salesbook.engines.allocation import split_groups
from salesbook.engines.targets.actuals import _deal_groups


def test_deal_groups_split_as_sorted_groups():
    rng = np.random.default_rng(9)
    n = 20_000
    ids = rng.choice([f"D{k:05d}" for k in range(6_000)], n).astype(object)
    shares = rng.choice([0.5, 1 / 3, 0.25, 0.2, 1.0, 0.0], n)
    amounts = np.round(rng.uniform(-5_000, 50_000, n), 2)

    groups, first = _deal_groups(ids)
    sorted_ids, sorted_first = np.unique(ids.astype(str), return_index=True)
    sorted_groups = np.searchsorted(sorted_ids, ids.astype(str))
    assert len(first) == len(sorted_ids) and (ids[first] == sorted_ids[sorted_groups[first]]).all()
    # each group's first line is the same line either way (the one whose amount is the deal's)
    assert sorted(first.tolist()) == sorted(sorted_first.tolist())
    cents = np.rint(amounts[first] / 0.01).astype(np.int64)
    sorted_cents = np.rint(amounts[sorted_first] / 0.01).astype(np.int64)
    got = split_groups(cents, groups, shares)
    want = split_groups(sorted_cents, sorted_groups, shares)
    assert (got == want).all()
    assert (np.bincount(groups, weights=got) == cents).all()   # every deal adds back to the cent


def test_ids_that_are_not_all_text_are_told_apart_by_their_text():
    groups, first = _deal_groups(np.array(["7", 7, 7.0, "7.0", None], dtype=object))
    assert groups.tolist() == [0, 0, 1, 1, 2] and first.tolist() == [0, 2, 4]


def test_rep_keys_as_python_strings_are_the_numpy_text():
    import pandas as pd

    from salesbook.engines.targets.review import _text

    for column in (pd.Series(["R1", None, "R2", "R1"]), pd.Series(["R1", np.nan, 7, "x\x00"], dtype=object),
                   pd.Series([], dtype=object), pd.Series([3, 4])):
        want = column.astype(str).to_numpy().astype(str)
        got = _text(column)
        assert got.dtype == object and got.tolist() == want.tolist()
