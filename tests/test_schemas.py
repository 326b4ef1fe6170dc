"""The registry is consistent: unique names, resolvable references, unambiguous headers, docs in both languages."""

from __future__ import annotations

import pytest

from salesbook.book.validate import header_lookup, normalise_header
from salesbook.schemas import REGISTRY, SETTINGS

TABLES = list(REGISTRY.values())


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_header_label_maps_back_to_its_own_column(table):
    lookup = header_lookup(table)
    for col in table.columns:
        for label in (col.name, col.label_en, col.zh):
            assert lookup[normalise_header(label)] == col.name, (table.name, col.name, label)


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_columns_are_documented_and_references_resolve(table):
    names = [c.name for c in table.columns]
    assert len(names) == len(set(names))
    assert table.doc_en and table.doc_zh
    for col in table.columns:
        if not table.output:
            assert col.doc_en and col.doc_zh, (table.name, col.name)
        if col.ref:
            ref_table, ref_col = col.ref.split(".")
            assert ref_col in REGISTRY[ref_table].column_names
    for key in table.key:
        assert key in names


def test_output_tables_are_named_out_and_inputs_are_not():
    for table in TABLES:
        assert table.name.startswith("Out_") == table.output


def test_settings_are_documented_in_both_languages():
    for s in SETTINGS.values():
        assert s.doc_en and s.doc_zh and s.zh
