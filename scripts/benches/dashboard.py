"""What Out_Dashboard adds to `salesbook run` on the demo book (scale 1, or 5 with --quick off): building its
summary tables and writing its parts, against writing the same outputs without it.  Goal: under 2% of
the run.  CPU seconds (the process's threads), so a busy machine does not blur the difference."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from salesbook.book.dashboard import dashboard_for
from salesbook.book.file_book import FileBook
from salesbook.book.runinfo import RUNINFO, input_fingerprints, runinfo_frame
from salesbook.book.save import write_outputs
from salesbook.book.template import write_book
from salesbook.demo import build_demo_tables
from salesbook.pipeline import WARNINGS, _compute, _load, detect_language, findings_frame, plan_jobs


def _cpu(repeat: int, fn) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def _measure(scale: float, repeat: int) -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        src = write_book(Path(tmp) / "demo.xlsx", "zh", build_demo_tables("zh", scale=scale))
        t = time.process_time()
        with FileBook(src) as book:
            lang = detect_language(book)
            jobs, _ = plan_jobs(book)
            loaded = _load(book, jobs, lang)
            prints = input_fingerprints(book)
        outputs = _compute(loaded, jobs, lang, False)
        read_and_compute = time.process_time() - t
        written = {**outputs, WARNINGS: findings_frame(loaded.warnings, lang), RUNINFO: runinfo_frame(prints, None)}
        board = dashboard_for(outputs, loaded.tables, loaded.settings, lang)
        build = _cpu(repeat, lambda: dashboard_for(outputs, loaded.tables, loaded.settings, lang))
        out = Path(tmp) / "out.xlsx"
        plain = _cpu(repeat, lambda: write_outputs(src, written, out, lang=lang))
        with_board = _cpu(repeat, lambda: write_outputs(src, written, out, lang=lang, dashboard=board))
    run_without = read_and_compute + plain
    added = build + with_board - plain
    return [(f"demo x{scale:g}: build the dashboard ({len(board.charts)} charts)", f"{build:.3f} s",
             "summary values of every formula"),
            (f"demo x{scale:g}: write outputs without / with it", f"{plain:.2f} / {with_board:.2f} s",
             f"run without it {run_without:.1f} s CPU; added {added:+.3f} s ({added / run_without:+.1%}); goal < 2%")]


def run(args) -> list[tuple[str, str, str]]:
    return [row for scale in ((1.0,) if args.quick else (1.0, 5.0)) for row in _measure(scale, args.repeat)]
