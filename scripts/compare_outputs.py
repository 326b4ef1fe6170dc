"""Compare two computed workbooks (and optionally two review folders) for a change that must not change
what users get: every Out_ sheet's XML part byte for byte, and every review PDF's text (pdftotext).

    python scripts/compare_outputs.py OLD.xlsx NEW.xlsx [--reviews OLD_DIR NEW_DIR] [--by-column SHEET ...]

Exit 0 when everything is identical; 1 with the differing sheets/files listed.

``--by-column SHEET`` is for a change that adds columns to an Out_ sheet: that sheet's bytes are bound to
differ, so its cells are compared column by column, by header, instead; it counts as identical when every
column both books have holds the same values, and the columns only the new book has are listed with how many
of their cells are filled.
"""

from __future__ import annotations

import argparse
import posixpath
import subprocess
import sys
import zipfile
from pathlib import Path

from defusedxml import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def sheet_parts(path: Path) -> dict[str, bytes]:
    """Sheet name -> the bytes of its worksheet part."""
    with zipfile.ZipFile(path) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", NS)}
        out = {}
        for s in book.findall("m:sheets/m:sheet", NS):
            t = target[s.get(f"{{{NS['r']}}}id")]
            part = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join("xl", t))
            out[s.get("name")] = z.read(part)
        return out


def compare_books(old: Path, new: Path, by_column: frozenset[str] = frozenset()) -> list[str]:
    a, b = sheet_parts(old), sheet_parts(new)
    diffs = [f"sheet {n}: only in {old.name}" for n in a.keys() - b.keys() if n.startswith("Out_")]
    diffs += [f"sheet {n}: only in {new.name}" for n in b.keys() - a.keys() if n.startswith("Out_")]
    shared = sorted(n for n in a.keys() & b.keys() if n.startswith("Out_"))
    diffs += [f"sheet {n}: differs" for n in shared if n not in by_column and a[n] != b[n]]
    for n in sorted(by_column & set(shared)):
        diffs += compare_columns(old, new, n)
    print(f"{len(shared)} Out_ sheets compared")
    return diffs


def sheet_columns(path: Path, sheet: str) -> dict[str, list[object]]:
    """Header -> the column's values, of one sheet (its first row is the header)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = wb[sheet].iter_rows(values_only=True)
        header = [str(h) for h in next(rows)]
        cols: dict[str, list[object]] = {h: [] for h in header}
        for row in rows:
            for h, v in zip(header, row, strict=False):
                cols[h].append(v)
        return cols
    finally:
        wb.close()


def compare_columns(old: Path, new: Path, sheet: str) -> list[str]:
    a, b = sheet_columns(old, sheet), sheet_columns(new, sheet)
    diffs = [f"sheet {sheet}: column {h} only in {old.name}" for h in a if h not in b]
    diffs += [f"sheet {sheet}: column {h} differs" for h in a if h in b and a[h] != b[h]]
    added = [h for h in b if h not in a]
    filled = {h: sum(v is not None for v in b[h]) for h in added}
    same = len([h for h in a if h in b and a[h] == b[h]])
    print(f"sheet {sheet}: {same} of {len(a)} columns identical cell by cell ({len(next(iter(a.values()), []))} rows); "
          f"added: {', '.join(f'{h} ({filled[h]} filled)' for h in added) or 'none'}")
    return diffs


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def compare_reviews(old: Path, new: Path) -> list[str]:
    a = {p.relative_to(old) for p in old.rglob("*.pdf")}
    b = {p.relative_to(new) for p in new.rglob("*.pdf")}
    diffs = [f"review {p}: only in one folder" for p in sorted(a ^ b)]
    diffs += [f"review {p}: text differs" for p in sorted(a & b) if pdf_text(old / p) != pdf_text(new / p)]
    print(f"{len(a & b)} review PDFs compared")
    return diffs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--reviews", nargs=2, type=Path, metavar=("OLD_DIR", "NEW_DIR"))
    ap.add_argument("--by-column", nargs="+", default=[], metavar="SHEET",
                    help="compare these Out_ sheets cell by cell per column (for a change that adds columns)")
    args = ap.parse_args()
    diffs = compare_books(args.old, args.new, frozenset(args.by_column))
    if args.reviews:
        diffs += compare_reviews(*args.reviews)
    for d in diffs:
        print(d)
    print("identical" if not diffs else f"{len(diffs)} differences")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
