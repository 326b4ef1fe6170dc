"""A rep review of a book without targets: no achievement, so no rank; the review says nothing rather than
printing "None" where a rank would be."""

from __future__ import annotations

from salesbook.reports.api import plan
from salesbook.reports.context import index_review_data, load_review_data
from salesbook.reports.templates import render_html


def _without(data, table: str):
    tables = {k: v for k, v in data.tables.items() if k != table}
    return index_review_data(data.settings, tables, data.source)


def test_without_targets_no_rank_section_and_no_none(computed_en):
    data = _without(load_review_data(computed_en), "Out_TargetReview")
    jobs, failures = plan(data, "rep", None, "en")
    assert not failures and jobs
    for job in jobs:
        assert job.context["summary"]["rank"] is None and job.context["peers"] is None
        page = render_html(job.context)
        assert "None" not in page and 'id="rank"' not in page


def test_with_targets_ranked_reps_keep_their_rank_section(computed_en):
    jobs, _ = plan(load_review_data(computed_en), "rep", None, "en")
    ranked = [j for j in jobs if j.context["summary"]["rank"] is not None]
    assert ranked
    for job in ranked:
        assert 'id="rank"' in render_html(job.context)
        assert all(p["rank"] is not None or not p["me"] for p in job.context["peers"])
