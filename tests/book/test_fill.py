"""Large tables streamed into a book openpyxl built with their first rows (``fill``) read back exactly as
the same book written cell by cell through openpyxl, and the package stays valid (ECMA-376 schemas and
Excel's rules, as the fidelity checks define them)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from salesbook.book import template
from salesbook.book.file_book import FileBook
from salesbook.book.validate import load_book
from salesbook.demo import build_demo_tables

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fidelity"))
import fidelity_check as fc

RULES = [getattr(fc, n) for n in dir(fc) if n.startswith("rule_")]


def _loaded(path: Path, monkeypatch) -> tuple[dict[str, pd.DataFrame], list[str]]:
    monkeypatch.setenv("SALESBOOK_TYPED_READ", "0")
    with FileBook(path) as book:
        loaded = load_book(book)
    return loaded.tables, [w.text("en") for w in loaded.warnings]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_streamed_tables_read_back_as_written_by_openpyxl(tmp_path, monkeypatch, lang):
    tables = build_demo_tables(lang, scale=0.05)
    tables["Deals"].loc[3, "customer"] = "=HYPERLINK(\"x\")"  # formula-looking text stays text either way
    monkeypatch.setattr(template, "FILL_MIN_ROWS", 150)
    monkeypatch.setattr(template, "_SHOWN_ROWS", 20)
    filled = template.write_book(tmp_path / "filled.xlsx", lang, tables)
    monkeypatch.setattr(template, "FILL_MIN_ROWS", 10**9)
    plain = template.write_book(tmp_path / "plain.xlsx", lang, tables)
    a, b = _loaded(filled, monkeypatch), _loaded(plain, monkeypatch)
    assert a[1] == b[1]
    for name, frame in b[0].items():
        pd.testing.assert_frame_equal(a[0][name], frame, check_exact=True)
    assert len(a[0]["Deals"]) == len(tables["Deals"]) > 150
    assert a[0]["Deals"]["customer"][5] == "=HYPERLINK(\"x\")"


def test_streamed_book_is_a_valid_package(tmp_path, monkeypatch):
    monkeypatch.setattr(template, "FILL_MIN_ROWS", 150)
    monkeypatch.setattr(template, "_SHOWN_ROWS", 20)
    path = template.write_book(tmp_path / "filled.xlsx", "zh", build_demo_tables("zh", scale=0.05))
    pkg = fc.Package(path)
    assert fc.xsd_errors(pkg) == []
    assert {rule.__name__: rule(pkg) for rule in RULES} == {rule.__name__: [] for rule in RULES}
