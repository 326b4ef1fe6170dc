"""After the split: reconciliation of every node, target vs credited actuals, bottom-up commitments gap."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesbook.engines.money import largest_remainder, round_array, to_decimal
from salesbook.engines.targets.plan import DIMENSIONS, UNASSIGNED, PlanData, Tier
from salesbook.engines.targets.seasons import month_labels
from salesbook.engines.targets.text import money, say
from salesbook.errors import InputError, Problem, problem

REVIEW_COLUMNS = ["rep_id", "period", "target", "actual", "achievement", "commitment", "gap", "explanation"]
VARIANCE_COLUMNS = ["level", *DIMENSIONS, "period", "target", "actual", "achievement", "commitment", "gap",
                    "explanation"]


def _decimals(u: float) -> int:
    return max(0, -to_decimal(u).normalize().as_tuple().exponent)


def _keys(tier: Tier) -> dict[str, object]:
    return {d: tier.frame[d].astype(object).to_numpy() if d in tier.frame else None for d in DIMENSIONS}


def check_table(tiers: list[Tier], dims: list[str], u: float, lang: str) -> pd.DataFrame:
    """Out_TargetCheck: each node's target against its children's total and its months' total."""
    dec = _decimals(u)
    frames = []
    for depth, tier in enumerate(tiers):
        n = len(tier.units)
        months = tier.months.sum(axis=1)
        if depth + 1 < len(tiers):
            child = tiers[depth + 1]
            kids = np.zeros(n, dtype=np.int64)
            np.add.at(kids, child.frame["parent"].to_numpy(), child.units)
            diff = kids - tier.units
            text = [say(lang, "exact") if d == 0 else say(lang, "padded", r=k / t, p=child.padding)
                    if child.padding and t else say(lang, "leftover", amt=money(-d * u))
                    for d, k, t in zip(diff, kids, tier.units, strict=True)]
            kids_total, difference = np.round(kids * u, dec), np.round(diff * u, dec)
        else:
            kids_total = difference = np.full(n, np.nan)
            text = [say(lang, "months_ok") if m == t else say(lang, "leftover", amt=money((t - m) * u))
                    for m, t in zip(months, tier.units, strict=True)]
        frames.append(pd.DataFrame({"level": depth, **_keys(tier), "target": np.round(tier.units * u, dec),
                                    "children_total": kids_total, "months_total": np.round(months * u, dec),
                                    "difference": difference, "explanation": text}))
    return pd.concat(frames, ignore_index=True)


def credited(deals: pd.DataFrame | None, credits: pd.DataFrame | None, data: PlanData,
             months: list[pd.Timestamp]) -> pd.DataFrame:
    """Booked deals in the plan year, one row per credited rep: rep, region, product line, month, amount, overlay.

    A deal without Credits rows credits 100% to its owner; with rows, each rep gets amount x share,
    and overlay rows add on top (they count for the rep, not again for the region or company).
    """
    cols = ["rep_id", "region_id", "product_line", "j", "amount", "overlay"]
    if deals is None or deals.empty:
        return pd.DataFrame(columns=cols)
    status = deals["status"].fillna("booked") if "status" in deals else pd.Series("booked", index=deals.index)
    d = deals[(status == "booked").to_numpy()][["deal_id", "date", "rep_id", "product_id", "amount"]].copy()
    when = pd.to_datetime(d["date"])
    d["j"] = (when.dt.year * 12 + when.dt.month - (months[0].year * 12 + months[0].month)).to_numpy()
    d = d[(d["j"] >= 0) & (d["j"] < 12)]
    d["overlay"] = False
    if credits is not None and len(credits):
        c = credits[["deal_id", "rep_id", "share"]].assign(
            overlay=credits["overlay"].fillna(False).astype(bool) if "overlay" in credits else False)
        split = d.drop(columns=["rep_id", "overlay"]).merge(c, on="deal_id")
        split["amount"] = round_array(split["amount"].to_numpy(dtype=float) * split["share"].to_numpy(dtype=float))
        d = pd.concat([d[~d["deal_id"].isin(c["deal_id"])], split.drop(columns=["share"])], ignore_index=True)
    d = d.merge(data.products[["product_id", "product_line"]].drop_duplicates("product_id"), on="product_id",
                how="left")
    d["region_id"] = d["rep_id"].map(data.reps.drop_duplicates("rep_id").set_index("rep_id")["region_id"])
    for k in ("rep_id", "region_id", "product_line"):
        d[k] = d[k].astype(object)
    return d[cols]


def _actual_matrix(tier: Tier, keys: list[str], act: pd.DataFrame, overlays: bool) -> np.ndarray:
    """(n, 12) credited actuals of each node of a tier, matched on the node's keys."""
    n = len(tier.units)
    a = act if overlays else act[~act["overlay"].astype(bool)]
    if a.empty:
        return np.zeros((n, 12))
    if not keys:
        return np.bincount(a["j"].to_numpy(dtype=int), weights=a["amount"].to_numpy(dtype=float),
                           minlength=12)[None, :]
    wide = a.groupby([*keys, "j"], dropna=False)["amount"].sum().unstack("j").reindex(columns=range(12)).fillna(0.0)
    wide = wide.reset_index()
    merged = tier.frame[keys].astype(object).merge(wide, on=keys, how="left")
    return merged[list(range(12))].fillna(0.0).to_numpy(dtype=float)


def _commitments(leaf: Tier, dims: list[str], commitments: pd.DataFrame, u: float) -> tuple[np.ndarray, np.ndarray]:
    """Commitment units per rep node (and which nodes have one); a row without a product line is spread
    over the rep's nodes like the rep's targets."""
    out = np.zeros(len(leaf.units), dtype=np.int64)
    has = np.zeros(len(leaf.units), dtype=np.int64)
    if "rep_id" not in dims:
        raise InputError(problem("commitments need a rep level in the hierarchy.",
                                 "对比代表承诺需要分解到代表层级。", table="Commitments", column="rep_id"))
    f = leaf.frame
    by_rep = pd.Series(np.arange(len(f))).groupby(f["rep_id"].astype(object).to_numpy()).apply(list).to_dict()
    lines = f["product_line"].astype(object).to_numpy() if "product_line" in f else None
    problems: list[Problem] = []
    has_line = "product_line" in commitments
    for row, rep, amount, line in zip(commitments.index, commitments["rep_id"], commitments["amount"],
                                      commitments["product_line"] if has_line else [None] * len(commitments),
                                      strict=True):
        nodes = by_rep.get(rep, [])
        if line is not None and not pd.isna(line) and lines is not None:
            nodes = [i for i in nodes if lines[i] == line]
        if not nodes:
            problems.append(problem("rep {r} has no target in this plan{l}; check the rep id, dates and role.",
                                    "代表 {r} 在本次分解中没有目标{l}；请检查编号、日期与岗位。", table="Commitments",
                                    row=row, column="rep_id", r=rep,
                                    l=f" ({line})" if line is not None and not pd.isna(line) else ""))
            continue
        w = leaf.units[nodes].astype(float)
        units = int(np.floor(float(amount) / u + 0.5 + 1e-9))
        out[nodes] += largest_remainder(units, w if w.sum() > 0 else np.ones(len(nodes)))
        has[nodes] = 1
    if problems:
        raise InputError(problems)
    return out, has


def review_tables(tiers: list[Tier], dims: list[str], months: list[pd.Timestamp], u: float, data: PlanData,
                  deals: pd.DataFrame | None, credits: pd.DataFrame | None, commitments: pd.DataFrame | None,
                  lang: str, targets: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Out_TargetReview (rep x month, for the reviews) and Out_TargetVariance (every node x period).

    ``targets`` is Out_Targets, whose rows are in the same node x period order: its keys are reused.
    """
    dec = _decimals(u)
    act = credited(deals, credits, data, months)
    commit: list[np.ndarray | None] = [None] * len(tiers)
    cover: list[np.ndarray] = [np.zeros(0)] * len(tiers)
    count: list[np.ndarray] = [np.zeros(0)] * len(tiers)
    if commitments is not None and len(commitments):
        commit[-1], cover[-1] = _commitments(tiers[-1], dims, commitments, u)
        count[-1] = (tiers[-1].frame["rep_id"] != UNASSIGNED).to_numpy().astype(np.int64)
        for depth in range(len(tiers) - 1, 0, -1):
            parent = tiers[depth].frame["parent"].to_numpy()
            n_up = len(tiers[depth - 1].units)
            commit[depth - 1], cover[depth - 1], count[depth - 1] = (
                np.bincount(parent, weights=x, minlength=n_up).round().astype(np.int64)
                for x in (commit[depth], cover[depth], count[depth]))
    acts, comms, texts = [], [], []
    for depth, tier in enumerate(tiers):
        n = len(tier.units)
        rep_tier = depth == len(tiers) - 1 and dims and dims[-1] == "rep_id"
        a = _actual_matrix(tier, dims[:depth], act, overlays=bool(rep_tier))
        acts.append(np.column_stack([a.sum(axis=1), a, a.reshape(n, 4, 3).sum(axis=2)]).ravel())
        c = np.full((n, 17), np.nan)
        expl = np.empty((n, 17), dtype=object)
        expl[:] = say(lang, "actual_overlay" if rep_tier else "actual")
        if commit[depth] is not None:
            some = cover[depth] > 0
            c[some, 0] = commit[depth][some] * u
            expl[some, 0] = [f"{say(lang, 'commit', c=money(x * u), t=money(y * u), k=k, n=m)}{say(lang, 'sep')}{expl[0, 0]}"
                             for x, y, k, m in zip(commit[depth][some], tier.units[some], cover[depth][some],
                                                   count[depth][some], strict=True)]
        comms.append(c.ravel())
        texts.append(expl.ravel())
    variance = targets[["level", *DIMENSIONS, "period", "target"]].copy()
    t = variance["target"].to_numpy()
    a = np.round(np.concatenate(acts), 2)
    c = np.concatenate(comms)
    with np.errstate(invalid="ignore", divide="ignore"):
        variance["actual"] = a
        variance["achievement"] = np.where(t > 0, a / np.where(t > 0, t, 1), np.nan)
    variance["commitment"] = c
    variance["gap"] = c - t
    variance["explanation"] = pd.Series(np.concatenate(texts), dtype=object, index=variance.index)
    last = None if commit[-1] is None else np.where(cover[-1] > 0, commit[-1], -1)
    return _rep_review(tiers[-1], dims, months, u, act, last, dec, lang), variance


def _rep_review(leaf: Tier, dims: list[str], months: list[pd.Timestamp], u: float, act: pd.DataFrame,
                commit: np.ndarray | None, dec: int, lang: str) -> pd.DataFrame:
    """Per rep (all product lines together): months and FY, actuals including overlay credit."""
    if not dims or dims[-1] != "rep_id":
        return pd.DataFrame(columns=REVIEW_COLUMNS)
    reps = leaf.frame["rep_id"].astype(object).to_numpy()
    real = reps != UNASSIGNED
    code, uniq = pd.factorize(reps[real], sort=True)
    n = len(uniq)
    t = np.zeros((n, 13), dtype=np.int64)
    np.add.at(t, code, np.column_stack([leaf.units[real], leaf.months[real]]))
    a = np.zeros((n, 13))
    if len(act):
        ac = pd.Index(uniq).get_indexer(act["rep_id"].astype(object))
        ok = ac >= 0
        np.add.at(a, (ac[ok], act["j"].to_numpy(dtype=int)[ok] + 1), act["amount"].to_numpy(dtype=float)[ok])
        a[:, 0] = a[:, 1:].sum(axis=1)
    c = np.full((n, 13), np.nan)
    if commit is not None:  # -1 marks a rep node without a commitment
        cc = np.zeros(n, dtype=np.int64)
        mine = commit[real]
        np.add.at(cc, code, np.maximum(mine, 0))
        some = np.bincount(code, weights=(mine >= 0).astype(float), minlength=n) > 0
        c[some, 0] = cc[some] * u
    target = np.round(t * u, dec)
    with np.errstate(invalid="ignore", divide="ignore"):
        ach = np.where(target > 0, a / np.where(target > 0, target, 1), np.nan)
    labels = np.array(["FY", *month_labels(months)], dtype=object)
    return pd.DataFrame({"rep_id": np.repeat(uniq.astype(object), 13), "period": np.tile(labels, n),
                         "target": target.ravel(), "actual": np.round(a, 2).ravel(), "achievement": ach.ravel(),
                         "commitment": c.ravel(), "gap": (c - target).ravel(),
                         "explanation": say(lang, "actual_overlay")})
