"""Hostile workbooks from the corpus (tests/data/malformed): how fast and in how much memory
`salesbook run` refuses the zip bomb and the XML bomb, and reports the one bad cell of a 120,000-row sheet.
Each case runs in a fresh interpreter (max RSS is per process); the interpreter with salesbook imported is
measured the same way, as the baseline."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "data" / "malformed"
CASES = ("zip_bomb", "xml_bomb", "very_large_sheet")
MEASURE = """
import resource, sys, time
from salesbook import cli
t = time.perf_counter()
code = cli.main(["run", sys.argv[1], "--lang", "en", "--no-progress"])
print(code, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
BASELINE = "import resource, salesbook.cli, salesbook.pipeline; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"


def run(args) -> list[tuple[str, str, str]]:
    base_kb = int(subprocess.run([sys.executable, "-c", BASELINE], capture_output=True, text=True, check=True).stdout)
    rows = [("interpreter with salesbook imported", f"{base_kb / 1024:.0f} MB", "max RSS: the baseline below")]
    for name in CASES:
        src = CORPUS / f"{name}.xlsx"
        if not src.exists():
            rows.append((name, "skipped", "run scripts/make_corpus.py"))
            continue
        best = None
        with tempfile.TemporaryDirectory() as tmp:
            book = Path(tmp) / src.name
            shutil.copy(src, book)
            for _ in range(max(1, args.repeat)):
                r = subprocess.run([sys.executable, "-c", MEASURE, str(book)], capture_output=True, text=True)
                code, seconds, kb = r.stdout.split()
                if best is None or float(seconds) < best[1]:
                    best = (int(code), float(seconds), int(kb), r.stderr.strip().splitlines()[-1])
        code, seconds, kb, message = best
        rows.append((f"{name} ({src.stat().st_size / 1e3:,.0f} KB file)", f"{seconds:.2f} s",
                     f"exit {code}; max RSS {kb / 1024:.0f} MB; {message[:90]}"))
    return rows
