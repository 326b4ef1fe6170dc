"""The main job: validate a workbook, run every engine that has its inputs, write the computed book."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from salesbook.book.aside import Aside, room_for_a_copy
from salesbook.book.base import Book
from salesbook.book.dashboard import INPUTS as DASHBOARD_INPUTS
from salesbook.book.dashboard import dashboard_for
from salesbook.book.file_book import FileBook
from salesbook.book.memory import release_memory
from salesbook.book.runinfo import RUNINFO, input_fingerprints, input_stamps, runinfo_frame
from salesbook.book.save import SaveReport, write_outputs
from salesbook.book.validate import LoadedBook, load_book
from salesbook.errors import InputError, Problem, problem
from salesbook.jobs import Job, discover
from salesbook.messages import Count, Listing, items

# Tables every engine may read but none owns: filling them in never means "run this engine".
SHARED_TABLES = frozenset({"Settings", "Products", "Regions", "Reps", "History"})
WARNINGS = "Out_Warnings"

Progress = Callable[[str], None]


@dataclass
class RunResult:
    output: Path
    ran: list[str]
    skipped: dict[str, list[str]]          # job -> its empty or missing input tables
    outputs: dict[str, pd.DataFrame]
    save: SaveReport
    lang: str
    notes: list[Problem] = field(default_factory=list)      # warnings: printed, in Out_Warnings, never blocking
    charts: int = 0                                         # charts on Out_Dashboard


def detect_language(book: Book, override: str | None = None) -> str:
    """--lang, else the Settings sheet's language, else the environment's locale, else English."""
    if override in ("en", "zh"):
        return override
    try:
        raw = book.read_raw("Settings")
    except Exception:  # a broken Settings sheet is reported by validation, in the fallback language
        raw = None
    if raw is not None:
        for row in raw.rows:
            if len(row) >= 2 and str(row[0]).strip().lower() in ("language", "语言"):
                value = str(row[1]).strip().lower()
                if value.startswith("zh") or value in ("中文", "chinese"):
                    return "zh"
                if value.startswith("en") or value in ("英文", "english"):
                    return "en"
    env = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "zh" if env.lower().startswith("zh") else "en"


def plan_jobs(book: Book, only: Sequence[str] | None = None,
              also: Sequence[str] = ()) -> tuple[list[Job], dict[str, list[str]]]:
    """Jobs to run: ``only`` if given, else every job with data in at least one of its own tables, plus the
    jobs run on request (plan modeling) named in ``also``.

    A job whose own tables are all absent or empty is skipped (that engine is not in use), whatever the
    shared tables (Reps, Products ...) hold; one with some of its tables filled and others empty runs, so
    validation tells the user what is missing.
    """
    jobs = discover()
    known = {j.name for j in jobs}
    if only:
        unknown = [n for n in only if n not in known]
        if unknown:
            raise InputError(problem("{names:unknown engine #/unknown engines #}; choose from {known}.",
                                     "未知的计算模块 {names}；可选 {known}。", names=Listing(unknown),
                                     known=items(sorted(known))))
        return [j for j in jobs if j.name in only], {}
    wanted = [j for j in jobs if not j.on_request or j.name in also]
    owns = {j.name: [t for t in j.needs if t not in SHARED_TABLES] or list(j.needs) for j in wanted}
    # the large tables are being read on the reader's threads: each job's other tables are looked at first, and
    # one of them filled in decides without waiting for a read (on the 500k-deal demo book the wait was for all)
    ahead = set(getattr(book, "read_ahead", lambda names: [])(sorted({t for own in owns.values() for t in own})))
    run, skipped = [], {}
    for job in wanted:
        own = owns[job.name]
        if any(not _is_empty(book, t) for t in sorted(own, key=lambda t: t in ahead)):
            run.append(job)  # partly filled in: load_book reports the missing or empty tables
        else:
            skipped[job.name] = own  # the user does not use this engine
    return run, skipped


def _is_empty(book: Book, name: str) -> bool:
    raw = book.read_raw(name)
    return raw is None or raw.n_rows == 0


def compute(loaded: LoadedBook, jobs: Sequence[Job], progress: Progress | None = None,
            side_by_side: bool = False, keep: Collection[str] | None = None) -> dict[str, pd.DataFrame]:
    """Run jobs; engine input errors are located to sheet/row/column for the user.

    The outputs, the warnings (in job order) and the error raised are those of running the jobs one after
    another in order. With ``side_by_side`` the jobs marked ``aside`` among the leading engine jobs (those
    reading no other job's outputs) run in a forked second process meanwhile (``book/aside``), where the
    machine can fork and has the free memory for it; their outputs come back pickled. On the 500k-deal
    demo book that took the run from 22 s to 19 s, for about 0.5 GB more memory in use while both work.

    A book loaded with ``defer_checks`` has its cross-table checks run here, right after the second process is
    started and before any job here, so they overlap the aside jobs (on the 500k-deal demo book those take
    longer than the jobs left here) and a book is refused with the same problems as when they ran first.

    Given ``keep`` (the input tables the caller still reads afterwards), each input table is let go from
    ``loaded`` as soon as no job left to run reads it (``Job.uses``): on the 500k-deal book the history once
    the targets are done, and the deals and payments once the commissions are, before the save.
    """
    zh = loaded.settings.get("language") == "zh"
    lead = _leading(jobs)
    aside = [j for j in lead if j.aside] if side_by_side and room_for_a_copy() else []
    if len(aside) == len(lead):   # nothing would be left to do here meanwhile
        aside = []
    other = Aside(_run_jobs, loaded, aside) if aside else None
    # the aside jobs' tables stay until their outputs are in: if the second process dies, they run here
    here = [j for j in jobs if j not in aside]
    if keep is not None:
        _let_go(loaded, [*here, *aside], keep)
    outcomes: dict[str, Outcome] = {}
    try:
        loaded.run_checks()   # while the second process computes; before any job here, so its problems come first
        for job in jobs[:len(lead)]:
            if progress:
                progress(job.title_zh if zh else job.title_en)
            if job in aside:
                continue
            outcomes[job.name] = _run_job(loaded, job)
            if keep is not None:
                _let_go(loaded, [*here[here.index(job) + 1:], *aside], keep)
            if isinstance(outcomes[job.name], BaseException):
                break   # as in order: nothing after a failed job runs here
        if other is not None:
            outcomes.update(other.result())
            if keep is not None:
                _let_go(loaded, [j for j in jobs if j not in lead], keep)
    finally:
        if other is not None:
            other.close()
    outputs: dict[str, pd.DataFrame] = {}
    for job in jobs:
        if job not in lead:   # reads the outputs merged so far, so it runs here, now
            if progress:
                progress(job.title_zh if zh else job.title_en)
            outcomes[job.name] = _run_job(loaded, job)
        outcome = outcomes[job.name]   # a leading job after a failed one has none, but the failure came first
        if isinstance(outcome, BaseException):
            raise outcome
        result, warnings = outcome
        loaded.warnings.extend(warnings)
        outputs.update(result)
        loaded.tables.update(result)  # later jobs may read earlier outputs (plan modeling reuses statements)
    return outputs


Outcome = tuple[dict[str, pd.DataFrame], list[Problem]] | BaseException


def _let_go(loaded: LoadedBook, still: Sequence[Job], keep: Collection[str]) -> None:
    """Drop the input tables that none of the jobs ``still`` to run reads and the caller does not ``keep``."""
    wanted = set(keep).union(*(j.uses for j in still))
    unread = [name for name in loaded.tables if name not in wanted and not name.startswith("Out_")]
    for name in unread:
        del loaded.tables[name]
    if unread:
        release_memory()


def _leading(jobs: Sequence[Job]) -> list[Job]:
    """The jobs before the first one that reads another job's outputs (on request, or ``depends_on``)."""
    lead = []
    for job in jobs:
        if job.on_request or job.depends_on:
            break
        lead.append(job)
    return lead


def _run_job(loaded: LoadedBook, job: Job) -> Outcome:
    """One job's outputs and the warnings it added (taken back out of the book's list), or its error."""
    start = len(loaded.warnings)
    try:
        result = job.run(loaded)
    except InputError as exc:
        return exc.located(loaded.locator)
    finally:
        release_memory()  # what the job let go of, for the next one's peak not to stand on it
    warnings = loaded.warnings[start:]
    del loaded.warnings[start:]
    return result, warnings


def _run_jobs(loaded: LoadedBook, jobs: Sequence[Job]) -> dict[str, Outcome]:
    """The aside jobs in order, in the second process; the first failure ends them, as it would here."""
    outcomes: dict[str, Outcome] = {}
    for job in jobs:
        outcomes[job.name] = _run_job(loaded, job)
        if isinstance(outcomes[job.name], BaseException):
            break
    return outcomes


def _as_of(loaded: LoadedBook) -> dt.date | None:
    value = loaded.settings.get("as_of_date")
    return value if isinstance(value, dt.date) else None


def findings_frame(findings: Sequence[Problem], lang: str) -> pd.DataFrame:
    """Problems or warnings as the Out_Problems / Out_Warnings sheets list them, named as the user sees them."""
    rows = [(p.sheet_shown(lang), p.row, p.column_shown(lang), p.text(lang)) for p in findings]
    frame = pd.DataFrame(rows, columns=["sheet", "row", "column", "message"])
    frame["row"] = frame["row"].astype("Int64")
    return frame


def strict_error(warnings: Sequence[Problem]) -> InputError:
    """--strict: the warnings, refused as errors, under one line saying why."""
    head = problem("--strict: {n:warning/warnings} found, treated as errors (run without --strict to accept them).",
                   "--strict：发现 {n} 条提示，按错误处理（去掉 --strict 可接受这些提示）。", n=Count(len(warnings)))
    return InputError([head, *warnings])


def _load(book: Book, jobs: Sequence[Job], lang: str) -> LoadedBook:
    try:
        loaded = load_book(book, required=sorted({t for j in jobs for t in j.needs}), defer_checks=True)
    except InputError as exc:
        exc.lang = lang  # type: ignore[attr-defined]
        raise
    loaded.settings["language"] = lang  # explanations in the language of the messages (--lang included)
    return loaded


def _compute(loaded: LoadedBook, jobs: Sequence[Job], lang: str, strict: bool,
             progress: Progress | None = None, keep: Collection[str] = ()) -> dict[str, pd.DataFrame]:
    """``compute`` side by side, letting go of each input table once read, except those in ``keep``."""
    try:
        outputs = compute(loaded, jobs, progress, side_by_side=True, keep=keep)
        loaded.warnings[:] = [loaded.locator.locate(w) for w in loaded.warnings]  # the engines' too
        if strict and loaded.warnings:
            raise strict_error(loaded.warnings)
    except InputError as exc:
        exc.lang = lang  # type: ignore[attr-defined]
        raise
    return outputs


def run_book(source: str | Path, output: str | Path | None = None, *, only: Sequence[str] | None = None,
             lang: str | None = None, in_place: bool = False, progress: Progress | None = None,
             strict: bool = False, also: Sequence[str] = (), dashboard: bool = True) -> RunResult:
    """Validate ``source``, compute, and write the computed workbook (never over the input unless in place).

    Besides the engines' outputs the book gets ``Out_Warnings`` (what was accepted with a remark) and
    ``Out_RunInfo`` (what the results were computed from) and, unless ``dashboard`` is False,
    ``Out_Dashboard`` (charts over the outputs); ``strict`` refuses the run on any warning.
    """
    source = Path(source)
    with FileBook(source) as book:
        lang = detect_language(book, lang)
        jobs, skipped = plan_jobs(book, only, also)
        loaded = _load(book, jobs, lang)
        pending = _fingerprints_meanwhile(book)
    del book  # closed: its cells are no longer needed, only the tables made from them
    release_memory()
    with pending:
        outputs = _compute(loaded, jobs, lang, strict, progress, keep=DASHBOARD_INPUTS if dashboard else ())
        try:
            prints = pending.result()
        except InputError as exc:   # the book changed meanwhile (or cannot be read again): said in its language
            exc.lang = lang  # type: ignore[attr-defined]
            raise
    if progress:
        progress("保存" if lang == "zh" else "save")
    written = {**outputs, WARNINGS: findings_frame(loaded.warnings, lang), RUNINFO: runinfo_frame(prints, _as_of(loaded))}
    board = dashboard_for(outputs, loaded.tables, loaded.settings, lang) if dashboard else None
    loaded.tables.clear()   # the inputs are not written: let them go before the save's own peak
    release_memory()
    report = write_outputs(source, written, output, lang=lang, in_place=in_place, dashboard=board)
    return RunResult(output=report.path, ran=[j.name for j in jobs], skipped=skipped, outputs=outputs,
                     save=report, lang=lang, notes=list(loaded.warnings),
                     charts=len(board.charts) if board is not None else 0)


def _fingerprints_meanwhile(book: FileBook) -> Aside[dict[str, tuple[str, int, str, str]]] | _Ready:
    """The input tables' fingerprints (``Out_RunInfo``), made in a forked second process while the engines run
    here; its ``result()`` once the engines are done (leaving its ``with`` block stops it if they fail).

    Why: they are made from every cell of every input table, 0.14 s of `run --only commissions` on 200,000
    deals with nothing else to do meanwhile. The tables are read and the stamps taken here first: the second
    process only digests what this one read (a reader thread's unfinished read would never finish there).
    Where no second process can be made the fingerprints are made here at once, as before. If the second
    process dies, they are made here from the file opened again, unless its parts changed meanwhile: then the
    run is refused rather than recording inputs the results were not computed from."""
    stamps = input_stamps(book)
    for name in stamps:   # read here, so that the second process only reads what it was given (no reader threads)
        book.read_raw(name)
    parent = os.getpid()

    def made() -> dict[str, tuple[str, int, str, str]]:
        if os.getpid() != parent:   # the second process: the book as it was when the process was made
            return input_fingerprints(book, stamps)
        with FileBook(book.path) as again:   # here, the second process having died: the file read again
            if input_stamps(again) != stamps:
                raise InputError(problem(
                    "'{file}' changed while it was being computed; nothing was written. Run it again.",
                    "“{file}”在计算期间被修改；未写入任何文件。请重新运行。", file=book.path.name))
            return input_fingerprints(again, stamps)

    other = Aside(made, parallel=room_for_a_copy())
    return other if other.forked else _Ready(input_fingerprints(book, stamps))


@dataclass
class _Ready:
    """What ``Aside`` gives, for a value made already."""

    value: dict[str, tuple[str, int, str, str]]

    def result(self) -> dict[str, tuple[str, int, str, str]]:
        return self.value

    def __enter__(self) -> _Ready:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


MODEL = "scenarios"


def model_book(source: str | Path, output: str | Path | None = None, *, lang: str | None = None,
               in_place: bool = False, progress: Progress | None = None, strict: bool = False) -> RunResult:
    """``run_book`` with plan modeling: every engine in use, then every scenario of the Scenarios sheet replayed
    and simulated (Out_Scenarios, Out_ScenarioReps), written by default to BOOK_model.xlsx."""
    source = Path(source)
    if output is None and not in_place:
        output = source.with_name(f"{source.stem}_model{source.suffix}")
    return run_book(source, output, lang=lang, in_place=in_place, progress=progress, strict=strict, also=(MODEL,))


def validate_book(source: str | Path, *, lang: str | None = None,
                  strict: bool = False) -> tuple[list[str], str, list[Problem]]:
    """Everything ``run`` checks — inputs and the engines' own rules — without writing anything.

    Returns the engines checked, the book's language and the warnings (which ``strict`` refuses)."""
    with FileBook(source) as book:
        lang = detect_language(book, lang)
        jobs, _ = plan_jobs(book)
        loaded = _load(book, jobs, lang)
    _compute(loaded, jobs, lang, strict)
    return [j.name for j in jobs], lang, list(loaded.warnings)
