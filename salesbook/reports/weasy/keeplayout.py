"""A text's Pango layout kept from measuring to drawing instead of being made and shaped again.

Why: WeasyPrint (70) lays a text out with Pango to measure it, then throws the Pango objects away
(``first_line_metrics`` ends in ``Layout.deactivate``) so that a long document does not hold them all;
to draw the text it makes them again (``Layout.reactivate``: a new Pango context, font description and
layout, the text set and shaped once more). A review is three pages of short table cells, and about 700
layouts were made for 406 measured texts. Keeping the measured layout until it is drawn is cheap at that
size. Measured with ``scripts/instructions.py --period 2026`` (callgrind, 3 demo zh rep reviews of the
fiscal year): 1,314.9 M instructions per review without, 1,278.2 M with (-2.8%).

What it does: a layout deactivated at the end of measuring is marked as kept instead; the next
``reactivate`` of it with the same style object and no justification spacing (what drawing asks for when
nothing changed in between) uses it as it is. Any other reactivation, and every deactivation outside
measuring, goes to WeasyPrint's own methods. The drawn text is the same: the kept layout holds the same
text in the same font and style, and its one line is the line measured. Where WeasyPrint is not shaped as
expected, nothing is changed.
"""

from __future__ import annotations

import inspect
from typing import Any

from salesbook.reports.weasy.swap import restore, swap, swapped

_PARAMETERS = ("first_line", "text", "layout", "resume_at", "space_collapse", "style", "hyphenated",
               "hyphenation_character")


def install() -> bool:
    """Keep measured layouts for drawing (once per process); False if WeasyPrint is not shaped as expected."""
    try:
        import weasyprint.text.line_break as line_break
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency
        return False
    metrics = getattr(line_break, "first_line_metrics", None)
    layout_class = getattr(line_break, "Layout", None)
    if metrics is None or layout_class is None:
        return False
    if swapped(line_break, "first_line_metrics"):   # installed already
        return True
    if tuple(inspect.signature(metrics).parameters) != _PARAMETERS or not all(
            callable(getattr(layout_class, name, None)) for name in ("deactivate", "reactivate", "setup", "set_text")):
        return False
    deactivate, reactivate = layout_class.deactivate, layout_class.reactivate

    def first_line_metrics(first_line: Any, text: Any, layout: Any, *args: Any, **kwargs: Any) -> Any:
        layout._sb_measuring = True
        try:
            return metrics(first_line, text, layout, *args, **kwargs)
        finally:
            layout._sb_measuring = False

    def keep_or_deactivate(self: Any) -> None:
        if getattr(self, "_sb_measuring", False):
            self._sb_kept = True     # measured: kept for drawing
            return
        self._sb_kept = False
        deactivate(self)

    def reuse_or_reactivate(self: Any, style: Any) -> None:
        kept, self._sb_kept = getattr(self, "_sb_kept", False), False
        if kept and style is self.style and not self.justification_spacing:
            return
        reactivate(self, style)

    swap(line_break, "first_line_metrics", first_line_metrics)
    swap(layout_class, "deactivate", keep_or_deactivate)
    swap(layout_class, "reactivate", reuse_or_reactivate)
    return True


def uninstall() -> None:
    """WeasyPrint's own measuring and drawing back (the benchmark's baseline, and tests comparing both)."""
    import weasyprint.text.line_break as line_break

    if restore(line_break, "first_line_metrics"):
        restore(line_break.Layout, "deactivate")
        restore(line_break.Layout, "reactivate")
