"""The HTML review is self-contained and renders in a real browser (headless Chromium, offline)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest


@pytest.mark.slow
def test_html_review_renders_in_chromium(zh_reports, tmp_path):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("Debian package chromium is not installed")
    from PIL import Image

    out, _ = zh_reports
    html = sorted(out.glob("rep_R0003_*.html"))[0]  # a sales rep with targets, deals, KPIs and leads
    body = html.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:|file:|//)""", body)  # nothing to fetch
    assert "<style>" in body and "<svg" in body
    png = tmp_path / "shot.png"
    subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars", "--window-size=1000,1400",
                    f"--screenshot={png}", html.as_uri()], check=True, capture_output=True, timeout=120)
    im = Image.open(png).convert("RGB")
    small = im.resize((250, 350))
    pixels = [small.getpixel((x, y)) for y in range(small.height) for x in range(small.width)]
    ink = sum(1 for p in pixels if min(p) < 235) / len(pixels)
    assert ink > 0.03, f"screenshot looks blank ({ink:.1%} ink)"
    assert len(set(pixels)) > 20  # text, chart fills and patterns, not a flat colour
