"""Performance reviews (rep, region, company) as HTML and PDF from a computed workbook.

Import cost matters: the calculation side never imports this package, and this module only pulls in
pandas-level code; WeasyPrint is imported inside the worker that renders PDFs.
"""

from __future__ import annotations

from salesbook.extras import require

require("reports")  # WeasyPrint and jinja2 are the reports extra: say how to install it, not a bare ImportError

from salesbook.reports.api import build_reports, render_reviews  # noqa: E402
from salesbook.reports.batch import BatchResult, Failure  # noqa: E402

__all__ = ["BatchResult", "Failure", "build_reports", "render_reviews"]
