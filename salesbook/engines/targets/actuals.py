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


def actual_matrix(tier: Tier, keys: list[str], act: pd.DataFrame, overlays: bool, value: str) -> np.ndarray:
    """(n, 12) credited actuals (``value``: amount or quantity) of each node of a tier, matched on its keys."""
    n = len(tier.units)
    a = act if overlays else act[~act["overlay"].astype(bool)]
    if a.empty:
        return np.zeros((n, 12))
    if not keys:
        return np.bincount(a["j"].to_numpy(dtype=int), weights=a[value].to_numpy(dtype=float), minlength=12)[None, :]
    wide = a.groupby([*keys, "j"], dropna=False)[value].sum().unstack("j").reindex(columns=range(12)).fillna(0.0)
    wide = wide.reset_index()
    merged = tier.frame[keys].astype(object).merge(wide, on=keys, how="left")
    return merged[list(range(12))].fillna(0.0).to_numpy(dtype=float)
