"""What `salesbook report` reads of a computed book and what a batch ships to its workers: only the tables
and columns the reviews use (the same reviews as from the whole book), the render spec once per worker,
and where the time went."""

from __future__ import annotations

import re

import pytest
from reportkit import CREATED

from salesbook import cli
from salesbook.book.file_book import FileBook
from salesbook.book.validate import load_book, read_table
from salesbook.reports import batch as batchlib
from salesbook.reports import build_reports
from salesbook.reports.api import plan
from salesbook.reports.context import index_review_data, load_review_data
from salesbook.schemas import REGISTRY

RESULTS = ("Out_TargetReview", "Out_Statements", "Out_Scorecards", "Out_PeriodScorecards", "Out_LeadScores")


def _whole_book(path):
    """The reviews' data as made before reports read selectively: every input table, every result table."""
    with FileBook(path) as book:
        loaded = load_book(book)
        tables = dict(loaded.tables)
        for name in RESULTS:
            raw = book.read_raw(name)
            if raw is not None and raw.n_rows:
                tables[name] = read_table(raw, REGISTRY[name])[0]
    return index_review_data(loaded.settings, tables, source=path.name)


@pytest.mark.parametrize("per", ["rep", "region", "company"])
def test_reviews_from_the_columns_they_read_are_those_from_the_whole_book(computed_zh, per):
    whole = _whole_book(computed_zh)
    some = load_review_data(computed_zh, per=per)
    for period in ("2026Q1", "2026"):
        jobs_whole, failed_whole = plan(whole, per, period, "zh")
        jobs_some, failed_some = plan(some, per, period, "zh")
        assert not failed_whole and not failed_some
        assert [j.name for j in jobs_some] == [j.name for j in jobs_whole] and len(jobs_whole) >= 1
        for a, b in zip(jobs_some, jobs_whole, strict=True):
            assert a.context == b.context, a.name


def _tables_read(monkeypatch) -> list[str]:
    read: list[str] = []
    raw, columns = FileBook.read_raw, FileBook.read_columns

    def spy_raw(self, name):
        read.append(name)
        return raw(self, name)

    def spy_columns(self, name, wanted):
        read.append(name)
        return columns(self, name, wanted)

    monkeypatch.setattr(FileBook, "read_raw", spy_raw)
    monkeypatch.setattr(FileBook, "read_columns", spy_columns)
    return read


def test_a_report_reads_only_the_tables_its_reviews_use(computed_zh, monkeypatch, tmp_path):
    read = _tables_read(monkeypatch)
    result = build_reports(computed_zh, tmp_path, per="company", formats=("html",), workers=1, progress=False)
    assert result.ok and not result.notes
    assert set(read) == {"Out_RunInfo", "Settings", "Reps", "Regions", "Products", "Deals", "RatingBands", "Plans",
                         "Out_TargetReview", "Out_Statements", "Out_PeriodScorecards", "Out_LeadScores"}
    with FileBook(computed_zh) as book:   # most of the book is never opened: other inputs, other results
        assert {"Leads", "LeadEvents", "Payments", "History", "Out_Commissions", "Out_Scorecards"} <= \
            set(book.table_names()) - set(read)


def test_the_render_spec_goes_to_each_worker_once_not_with_every_chunk(computed_zh, monkeypatch, tmp_path):
    """The spec carries the batch's fonts (hundreds of KB); chunks carry only reviews."""
    pickled: list[int] = []
    original = batchlib.RenderSpec.__reduce_ex__

    def counted(self, protocol):
        pickled.append(1)
        return original(self, protocol)

    monkeypatch.setattr(batchlib.RenderSpec, "__reduce_ex__", counted)
    n = len(load_review_data(computed_zh, per="rep").tables["Reps"])
    result = build_reports(computed_zh, tmp_path, per="rep", formats=("pdf",), workers=2, progress=False,
                           period="2026Q1", creation_date=CREATED)
    chunks = batchlib.chunked([None] * n, 2)  # type: ignore[list-item]
    assert result.ok and len(result.files) == n and len(chunks) >= 3
    assert len(pickled) <= 2   # at most once per worker (none where workers are forked)


def test_chunks_are_small_whatever_the_batch(computed_zh):
    for n in (1, 5, 40, 200, 1000, 5000):
        sizes = {len(c) for c in batchlib.chunked([None] * n, 2)}  # type: ignore[list-item]
        assert max(sizes) <= 4 and sum(len(c) for c in batchlib.chunked([None] * n, 2)) == n  # type: ignore[list-item]


def test_report_timings_say_where_the_time_went_in_the_books_language(computed_zh, tmp_path, capsys):
    code = cli.main(["report", str(computed_zh), "--out", str(tmp_path), "--per", "company", "--format", "pdf",
                     "--workers", "1", "--timings", "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("用时："))
    phases = re.findall(r"([^\s，：]+) ([\d.]+) 秒（CPU ([\d.]+) 秒", line)
    assert [p[0] for p in phases] == ["读取", "上下文", "字体", "渲染", "写文件"]
    assert float(phases[3][1]) > 0 and float(phases[3][2]) > 0   # one PDF takes some time to render
    result = build_reports(computed_zh, tmp_path / "en", per="company", formats=("html",), workers=1, progress=False,
                           lang="en")
    assert result.timings().startswith("time: read ") and set(result.phases) == {
        "read", "contexts", "fonts", "render", "write"}
    batch = sum(p.wall for name, p in result.phases.items() if name != "read")
    assert 0 < batch <= result.seconds + 1e-6   # the batch's phases do not overlap (reading comes before it)
