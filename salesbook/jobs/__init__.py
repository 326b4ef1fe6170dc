"""Engines as runnable jobs: which input tables they need, which output tables they write.

Each module in this package defines ``JOB``; they are discovered here so adding an engine never
means editing a central list.  A job's ``run`` is a thin shell: it takes the validated book and
calls one engine function.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from salesbook.book.validate import LoadedBook


@dataclass(frozen=True)
class Job:
    name: str                 # "targets", "leads", "commissions", "kpi"
    title_en: str
    title_zh: str
    needs: tuple[str, ...]    # input tables that must be present for the job to run
    uses: tuple[str, ...]     # all input tables read (needs + optional ones)
    writes: tuple[str, ...]   # output tables
    run: Callable[[LoadedBook], dict[str, pd.DataFrame]]
    order: int = 100
    depends_on: tuple[str, ...] = field(default=())  # jobs whose outputs this one reads
    on_request: bool = False  # run only when asked for (``salesbook model``), never just because its table has rows
    # may run in a forked second process beside the jobs that stay (``pipeline.compute``): outputs small
    # enough to send back, and together about as long as the others on a large book
    aside: bool = False


def discover() -> list[Job]:
    jobs = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        job = getattr(module, "JOB", None)
        if isinstance(job, Job):
            jobs.append(job)
    return sorted(jobs, key=lambda j: (j.order, j.name))


def get_job(name: str) -> Job:
    for job in discover():
        if job.name == name:
            return job
    raise KeyError(name)
