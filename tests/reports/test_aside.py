"""Reading the results tables in a second process: the same tables and the same refusals as reading them
here, and the work still done when the second process cannot be made or dies."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from salesbook.book import aside
from salesbook.book.aside import Aside
from salesbook.errors import InputError, problem
from salesbook.reports.context import load_review_data

needs_fork = pytest.mark.skipif(not aside.can_fork(), reason="needs fork and a second core")


def _pid() -> int:
    return os.getpid()


def _refuse() -> None:
    raise InputError([problem("Out_Statements row 7: 'abc' is not a number.", "Out_Statements 第 7 行：“abc”不是数字。")])


def _die_in_child(parent: int) -> str:
    if os.getpid() != parent:
        os._exit(3)
    return "done here"


@needs_fork
def test_the_work_runs_in_another_process_and_comes_back():
    with Aside(_pid) as job:
        assert job.forked
        assert job.result() != os.getpid()
    assert Aside(_pid, parallel=False).result() == os.getpid()


@needs_fork
def test_a_refusal_in_the_other_process_reaches_the_caller_in_both_languages():
    with pytest.raises(InputError) as caught, Aside(_refuse) as job:
        job.result()
    assert caught.value.render("zh") == "Out_Statements 第 7 行：“abc”不是数字。"
    assert caught.value.render("en") == "Out_Statements row 7: 'abc' is not a number."


@needs_fork
def test_if_the_other_process_dies_the_work_is_done_here():
    with Aside(_die_in_child, os.getpid()) as job:
        assert job.forked
        assert job.result() == "done here"


def _unpicklable_there(parent: int) -> object:
    if os.getpid() != parent:
        return [b"x" * 200_000, lambda: None]   # part of the stream is sent before pickling fails
    return "done here"


@needs_fork
def test_a_result_that_cannot_be_sent_whole_is_made_here():
    with Aside(_unpicklable_there, os.getpid()) as job:
        assert job.forked
        assert job.result() == "done here"


@needs_fork
def test_a_large_result_comes_back_whole():
    with Aside(_big, 3_000_000) as job:
        got = job.result()
    assert got["tail"] == "end"
    pd.testing.assert_frame_equal(got["frame"], _big(3_000_000)["frame"])


def _big(n: int) -> dict[str, object]:
    return {"frame": pd.DataFrame({"a": range(n), "b": ["x" * (i % 7) for i in range(n)]}), "tail": "end"}


def test_without_fork_the_work_is_done_here(monkeypatch):
    monkeypatch.setattr(aside, "can_fork", lambda: False)
    job = Aside(_pid)
    assert not job.forked and job.result() == os.getpid()


@needs_fork
@pytest.mark.parametrize("per", ["rep", None])
def test_reading_side_by_side_gives_the_same_tables(computed_zh, per):
    one = load_review_data(computed_zh, per=per)
    two = load_review_data(computed_zh, per=per, parallel=True)
    assert list(one.tables) == list(two.tables) and "Out_PeriodScorecards" in two.tables
    for name, frame in one.tables.items():
        pd.testing.assert_frame_equal(frame, two.tables[name], check_exact=True, obj=name)
    assert one.settings == two.settings


@needs_fork
def test_a_bad_result_cell_is_refused_the_same_way_either_way(computed_zh, tmp_path):
    wb = openpyxl.load_workbook(computed_zh)
    ws = wb["Out_Statements"]
    table = next(iter(ws.tables.values()))
    first = openpyxl.utils.cell.range_boundaries(table.ref)[1]   # the header row
    cell = next(c for c in ws[first + 3] if isinstance(c.value, float))   # an amount of a statement row
    cell.value = "abc"
    broken = tmp_path / "broken.xlsx"
    wb.save(broken)
    messages = []
    for parallel in (False, True):
        with pytest.raises(InputError) as caught:
            load_review_data(broken, per="rep", parallel=parallel)
        messages.append(caught.value.render("zh"))
    assert messages[0] == messages[1]
    assert "Out_Statements" in messages[0] and "abc" in messages[0]


CALLER = """
import sys, time
from salesbook.book import aside
if sys.argv[1] == "pipe-only":   # as where the system cannot end a child with its parent
    aside._die_with = lambda parent: None
def work(size):
    if size:
        return b"x" * size   # more than a pipe holds: the child blocks until the parent reads, or dies
    time.sleep(60)
job = aside.Aside(work, 0 if sys.argv[1] == "working" else 20_000_000)
print(job._proc.pid, flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@needs_fork
@pytest.mark.parametrize("case", ["working", "sending", "pipe-only"])
def test_a_killed_caller_leaves_no_second_process_behind(case, tmp_path):
    """kill -9 of a run must not leave its second process working (or stuck sending) for nobody."""
    script = tmp_path / "caller.py"
    script.write_text(textwrap.dedent(CALLER))
    root = Path(__file__).resolve().parents[2]
    caller = subprocess.Popen([sys.executable, str(script), case], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(root)})
    child = int(caller.stdout.readline())
    time.sleep(0.5)   # the child is at work, or blocked sending what the parent never reads
    assert _alive(child)
    caller.kill()
    caller.wait()
    deadline = time.monotonic() + 15
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child), case
