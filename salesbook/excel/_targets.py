"""Worksheet functions for target decomposition."""

from __future__ import annotations

from typing import Any

import xlwings as xw

from salesbook.engines.allocation import AllocationError, allocate
from salesbook.excel._convert import CellError, cell_safe, column, flat, is_blank, number, numbers


def _unit(unit: Any) -> float:
    return 1.0 if unit is None or unit == "" else number(unit, "unit")


@xw.func
@xw.arg("total", doc="Amount to split / 待分配金额")
@xw.arg("weights", doc="Weights, a row or column / 权重（一行或一列）")
@xw.arg("unit", doc="Rounding unit, default 1 (0.01 for cents) / 取整单位，默认 1")
@xw.arg("locked", doc="Optional fixed amounts beside the weights; blank = not locked / 可选：锁定金额，空白为不锁定")
@xw.ret(expand="table")
@cell_safe("SB_ALLOCATE")
def SB_ALLOCATE(total: Any, weights: Any, unit: Any = None, locked: Any = None) -> Any:
    """Split a total in proportion to weights; the parts add up exactly (largest remainder).
    Locked cells keep their amount and the others share the rest.
    按权重拆分金额，结果之和精确等于总额（最大余数法）；锁定的单元格保持原值，其余分配剩余部分。"""
    cells = flat(weights, skip_blanks=False) if weights is not None else []
    w = [0.0 if is_blank(v) else number(v, "weights") for v in cells]  # a blank weight cell counts as 0
    if not w:
        raise CellError("weights: no values")
    fixed: dict[int, float] = {}
    if not is_blank(locked):
        lock_cells = flat(locked, skip_blanks=False)
        if len(lock_cells) != len(w):
            raise CellError(f"locked: {len(lock_cells)} cells for {len(w)} weights")
        fixed = {i: number(v, "locked") for i, v in enumerate(lock_cells) if not is_blank(v)}
    try:
        parts = allocate(number(total, "total"), w, unit=_unit(unit), locked=fixed)
    except AllocationError as exc:
        raise CellError(str(exc)) from exc
    return column([float(p) for p in parts])


@xw.func
@xw.arg("total", doc="Annual amount / 全年金额")
@xw.arg("profile", doc="12 monthly shares totalling 100% / 12 个月占比，合计 100%")
@xw.arg("unit", doc="Rounding unit, default 1 / 取整单位，默认 1")
@xw.ret(expand="table")
@cell_safe("SB_SEASONALIZE")
def SB_SEASONALIZE(total: Any, profile: Any, unit: Any = None) -> Any:
    """Spread an annual amount over periods by a seasonality profile that must total 100%.
    按季节性占比（合计须为 100%）把全年金额分摊到各期。"""
    shares = numbers(flat(profile), "profile")
    if not shares:
        raise CellError("profile: no values")
    if abs(sum(shares) - 1.0) > 1e-6:
        raise CellError(f"profile totals {sum(shares):.4%}, not 100%")
    parts = allocate(number(total, "total"), shares, unit=_unit(unit))
    return column([float(p) for p in parts])
