"""The big books, command by command, each in its own process: `salesbook demo --scale S --no-reports`
(write the demo book, then compute it) and `salesbook run` on the book it wrote, timed (wall and CPU) with
the process's peak resident memory (os.wait4), at 50k, 200k and 500k deals, and per deal, so the growth
shows whether it is linear.  Goals at 500k deals: run <= 20 s and <= 1 GB, demo <= 60 s and <= 1.5 GB.

The same commands without typed reads (SALESBOOK_TYPED_READ=0) run beside them at 50k deals, for the
difference the column-wise reader makes in one run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _measure(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + system), peak RSS in MB and the output of one command."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "salesbook", *args], stdout=out, stderr=subprocess.STDOUT,
                                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if proc.returncode != 0:
        raise RuntimeError(f"salesbook {' '.join(args)} failed ({proc.returncode}):\n{text[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text


def _demo_seconds(text: str) -> tuple[float, float]:
    """The demo's own split: seconds writing the book and seconds computing it."""
    found = re.findall(r"[(（](\d+(?:\.\d+)?) (?:s|秒)[)）]", text)
    return (float(found[0]), float(found[1])) if len(found) >= 2 else (float("nan"), float("nan"))


def run(args) -> list[tuple[str, str, str]]:
    from benches._gauge import gauge, gauge_row

    scales = (0.25, 1.0, 2.5) if args.quick else (2.5, 10.0, 25.0)
    rows: list[tuple[str, str, str]] = []
    before = gauge()
    with tempfile.TemporaryDirectory() as tmp:
        for scale in scales:
            deals = round(20_000 * scale)
            folder = Path(tmp) / f"s{scale}"
            wall, cpu, rss, text = _measure(["demo", "--scale", str(scale), "--no-reports", "--lang", "zh",
                                             "--out", str(folder), "--no-progress"])
            write_s, run_s = _demo_seconds(text)
            goal = "  goal <= 60 s, <= 1.5 GB" if scale == 25 else ""
            rows.append((f"demo --scale {scale:g} ({deals:,} deals)", f"{wall:.1f} s",
                         f"{cpu:.1f} s CPU, peak {rss:,.0f} MB; writing {write_s:.1f} s, computing {run_s:.1f} s; "
                         f"{wall / deals * 1e6:.0f} us and {rss * 1024 / deals:.1f} KB per deal{goal}"))
            book = folder / "salesbook_demo_zh.xlsx"
            size = book.stat().st_size
            wall, cpu, rss, _ = _measure(["run", str(book), "--out", str(folder / "again.xlsx"), "--no-progress"])
            goal = "  goal <= 20 s, <= 1 GB" if scale == 25 else ""
            rows.append((f"run on it ({deals:,} deals, {size / 1e6:.0f} MB book)", f"{wall:.1f} s",
                         f"{cpu:.1f} s CPU, peak {rss:,.0f} MB; {wall / deals * 1e6:.0f} us and "
                         f"{rss * 1024 / deals:.1f} KB per deal; out {(folder / 'again.xlsx').stat().st_size / 1e6:.0f} "
                         f"MB{goal}"))
            if scale == scales[0]:  # the same run read cell by cell, beside it
                wall2, cpu2, rss2, _ = _measure(["run", str(book), "--out", str(folder / "cells.xlsx"), "--no-progress"],
                                                env={"SALESBOOK_TYPED_READ": "0"})
                rows.append((f"  same run, cell-by-cell reads ({deals:,} deals)", f"{wall2:.1f} s",
                             f"{cpu2:.1f} s CPU, peak {rss2:,.0f} MB (typed reads: {cpu:.1f} s CPU, {rss:,.0f} MB)"))
    return [*rows, gauge_row(before, gauge())]


if __name__ == "__main__":  # pragma: no cover
    import argparse

    for row in run(argparse.Namespace(quick=True, repeat=1)):
        print(row)
