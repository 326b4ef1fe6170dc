"""Worksheet functions for KPI weights and scores."""

from __future__ import annotations

from typing import Any

import numpy as np
import xlwings as xw

from salesbook.engines.kpi import MatrixError, ahp, entropy_weights, kpi_score
from salesbook.excel._convert import CellError, cell_safe, column, grid, is_blank, number


def _matrix(value: Any, what: str) -> np.ndarray:
    rows = grid(value)
    if not rows:
        raise CellError(f"{what} is empty")
    out = []
    for i, r in enumerate(rows, start=1):
        row = []
        for j, v in enumerate(r, start=1):
            if is_blank(v):
                raise CellError(f"{what} cell ({i},{j}) is blank")
            if isinstance(v, str):
                text = v.strip()
                if "/" in text:  # judgements are often typed as 1/3
                    num, _, den = text.partition("/")
                    try:
                        row.append(float(num) / float(den))
                        continue
                    except (ValueError, ZeroDivisionError):
                        pass
            try:
                row.append(number(v, f"{what} cell ({i},{j})"))
            except CellError as exc:
                raise CellError(str(exc)) from None
        out.append(row)
    widths = {len(r) for r in out}
    if len(widths) != 1:
        raise CellError(f"{what} rows have different lengths")
    return np.array(out)


@xw.func
@xw.arg("matrix", doc="Square pairwise comparison matrix (Saaty 1/9..9) / 两两比较判断矩阵")
@xw.ret(expand="table")
@cell_safe("SB_AHP_WEIGHTS")
def SB_AHP_WEIGHTS(matrix: Any) -> Any:
    """AHP weights (principal eigenvector) as a column. 层次分析法权重（主特征向量），返回一列。"""
    try:
        return column([float(w) for w in ahp(_matrix(matrix, "matrix")).weights])
    except MatrixError as exc:
        raise CellError(str(exc)) from None


@xw.func
@xw.arg("matrix", doc="Square pairwise comparison matrix / 两两比较判断矩阵")
@cell_safe("SB_AHP_CR")
def SB_AHP_CR(matrix: Any) -> Any:
    """AHP consistency ratio (acceptable below 0.10). 层次分析法一致性比率（小于 0.10 可接受）。"""
    try:
        return float(ahp(_matrix(matrix, "matrix")).cr)
    except MatrixError as exc:
        raise CellError(str(exc)) from None


@xw.func
@xw.arg("data", doc="Rows = reps or periods, columns = KPIs / 行为对象，列为指标")
@xw.arg("lower_better", doc="Optional row of TRUE/FALSE per column / 可选：每列是否越低越好")
@xw.ret(expand="table")
@cell_safe("SB_ENTROPY_WEIGHTS")
def SB_ENTROPY_WEIGHTS(data: Any, lower_better: Any = None) -> Any:
    """Entropy weights of the columns, as a row. 熵权法权重，返回一行。"""
    x = _matrix(data, "data")
    lb = None
    if lower_better is not None:
        flags = [v for r in grid(lower_better) for v in r]
        if len(flags) != x.shape[1]:
            raise CellError(f"lower_better needs {x.shape[1]} values")
        lb = [bool(v) for v in flags]
    try:
        return [[float(w) for w in entropy_weights(x, lb)]]
    except MatrixError as exc:
        raise CellError(str(exc)) from None


@xw.func
@xw.arg("actual", doc="Actual result / 实际值")
@xw.arg("target", doc="Target / 目标值")
@xw.arg("method", doc="linear, ttsl or step / 计分方法")
@xw.arg("direction", doc="higher or lower is better / 越高越好或越低越好")
@xw.arg("cap", doc="Highest score, default 1.2 / 封顶，默认 1.2")
@xw.arg("threshold", doc="ttsl: threshold attainment, e.g. 0.8 / 门槛达成率")
@xw.arg("stretch", doc="ttsl: stretch attainment, e.g. 1.2 / 挑战达成率")
@cell_safe("SB_KPI_SCORE")
def SB_KPI_SCORE(actual: Any, target: Any, method: Any = "linear", direction: Any = "higher", cap: Any = None,
                 threshold: Any = None, stretch: Any = None) -> Any:
    """KPI score as a fraction of target performance (1 = on target). 指标得分（1 = 达标）。"""
    a, t = number(actual, "actual"), number(target, "target")
    m = str(method or "linear").strip().lower()
    d = str(direction or "higher").strip().lower()
    c = 1.2 if is_blank(cap) else number(cap, "cap")
    if m == "ttsl":
        th = 0.8 if is_blank(threshold) else number(threshold, "threshold")
        st = 1.2 if is_blank(stretch) else number(stretch, "stretch")
        return float(kpi_score(a, t, "ttsl", direction=d, threshold=th * t, stretch=st * t, cap=c))
    if m != "linear":
        raise CellError(f"method '{method}' not supported here; use linear or ttsl")
    return float(kpi_score(a, t, "linear", direction=d, cap=c))
