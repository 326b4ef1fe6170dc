"""Computed demo workbooks for the report tests (small scale, built once per session)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from salesbook.book.template import write_book
from salesbook.demo import build_demo_tables
from salesbook.pipeline import run_book

sys.path.insert(0, str(Path(__file__).parent))  # tests import reportkit (pytest runs in importlib mode)

from reportkit import CREATED, EVIL_IMG, EVIL_SCRIPT, TYPED_PASSWORD


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


@pytest.fixture(scope="session")
def poppler() -> None:
    if not all(shutil.which(t) for t in ("pdftotext", "pdffonts", "pdfinfo", "pdftohtml", "pdftoppm")):
        pytest.skip("poppler-utils is not installed")


@pytest.fixture(scope="session")
def shared_zh(tmp_path_factory) -> Path:
    """A computed zh book with a Recipients table: R0002 with a typed password and their own e-mail, R0007 with
    "自动生成"; and R0010 without any e-mail in Reps."""
    import pandas as pd

    tmp = tmp_path_factory.mktemp("shared_zh")
    tables = build_demo_tables("zh", scale=0.15)
    reps = tables["Reps"].copy()
    reps.loc[reps["rep_id"] == "R0010", "email"] = None
    tables["Reps"] = reps
    tables["Recipients"] = pd.DataFrame({"recipient_id": ["R0002", "R0007"],
                                         "email": ["huang.q@example.cn", None],
                                         "password": [TYPED_PASSWORD, "自动生成"], "note": [None, None]})
    book = write_book(tmp / "shared_zh.xlsx", "zh", tables)
    return run_book(book, tmp / "shared_zh_computed.xlsx", lang="zh").output
