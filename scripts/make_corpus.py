"""Generate the corpus of malformed and hostile workbooks used by tests/test_corpus.py.

Each case starts from a small valid demo book and breaks one thing.  ``CASES`` records what a user
must be told: the expected exit code and text that must appear in the message (sheet, row, column).

    python scripts/make_corpus.py [OUT_DIR]     # default: tests/data/malformed
"""

from __future__ import annotations

import json
import sys
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402

from salesbook.book.safety import OLE_MAGIC  # noqa: E402
from salesbook.book.template import write_book  # noqa: E402
from salesbook.demo import build_demo_tables  # noqa: E402

Tables = dict[str, pd.DataFrame]


@dataclass
class Case:
    name: str
    what: str
    exit_code: int
    expect: list[str] = field(default_factory=list)  # substrings of stderr (en unless lang is zh)
    lang: str = "en"


def base_tables(lang: str = "en") -> Tables:
    return build_demo_tables(lang, scale=0.02)


def _book(out: Path, name: str, tables: Tables, lang: str = "en") -> Path:
    return write_book(out / f"{name}.xlsx", lang, tables)


def _edit(path: Path, fn: Callable[[openpyxl.Workbook], None]) -> Path:
    """Edit with openpyxl, then bring each Excel Table's column list and range in line with its header
    cells, as Excel itself does when a user edits a table."""
    wb = openpyxl.load_workbook(path)
    fn(wb)
    for ws in wb.worksheets:
        for table in ws.tables.values():
            _sync_table(ws, table)
    wb.save(path)
    return path


def _sync_table(ws, table) -> None:
    from openpyxl.utils import get_column_letter, range_boundaries
    from openpyxl.worksheet.table import TableColumn

    _, top, _, _ = range_boundaries(table.ref)
    headers = []
    col = 1
    while ws.cell(row=top, column=col).value not in (None, ""):
        headers.append(str(ws.cell(row=top, column=col).value))
        col += 1
    last_row = max(ws.max_row, top + 1)
    table.ref = f"A{top}:{get_column_letter(len(headers))}{last_row}"
    table.autoFilter.ref = table.ref
    table.tableColumns = [TableColumn(id=i, name=h) for i, h in enumerate(headers, start=1)]


def _untable(wb: openpyxl.Workbook, sheet: str) -> None:
    """Turn an Excel Table back into a plain range (what 'Convert to Range' does in Excel)."""
    ws = wb[sheet]
    for name in list(ws.tables):
        del ws.tables[name]


def _obj(frame: pd.DataFrame, col: str) -> None:
    frame[col] = frame[col].astype(object)


def _rewrite(src: Path, dest: Path, change: Callable[[str, bytes], bytes | None], extra: dict | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info, data)
        for n, data in (extra or {}).items():
            zout.writestr(n, data)
    return dest


def build(out: Path) -> list[Case]:
    out.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(case: Case, tables: Tables | None = None, lang: str = "en",
            post: Callable[[Path], Path] | None = None) -> None:
        t = tables if tables is not None else base_tables(lang)
        path = _book(out, case.name, t, lang)
        if post is not None:
            post(path)
        cases.append(case)

    def drop_deals(p: Path) -> Path:
        def fn(wb):
            del wb["Deals"]
        return _edit(p, fn)
    add(Case("missing_sheet", "Deals sheet deleted", 2, ["no table or sheet named 'Deals'"]), post=drop_deals)

    t = base_tables()
    add(Case("missing_column", "amount column deleted", 2, ["sheet 'Deals', row 1, column 'Amount'",
                                                           "required column 'Amount'"]),
        t, post=lambda p: _edit(p, lambda wb: wb["Deals"].delete_cols(7)))

    add(Case("misspelled_header", "header 'Amount' typed as 'Amuont'", 2, ["Did you mean 'Amuont'?"]),
        post=lambda p: _edit(p, lambda wb: wb["Deals"].cell(row=1, column=7, value="Amuont")))

    def mixed_headers(p: Path) -> Path:
        def fn(wb):
            ws = wb["Deals"]
            ws.cell(row=1, column=1, value="订单编号")
            ws.cell(row=1, column=7, value="销售额")
            ws.cell(row=1, column=3, value="Customer notes")  # an unknown header, and rep_id now missing
        return _edit(p, fn)
    add(Case("mixed_zh_en_headers", "zh and en headers mixed, one column renamed to an unknown header", 2,
             ["required column 'Rep ID'"]), post=mixed_headers)

    t = base_tables()
    _obj(t["Deals"], "amount")
    t["Deals"].loc[4, "amount"] = "twelve"
    add(Case("text_in_number", "text in the amount column", 2, ["sheet 'Deals', row 6, column 'Amount (G)'",
                                                               "'twelve' is not an amount"]), t)

    t = base_tables()
    _obj(t["Deals"], "amount")
    t["Deals"]["amount"] = [f"{v:,.2f}" for v in t["Deals"]["amount"]]
    t["Deals"].loc[2, "status"] = "lost"
    add(Case("numbers_stored_as_text", "amounts stored as text '1,234.50' (accepted) plus one bad status", 2,
             ["sheet 'Deals', row 4, column 'Status (H)'", "'lost' is not allowed here"]), t)

    t = base_tables()
    t["Products"].loc[1, "unit_price"] = -5
    add(Case("negative_price", "negative unit price", 2, ["sheet 'Products', row 3", "below the smallest allowed"]),
        t)

    t = base_tables()
    t["Credits"] = t["Credits"].copy()
    t["Credits"].loc[t["Credits"].index[0], "share"] = 1.5
    add(Case("share_above_100", "a credit share of 150%", 2, ["sheet 'Credits', row 2", "above the largest"]), t)

    t = base_tables()
    t["Reps"].loc[3, "rep_id"] = t["Reps"].loc[2, "rep_id"]
    add(Case("duplicate_ids", "two reps with the same id", 2, ["sheet 'Reps', row 5", "first used on row 4"]), t)

    t = base_tables()
    t["Deals"].loc[7, "product_id"] = "P99"
    add(Case("unknown_product", "deal for a product that does not exist", 2,
             ["sheet 'Deals', row 9, column 'Product ID (D)'", "'P99' is not in sheet 'Products'"]), t)

    t = base_tables()
    t["Reps"].loc[5, "region_id"] = "MARS"
    add(Case("unknown_region", "rep in an unknown region", 2, ["sheet 'Reps', row 7", "'MARS' is not in sheet"]), t)

    t = base_tables()
    t["Credits"].loc[t["Credits"].index[1], "rep_id"] = "NOBODY"
    add(Case("unknown_rep_in_credits", "credit to an unknown rep", 2, ["sheet 'Credits', row 3",
                                                                       "'NOBODY' is not in sheet 'Reps'"]), t)

    t = base_tables()
    t["Deals"] = t["Deals"].head(0)
    t["Credits"] = t["Credits"].head(0)
    t["Payments"] = t["Payments"].head(0)
    add(Case("empty_deals", "Deals has headers but no rows while the commission plans are filled in", 2,
             ["sheet 'Deals'", "empty"]), t)

    def merge_header(p: Path) -> Path:
        def fn(wb):
            _untable(wb, "Reps")  # Excel does not allow merged cells inside a table
            wb["Reps"].merge_cells("B1:C1")
        return _edit(p, fn)
    add(Case("merged_header_cells", "plain-range sheet with two header cells merged (Name + Region ID)", 2,
             ["sheet 'Reps', row 1", "Region ID"]), post=merge_header)

    def error_cells(code: str) -> Callable[[Path], Path]:
        def post(p: Path) -> Path:
            return _edit(p, lambda wb: wb["Deals"].cell(row=3, column=7, value=code))
        return post
    add(Case("cached_na", "a formula whose cached value is #N/A", 2, ["sheet 'Deals', row 3", "#N/A"]),
        post=error_cells("#N/A"))
    add(Case("cached_div0", "a formula whose cached value is #DIV/0!", 2, ["sheet 'Deals', row 3", "#DIV/0!"]),
        post=error_cells("#DIV/0!"))

    t = base_tables()
    _obj(t["Reps"], "hire_date")
    t["Reps"].loc[1, "hire_date"] = "2024/3/5"
    t["Reps"].loc[2, "hire_date"] = "2023年7月1日"
    t["Reps"].loc[3, "hire_date"] = 44562  # an Excel serial number
    t["Reps"].loc[4, "hire_date"] = "30/02/2024"  # 30 February: no such day, either way round
    add(Case("dates_as_text", "dates typed as text in several formats, one impossible", 2,
             ["sheet 'Reps', row 6, column 'Hire date (F)'", "'30/02/2024' is not a date"]), t)

    def unknown_setting(p: Path) -> Path:
        return _edit(p, lambda wb: wb["Settings"].append(["colour", "blue", None]))
    add(Case("unknown_setting", "a setting that does not exist", 2, ["unknown setting 'colour'"]),
        post=unknown_setting)

    t = base_tables()
    t["Settings"].loc[t["Settings"]["key"] == "fiscal_year", "value"] = "next year"
    add(Case("bad_setting_value", "fiscal_year is not a number", 2, ["setting 'fiscal_year': 'next year'"]), t)

    t = base_tables()
    t["Reps"].loc[2, "role"] = "intern"
    add(Case("bad_role", "a role level that does not exist", 2, ["sheet 'Reps', row 4, column 'Role (D)'",
                                                                 "'intern' is not allowed"]), t)

    t = base_tables("zh")
    _obj(t["Deals"], "amount")
    t["Deals"].loc[1, "amount"] = "很多"
    add(Case("zh_messages", "Chinese book: text in the amount column", 2,
             ["工作表“成交”，第 3 行，列“销售额 (G)”", "“很多”不是有效的金额"], lang="zh"), t, lang="zh")

    t = base_tables()
    t["Deals"].loc[6, "date"] = pd.NaT
    add(Case("blank_required", "a deal without a date", 2, ["sheet 'Deals', row 8, column 'Date (B)'",
                                                            "required cell is empty"]), t)

    def dup_header(p: Path) -> Path:
        def fn(wb):
            _untable(wb, "Products")  # an Excel Table would rename the second one
            wb["Products"].cell(row=1, column=5, value="Product name")
        return _edit(p, fn)
    add(Case("duplicate_header", "plain-range sheet with the same header twice", 2,
             ["sheet 'Products', row 1", "appears twice"]), post=dup_header)

    # -- engine rules -----------------------------------------------------------------------------------
    t = base_tables()
    season = t["Seasonality"].copy()
    company = season["product_line"].isna()   # the company-wide profile (product lines may have their own)
    season.loc[company, "share"] = 0.08
    t["Seasonality"] = season
    add(Case("seasonality_not_100", "monthly seasonality totals 96%", 2, ["sheet 'Seasonality'", "96.0000%, not 100%"]), t)

    t = base_tables()
    t["KPIWeights"] = t["KPIWeights"].assign(weight=0.0)
    add(Case("weights_total_zero", "every manual KPI weight is zero", 2, ["manual weights for role", "0.00%, not 100%"]), t)

    t = base_tables()
    j = t["AHPJudgements"].copy()
    j.loc[j.index[0], "value"] = 0
    add(Case("ahp_zero_judgement", "an AHP judgement of 0 (not a Saaty value)", 2, ["sheet 'AHPJudgements', row 2",
                                                                                     "must be a positive number"]),
        {**t, "AHPJudgements": j})

    t = base_tables()
    j = t["AHPJudgements"].copy()
    first = j.iloc[0]  # SALES over GP = 2, and now also GP over SALES = 2: not reciprocal
    j = pd.concat([j, pd.DataFrame([{**first.to_dict(), "kpi_a": first["kpi_b"], "kpi_b": first["kpi_a"]}])],
                  ignore_index=True)
    add(Case("ahp_not_reciprocal", "a pair judged both ways with the same value (2 and 2, not 2 and 1/2)", 2,
             [f"sheet 'AHPJudgements', row {len(j) + 1}", "contradicts row 2"]), {**t, "AHPJudgements": j})

    t = base_tables()
    tiers = t["PlanTiers"].copy()
    tiers.loc[tiers.index[1], "lower_bound"] = 0.0  # same bound twice: overlapping tiers
    add(Case("tiers_overlapping", "a plan with two tiers starting at the same bound", 2,
             ["sheet 'PlanTiers'", "duplicate Plan ID + Lower bound"]), {**t, "PlanTiers": tiers})

    t = base_tables()
    tiers = t["PlanTiers"].copy()
    order = list(tiers.index)
    order[0], order[1] = order[1], order[0]
    add(Case("tiers_out_of_order", "tier rows of a plan in descending order", 2,
             ["plan STD: tiers out of order or overlapping"]), {**t, "PlanTiers": tiers.loc[order].reset_index(drop=True)})

    t = base_tables()
    cr = t["Credits"].copy()
    cr.loc[cr.index[0], "share"] = 0.3
    add(Case("credit_split_not_100", "a deal's credit shares total less than 100%", 2,
             ["sheet 'Credits', row 2", "not 100%"]), {**t, "Credits": cr})

    # -- files that are not workbooks, or hostile ones ------------------------------------------------
    (out / "not_a_workbook.xlsx").write_text("deal_id,amount\nD1,100\n", encoding="utf-8")
    cases.append(Case("not_a_workbook", "a CSV file renamed to .xlsx", 2, ["is not an Excel .xlsx file"]))

    (out / "encrypted.xlsx").write_bytes(OLE_MAGIC + bytes(4096 - len(OLE_MAGIC)))
    cases.append(Case("encrypted", "an OLE container (what Excel writes for a password-protected book)", 2,
                      ["password-protected"]))

    good = _book(out, "_valid_source", base_tables())
    data = good.read_bytes()
    (out / "truncated.xlsx").write_bytes(data[: len(data) * 2 // 3])
    cases.append(Case("truncated", "the last third of the zip cut off", 2, ["not an Excel .xlsx file"]))

    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1)) * 10 if i > 1 else b"&lol;" * 10)
                       for i in range(1, 10))
            + b"]><sst><si><t>&lol9;</t></si></sst>")
    _rewrite(good, out / "xml_bomb.xlsx", lambda n, d: bomb if n == "xl/styles.xml" else d)
    cases.append(Case("xml_bomb", "billion laughs entity expansion in styles.xml", 2, ["document type declaration"]))

    _rewrite(good, out / "zip_bomb.xlsx", lambda n, d: d, {"xl/media/image1.bin": bytes(400 * 1024**2)})
    cases.append(Case("zip_bomb", "400 MB of zeros compressed to under 1 MB", 2, ["implausible size"]))

    t = base_tables()
    deals = t["Deals"]
    big = pd.concat([deals] * (120_000 // len(deals) + 1), ignore_index=True).head(120_000)
    big["deal_id"] = [f"B{i:07d}" for i in range(len(big))]
    big = big.astype({"amount": object})
    big.loc[len(big) - 1, "amount"] = "n/a"
    t["Deals"], t["Credits"], t["Payments"] = big, t["Credits"].head(0), t["Payments"].head(0)
    add(Case("very_large_sheet", "120,000 deals with one bad amount in the last row", 2,
             ["sheet 'Deals', row 120001", "'n/a' is not an amount"]), t)

    good.unlink()
    (out / "cases.json").write_text(json.dumps([asdict(c) for c in cases], indent=1, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
    return cases


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "data" / "malformed"
    made = build(target)
    print(f"{len(made)} cases in {target}")
