"""Worksheet functions for lead scoring."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xlwings as xw

from salesbook.engines.leads import grade, rule_mask
from salesbook.excel._convert import CellError, cell_safe, grid, is_blank, number, table


@xw.func
@xw.arg("lead_row", doc="2 rows: field names, then the lead's values / 两行：字段名与线索取值")
@xw.arg("rules", doc="Rules range: field, operator, value, points (header row optional) / 规则：字段、运算符、值、分值")
@cell_safe("SB_LEAD_SCORE")
def SB_LEAD_SCORE(lead_row: Any, rules: Any) -> Any:
    """Points a lead earns from field rules (engagement decay is done by the scoring macro).
    按字段规则计算线索得分（互动衰减由评分宏完成）。"""
    rows = grid(lead_row)
    if len(rows) < 2:
        raise CellError("lead_row needs two rows: field names and values")
    fields = [str(f).strip() for f in rows[0]]
    lead = pd.DataFrame([rows[1]], columns=fields)  # numbers become numeric columns, text stays text
    header, body = table(rules)
    if header is not None:
        idx = {h.casefold(): i for i, h in enumerate(header)}
        cols = [idx.get(k, j) for j, k in enumerate(("field", "operator", "value", "points"))]
    else:
        cols = [0, 1, 2, 3]
    total = 0.0
    for n, r in enumerate(body, start=1):
        if len(r) < 4:
            raise CellError(f"rule {n} needs field, operator, value, points")
        field, op, value, pts = (r[c] for c in cols)
        if is_blank(field):
            continue
        field = str(field).strip()
        if field not in lead.columns:
            raise CellError(f"rule {n}: field '{field}' is not in lead_row")
        try:
            hit = rule_mask(lead[field], str(op), None if is_blank(value) else value)[0]
        except ValueError as exc:
            raise CellError(f"rule {n}: {exc}") from None
        total += number(pts, f"rule {n} points") if hit else 0.0
    return total


@xw.func
@xw.arg("score", doc="Lead score / 线索得分")
@xw.arg("bands", doc="2 columns: grade, minimum score / 两列：等级、最低分")
@cell_safe("SB_GRADE")
def SB_GRADE(score: Any, bands: Any) -> Any:
    """Grade of a score from a band table (the highest band whose minimum is reached).
    根据分数段表返回等级（达到最低分的最高一档）。"""
    _, body = table(bands)
    rows = [r for r in body if len(r) >= 2 and not is_blank(r[0])]
    if not rows:
        raise CellError("bands: need rows of grade, minimum score")
    b = pd.DataFrame({"grade": [str(r[0]) for r in rows], "min_score": [number(r[1], "band minimum") for r in rows]})
    return str(grade(np.array([number(score, "score")]), b)[0])
