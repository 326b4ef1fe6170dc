"""Months of the plan: each leaf's exact months, then one controlled rounding of every node's months.

A leaf's exact month is its year x its monthly weight / the sum of its weights, where the weight is the
seasonality of its product line times, for a rep, the share of a full month the rep can carry (hire,
leave, ramp); a locked month is fixed and the other months share the rest; target freed by a rep goes to
the unassigned node in the months the rep does not carry it.  A parent's exact month is the sum of its
children's exact months: when every node below shares one profile that is the parent's year x its own
seasonality (the company's months from the company's seasonality), and when children follow different
profiles (product lines with their own seasonality, reps hired mid-year) the parent follows its children.

Rounding all of them at once (``controlled_round``) keeps every row on its year, every parent's month
the sum of its children's, and every month within one rounding unit of its exact value: the company
month of a 12,000,000.00 target with a 6% season is 720,000.00, however many reps share it.
A padded level is the one place children do not add up to their parent: there the parent's months
follow its children's shape, scaled to its own year, and each side is rounded on its own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesbook.engines.controlled import controlled_round
from salesbook.engines.targets.plan import PlanData, Tier, match_month_locks
from salesbook.engines.targets.seasons import season_rows
from salesbook.engines.targets.text import money, say
from salesbook.errors import InputError, problem


def _spread(total: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(n, 12) exact parts of each total by its row of weights (a row of zeros spreads evenly)."""
    w = np.array(weights, dtype=float)
    s = w.sum(axis=1)
    w[s <= 0] = 1.0
    return np.asarray(total, dtype=float)[:, None] * (w / w.sum(axis=1, keepdims=True))


def leaf_exact(leaf: Tier, dims: list[str], data: PlanData, season: dict, av, pieces: list, lang: str,
               month_adj: pd.DataFrame, u: float, node_name) -> np.ndarray:
    """(n, 12) exact months of the last level's nodes (see the module docstring)."""
    s = season_rows(leaf.frame, season)
    w = np.array(s, dtype=float)
    direct = leaf.units.copy()
    for target, n, _ in pieces:
        np.subtract.at(direct, target, n)
    if dims and dims[-1] == "rep_id":
        pos = leaf.frame["rep_id"].map(pd.Series(np.arange(len(data.sellers)), index=data.sellers["rep_id"]))
        has = pos.notna().to_numpy()
        idx = pos[has].astype(int).to_numpy()
        w[has] = s[has] * av.share[idx]
        dead = has & (w.sum(axis=1) <= 0) & (direct != 0)
        w[dead] = s[dead]
        for k in np.flatnonzero(dead):
            leaf.expl[k] = f"{leaf.expl[k]}{say(lang, 'sep')}{say(lang, 'absent_lock')}"
    exact = _spread(direct, w)
    if len(month_adj):
        leaf.month_locks = match_month_locks(month_adj, leaf.frame, dims, u)
        _apply_month_locks(leaf, exact, direct, w, s, dims, u, node_name)
    for target, n, rows in pieces:
        np.add.at(exact, target, _spread(n, rows))
    return exact


def _apply_month_locks(leaf: Tier, exact: np.ndarray, direct: np.ndarray, w: np.ndarray, s: np.ndarray,
                       dims: list[str], u: float, node_name) -> None:
    locks = leaf.month_locks
    problems = []
    for i in np.flatnonzero(~np.isnan(locks).all(axis=1)):
        fixed = ~np.isnan(locks[i])
        rest = int(direct[i]) - int(locks[i][fixed].sum())
        free = np.flatnonzero(~fixed)
        if rest < 0 or (not len(free) and rest):
            problems.append(problem("locked months of {node} total {l}, but its year is {t}.",
                                    "{node} 锁定月份合计 {l}，而全年目标为 {t}。", table="TargetAdjustments",
                                    column="month", node=node_name(leaf.frame, i, dims),
                                    l=money(locks[i][fixed].sum() * u), t=money(direct[i] * u)))
            continue
        row = np.zeros(12)
        row[fixed] = locks[i][fixed]
        if len(free):
            wf = w[i, free] if w[i, free].sum() > 0 else s[i, free] if s[i, free].sum() > 0 else np.ones(len(free))
            row[free] = rest * wf / wf.sum()
        exact[i] = row
    if problems:
        raise InputError(problems)


def round_months(tiers: list[Tier], exact_leaf: np.ndarray, season_of) -> None:
    """Every tier's months (in place): one controlled rounding of the whole hierarchy.

    ``season_of(tier)`` gives a tier's own seasonality rows, used only for a padded parent whose children
    have nothing to shape its months by.
    """
    exact = [None] * len(tiers)
    exact[-1] = exact_leaf
    for d in range(len(tiers) - 1, 0, -1):  # parents' exact months: their children's, scaled where padded
        child, par = tiers[d], tiers[d - 1]
        sums = np.zeros((len(par.units), 12))
        np.add.at(sums, child.frame["parent"].to_numpy(), exact[d])
        if child.padding:
            kid_total = np.bincount(child.frame["parent"].to_numpy(), weights=child.units.astype(float),
                                    minlength=len(par.units))
            shape = np.where(kid_total[:, None] > 0, sums, season_of(par))
            exact[d - 1] = _spread(par.units, shape)
        else:
            exact[d - 1] = sums
    parent, totals, rows, where = [], [], [], []
    start = 0
    for d, tier in enumerate(tiers):
        n = len(tier.units)
        if d == 0:
            up = np.full(n, -1)
        else:
            p = tier.frame["parent"].to_numpy()
            if tier.padding:  # a root per padded parent holding its children: their months add up to it
                owners = np.unique(p)
                k = len(owners)
                parent.append(np.full(k, -1))
                totals.append(np.bincount(p, weights=tier.units, minlength=len(tiers[d - 1].units))[owners]
                              .round().astype(np.int64))
                rows.append(np.zeros((k, 12)))
                start += k
                up = start - k + np.searchsorted(owners, p)
            else:
                up = where[d - 1] + p
        parent.append(up)
        totals.append(tier.units.astype(np.int64))
        rows.append(exact[d])
        where.append(start)
        start += n
    months = controlled_round(np.concatenate(parent), np.concatenate(totals), np.vstack(rows))
    for d, tier in enumerate(tiers):
        tier.months = months[where[d]: where[d] + len(tier.units)]
