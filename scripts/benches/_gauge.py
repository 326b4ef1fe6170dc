"""How quick this machine is right now: a fixed amount of pure-Python work, timed in CPU seconds.

Why: on a shared machine the same code's CPU time moves a lot from hour to hour (the same 500k-deal `run` took
22.2-23.1 s of user CPU in one hour of 2026-12-07 and 26.3-29.4 s in the next), and a goal in seconds is read
against the machine it ran on.
The benches with such goals time this before and after their own work, so two runs of a bench can be compared:
rows of runs whose gauges differ were made on machines of different speed. Lower is quicker."""

from __future__ import annotations

import time

LOOPS = 20_000_000


def gauge() -> float:
    """CPU seconds of ``LOOPS`` rounds of integer arithmetic in the interpreter."""
    start = time.process_time()
    total = 0
    for i in range(LOOPS):
        total += i * i % 7
    return time.process_time() - start


def gauge_row(before: float, after: float) -> tuple[str, str, str]:
    """The bench table's row for the gauges taken before and after a bench's work."""
    return ("machine gauge before / after (a fixed Python loop)", f"{before:.2f} / {after:.2f} s",
            "CPU seconds, lower is quicker: compare absolute timings only between runs whose gauges agree")
