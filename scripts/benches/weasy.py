"""The renderer's seams (salesbook/reports/weasy/), each taken out alone: CPU time, page faults and system
time per zh rep review, and PDF size, against all seams in and all out.

One process renders the same demo reviews under every configuration, the configurations taking turns
round by round so that a machine that speeds up or slows down meanwhile favours none. CPU time (user and
system) of this process, not wall-clock time: on a shared machine the wall clock mostly measures the other
work. CPU time still drifts with the cache and memory traffic of that work; for a figure that does not,
count instructions with ``scripts/instructions.py --plain SEAM``.
"""

from __future__ import annotations

import os
import resource
import statistics
import tempfile
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

REVIEWS = 8


@contextmanager
def _auto_statement_widths():
    """Statements measure their own columns (what the templates do where colwidths gives no widths)."""
    from salesbook.reports.weasy import colwidths

    saved = colwidths.fixed_widths
    colwidths.fixed_widths = lambda *args, **kwargs: None
    try:
        yield
    finally:
        colwidths.fixed_widths = saved


def run(args) -> list[tuple[str, str, str]]:
    from benches.reports import CREATED, PERIOD, _demo_book, font_files

    from salesbook.reports import weasy
    from salesbook.reports.api import plan
    from salesbook.reports.context import load_review_data
    from salesbook.reports.pdf import PdfOptions, PdfRenderer
    from salesbook.reports.templates import pdf_source

    rounds = 2 if args.quick else max(args.repeat, 3)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        os.environ["SALESBOOK_CACHE_DIR"] = str(tmp / "cache")
        jobs, _ = plan(load_review_data(_demo_book(tmp)), "rep", PERIOD, "zh")
        jobs = jobs[5:5 + REVIEWS]
        fonts = font_files(jobs)
        docs = [pdf_source(job.context, created=CREATED) for job in jobs]
        with _auto_statement_widths():
            auto_docs = [pdf_source(job.context, created=CREATED) for job in jobs]
        renderer = PdfRenderer(PdfOptions(fonts=fonts))
        renderer.render(*docs[0], lang="zh")
        # "compiled" is decided when a process starts: this one keeps what it started with (see its README)
        configs = {"all seams": (), **{f"without {name}": (name,) for name in weasy.NAMES if name != "compiled"},
                   "without colwidths": None, "no seam (plain WeasyPrint)": weasy.NAMES}
        seen: dict[str, list[tuple[float, int, float, int]]] = {c: [] for c in configs}
        for _ in range(rounds):
            for label, off in configs.items():
                batch = auto_docs if off is None else docs
                with weasy.plain(*off) if off else nullcontext():
                    for html, charts in batch:
                        before, t0 = resource.getrusage(resource.RUSAGE_SELF), time.process_time()
                        size = len(renderer.render(html, charts, lang="zh"))
                        cpu, after = time.process_time() - t0, resource.getrusage(resource.RUSAGE_SELF)
                        seen[label].append((cpu, after.ru_minflt - before.ru_minflt, after.ru_stime - before.ru_stime,
                                            size))
    base = statistics.mean(w for w, *_ in seen["all seams"])
    rows = []
    for label, samples in seen.items():
        cpu = statistics.mean(s[0] for s in samples)
        faults, system = statistics.mean(s[1] for s in samples), statistics.mean(s[2] for s in samples)
        size = statistics.mean(s[3] for s in samples)
        rows.append((f"CPU per zh rep review, {label}", f"{cpu * 1000:.0f} ms",
                     f"{(cpu - base) / base:+.1%} vs all seams; {faults:,.0f} page faults, {system * 1000:.1f} ms "
                     f"system; {size / 1024:.1f} KB ({REVIEWS} reviews x {rounds} rounds, 1 process)"))
    from salesbook.reports.weasy import compiled

    loaded = len(compiled.in_use())
    rows.append(("compiled libraries in this process (every row above)", f"{loaded} modules",
                 "compared with the libraries as installed by `scripts/bench.py reports`, in fresh processes"))
    return rows
