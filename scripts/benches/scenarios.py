"""Plan modeling: the demo book's base and its 4 scenarios (5 in all) x 1,000 simulated years (goal <= 10 s for
the modeling job: every scenario replayed on the deals through the engines, then priced on the draws)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pandas as pd

from salesbook.book.file_book import FileBook
from salesbook.book.template import write_book
from salesbook.book.validate import load_book
from salesbook.demo import build_demo_tables
from salesbook.engines.scenarios import bootstrap, plan_set, price, replay_year, slots
from salesbook.jobs import scenarios as job


def _loaded(book: Path):
    with FileBook(book) as b:
        loaded = load_book(b)
    loaded.settings["language"] = "en"
    loaded.settings["scenario_draws"] = 1000
    return loaded


def run(args) -> list[tuple[str, str, str]]:
    scale = 0.3 if args.quick else 1.0
    with tempfile.TemporaryDirectory() as tmp:
        book = write_book(Path(tmp) / "demo.xlsx", "en", build_demo_tables("en", scale))
        loaded = _loaded(book)
    n = 1 + loaded.tables["Scenarios"]["scenario_id"].nunique()
    times = []
    for _ in range(max(1, args.repeat)):
        loaded.warnings.clear()
        t = time.perf_counter()
        out = job.run(loaded)
        times.append(time.perf_counter() - t)
    # the simulation alone: the draws once, then every scenario priced on them (base tables, as the job's base)
    t_in = {k: v for k, v in loaded.tables.items() if not k.startswith("Out_")}
    runner = job._Runner(loaded)
    statements = runner.statements(t_in)
    reps = [str(r) for r in t_in["Reps"]["rep_id"]]
    mgr = pd.Index(reps).get_indexer(t_in["Reps"]["manager_id"].astype(object).to_numpy())
    plans = plan_set(t_in["Plans"], t_in["PlanTiers"])
    year = replay_year(statements, reps, runner.periods, plans)
    lines = job._deal_lines(t_in)
    sim = []
    for _ in range(max(1, args.repeat)):
        t = time.perf_counter()
        credited = bootstrap(year, 1000, 1)
        for _ in range(n):
            price(credited, slots(year, year, plans, lines, mgr), plans)
        sim.append(time.perf_counter() - t)
    rows = len(out["Out_Scenarios"])
    return [(f"{n} scenarios (base + {n - 1}) x 1,000 draws, demo book at scale {scale:g}: modeling job, best of "
             f"{len(times)}", f"{min(times):.2f} s", f"replays + simulation, {rows} Out_Scenarios rows; goal <= 10 s"),
            (f"  of which the simulation: 1,000 draws, {n} scenarios priced", f"{min(sim):.2f} s",
             "vectorised over draws (a loop per plan and per period, none per draw)")]
