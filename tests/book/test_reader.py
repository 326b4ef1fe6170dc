"""The workbook reader leaves nothing on a sheet unread without saying so (issue #16), and finds headers
however people type them (issue #17): real .xlsx files, read through FileBook and load_book."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.table import Table

from salesbook.book import cells as cell_readers
from salesbook.book.file_book import FileBook
from salesbook.book.headers import display_header, match_header, normalise_header
from salesbook.book.validate import header_lookup, load_book
from salesbook.errors import InputError
from salesbook.schemas import REGISTRY

ALL = ["Settings", "Products", "Regions", "Reps", "Deals"]
HEAD = ["deal_id", "date", "rep_id", "product_id", "amount"]


def deal(i: int, amount: float = 100.0) -> list:
    return [f"D{i}", "2026-01-05", "R1", "P1", amount]


@pytest.fixture(params=cell_readers.ENGINES)
def build(request, monkeypatch, tmp_path, base_sheets):
    """A book like the base one whose Deals are on sheet ``sheet`` as ``grid`` ({excel row: cells from
    column A}), with an Excel Table named Deals over ``ref`` (none when ``ref`` is None); read in this
    process by each cell reader in turn (python-calamine, and openpyxl as where calamine is missing)."""
    monkeypatch.setattr(cell_readers, "default_engine", lambda: request.param)

    def make(grid: dict[int, list], ref: str | None, *, sheet: str = "Deals", merge: str | None = None) -> Path:
        return _write(tmp_path / "book.xlsx", base_sheets, grid, ref, sheet, merge)

    return make


def _write(path: Path, base: dict, grid: dict[int, list], ref: str | None, sheet: str, merge: str | None) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in base.items():
        if title == "Deals":
            continue
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
        ws.add_table(Table(displayName=title, ref=f"A1:{chr(64 + len(rows[0]))}{len(rows)}"))
    ws = wb.create_sheet(sheet)
    for row, cells in grid.items():
        for j, v in enumerate(cells, start=1):
            if v is not None:
                ws.cell(row=row, column=j, value=v)
    if merge:
        ws.merge_cells(merge)
    if ref:
        ws.add_table(Table(displayName="Deals", ref=ref))
    wb.save(path)
    return path


def load(path: Path):
    with FileBook(path) as book:
        return load_book(book, required=ALL)


def problems(path: Path):
    with FileBook(path) as book, pytest.raises(InputError) as info:
        load_book(book, required=ALL)
    return info.value.problems


EXTEND_EN = (" Extend the table over {0}: drag the resize handle at the table's bottom-right corner, or use "
             "Table Design > Resize Table (typing in the row directly under a table makes it grow by itself).")
EXTEND_ZH = ("请扩展表格以包含这些行：拖动表格右下角的调整柄，或使用“表设计 > 调整表格大小”"
             "（在紧挨表格下方的行中输入，表格会自动扩展）。")


# -- issue #16: nothing outside a table is ignored ------------------------------------------------------

def test_six_deals_typed_directly_under_the_table_are_an_error_not_ignored(build):
    grid = {1: HEAD, 2: deal(1), 3: deal(2), **{r: deal(r) for r in range(4, 10)}}
    (p,) = problems(build(grid, "A1:E3"))
    assert (p.sheet, p.row, p.column) == ("Deals", 4, "A")
    assert p.render("en") == (
        "sheet 'Deals', row 4, column 'A': 6 rows below table 'Deals' (which ends at row 3) hold data but are "
        "not part of the table, so they would not be read: rows 4-9." + EXTEND_EN.format("them"))
    assert p.render("zh") == ("工作表“Deals”，第 4 行，列“A”：表格“Deals”（到第 3 行为止）下方的第 4-9 行有数据，"
                              "但不在表格范围内，不会被读取。" + EXTEND_ZH)


def test_one_row_after_blank_rows_under_the_table_is_an_error_in_the_singular(build):
    grid = {1: HEAD, 2: deal(1), 3: deal(2), 6: [None, None, None, None, 300]}
    (p,) = problems(build(grid, "A1:E3"))
    assert (p.sheet, p.row, p.column) == ("Deals", 6, "E")
    assert p.text("en") == ("row 6 below table 'Deals' (which ends at row 3) holds data but is not part of the "
                            "table, so it would not be read." + EXTEND_EN.format("it"))
    assert p.text("zh").startswith("表格“Deals”（到第 3 行为止）下方的第 6 行有数据")


def test_rows_under_the_table_are_listed_with_every_other_problem_and_the_cli_exits_2(tmp_path, build):
    grid = {1: HEAD, 2: deal(1), 3: [*deal(2)[:4], "lots"], 5: deal(5), 6: deal(6), 8: deal(8)}
    path = build(grid, "A1:E3")
    found = problems(path)
    assert [(p.row, p.column) for p in found] == [(5, "A"), (3, "amount (E)")]
    assert "3 rows below table 'Deals' (which ends at row 3) hold data" in found[0].text("en")
    assert "rows 5-6, 8." in found[0].text("en")
    run = subprocess.run([sys.executable, "-m", "salesbook.cli", "validate", str(path)], capture_output=True,
                         text=True, cwd=tmp_path)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "rows 5-6, 8" in run.stdout + run.stderr


def test_trailing_blank_rows_inside_the_table_and_empty_formatted_rows_below_say_nothing(build):
    grid = {1: HEAD, 2: deal(1), 3: deal(2)}
    path = build(grid, "A1:E6")
    wb = openpyxl.load_workbook(path)
    ws = wb["Deals"]
    for r in range(7, 12):
        ws.cell(row=r, column=2).number_format = "yyyy-mm-dd"  # formatted, empty: not data
    wb.save(path)
    loaded = load(path)
    assert loaded.tables["Deals"].index.tolist() == [2, 3]
    assert loaded.warnings == []
    with FileBook(path) as book:
        raw = book.read_raw("Deals")
    assert raw.row_numbers == [2, 3] and raw.problems == [] and raw.warnings == []


def test_values_beside_the_table_are_a_located_warning_and_the_rest_loads(build):
    grid = {1: [*HEAD, "Note"], 2: [*deal(1), "call back"], 3: deal(2), 4: [None] * 6 + ["x"]}
    loaded = load(build(grid, "A1:E3"))
    assert loaded.tables["Deals"]["amount"].tolist() == [100.0, 100.0]
    (w,) = loaded.warnings
    assert (w.sheet, w.row, w.column) == ("Deals", 1, "F")
    assert w.text("en") == ("columns F, G beside table 'Deals' hold values (rows 1-2, 4) but are not part of the "
                            "table, so they are not read. If they are data, extend the table over them "
                            "(Table Design > Resize Table).")
    assert w.text("zh") == ("表格“Deals”旁边的 F、G 列（第 1-2、4 行）有内容，但不在表格范围内，不会被读取。"
                            "如果是数据，请扩展表格以包含这些列（表设计 > 调整表格大小）。")


def test_one_column_beside_the_table_is_named_in_the_singular(build):
    grid = {1: HEAD, 2: deal(1), 3: [*deal(2), None, 7]}
    (w,) = load(build(grid, "A1:E3")).warnings
    assert (w.row, w.column) == (3, "G")
    assert w.text("en").startswith("column G beside table 'Deals' holds values (row 3) but is not part of the "
                                   "table, so it is not read. If it is data, extend the table over it")


def test_a_second_table_beside_the_first_is_not_data_around_it_but_a_row_under_the_first_is(tmp_path, build):
    grid = {1: [*HEAD, None, "key", "value"], 2: [*deal(1), None, "x", 1], 3: deal(2), 4: deal(4)}
    path = build(grid, "A1:E3")
    wb = openpyxl.load_workbook(path)
    wb["Deals"].add_table(Table(displayName="Other", ref="G1:H2"))
    wb.save(path)
    (p,) = problems(path)  # no warning about G:H, which is a table of its own
    assert (p.sheet, p.row, p.column) == ("Deals", 4, "A")
    with FileBook(path) as book:
        assert book.read_raw("Deals").warnings == []


@pytest.mark.parametrize("note", [False, True], ids=["table-only", "with-a-note"])
def test_a_table_under_a_title_away_from_a1_keeps_its_rows_columns_and_error_cells(tmp_path, note):
    """Both ways of reading a table (its own cells when the sheet holds nothing else, the whole sheet when
    it does) put rows, columns and Excel error cells in the same places."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("Deals")
    ws["C1"] = "Deals 2026"
    for i, r in enumerate([HEAD, deal(1), [*deal(2)[:4], "#N/A"], deal(3)], start=4):
        for j, v in enumerate(r, start=3):
            ws.cell(row=i, column=j, value=v)
    ws.add_table(Table(displayName="Deals", ref="C4:G7"))
    if note:
        ws["J5"] = "checked"
    path = tmp_path / "offset.xlsx"
    wb.save(path)
    with FileBook(path) as book, pytest.raises(InputError) as info:
        load_book(book, ["Deals"])
    (p,) = info.value.problems
    assert (p.sheet, p.row, p.column) == ("Deals", 6, "amount (G)")
    assert p.text("en") == "the cell holds the Excel error #N/A; fix the formula or type a value."
    with FileBook(path) as book:
        raw = book.read_raw("Deals")
    assert (raw.header_row, raw.first_col, raw.row_numbers) == (4, 3, [5, 6, 7])
    assert [w.column for w in raw.warnings] == (["J"] if note else [])


# -- blank rows inside a table -------------------------------------------------------------------------

def test_a_blank_row_inside_a_table_is_skipped_with_one_warning_and_rows_keep_their_numbers(build):
    grid = {1: HEAD, 2: deal(1), 4: deal(3, 300), 5: deal(4, 400)}
    loaded = load(build(grid, "A1:E5"))
    deals = loaded.tables["Deals"]
    assert deals.index.tolist() == [2, 4, 5]
    assert deals["amount"].tolist() == [100.0, 300.0, 400.0]
    (w,) = loaded.warnings
    assert (w.sheet, w.row, w.column) == ("Deals", 3, None)
    assert w.render("en") == "sheet 'Deals', row 3: row 3 inside table 'Deals' is blank; it was skipped."
    assert w.render("zh") == "工作表“Deals”，第 3 行：表格“Deals”中的第 3 行为空行，已跳过。"


def test_blank_rows_inside_a_table_do_not_shift_the_rows_named_in_errors(build):
    grid = {1: HEAD, 2: deal(1), 5: [*deal(4)[:4], "lots"], 6: deal(5)}
    path = build(grid, "A1:E6")
    (p,) = problems(path)
    assert (p.sheet, p.row, p.column) == ("Deals", 5, "amount (E)")
    with FileBook(path) as book:
        raw = book.read_raw("Deals")
    (w,) = raw.warnings
    assert w.text("en") == "2 rows inside table 'Deals' are blank (rows 3-4); they were skipped."
    assert w.text("zh") == "表格“Deals”中的第 3-4 行为空行，已跳过。"
    assert raw.row_numbers == [2, 5, 6] and raw.problems == []


# -- plain ranges (no Excel Table) ---------------------------------------------------------------------

def test_plain_range_data_after_a_blank_row_is_an_error(build):
    grid = {1: HEAD, 2: deal(1), 3: deal(2), 5: deal(5), 6: deal(6)}
    (p,) = problems(build(grid, None))
    assert (p.sheet, p.row, p.column) == ("Deals", 5, "A")
    assert p.text("en") == ("2 rows hold data below the blank row 4 that ends the table on this sheet, so they "
                            "would not be read: rows 5-6. Delete the blank row so they join the table, or make "
                            "the range an Excel Table (Insert > Table) that includes every row.")
    assert p.text("zh") == ("本表在第 4 行（空行）处结束，其下方的第 5-6 行有数据，不会被读取。"
                            "请删除空行使其与上方表格相连，或将整个区域（含这些行）设为 Excel 表格（插入 > 表格）。")


def test_plain_range_one_row_after_two_blank_rows(build):
    grid = {1: HEAD, 2: deal(1), 5: deal(5)}
    (p,) = problems(build(grid, None))
    assert p.text("en").startswith("row 5 holds data below the blank rows 3-4 that ends the table on this "
                                   "sheet, so it would not be read. Delete the blank rows so it joins the table")


def test_plain_range_values_right_of_the_headers_are_a_warning(build):
    grid = {1: HEAD, 2: [*deal(1), 5], 3: deal(2)}
    loaded = load(build(grid, None))
    (w,) = loaded.warnings
    assert (w.sheet, w.row, w.column) == ("Deals", 2, "F")
    assert w.text("en") == ("column F beside the table holds values (row 2) but is not part of the table, so it "
                            "is not read. If it is data, give it a header in row 1, next to the others.")
    assert w.text("zh") == ("表格旁边的 F 列（第 2 行）有内容，但不在表格范围内，不会被读取。"
                            "如果是数据，请在第 1 行与其他表头相邻处为其填写表头。")


def test_title_rows_above_a_plain_range_the_header_row_is_the_best_match(build):
    grid = {1: ["2026 年成交记录"], 3: ["订单编号", "成交日期", "销售代表编号", "产品编号", "销售额"],
            4: deal(1, 10), 5: deal(2, 20)}
    loaded = load(build(grid, None, merge="A1:E1"))
    deals = loaded.tables["Deals"]
    assert deals.index.tolist() == [4, 5]
    assert deals["deal_id"].tolist() == ["D1", "D2"] and deals["amount"].tolist() == [10.0, 20.0]
    assert loaded.warnings == []


def test_title_row_that_names_one_column_loses_to_the_header_row(build):
    grid = {1: ["Amount"], 2: ["by deal"], 3: HEAD, 4: deal(1, 10)}
    deals = load(build(grid, None)).tables["Deals"]
    assert deals.index.tolist() == [4] and deals["amount"].tolist() == [10.0]


# -- issue #17 item 3: headers -------------------------------------------------------------------------

HEADER_FORMS = [
    "订单编号 / Deal ID",                 # the instructions sheet's form
    "成交\n日期",                          # Alt+Enter
    "销售代表_x000a_编号",                 # Alt+Enter as the file escape
    "产品\u3000编号",                      # full-width space
    "销售额（元）",                        # unit in full-width brackets
    "Customer\u00a0[备注]",                # NBSP and a note in square brackets
    "Ｑｕａｎｔｉｔｙ\t(units)",            # full-width letters, a tab, a unit
    "【备注】状态",                         # a note in 【】 before the label
]


def test_every_header_form_is_accepted_in_a_table_and_gives_the_right_values(build):
    grid = {1: HEADER_FORMS, 2: ["D1", "2026-01-05", "R1", "P1", 1234.5, "ACME", 3, "booked"]}
    path = build(grid, "A1:H2")
    loaded = load(path)
    row = loaded.tables["Deals"].loc[2]
    assert (row["deal_id"], row["rep_id"], row["product_id"], row["customer"]) == ("D1", "R1", "P1", "ACME")
    assert (row["amount"], row["quantity"], row["status"]) == (1234.5, 3, "booked")
    assert row["date"].date().isoformat() == "2026-01-05"
    assert loaded.locator.headers[("Deals", "rep_id")] == "销售代表 编号 (C)"  # the escape never shows


def test_every_header_form_is_accepted_on_a_plain_sheet_under_a_title(build):
    grid = {1: ["成交 2026"], 3: HEADER_FORMS, 4: ["D1", "2026-01-05", "R1", "P1", 99, None, None, None]}
    deals = load(build(grid, None, sheet="成交")).tables["Deals"]
    assert deals.index.tolist() == [4] and deals["amount"].tolist() == [99.0]


def test_header_normal_form():
    lookup = header_lookup(REGISTRY["Deals"])
    for text, canon in zip(HEADER_FORMS, ["deal_id", "date", "rep_id", "product_id", "amount", "customer",
                                          "quantity", "status"], strict=True):
        assert match_header(text, lookup) == canon, text
    assert normalise_header("(CNY)") == "cny"  # a bracketed part that is the whole label stays
    assert normalise_header("［％］") == "%"
    assert match_header("Amount / Rep ID", lookup) is None  # parts naming two columns: neither
    assert match_header("Amount / 销售额", lookup) == "amount"
    assert display_header("Amount_x000a_(CNY)") == "Amount (CNY)"
    assert display_header(" 销售额\u3000\n（元） ") == "销售额 （元）"


def test_two_headers_naming_the_same_column_are_still_a_duplicate(build):
    grid = {1: [*HEAD, "销售额（元）"], 2: [*deal(1), 5]}
    (p,) = problems(build(grid, "A1:F2"))
    assert (p.sheet, p.row, p.column) == ("Deals", 1, "F")
    assert p.text("en") == "the column '销售额（元）' appears twice."


def test_missing_column_hint_uses_the_normal_form_and_shows_no_escapes(build):
    grid = {1: [*HEAD[:4], "Amout_x000a_(CNY)"], 2: deal(1)}
    (p,) = problems(build(grid, "A1:E2"))
    assert (p.sheet, p.row, p.column) == ("Deals", 1, "Amount")
    assert p.text("en") == "required column 'Amount' (or '销售额') is missing. Did you mean 'Amout (CNY)'?"
    assert p.text("zh") == "缺少必填列“销售额”（或“Amount”）。是否应为“Amout (CNY)”？"


def test_a_sheet_name_with_a_bracketed_note_is_not_taken_for_the_table(tmp_path, build):
    path = build({1: HEAD, 2: deal(1)}, None, sheet="Deals (old)")
    with FileBook(path) as book:
        assert "Deals" not in book.table_names()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_deals_typed_under_the_templates_empty_table_stop_validate(tmp_path, lang):
    """The issue's case on the real template: deals under the (empty) Deals table were read as no deals."""
    from salesbook.book.template import write_book

    path = write_book(tmp_path / f"t_{lang}.xlsx", lang)
    wb = openpyxl.load_workbook(path)
    ws = wb["Deals" if lang == "en" else "成交"]
    (table,) = ws.tables.values()
    end = int(table.ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    for i in range(6):
        ws.cell(row=end + 1 + i, column=1, value=f"D{i}")
    wb.save(path)
    run = subprocess.run([sys.executable, "-m", "salesbook.cli", "validate", str(path), "--lang", lang],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 2, run.stdout + run.stderr
    expected = (f"6 rows below table 'Deals' (which ends at row {end}) hold data" if lang == "en" else
                f"表格“Deals”（到第 {end} 行为止）下方的第 {end + 1}-{end + 6} 行有数据")
    assert expected in run.stdout + run.stderr
