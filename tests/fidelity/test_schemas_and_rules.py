"""Every workbook kind salesbook writes is valid against the ECMA-376 transitional schemas and keeps
Excel's stricter rules (RULES.md: one test per rule, each run on every kind)."""

from __future__ import annotations

import zipfile

import pytest
from conftest import KINDS

pytest.importorskip("lxml")

import fidelity_check as fc


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_every_part_is_schema_valid(books, kind):
    assert fc.xsd_errors(fc.Package(books(kind))) == []


def _rule_test(rule: str):
    @pytest.mark.slow
    @pytest.mark.parametrize("kind", KINDS)
    def test(books, kind):
        assert fc.RULES[rule](fc.Package(books(kind))) == []

    test.__name__ = f"test_rule_{rule}"
    test.__doc__ = f"RULES.md: {rule}"
    return test


for _rule in fc.RULES:
    globals()[f"test_rule_{_rule}"] = _rule_test(_rule)


# The checks themselves must catch what they are for: each is shown a package that breaks it.
def _changed(path, part: str, old: bytes, new: bytes, tmp_path):
    dest = tmp_path / "changed.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                assert old in data, (part, old)
                data = data.replace(old, new, 1)
            zout.writestr(info, data)
    return fc.Package(dest)


def _first_sheet(path) -> str:
    return fc.Package(path).sheets[0][1]


@pytest.mark.parametrize(("rule", "old", "new"), [
    ("formulas_parse", b"</sheetData>", b'<row r="9999"><c r="E9999"><f>, !=, in, not in</f></c></row></sheetData>'),
    ("validation_formulas_bare", None, None),
    ("one_selected_tab", b"<sheetView ", b'<sheetView tabSelected="1" '),
])
def test_the_rules_catch_what_they_are_for(books, tmp_path, rule, old, new):
    template = books("template_en")
    if rule == "one_selected_tab":  # the second sheet also selected: a group
        part = fc.Package(template).sheets[1][1]
    elif rule == "validation_formulas_bare":
        part, old, new = fc.Package(template).sheets[4][1], b"<formula1>INDIRECT(", b"<formula1>=INDIRECT("
    else:
        part = _first_sheet(template)
    assert fc.RULES[rule](fc.Package(template)) == []
    assert fc.RULES[rule](_changed(template, part, old, new, tmp_path))


def test_the_package_rule_catches_an_orphan_and_the_schema_check_a_bad_cell(books, tmp_path):
    template = books("template_en")
    dest = tmp_path / "orphan.xlsx"
    with zipfile.ZipFile(template) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        zout.writestr("xl/charts/chart9.xml", b"<c/>")
    assert "orphan part xl/charts/chart9.xml" in fc.rule_package_complete(fc.Package(dest))
    bad = _changed(template, _first_sheet(template), b"<sheetData>", b'<sheetData bogus="1">', tmp_path)
    assert fc.xsd_errors(bad)
