"""Same inputs, same outputs: demo books and computed workbooks are byte-identical across runs."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from salesbook.book.file_book import FileBook
from salesbook.book.template import write_book
from salesbook.pipeline import run_book


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n != "docProps/core.xml"}


def test_two_runs_give_identical_computed_workbooks(small_book, tmp_path):
    a = run_book(small_book, tmp_path / "a.xlsx", lang="en").output
    b = run_book(small_book, tmp_path / "b.xlsx", lang="en").output
    assert a.read_bytes() == b.read_bytes()


def test_demo_book_content_is_identical_across_builds(small_tables, tmp_path):
    a = write_book(tmp_path / "a.xlsx", "en", small_tables)
    b = write_book(tmp_path / "b.xlsx", "en", small_tables)
    assert _parts(a) == _parts(b)  # only the save time in docProps/core.xml may differ


def test_kill_9_at_random_points_of_a_run(small_book, tmp_path):
    """Kill `salesbook run` at random moments: the input is untouched and the output path holds either
    nothing or a complete workbook."""
    src_hash = hashlib.sha256(small_book.read_bytes()).hexdigest()
    out = tmp_path / "out" / "computed.xlsx"
    rng = random.Random(11)
    outcomes = {"absent": 0, "complete": 0}
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-m", "salesbook", "run", str(small_book), "--out", str(out),
                                 "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 2.5))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert hashlib.sha256(small_book.read_bytes()).hexdigest() == src_hash
        if out.exists():
            with FileBook(out) as book:
                assert "Deals" in book.table_names()
            outcomes["complete"] += 1
            out.unlink()
        else:
            outcomes["absent"] += 1
    assert sum(outcomes.values()) == 6
