"""Cell text is shown as text, never run or fetched; the PDF renderer reads only the project's assets."""

from __future__ import annotations

import http.server
import subprocess
import threading
from pathlib import Path
from typing import ClassVar

import pytest
from reportkit import EVIL_IMG, EVIL_SCRIPT, pdftotext

from salesbook.reports import build_reports
from salesbook.reports.fetcher import ASSETS, AssetFetcher, RefusedURL

pytestmark = pytest.mark.usefixtures("poppler")


@pytest.fixture(scope="module")
def evil_reports(tmp_path_factory, computed_evil):
    out = tmp_path_factory.mktemp("evil")
    result = build_reports(computed_evil, out, per="rep", period="2026Q1", workers=1, progress=False,
                           creation_date="2026-04-01")
    assert result.ok, result.summary()
    return out


def _files(out: Path, rep_id: str) -> tuple[str, Path]:
    [html] = out.glob(f"rep_{rep_id}_*.html")
    return html.read_text(encoding="utf-8"), html.with_suffix(".pdf")


@pytest.mark.parametrize(("rep_id", "name"), [("R0001", EVIL_IMG), ("R0002", EVIL_SCRIPT)])
def test_html_like_names_are_text_in_html_and_pdf(evil_reports, rep_id, name):
    html, pdf = _files(evil_reports, rep_id)
    assert name not in html                       # never as markup
    assert name.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;") in html
    text = pdftotext(pdf)
    assert name in text                           # shown, literally, to the reader
    assert "root:x:0:0" not in text
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) == 2  # header lines only: nothing was fetched and embedded


def test_evil_name_in_the_other_reviews_too(evil_reports):
    # the first two reps appear in colleagues' rank tables; those reviews must escape them as well
    for html in evil_reports.glob("*.html"):
        body = html.read_text(encoding="utf-8")
        assert EVIL_IMG not in body and EVIL_SCRIPT not in body


def test_fetcher_refuses_everything_but_assets(tmp_path):
    fetcher = AssetFetcher()
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.css", "https://example.com/logo.png",
                "sbasset:0/../../../../etc/passwd", "sbasset:7/README.txt", "ftp://example.com/a",
                f"file://{ASSETS}/../fetcher.py", "data:text/css,body{}"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 8
    assert b"Packaged assets" in fetcher.fetch("sbasset:0/README.txt").read()
    assert b"Packaged assets" in fetcher.fetch((ASSETS / "README.txt").as_uri()).read()
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (tmp_path / "link").mkdir()
    (tmp_path / "link" / "a").symlink_to(outside)
    with pytest.raises(RefusedURL):
        AssetFetcher([tmp_path / "link"]).fetch("sbasset:0/a")  # a symlink out of the asset folder


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self):
        _Counter.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


def test_a_users_template_cannot_fetch_files_or_the_network(tmp_path, computed_zh):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    override = tmp_path / "templates"
    override.mkdir()
    (override / "company_summary.html").write_text(
        '{% extends "base.html" %}{% block content %}'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/evil.css">'
        f'<img src="http://127.0.0.1:{port}/pixel.png"><img src="file:///etc/passwd"><img src="/etc/hostname">'
        '<p style="background: url(file:///etc/passwd)">{{ c.company }}</p>{% endblock %}', encoding="utf-8")
    try:
        result = build_reports(computed_zh, tmp_path / "out", per="company", formats=("pdf",), workers=1,
                               progress=False, templates_dir=override)
    finally:
        server.shutdown()
    assert result.ok, result.summary()
    assert _Counter.hits == []
    pdf = result.files[0]
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) == 2
    assert "root:x" not in pdftotext(pdf)
