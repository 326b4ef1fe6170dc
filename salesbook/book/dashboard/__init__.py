"""The ``Out_Dashboard`` sheet: native Excel charts over the Out_ tables, fed by formula summaries.

``dashboard_for`` builds it from a run's outputs; the file path writes it as package parts (``parts``,
through ``graft``), live Excel through xlwings (``xlwings_book``).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from salesbook.book.dashboard.build import INPUTS, build_dashboard
from salesbook.book.dashboard.model import MARK, SHEET, Chart, Dashboard, Series


def dashboard_for(outputs: Mapping[str, pd.DataFrame], inputs: Mapping[str, pd.DataFrame],
                  settings: Mapping[str, object], lang: str) -> Dashboard | None:
    """The dashboard of a run, its formulas naming the Out_ tables' headers as they are written."""
    from salesbook.book.graft import table_headers
    from salesbook.schemas import REGISTRY

    def headers(name: str, frame: pd.DataFrame) -> dict[str, str]:
        return dict(zip(frame.columns, table_headers(frame.columns, REGISTRY.get(name), lang), strict=True))

    return build_dashboard(outputs, inputs, settings, lang, headers)


__all__ = ["INPUTS", "MARK", "SHEET", "Chart", "Dashboard", "Series", "build_dashboard", "dashboard_for"]
