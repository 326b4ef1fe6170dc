"""Every kind of workbook salesbook writes, built once per test session, for the fidelity checks.

Kinds: the templates (zh, en, .xlsm), the demo book, the computed book, a book updated in place once and
ten times, and books first saved by other writers (openpyxl with and without lxml, LibreOffice,
xlsxwriter, a hand-made one with prefixed element names) after an in-place run.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
_spec = importlib.util.spec_from_file_location("book_conftest", Path(__file__).parent.parent / "book" / "conftest.py")
_book = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_book)
make_book, base_sheets = _book.make_book, _book.base_sheets  # the small-book fixtures of tests/book

from salesbook.book.template import settings_frame, write_book  # noqa: E402
from salesbook.demo import build_demo_tables  # noqa: E402
from salesbook.pipeline import model_book, run_book  # noqa: E402
from salesbook.schemas import input_tables  # noqa: E402

SCALE = 0.05
BUILT = ["template_en", "template_zh", "template_xlsm_zh", "demo", "computed", "model", "in_place_1", "in_place_10"]
FOREIGN = ["openpyxl_lxml", "openpyxl_etree", "libreoffice", "xlsxwriter", "prefixed"]
KINDS = BUILT + [f"run_{k}" for k in FOREIGN]

_WRITE_WITH = """
import sys
from salesbook.book.template import write_book
from salesbook.demo import build_demo_tables
write_book(sys.argv[1], "zh", build_demo_tables("zh", scale={scale}))
"""


def _openpyxl_book(dest: Path, lxml: bool) -> Path:
    """The demo book written by openpyxl in a fresh process, with lxml on or off (openpyxl decides at
    import time)."""
    if lxml and importlib.util.find_spec("lxml") is None:
        pytest.skip("lxml is not installed (pip install -e '.[dev]')")
    env = {**os.environ, "OPENPYXL_LXML": str(lxml), "PYTHONPATH": os.pathsep.join(sys.path)}
    subprocess.run([sys.executable, "-c", _WRITE_WITH.format(scale=SCALE), str(dest)], check=True, env=env,
                   timeout=300)
    return dest


def _xlsxwriter_book(dest: Path) -> Path:
    """The demo tables written by xlsxwriter (shared strings, its own styles and table parts), en headers."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    tables = build_demo_tables("en", scale=SCALE)
    wb = xlsxwriter.Workbook(str(dest), {"nan_inf_to_errors": False})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for table in input_tables():
        ws = wb.add_worksheet(table.sheet_name("en"))
        if table.name == "Settings":
            given = tables["Settings"]
            frame = settings_frame("en", dict(zip(given["key"], given["value"], strict=True)))
        else:
            frame = tables.get(table.name, pd.DataFrame(columns=table.column_names))
            frame = frame.reindex(columns=table.column_names)
        headers = [table.column(c).label("en") if c in table.column_names else c for c in frame.columns]
        for i, row in enumerate(frame.itertuples(index=False), start=1):
            for j, v in enumerate(row):
                if v is None or v is pd.NaT or (isinstance(v, float) and v != v) or v is pd.NA:
                    continue
                if isinstance(v, pd.Timestamp):
                    ws.write_datetime(i, j, v.to_pydatetime(), date_fmt)
                elif isinstance(v, str):
                    ws.write_string(i, j, v)
                elif isinstance(v, bool):
                    ws.write_boolean(i, j, v)
                elif hasattr(v, "year"):
                    ws.write_datetime(i, j, pd.Timestamp(v).to_pydatetime(), date_fmt)
                else:
                    ws.write_number(i, j, float(v))
        ws.add_table(0, 0, max(len(frame), 1), max(len(headers), 1) - 1,
                     {"name": table.name, "columns": [{"header": h} for h in headers]})
    wb.close()
    return dest


def _prefix(xml: bytes, uri: str, prefix: str) -> bytes:
    """The same part with the default namespace ``uri`` bound to ``prefix`` on every element instead."""
    text = xml.decode("utf-8")
    text = text.replace(f'xmlns="{uri}"', f'xmlns:{prefix}="{uri}"', 1)
    text = re.sub(r"<(/?)([A-Za-z_][\w.-]*)(?=[\s/>])", lambda m: f"<{m.group(1)}{prefix}:{m.group(2)}", text)
    return text.encode("utf-8")


def _prefixed_book(src: Path, dest: Path) -> Path:
    """A hand-made variant: workbook, styles, workbook relationships and content types written with
    prefixed element names (``<x:workbook>`` ...), valid OOXML that few writers produce."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    changes = {"xl/workbook.xml": (main, "x"), "xl/styles.xml": (main, "x"),
               "xl/_rels/workbook.xml.rels": ("http://schemas.openxmlformats.org/package/2006/relationships", "pr"),
               "[Content_Types].xml": ("http://schemas.openxmlformats.org/package/2006/content-types", "ct")}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename in changes:
                uri, prefix = changes[info.filename]
                data = _prefix(data, uri, prefix)
                assert f"<{prefix}:".encode() in data
            zout.writestr(info, data)
    return dest


class Books:
    """Builds each kind on first use and keeps it for the session."""

    def __init__(self, root: Path, soffice):
        self.root, self.soffice, self.cache = root, soffice, {}

    def __call__(self, kind: str) -> Path:
        if kind not in self.cache:
            folder = self.root / kind
            folder.mkdir()
            self.cache[kind] = self._build(kind, folder)
        return self.cache[kind]

    def _build(self, kind: str, folder: Path) -> Path:
        if kind.startswith("template_"):
            lang = kind.rsplit("_", 1)[1]
            return write_book(folder / f"t.{'xlsm' if 'xlsm' in kind else 'xlsx'}", lang)
        if kind == "demo":
            return self("openpyxl_etree")
        if kind == "computed":
            return run_book(self("demo"), folder / "computed.xlsx").output
        if kind == "model":   # the computed book with the plan modeling sheets (Out_Scenarios ...)
            return model_book(self("demo"), folder / "model.xlsx").output
        if kind.startswith("in_place_"):
            book = folder / "book.xlsx"
            shutil.copy(self("demo"), book)
            for _ in range(int(kind.rsplit("_", 1)[1])):
                run_book(book, in_place=True)
            return book
        if kind == "openpyxl_lxml":
            return _openpyxl_book(folder / "lxml.xlsx", True)
        if kind == "openpyxl_etree":
            return _openpyxl_book(folder / "etree.xlsx", False)
        if kind == "libreoffice":
            if self.soffice is None:
                pytest.skip("LibreOffice (soffice) is not installed")
            return self.soffice(self("demo"), "xlsx", folder / "lo")
        if kind == "xlsxwriter":
            return _xlsxwriter_book(folder / "xw.xlsx")
        if kind == "prefixed":
            return _prefixed_book(self("demo"), folder / "prefixed.xlsx")
        if kind.startswith("run_"):
            book = folder / "book.xlsx"
            shutil.copy(self(kind[4:]), book)
            run_book(book, in_place=True)
            return book
        raise KeyError(kind)


@pytest.fixture(scope="session")
def books(tmp_path_factory, request) -> Books:
    soffice = None
    if shutil.which("soffice") or shutil.which("libreoffice"):
        soffice = request.getfixturevalue("soffice")
    return Books(tmp_path_factory.mktemp("fidelity"), soffice)
