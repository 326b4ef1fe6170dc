"""KPI weights (manual, AHP, entropy, CRITIC, blends) and weighted scorecards with ratings and bonus.

Formulas:
- AHP: principal right eigenvector of the reciprocal judgement matrix; lambda_max; CI = (lambda_max - n)
  / (n - 1); CR = CI / RI(n) with Saaty's random index (Saaty, T. L., "The Analytic Hierarchy Process",
  McGraw-Hill 1980: RI = 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49 for n = 1..10, extended
  to 15 with 1.51, 1.48, 1.56, 1.57, 1.59).  CR >= 0.10 is inconsistent.
- Entropy weight method (熵权法): p_ij = x_ij / sum_i x_ij on min-max normalised data, e_j = -sum p ln p
  / ln m, w_j = (1 - e_j) / sum (1 - e).
- CRITIC (Diakoulaki, Mavrotas & Papayannakis 1995): C_j = sigma_j * sum_k (1 - r_jk), w = C / sum C.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesbook.engines.kpi.bonus import BonusRules, annual_targets, apply_factors, compute_bonus, load_factors
from salesbook.engines.kpi.fiscal import month_key, period_bounds, period_key
from salesbook.engines.money import MAX_EXACT_UNITS
from salesbook.engines.rowtext import format_rows, join_nonempty
from salesbook.errors import InputError, Problem, problem, row_number
from salesbook.messages import MessageError, Words, choice_label, choice_name, reason, sheet_name

SAATY_RI = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)
CR_LIMIT = 0.10


class MatrixError(MessageError):
    """A judgement matrix that is not square, positive and reciprocal."""


def _role(role: object) -> Words:
    """A role level as the book names it (销售代表 for rep ...)."""
    return Words(str(role), choice_label("Reps", "role", role, "zh"))


def _method(method: str, lang: str) -> str:
    """A weighting method as the book names it (熵权法 for entropy ...)."""
    return choice_label("WeightMethods", "method", method, lang)


@dataclass(frozen=True)
class AHPResult:
    weights: np.ndarray
    lambda_max: float
    ci: float
    cr: float
    worst: tuple[int, int] | None   # the judgement that contributes most to the inconsistency

    @property
    def consistent(self) -> bool:
        return self.cr < CR_LIMIT


def ahp(matrix: Sequence[Sequence[float]] | np.ndarray, *, tolerance: float = 1e-3) -> AHPResult:
    """AHP weights and consistency of a pairwise comparison matrix (a_ij = importance of i over j)."""
    try:
        a = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError) as exc:
        raise MatrixError("matrix holds text or blanks; every cell must be a positive number",
                          "判断矩阵中有文字或空白；每个单元格都必须是正数") from exc
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise MatrixError("matrix is not square ({r}x{c})", "判断矩阵不是方阵（{r}x{c}）", r=a.shape[0],
                          c=a.shape[1] if a.ndim == 2 else 1)
    n = a.shape[0]
    if n == 0:
        raise MatrixError("matrix is empty", "判断矩阵为空")
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise MatrixError("every judgement must be a positive number (no zeros, blanks or negatives)",
                          "每个判断值都必须是正数（不能为零、空白或负数）")
    if not np.allclose(np.diag(a), 1.0, atol=tolerance):
        raise MatrixError("the diagonal must be 1 (each item compared with itself)", "对角线必须为 1（每项与自身比较）")
    bad = np.argwhere(np.abs(a * a.T - 1.0) > tolerance)
    if len(bad):
        i, j = bad[0]
        raise MatrixError("not reciprocal: a[{i},{j}] = {v:g} but a[{j},{i}] = {w:g} (should be {x:g})",
                          "不互为倒数：a[{i},{j}] = {v:g}，而 a[{j},{i}] = {w:g}（应为 {x:g}）", i=i + 1, j=j + 1,
                          v=a[i, j], w=a[j, i], x=1 / a[i, j])
    if n == 1:
        return AHPResult(np.array([1.0]), 1.0, 0.0, 0.0, None)
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    lam = float(values[k].real)
    ci = max((lam - n) / (n - 1), 0.0)
    ri = SAATY_RI[n - 1] if n <= len(SAATY_RI) else SAATY_RI[-1]
    cr = ci / ri if ri > 0 else 0.0
    dev = np.abs(np.log(a * w[None, :] / w[:, None]))
    np.fill_diagonal(dev, 0)
    i, j = np.unravel_index(int(np.argmax(dev)), dev.shape)
    worst = (int(min(i, j)), int(max(i, j))) if dev.max() > 1e-9 else None
    return AHPResult(w, lam, ci, cr, worst)


def _normalise(data: np.ndarray, lower_better: Sequence[bool] | None) -> np.ndarray:
    x = np.asarray(data, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 1:
        raise MatrixError("data needs at least 2 rows (reps) and 1 column (KPIs)",
                          "数据至少需要 2 行（代表）和 1 列（指标）")
    if not np.all(np.isfinite(x)):
        raise MatrixError("data holds blanks or text", "数据中有空白或文字")
    lo, hi = x.min(axis=0), x.max(axis=0)
    with np.errstate(over="ignore"):
        span = hi - lo
    if not np.all(np.isfinite(span)):  # values near the float limit: their halves cannot overflow (exact scaling)
        x, lo, hi = x / 2, lo / 2, hi / 2
        span = hi - lo
    z = (x - lo) / np.where(hi > lo, span, 1.0)
    if lower_better is not None:
        flip = np.asarray(lower_better, dtype=bool)
        z[:, flip] = 1.0 - z[:, flip]
    return z


def entropy_weights(data: Sequence[Sequence[float]] | np.ndarray | pd.DataFrame,
                    lower_better: Sequence[bool] | None = None) -> np.ndarray:
    """Entropy weights of the columns (criteria) of ``data`` (rows = reps or periods)."""
    z = _normalise(np.asarray(data, dtype=float), lower_better) + 1e-12  # keep ln defined for the minimum
    m = z.shape[0]
    p = z / z.sum(axis=0)
    e = -(p * np.log(p)).sum(axis=0) / np.log(m)
    d = np.clip(1.0 - e, 0.0, None)
    if d.sum() <= 0:
        return np.full(z.shape[1], 1.0 / z.shape[1])
    return d / d.sum()


def critic_weights(data: Sequence[Sequence[float]] | np.ndarray | pd.DataFrame,
                   lower_better: Sequence[bool] | None = None) -> np.ndarray:
    """CRITIC weights: contrast (standard deviation) times conflict (1 - correlation) per column."""
    z = _normalise(np.asarray(data, dtype=float), lower_better)
    sigma = z.std(axis=0, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.corrcoef(z, rowvar=False) if z.shape[1] > 1 else np.ones((1, 1))
    r = np.nan_to_num(np.atleast_2d(r), nan=0.0)
    c = sigma * (1.0 - r).sum(axis=0)
    if c.sum() <= 0:
        return np.full(z.shape[1], 1.0 / z.shape[1])
    return c / c.sum()


def kpi_score(actual: float | np.ndarray, target: float | np.ndarray, method: str = "linear", *,
              direction: str = "higher", floor: float = 0.0, cap: float = 1.2,
              threshold: float | np.ndarray | None = None, stretch: float | np.ndarray | None = None,
              threshold_score: float = 0.5, stretch_score: float | None = None,
              steps: Sequence[tuple[float, float]] = ()) -> np.ndarray:
    """Score as a fraction of target performance (1.0 = on target).

    linear: attainment (actual/target, or target/actual when lower is better), clipped to [floor, cap].
    ttsl:   threshold -> threshold_score, target -> 1.0, stretch -> stretch_score (default cap), linear
            between the points, 0 below threshold, stretch_score above stretch.
    step:   the score of the highest step whose minimum attainment is reached (steps: (attainment, score)).

    ``threshold`` is where scoring starts, for every method: a result short of it scores 0 (for linear
    and step scoring only when a threshold is given). It is a point on the actual's scale, as ``target``
    is (80 against a target of 100; for a lower-is-better KPI a result above it is short of it).
    """
    a = np.asarray(actual, dtype=float)
    t = np.asarray(target, dtype=float)
    lower = direction == "lower"
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # a huge ratio is clipped to the cap below
        att = np.where(lower, np.where(a > 0, t / a, cap), np.where(t != 0, a / t, np.nan))
    if method in ("linear", "step") and threshold is not None:
        th = np.asarray(threshold, dtype=float)
        with np.errstate(invalid="ignore"):
            short = np.where(lower, a > th, a < th) & ~np.isnan(th)
        return np.where(short, 0.0, kpi_score(a, t, method, direction=direction, floor=floor, cap=cap, steps=steps))
    if method == "linear":
        return np.clip(att, floor, cap)
    if method == "step":
        if not steps:
            raise ValueError("step scoring needs a step table")
        s = sorted(steps)
        mins = np.array([x for x, _ in s])
        scores = np.array([y for _, y in s])
        idx = np.searchsorted(mins, np.nan_to_num(att, nan=-np.inf), side="right") - 1
        return np.where(idx >= 0, scores[np.clip(idx, 0, None)], 0.0)
    if method == "ttsl":
        th = np.asarray(threshold if threshold is not None else 0.8 * t, dtype=float)
        st = np.asarray(stretch if stretch is not None else 1.2 * t, dtype=float)
        top = cap if stretch_score is None else stretch_score
        # work on a "higher is better" axis: negate for lower-is-better KPIs
        x, th_, t_, st_ = (-a, -th, -t, -st) if lower else (a, th, t, st)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            # how far along each segment x is (0..1 where the segment applies; clipped against float overflow)
            f_lo = np.clip((x - th_) / (t_ - th_), 0.0, 1.0)
            f_hi = np.clip((x - t_) / (st_ - t_), 0.0, 1.0)
        lo_seg = threshold_score + (1.0 - threshold_score) * f_lo
        hi_seg = 1.0 + (top - 1.0) * f_hi
        out = np.where(x < th_, 0.0, np.where(x < t_, lo_seg, np.where(x < st_, hi_seg, top)))
        return np.nan_to_num(out, nan=0.0)
    raise ValueError(f"unknown scoring method {method!r}; use linear, ttsl or step")


# -- scorecards -------------------------------------------------------------------------------------
TEXT = {
    "en": {"sep": "; ", "score": "{kpi}: {actual:,.2f} vs {target:,.2f} -> score {score:.0%} x weight {w:.1%}",
           "knockout": "knockout: {kpi} below threshold, lowest rating", "rating": "total {t:.1f} -> rating {r}",
           "short": " (attainment below the {th:.0%} threshold: scoring starts there, so 0)"},
    "zh": {"sep": "；", "score": "{kpi}：实际 {actual:,.2f} / 目标 {target:,.2f} -> 得分 {score:.0%} × 权重 {w:.1%}",
           "knockout": "一票否决：{kpi} 低于门槛，评为最低等级", "rating": "总分 {t:.1f} -> 评级 {r}",
           "short": "（达成率低于门槛 {th:.0%}：门槛起才计分，故得 0 分）"},
}


AGGREGATES = ("sum", "mean", "last")


def build_scorecards(actuals: pd.DataFrame, kpis: pd.DataFrame, weights: pd.DataFrame, reps: pd.DataFrame,
                     bands: pd.DataFrame, *, grain: str = "month", steps: pd.DataFrame | None = None,
                     lang: str = "en", start_month: int = 1, factors: pd.DataFrame | None = None,
                     rules: BonusRules | None = None, warnings: list[Problem] | None = None,
                     bonus_in_explanation: bool = True) -> pd.DataFrame:
    """One row per rep x period x KPI with the rep's total, rating, bonus factors and bonus on every row.

    ``weights``: role, kpi_id, weight (fractions summing to 1 per role).  ``kpis``: kpi_id, name, direction,
    method, threshold, stretch, floor, cap, critical, aggregate (sum, mean or last: how the months of a
    period make the period's actual and target).  ``bands``: rating, min_score, multiplier.  Bonus =
    annual target bonus (Reps.target_bonus, or salary x target_bonus_pct) x period share x KPI factor x
    company and business-unit factors (``factors``: PerformanceFactors) x share of the period employed,
    as ``rules`` say (see ``bonus``); ``bonus_formula`` writes it out.  A KPI whose attainment is short of
    its threshold scores 0, whatever its method (the threshold is where scoring starts).  Quarters and
    years are fiscal ones, starting in ``start_month``.  Findings that do not stop the run (a factor
    period without a factor ...) are added to ``warnings``.
    """
    T = TEXT["zh" if lang == "zh" else "en"]
    problems: list[Problem] = []
    k = kpis.set_index("kpi_id")
    a = actuals.merge(reps[["rep_id", "role"]], on="rep_id", how="left")
    a["period_key"] = period_key(a["period"], grain, start_month)
    a["_month"] = month_key(a["period"])
    agg = k.get("aggregate", pd.Series("sum", index=k.index)).reindex(a["kpi_id"]).fillna("sum").to_numpy()
    a["_agg"] = agg
    a = a.sort_values("_month", kind="stable")
    grp = a.groupby(["rep_id", "role", "period_key", "kpi_id"], dropna=False)
    rule = grp["_agg"].first().to_numpy()
    summed = grp[["actual", "target"]].sum(min_count=1)
    values = summed.where(np.repeat((rule == "sum")[:, None], 2, axis=1), grp[["actual", "target"]].mean())
    values = values.where(np.repeat((rule != "last")[:, None], 2, axis=1), grp[["actual", "target"]].last())
    g = values.reset_index()
    g = g.merge(weights[["role", "kpi_id", "weight"]], on=["role", "kpi_id"], how="inner")
    if g.empty:
        return pd.DataFrame(columns=SCORECARD_COLUMNS)
    kk = k.reindex(g["kpi_id"])
    direction = kk["direction"].fillna("higher").to_numpy()
    method = kk["method"].fillna("linear").to_numpy() if "method" in kk else np.full(len(g), "linear")
    _check_zero_targets(g, direction, method, actuals, grain, start_month)
    score = np.zeros(len(g))
    att = np.zeros(len(g))
    for m in sorted(pd.unique(method)):   # as np.unique gives them, without sorting every row
        for d in sorted(pd.unique(direction)):
            sel = (method == m) & (direction == d)
            if not sel.any():
                continue
            if m == "step":
                sid = g.loc[sel, "kpi_id"].iloc[0]
                table = steps[steps["kpi_id"] == sid] if steps is not None else pd.DataFrame()
                if table.empty:
                    problems.append(problem("KPI {k} uses step scoring but has no rows in sheet '{s}'.",
                                            "指标 {k} 使用阶梯计分，但工作表“{s}”中没有它的行。", table="KPIs",
                                            k=sid, s=sheet_name("KPISteps")))
                    continue
                for kid in g.loc[sel, "kpi_id"].unique():
                    s2 = sel & (g["kpi_id"].to_numpy() == kid)
                    tab = steps[steps["kpi_id"] == kid]
                    score[s2] = kpi_score(g.loc[s2, "actual"], g.loc[s2, "target"], "step", direction=d,
                                          steps=list(zip(tab["min_attainment"], tab["score"], strict=True)))
            else:
                cap = kk["cap"].to_numpy()[sel] if "cap" in kk else 1.2
                floor = kk["floor"].to_numpy()[sel] if "floor" in kk else 0.0
                cap = np.where(pd.isna(cap), 1.2, cap).astype(float)
                floor = np.where(pd.isna(floor), 0.0, floor).astype(float)
                if m == "ttsl":
                    th = _point(kk["threshold"].to_numpy()[sel], g.loc[sel, "target"], d)
                    st = _point(kk["stretch"].to_numpy()[sel], g.loc[sel, "target"], d)
                    score[sel] = kpi_score(g.loc[sel, "actual"], g.loc[sel, "target"], "ttsl", direction=d,
                                           threshold=th, stretch=st, cap=cap)
                else:
                    score[sel] = np.clip(kpi_score(g.loc[sel, "actual"], g.loc[sel, "target"], "linear",
                                                   direction=d, cap=1e9), floor, cap)
    with np.errstate(divide="ignore", invalid="ignore"):
        att = np.where(direction == "lower", g["target"] / g["actual"], g["actual"] / g["target"])
    if problems:
        raise InputError(problems)
    th_att = kk["threshold"].to_numpy().astype(float) if "threshold" in kk else np.full(len(g), np.nan)
    short = ~np.isnan(th_att) & (np.nan_to_num(att, nan=0.0) < th_att)   # scoring starts at the threshold
    score = np.where(short, 0.0, score)
    g["attainment"] = att
    g["score"] = score
    g["weighted_score"] = g["score"] * g["weight"] * 100.0
    names = kk["name"].to_numpy()
    crit = kk["critical"].fillna(False).to_numpy().astype(bool) if "critical" in kk else np.zeros(len(g), bool)
    knocked = crit & short
    scored = _score_texts(T, names, g["actual"], g["target"], score, g["weight"], short, th_att)   # rows as g
    g["name"] = names
    keys = ["rep_id", "period_key"]
    g["total"] = g.groupby(keys)["weighted_score"].transform("sum").round(4)
    g["_ko"] = pd.Series(knocked, index=g.index).groupby([g[k_] for k_ in keys]).transform("any")
    ko_name = pd.Series(np.where(knocked, names, None), index=g.index).groupby([g[k_] for k_ in keys]).transform("first")
    # the highest band whose minimum the total reaches; below every band (or no total) the lowest band
    b = bands.sort_values("min_score", kind="stable")
    lowest = b.iloc[0]
    total = g["total"].to_numpy(dtype=float)
    band = np.searchsorted(b["min_score"].to_numpy(dtype=float), np.nan_to_num(total, nan=-np.inf), side="right") - 1
    band = np.where(np.isnan(total), 0, np.clip(band, 0, None))
    g["rating"] = b["rating"].astype(str).to_numpy()[band]
    g["multiplier"] = b["multiplier"].to_numpy(dtype=float)[band]
    g.loc[g["_ko"], "rating"] = str(lowest["rating"])
    g.loc[g["_ko"], "multiplier"] = float(lowest["multiplier"])
    g["_ko_kpi"] = ko_name
    bonus = _bonus(g, reps, bands, grain, start_month, factors, rules or BonusRules(), warnings, lang)
    g = g.drop(columns=["multiplier"]).join(bonus)
    n = len(g)
    summary = format_rows(T["rating"], n, t=g["total"], r=g["rating"])
    ko = g["_ko"].to_numpy(dtype=bool)
    extra = np.full(n, "", dtype=object)
    extra[ko] = [T["knockout"].format(kpi=k) if k else "" for k in ko_name[ko]]
    parts = [scored, summary, extra, *([g["bonus_formula"]] if bonus_in_explanation else [])]
    g["explanation"] = join_nonempty(T["sep"], parts, n)
    reg = g["rep_id"].map(reps.set_index("rep_id")["region_id"])
    totals = g.drop_duplicates(keys)[[*keys, "total", "role"]].assign(region_id=reg)
    totals["rank_in_region"] = totals.groupby(["period_key", "region_id", "role"])["total"].rank(ascending=False, method="min")
    g = g.merge(totals[[*keys, "rank_in_region"]], on=keys, how="left")
    g = g.rename(columns={"period_key": "period"})
    return g[SCORECARD_COLUMNS].sort_values(["period", "rep_id", "kpi_id"], kind="stable").reset_index(drop=True)


def _score_texts(T: dict, names: np.ndarray, actual: pd.Series, target: pd.Series, score: np.ndarray,
                 weight: pd.Series, short: np.ndarray, th_att: np.ndarray) -> np.ndarray:
    """"KPI: actual / target -> score x weight" of every row, and why a short one scores 0 (a blank actual
    or target reads 0)."""
    n = len(names)
    ac, tg = actual.to_numpy(dtype=float, na_value=np.nan), target.to_numpy(dtype=float, na_value=np.nan)
    out = format_rows(T["score"], n, kpi=names, actual=np.where(np.isnan(ac), 0.0, ac),
                      target=np.where(np.isnan(tg), 0.0, tg), score=score, w=weight)
    if short.any():
        out[short] = out[short] + format_rows(T["short"], int(short.sum()), th=th_att[short])
    return out


def _bonus(g: pd.DataFrame, reps: pd.DataFrame, bands: pd.DataFrame, grain: str, start_month: int,
           factors: pd.DataFrame | None, rules: BonusRules, warnings: list[Problem] | None,
           lang: str) -> pd.DataFrame:
    """The bonus columns of every KPI row, worked out once per rep and period."""
    keys = ["rep_id", "period_key"]
    first = ~g.duplicated(keys)
    u = g.loc[first, [*keys, "total", "rating", "multiplier", "_ko", "_ko_kpi"]].rename(
        columns={"_ko": "knocked", "_ko_kpi": "knock_kpi"})
    lowest = bands.sort_values("min_score").iloc[0]
    u["lowest_rating"], u["lowest_multiplier"] = str(lowest["rating"]), float(lowest["multiplier"])
    u["emp_days"], u["period_days"] = _employed_days(u[keys], reps, grain, start_month)
    fac = apply_factors(u[keys], grain, start_month, reps, load_factors(factors), warnings)
    b = compute_bonus(u, grain, annual_targets(reps), fac, rules, lang)
    _check_bonus(b["bonus"], u, bands)
    b = b.assign(bonus=b["bonus_rounded"])[["multiplier", "company_factor", "unit_factor", "bonus", "bonus_formula"]]
    b.index = pd.MultiIndex.from_frame(u[keys])
    at = pd.MultiIndex.from_frame(g[keys])
    out = b.reindex(at)
    out.index = g.index
    return out


def _check_bonus(bonus: pd.Series, g: pd.DataFrame, bands: pd.DataFrame) -> None:
    """A bonus must be an amount that can be paid to the cent (float counts cents exactly up to 2**53)."""
    bad = ~(bonus.abs() * 100 <= MAX_EXACT_UNITS)
    if not bad.any():
        return
    i = int(np.flatnonzero(bad.to_numpy())[0])
    r = g.iloc[i]
    rows = bands.index[(bands["rating"].astype(str) == str(r["rating"])).to_numpy()]
    raise InputError(problem(
        "the bonus of rep {r} in {p} (rating {g}, multiplier {m:g}) is too large to pay to the cent; check the "
        "rating's bonus multiplier, the performance factors and the rep's target bonus.",
        "代表 {r} 在 {p} 的奖金（评级 {g}，系数 {m:g}）过大，无法精确到分；请检查该评级的奖金系数、业绩系数与代表的目标奖金。",
        table="RatingBands", row=row_number(rows[0]) if len(rows) else None,
        column="multiplier", r=r["rep_id"], p=r["period_key"], g=r["rating"], m=float(r["multiplier"])))


def _check_zero_targets(g: pd.DataFrame, direction: np.ndarray, method: np.ndarray, actuals: pd.DataFrame,
                        grain: str, start_month: int = 1) -> None:
    """Linear and step scores need attainment = actual / target, which a zero target of a higher-is-better KPI
    does not have (a lower-is-better KPI divides by the actual, and a zero actual there earns the cap)."""
    zero = (direction != "lower") & np.isin(method, ("linear", "step")) & (g["target"].to_numpy(dtype=float) == 0)
    if not zero.any():
        return
    keys = pd.DataFrame({"rep_id": actuals["rep_id"], "kpi_id": actuals["kpi_id"],
                         "period_key": period_key(actuals["period"], grain, start_month)}, index=actuals.index)
    problems = []
    for r in g[zero].itertuples():
        rows = keys.index[(keys["rep_id"] == r.rep_id) & (keys["kpi_id"] == r.kpi_id)
                          & (keys["period_key"] == r.period_key)]
        problems.append(problem(
            "the target of KPI {k} for rep {r} in {p} is 0, so attainment (actual / target) cannot be worked out; "
            "give a target, or score the KPI with ttsl (threshold / target / stretch).",
            "代表 {r} 在 {p} 的指标 {k} 目标为 0，无法计算达成率（实际 / 目标）；请填写目标，或改用门槛-目标-挑战计分。",
            table="Actuals", row=row_number(rows[0]) if len(rows) else None,
            column="target", k=r.kpi_id, r=r.rep_id, p=r.period_key))
    raise InputError(problems)


SCORECARD_COLUMNS = ["rep_id", "role", "period", "kpi_id", "name", "actual", "target", "attainment", "score", "weight",
                     "weighted_score", "total", "rating", "multiplier", "company_factor", "unit_factor", "bonus",
                     "bonus_formula", "rank_in_region", "explanation"]


def _point(ratio: np.ndarray, target: pd.Series, direction: str) -> np.ndarray:
    """A threshold or stretch given as attainment (0.8, 1.2) as a point on the actual's scale: ratio x target,
    or target / ratio for a lower-is-better KPI (whose attainment is target / actual)."""
    r = np.asarray(ratio, dtype=float)
    t = target.to_numpy(dtype=float)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # a point beyond the float range is never reached
        return t / r if direction == "lower" else r * t


def _employed_days(keys: pd.DataFrame, reps: pd.DataFrame, grain: str,
                   start_month: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Days of each period the rep was employed, and the period's days (hire/leave proration of the bonus)."""
    r = reps.set_index("rep_id")
    hire = pd.to_datetime(keys["rep_id"].map(r["hire_date"]))
    leave = pd.to_datetime(keys["rep_id"].map(r["leave_date"])) if "leave_date" in r else pd.Series(pd.NaT, index=keys.index)
    start, end = period_bounds(keys["period_key"], grain, start_month)
    start, end = pd.Series(start.to_numpy(), index=keys.index), pd.Series(end.to_numpy(), index=keys.index)
    # in whole days: a hire in 2261 against a period in 1900 is further apart than nanoseconds can count
    first = _days(np.maximum(start, hire.fillna(start)))
    last = _days(np.minimum(end, leave.fillna(end)))
    days = _days(end) - _days(start) + 1
    return np.clip(last - first + 1, 0, days).astype(float), days.astype(float)


def _days(dates: pd.Series) -> np.ndarray:
    return pd.to_datetime(dates).to_numpy().astype("datetime64[D]").astype(np.int64)


def role_weights(kpis: pd.DataFrame, manual: pd.DataFrame, methods: pd.DataFrame | None,
                 judgements: pd.DataFrame | None, actuals: pd.DataFrame, reps: pd.DataFrame,
                 lang: str = "en") -> pd.DataFrame:
    """Weights per role level by each role's method; returns role, kpi_id, weight, method, lambda_max, ci, cr, note."""
    problems: list[Problem] = []
    rows = []
    roles = sorted(set(manual["role"].dropna()) | (set(methods["role"].dropna()) if methods is not None else set()))
    direction = kpis.set_index("kpi_id")["direction"].fillna("higher")
    for role in roles:
        spec = methods[methods["role"] == role].iloc[0] if methods is not None and (methods["role"] == role).any() else None
        method = str(spec["method"]) if spec is not None else "manual"
        kp = manual.loc[manual["role"] == role, "kpi_id"].tolist()
        if not kp and judgements is not None:
            j = judgements[judgements["role"] == role]
            kp = sorted(set(j["kpi_a"]) | set(j["kpi_b"]))
        info = {"lambda_max": np.nan, "ci": np.nan, "cr": np.nan, "note": ""}

        ctx = _RoleContext(role, kp, manual, judgements, actuals, reps, direction, problems, info, lang)
        if method in ("manual", "ahp"):
            w = _subjective(method, ctx)
        elif method in ("entropy", "critic"):
            w = _objective(method, ctx)
        elif method == "blend":
            share = float(spec["subjective_share"]) if spec is not None and pd.notna(spec["subjective_share"]) else 0.5
            sm = str(spec["subjective"]) if spec is not None and pd.notna(spec["subjective"]) else "ahp"
            om = str(spec["objective"]) if spec is not None and pd.notna(spec["objective"]) else "entropy"
            w = share * _subjective(sm, ctx) + (1 - share) * _objective(om, ctx)
            mix = f"{share:.0%} {_method(sm, lang)} + {1 - share:.0%} {_method(om, lang)}"
            info["note"] = (info["note"] + ("；" if lang == "zh" else "; ") if info["note"] else "") + mix
        else:
            problems.append(problem("unknown weight method '{m}' for role {r}.", "岗位 {r} 的权重方法“{m}”未知。",
                                    table="WeightMethods", column="method", m=method, r=_role(role)))
            continue
        for kid, wt in zip(kp, w, strict=True):
            rows.append({"role": role, "kpi_id": kid, "weight": float(wt), "method": method, **info})
    if problems:
        raise InputError(problems)
    return pd.DataFrame(rows, columns=["role", "kpi_id", "weight", "method", "lambda_max", "ci", "cr", "note"])


@dataclass
class _RoleContext:
    role: str
    kp: list[str]
    manual: pd.DataFrame
    judgements: pd.DataFrame | None
    actuals: pd.DataFrame
    reps: pd.DataFrame
    direction: pd.Series
    problems: list[Problem]
    info: dict
    lang: str


def _subjective(m: str, c: _RoleContext) -> np.ndarray:
    if m == "manual":
        w = c.manual[c.manual["role"] == c.role].set_index("kpi_id")["weight"].reindex(c.kp).astype(float)
        total = w.sum()
        if abs(total - 1.0) > 1e-6:
            c.problems.append(problem("manual weights for role {r} total {t:.2%}, not 100%.",
                                      "岗位 {r} 的手工权重合计 {t:.2%}，不是 100%。", table="KPIWeights",
                                      column="weight", r=_role(c.role), t=total))
        return w.fillna(0).to_numpy()
    res = _ahp_for(c.role, c.kp, c.judgements, c.problems)
    if res is None:
        return np.full(len(c.kp), 1 / max(len(c.kp), 1))
    c.info.update(lambda_max=res.lambda_max, ci=res.ci, cr=res.cr)
    if not res.consistent:
        i, j = res.worst or (0, 1)
        c.info["note"] = (f"CR {res.cr:.3f} >= 0.10：判断不一致，最可能的是 {c.kp[i]} 与 {c.kp[j]} 的比较" if c.lang == "zh"
                          else f"CR {res.cr:.3f} >= 0.10: inconsistent; the {c.kp[i]} vs {c.kp[j]} judgement contributes most")
    return res.weights


def _objective(m: str, c: _RoleContext) -> np.ndarray:
    sub = c.actuals[c.actuals["rep_id"].isin(c.reps.loc[c.reps["role"] == c.role, "rep_id"])]
    wide = sub.pivot_table(index=["rep_id", "period"], columns="kpi_id", values="actual").reindex(columns=c.kp).dropna()
    if len(wide) < 2:
        c.problems.append(problem("role {r}: too few actuals to compute {m} weights.",
                                  "岗位 {r}：实际数据太少，无法计算{m}权重。", table="Actuals", r=_role(c.role),
                                  m=choice_name("WeightMethods", "method", m)))
        return np.full(len(c.kp), 1 / max(len(c.kp), 1))
    lb = [c.direction.get(x, "higher") == "lower" for x in c.kp]
    return entropy_weights(wide.to_numpy(), lb) if m == "entropy" else critic_weights(wide.to_numpy(), lb)


# A judgement and its reverse given both must multiply to 1, give or take the rounding of a typed fraction:
# 1/3 as 0.33 is 1% off, 1/7 as 0.14 and 1/6 as 0.17 are 2% off.
RECIPROCAL_TOLERANCE = 0.025


def _ahp_for(role: str, kp: list[str], judgements: pd.DataFrame | None, problems: list[Problem]) -> AHPResult | None:
    if judgements is None or judgements.empty:
        problems.append(problem("role {r} uses AHP but has no pairwise judgements.", "岗位 {r} 使用层次分析法，但没有两两比较判断。",
                                table="AHPJudgements", r=_role(role)))
        return None
    j = judgements[judgements["role"] == role]
    idx = {k: i for i, k in enumerate(kp)}
    n = len(kp)
    a = np.eye(n)
    seen = np.eye(n, dtype=bool)
    given: dict[tuple[str, str], tuple[object, float]] = {}   # (kpi_a, kpi_b) -> (row, value), to check pairs given twice
    for row, ka, kb, v in zip(j.index, j["kpi_a"], j["kpi_b"], j["value"], strict=True):
        if ka not in idx or kb not in idx:
            problems.append(problem("KPI {k} is not weighted for role {r}.", "指标 {k} 不在岗位 {r} 的权重表中。",
                                    table="AHPJudgements", row=row, column="kpi_a", k=ka if ka not in idx else kb,
                                    r=_role(role)))
            continue
        if not v or v <= 0:
            problems.append(problem("a judgement must be a positive number (1/9 .. 9).", "判断值必须为正数（1/9 至 9）。",
                                    table="AHPJudgements", row=row, column="value"))
            continue
        if ka == kb and abs(v - 1) > RECIPROCAL_TOLERANCE:
            problems.append(problem("{k} compared with itself must be 1, not {v:g}.", "指标 {k} 与自身比较必须为 1，而不是 {v:g}。",
                                    table="AHPJudgements", row=row, column="value", k=ka, v=v))
            continue
        back = given.get((kb, ka))
        if back is not None and ka != kb and abs(v * back[1] - 1) > RECIPROCAL_TOLERANCE:
            problems.append(problem(
                "{a} over {b} = {v:g} contradicts row {r2} ({b} over {a} = {w:g}); give one of the two, or reciprocal "
                "values ({w:g} and {inv:.4g}).",
                "{a} 相对 {b} = {v:g} 与第 {r2} 行（{b} 相对 {a} = {w:g}）矛盾；两者只填一个，或填互为倒数的值（{w:g} 与 {inv:.4g}）。",
                table="AHPJudgements", row=row, column="value", a=ka, b=kb, v=v, w=back[1], r2=back[0], inv=1 / back[1]))
            continue
        given[(ka, kb)] = (row, v)
        a[idx[ka], idx[kb]], a[idx[kb], idx[ka]] = v, 1.0 / v
        seen[idx[ka], idx[kb]] = seen[idx[kb], idx[ka]] = True
    if not seen.all():
        i, k2 = np.argwhere(~seen)[0]
        problems.append(problem("role {r}: no judgement between {a} and {b}; every pair needs one.",
                                "岗位 {r}：缺少 {a} 与 {b} 之间的判断；每一对都需要。", table="AHPJudgements", r=_role(role),
                                a=kp[i], b=kp[k2]))
        return None
    try:
        return ahp(a)
    except MatrixError as exc:
        problems.append(problem("role {r}: {e}.", "岗位 {r}：{e}。", table="AHPJudgements", r=_role(role), e=reason(exc)))
        return None
