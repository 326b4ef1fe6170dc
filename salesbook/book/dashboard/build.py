"""The dashboard of a run: which sections it has, the title over them and the key figures beside them.

Each chart has its own small table under the chart grid; every figure in it is a formula over an Out_
table (see ``formulas``), so a user who edits an Out_ sheet and recalculates sees the charts follow.
A chart whose Out_ tables the run did not write is left out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping

import pandas as pd

from salesbook.book.dashboard import sections
from salesbook.book.dashboard.formulas import Source
from salesbook.book.dashboard.labels import say
from salesbook.book.dashboard.layout import Figure, Layout, money_format, scaled
from salesbook.book.dashboard.model import Cell, Dashboard, slot_cells
from salesbook.schemas import REGISTRY, Kind

Headers = Callable[[str, pd.DataFrame], dict[str, str]]  # table name, frame -> header per column as written
_MONTH = re.compile(r"^\d{4}-\d{2}$")
INPUTS = ("Regions", "GradeBands", "RatingBands")   # the input tables the dashboard reads (the rest are outputs)
__all__ = ["INPUTS", "Headers", "build_dashboard", "money_format", "scaled"]


def build_dashboard(outputs: Mapping[str, pd.DataFrame], inputs: Mapping[str, pd.DataFrame],
                    settings: Mapping[str, object], lang: str, headers: Headers) -> Dashboard | None:
    """The dashboard over this run's outputs, or None when none of its charts has data."""
    lang = "zh" if lang == "zh" else "en"
    currency = settings.get("currency") or "CNY"
    as_of = settings.get("as_of_date")
    as_of = as_of if isinstance(as_of, dt.date) else None
    lay = Layout(lang, currency)

    def source(name: str) -> Source | None:
        frame = outputs.get(name)
        if frame is None or not len(frame):
            return None
        return Source(name, _as_shown(name, frame.reset_index(drop=True), lang), headers(name, frame))

    variance, accruals = source("Out_TargetVariance"), source("Out_Accruals")
    leads, cards = source("Out_LeadScores"), source("Out_PeriodScorecards")
    months = _months(variance, settings)
    figures: list[Figure] = []  # label, formula, value, style
    if variance is not None and months:
        figures += sections.monthly(lay, variance, months, as_of)
        sections.regions(lay, variance, inputs.get("Regions"))
    if accruals is not None and months:
        figures += sections.commission(lay, accruals, variance, months)
    if leads is not None and {"grade", "status"} <= set(leads.frame.columns):
        figures += sections.leads(lay, leads, inputs.get("GradeBands"))
    if cards is not None:
        figures += sections.ratings(lay, cards, inputs.get("RatingBands"))
    if not lay.board.charts:
        return None
    _header(lay, settings, as_of)
    _figures(lay, figures)
    return lay.board


def _as_shown(name: str, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Coded columns as the sheet shows them (a Chinese book writes choices by their Chinese labels)."""
    schema = REGISTRY.get(name)
    if schema is None or lang != "zh":
        return frame
    out = frame.copy()
    for col in schema.columns:
        if col.kind is Kind.CHOICE and col.name in out.columns:
            out[col.name] = out[col.name].map(lambda v, c=col: c.choice_label(v, lang) if isinstance(v, str) else v)
    return out


def _months(variance: Source | None, settings: Mapping[str, object]) -> list[str]:
    """The fiscal months: the company rows of the targets when there are any, else from the settings."""
    if variance is not None:
        f = variance.frame
        top = f[pd.to_numeric(f["level"], errors="coerce") == pd.to_numeric(f["level"], errors="coerce").min()]
        found = [p for p in top["period"].astype(str) if _MONTH.match(p)]
        if found:
            return list(dict.fromkeys(found))
    try:
        fy, start = int(settings.get("fiscal_year") or 0), int(settings.get("fiscal_year_start_month") or 1)
    except (TypeError, ValueError):
        return []
    if not fy:
        return []
    first = pd.Timestamp(fy if start == 1 else fy - 1, start, 1)  # as the targets engine counts fiscal years
    return [(first + pd.DateOffset(months=k)).strftime("%Y-%m") for k in range(12)]


def _header(lay: Layout, settings: Mapping[str, object], as_of: dt.date | None) -> None:
    lang = lay.lang
    lay.put(1, 1, Cell(say(lang, "title"), style="title"))
    lay.board.row_heights[1] = 24.0
    company = str(settings.get("company_name") or "")
    shown = as_of.isoformat() if as_of else "–"
    lay.put(2, 1, Cell(say(lang, "subtitle", company=company, fy=settings.get("fiscal_year") or "", as_of=shown),
                       style="subtitle"))
    lay.put(lay.data_top - 1, 1, Cell(say(lang, "how", row=lay.data_top), style="note"))


def _figures(lay: Layout, figures: list[Figure]) -> None:
    """The key figures in the grid slot after the last chart: a label and its value, each a formula over
    the tables below."""
    row, col = slot_cells(lay.board.figures_slot)
    lay.put(row + 1, col, Cell(say(lay.lang, "figures"), style="heading"))
    for k, (label, formula, value, style) in enumerate(figures):
        r = row + 3 + 2 * k
        lay.put(r, col, Cell(label, style="label"))
        lay.put(r, col + 2, Cell(value, formula, f"big_{style}"))
        lay.board.row_heights[r] = 21.0


