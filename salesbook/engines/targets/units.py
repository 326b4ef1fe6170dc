"""Targets in units: from the first level whose measure is quantity, each node also gets a unit target.

The money plan runs through every level as it does without units (and still adds up to the cent).  At
the first quantity level, each node of the level above turns its money target into units at its average
selling price: its History sales divided by its History quantity over the prior year (else the trailing
12 months), or, without quantities, the mean list price of its products.  The units are rounded to the
quantity rounding unit and then split down the quantity levels like money is: by each level's method,
history shares counted in units, growth uplifts, padding, hires, leavers and ramp; locks, minimums and
maximums are amounts of money and stay with the money plan.  Months are rounded as one grid, as for money.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from salesbook.engines.money import round_array
from salesbook.engines.targets.levels import node_name, split_tier
from salesbook.engines.targets.months import leaf_exact, round_months
from salesbook.engines.targets.plan import Level, PlanData, Tier
from salesbook.engines.targets.seasons import season_rows
from salesbook.engines.targets.text import money, say
from salesbook.errors import InputError, problem
from salesbook.messages import items, sheet_name


def first_quantity_level(levels: tuple[Level, ...]) -> int | None:
    """Position of the first level targeted in units (levels below it are too), None without one."""
    return next((i for i, lv in enumerate(levels) if lv.measure == "quantity"), None)


def unit_prices(tier: Tier, path: list[str], data: PlanData, lang: str) -> tuple[np.ndarray, list[str]]:
    """Each node's average selling price (NaN where there is none) and how it was found."""
    n = len(tier.units)
    price = np.full(n, np.nan)
    basis = [""] * n
    hist = data.hist
    if "quantity" in hist:
        for window in ("prior_year", "trailing_12m"):
            start, end = data.windows[window]
            h = hist[(hist["period"] >= start) & (hist["period"] < end)]
            h = h.assign(quantity=pd.to_numeric(h["quantity"], errors="coerce"))
            h = h[h["quantity"].notna()]
            if path:
                by = h.groupby(path, observed=True, dropna=True)[["amount", "quantity"]].sum().reset_index()
                for k in path:
                    by[k] = by[k].astype(object)
                sums = tier.frame[path].astype(object).merge(by, on=path, how="left")[["amount", "quantity"]]
                amount, qty = sums["amount"].to_numpy(dtype=float), sums["quantity"].to_numpy(dtype=float)
            else:
                amount, qty = np.full(n, h["amount"].sum()), np.full(n, h["quantity"].sum())
            ok = np.isnan(price) & (qty > 0) & (amount > 0)
            price[ok] = amount[ok] / qty[ok]
            for k in np.flatnonzero(ok):
                basis[k] = say(lang, "price_history", when=say(lang, f"when_{window}"), amt=money(round(amount[k], 2)),
                               q=money(round(qty[k], 4)))
    products = data.products
    active = products["active"].fillna(True).astype(bool) if "active" in products else pd.Series(True, products.index)
    listed = products[active.to_numpy()]
    listed = listed.assign(unit_price=pd.to_numeric(listed.get("unit_price"), errors="coerce"))
    listed = listed[listed["unit_price"] > 0]
    by_line = listed.groupby(listed["product_line"].astype(str))["unit_price"].mean()
    for k in np.flatnonzero(np.isnan(price)):
        line = tier.frame.at[k, "product_line"] if "product_line" in path else None
        p = by_line.get(str(line), np.nan) if line is not None else (listed["unit_price"].mean() if len(listed)
                                                                     else np.nan)
        if p > 0:
            price[k] = p
            basis[k] = say(lang, "price_list")
    return price, basis


def quantity_tiers(tiers: list[Tier], first: int, levels: tuple[Level, ...], dims: list[str], data: PlanData,
                   adj: pd.DataFrame, season: dict, av, freed: str, u: float, uq: float,
                   lang: str) -> list[Tier]:
    """The unit plan: the money nodes above level ``first`` converted to units, then split down."""
    top = tiers[first]
    path = dims[:first]
    price, basis = unit_prices(top, path, data, lang)
    amount = top.units * u
    missing = np.flatnonzero(np.isnan(price) & (top.units != 0))
    if len(missing):
        names = [node_name(top.frame, k, path) for k in missing]
        raise InputError(problem(
            "no price to turn the target of {nodes} into units: give quantities in sheet '{h}' for the prior year "
            "or unit prices in sheet '{p}'.",
            "无法把 {nodes} 的目标换算为数量：请在工作表“{h}”中填写上年数量，或在工作表“{p}”中填写单价。",
            table="TargetLevels", row=levels[first].row, column="measure", nodes=items(names),
            h=sheet_name("History"), p=sheet_name("Products")))
    units = np.where(top.units != 0, np.rint(round_array(amount / np.where(np.isnan(price), 1, price), uq) / uq), 0)
    units = units.astype(np.int64)
    expl = [say(lang, "converted", amt=money(a), p=money(round(p, 2)), basis=b, q=money(q * uq)) if t else
            say(lang, "converted", amt=money(0), p="-", basis="-", q="0")
            for a, p, b, q, t in zip(amount, price, basis, units, top.units != 0, strict=True)]
    root = Tier(top.frame.drop(columns="parent", errors="ignore").reset_index(drop=True), units,
                np.zeros((len(units), 12), np.int64), expl, "price")
    counted = dataclasses.replace(data, hist=data.hist.assign(amount=pd.to_numeric(
        data.hist["quantity"], errors="coerce").fillna(0.0) if "quantity" in data.hist else 0.0))
    money_only = adj.copy()
    for col in ("locked", "min_amount", "max_amount"):
        money_only[col] = np.nan
    out = [root]
    pieces: list = []
    for depth in range(first, len(levels)):
        tier, pieces = split_tier(out[-1], dims[:depth], levels[depth], depth, dims, counted, money_only, season, av,
                                  freed, uq, lang)
        tier.expl = [f"{e}{say(lang, 'sep')}{say(lang, 'in_units')}" for e in tier.expl]
        out.append(tier)
    exact = leaf_exact(out[-1], dims, counted, season, av, pieces, lang, pd.DataFrame(), uq, node_name)
    round_months(out, exact, lambda tier: season_rows(tier.frame, season))
    return out

