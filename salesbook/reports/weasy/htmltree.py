"""Our own review HTML handed to WeasyPrint as an element tree parsed by expat, not by its HTML parser.

Why: WeasyPrint parses every document with tinyhtml5, a pure-Python HTML5 tokenizer that spends about a
tenth of a review's rendering time on a 6 KB page. The packaged templates write well-formed markup (void
elements closed, only XML's five entities, everything escaped by jinja2), so the C XML parser of the
standard library builds the same tree in well under a millisecond. Anything that is not well-formed XML
(a user's own template with ``<br>`` or ``&nbsp;``) goes through WeasyPrint's own parser as before.

The seam is thin: a ``weasyprint.HTML`` whose tree is given instead of parsed, setting the same four
attributes its constructor sets. tests/reports/test_htmltree.py checks that both routes give the same PDF
bytes for every kind of review, so a WeasyPrint release that changes those attributes fails there.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import cssselect2
from weasyprint import HTML


class TreeHTML(HTML):
    """``weasyprint.HTML`` over a tree that is already parsed (no ``<base>``, so the base URL stays None),
    optionally with a user-agent stylesheet of our own (``uasheet``) in place of WeasyPrint's."""

    def __init__(self, root: ElementTree.Element, url_fetcher: Any, ua_sheet: Any = None):
        # the four attributes HTML.__init__ sets
        self.base_url = None
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element
        self.ua_sheet = ua_sheet

    def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
        if self.ua_sheet is None or forms:
            return super()._ua_stylesheets(forms)
        return [self.ua_sheet]


def parse(html: str) -> ElementTree.Element | None:
    """The document's root element, or None where the text is not well-formed XML."""
    try:
        return ElementTree.fromstring(html)
    except ElementTree.ParseError:
        return None


def document(html: str, url_fetcher: Any, ua_sheet: Any = None) -> HTML:
    """A ``weasyprint.HTML`` for ``html``: from the expat tree where it parses, else WeasyPrint's own way
    (with its own user-agent stylesheet)."""
    root = parse(html)
    if root is None or root.tag != "html" or root.find(".//base") is not None:
        return HTML(string=html, url_fetcher=url_fetcher)
    return TreeHTML(root, url_fetcher, ua_sheet)
