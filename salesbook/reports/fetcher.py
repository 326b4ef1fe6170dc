"""The only door WeasyPrint has to the outside: packaged assets and our cached fonts, nothing else.

Templates can be overridden by users and cell text ends up in the HTML, so the renderer must not be
able to read arbitrary files (``file:///etc/passwd``) or reach the network. Every URL goes through
``AssetFetcher``: ``sbasset:NAME`` maps to a file inside one of the allowed folders (after resolving
symlinks and ``..``), ``file://`` URLs are accepted only when they land inside those folders, and every
other URL is refused and remembered in ``refused`` so tests and logs can show what was blocked.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSETS = Path(__file__).resolve().parent / "assets"
SCHEME = "sbasset"


class RefusedURL(ValueError):
    """A resource outside the project's assets was requested."""


class AssetFetcher(URLFetcher):
    def __init__(self, roots: list[Path] | None = None):
        super().__init__(allowed_protocols=(SCHEME, "file"))
        self.roots = [r.resolve() for r in (roots or [ASSETS])]
        self.refused: list[str] = []

    def url_for(self, path: Path) -> str:
        path = path.resolve()
        for i, root in enumerate(self.roots):
            if path.is_relative_to(root):
                return f"{SCHEME}:{i}/{path.relative_to(root).as_posix()}"
        raise RefusedURL(f"{path} is not inside the allowed asset folders")

    def resolve(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.scheme == SCHEME:
            root_no, _, rel = unquote(parts.path).partition("/")
            if not root_no.isdigit() or int(root_no) >= len(self.roots):
                raise RefusedURL(url)
            root = self.roots[int(root_no)]
            candidate = (root / rel).resolve()
        elif parts.scheme == "file" and parts.netloc in ("", "localhost"):
            candidate = Path(unquote(parts.path)).resolve()
            root = next((r for r in self.roots if candidate.is_relative_to(r)), None)
            if root is None:
                raise RefusedURL(url)
        else:
            raise RefusedURL(url)
        if not candidate.is_relative_to(root) or not candidate.is_file():
            raise RefusedURL(url)
        return candidate

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        try:
            path = self.resolve(url)
        except RefusedURL:
            self.refused.append(url)
            raise
        mime = mimetypes.guess_type(path.name)[0] or ("font/otf" if path.suffix == ".otf" else "application/octet-stream")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
