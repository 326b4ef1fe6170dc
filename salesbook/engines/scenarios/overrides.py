"""A scenario's tables: the validated base tables with its overrides applied, nothing copied that it leaves.

Overrides arrive checked and typed (the boundary resolved every key to the base rows it reaches, by their
Excel row): ``set`` writes a cell of those rows, ``remove`` drops them, ``add`` appends one new row per key
(its cells gathered from every ``add`` line with that key). Tables whose key columns changed or grew are
put back in key order, since the engines read some of them in order (a plan's tiers ascend).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Override:
    """One checked Scenarios row."""

    scenario: str
    table: str
    action: str                 # set, add or remove
    column: str | None
    value: object
    rows: tuple[int, ...] = ()  # base rows reached (their Excel row numbers), for set and remove
    key: tuple = ()             # the key values, for add
    group: int = -1             # add lines with the same key fill one new row
    source: int = 0             # the Scenarios row, so a new row can be traced back to it


def touched(overrides: Sequence[Override]) -> set[str]:
    return {o.table for o in overrides}


def apply_overrides(tables: Mapping[str, pd.DataFrame], overrides: Sequence[Override],
                    keys: Mapping[str, Sequence[str]]) -> dict[str, pd.DataFrame]:
    """The scenario's view of ``tables``: the touched ones copied and changed, the others the same objects."""
    out = dict(tables)
    changed: dict[str, pd.DataFrame] = {}
    new_rows: dict[tuple[str, int], dict[str, object]] = {}
    reorder: set[str] = set()
    for o in overrides:
        if o.table not in changed:
            changed[o.table] = tables[o.table].copy()
        frame = changed[o.table]
        if o.action == "remove":
            changed[o.table] = frame.drop(index=[r for r in o.rows if r in frame.index])
        elif o.action == "set":
            rows = [r for r in o.rows if r in frame.index]
            if o.column not in frame.columns:
                frame[o.column] = None
            frame[o.column] = frame[o.column].astype(object)
            frame.loc[rows, o.column] = o.value
            if o.column in keys.get(o.table, ()):
                reorder.add(o.table)
        else:
            cells = new_rows.setdefault((o.table, o.group), {"__source": o.source,
                                                             **dict(zip(keys[o.table], o.key, strict=True))})
            cells[str(o.column)] = o.value
            reorder.add(o.table)
    for (table, _), cells in new_rows.items():
        frame = changed[table]
        label = cells.pop("__source")
        row = pd.DataFrame([cells], index=pd.Index([label], name=frame.index.name))
        changed[table] = pd.concat([frame.astype(object), row.astype(object)], sort=False)[list(frame.columns)]
    for table, frame in changed.items():
        if table in reorder and len(frame):
            frame = frame.sort_values(list(keys[table]), kind="stable")
        out[table] = _typed_like(frame, tables[table])
    return out


def _typed_like(frame: pd.DataFrame, base: pd.DataFrame) -> pd.DataFrame:
    """Columns back to the dtypes validation gave the base table (a written cell made them object)."""
    out = frame.copy()
    for name in base.columns:
        if name in out.columns and out[name].dtype != base[name].dtype:
            try:
                out[name] = out[name].astype(base[name].dtype)
            except (TypeError, ValueError):
                out[name] = pd.Series(out[name].to_list(), index=out.index).infer_objects()
    return out
