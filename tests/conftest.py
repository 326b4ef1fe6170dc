"""Shared fixtures: demo tables and workbooks built once per session, LibreOffice when present."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

from salesbook.book.template import write_book
from salesbook.demo import build_demo_tables

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))  # tests import bookkit (pytest runs in importlib mode)

# Property tests run a fixed, derandomised set of examples, so a run of the suite never turns red on a fresh
# random draw; SALESBOOK_HYPOTHESIS=search searches afresh (and keeps what it finds in .hypothesis/).
settings.register_profile("fixed", derandomize=True)
settings.register_profile("search", derandomize=False)
settings.load_profile("search" if os.environ.get("SALESBOOK_HYPOTHESIS") == "search" else "fixed")


@pytest.fixture(scope="session")
def demo_tables_en() -> dict[str, pd.DataFrame]:
    return build_demo_tables("en")


@pytest.fixture(scope="session")
def demo_tables_zh() -> dict[str, pd.DataFrame]:
    return build_demo_tables("zh")


@pytest.fixture(scope="session")
def demo_book_en(tmp_path_factory, demo_tables_en) -> Path:
    return write_book(tmp_path_factory.mktemp("demo_en") / "demo_en.xlsx", "en", demo_tables_en)


@pytest.fixture(scope="session")
def demo_book_zh(tmp_path_factory, demo_tables_zh) -> Path:
    return write_book(tmp_path_factory.mktemp("demo_zh") / "demo_zh.xlsx", "zh", demo_tables_zh)


@pytest.fixture(scope="session")
def small_tables() -> dict[str, pd.DataFrame]:
    """A small but complete demo (scale 0.05) for fast end-to-end tests."""
    return build_demo_tables("en", scale=0.05)


@pytest.fixture()
def small_book(tmp_path, small_tables) -> Path:
    return write_book(tmp_path / "small.xlsx", "en", small_tables)


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="session")
def soffice(tmp_path_factory):
    """Run LibreOffice headless with a private profile; returns a convert(src, fmt, outdir) function."""
    exe = _soffice()
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed; scripts/test.sh installs libreoffice-calc-nogui")
    profile = tmp_path_factory.mktemp("lo_profile")

    def convert(src: Path, fmt: str, outdir: Path) -> Path:
        outdir.mkdir(parents=True, exist_ok=True)
        subprocess.run([exe, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                        "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                       check=True, capture_output=True, timeout=300)
        out = outdir / (src.stem + "." + fmt.split(":")[0])
        assert out.exists(), f"LibreOffice did not write {out}"
        return out

    return convert


# LibreOffice keeps the cached values of an .xlsx by default; this profile setting makes it recalculate every
# formula on load (org.openoffice.Office.Calc/Formula/Load/OOXMLRecalcMode: 0 = always).
_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


@pytest.fixture(scope="session")
def soffice_recalc(tmp_path_factory):
    """Like ``soffice``, with a profile that recalculates every formula when it opens a workbook."""
    exe = _soffice()
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed; scripts/test.sh installs libreoffice-calc-nogui")
    profile = tmp_path_factory.mktemp("lo_recalc_profile")
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, encoding="utf-8")

    def convert(src: Path, fmt: str, outdir: Path) -> Path:
        outdir.mkdir(parents=True, exist_ok=True)
        subprocess.run([exe, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                        "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                       check=True, capture_output=True, timeout=300)
        out = outdir / (src.stem + "." + fmt.split(":")[0])
        assert out.exists(), f"LibreOffice did not write {out}"
        return out

    return convert


@pytest.fixture()
def make_sheet_book(tmp_path):
    """A workbook whose first sheet holds ``rows`` written through salesbook's own cell writer."""
    import openpyxl

    from salesbook.book.save import save_workbook
    from salesbook.book.writer import write_frame

    def make(rows: list[list], name: str = "cells.xlsx") -> Path:
        wb = openpyxl.Workbook()
        frame = pd.DataFrame(rows[1:], columns=rows[0])
        write_frame(wb.active, frame, table_name="Settings")
        return save_workbook(wb, tmp_path / name)

    return make
