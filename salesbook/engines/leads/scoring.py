"""Lead scoring, grading, a naive-Bayes win probability, routing and follow-up dates.

Rule scoring follows the common CRM pattern (HubSpot/Zoho style): each rule adds or subtracts points
when a field matches; groups (fit, engagement, custom) may be capped; engagement events decay with
age (half-life: points x 0.5^(age/half_life); linear: points x max(0, 1 - rate x months)).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesbook.errors import InputError, Problem, problem, row_number
from salesbook.messages import MessageError, column_label, items, reason, sheet_name

OPERATORS = ("=", "!=", "in", "not in", ">", ">=", "<", "<=", "between", "contains", "is blank", "is not blank")
MODEL_FIELDS = ("industry", "source", "region_id", "product_line", "size_band", "budget_band")
# Points of one rule, either way: far beyond any real scoring model, and small enough that a lead's total over
# every rule and event stays a finite number that rounds to cents.
MAX_POINTS = 1e9


@dataclass
class LeadResult:
    scores: pd.DataFrame
    model: pd.DataFrame


def _split_list(text: str) -> list[str]:
    return [t.strip() for t in re.split(r"[,，;；|]", str(text)) if t.strip()]


def _as_number(text: str) -> float | None:
    try:
        return float(str(text).replace(",", "").replace("k", "e3").replace("K", "e3").replace("w", "e4").replace("万", "e4"))
    except ValueError:
        return None


def _prepare(column: pd.Series) -> tuple[pd.Series, pd.Series | None]:
    """Blank mask and case-folded text of a column, computed once per field (not once per rule)."""
    if pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_datetime64_any_dtype(column.dtype):
        return column.isna(), None
    text = _per_distinct(column, lambda c: c.astype("string").str.strip())
    return (column.isna() | text.eq("").fillna(True)), _per_distinct(text, lambda c: c.str.casefold())


def _per_distinct(column: pd.Series, fold: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``fold(column)``, worked out once per distinct value and laid out over the rows: pandas case-folds text
    one row at a time in Python, and lead fields and event types hold a few dozen distinct texts (the 225,000
    event types of a 500,000-deal book: about 100 ms folded row by row, 20 ms this way)."""
    codes, distinct = pd.factorize(column)
    if len(distinct) * 2 > len(column):
        return fold(column)
    values = pd.concat([pd.Series(distinct, dtype=column.dtype), column[codes < 0].iloc[:1]], ignore_index=True)
    done = fold(values)   # a blank, if any, is folded too: the last value
    return pd.Series(done.array.take(np.where(codes < 0, len(distinct), codes)), index=column.index, name=column.name)


def rule_mask(column: pd.Series, operator: str, value: object,
              prepared: tuple[pd.Series, pd.Series | None] | None = None) -> np.ndarray:
    """Vectorised test of one rule against a lead column (blanks never match a comparison)."""
    op = str(operator).strip().lower()
    blank, folded = prepared if prepared is not None else _prepare(column)
    if op == "is blank":
        return blank.to_numpy(dtype=bool)
    if op == "is not blank":
        return (~blank).to_numpy(dtype=bool)
    text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()
    is_date = pd.api.types.is_datetime64_any_dtype(column.dtype)
    is_num = pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype)
    if op in (">", ">=", "<", "<=", "between") or (op in ("=", "!=") and (is_num or is_date)):
        if is_date:
            col = column.astype("datetime64[ns]")
            conv = lambda t: pd.Timestamp(t)  # noqa: E731
        else:
            col = pd.to_numeric(column, errors="coerce")
            conv = _as_number
        if op == "between":
            parts = _split_list(text.replace(" and ", ",").replace("~", ",").replace(" - ", ","))
            if len(parts) != 2:
                raise MessageError("'between' needs two values like 100, 500 (got '{t}')",
                                   "between（介于）需要两个值，如 100, 500（收到“{t}”）", t=text)
            lo, hi = conv(parts[0]), conv(parts[1])
            if lo is None or hi is None:
                raise MessageError("'{t}' is not two numbers", "“{t}”不是两个数字", t=text)
            res = (col >= lo) & (col <= hi)
        else:
            v = conv(text)
            if v is None:
                raise MessageError("'{t}' is not a number, but the field holds numbers",
                                   "“{t}”不是数字，而该字段是数字", t=text)
            res = {">": col > v, ">=": col >= v, "<": col < v, "<=": col <= v, "=": col == v, "!=": col != v}[op]
        return res.fillna(False).to_numpy(dtype=bool) & ~blank.to_numpy(dtype=bool) if op != "!=" else res.fillna(True).to_numpy(dtype=bool)
    s = folded if folded is not None else column.astype("string").str.strip().str.casefold()
    if op in ("=", "!="):
        res = s.eq(text.casefold())
        return (res.fillna(False) if op == "=" else ~res.fillna(False)).to_numpy(dtype=bool)
    if op in ("in", "not in"):
        opts = [t.casefold() for t in _split_list(text)]
        res = s.isin(opts).fillna(False)
        return (res if op == "in" else ~res).to_numpy(dtype=bool)
    if op == "contains":
        return s.str.contains(text.casefold(), regex=False).fillna(False).to_numpy(dtype=bool)
    raise MessageError("unknown operator '{o}'; use one of {a}", "未知运算符“{o}”；可选：{a}", o=operator,
                       a=items(OPERATORS))


def _check_points(rules: pd.DataFrame) -> None:
    points = pd.to_numeric(rules["points"], errors="coerce")
    bad = ~(points.abs() <= MAX_POINTS)
    if bad.any():
        raise InputError([problem("points must be a number between -{m:,.0f} and {m:,.0f}.",
                                  "分值须为 -{m:,.0f} 到 {m:,.0f} 之间的数字。", table="ScoringRules",
                                  row=row_number(row), column="points",
                                  m=MAX_POINTS) for row in rules.index[bad.to_numpy()]])


def score_rules(leads: pd.DataFrame, rules: pd.DataFrame, caps: dict[str, float] | None = None,
                lang: str = "en") -> tuple[pd.DataFrame, np.ndarray]:
    """Fit and custom points per lead from field rules; returns points per group and the fired rules."""
    problems: list[Problem] = []
    field_rules = rules[rules["group"] != "engagement"]
    n = len(leads)
    groups: dict[str, np.ndarray] = {"fit": np.zeros(n), "custom": np.zeros(n)}
    fired_bits: list[tuple[np.ndarray, str]] = []
    prepared: dict[str, tuple[pd.Series, pd.Series | None]] = {}
    for row, r in field_rules.iterrows():
        field = str(r["field"]).strip()
        if field not in leads.columns:
            problems.append(problem("rule {id}: the field '{f}' is not a column of sheet '{s}'.",
                                    "规则 {id}：字段“{f}”不是工作表“{s}”中的列。",
                                    table="ScoringRules", row=row_number(row),
                                    column="field", id=r["rule_id"], f=field, s=sheet_name("Leads")))
            continue
        try:
            if field not in prepared:
                prepared[field] = _prepare(leads[field])
            m = rule_mask(leads[field], r["operator"], r["value"], prepared[field])
        except ValueError as exc:
            problems.append(problem("rule {id}: {e}.", "规则 {id}：{e}。", table="ScoringRules",
                                    row=row_number(row), column="operator",
                                    id=r["rule_id"], e=reason(exc)))
            continue
        pts = float(r["points"])
        groups[str(r["group"])][m] += pts
        label = f"{pts:+g} {_rule_text(field, r['operator'], r['value'], lang)}{'；' if lang == 'zh' else '; '}"
        fired_bits.append((m, label))
    if problems:
        raise InputError(problems)
    out = pd.DataFrame(groups, index=leads.index)
    fired = _explain(fired_bits, n)
    for g, cap in (caps or {}).items():
        if g in out and cap is not None and not np.isnan(cap):
            out[g] = out[g].clip(upper=cap)
    return out, fired


def _explain(fired: list[tuple[np.ndarray, str]], n: int) -> np.ndarray:
    """The fired-rule text per lead, built once per distinct combination of fired rules."""
    if not fired:
        return np.full(n, "", dtype=object)
    bits = np.stack([m for m, _ in fired], axis=1)
    packed = np.packbits(bits, axis=1)
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
    codes, uniq = pd.factorize(keys)
    labels = [label for _, label in fired]
    first = np.zeros(len(uniq), dtype=np.int64)
    first[codes[::-1]] = np.arange(n)[::-1]
    texts = np.array(["".join(labels[j] for j in np.flatnonzero(bits[i])) for i in first], dtype=object)
    return texts[codes]


_OP_WORDS = {
    "en": {"in": "in", "not in": "not in", "between": "between", "contains": "contains", "is blank": "is blank",
           "is not blank": "is not blank"},
    "zh": {"in": "属于", "not in": "不属于", "between": "介于", "contains": "包含", "is blank": "为空",
           "is not blank": "不为空"},
}


def _rule_text(field: str, operator: object, value: object, lang: str) -> str:
    """A fired rule as the reader's language says it: "Budget between 100000 and 499999", "预算 介于 100000 与 499999"."""
    zh = lang == "zh"
    name = column_label("Leads", field, lang)
    op = str(operator).strip().lower()
    text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()
    if op in ("=", "!=", ">", ">=", "<", "<="):
        return f"{name}{'≠' if op == '!=' and zh else op}{text}"
    words = _OP_WORDS["zh" if zh else "en"]
    if op in ("is blank", "is not blank"):
        return f"{name}{words[op]}" if zh else f"{name} {words[op]}"
    if op == "between":
        parts = _split_list(text.replace(" and ", ",").replace("~", ",").replace(" - ", ","))
        if len(parts) == 2:
            text = f"{parts[0]} 与 {parts[1]}" if zh else f"{parts[0]} and {parts[1]}"
    elif op in ("in", "not in"):
        text = ("、" if zh else ", ").join(_split_list(text))
    return f"{name} {words.get(op, op)} {text}"


def engagement(leads: pd.DataFrame, events: pd.DataFrame | None, rules: pd.DataFrame, as_of: pd.Timestamp,
               decay: str = "half_life", half_life_days: float = 30.0, monthly_rate: float = 0.25) -> np.ndarray:
    """Engagement points per lead: each event's points decayed by its age on ``as_of``."""
    eng = rules[rules["group"] == "engagement"]
    if events is None or events.empty or eng.empty:
        return np.zeros(len(leads))
    pts = eng.assign(key=eng["field"].astype(str).str.strip().str.casefold()).groupby("key")["points"].sum()
    e = events.assign(key=_per_distinct(events["event_type"], lambda c: c.astype(str).str.strip().str.casefold()))
    e = e[e["date"] <= as_of]
    base = e["key"].map(pts).fillna(0.0).to_numpy(dtype=float)  # float even when no event is on or before as_of
    age = (as_of - e["date"]).dt.days.to_numpy(dtype=float)
    if decay == "linear":
        factor = np.clip(1.0 - monthly_rate * age / 30.4375, 0.0, None)
    else:
        factor = 0.5 ** (age / half_life_days)
    e = e.assign(v=base * factor)
    return e.groupby("lead_id")["v"].sum().reindex(leads["lead_id"]).fillna(0.0).to_numpy(dtype=float)


def grade(scores: np.ndarray, bands: pd.DataFrame) -> np.ndarray:
    b = bands.sort_values("min_score")
    idx = np.searchsorted(b["min_score"].to_numpy(dtype=float), scores, side="right") - 1
    grades = b["grade"].to_numpy()
    lowest = grades[0]
    return np.where(idx >= 0, grades[np.clip(idx, 0, None)], lowest)


def _features(leads: pd.DataFrame) -> pd.DataFrame:
    f = pd.DataFrame(index=leads.index)
    for c in ("industry", "source", "region_id", "product_line"):
        f[c] = leads[c].astype("string").fillna("(blank)") if c in leads else "(blank)"
    emp = pd.to_numeric(leads.get("employees"), errors="coerce")
    bud = pd.to_numeric(leads.get("budget"), errors="coerce")
    f["size_band"] = pd.cut(emp, [-np.inf, 50, 200, 1000, np.inf], labels=["<50", "50-199", "200-999", "1000+"]).astype("string").fillna("(blank)")
    f["budget_band"] = pd.cut(bud, [-np.inf, 1e5, 5e5, 2e6, np.inf], labels=["<100k", "100k-500k", "500k-2m", "2m+"]).astype("string").fillna("(blank)")
    return f


def naive_bayes(train_x: pd.DataFrame, train_y: np.ndarray, x: pd.DataFrame, alpha: float = 1.0) -> np.ndarray:
    """P(won | fields) with a categorical naive Bayes and Laplace smoothing (log space)."""
    prior = np.log((train_y.sum() + alpha) / (len(train_y) + 2 * alpha))
    prior_l = np.log((len(train_y) - train_y.sum() + alpha) / (len(train_y) + 2 * alpha))
    logit = np.full(len(x), prior - prior_l)
    for c in train_x.columns:
        cats = pd.Index(pd.unique(pd.concat([train_x[c], x[c]])))
        k = len(cats)
        won = train_x[c][train_y == 1].value_counts().reindex(cats, fill_value=0)
        lost = train_x[c][train_y == 0].value_counts().reindex(cats, fill_value=0)
        lw = np.log((won + alpha) / (won.sum() + alpha * k))
        ll = np.log((lost + alpha) / (lost.sum() + alpha * k))
        logit += (lw - ll).reindex(x[c]).to_numpy()
    return 1.0 / (1.0 + np.exp(-logit))


def auc(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the ROC curve as the Mann-Whitney rank statistic (ties get average ranks)."""
    ranks = pd.Series(p).rank(method="average").to_numpy()
    pos = y == 1
    n1, n0 = pos.sum(), (~pos).sum()
    if n1 == 0 or n0 == 0:
        return float("nan")
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def predictive(leads: pd.DataFrame, lang: str, min_history: int = 40) -> tuple[np.ndarray, pd.DataFrame]:
    """Probabilities for open leads and a model report (holdout AUC, calibration by probability band)."""
    closed = leads["status"].isin(["won", "lost"]).to_numpy()
    y = (leads["status"] == "won").to_numpy(dtype=int)
    n_won, n_lost = int(y[closed].sum()), int(closed.sum() - y[closed].sum())
    zh = lang == "zh"
    if closed.sum() < min_history or min(n_won, n_lost) < 10:
        msg = (f"历史数据不足：{n_won} 个赢单、{n_lost} 个输单（至少需要 {min_history} 个已结束线索且赢输各至少 10 个），未计算预测概率。"
               if zh else f"Too little history: {n_won} won and {n_lost} lost leads (need {min_history} closed, at least 10 "
               "of each); no probabilities were computed.")
        return np.full(len(leads), np.nan), pd.DataFrame({"metric": ["status"], "value": [np.nan], "note": [msg]})
    x = _features(leads)
    # deterministic holdout: every 4th closed lead by lead_id order
    order = np.argsort(leads["lead_id"].astype(str).to_numpy())
    holdout = np.zeros(len(leads), dtype=bool)
    closed_sorted = order[closed[order]]
    holdout[closed_sorted[::4]] = True
    train = closed & ~holdout
    p_hold = naive_bayes(x[train], y[train], x[holdout])
    a = auc(y[holdout], p_hold)
    bands = pd.cut(p_hold, [0, 0.2, 0.4, 0.6, 0.8, 1.0], include_lowest=True)
    calib = pd.DataFrame({"band": bands.astype(str), "p": p_hold, "y": y[holdout]}).groupby("band", observed=True).agg(
        leads=("y", "size"), predicted=("p", "mean"), actual=("y", "mean")).reset_index()
    p_all = naive_bayes(x[closed], y[closed], x)  # final model on all closed history
    rows = [("holdout AUC" if not zh else "验证集 AUC", a, "0.5 = no better than chance; above 0.7 is useful" if not zh
             else "0.5 相当于随机；高于 0.7 较有参考价值"),
            ("trained on" if not zh else "训练样本", float(train.sum()), ""), ("holdout" if not zh else "验证样本", float(holdout.sum()), "")]
    for _, r in calib.iterrows():
        rows.append((f"calibration {r['band']}" if not zh else f"校准 {r['band']}", float(r["actual"]),
                     f"{int(r['leads'])} leads, predicted {r['predicted']:.2f}" if not zh else f"{int(r['leads'])} 条，预测 {r['predicted']:.2f}"))
    p_all[closed] = np.nan  # closed leads need no forecast
    return p_all, pd.DataFrame(rows, columns=["metric", "value", "note"])


def route(leads: pd.DataFrame, reps: pd.DataFrame, as_of: pd.Timestamp, lang: str) -> tuple[np.ndarray, np.ndarray]:
    """Assign open leads without an owner: eligible reps first, then capacity-weighted round robin.

    A rep is eligible when active on the lead's date, in the lead's region, selling its product line and
    (when the rep lists specialties) covering its industry.  Among eligible reps below their maximum the
    one with the lowest (open load + 1) / capacity gets the lead; ties go to the lower rep_id.
    """
    zh = lang == "zh"
    sellers = reps[reps["role"].isin(["rep", "senior"])].sort_values("rep_id").reset_index(drop=True)
    load = leads[(leads["status"] == "open") & leads["owner_rep_id"].notna()].groupby("owner_rep_id").size()
    cur = sellers["rep_id"].map(load).fillna(0).to_numpy(dtype=float).copy()
    cap_w = pd.to_numeric(sellers["capacity"], errors="coerce").fillna(1.0).clip(lower=1e-9).to_numpy()
    max_open = pd.to_numeric(sellers["max_open_leads"], errors="coerce").astype(float).fillna(np.inf).to_numpy()  # Int64 holds no inf
    lines = [set(_split_list(v)) if isinstance(v, str) and v.strip() else None for v in sellers["product_lines"]]
    inds = [set(x.casefold() for x in _split_list(v)) if isinstance(v, str) and v.strip() else None for v in sellers["industries"]]
    hire = pd.to_datetime(sellers["hire_date"]).to_numpy()
    leave = pd.to_datetime(sellers["leave_date"]).to_numpy()
    owner = leads["owner_rep_id"].astype(object).to_numpy().copy()
    reason = np.array([""] * len(leads), dtype=object)
    todo = np.flatnonzero((leads["status"] == "open").to_numpy() & leads["owner_rep_id"].isna().to_numpy())
    todo = todo[np.lexsort((leads["lead_id"].astype(str).to_numpy()[todo], leads["created_date"].to_numpy()[todo]))]
    region = leads["region_id"].astype(object).to_numpy()
    line = leads["product_line"].astype(object).to_numpy()
    ind = leads["industry"].astype(object).to_numpy()
    day = leads["created_date"].to_numpy()
    seller_region = sellers["region_id"].to_numpy()
    seller_ids = sellers["rep_id"].to_numpy()
    no_leave = pd.isna(leave)
    # who covers a (region, line, industry): the same for every lead that names them, so worked out once; the
    # loop below then looks only at those reps (their positions ascending, so ties still go to the lower rep_id)
    covering: dict[tuple[object, object, object], np.ndarray] = {}
    for i in todo:
        key = (region[i] if pd.notna(region[i]) else None, line[i] if pd.notna(line[i]) else None,
               str(ind[i]).casefold() if pd.notna(ind[i]) else None)
        cand = covering.get(key)
        if cand is None:
            ok = np.ones(len(sellers), dtype=bool)
            if key[0] is not None:
                ok &= seller_region == key[0]
            if key[1] is not None:
                ok &= np.array([s is None or key[1] in s for s in lines], dtype=bool)
            if key[2] is not None:
                ok &= np.array([s is None or key[2] in s for s in inds], dtype=bool)
            cand = covering[key] = np.flatnonzero(ok)
        when = day[i]
        cand = cand[(hire[cand] <= when) & (no_leave[cand] | (leave[cand] >= when))]
        if not len(cand):
            reason[i] = "无符合区域/产品线/行业且在岗的代表" if zh else "no active rep covers this region, product line and industry"
            continue
        room = cand[cur[cand] < max_open[cand]]
        if not len(room):
            reason[i] = "符合条件的代表均已达到线索上限" if zh else "every eligible rep is at their open-lead maximum"
            continue
        j = int(room[np.argmin((cur[room] + 1) / cap_w[room])])
        owner[i] = seller_ids[j]
        cur[j] += 1
        reason[i] = (f"轮询分配：{len(cand)} 名合格代表中负荷最低" if zh
                     else f"round robin: lowest load among {len(cand)} eligible reps")
    return owner, reason


# the last day pandas can hold (2262-04-11), as whole days since 1970-01-01
LAST_DAY = int(pd.Timestamp.max.normalize().value // 86_400_000_000_000)


def _next_contact(leads: pd.DataFrame, days: np.ndarray, is_open: np.ndarray) -> np.ndarray:
    """Last contact (else the created date) plus the grade's follow-up days; a date past 2262 is an input problem."""
    has_last = leads["last_contact_date"].notna().to_numpy() if "last_contact_date" in leads else np.zeros(len(leads), bool)
    last = leads["last_contact_date"].where(has_last, leads["created_date"]) if "last_contact_date" in leads \
        else leads["created_date"]
    when = pd.to_datetime(last).to_numpy()
    due = when.astype("datetime64[D]").astype(np.int64) + days.astype(np.int64)
    late = is_open & ~np.isnat(when) & (due > LAST_DAY)
    if late.any():
        raise InputError([problem(
            "the next contact ({n} days after this date) would fall after 2262-04-11, the last date that can be "
            "computed.", "下次联系日期（该日期后 {n} 天）将晚于可计算的最后日期 2262-04-11。", table="Leads",
            row=row_number(row),
            column="last_contact_date" if h else "created_date", n=int(n))
            for row, h, n in zip(leads.index[late], has_last[late], days[late], strict=True)])
    due = np.where(is_open, due, 0)  # closed leads have no next contact (and must not overflow)
    return due.astype("datetime64[D]").astype("datetime64[ns]")


def score_leads(leads: pd.DataFrame, rules: pd.DataFrame, bands: pd.DataFrame, *, events: pd.DataFrame | None = None,
                reps: pd.DataFrame | None = None, caps: dict[str, float] | None = None, as_of: pd.Timestamp | None = None,
                decay: str = "half_life", half_life_days: float = 30.0, monthly_rate: float = 0.25,
                predict: bool = True, lang: str = "en") -> LeadResult:
    """Score, grade, predict, route and schedule follow-ups for every lead."""
    as_of = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    _check_points(rules)
    groups, fired = score_rules(leads, rules, caps, lang)
    eng = engagement(leads, events, rules, as_of, decay, half_life_days, monthly_rate)
    cap_e = (caps or {}).get("engagement")
    if cap_e is not None and not np.isnan(cap_e):
        eng = np.minimum(eng, cap_e)
    fit = groups["fit"].to_numpy()
    total = fit + groups["custom"].to_numpy() + eng
    grades = grade(total, bands)
    fit_band = np.where(fit >= 40, "A", np.where(fit >= 20, "B", "C"))
    eng_band = np.where(eng >= 20, "1", np.where(eng >= 10, "2", "3"))
    out = pd.DataFrame({"lead_id": leads["lead_id"].to_numpy(), "fit_score": fit.round(2), "engagement_score": eng.round(2),
                        "score": total.round(2), "grade": grades, "grid": np.char.add(fit_band.astype(str), eng_band.astype(str))})
    if predict and "status" in leads:
        prob, model = predictive(leads, lang)
    else:
        prob, model = np.full(len(leads), np.nan), pd.DataFrame(columns=["metric", "value", "note"])
    out["probability"] = np.round(prob, 4)
    if reps is not None and len(reps):
        owner, reason = route(leads, reps, as_of, lang)
    else:
        owner, reason = leads["owner_rep_id"].to_numpy(), np.array([""] * len(leads), dtype=object)
    out["assigned_rep"] = owner
    out["assignment"] = reason
    days = pd.Series(grades).map(bands.set_index("grade")["follow_up_days"]).to_numpy(dtype=float)
    is_open = (leads["status"] == "open").to_numpy() if "status" in leads else np.ones(len(leads), bool)
    nxt = _next_contact(leads, np.nan_to_num(days, nan=7), is_open)
    out["next_contact"] = np.where(is_open, nxt, np.datetime64("NaT"))
    out["overdue"] = is_open & (nxt < np.datetime64(as_of))
    eng_txt = "互动 {e:.1f}（衰减后）" if lang == "zh" else "engagement {e:.1f} after decay"
    out["explanation"] = fired + np.array([eng_txt.format(e=e) for e in eng], dtype=object)
    return LeadResult(scores=out, model=model)
