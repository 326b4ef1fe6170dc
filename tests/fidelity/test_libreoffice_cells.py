"""LibreOffice Calc opens every workbook kind and, saved again, holds the same value in every cell."""

from __future__ import annotations

import fidelity_check as fc
import pytest

# one conversion per kind (each takes seconds); the in-place kinds stand for the computed book too
LO_KINDS = ["template_zh", "template_xlsm_zh", "demo", "in_place_10", "run_openpyxl_lxml", "run_xlsxwriter",
            "run_prefixed", "run_libreoffice", "send_list"]


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.parametrize("kind", LO_KINDS)
def test_every_cell_reads_back_the_same_after_libreoffice(books, soffice, tmp_path, kind):
    ours = books(kind)
    theirs = soffice(ours, "xlsx", tmp_path / "lo")
    a, b = fc.cell_grid(ours), fc.cell_grid(theirs)
    assert sum(len(r) for g in a.values() for r in g) > 0
    assert fc.cell_differences(a, b) == []
    errors = [(s, i, v) for s, g in b.items() for i, r in enumerate(g) for v in r
              if isinstance(v, str) and v.startswith(("Err:", "#NAME?", "#VALUE!"))]
    assert errors == []
