"""Every malformed or hostile workbook in tests/data/malformed: the right message, exit 2, nothing
written, the input byte-identical; bombs refused within bounded time and memory."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from salesbook import cli

CORPUS = Path(__file__).parent / "data" / "malformed"
CASES = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))
BOMBS = {"zip_bomb", "xml_bomb"}


def test_corpus_is_large_enough():
    assert len(CASES) >= 29
    assert all((CORPUS / f"{c['name']}.xlsx").exists() for c in CASES)


@pytest.mark.parametrize("case", [c for c in CASES if c["name"] not in BOMBS], ids=lambda c: c["name"])
def test_malformed_book_is_refused_with_a_located_message(case, tmp_path, capsys):
    book = tmp_path / f"{case['name']}.xlsx"
    shutil.copy(CORPUS / book.name, book)
    before = hashlib.sha256(book.read_bytes()).hexdigest()
    code = cli.main(["run", str(book), "--lang", case["lang"], "--no-progress"])
    err = capsys.readouterr().err
    assert code == case["exit_code"], err
    for text in case["expect"]:
        assert text in err, f"{case['name']}: {text!r} not in:\n{err}"
    assert "Traceback" not in err
    assert [p.name for p in tmp_path.iterdir()] == [book.name], "nothing may be written"
    assert hashlib.sha256(book.read_bytes()).hexdigest() == before


MEASURE = """
import resource, sys, time
from salesbook import cli
t = time.perf_counter()
code = cli.main(["run", sys.argv[1], "--lang", "en", "--no-progress"])
print(code, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stdout)
"""
BASELINE = """
import resource, sys
import salesbook.cli, salesbook.pipeline
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_bombs_are_refused_in_bounded_time_and_memory(name, tmp_path):
    book = tmp_path / f"{name}.xlsx"
    shutil.copy(CORPUS / book.name, book)
    base_kb = int(subprocess.run([sys.executable, "-c", BASELINE], capture_output=True, text=True,
                                 check=True).stdout)
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", MEASURE, str(book)], capture_output=True, text=True, timeout=120)
    wall = time.perf_counter() - t
    code, seconds, max_kb = r.stdout.split()
    assert int(code) == 2, r.stderr
    # generous bounds (measured: well under 0.1 s and a few MB above the interpreter's own footprint)
    assert float(seconds) < 10 and wall < 60
    assert int(max_kb) - base_kb < 200 * 1024, (max_kb, base_kb)
