"""What the commission engine hands back; its own module so the engine and the statement assembly
(``pay``) can both name it without importing each other."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class CommissionResult:
    """Out_Commissions lines, Out_Statements and the Out_Accruals summary."""

    lines: pd.DataFrame
    statements: pd.DataFrame
    accruals: pd.DataFrame
    # credited lines of booked deals on a day their rep had no plan: they earn nothing (rep_id, deal_id)
    unplanned: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["rep_id", "deal_id"]))
