"""SVG chart labels laid out as one run of text instead of letter by letter.

WeasyPrint (70) lays out and draws each letter of an SVG ``<text>`` separately, so that per-letter
``x``/``y``/``dx``/``dy``/``rotate`` lists can move single letters. Chart labels never use those; for
them a per-letter layout only costs time: a rep review's charts hold about 180 letters, and their
separate Pango layouts took 3-10% of the review's rendering time in our measurements. For a ``<text>`` whose letters
all follow one another (at most one ``x`` and one ``y``, no ``dx``, ``dy``, ``rotate``, ``textLength``
or ``letter-spacing``), the text is handed to WeasyPrint as a string that iterates as a single
"letter": one layout, one draw, same glyph positions (Pango advances the glyphs as the per-letter
loop did, and kerning pairs are kept where the font has them).

The seam is thin on purpose: WeasyPrint's own text function still does everything, only what it
iterates over changes. When the installed WeasyPrint is not shaped as expected, nothing is changed.
"""

from __future__ import annotations

from typing import Any

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
    if hasattr(original, "__wrapped__"):  # installed already
        return True
    tags = getattr(svg, "TAGS", None)
    if not callable(original) or not isinstance(tags, dict) or tags.get("text") is not original:
        return False

    def text(svg_obj, node, font_size):
        element = getattr(node, "_etree_node", None)
        if element is not None and letters_follow_on(node.attrib, element.text):
            element.text = OneRun(element.text)
        return original(svg_obj, node, font_size)

    text.__wrapped__ = original  # type: ignore[attr-defined]
    # The drawing code compares TAGS entries with the module's ``text`` to find text nodes (for
    # text-anchor), so both are replaced together.
    for tag, fn in list(tags.items()):
        if fn is original:
            tags[tag] = text
    svg.text = text
    return True


def uninstall() -> None:
    """Back to WeasyPrint's own per-letter path (the benchmark's baseline, and tests comparing both)."""
    import weasyprint.svg as svg

    original = getattr(svg.text, "__wrapped__", None)
    if original is None:
        return
    for tag, fn in list(svg.TAGS.items()):
        if fn is svg.text:
            svg.TAGS[tag] = original
    svg.text = original
