"""Worksheet functions (UDFs) for Excel, via xlwings.

Point ``UDF_MODULES`` in the workbook's ``xlwings.conf`` sheet at ``salesbook.excel.functions``.
The decorators come from ``xlwings`` itself: on Windows they register classic UDFs, in xlwings
Lite/Server they register custom functions, and elsewhere (Linux, tests) they leave the function
unchanged, so every function here is also a plain Python function.

Functions live in one module per engine and are re-exported here; xlwings finds them by the
attributes its decorators set, wherever they were defined.
"""

from __future__ import annotations

import xlwings as xw

from salesbook.excel._commissions import SB_COMMISSION, SB_TIER_RATE
from salesbook.excel._kpi import SB_AHP_CR, SB_AHP_WEIGHTS, SB_ENTROPY_WEIGHTS, SB_KPI_SCORE
from salesbook.excel._leads import SB_GRADE, SB_LEAD_SCORE
from salesbook.excel._targets import SB_ALLOCATE, SB_SEASONALIZE
from salesbook.version import __version__

__all__ = [
    "SB_AHP_CR",
    "SB_AHP_WEIGHTS",
    "SB_ALLOCATE",
    "SB_COMMISSION",
    "SB_ENTROPY_WEIGHTS",
    "SB_GRADE",
    "SB_KPI_SCORE",
    "SB_LEAD_SCORE",
    "SB_SEASONALIZE",
    "SB_TIER_RATE",
    "SB_VERSION",
]


@xw.func
@xw.ret(index=False, header=False)
def SB_VERSION() -> str:
    """salesbook version / salesbook 版本号"""
    return __version__
