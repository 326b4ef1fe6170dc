"""After the split: reconciliation of every node, target vs credited actuals (variance, and to date) and
the bottom-up commitments gap, in money and, where levels are targeted in units, in units."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesbook.engines.money import largest_remainder, to_decimal
from salesbook.engines.targets.actuals import Numbered, actual_matrix
from salesbook.engines.targets.plan import DIMENSIONS, UNASSIGNED, Tier
from salesbook.engines.targets.seasons import month_labels
from salesbook.engines.targets.text import money, say
from salesbook.errors import InputError, Problem, problem

METRICS = ["target", "actual", "achievement", "variance", "target_to_date", "actual_to_date", "achievement_to_date",
           "variance_to_date", "commitment", "gap"]
REVIEW_COLUMNS = ["rep_id", "measure", "product_line", "period", *METRICS, "explanation"]
VARIANCE_COLUMNS = ["level", "measure", *DIMENSIONS, "period", *METRICS, "explanation"]
CHECK_COLUMNS = ["level", "measure", *DIMENSIONS, "target", "children_total", "months_total", "difference",
                 "explanation"]


def decimals(u: float) -> int:
    return max(0, -to_decimal(u).normalize().as_tuple().exponent)


def _keys(tier: Tier) -> dict[str, object]:
    return {d: tier.frame[d].astype(object).to_numpy() if d in tier.frame else None for d in DIMENSIONS}


def check_table(tiers: list[Tier], u: float, lang: str, measure: str = "amount", first: int = 0) -> pd.DataFrame:
    """Out_TargetCheck: each node's target against its children's total and its months' total.

    ``first`` is the level of ``tiers[0]`` (units start below an amount level)."""
    dec = decimals(u)
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
        frames.append(pd.DataFrame({"level": first + depth, "measure": measure, **_keys(tier),
                                    "target": np.round(tier.units * u, dec), "children_total": kids_total,
                                    "months_total": np.round(months * u, dec), "difference": difference,
                                    "explanation": text}))
    return pd.concat(frames, ignore_index=True)[CHECK_COLUMNS]


def commitments_of(leaf: Tier, dims: list[str], commitments: pd.DataFrame, u: float) -> tuple[np.ndarray, np.ndarray]:
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


def to_date(values: np.ndarray, upto: int) -> np.ndarray:
    """Fiscal-year-to-date sums of an (n, 17) table of FY, 12 months, 4 quarters (or (n, 13) without
    quarters): a month or quarter row to its own end, the FY row through the ``upto`` first months."""
    run = np.cumsum(values[:, 1:13], axis=1)
    out = np.empty_like(values, dtype=float)
    out[:, 1:13] = run
    out[:, 0] = run[:, upto - 1] if upto > 0 else 0.0
    if values.shape[1] == 17:
        out[:, 13:] = run[:, [2, 5, 8, 11]]
    return out


def to_date_words(lang: str, labels: list[str], upto: int, with_quarters: bool) -> np.ndarray:
    """What each period's to-date columns cover, for the explanation."""
    first = labels[0]
    fy = say(lang, "to_date", a=first, b=labels[upto - 1]) if upto > 0 else say(lang, "to_date_none")
    words = [fy, *(say(lang, "to_date", a=first, b=m) for m in labels)]
    if with_quarters:
        words += [say(lang, "to_date", a=first, b=labels[q]) for q in (2, 5, 8, 11)]
    return np.array(words, dtype=object)


def _measures(target: np.ndarray, actual: np.ndarray, upto: int) -> dict[str, np.ndarray]:
    """Target, actual, achievement and variance (actual - target), for the period and to date."""
    tt, at = to_date(target, upto), to_date(actual, upto)
    with np.errstate(invalid="ignore", divide="ignore"):
        ach = np.where(target > 0, actual / np.where(target > 0, target, 1), np.nan)
        ach_td = np.where(tt > 0, at / np.where(tt > 0, tt, 1), np.nan)
    return {"target": target, "actual": actual, "achievement": ach, "variance": actual - target,
            "target_to_date": tt, "actual_to_date": at, "achievement_to_date": ach_td, "variance_to_date": at - tt}


def variance_table(tiers: list[Tier], dims: list[str], months: list[pd.Timestamp], u: float, act: pd.DataFrame,
                   commitments: pd.DataFrame | None, lang: str, targets: pd.DataFrame, upto: int,
                   measure: str = "amount", first: int = 0,
                   numbered: Numbered | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Out_TargetReview rows (reps, for the reviews) and Out_TargetVariance rows (every node x period) of
    one measure.  ``targets`` is that measure's part of Out_Targets, in the same node x period order.
    Commitments are money, so only the amount measure has them. ``numbered``: ``act`` numbered once for
    both measures (``actuals.Numbered``)."""
    dec = decimals(u)
    value = "amount" if measure == "amount" else "quantity"
    places = 2 if measure == "amount" else 4
    commit: list[np.ndarray | None] = [None] * len(tiers)
    cover: list[np.ndarray] = [np.zeros(0)] * len(tiers)
    count: list[np.ndarray] = [np.zeros(0)] * len(tiers)
    if measure == "amount" and commitments is not None and len(commitments):
        commit[-1], cover[-1] = commitments_of(tiers[-1], dims, commitments, u)
        count[-1] = (tiers[-1].frame["rep_id"] != UNASSIGNED).to_numpy().astype(np.int64)
        for depth in range(len(tiers) - 1, 0, -1):
            parent = tiers[depth].frame["parent"].to_numpy()
            n_up = len(tiers[depth - 1].units)
            commit[depth - 1], cover[depth - 1], count[depth - 1] = (
                np.bincount(parent, weights=x, minlength=n_up).round().astype(np.int64)
                for x in (commit[depth], cover[depth], count[depth]))
    labels = month_labels(months)
    span = to_date_words(lang, labels, upto, True)
    acts, comms, texts = [], [], []
    leaf_rep = bool(dims) and dims[-1] == "rep_id"
    numbered = numbered if numbered is not None else Numbered(act)
    for depth, tier in enumerate(tiers):
        n = len(tier.units)
        rep_tier = depth == len(tiers) - 1 and leaf_rep
        a = actual_matrix(tier, dims[: first + depth], act, bool(rep_tier), value, numbered)
        acts.append(np.column_stack([a.sum(axis=1), a, a.reshape(n, 4, 3).sum(axis=2)]))
        c = np.full((n, 17), np.nan)
        key = ("actual_overlay" if rep_tier else "actual") if measure == "amount" else (
            "units_overlay" if rep_tier else "units")
        sep = say(lang, "sep")
        expl = np.tile(np.array([f"{say(lang, key)}{sep}{w}" for w in span], dtype=object), (n, 1))
        if commit[depth] is not None:
            some = cover[depth] > 0
            c[some, 0] = commit[depth][some] * u
            expl[some, 0] = [f"{say(lang, 'commit', c=money(x * u), t=money(y * u), k=k, n=m)}{sep}{expl[0, 0]}"
                             for x, y, k, m in zip(commit[depth][some], tier.units[some], cover[depth][some],
                                                   count[depth][some], strict=True)]
        comms.append(c)
        texts.append(expl)
    out = targets[["level", "measure", *DIMENSIONS, "period", "target"]].copy().reset_index(drop=True)
    t = out["target"].to_numpy(dtype=float).reshape(-1, 17)
    cols = _measures(t, np.round(np.vstack(acts), places), upto)
    for name, arr in cols.items():
        out[name] = np.round(arr.ravel(), 6 if name.startswith("achievement") else max(places, dec))
    c = np.vstack(comms)
    out["commitment"] = c.ravel()
    out["gap"] = (c - t).ravel()
    out["explanation"] = pd.Series(np.vstack(texts).ravel(), dtype=object)
    last = None if commit[-1] is None else np.where(cover[-1] > 0, commit[-1], -1)
    review = _rep_review(tiers[-1], dims, labels, u, act, last, dec, lang, upto, measure, places)
    return review, out[VARIANCE_COLUMNS]


def _rep_review(leaf: Tier, dims: list[str], labels: list[str], u: float, act: pd.DataFrame,
                commit: np.ndarray | None, dec: int, lang: str, upto: int, measure: str,
                places: int) -> pd.DataFrame:
    """Per rep, months and FY, actuals including overlay credit: in money all product lines together, in
    units one row per product line (units of different lines do not add up)."""
    if not dims or dims[-1] != "rep_id":
        return pd.DataFrame(columns=REVIEW_COLUMNS)
    f = leaf.frame
    reps = f["rep_id"].astype(object).to_numpy()
    real = reps != UNASSIGNED
    by_line = measure != "amount" and "product_line" in f
    lines = f["product_line"].astype(object).to_numpy() if by_line else np.full(len(f), None, dtype=object)
    joined = reps[real].astype(str) if not by_line else np.char.add(np.char.add(reps[real].astype(str), "\x00"),
                                                                      lines[real].astype(str))
    code, uniq_keys = pd.factorize(joined, sort=True)
    first = np.zeros(len(uniq_keys), dtype=np.int64)
    first[code[::-1]] = np.flatnonzero(real)[::-1]
    rep_col, line_col = reps[first], lines[first]
    n = len(uniq_keys)
    t = np.zeros((n, 13), dtype=np.int64)
    np.add.at(t, code, np.column_stack([leaf.units[real], leaf.months[real]]))
    a = np.zeros((n, 13))
    value = "amount" if measure == "amount" else "quantity"
    if len(act):
        if by_line:
            act_reps = act["rep_id"].astype(str).to_numpy().astype(str)
            act_keys = np.char.add(np.char.add(act_reps, "\x00"), act["product_line"].astype(str).to_numpy().astype(str))
        else:  # the same text as Python strings: an index of numpy text makes a Python string per row to look one up
            act_keys = _text(act["rep_id"])
        ac = pd.Index(uniq_keys.astype(object)).get_indexer(act_keys)
        ok = ac >= 0
        np.add.at(a, (ac[ok], act["j"].to_numpy(dtype=int)[ok] + 1), act[value].to_numpy(dtype=float)[ok])
        a[:, 0] = a[:, 1:].sum(axis=1)
    c = np.full((n, 13), np.nan)
    if commit is not None:  # -1 marks a rep node without a commitment
        cc = np.zeros(n, dtype=np.int64)
        mine = commit[real]
        np.add.at(cc, code, np.maximum(mine, 0))
        some = np.bincount(code, weights=(mine >= 0).astype(float), minlength=n) > 0
        c[some, 0] = cc[some] * u
    target = np.round(t * u, dec)
    cols = _measures(target, np.round(a, places), upto)
    key = "actual_overlay" if measure == "amount" else "units_overlay"
    span = to_date_words(lang, labels, upto, False)
    out = pd.DataFrame({"rep_id": np.repeat(rep_col, 13), "measure": measure, "product_line": np.repeat(line_col, 13),
                        "period": np.tile(np.array(["FY", *labels], dtype=object), n)})
    for name, arr in cols.items():
        out[name] = np.round(arr.ravel(), 6 if name.startswith("achievement") else max(places, dec))
    out["commitment"] = c.ravel()
    out["gap"] = (c - target).ravel()
    out["explanation"] = np.tile(np.array([f"{say(lang, key)}{say(lang, 'sep')}{s}" for s in span], dtype=object), n)
    return out[REVIEW_COLUMNS]


def _text(column: pd.Series) -> np.ndarray:
    """``column.astype(str).to_numpy().astype(str)`` as an object array of Python strings: a blank reads "nan",
    and trailing NUL characters are dropped as numpy's fixed-width text drops them."""
    texts = column.astype(str)
    if len(texts) and texts.str.endswith("\x00").any():   # asked of the texts before they are Python strings
        texts = texts.str.rstrip("\x00")
    return texts.to_numpy(dtype=object, na_value="nan")
