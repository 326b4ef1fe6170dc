"""The committed templates are generated from the schema registry and carry the workbook contract."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path
from xml.etree.ElementTree import canonicalize

import openpyxl
import pytest

from salesbook.book.file_book import FileBook
from salesbook.book.template import UDF_MODULE, write_book
from salesbook.book.validate import load_book
from salesbook.schemas import REGISTRY, input_tables

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("build_templates", ROOT / "scripts" / "build_templates.py")
build_templates = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_templates)


def _parts(path: Path) -> dict[str, bytes | str]:
    """Parts by name; XML parts in canonical form (C14N 2.0), since openpyxl writes the same XML with other
    namespace declarations when lxml is installed."""
    with zipfile.ZipFile(path) as zf:
        # docProps/core.xml carries the save time, the only part allowed to differ
        return {n: canonicalize(zf.read(n).decode("utf-8")) if n.endswith((".xml", ".rels")) else zf.read(n)
                for n in zf.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("ext", [".xlsx", ".xlsm"])
def test_committed_template_matches_the_registry(tmp_path, lang, ext):
    fresh = write_book(tmp_path / f"fresh_{lang}{ext}", lang)
    committed = build_templates.template_path(lang, ext)
    assert committed.exists(), "run scripts/build_templates.py"
    fresh_parts, committed_parts = _parts(fresh), _parts(committed)
    drifted = sorted(n for n in fresh_parts.keys() | committed_parts.keys()
                     if fresh_parts.get(n) != committed_parts.get(n))
    assert not drifted, f"workbook_templates/ is out of date ({drifted[:5]}); run scripts/build_templates.py"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_template_has_every_input_table_with_validation_formats_and_frozen_headers(lang):
    wb = openpyxl.load_workbook(build_templates.template_path(lang))
    assert wb.sheetnames[0] == ("说明" if lang == "zh" else "Instructions")
    conf = wb["xlwings.conf"]
    assert ("UDF Modules", UDF_MODULE) in [(r[0].value, r[1].value) for r in conf.iter_rows()]
    tables = {name: ws for ws in wb.worksheets for name in ws.tables}
    for table in input_tables():
        ws = tables[table.name]
        assert ws.title == table.sheet_name(lang)
        assert ws.freeze_panes == "A2"
        headers = [c.value for c in ws[1]]
        assert headers == [c.label(lang) for c in table.columns]
        for j, col in enumerate(table.columns, start=1):
            if col.kind.value in ("money", "percent", "date"):
                assert ws.cell(row=2, column=j).number_format != "General", (table.name, col.name)
    reps = tables["Reps"]
    role_dv = [dv for dv in reps.data_validations.dataValidation if "D2" in str(dv.sqref)]
    assert role_dv and ("销售经理" if lang == "zh" else "manager") in role_dv[0].formula1
    instructions = "\n".join(str(c.value) for row in wb.worksheets[0].iter_rows() for c in row if c.value)
    for table in input_tables():
        for col in table.columns:
            assert (col.doc_zh if lang == "zh" else col.doc_en) in instructions, (table.name, col.name)


def test_empty_template_validates_and_reads_back_every_table(tmp_path):
    with FileBook(build_templates.template_path("zh")) as book:
        assert set(book.table_names()) == {t.name for t in input_tables()}
        loaded = load_book(book)
    assert all(len(f) == 0 for name, f in loaded.tables.items() if name != "Settings")
    assert loaded.settings["language"] == "zh"
    assert set(REGISTRY) >= {"Settings", "Products", "Regions", "Reps", "History", "CompanyTarget", "Seasonality",
                             "Leads", "LeadEvents", "ScoringRules", "GradeBands", "Deals", "Credits", "Payments",
                             "Plans", "PlanTiers", "PlanAssignments", "KPIs", "KPIWeights", "Actuals", "RatingBands"}


def test_macro_enabled_template_carries_the_xlwings_vba_project(tmp_path):
    import xlwings

    path = build_templates.template_path("zh", ".xlsm")
    with zipfile.ZipFile(path) as zf:
        vba = zf.read("xl/vbaProject.bin")
        content_types = zf.read("[Content_Types].xml").decode()
    with zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart_standalone.xlsm") as zf:
        assert vba == zf.read("xl/vbaProject.bin")  # xlwings' own standalone VBA module, unchanged
    assert b"xlwings" in vba
    assert "macroEnabled.main+xml" in content_types
    wb = openpyxl.load_workbook(path, keep_vba=True)
    conf = {r[0].value: r[1].value for r in wb["xlwings.conf"].iter_rows()}
    assert conf["UDF Modules"] == UDF_MODULE
    with FileBook(path) as book:
        assert set(book.table_names()) == {t.name for t in input_tables()}


@pytest.mark.libreoffice
def test_libreoffice_opens_the_macro_enabled_template(soffice, tmp_path):
    resaved = soffice(build_templates.template_path("en", ".xlsm"), "xlsx", tmp_path / "lo")
    with FileBook(resaved) as book:
        assert "Reps" in book.table_names()
