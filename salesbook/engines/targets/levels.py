"""One level of the hierarchy applied to every node of the level above: children, weights, the exact split,
the wording, and an '(unassigned)' child for what nobody can carry."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesbook.engines.targets.plan import (
    UNASSIGNED,
    Level,
    PlanData,
    Tier,
    children,
    level_shares,
    match_adjustments,
    split_level,
)
from salesbook.engines.targets.seasons import season_rows
from salesbook.engines.targets.text import money, say


def node_name(frame: pd.DataFrame, i: int, path: list[str]) -> str:
    return " / ".join(str(frame.at[i, d]) for d in path) or "company"


def split_tier(prev: Tier, path: list[str], lv: Level, depth: int, dims: list[str], data: PlanData,
               adj: pd.DataFrame, season: dict, av, freed: str, u: float, lang: str) -> tuple[Tier, list]:
    """Split every node of ``prev`` over its children at this level."""
    dim = lv.dimension
    kids = children(prev.frame, path, dim, data)
    parent = kids["parent"].to_numpy()
    share, how = level_shares(kids, path, lv, data)
    fx = match_adjustments(adj, kids, dims, depth, u)
    weights = share * (1.0 + fx.growth)
    totals = np.floor(prev.units * (1.0 + lv.padding) + 0.5).astype(np.int64) if lv.padding else prev.units.copy()
    real = (kids[dim] != UNASSIGNED).to_numpy()
    leftover_extra = np.zeros(len(totals), dtype=np.int64)
    carry = np.ones(len(kids))
    if dim == "rep_id":
        pos = kids["rep_id"].map(pd.Series(np.arange(len(data.sellers)), index=data.sellers["rep_id"])).to_numpy()
        has = real & ~pd.isna(pos)
        s = season_rows(kids, season)
        own = av.share[np.where(has, pos, 0).astype(int)] if len(av.share) else np.zeros_like(s)  # no sellers at all
        carry = np.where(has, (s * own).sum(axis=1), 1.0)
        if freed == "redistribute":
            weights = weights * carry
            fixed = ~np.isnan(fx.locked) | ~np.isnan(fx.lo)
            stuck = (np.bincount(parent, weights=weights, minlength=len(totals)) <= 0) & (
                np.bincount(parent, weights=fixed.astype(float), minlength=len(totals)) == 0)
            leftover_extra[stuck] = totals[stuck]  # nobody here can carry anything this year
            totals = np.where(stuck, 0, totals)
    names = [node_name(prev.frame, p, path) for p in range(len(prev.units))]
    units, leftover, notes, pinned = split_level(totals, parent, weights, fx, names, u, lang)
    leftover += leftover_extra
    expl = [[h] for h in how]
    for k in np.flatnonzero(fx.growth != 0):
        expl[k].append(say(lang, "growth", g=fx.growth[k]))
    for k, extra in enumerate(notes):
        expl[k].extend(extra)
    pieces: list = []
    if dim == "rep_id":
        partial = real & (carry < 1 - 1e-12)
        for k in np.flatnonzero(partial):
            expl[k].append(say(lang, "carries", a=carry[k]))
        if freed == "unassigned":
            keep = ~pinned & partial  # a locked or bounded amount is what the rep carries
            carried = np.where(keep, np.floor(units * carry + 0.5).astype(np.int64), units)
            loose = units - carried
            for k in np.flatnonzero(loose):
                expl[k].append(say(lang, "freed", amt=money(loose[k] * u)))
            np.add.at(leftover, parent, loose)
            units = carried
            idx = np.flatnonzero(loose)
            rows = s[idx] * (1 - av.share[pos[idx].astype(int)])
            pieces = [(parent[idx], loose[idx], rows)]
    if lv.padding:
        for e in expl:
            e.append(say(lang, "padding", p=lv.padding))
    kids, units, expl, pieces = add_unassigned(kids, units, expl, leftover, dim, pieces, lang)
    return Tier(kids, units, np.zeros((len(units), 12), np.int64), [say(lang, "sep").join(e) for e in expl], lv.method,
                lv.padding), pieces


def add_unassigned(kids: pd.DataFrame, units: np.ndarray, expl: list[list[str]], leftover: np.ndarray, dim: str,
                    pieces: list, lang: str) -> tuple[pd.DataFrame, np.ndarray, list[list[str]], list]:
    """Put each parent's leftover on its '(unassigned)' child (created if needed); return freed pieces by child."""
    parent = kids["parent"].to_numpy()
    existing = {int(p): int(k) for k, p in zip(np.flatnonzero((kids[dim] == UNASSIGNED).to_numpy()),
                                              parent[(kids[dim] == UNASSIGNED).to_numpy()], strict=True)}
    need = [p for p in np.flatnonzero(leftover) if p not in existing]
    if need:
        first = kids.drop_duplicates("parent").set_index("parent")
        extra = first.loc[need].reset_index()
        extra[dim] = UNASSIGNED
        kids = pd.concat([kids, extra[kids.columns]], ignore_index=True)
        units = np.concatenate([units, np.zeros(len(need), dtype=np.int64)])
        key = "unassigned" if pieces else "all_fixed"
        expl = expl + [[say(lang, key)] for _ in need]
        existing.update({int(p): len(parent) + i for i, p in enumerate(need)})
    target = np.array([existing.get(int(p), -1) for p in range(len(leftover))])
    has = leftover != 0
    np.add.at(units, target[has], leftover[has])
    order = np.argsort(kids["parent"].to_numpy(), kind="stable")
    new_pos = np.empty(len(order), dtype=np.int64)
    new_pos[order] = np.arange(len(order))
    mapped = [(new_pos[target[p]], n, w) for p, n, w in pieces]
    kids = kids.iloc[order].reset_index(drop=True)
    return kids, units[order], [expl[i] for i in order], mapped
