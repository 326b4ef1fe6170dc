"""Reports: 1,000 zh rep reviews (4 charts each) as PDF on this machine (goal <= 120 s), side by side with
WeasyPrint's default path on a sample of the same documents, and the command users run.

In memory: the 1,000 reps come from the computed demo book (40 reps; or SALESBOOK_BENCH_BOOK) replicated 25
times with new ids and names, so every review has real targets, deals, scorecards, statements and leads.
Timings are wall-clock for the whole batch (contexts, font, rendering on --workers processes, writing
files); the default path is timed on a sample in one process and projected to 1,000 documents on the same
number of processes.

The command users run: `salesbook demo --scale S --no-reports` writes and computes a book of 40, 200 and
1,000 reps (20k, 100k, 500k deals; SALESBOOK_BENCH_DEMOS=DIR keeps them there for the next run), then
`salesbook report BOOK --per rep --format pdf --timings` runs in a fresh process, reading included: wall
and CPU time (workers' included), the command's own peak memory (the caller's), and its own split
into read, contexts, fonts, render and write, compared phase by phase with the in-memory batch. The same
quarter as in memory at every size (the marginal cost per review from 40 to 200 to 1,000), and the fiscal
year (the command's default period, with up to four times the months per review) at 1,000.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
PERIOD = "2026Q1"
SCALES = (1.0, 5.0, 25.0)        # demo books of 40, 200 and 1,000 reps
QUICK_SCALES = (1.0, 2.0, 5.0)   # 40, 80 and 200 reps
CREATED = "2026-04-01T00:00:00Z"
SUFFIX = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地玄"


def _replicate(data, copies: int):
    """A ReviewData with ``copies`` x the reps: every rep-keyed table repeated with new ids and names."""
    from salesbook.reports.context import index_review_data

    t = dict(data.tables)

    def rep_copies(frame: pd.DataFrame, cols: tuple[str, ...], name: bool = False) -> pd.DataFrame:
        parts = []
        for k in range(copies):
            part = frame.copy()
            for c in cols:
                if c in part:   # the reviews read only the columns they use (no deal or lead ids)
                    part[c] = part[c].astype("string") + f"-{k:02d}"
            if name:
                part["name"] = part["name"].astype("string") + SUFFIX[k % len(SUFFIX)]
            parts.append(part)
        return pd.concat(parts, ignore_index=True)

    t["Reps"] = rep_copies(t["Reps"], ("rep_id",), name=True)
    t["Regions"] = t["Regions"].copy()
    t["Regions"]["manager_id"] = t["Regions"]["manager_id"].astype("string") + "-00"
    t["Deals"] = rep_copies(t["Deals"], ("rep_id", "deal_id"))
    for name, cols in (("Out_TargetReview", ("rep_id",)), ("Out_Statements", ("rep_id",)),
                       ("Out_Scorecards", ("rep_id",)), ("Out_PeriodScorecards", ("rep_id",)),
                       ("Out_LeadScores", ("assigned_rep", "lead_id"))):
        if name in t:
            t[name] = rep_copies(t[name], cols)
    return index_review_data(data.settings, t, source=f"{data.source} x{copies}")


def _demo_book(tmp: Path) -> Path:
    from salesbook.book.template import write_book
    from salesbook.demo import build_demo_tables
    from salesbook.pipeline import run_book

    book = write_book(tmp / "demo_zh.xlsx", "zh", build_demo_tables("zh"))
    return run_book(book, tmp / "demo_zh_computed.xlsx", lang="zh").output


def _sample_default(htmls: list[str], fonttools: bool = False) -> tuple[float, int]:
    """Plain ``HTML(string=...).write_pdf()`` per document: system fonts, fresh setup each time."""
    import weasyprint.pdf.fonts as wfonts
    from weasyprint import HTML

    from salesbook.reports import weasy

    saved = wfonts.harfbuzz_subset
    if fonttools:  # what WeasyPrint does where libharfbuzz-subset is missing (the 8-10 s measured in issue 7)
        wfonts.harfbuzz_subset = None
    times, size = [], 0
    try:
        with weasy.plain():  # SVG text letter by letter, zlib level 9, every style the general way
            for html in htmls:
                t0 = time.perf_counter()
                size += len(HTML(string=html).write_pdf())
                times.append(time.perf_counter() - t0)
    finally:
        wfonts.harfbuzz_subset = saved
    return statistics.mean(times), size // max(len(htmls), 1)


def _sample_ours(docs: list[tuple[str, dict[str, str]]], fonts, fonttools: bool = False,
                 modes: tuple[str, ...] = ("run",), rounds: int = 1) -> dict[str, tuple[float, int]]:
    """Our renderer on (html, charts) pairs made as the batch makes them. Modes: "run" (chart labels as one
    run of text, what the batch does) and "letters" (WeasyPrint's own letter-by-letter SVG text); several
    modes alternate round by round, so a machine that speeds up or slows down meanwhile favours none."""
    import weasyprint.pdf.fonts as wfonts

    from salesbook.reports import weasy
    from salesbook.reports.pdf import PdfOptions, PdfRenderer

    saved = wfonts.harfbuzz_subset
    if fonttools:
        wfonts.harfbuzz_subset = None
    times: dict[str, list[float]] = {m: [] for m in modes}
    size = 0
    try:
        r = PdfRenderer(PdfOptions(fonts=fonts))
        r.render(*docs[0], lang="zh")
        for _ in range(rounds):
            for mode in modes:
                with weasy.plain("svgtext") if mode == "letters" else nullcontext():
                    for html, charts in docs:
                        t0 = time.perf_counter()
                        pdf = r.render(html, charts, lang="zh")
                        times[mode].append(time.perf_counter() - t0)
                        size += len(pdf)
    finally:
        wfonts.harfbuzz_subset = saved
    per_doc = size // max(sum(len(t) for t in times.values()), 1)
    return {m: (statistics.mean(t), per_doc) for m, t in times.items()}


_FRESH = """
import pickle, sys, time
from salesbook.reports.weasy import compiled
from salesbook.reports.pdf import PdfOptions, PdfRenderer
docs, fonts = pickle.loads(open(sys.argv[1], "rb").read())
renderer = PdfRenderer(PdfOptions(fonts=fonts))
renderer.render(*docs[0], lang="zh")
t0 = time.process_time()
for html, charts in docs:
    renderer.render(html, charts, lang="zh")
print((time.process_time() - t0) / len(docs), len(compiled.in_use()))
"""


def _sample_fresh(docs: list[tuple[str, dict[str, str]]], fonts, tmp: Path, rounds: int) -> dict[str, float]:
    """CPU seconds per document of our renderer in fresh processes, with the compiled libraries and with the
    libraries as installed (salesbook/reports/weasy/compiled.py), taking turns round by round."""
    import pickle

    from salesbook.reports.weasy import ENV

    sample = tmp / "fresh_sample.pickle"
    sample.write_bytes(pickle.dumps((docs, fonts)))
    seen: dict[str, list[float]] = {"compiled": [], "as installed": []}
    for _ in range(rounds):
        for mode in seen:
            env = {k: v for k, v in os.environ.items() if k != ENV}
            if mode == "as installed":
                env[ENV] = "compiled"
            done = subprocess.run([sys.executable, "-c", _FRESH, str(sample)], capture_output=True, text=True,
                                  check=True, cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)})
            per_doc, loaded = done.stdout.split()
            if (mode == "compiled") != (int(loaded) > 0):
                return {}   # nothing compiled here (no build): no comparison to make
            seen[mode].append(float(per_doc))
    return {mode: statistics.mean(v) for mode, v in seen.items()}


def font_files(jobs):
    """The batch's subset fonts for these reviews (built into the cache folder if not there yet)."""
    from salesbook.reports import fonts as fontlib
    from salesbook.reports.api import batch_fonts

    return fontlib.FontFiles(*[fontlib.cache_dir() / name for name, _ in batch_fonts(jobs, None, "zh")])


def run(args) -> list[tuple[str, str, str]]:
    from benches._gauge import gauge, gauge_row

    from salesbook.reports.api import plan, render_reviews
    from salesbook.reports.context import load_review_data
    from salesbook.reports.templates import pdf_source, render_html
    from salesbook.reports.weasy import compiled

    n = 200 if args.quick else 1000
    rows: list[tuple[str, str, str]] = []
    before = gauge()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        os.environ["SALESBOOK_CACHE_DIR"] = str(tmp / "cache")  # cold font cache: the build is part of the run
        t0 = time.perf_counter()
        given = os.environ.get("SALESBOOK_BENCH_BOOK")  # a computed workbook of yours instead of the demo
        base = load_review_data(Path(given) if given else _demo_book(tmp))
        data = _replicate(base, n // len(base.tables["Reps"]))
        rows.append(("setup: demo book + 25x reps", f"{time.perf_counter() - t0:.1f} s", "not part of the timings below"))

        cpu0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        result = render_reviews(data, tmp / "out", per="rep", formats=("pdf",), period=PERIOD, workers=WORKERS,
                                lang="zh", creation_date=CREATED, progress=False)
        wall = time.perf_counter() - t0
        cpu1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = [sum(getattr(b, f) - getattr(a, f) for f in ("ru_utime", "ru_stime")) for a, b in zip(cpu0, cpu1, strict=True)]
        pdfs = sorted((tmp / "out").glob("*.pdf"))
        parent_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rows += [
            (f"ours: {result.reviews} zh rep reviews, PDF, {WORKERS} workers (cold font cache)", f"{wall:.1f} s",
             f"{result.reviews / wall:.1f} reviews/s; {len(result.failures)} failed; goal <= 120 s for 1,000"),
            ("ours: CPU time of that batch", f"{cpu[0]:.0f} s caller + {cpu[1]:.0f} s workers",
             f"{cpu[1] / result.reviews * 1000:.0f} ms per review in workers; (caller+workers)/{WORKERS} = "
             f"{sum(cpu) / WORKERS:.0f} s if the {WORKERS} CPUs were ours alone"),
            (f"ours: load average at the end (other work on this machine; {os.cpu_count()} CPUs)",
             f"{os.getloadavg()[0]:.1f}", "wall-clock timings above include that contention"),
            ("ours: mean PDF size", f"{statistics.mean(p.stat().st_size for p in pdfs) / 1024:.0f} KB",
             f"{len(pdfs)} files"),
            ("ours: peak memory", f"{parent_rss:.0f} MB parent, {child_rss:.0f} MB largest worker", "max RSS"),
        ]
        t0 = time.perf_counter()
        render_reviews(data, tmp / "out2", per="rep", formats=("pdf",), period=PERIOD, workers=WORKERS, lang="zh",
                       creation_date=CREATED, progress=False)
        wall2 = time.perf_counter() - t0
        rows.append(("ours: same batch again (warm font cache)", f"{wall2:.1f} s", f"{result.reviews / wall2:.1f} reviews/s"))
        rows += _phase_rows("ours, in memory", result.phases, wall)

        # Same documents, one process, sampled: the default WeasyPrint path vs ours.
        jobs, _ = plan(data, "rep", PERIOD, "zh")
        # A seeded random sample: every 50th review would be 4 of the book's 40 reps over and over (the
        # replicas repeat them in order), and those four happened to be lighter than the average rep.
        sample = [jobs[i] for i in sorted(random.Random(20).sample(range(len(jobs)), min(20, len(jobs))))]
        inline = [render_html(j.context, created=CREATED) for j in sample]
        docs = [pdf_source(j.context, created=CREATED) for j in sample]  # as the batch's workers make them
        fonts = font_files(jobs)
        timed = _sample_ours(docs, fonts, modes=("run", "letters"), rounds=2)
        (ours, ours_size), (letters, _) = timed["run"], timed["letters"]
        default, default_size = _sample_default(inline)
        rounds = 2
        fresh = _sample_fresh(docs, fonts, tmp, rounds)
        proj = lambda per_doc: per_doc * n / WORKERS  # noqa: E731 - ideal scaling on WORKERS processes
        if fresh:
            saved = 1 - fresh["compiled"] / fresh["as installed"]
            rows += [(f"per document, ours, fresh process, compiled libraries ({len(docs)} sampled, {rounds} rounds)",
                      f"{fresh['compiled'] * 1000:.0f} ms CPU", f"x{n}/{WORKERS} procs = {proj(fresh['compiled']):.0f} s"),
                     ("per document, ours, fresh process, libraries as installed (SALESBOOK_PLAIN_WEASYPRINT=compiled)",
                      f"{fresh['as installed'] * 1000:.0f} ms CPU", f"compiled saves {saved:.0%} (the two take turns)")]
        else:
            rows.append(("per document, compiled libraries against as installed", "skipped",
                         "no compiled build here (scripts/bootstrap.sh makes it)"))
        rows += [
            (f"per document, ours ({len(sample)} sampled, 1 process)", f"{ours * 1000:.0f} ms",
             f"{ours_size / 1024:.0f} KB; x{n}/{WORKERS} procs = {proj(ours):.0f} s"),
            ("per document, ours with chart labels laid out letter by letter (WeasyPrint's SVG text)",
             f"{letters * 1000:.0f} ms", f"one run per label saves {(letters - ours) / letters:.0%} "
             "(the two alternate, 2 rounds)"),
            ("per document, WeasyPrint default (system Noto CJK, HarfBuzz subsetting"
             f"{'; this process has the compiled libraries' if compiled.in_use() else ''})", f"{default * 1000:.0f} ms",
             f"{default_size / 1024:.0f} KB; x{n}/{WORKERS} procs = {proj(default):.0f} s"),
        ]
        k = 2 if args.quick else 3
        ft_default, _ = _sample_default(inline[:k], fonttools=True)
        ft_ours, _ = _sample_ours(docs[:k], fonts, fonttools=True)["run"]
        rows += [
            (f"per document, WeasyPrint default without HarfBuzz-subset (fontTools, {k} sampled)",
             f"{ft_default:.2f} s", f"x{n}/{WORKERS} procs = {proj(ft_default) / 60:.0f} min"),
            (f"per document, ours without HarfBuzz-subset (fontTools, {k} sampled)", f"{ft_ours * 1000:.0f} ms",
             f"x{n}/{WORKERS} procs = {proj(ft_ours):.0f} s"),
        ]
        rows += user_path(args, tmp, result.phases, wall)
    return [*rows, gauge_row(before, gauge())]


# -- the command users run -------------------------------------------------------------------------------
_PHASE_OF = {"read": "read", "contexts": "contexts", "fonts": "fonts", "render": "render", "write": "write",
             "读取": "read", "上下文": "contexts", "字体": "fonts", "渲染": "render", "写文件": "write"}
_TIMED = re.compile(r"([^\s，：,:]+) ([\d.]+) (?:s|秒) ?[（(]CPU ([\d.]+) (?:s|秒)")


def _command(args: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + system, its worker processes included), peak RSS in MB of the
    largest process of the tree (at least what this process held when it started the command: the mark
    survives exec), and the output of ``salesbook ARGS`` run in a fresh process."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "salesbook", *args], stdout=out, stderr=subprocess.STDOUT,
                                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        text = out.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"salesbook {' '.join(args)} failed:\n{text[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text


def _peak(text: str) -> float | None:
    """The command's own peak memory in MB, from its --timings line (wait4's figure would also count
    what this benchmark process held when it started the command)."""
    m = re.search(r"(?:peak memory|内存峰值) ([\d,]+) MB", text)
    return float(m.group(1).replace(",", "")) if m else None


def _phases(text: str) -> dict[str, tuple[float, float]]:
    """phase -> (wall, CPU) from the command's --timings line (in the book's language)."""
    line = next((x for x in text.splitlines() if x.startswith(("time:", "用时："))), "")
    return {_PHASE_OF.get(name, name): (float(w), float(c)) for name, w, c in _TIMED.findall(line)}


def _phase_rows(label: str, phases: dict, wall: float) -> list[tuple[str, str, str]]:
    """One row: where the wall time of a batch went (CPU seconds in brackets, workers' included)."""
    got = {k: (v.wall, v.cpu + v.workers) if hasattr(v, "wall") else v for k, v in phases.items()}
    parts = [f"{k} {w:.1f} s ({c:.1f} CPU)" for k, (w, c) in got.items()]
    rest = wall - sum(w for w, _ in got.values())
    return [(f"{label}: phases", f"{wall:.1f} s", ", ".join(parts) + f"; start-up and the rest {rest:.1f} s")]


def _demo(folder: Path, scale: float) -> Path:
    book = folder / "salesbook_demo_zh_computed.xlsx"
    if not book.is_file():
        _command(["demo", "--scale", f"{scale:g}", "--no-reports", "--out", str(folder), "--no-progress"])
    return book


def user_path(args, tmp: Path, memory_phases: dict, memory_wall: float) -> list[tuple[str, str, str]]:
    """`salesbook report` on computed demo books of three sizes, each in a fresh process."""
    scales = QUICK_SCALES if args.quick else SCALES
    kept = os.environ.get("SALESBOOK_BENCH_DEMOS")
    demos = Path(kept) if kept else tmp / "demos"
    rows: list[tuple[str, str, str]] = []
    runs: dict[tuple[int, str], tuple[float, float, float, dict]] = {}
    for scale in scales:
        t0 = time.perf_counter()
        book = _demo(demos / f"s{scale:g}", scale)
        made = time.perf_counter() - t0
        periods = [PERIOD, "year"] if scale == scales[-1] else [PERIOD]
        for period in periods:
            out = tmp / f"user_{scale:g}_{period}"
            wall, cpu, tree_rss, text = _command(
                ["report", str(book), "--out", str(out), "--per", "rep", "--format", "pdf", "--workers", str(WORKERS),
                 "--creation-date", CREATED, "--timings", "--no-progress",
                 *(["--period", period] if period != "year" else [])])
            n = len(list(out.glob("*.pdf")))
            phases = _phases(text)
            rss = _peak(text) or tree_rss
            runs[(n, period)] = (wall, cpu, rss, phases)
            goal = "; goal <= 120 s, <= 800 MB" if n >= 1000 else ""
            label = "the quarter" if period == PERIOD else "the fiscal year, the default"
            rows.append((f"command: report, {n} zh rep reviews of {label} ({book.stat().st_size / 1e6:.0f} MB book)",
                         f"{wall:.1f} s", f"{cpu:.0f} s CPU, peak {rss:,.0f} MB (the caller){goal}"
                         f"{f'; book made in {made:.0f} s, not counted' if made > 1 and period == PERIOD else ''}"))
            rows += _phase_rows(f"  {n} reviews ({period})", phases, wall)
    rows += _compare(runs, memory_phases, memory_wall)
    rows += _marginal(runs)
    return rows


def _compare(runs: dict, memory_phases: dict, memory_wall: float) -> list[tuple[str, str, str]]:
    """The largest quarter run against the in-memory batch of as many reviews, phase by phase."""
    n = max(k[0] for k in runs if k[1] == PERIOD)
    wall, _, _, phases = runs[(n, PERIOD)]
    memory = {k: (v.wall, v.cpu + v.workers) for k, v in memory_phases.items()}
    parts = []
    for name in ("read", "contexts", "fonts", "render", "write"):
        a, b = phases.get(name, (0.0, 0.0)), memory.get(name, (0.0, 0.0))
        parts.append(f"{name} {a[0] - b[0]:+.1f} s ({a[1] - b[1]:+.1f} CPU)")
    rest = (wall - sum(w for w, _ in phases.values())) - (memory_wall - sum(w for w, _ in memory.values()))
    rows = [(f"command minus in memory, {n} reviews of the quarter", f"{wall - memory_wall:+.1f} s",
             ", ".join(parts) + f", start-up {rest:+.1f} s")]
    year = [k for k in runs if k[1] == "year"]
    if year:
        y = runs[year[0]]
        render_q, render_y = phases.get("render", (0, 0)), y[3].get("render", (0, 0))
        rows.append((f"the fiscal year against the quarter, {year[0][0]} reviews", f"{y[0] - wall:+.1f} s",
                     f"render {render_y[1] / max(render_q[1], 1e-9):.2f}x the CPU (more months in every table)"))
    return rows


def _marginal(runs: dict) -> list[tuple[str, str, str]]:
    """Cost per review at each size, and between sizes: the same within 20% when nothing scales with the
    batch's shape."""
    sizes = sorted(k[0] for k in runs if k[1] == PERIOD)
    rows = []
    for n in sizes:
        wall, cpu, _, phases = runs[(n, PERIOD)]
        rw, rc = phases.get("render", (0.0, 0.0))
        rows.append((f"per review, {n} reviews", f"{rw / n * 1000:.0f} ms",
                     f"render wall per review; {rc / n * 1000:.0f} ms CPU per review rendering; "
                     f"{wall / n * 1000:.0f} ms wall per review all in"))
    steps = []
    for a, b in itertools.pairwise(sizes):
        (wa, _, _, pa), (wb, _, _, pb) = runs[(a, PERIOD)], runs[(b, PERIOD)]
        render = (pb.get("render", (0, 0))[0] - pa.get("render", (0, 0))[0]) / (b - a)
        cpu = (pb.get("render", (0, 0))[1] - pa.get("render", (0, 0))[1]) / (b - a)
        steps.append((render, cpu, (wb - wa) / (b - a)))
        rows.append((f"marginal, {a} -> {b} reviews", f"{render * 1000:.0f} ms",
                     f"render wall per added review; {cpu * 1000:.0f} ms CPU; {(wb - wa) / (b - a) * 1000:.0f} ms "
                     "wall all in (reading a bigger book included)"))
    if len(steps) >= 2:
        spread = max(s[1] for s in steps) / max(min(s[1] for s in steps), 1e-9) - 1
        rows.append(("marginal CPU per review, largest over smallest", f"{spread:+.0%}", "goal: within 20%"))
    return rows
