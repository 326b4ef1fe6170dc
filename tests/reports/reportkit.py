"""Helpers for the report tests: poppler wrappers and the hostile names (imported by conftest and tests)."""

from __future__ import annotations

import subprocess
from pathlib import Path

EVIL_IMG = '<img src="file:///etc/passwd">'
EVIL_SCRIPT = "<script>alert(1)</script>"
CREATED = "2026-04-01T09:00:00Z"
TYPED_PASSWORD = "harbour-42-tulip-9"  # typed in Recipients for R0002 in the shared_zh book; the others are generated


def pdftotext(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-layout", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdfinfo(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pdffonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    return [line.split() for line in out[2:] if line.strip()]


def outline(pdf: Path) -> list[str]:
    """PDF bookmark titles, via poppler's XML export."""
    import xml.etree.ElementTree as ET

    xml = subprocess.run(["pdftohtml", "-xml", "-stdout", "-i", "-q", str(pdf)], capture_output=True, check=True).stdout
    root = ET.fromstring(xml)
    return ["".join(item.itertext()).strip() for item in root.iter("item")]


def send_list(csv_path: Path) -> list[dict[str, str]]:
    """The rows of a send list's CSV, keyed by its (book-language) headers."""
    import csv

    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def pdftotext_pw(pdf: Path, password: str | None, first: int | None = None, last: int | None = None
                 ) -> subprocess.CompletedProcess:
    """pdftotext with a user password (None: without one); returns the process, so failures can be checked."""
    args = ["pdftotext", "-layout", "-enc", "UTF-8"]
    if password is not None:
        args += ["-upw", password]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True)
