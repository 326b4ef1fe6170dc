"""The workbook contract: one registry of every input and output table.

Domain modules (core, targets, leads, commissions, kpi, scenarios) each declare their tables; this module
collects them in a fixed order so templates, docs and validation all agree.
"""

from __future__ import annotations

from salesbook.schemas import commissions, core, kpi, leads, scenarios, targets
from salesbook.schemas._types import NUMERIC_KINDS, Choice, Column, Kind, Setting, Table

_MODULES = (core, targets, leads, commissions, kpi, scenarios)

REGISTRY: dict[str, Table] = {}
for _module in _MODULES:
    for _table in _module.TABLES:
        if _table.name in REGISTRY:
            raise RuntimeError(f"table {_table.name} declared twice")
        REGISTRY[_table.name] = _table

SETTINGS: dict[str, Setting] = {}
for _module in _MODULES:
    for _setting in getattr(_module, "SETTINGS", ()):
        if _setting.key in SETTINGS:
            raise RuntimeError(f"setting {_setting.key} declared twice")
        SETTINGS[_setting.key] = _setting


def get_table(name: str) -> Table:
    return REGISTRY[name]


def input_tables() -> list[Table]:
    return [t for t in REGISTRY.values() if not t.output]


def output_tables() -> list[Table]:
    return [t for t in REGISTRY.values() if t.output]


__all__ = [
    "NUMERIC_KINDS",
    "REGISTRY",
    "SETTINGS",
    "Choice",
    "Column",
    "Kind",
    "Setting",
    "Table",
    "get_table",
    "input_tables",
    "output_tables",
]
