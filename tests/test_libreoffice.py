"""LibreOffice Calc, a real spreadsheet client, opens our workbooks and reads back the same values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from salesbook.book.file_book import FileBook
from salesbook.book.validate import load_book

ROOT = Path(__file__).resolve().parent.parent


def _tables(path: Path) -> dict[str, pd.DataFrame]:
    with FileBook(path) as book:
        return load_book(book).tables


@pytest.mark.libreoffice
def test_libreoffice_round_trips_the_template(soffice, tmp_path):
    src = ROOT / "workbook_templates" / "salesbook_zh.xlsx"
    resaved = soffice(src, "xlsx", tmp_path / "lo")
    with FileBook(src) as a, FileBook(resaved) as b:
        assert a.table_names() == b.table_names()
        for name in a.table_names():
            assert a.read_raw(name).headers == b.read_raw(name).headers


@pytest.mark.libreoffice
def test_libreoffice_reads_the_demo_workbook_values(soffice, demo_book_zh, tmp_path):
    resaved = soffice(demo_book_zh, "xlsx", tmp_path / "lo")
    ours, theirs = _tables(demo_book_zh), _tables(resaved)
    assert ours.keys() == theirs.keys()
    for name, frame in ours.items():
        pd.testing.assert_frame_equal(frame, theirs[name], check_dtype=False, obj=name)
    assert len(ours["Deals"]) >= 20_000


@pytest.mark.libreoffice
def test_libreoffice_shows_formula_looking_text_as_text(soffice, make_sheet_book, tmp_path):
    src = make_sheet_book([["key", "value"], ["company_name", "=1+1"], ["currency", "@SUM(A1)"]])
    csv = soffice(src, "csv", tmp_path / "csv")
    text = csv.read_text(encoding="utf-8", errors="replace")
    assert "=1+1" in text and "@SUM(A1)" in text and ",2\n" not in text


@pytest.mark.libreoffice
def test_libreoffice_opens_grafted_output_sheets(soffice, small_book, tmp_path):
    """Output sheets are written as raw XML parts; a real client must open them and see the same values."""
    from salesbook.book.save import write_outputs
    from salesbook.book.validate import read_table
    from salesbook.schemas import REGISTRY

    frame = pd.DataFrame({"sheet": ["成交", "=SUM(A1)", "a & <b>"], "row": [2, 30, 4000],
                          "column": ["金额", "x", "y"], "message": ["中文说明", "text", "tab\there"]})
    computed = write_outputs(small_book, {"Out_Problems": frame}, tmp_path / "computed.xlsx").path
    resaved = soffice(computed, "xlsx", tmp_path / "lo")
    with FileBook(resaved) as book:
        back, problems, _ = read_table(book.read_raw("Out_Problems"), REGISTRY["Out_Problems"])
    assert not problems
    assert back["sheet"].tolist() == frame["sheet"].tolist()
    assert back["row"].tolist() == [2, 30, 4000]
    assert back["message"].tolist() == frame["message"].tolist()
    assert _tables(resaved)["Deals"].equals(_tables(small_book)["Deals"])


@pytest.mark.libreoffice
def test_libreoffice_reads_every_computed_output_table(soffice, small_book, tmp_path):
    """The computed workbook (all engines) opens in a real client, and every output table reads back the same."""
    from salesbook.book.validate import read_table
    from salesbook.pipeline import run_book
    from salesbook.schemas import REGISTRY

    result = run_book(small_book, tmp_path / "computed.xlsx", lang="en")
    assert {"Out_Targets", "Out_LeadScores", "Out_Statements", "Out_Scorecards"} <= set(result.outputs)
    resaved = soffice(result.output, "xlsx", tmp_path / "lo")
    with FileBook(result.output) as ours, FileBook(resaved) as theirs:
        for name in result.outputs:
            a, pa, _ = read_table(ours.read_raw(name), REGISTRY[name])
            b, pb, _ = read_table(theirs.read_raw(name), REGISTRY[name])
            assert not pa and not pb, name
            pd.testing.assert_frame_equal(a, b, check_dtype=False, obj=name)


@pytest.mark.libreoffice
def test_libreoffice_reads_the_plan_modeling_tables(soffice, small_book, tmp_path):
    """The model book's scenario sheets open in a real client and read back the same."""
    from salesbook.book.validate import read_table
    from salesbook.pipeline import model_book
    from salesbook.schemas import REGISTRY

    result = model_book(small_book, tmp_path / "model.xlsx", lang="zh")
    resaved = soffice(result.output, "xlsx", tmp_path / "lo")
    with FileBook(result.output) as ours, FileBook(resaved) as theirs:
        for name in ("Out_Scenarios", "Out_ScenarioReps"):
            a, pa, _ = read_table(ours.read_raw(name), REGISTRY[name])
            b, pb, _ = read_table(theirs.read_raw(name), REGISTRY[name])
            assert not pa and not pb and len(a) > 0, name
            pd.testing.assert_frame_equal(a, b, check_dtype=False, obj=name)
