"""Performance reviews (rep, region, company) as HTML and PDF from a computed workbook.

Import cost matters: the calculation side never needs the renderer, and importing this package loads nothing
but this file; WeasyPrint is imported inside the worker that renders PDFs.  The entry points below load on
first use, after checking the reports extra (WeasyPrint, jinja2) is installed: without it they raise
``MissingExtra``, which says how to install it, where a bare ImportError would not.  Modules that need neither
(``scenarios``' summary lines for ``salesbook model``) import without the extra.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["BatchResult", "Failure", "build_reports", "render_reviews"]
_HOME = {"build_reports": "api", "render_reviews": "api", "BatchResult": "batch", "Failure": "batch"}

if TYPE_CHECKING:
    from salesbook.reports.api import build_reports, render_reviews
    from salesbook.reports.batch import BatchResult, Failure


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from salesbook.extras import require

    require("reports")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
