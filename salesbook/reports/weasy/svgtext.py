"""SVG chart labels laid out as one run of text instead of letter by letter.

WeasyPrint (70) lays out and draws each letter of an SVG ``<text>`` separately, so that per-letter
``x``/``y``/``dx``/``dy``/``rotate`` lists can move single letters. Chart labels never use those; for
them a per-letter layout only costs time: a rep review's charts hold about 180 letters, and their
separate Pango layouts took 3-10% of the review's rendering time in our measurements. For a ``<text>`` whose letters
all follow one another (at most one ``x`` and one ``y``, no ``dx``, ``dy``, ``rotate``, ``textLength``
or ``letter-spacing``), the text is handed to WeasyPrint as a string that iterates as a single
"letter": one layout, one draw. CJK and digits land where the per-letter loop puts them; Latin labels
are kerned where the font has kerning pairs, as browsers draw SVG text and as WeasyPrint sets HTML text
(the per-letter loop never kerns): "Target" ends 0.89 pt further left, the most in the demo reviews.

The seam is thin on purpose: WeasyPrint's own text function still does everything, only what it
iterates over changes. When the installed WeasyPrint is not shaped as expected, nothing is changed.

One more thing follows from the single run: WeasyPrint lays each label out once to measure it and again
for its (only) "letter", the same text with the same style. The second layout is handed the first one's
result instead (``split_first_line`` as ``weasyprint.svg.text`` looks it up; the HTML layout code holds its
own reference and never sees this). scripts/instructions.py (3 demo zh rep reviews): 886.4 and 888.7 M
instructions per review in two runs before, 880.6 M after.
"""

from __future__ import annotations

import threading
from typing import Any

from salesbook.reports.weasy.swap import restore, swap, swapped

PER_LETTER = ("dx", "dy", "rotate", "textLength", "letter-spacing")


class OneRun(str):
    """Text that iterates as one item (itself): WeasyPrint's per-letter loop runs once."""

    __slots__ = ()

    def __iter__(self):
        yield str(self)


def letters_follow_on(attrib: Any, text: str | None) -> bool:
    """True when no letter of the text is placed on its own."""
    if not text or len(text) < 2 or isinstance(text, OneRun):
        return False
    if any(key in attrib for key in PER_LETTER):
        return False
    return all(len(str(attrib.get(axis, "")).replace(",", " ").split()) <= 1 for axis in ("x", "y"))


def install() -> bool:
    """Route WeasyPrint's SVG text through the one-run path (once per process); False if not possible."""
    try:
        import weasyprint.svg as svg
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency
        return False
    original = getattr(svg, "text", None)
    if swapped(svg, "text"):  # installed already
        return True
    tags = getattr(svg, "TAGS", None)
    if not callable(original) or not isinstance(tags, dict) or tags.get("text") is not original:
        return False

    def text(svg_obj, node, font_size):
        element = getattr(node, "_etree_node", None)
        if element is not None and letters_follow_on(node.attrib, element.text):
            element.text = OneRun(element.text)
        try:
            return original(svg_obj, node, font_size)
        finally:
            _measured.value = None

    _install_layout_memo()
    # The drawing code compares TAGS entries with the module's ``text`` to find text nodes (for
    # text-anchor), so both are replaced together.
    for tag, fn in list(tags.items()):
        if fn is original:
            tags[tag] = text
    swap(svg, "text", text)
    return True


def uninstall() -> None:
    """Back to WeasyPrint's own per-letter path (the benchmark's baseline, and tests comparing both)."""
    import weasyprint.svg as svg

    _uninstall_layout_memo()
    replacement = svg.text
    if not restore(svg, "text"):
        return
    for tag, fn in list(svg.TAGS.items()):
        if fn is replacement:
            svg.TAGS[tag] = svg.text


_measured = threading.local()   # the last one-run label's layout, while WeasyPrint draws that label


def _install_layout_memo() -> None:
    """The label's second layout (text, style and context as in the first) takes the first one's result."""
    import weasyprint.text.line_break as line_break

    layout_first_line = line_break.split_first_line
    if swapped(line_break, "split_first_line"):
        return

    def split_first_line(text, style, context, *args, **kwargs):
        measured = getattr(_measured, "value", None)
        if type(text) is OneRun:
            result = layout_first_line(text, style, context, *args, **kwargs)
            _measured.value = (str(text), style, context, args, kwargs, result)
            return result
        if measured is not None:
            _measured.value = None
            same_text, same_style, same_context, same_args, same_kwargs, result = measured
            if (text == same_text and style is same_style and context is same_context and args == same_args
                    and kwargs == same_kwargs):
                return result
        return layout_first_line(text, style, context, *args, **kwargs)

    swap(line_break, "split_first_line", split_first_line)


def _uninstall_layout_memo() -> None:
    import weasyprint.text.line_break as line_break

    restore(line_break, "split_first_line")
