"""Computed demo workbooks for the report tests (small scale, built once per session)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from salesbook.book.template import write_book
from salesbook.demo import build_demo_tables
from salesbook.pipeline import run_book

EVIL_IMG = '<img src="file:///etc/passwd">'
EVIL_SCRIPT = "<script>alert(1)</script>"
CREATED = "2026-04-01T09:00:00Z"


def _computed(tmp: Path, lang: str, scale: float, evil: bool = False) -> Path:
    tables = build_demo_tables(lang, scale=scale)
    if evil:
        reps = tables["Reps"].copy()
        reps.loc[reps.index[0], "name"] = EVIL_IMG
        reps.loc[reps.index[1], "name"] = EVIL_SCRIPT
        tables["Reps"] = reps
    book = write_book(tmp / f"demo_{lang}.xlsx", lang, tables)
    return run_book(book, tmp / f"demo_{lang}_computed.xlsx", lang=lang).output


@pytest.fixture(scope="session")
def computed_zh(tmp_path_factory) -> Path:
    return _computed(tmp_path_factory.mktemp("computed_zh"), "zh", 0.15)


@pytest.fixture(scope="session")
def computed_en(tmp_path_factory) -> Path:
    return _computed(tmp_path_factory.mktemp("computed_en"), "en", 0.15)


@pytest.fixture(scope="session")
def computed_evil(tmp_path_factory) -> Path:
    """A zh book whose first two reps are named like HTML that would load a file or run a script."""
    return _computed(tmp_path_factory.mktemp("computed_evil"), "zh", 0.15, evil=True)


@pytest.fixture(scope="session")
def zh_reports(tmp_path_factory, computed_zh):
    """Rep reviews in zh (PDF + HTML) for Q1, rendered once and inspected by several tests."""
    from salesbook.reports import build_reports

    out = tmp_path_factory.mktemp("zh_reports")
    result = build_reports(computed_zh, out, per="rep", period="2026Q1", workers=2, progress=False,
                           creation_date=CREATED)
    return out, result


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


@pytest.fixture(scope="session")
def poppler() -> None:
    if not all(shutil.which(t) for t in ("pdftotext", "pdffonts", "pdfinfo", "pdftohtml", "pdftoppm")):
        pytest.skip("poppler-utils is not installed")
