"""The scenario comparison review: what each scenario costs and who wins under it, read from a book made by
``salesbook model`` (Out_Scenarios, Out_ScenarioReps and the Scenarios sheet itself)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from salesbook.errors import InputError, problem
from salesbook.messages import choice_label, column_label, sheet_label
from salesbook.reports.values import number as _f
from salesbook.reports.values import text as _text
from salesbook.schemas.scenarios import measure_code

BASE = "BASE"
SUMMARY = ("replay_payable", "replay_bonus", "replay_total", "replay_cost_of_sales", "replay_above_quota",
           "sim_expected", "sim_p10", "sim_p50", "sim_p90", "sim_cost_of_sales", "sim_above_quota")
SHOWN = 6   # winners and losers listed per scenario




def scenario_keys(data: Any) -> list[str]:
    """The one comparison of the book; a book without scenario results is refused with what to do."""
    frame = data.tables.get("Out_Scenarios")
    if frame is None or not len(frame):
        raise InputError(problem("this workbook has no scenario results (sheet Out_Scenarios); make them with "
                                 "`salesbook model BOOK.xlsx` and report on the book it writes.",
                                 "此工作簿没有情景模拟结果（工作表 Out_Scenarios）；请先运行 `salesbook model 工作簿.xlsx`，"
                                 "再对其输出的工作簿生成报告。"))
    return ["scenarios"]


def _measures(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["code"] = [measure_code(_text(m)) for m in out["measure"]]
    return out


def summary_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """One dict per scenario (base first): id, name and each summary measure's value and base value."""
    m = _measures(frame)
    rows: dict[str, dict[str, Any]] = {}
    for r in m.itertuples(index=False):
        sid = _text(r.scenario_id)
        row = rows.setdefault(sid, {"id": sid, "name": _text(r.name), "base": sid == BASE, "m": {}, "ref": {}})
        if r.code in SUMMARY:
            value = _f(r.amount) if _f(r.amount) is not None else _f(r.share)
            ref = _f(r.base_amount) if _f(r.base_amount) is not None else _f(r.base_share)
            row["m"][r.code], row["ref"][r.code] = value, ref
    for row in rows.values():
        row["delta"] = {k: (v - row["ref"][k]) if v is not None and row["ref"].get(k) is not None else None
                        for k, v in row["m"].items()}
    return sorted(rows.values(), key=lambda r: not r["base"])


def summary_lines(frame: pd.DataFrame, lang: str) -> list[str]:
    """The comparison in a few lines for the terminal."""
    out = []
    for r in summary_rows(frame):
        m, d = r["m"], r["delta"]

        def money(code: str, m: dict = m) -> str:
            v = m.get(code)
            return "-" if v is None else f"{v:,.0f}"

        change = "" if r["base"] or d.get("replay_payable") is None else f" ({d['replay_payable']:+,.0f})"
        if lang == "zh":
            out.append(f"  {r['id']} {r['name']}：回放提成 {money('replay_payable')}{change}；模拟期望 "
                       f"{money('sim_expected')}（P10 {money('sim_p10')}，P90 {money('sim_p90')}）")
        else:
            out.append(f"  {r['id']} {r['name']}: replayed {money('replay_payable')}{change}; expected "
                       f"{money('sim_expected')} (P10 {money('sim_p10')}, P90 {money('sim_p90')})")
    return out


def _series(m: pd.DataFrame, code: str, x: str) -> dict[str, list[tuple[float, float]]]:
    rows = m[m["code"] == code]
    out: dict[str, list[tuple[float, float]]] = {}
    for sid, xv, amount in zip(rows["scenario_id"], rows[x], rows["amount"], strict=True):
        if _f(xv) is not None and _f(amount) is not None:
            out.setdefault(_text(sid), []).append((float(xv), float(amount)))
    return {k: sorted(v) for k, v in out.items()}


def _changes(data: Any, lang: str) -> dict[str, list[dict[str, str]]]:
    """What each scenario changes, as the Scenarios sheet says it, in the review's language."""
    frame = data.tables.get("Scenarios")
    out: dict[str, list[dict[str, str]]] = {}
    if frame is None or not len(frame):
        return out
    for r in frame.itertuples(index=False):
        table, column = _text(r.table), _text(r.column)
        action = _text(r.action) or "set"
        out.setdefault(_text(r.scenario_id), []).append({
            "table": sheet_label(table, lang) if table else "", "key": _text(r.key) or "*",
            "column": column_label(table, column, lang) if column else "",
            "value": _text(r.value), "action": choice_label("Scenarios", "action", action, lang),
            "note": _text(r.note)})
    return out


def _reps(data: Any) -> dict[str, dict[str, Any]]:
    frame = data.tables.get("Out_ScenarioReps")
    out: dict[str, dict[str, Any]] = {}
    if frame is None or not len(frame):
        return out
    for sid, rows in frame.groupby("scenario_id", sort=False):
        change = pd.to_numeric(rows["change"], errors="coerce").fillna(0.0)
        ordered = rows.assign(_c=change).sort_values(["_c", "rep_id"])

        def pick(part: pd.DataFrame) -> list[dict[str, Any]]:
            return [{"id": _text(r.rep_id), "name": _text(r.name), "plan": _text(r.plan_id),
                     "before": (_f(r.base_payable) or 0.0) + (_f(r.base_bonus) or 0.0),
                     "after": (_f(r.payable) or 0.0) + (_f(r.bonus) or 0.0), "change": _f(r.change),
                     "share": _f(r.change_share), "expected": _f(r.expected), "base_expected": _f(r.base_expected)}
                    for r in part.itertuples(index=False)]

        out[_text(sid)] = {"winners": pick(ordered[ordered["_c"] >= 0.005].iloc[::-1].head(SHOWN)),
                           "losers": pick(ordered[ordered["_c"] <= -0.005].head(SHOWN)),
                           "gains": int((change >= 0.005).sum()), "loses": int((change <= -0.005).sum()),
                           "same": int(((change > -0.005) & (change < 0.005)).sum()),
                           "net": float(change.sum())}
    return out


PERCENTILES = (0.1, 0.25, 0.5, 0.75, 0.9)   # the distribution's columns in the review


def _shown(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return [(p, a) for p, a in points if any(abs(p - q) < 1e-6 for q in PERCENTILES)]


def scenario_context(data: Any, lang: str, common: dict[str, Any]) -> dict[str, Any]:
    """The review's context: summary per scenario, curves, cost ranges, changes, winners and losers."""
    frame = data.tables["Out_Scenarios"]
    m = _measures(frame)
    rows = summary_rows(frame)
    curves = _series(m, "curve", "attainment")
    quantiles = _series(m, "distribution", "probability")
    changes, reps = _changes(data, lang), _reps(data)
    for r in rows:
        r["changes"] = changes.get(r["id"], [])
        r["reps"] = reps.get(r["id"])
    s = data.settings
    ctx = dict(common)
    ctx.update(kind="scenarios", key="scenarios",
               subject={"id": "scenarios", "name": ctx["company"], "scenarios": len(rows) - 1},
               scenarios=rows, draws=int(_f(s.get("scenario_draws")) or 1000), seed=int(_f(s.get("scenario_seed")) or 0),
               has_bonus=any(r["m"].get("replay_bonus") is not None for r in rows),
               curves=[{"name": r["name"], "points": curves.get(r["id"], [])} for r in rows],
               ranges=[{"name": r["name"], "p10": r["m"].get("sim_p10"), "p50": r["m"].get("sim_p50"),
                        "p90": r["m"].get("sim_p90"), "expected": r["m"].get("sim_expected"),
                        "replayed": r["m"].get("replay_payable"),
                        "quantiles": _shown(quantiles.get(r["id"], []))} for r in rows])
    return ctx
