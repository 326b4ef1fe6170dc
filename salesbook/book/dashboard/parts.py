"""The dashboard as package parts for the graft: worksheet, drawing, charts, their relationships, their
content types, and the print area's defined name.

New drawing and chart parts take the first numbers no part of the user's still uses, so a rerun that
drops the previous dashboard reuses its names instead of counting up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from salesbook.book.dashboard.chartxml import chart_xml, drawing_xml
from salesbook.book.dashboard.model import Dashboard
from salesbook.book.dashboard.sheetxml import column_pixels, sheet_xml
from salesbook.book.package import relative, rels_of

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DRAWING_REL, CHART_REL = REL_NS + "/drawing", REL_NS + "/chart"
DRAWING_CT = "application/vnd.openxmlformats-officedocument.drawing+xml"
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
PRINT_AREA = "_xlnm.Print_Area"
ROW_PIXELS = 20  # the default 15-point row


@dataclass
class Parts:
    parts: dict[str, bytes] = field(default_factory=dict)
    content_types: list[tuple[str, str]] = field(default_factory=list)  # (part, content type) overrides


def _free(taken: set[str], pattern: str, count: int) -> list[int]:
    """``count`` numbers n, lowest first, for which ``pattern % n`` names no part in use."""
    out, n = [], 1
    while len(out) < count:
        if pattern % n not in taken:
            out.append(n)
        n += 1
    return out


def _rels(items: Iterable[tuple[str, str, str]]) -> bytes:
    tags = "".join(f'<Relationship Id="{rid}" Type="{escape(t)}" Target="{escape(target)}"/>' for rid, t, target in items)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships">{tags}</Relationships>').encode()


def dashboard_parts(board: Dashboard, sheet_part: str, in_use: set[str], styles: dict[str, int], *,
                    selected: bool, head: str = "", tail: str = "",
                    carried_rels: Iterable[tuple[str, str, str]] = ()) -> Parts:
    """Every part of the dashboard sheet. ``head``/``tail``/``carried_rels``: the sheet properties, print
    settings and their relationships carried from the dashboard this one replaces."""
    out = Parts()
    (drawing_n,) = _free(in_use, "xl/drawings/drawing%d.xml", 1)
    chart_ns = _free(in_use, "xl/charts/chart%d.xml", len(board.charts))
    drawing = f"xl/drawings/drawing{drawing_n}.xml"
    out.parts[sheet_part] = sheet_xml(board, styles, selected=selected, head=head, tail=tail)
    out.parts[rels_of(sheet_part)] = _rels([("rId1", DRAWING_REL, relative(sheet_part, drawing)),
                                            *((rid, t, relative(sheet_part, target)) for rid, t, target in carried_rels)])
    chart_parts = [f"xl/charts/chart{n}.xml" for n in chart_ns]
    rids = [f"rId{k}" for k in range(1, len(chart_parts) + 1)]
    out.parts[drawing] = drawing_xml(board.charts, rids, (column_pixels(), ROW_PIXELS))
    out.parts[rels_of(drawing)] = _rels((rid, CHART_REL, relative(drawing, part))
                                        for rid, part in zip(rids, chart_parts, strict=True))
    out.content_types.append((drawing, DRAWING_CT))
    for chart, part in zip(board.charts, chart_parts, strict=True):
        out.parts[part] = chart_xml(chart, board.lang)
        out.content_types.append((part, CHART_CT))
    return out


def print_area_name(board: Dashboard, sheet_index: int, tag: str = "definedName") -> str:
    """The sheet's print area as a workbook defined name (``tag`` carries the prefix the workbook uses)."""
    return f"<{tag} name={quoteattr(PRINT_AREA)} localSheetId=\"{sheet_index}\">{escape(board.print_area())}</{tag}>"


def has_print_area(names: Iterable[tuple[str | None, str | None]], sheet_index: int | None) -> bool:
    """Whether (name, localSheetId) pairs hold a print area for the sheet at ``sheet_index``."""
    return sheet_index is not None and any(
        (n or "").casefold() == PRINT_AREA.casefold() and s is not None and re.fullmatch(r"\d+", s)
        and int(s) == sheet_index for n, s in names)
