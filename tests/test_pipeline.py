"""Jobs side by side: the leads and KPI jobs run in a second process while targets and commissions run here,
and the outputs, the warnings (in job order) and the error reported are those of running every job one
after another."""

from __future__ import annotations

import dataclasses
import os

import pandas as pd
import pytest

from salesbook import pipeline
from salesbook.book import aside
from salesbook.book.file_book import FileBook
from salesbook.errors import InputError, problem
from salesbook.jobs import discover
from salesbook.pipeline import _load, compute, plan_jobs

needs_fork = pytest.mark.skipif(not aside.can_fork(), reason="needs fork and a second core")


def _loaded(path, lang):
    with FileBook(path) as book:
        jobs, _ = plan_jobs(book)
        return _load(book, jobs, lang), jobs


@needs_fork
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_side_by_side_gives_what_one_after_another_gives(lang, demo_book_en, demo_book_zh):
    path = demo_book_zh if lang == "zh" else demo_book_en
    one, jobs = _loaded(path, lang)
    two, _ = _loaded(path, lang)
    assert {j.name for j in jobs if j.aside} == {"leads", "kpi"} and len(jobs) == 4
    seen: list[str] = []
    plain = compute(one, jobs)
    side = compute(two, jobs, seen.append, side_by_side=True, keep=("Regions",))
    assert list(plain) == list(side) and len(plain) >= 12
    for name, frame in plain.items():
        pd.testing.assert_frame_equal(frame, side[name], check_exact=True, obj=name)
    assert [w.render(lang) for w in one.warnings] == [w.render(lang) for w in two.warnings]
    assert len(seen) == len(jobs)   # each job's step is still shown
    assert "Leads" in one.tables and "Deals" in one.tables
    assert {n for n in two.tables if not n.startswith("Out_")} == {"Regions"}   # the rest let go once read


def _dies_in_child(job, parent: int):
    def run(book):
        if os.getpid() != parent:
            os._exit(9)   # as a second process killed for memory
        return job.run(book)
    return dataclasses.replace(job, run=run)


@needs_fork
def test_if_the_second_process_dies_its_jobs_run_here_with_their_tables(small_book):
    """The inputs let go of once read must not include those of the aside jobs while their outputs are not in:
    when the second process dies, they run here."""
    one, jobs = _loaded(small_book, "en")
    two, _ = _loaded(small_book, "en")
    dying = [_dies_in_child(j, os.getpid()) if j.aside else j for j in jobs]
    plain = compute(one, jobs)
    side = compute(two, dying, side_by_side=True, keep=())
    assert list(plain) == list(side)
    for name, frame in plain.items():
        pd.testing.assert_frame_equal(frame, side[name], check_exact=True, obj=name)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_job_reads_only_the_tables_it_names(lang, demo_book_en, demo_book_zh):
    """Letting go of an input once no job left reads it relies on ``Job.uses`` naming every table a job reads:
    each engine job given only those gives what it gives with the whole book."""
    loaded, jobs = _loaded(demo_book_zh if lang == "zh" else demo_book_en, lang)
    for job in jobs:
        whole = job.run(dataclasses.replace(loaded, warnings=[]))
        only = dataclasses.replace(loaded, tables={n: t for n, t in loaded.tables.items() if n in job.uses},
                                   warnings=[])
        assert len(only.tables) < len(loaded.tables)
        named = job.run(only)
        assert list(whole) == list(named), job.name
        for name, frame in whole.items():
            pd.testing.assert_frame_equal(frame, named[name], check_exact=True, obj=name)


def _failing(job, message_en: str, message_zh: str):
    def run(book):
        book.warnings.append(problem(f"{job.name} was here.", f"{job.name} 来过。"))
        raise InputError(problem(message_en, message_zh, table="Settings"))
    return dataclasses.replace(job, run=run)


@needs_fork
@pytest.mark.parametrize(("failing", "reported"), [(("leads", "commissions"), "leads"),
                                                   (("targets", "kpi"), "targets"),
                                                   (("kpi",), "kpi"), (("commissions",), "commissions")])
def test_the_error_reported_is_the_first_in_job_order(failing, reported, small_book):
    """Whichever process fails first in time, the error is that of the earliest failing job, as in order."""
    loaded, _ = _loaded(small_book, "en")
    jobs = [_failing(j, f"{j.name} failed.", f"{j.name} 出错。") if j.name in failing else j for j in discover()
            if not j.on_request]
    with pytest.raises(InputError) as side:
        compute(loaded, jobs, side_by_side=True)
    loaded, _ = _loaded(small_book, "en")
    with pytest.raises(InputError) as plain:
        compute(loaded, jobs)
    assert side.value.render("en") == plain.value.render("en")
    assert f"{reported} failed." in side.value.render("en")


@needs_fork
def test_the_aside_jobs_run_in_another_process(small_book):
    loaded, jobs = _loaded(small_book, "en")
    ran_in: dict[str, int] = {}

    def spy(job):
        def run(book):
            ran_in[job.name] = os.getpid()
            out = job.run(book)
            return {**out, f"Out_Pid_{job.name}": pd.DataFrame({"pid": [os.getpid()]})}
        return dataclasses.replace(job, run=run)

    outputs = compute(loaded, [spy(j) for j in jobs], side_by_side=True)
    pids = {name[len("Out_Pid_"):]: int(frame["pid"].iloc[0]) for name, frame in outputs.items()
            if name.startswith("Out_Pid_")}
    assert pids["targets"] == pids["commissions"] == os.getpid()
    assert pids["leads"] == pids["kpi"] != os.getpid()


def test_without_fork_everything_runs_here(small_book, monkeypatch):
    monkeypatch.setattr(aside, "can_fork", lambda: False)
    loaded, jobs = _loaded(small_book, "en")
    assert set(compute(loaded, jobs, side_by_side=True)) >= {"Out_Targets", "Out_LeadScores", "Out_Statements",
                                                               "Out_Scorecards"}


def test_plan_modeling_runs_after_the_engines_it_reuses():
    jobs = [j for j in discover()]
    lead = pipeline._leading(jobs)
    assert [j.name for j in lead] == ["targets", "leads", "commissions", "kpi"]
    assert all(not j.on_request for j in lead)


def test_without_the_memory_for_a_second_process_everything_runs_here(small_book, monkeypatch):
    import io

    def meminfo(path, *args, **kwargs):   # a machine with 100 MB free and this process at 400 MB
        text = "MemTotal: 8000000 kB\nMemAvailable: 100000 kB\n" if "meminfo" in str(path) else "120000 102400 0\n"
        return io.StringIO(text)

    monkeypatch.setattr(aside, "open", meminfo, raising=False)
    monkeypatch.setattr(os, "sysconf", lambda name: 4096)
    assert not aside.room_for_a_copy()
    monkeypatch.setattr(pipeline, "room_for_a_copy", aside.room_for_a_copy)
    loaded, jobs = _loaded(small_book, "en")

    def here_only(*args, **kwargs):
        raise AssertionError("no second process without the memory for it")

    monkeypatch.setattr(pipeline, "Aside", here_only)
    assert "Out_Scorecards" in compute(loaded, jobs, side_by_side=True)


def _run_info(path, out) -> pd.DataFrame:
    """Out_RunInfo of the book computed from ``path`` (its headers as the user sees them)."""
    from salesbook.book.runinfo import RUNINFO

    return pd.read_excel(pipeline.run_book(path, out, dashboard=False).output, sheet_name=RUNINFO, engine="openpyxl")


@needs_fork
def test_the_fingerprints_are_made_in_another_process_and_are_the_same(small_book, tmp_path, monkeypatch):
    """Out_RunInfo's fingerprints are made in a second process while the engines run: the same table as when
    they are made here."""
    made_in: list[int] = []
    fingerprints = pipeline.input_fingerprints
    record = tmp_path / "pids"

    def recorded(book, stamps=None):
        with open(record, "a", encoding="ascii") as fh:
            fh.write(f"{os.getpid()}\n")
        return fingerprints(book, stamps)

    monkeypatch.setattr(pipeline, "input_fingerprints", recorded)
    aside_made = _run_info(small_book, tmp_path / "aside.xlsx")
    made_in = record.read_text().split()
    assert made_in and str(os.getpid()) not in made_in
    record.unlink()
    monkeypatch.setattr(pipeline, "room_for_a_copy", lambda: False)
    here = _run_info(small_book, tmp_path / "here.xlsx")
    assert record.read_text().split() == [str(os.getpid())]
    assert len(here) > 10 and here.iloc[:, 3].str.startswith("v2:").all(), here.columns
    pd.testing.assert_frame_equal(aside_made, here, check_exact=True)


@needs_fork
def test_if_the_fingerprints_process_dies_they_are_made_here_from_the_file(small_book, tmp_path, monkeypatch):
    plain = _run_info(small_book, tmp_path / "plain.xlsx")
    fingerprints = pipeline.input_fingerprints
    parent = os.getpid()

    def dying(book, stamps=None):
        if os.getpid() != parent:
            os._exit(9)
        return fingerprints(book, stamps)

    monkeypatch.setattr(pipeline, "input_fingerprints", dying)
    pd.testing.assert_frame_equal(_run_info(small_book, tmp_path / "again.xlsx"), plain, check_exact=True)


@needs_fork
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_book_changed_while_its_fingerprints_could_not_be_made_is_refused(small_book, tmp_path, monkeypatch, lang):
    """The second process died and the file was saved again meanwhile: the fingerprints made now would not be
    those of what was computed, so nothing is written and the user is told to run again."""
    import openpyxl

    fingerprints = pipeline.input_fingerprints
    parent = os.getpid()
    compute_ = pipeline._compute

    def dying(book, stamps=None):
        if os.getpid() != parent:
            os._exit(9)
        return fingerprints(book, stamps)

    def edited_meanwhile(*args, **kwargs):
        wb = openpyxl.load_workbook(small_book)
        ws = wb["Deals"]
        ws["G2"] = (ws["G2"].value or 0) + 1
        wb.save(small_book)
        return compute_(*args, **kwargs)

    monkeypatch.setattr(pipeline, "input_fingerprints", dying)
    monkeypatch.setattr(pipeline, "_compute", edited_meanwhile)
    out = tmp_path / "out.xlsx"
    with pytest.raises(InputError) as caught:
        pipeline.run_book(small_book, out, lang=lang)
    assert caught.value.lang == lang   # what the command line prints it in
    text = caught.value.problems[0].text(lang)
    assert ("small.xlsx" in text) and ("changed while it was being computed" in text if lang == "en"
                                        else "在计算期间被修改" in text)
    assert not out.exists()


@needs_fork
def test_a_book_the_cross_table_checks_refuse_runs_no_job_and_writes_nothing(small_tables, tmp_path, monkeypatch):
    """The cross-table checks run while the second process computes, but before any job here: a deal credited
    to a rep who is not in Reps refuses the book with that problem, and nothing is written."""
    from salesbook.book.template import write_book

    tables = {k: v.copy() for k, v in small_tables.items()}
    tables["Deals"].loc[tables["Deals"].index[3], "rep_id"] = "R9999"
    book = write_book(tmp_path / "missing_rep.xlsx", "en", tables)
    ran_here: list[str] = []
    run_job = pipeline._run_job

    def recorded(loaded, job):
        if os.getpid() == parent:
            ran_here.append(job.name)
        return run_job(loaded, job)

    parent = os.getpid()
    monkeypatch.setattr(pipeline, "_run_job", recorded)
    forked: list[bool] = []
    monkeypatch.setattr(pipeline, "Aside", lambda *a, **k: forked.append(True) or aside.Aside(*a, **k))
    with pytest.raises(InputError) as info:
        pipeline.run_book(book, tmp_path / "out.xlsx")
    assert [p.render("en") for p in info.value.problems] == [
        "sheet 'Deals', row 5, column 'Rep ID (C)': 'R9999' is not in sheet 'Reps' (column 'Rep ID (A)')."]
    assert len(forked) == 2 and ran_here == []   # the fingerprints' and the aside jobs' processes; no job here
    assert not (tmp_path / "out.xlsx").exists()


@pytest.mark.parametrize("emptied", [(), ("ScoringRules", "GradeBands"), ("Leads", "ScoringRules", "GradeBands"),
                                     ("Plans", "PlanTiers", "PlanAssignments")])
def test_the_engines_in_use_are_told_apart_without_waiting_for_a_large_tables_read(emptied, small_tables, tmp_path,
                                                                                   monkeypatch):
    """An engine runs when any of its own tables is filled in. Those read cell by cell are looked at first, so a
    large table being read meanwhile is waited for only when none of the engine's other tables decides."""
    from salesbook.book.template import write_book

    monkeypatch.setenv("SALESBOOK_TYPED_MIN_ROWS", "100")   # Leads, Deals and Actuals are read on the threads
    tables = {name: frame.iloc[0:0] if name in emptied else frame for name, frame in small_tables.items()}
    path = write_book(tmp_path / "book.xlsx", "en", tables)
    with FileBook(path) as book:
        looked: list[str] = []
        ahead: set[str] = set()
        read_raw, read_ahead = book.read_raw, book.read_ahead
        monkeypatch.setattr(book, "read_raw", lambda name: looked.append(name) or read_raw(name))
        monkeypatch.setattr(book, "read_ahead", lambda names: ahead.update(read_ahead(names)) or sorted(ahead))
        jobs, skipped = plan_jobs(book)
        filled = {name: read_raw(name) is not None and read_raw(name).n_rows > 0 for name in small_tables}
    owns = {j.name: [t for t in j.needs if t not in pipeline.SHARED_TABLES] for j in discover() if not j.on_request}
    assert {"Deals", "Actuals"} | ({"Leads"} - set(emptied)) <= ahead
    assert [j.name for j in jobs] == [name for name, own in owns.items() if any(filled[t] for t in own)]
    assert skipped == {name: own for name, own in owns.items() if not any(filled[t] for t in own)}
    assert ("leads" in skipped) == ("Leads" in emptied)
    for table in set(looked) & ahead:   # waited for: no other table of an engine owning it was filled in
        assert any(table in own and not any(filled[t] for t in own if t not in ahead) for own in owns.values())
    assert set(looked) & ahead == {owns[name][0] for name in ("leads", "commissions")
                                   if not any(filled[t] for t in owns[name][1:])} - set(emptied)
