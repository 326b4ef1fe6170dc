"""Output sheets of the decomposition: the long Out_Targets form and the printable rep x month sheet."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesbook.engines.money import to_decimal
from salesbook.engines.targets.plan import DIMENSIONS, UNASSIGNED, PlanData, Tier
from salesbook.engines.targets.seasons import month_labels, quarter_labels, season_codes
from salesbook.engines.targets.text import money, say


def long_form(tiers: list[Tier], dims: list[str], months: list[pd.Timestamp], u: float, lang: str, data: PlanData,
              season: dict, av, measure: str = "amount", first: int = 0) -> pd.DataFrame:
    """Out_Targets: per level, per node: FY, 12 months, 4 quarters; built column-wise with numpy.

    ``first`` is the level of ``tiers[0]`` (a unit plan starts below the money levels)."""
    labels = np.array(["FY", *month_labels(months), *quarter_labels(months)], dtype=object)
    decimals = max(0, -to_decimal(u).normalize().as_tuple().exponent)
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("level", *DIMENSIONS, "target", "share", "method",
                                                          "explanation")}
    for depth, tier in enumerate(tiers):
        n = len(tier.units)
        q = tier.months.reshape(n, 4, 3).sum(axis=2)
        parts["level"].append(np.full(n * 17, first + depth, dtype=np.int64))
        for d in DIMENSIONS:
            parts[d].append(np.repeat(tier.frame[d].astype(object).to_numpy(), 17) if d in tier.frame
                            else np.full(n * 17, None, dtype=object))
        parts["target"].append(np.round(np.column_stack([tier.units, tier.months, q]).ravel() * u, decimals))
        share = np.full((n, 17), np.nan)
        if depth:
            par = tiers[depth - 1].units[tier.frame["parent"].to_numpy()]
            with np.errstate(invalid="ignore", divide="ignore"):
                share[:, 0] = np.where(par != 0, tier.units / np.where(par != 0, par, 1), np.nan)
        parts["share"].append(share.ravel())
        leaf = depth == len(tiers) - 1
        method = np.empty((n, 17), dtype=object)
        method[:, 0], method[:, 1:13], method[:, 13:] = tier.method, "season" if leaf else "sum", "sum"
        expl = np.empty((n, 17), dtype=object)
        expl[:, 0], expl[:, 13:] = tier.expl, say(lang, "quarter")
        expl[:, 1:13] = month_text(tier, dims, data, season, av, lang, u) if leaf else say(lang, "sum")
        parts["method"].append(method.ravel())
        parts["explanation"].append(expl.ravel())
    n_rows = sum(len(x) for x in parts["level"])
    cols = {k: pd.Series(np.concatenate(v), dtype=object if k in (*DIMENSIONS, "method", "explanation") else None,
                         copy=False) for k, v in parts.items()}
    cols["period"] = pd.Series(np.tile(labels, n_rows // 17), dtype=object)
    cols["measure"] = pd.Series(np.full(n_rows, measure, dtype=object), copy=False)
    return pd.DataFrame(cols, copy=False)[["level", "measure", *DIMENSIONS, "period", "target", "share", "method",
                                           "explanation"]]


def month_text(leaf: Tier, dims: list[str], data: PlanData, season: dict, av, lang: str, u: float) -> np.ndarray:
    """(n, 12) explanation of each leaf month: the node's reasons, its season share, ramp or proration."""
    table, code = season_codes(leaf.frame, season)
    sep = say(lang, "sep")
    words = np.array([[f"{sep}{say(lang, 'season', pct=f'{x:.1%}')}" for x in row] for row in table], dtype=object)
    text = np.array(leaf.expl, dtype=object)[:, None] + words[code]
    if dims and dims[-1] == "rep_id" and len(data.sellers):  # without sellers every rep node is unassigned
        pos = leaf.frame["rep_id"].map(pd.Series(np.arange(len(data.sellers)), index=data.sellers["rep_id"]))
        has = pos.notna().to_numpy()
        p = np.where(has, pos.fillna(0).astype(int).to_numpy(), 0)
        for i, j in zip(*np.nonzero(has[:, None] & (av.share[p] < 1)), strict=True):
            r = p[i]
            parts = []
            if av.share[r, j] <= 0:
                parts.append(say(lang, "off"))
            else:
                if av.ramp[r, j] < 1:
                    parts.append(say(lang, "ramp", r=av.ramp[r, j], m=int(av.tenure[r, j])))
                if av.employed[r, j] < 1:
                    parts.append(say(lang, "active", d=int(av.active_days[r, j]), n=int(av.days[j])))
            text[i, j] = f"{text[i, j]}{sep}{sep.join(parts)}"
    if leaf.month_locks is not None:
        for i, j in zip(*np.nonzero(~np.isnan(leaf.month_locks)), strict=True):
            text[i, j] = f"{text[i, j]}{sep}{say(lang, 'locked', amt=money(leaf.month_locks[i, j] * u))}"
    return text


def wide_form(leaf: Tier, dims: list[str], data: PlanData, u: float, lang: str) -> pd.DataFrame:
    """Rep x month, one row per rep (summed over product lines); unassigned per region; for printing."""
    cols = ["rep_id", "name", "region_id", *(f"m{i:02d}" for i in range(1, 13)), "total", "explanation"]
    if not dims or dims[-1] != "rep_id":
        return pd.DataFrame(columns=cols)
    decimals = max(0, -to_decimal(u).normalize().as_tuple().exponent)
    f = leaf.frame
    reps = f["rep_id"].astype(object).to_numpy()
    by_rep = data.sellers.drop_duplicates("rep_id").set_index("rep_id")
    region = (f["region_id"].astype(object).to_numpy() if "region_id" in f
              else pd.Series(reps).map(by_rep["region_id"]).astype(object).to_numpy())
    real = reps != UNASSIGNED
    # one row per rep, and one '(unassigned)' row per region; reps first, in order of appearance
    row_key = np.where(real, reps, UNASSIGNED + "\x00" + region.astype(str))
    code, uniq = pd.factorize(row_key)
    order = np.concatenate([np.flatnonzero(~pd.Index(uniq).str.startswith(UNASSIGNED)),
                            np.flatnonzero(pd.Index(uniq).str.startswith(UNASSIGNED))])
    units = np.zeros((len(uniq), 12), dtype=np.int64)
    np.add.at(units, code, leaf.months)
    # why: the rep's row is the sum of their leaf nodes, e.g. "HW 300,000 + SW 100,000"
    pieces: list[list[str]] = [[] for _ in range(len(uniq))]
    if "product_line" in f:  # one leaf per product line: name each part
        for c, lab, x in zip(code, f["product_line"].astype(str), leaf.units, strict=True):
            pieces[c].append(f"{lab} {money(x * u)}")
    else:  # one leaf per rep: its own reasons
        for c, text in zip(code, leaf.expl, strict=True):
            pieces[c].append(text)
    first = np.zeros(len(uniq), dtype=np.int64)
    first[code[::-1]] = np.arange(len(code))[::-1]
    rep = np.where(real[first], reps[first], UNASSIGNED)
    out = pd.DataFrame({"rep_id": pd.Series(rep, dtype=object),
                        "name": pd.Series(rep, dtype=object).map(by_rep["name"]).where(real[first], say(lang, "nobody")),
                        "region_id": pd.Series(region[first], dtype=object)})
    month_cols = [f"m{i:02d}" for i in range(1, 13)]
    out[month_cols] = np.round(units * u, decimals)
    out["total"] = np.round(units.sum(axis=1) * u, decimals)
    out["explanation"] = [" + ".join(p) for p in pieces]
    return out.iloc[order].reset_index(drop=True)[cols]
