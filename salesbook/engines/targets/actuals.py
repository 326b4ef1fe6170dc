"""Credited actuals of the plan year: booked deals split over the reps they credit, in money and in units."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesbook.engines.allocation import split_groups
from salesbook.engines.commissions import credit_lines
from salesbook.engines.money import round_array
from salesbook.engines.targets.plan import PlanData, Tier

COLUMNS = ["rep_id", "region_id", "product_line", "j", "amount", "quantity", "overlay"]
CENT = 0.01


def credited(deals: pd.DataFrame | None, credits: pd.DataFrame | None, data: PlanData,
             months: list[pd.Timestamp]) -> pd.DataFrame:
    """Booked deals in the plan year, one row per credited rep: rep, region, product line, month, amount,
    quantity, overlay.

    Credits are read as the commission engine reads them (a deal without Credits rows credits 100% to its
    owner; non-overlay shares total 100%; overlay rows add on top).  A deal's amount is split over its
    non-overlay shares to the cent by largest remainder, so the credited parts add back to the deal; its
    quantity is split by the same shares and may be fractional (half of 3 units is 1.5).
    """
    if deals is None or deals.empty:
        return pd.DataFrame(columns=COLUMNS)
    d = deals.copy()
    if "quantity" not in d:
        d["quantity"] = np.nan
    if "status" not in d:
        d["status"] = "booked"
    lines = credit_lines(d[["deal_id", "date", "rep_id", "product_id", "amount", "quantity", "status"]], credits)
    lines = lines[(lines["status"].fillna("booked") == "booked").to_numpy()]
    when = pd.to_datetime(lines["date"])
    j = (when.dt.year * 12 + when.dt.month - (months[0].year * 12 + months[0].month)).to_numpy()
    lines = lines[(j >= 0) & (j < 12)].assign(j=j[(j >= 0) & (j < 12)]).reset_index(drop=True)
    share = lines["credit_share"].to_numpy(dtype=float)
    overlay = lines["overlay"].to_numpy(dtype=bool)
    amount = lines["amount"].to_numpy(dtype=float)
    split = np.zeros(len(lines))
    main = np.flatnonzero(~overlay)
    if len(main):
        groups, first = _deal_groups(lines["deal_id"].astype(object).to_numpy()[main])
        cents = np.rint(amount[main][first] / CENT).astype(np.int64)
        split[main] = split_groups(cents, groups, share[main]) * CENT
    split[overlay] = round_array(amount[overlay] * share[overlay], CENT)
    qty = pd.to_numeric(lines["quantity"], errors="coerce").fillna(0.0).to_numpy(dtype=float) * share
    out = pd.DataFrame({"rep_id": lines["rep_id"].astype(object), "product_id": lines["product_id"],
                        "j": lines["j"].to_numpy(dtype=int), "amount": np.round(split, 2), "quantity": qty,
                        "overlay": overlay})
    out = out.merge(data.products[["product_id", "product_line"]].drop_duplicates("product_id"), on="product_id",
                    how="left")
    out["region_id"] = out["rep_id"].map(data.reps.drop_duplicates("rep_id").set_index("rep_id")["region_id"])
    for k in ("rep_id", "region_id", "product_line"):
        out[k] = out[k].astype(object)
    return out[COLUMNS]


def _deal_groups(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each line's deal as a group number (deals told apart by their text), and each group's first line.
    Numbered in order of appearance: ``split_groups`` splits each group on its own, whatever its number."""
    if pd.api.types.infer_dtype(ids, skipna=False) != "string":
        ids = ids.astype(str)
    groups, uniques = pd.factorize(ids)
    first = np.empty(len(uniques), dtype=np.int64)
    first[groups[::-1]] = np.arange(len(groups) - 1, -1, -1)
    return groups.astype(np.int64), first


class Numbered:
    """The credited actuals (``credited``'s table) with each key column numbered once, a blank its own number.

    Why: every tier of the review sums the actuals over its keys, in money and in units (six times for a
    product -> region -> rep plan), and grouping the 500,000 credited lines by their texts each time was most of
    the review's time; numbered once, each sum groups integers. The sums are pandas' own group sums, over the
    same rows in the same order, so they are the same to the last bit."""

    def __init__(self, act: pd.DataFrame):
        self.act = act
        self._keys: dict[str, tuple[np.ndarray, pd.Index]] = {}
        self._rows: dict[bool, np.ndarray] = {}

    def key(self, name: str) -> tuple[np.ndarray, pd.Index]:
        """Each row's number in column ``name`` and the values numbered."""
        if name not in self._keys:
            codes, values = pd.factorize(self.act[name].astype(object), use_na_sentinel=False)
            self._keys[name] = (codes.astype(np.int64), pd.Index(values, dtype=object))
        return self._keys[name]

    def rows(self, overlays: bool) -> np.ndarray:
        """The rows a sum takes: all of them, or those that are not overlay credit."""
        if overlays not in self._rows:
            self._rows[overlays] = (np.arange(len(self.act)) if overlays
                                    else np.flatnonzero(~self.act["overlay"].astype(bool).to_numpy()))
        return self._rows[overlays]


def actual_matrix(tier: Tier, keys: list[str], act: pd.DataFrame, overlays: bool, value: str,
                  numbered: Numbered | None = None) -> np.ndarray:
    """(n, 12) credited actuals (``value``: amount or quantity) of each node of a tier, matched on its keys;
    ``numbered``: the same ``act`` numbered already (``Numbered``), for a caller summing it more than once."""
    n = len(tier.units)
    numbered = numbered if numbered is not None else Numbered(act)
    rows = numbered.rows(overlays)
    if len(rows) == 0:
        return np.zeros((n, 12))
    j = act["j"].to_numpy(dtype=np.int64)[rows]
    weights = act[value].to_numpy(dtype=float)[rows]
    if not keys:
        return np.bincount(j, weights=weights, minlength=12)[None, :]
    coded = [numbered.key(k) for k in keys]
    sizes = [len(values) for _, values in coded]
    group = np.ravel_multi_index([codes[rows] for codes, _ in coded], sizes)
    sums = pd.Series(weights).groupby(group * 12 + j).sum()   # blanks (NaN) add nothing, as they always did
    cell = sums.index.to_numpy()
    groups, at = np.unique(cell // 12, return_inverse=True)
    wide = np.zeros((len(groups), 12))
    wide[at, cell % 12] = sums.to_numpy()
    found = [values.get_indexer(tier.frame[k].astype(object)) for k, (_, values) in zip(keys, coded, strict=True)]
    known = np.logical_and.reduce([f >= 0 for f in found])
    node = np.ravel_multi_index([np.where(known, f, 0) for f in found], sizes)
    where = np.where(known, pd.Index(groups).get_indexer(node), -1)
    return np.where((where >= 0)[:, None], wide[np.maximum(where, 0)], 0.0)
