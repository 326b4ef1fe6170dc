"""End to end against what a user does today: a workbook whose commissions are spreadsheet formulas
(VLOOKUP on a tier table per deal, SUMIFS per rep) recalculated by LibreOffice headless, versus
`salesbook run` on the same deals.  Goal: salesbook >= 10x faster.  Needs LibreOffice (soffice)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import openpyxl
import pandas as pd

from salesbook.book.file_book import FileBook
from salesbook.book.template import write_book
from salesbook.book.validate import load_book
from salesbook.demo import build_demo_tables
from salesbook.jobs import get_job
from salesbook.pipeline import run_book


def _formula_book(deals: pd.DataFrame, reps: list[str], path: Path) -> None:
    """Deals with a per-deal commission formula and a per-rep SUMIFS summary, as a spreadsheet user builds it."""
    wb = openpyxl.Workbook(write_only=True)
    tiers = wb.create_sheet("Tiers")
    for row in [["from", "rate"], [0, 0.02], [10_000, 0.03], [50_000, 0.05], [100_000, 0.07]]:
        tiers.append(row)
    ws = wb.create_sheet("Deals")
    ws.append(["deal_id", "date", "rep_id", "amount", "rate", "commission"])
    for i, (d, dt, rep, amt) in enumerate(zip(deals["deal_id"], deals["date"], deals["rep_id"], deals["amount"],
                                              strict=True), start=2):
        ws.append([d, dt.to_pydatetime(), rep, float(amt), f"=VLOOKUP(D{i},Tiers!$A$2:$B$5,2,TRUE)", f"=D{i}*E{i}"])
    n = len(deals) + 1
    summary = wb.create_sheet("Summary")
    summary.append(["rep_id", "credited", "commission"])
    for j, rep in enumerate(reps, start=2):
        summary.append([rep, f"=SUMIFS(Deals!$D$2:$D${n},Deals!$C$2:$C${n},A{j})",
                        f"=SUMIFS(Deals!$F$2:$F${n},Deals!$C$2:$C${n},A{j})"])
    wb.save(path)


def run(args) -> list[tuple[str, str, str]]:
    soffice = shutil.which("soffice")
    if soffice is None:
        return [("LibreOffice vs salesbook", "skipped", "soffice not installed")]
    n_deals = 20_000 if args.quick else 200_000
    scale = n_deals / 20_000
    tables = build_demo_tables("en", scale=scale)
    deals = tables["Deals"].head(n_deals)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        formula_book = tmp / "formulas.xlsx"
        _formula_book(deals, sorted(tables["Reps"]["rep_id"]), formula_book)
        t = time.perf_counter()
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(tmp / 'lo').as_uri()}",
                        "--convert-to", "ods", "--outdir", str(tmp / "out"), str(formula_book)],
                       check=True, capture_output=True, timeout=3600)
        t_lo = time.perf_counter() - t
        keep = {k: v for k, v in tables.items() if k in ("Settings", "Products", "Regions", "Reps", "Deals", "Credits",
                                                          "Payments", "Plans", "PlanTiers", "PlanAssignments", "Spiffs")}
        keep["Deals"] = deals
        keep["Credits"] = keep["Credits"][keep["Credits"]["deal_id"].isin(deals["deal_id"])]
        keep["Payments"] = keep["Payments"][keep["Payments"]["deal_id"].isin(deals["deal_id"])]
        book = write_book(tmp / "salesbook.xlsx", "en", keep)
        t = time.perf_counter()
        result = run_book(book, tmp / "computed.xlsx", only=["commissions"])
        t_sb = time.perf_counter() - t
        lines = len(result.outputs["Out_Commissions"])
        t = time.perf_counter()
        loaded = load_book(FileBook(book))
        t_read = time.perf_counter() - t
        t = time.perf_counter()
        get_job("commissions").run(loaded)
        t_engine = time.perf_counter() - t
    return [(f"LibreOffice recalculating {n_deals:,} VLOOKUP + SUMIFS formulas", f"{t_lo:.1f} s",
             "load + recalculate + save, headless"),
            (f"salesbook run (commissions) on the same {n_deals:,} deals", f"{t_sb:.1f} s",
             f"{lines:,} lines with splits, clawbacks, tiers; {t_lo / t_sb:.1f}x faster (goal >= 10x)"),
            ("  of which: read + validate the workbook", f"{t_read:.1f} s", "load_book"),
            ("  of which: commissions engine (job)", f"{t_engine:.2f} s", "the rest is writing the output workbook")]


if __name__ == "__main__":  # pragma: no cover
    import argparse

    print(run(argparse.Namespace(quick=True, repeat=1)))
