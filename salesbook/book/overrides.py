"""The Scenarios sheet at the boundary: every override row checked against the base table it changes.

A row names a table, the row(s) by their key, a column and a new value. Here each of those is resolved
once: the column must be one a scenario may change in that table, the key is read part by part with its
key column's own rules and must reach a row (or, for ``add``, must be new and complete), and the value is
read and range-checked exactly like a cell of the column it replaces (same messages, same "did you mean
5%?", same plausibility warnings), located at the Scenarios row. The engines then get typed overrides:
the rows reached (by their Excel row), the key values and the parsed value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from salesbook.errors import Problem, problem
from salesbook.messages import choice_name, column_name, items, sheet_name
from salesbook.schemas import REGISTRY, Column
from salesbook.schemas.scenarios import OVERRIDABLE

CheckCells = Callable[..., tuple[list[Problem], pd.Series]]
_SLASH = re.compile(r"[/／]")
TYPED = ("key_values", "rows", "parsed", "group")   # what the check adds to the Scenarios frame
BASE = "BASE"   # the scenario code of the book as it is


def addable(table: str) -> bool:
    """A scenario can add rows to a table whose required cells are all key or overridable columns."""
    t = REGISTRY[table]
    return all(c.name in t.key or c.name in OVERRIDABLE[table] for c in t.columns if c.required)


def _scalar(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value
    return value.item() if hasattr(value, "item") else value


def _shown_key(values: tuple) -> str:
    return " / ".join(v.date().isoformat() if isinstance(v, pd.Timestamp) else f"{v:g}" if isinstance(v, float)
                      else str(v) for v in values)


def _matches(frame: pd.DataFrame, keys: tuple[str, ...], values: tuple) -> np.ndarray:
    """Rows whose first ``len(values)`` key columns equal ``values`` (numbers to a billionth)."""
    hit = np.ones(len(frame), dtype=bool)
    for name, v in zip(keys, values, strict=False):
        col = frame[name]
        if isinstance(v, float | int) and not isinstance(v, bool):
            nums = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            hit &= np.isclose(nums, float(v), rtol=0.0, atol=1e-9)
        else:
            hit &= (col.astype(object) == v).fillna(False).to_numpy(dtype=bool)
    return hit


class _Check:
    """One pass over the Scenarios rows, collecting problems (and warnings) with their rows."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], sheet: str, shown: Mapping[tuple[str, str], str],
                 warnings: list[Problem], check_cells: CheckCells):
        self.tables, self.sheet, self.shown, self.warnings = tables, sheet, shown, warnings
        self.check_cells = check_cells
        self.problems: list[Problem] = []
        self.added: dict[tuple[str, str, tuple], int] = {}      # (scenario, table, key) -> group
        self.group_cols: dict[int, set[str]] = {}
        self.group_row: dict[int, int] = {}

    def where(self, column: str) -> str:
        return self.shown.get(("Scenarios", column), column)

    def fail(self, en: str, zh: str, row: int, column: str, **params: object) -> None:
        self.problems.append(problem(en, zh, table="Scenarios", sheet=self.sheet, row=row,
                                     column=self.where(column), **params))

    def key(self, row: int, table: str, text: object) -> tuple | None:
        """The key parts as typed values; None after a problem."""
        keys = REGISTRY[table].key
        raw = "" if text is None or text is pd.NA else str(text).strip()
        parts = [p.strip() for p in _SLASH.split(raw, maxsplit=len(keys) - 1)] if raw else []
        if len(parts) > len(keys) or any(p == "" for p in parts):
            self.fail("'{v}' is not a key of sheet '{s}': write {k}, e.g. {e}.",
                      "“{v}”不是工作表“{s}”的键：请按 {k} 填写，如 {e}。", row, "key", v=raw, s=sheet_name(table),
                      k=items(column_name(table, k) for k in keys), e=_EXAMPLES[table])
            return None
        values = []
        for name, part in zip(keys, parts, strict=False):
            col = REGISTRY[table].column(name)
            found, parsed = self.check_cells(pd.Series([part], index=[row], dtype=object), col, self.sheet,
                                             self.where("key"), None)
            if found:
                self.problems.extend(found)
                return None
            values.append(_scalar(parsed.iloc[0]))
        return tuple(values)

    def value(self, row: int, col: Column, text: object, table: str) -> tuple[bool, object]:
        """The new value read as a cell of ``col`` (the required check included); (ok, value)."""
        found, parsed = self.check_cells(pd.Series([text], index=[row], dtype=object), col, self.sheet,
                                         self.where("value"), 0, self.warnings)
        if found:
            self.problems.extend(found)
            return False, None
        value = _scalar(parsed.iloc[0])
        if col.ref and value is not None:
            ref_table, ref_col = col.ref.split(".")
            target = self.tables.get(ref_table)
            if target is None or value not in set(target[ref_col].dropna()):
                self.fail("'{v}' is not in sheet '{ref}' (column '{rc}').", "“{v}”在工作表“{ref}”的“{rc}”列中不存在。",
                          row, "value", v=value, ref=sheet_name(ref_table), rc=column_name(ref_table, ref_col))
                return False, None
        return True, value

    def row(self, row: int, r: pd.Series) -> tuple | None:
        """(key values, base rows reached, value, add group) of one Scenarios row; None after a problem."""
        table, column, action = r["table"], r["column"], r["action"] if isinstance(r["action"], str) else "set"
        if isinstance(r["scenario_id"], str) and r["scenario_id"].strip().casefold() == BASE.casefold():
            self.fail("the scenario code {v} names the book as it is; give this scenario another code.",
                      "情景编号 {v} 表示工作簿现状（基准）；请为此情景另取编号。", row, "scenario_id", v=r["scenario_id"])
            return None
        if not isinstance(table, str):
            return None  # a blank required cell: reported with the sheet's own cells
        base = self.tables.get(table)
        frame = base if base is not None else pd.DataFrame(columns=REGISTRY[table].column_names)
        if action != "remove":
            if not isinstance(column, str):
                self.fail("a change needs the column to change.", "修改或新增须填写要调整的列。", row, "column")
                return None
            if column not in OVERRIDABLE[table]:
                self.fail("a scenario cannot change '{c}' in sheet '{s}'; it can change: {allowed}.",
                          "情景不能调整工作表“{s}”的“{c}”；可调整的列：{allowed}。", row, "column",
                          c=choice_name("Scenarios", "column", column), s=sheet_name(table),
                          allowed=items(column_name(table, c) for c in OVERRIDABLE[table]))
                return None
        key = self.key(row, table, r["key"])
        if key is None:
            return None
        keys = REGISTRY[table].key
        hit = _matches(frame, keys, key) if len(frame) else np.zeros(0, dtype=bool)
        group = -1
        if action == "add":
            if not addable(table):
                self.fail("a scenario cannot add rows to sheet '{s}'; add the row to the sheet itself and remove "
                          "it in the scenarios that should not have it.",
                          "情景不能向工作表“{s}”新增行；请在该工作表中添加，并在不需要它的情景中删除。", row, "action",
                          s=sheet_name(table))
                return None
            if len(key) < len(keys):
                self.fail("a new row of sheet '{s}' needs its whole key: {k}.", "工作表“{s}”的新增行须填写完整的键：{k}。",
                          row, "key", s=sheet_name(table), k=items(column_name(table, k) for k in keys))
                return None
            if hit.any():
                self.fail("sheet '{s}' already has the row {v} (row {r}); use set to change it.",
                          "工作表“{s}”已有行 {v}（第 {r} 行）；请用“修改”调整它。", row, "key", s=sheet_name(table),
                          v=_shown_key(key), r=int(frame.index[np.flatnonzero(hit)[0]]))
                return None
            group = self.added.setdefault((str(r["scenario_id"]), table, key), len(self.added))
            self.group_cols.setdefault(group, set()).add(column)
            self.group_row.setdefault(group, row)
        elif not hit.any():
            self.fail("no row of sheet '{s}' has the key {v}.", "工作表“{s}”中没有键为 {v} 的行。", row, "key",
                      s=sheet_name(table), v=_shown_key(key) if key else "-")
            return None
        value = None
        if action != "remove":
            col = REGISTRY[table].column(column)
            ok, value = self.value(row, col, r["value"], table)
            if not ok:
                return None
            if table == "PlanTiers" and column == "lower_bound":
                self.attainment_bound(row, key, value)
        rows = tuple(int(x) for x in frame.index[hit]) if action != "add" else ()
        return key, rows, value, group

    def attainment_bound(self, row: int, key: tuple, value: object) -> None:
        """A tier start of a plan on quota attainment is a fraction (1 = 100%): 80 there means 80%."""
        plans = self.tables.get("Plans")
        if value is None or plans is None or not key:
            return
        on_attainment = set(plans.loc[plans["measure"] == "attainment", "plan_id"].dropna())
        if key[0] in on_attainment and float(value) > 5:  # type: ignore[arg-type]
            v = float(value)  # type: ignore[arg-type]
            self.fail("plan {plan} tiers on quota attainment, written as a fraction (100% is 1.0): {v} would be "
                      "{pct}%. Did you mean {v}%? Type it as {v}%.",
                      "方案 {plan} 按配额达成率分档，1 表示 100%：{v} 相当于 {pct}%。是否应为 {v}%？请输入 {v}%。", row,
                      "value", plan=key[0], v=f"{v:g}", pct=f"{v * 100:g}")

    def tier_pay(self, key: tuple) -> str:
        """The column a new tier of plan ``key[0]`` pays by: Per unit on a plan paying on quantity, else Rate."""
        plans = self.tables.get("Plans")
        if plans is None or not key or "commission_base" not in plans:
            return "rate"
        base = plans.loc[plans["plan_id"] == key[0], "commission_base"]
        return "per_unit" if (base == "quantity").any() else "rate"

    def complete_adds(self) -> None:
        """Every new row has its table's required cells (a new tier: the rate, or the money per unit, its plan
        pays by)."""
        for (_, table, key), group in self.added.items():
            t = REGISTRY[table]
            required = {c.name for c in t.columns if c.required} | ({self.tier_pay(key)} if table == "PlanTiers" else set())
            needed = [c.name for c in t.columns
                      if c.name in required and c.name not in t.key and c.name not in self.group_cols[group]]
            if needed:
                self.fail("the new row {v} of sheet '{s}' needs {cols} too (one row per column).",
                          "工作表“{s}”的新增行 {v} 还须填写 {cols}（每列一行）。", self.group_row[group], "key",
                          v=_shown_key(key), s=sheet_name(table), cols=items(column_name(table, c) for c in needed))


_EXAMPLES = {"Plans": "STD", "PlanTiers": "STD / 120%", "PlanAssignments": "R0012 / 2026-01-01",
             "CompanyTarget": "2026", "TargetLevels": "3", "KPIWeights": "rep / SALES", "WeightMethods": "rep",
             "RatingBands": "A"}


def check_scenarios(tables: dict[str, pd.DataFrame], sheets: Mapping[str, str],
                    shown: Mapping[tuple[str, str], str], warnings: list[Problem],
                    check_cells: CheckCells) -> list[Problem]:
    """Problems of the Scenarios rows; the frame gets its typed overrides (``TYPED`` columns) in place.

    ``check_cells`` is validation's own cell check (``validate._check_column``), handed in so a value is
    read by exactly the rules of the column it replaces."""
    frame = tables.get("Scenarios")
    if frame is None or not len(frame) or "Scenarios" not in sheets:
        return []
    check = _Check(tables, sheets["Scenarios"], shown, warnings, check_cells)
    typed: dict[str, list[object]] = {name: [] for name in TYPED}
    for row, r in frame.iterrows():
        out = check.row(int(row), r)
        key, rows, value, group = out if out is not None else (None, (), None, -1)
        for name, v in zip(TYPED, (key, rows, value, group), strict=True):
            typed[name].append(v)
    check.complete_adds()
    out = frame.copy()
    for name, values in typed.items():
        out[name] = pd.Series(values, index=frame.index, dtype=object)
    tables["Scenarios"] = out
    return check.problems
