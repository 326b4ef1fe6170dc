"""Credited actuals: deals numbered in order of appearance split their amounts exactly as deals numbered in
sorted order (``split_groups`` splits each group on its own), and each node's actuals are its rows summed."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from salesbook.engines.allocation import split_groups
from salesbook.engines.targets.actuals import Numbered, _deal_groups, actual_matrix
from salesbook.engines.targets.plan import Tier


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


def _summed_by_text(tier, keys, act, overlays, value):
    """Each node's actuals per month as a person would sum them: the rows whose key texts are the node's."""
    a = act if overlays else act[~act["overlay"].astype(bool)]
    out = np.zeros((len(tier.frame), 12))
    for i, node in enumerate(tier.frame[keys].itertuples(index=False)):
        mine = np.ones(len(a), dtype=bool)
        for k, v in zip(keys, node, strict=True):
            column = a[k].astype(object)
            mine &= (column.isna() if pd.isna(v) else column.eq(v)).to_numpy()
        for j in range(12):
            out[i, j] = np.nansum(a[value].to_numpy(dtype=float)[mine & (a["j"].to_numpy() == j)])
    return out


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 300), overlays=st.booleans(),
       depth=st.integers(1, 3))
def test_each_nodes_actuals_are_the_rows_with_its_keys_summed_by_month(seed, n, overlays, depth):
    rng = np.random.default_rng(seed)
    lines, regions, reps = ["HW", "SW", None], ["E", "W", np.nan], ["R1", "R2", "R3", "R4"]
    act = pd.DataFrame({"product_line": rng.choice(np.array(lines, dtype=object), n),
                        "region_id": rng.choice(np.array(regions, dtype=object), n),
                        "rep_id": rng.choice(np.array(reps, dtype=object), n), "j": rng.integers(0, 12, n),
                        "amount": np.where(rng.random(n) < 0.1, np.nan, np.round(rng.uniform(-500, 5000, n), 2)),
                        "overlay": rng.random(n) < 0.2})
    keys = ["product_line", "region_id", "rep_id"][:depth]
    # nodes: some with actuals, one that has none ("XX"), one listed twice
    nodes = pd.DataFrame({"product_line": ["HW", "SW", None, "XX", "HW"], "region_id": ["E", "W", np.nan, "E", "E"],
                          "rep_id": ["R1", "R2", "R3", "R1", "R1"]})[keys]
    tier = Tier(frame=nodes, units=np.zeros(len(nodes)), months=np.zeros((len(nodes), 12)), expl=[], method="")
    numbered = Numbered(act)
    for value_overlays in (overlays, not overlays):   # the same numbering serves every sum
        got = actual_matrix(tier, keys, act, value_overlays, "amount", numbered)
        assert np.allclose(got, _summed_by_text(tier, keys, act, value_overlays, "amount"), rtol=0, atol=1e-6)
    assert (got[3] == 0).all() and (got[0] == got[4]).all()
