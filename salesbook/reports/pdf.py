"""HTML -> PDF with WeasyPrint, set up once per process and reused for every document it renders.

What is shared across documents: the restricted fetcher, one ``FontConfiguration`` with the batch's
small CJK subset registered through ``@font-face``, and the parsed stylesheet. Each document then only
pays for its own layout and drawing. The PDF identifier is derived from the HTML, and the creation and
modification dates come from the HTML's ``dcterms`` meta tags, so a pinned date gives identical bytes.
The shortcuts into WeasyPrint, pydyf and CPython live in ``salesbook.reports.weasy``, each used only on the
versions it was verified on (its README.md).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import logging
import multiprocessing.util
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from salesbook.reports import weasy
from salesbook.reports.fonts import FontFiles
from salesbook.reports.weasy import framestack, uasheet

# The cut font's digits all have one advance width already (Noto Sans CJK SC has no separate tabular
# figures), so asking for them only makes every amount's layout carry a font-feature attribute: the same
# PDF bytes without it, and 1,278.2 M -> 1,271.4 M instructions per fiscal-year zh rep review (-0.5%;
# scripts/instructions.py --period 2026, callgrind).
SAME_WIDTH_DIGITS = "\ntd.n, th.n { font-variant-numeric: normal; }\n"


@dataclass(frozen=True)
class PdfOptions:
    fonts: FontFiles | None = None
    user_dir: str | None = None
    default_path: bool = False   # plain WeasyPrint (system fonts, fresh setup per document): the benchmark baseline


class PdfRenderer:
    """Renders many documents in one process with the same fonts and stylesheet."""

    def __init__(self, options: PdfOptions):
        from weasyprint.text.fonts import FontConfiguration

        from salesbook.reports.fetcher import ASSETS, AssetFetcher
        from salesbook.reports.templates import stylesheet

        self.options = options
        if not options.default_path:
            weasy.apply()   # the seams verified for the installed WeasyPrint, pydyf and Python
        roots = [ASSETS]
        if options.fonts is not None:
            roots.append(options.fonts.regular.parent)
        self.fetcher = AssetFetcher(roots)
        self.font_config = FontConfiguration()
        css = stylesheet(options.user_dir)
        if options.fonts is not None and not options.default_path:
            css = options.fonts.css(self.fetcher.url_for) + css + SAME_WIDTH_DIGITS
        self._css_text = css
        self._css: dict[str, object] = {}
        self._lean_ua = not uasheet.uses_pseudo_boxes(css)
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)

    def stylesheet_text(self, lang: str) -> str:
        """The shared stylesheet plus the footer's "page X of Y" in the document's language."""
        from salesbook.reports.templates import labels

        text = labels(self.options.user_dir, lang).get("page", "Page {page} of {pages}")
        parts = re.split(r"(\{page\}|\{pages\})", text)
        content = " ".join(f"counter({p[1:-1]})" if p in ("{page}", "{pages}") else _css_string(p) for p in parts if p)
        return self._css_text + f"\n@page {{ @bottom-right {{ content: {content}; }} }}\n"

    def css(self, lang: str):
        from weasyprint import CSS

        if lang not in self._css:
            self._css[lang] = CSS(string=self.stylesheet_text(lang), font_config=self.font_config,
                                  url_fetcher=self.fetcher)
        return self._css[lang]

    def render(self, html: str, charts: dict[str, str] | None = None, lang: str = "en") -> bytes:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        identifier = hashlib.md5(html.encode("utf-8"), usedforsecurity=False)
        for key in sorted(charts or ()):
            identifier.update(charts[key].encode("utf-8"))  # type: ignore[index]
        identifier = identifier.hexdigest().encode()
        self.fetcher.charts = dict(charts or {})
        if self.options.default_path:  # what a naive caller does: new font setup and stylesheet per document
            font_config = FontConfiguration()
            css = CSS(string=self.stylesheet_text(lang), font_config=font_config, url_fetcher=self.fetcher)
            doc = HTML(string=html, url_fetcher=self.fetcher).render(stylesheets=[css], font_config=font_config)
            return doc.write_pdf(pdf_identifier=identifier)
        weasy.notice(lang)
        with collect_once():  # the document is a local of _write, so it is garbage by the time we collect
            if weasy.on("framestack"):
                return framestack.call(self._write, html, lang, identifier)
            return self._write(html, lang, identifier)

    def _write(self, html: str, lang: str, identifier: bytes) -> bytes:
        from weasyprint import HTML

        from salesbook.reports.weasy import htmltree, pdfid

        if weasy.on("htmltree"):
            lean = weasy.on("uasheet") and self._lean_ua and not uasheet.uses_pseudo_boxes(html)
            document = htmltree.document(html, self.fetcher, uasheet.lean_sheet() if lean else None)
        else:
            document = HTML(string=html, url_fetcher=self.fetcher)
        doc = document.render(stylesheets=[self.css(lang)], font_config=self.font_config)
        if weasy.on("pdfid"):
            return pdfid.with_identifier(doc.write_pdf(), identifier)
        return doc.write_pdf(pdf_identifier=identifier)


@contextmanager
def collect_once() -> Iterator[None]:
    """No garbage collection while a document renders, then one pass over the young objects it left.

    Why: layout makes hundreds of thousands of short-lived objects, so the collector would otherwise run
    dozens of times per review, each time also walking what the earlier runs promoted. One collection of
    the youngest generation afterwards frees the document's reference cycles and never walks the older
    heap (the caller's workbook, WeasyPrint's caches). Measured on 20 demo reviews rendered 10 times in one
    process: 38 ms of collection per review with the default thresholds, 26 ms with the workers' raised
    ones, 14 ms this way, and memory flat at 154 MB. The document must be unreachable when the pass runs
    (see ``render``), or it is promoted instead of freed and memory grows by about 5 MB per review.
    """
    if not gc.isenabled():  # a caller that manages the collector itself
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def _css_string(text: str) -> str:
    """A CSS string literal (labels come from a user's labels.json)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"'


_RENDERERS: dict[tuple[PdfOptions, int], PdfRenderer] = {}


def renderer(options: PdfOptions) -> PdfRenderer:
    """This thread's renderer for these options (created on first use, then reused).

    One per thread, not per process: a renderer hands the charts of the document it is rendering to its
    URL fetcher, so two reviews rendering at once in one process (a Dask worker with several threads)
    must not share one, or a review could print another's charts.
    """
    key = (options, threading.get_ident())
    r = _RENDERERS.get(key)
    if r is None:
        _forget_at_exit(os.getpid())   # per process: a forked worker starts with no exit handlers of its own
        r = _RENDERERS[key] = PdfRenderer(options)
    return r


def forget_renderers() -> None:
    """Drop the set-up renderers (their stylesheet came from templates that have since changed)."""
    _RENDERERS.clear()
    gc.collect()   # a renderer's font set-up removes its folder when collected


@functools.cache
def _forget_at_exit(pid: int) -> None:
    """Drop the renderers when the process ends, while it can still clean up after them.

    Why: WeasyPrint copies the fonts of a stylesheet's @font-face rules into a temporary folder and removes it
    when the font set-up is collected. A worker ends without collecting it, and the interpreter at shutdown
    collects it after ``shutil`` is gone. Either way the folder stayed in the temporary directory: about
    390 KB for every worker of every ``salesbook report``. multiprocessing runs this at the end of a worker
    process and, through atexit, of the main one."""
    multiprocessing.util.Finalize(None, forget_renderers, exitpriority=0)


def write_pdf(html: str, target: Path, options: PdfOptions) -> Path:
    target.write_bytes(renderer(options).render(html))
    return target
