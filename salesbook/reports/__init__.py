"""Performance reviews (rep, region, company) as HTML and PDF from a computed workbook.

Import cost matters: the calculation side never imports this package, and this module only pulls in
pandas-level code; WeasyPrint is imported inside the worker that renders PDFs.
"""

from __future__ import annotations

from salesbook.reports.api import build_reports, render_reviews
from salesbook.reports.batch import BatchResult, Failure

__all__ = ["BatchResult", "Failure", "build_reports", "render_reviews"]
