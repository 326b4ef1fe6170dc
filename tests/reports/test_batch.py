"""Batches: a failing review is reported while the others are written; overrides; absent sections."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest
from reportkit import CREATED

from salesbook.errors import InputError
from salesbook.reports import build_reports, render_reviews
from salesbook.reports.context import index_review_data, load_review_data


def test_one_failing_review_does_not_stop_the_batch(tmp_path, computed_zh):
    override = tmp_path / "templates"
    override.mkdir()
    # a user's template with a bug that only bites for one rep
    (override / "rep_review.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>{{ c.subject.name }}</h1>'
        '<p>{{ 100 // (c.subject.id != "R0002") }}</p>{% endblock %}', encoding="utf-8")
    result = build_reports(computed_zh, tmp_path / "out", per="rep", workers=2, progress=False,
                           templates_dir=override, creation_date=CREATED)
    n = len(load_review_data(computed_zh).tables["Reps"])
    assert not result.ok
    assert [f.review for f in result.failures] == ["rep R0002"]
    assert "ZeroDivisionError" in result.failures[0].reason
    assert len(result.files) == 2 * (n - 1)
    assert not list((tmp_path / "out").glob("rep_R0002_*"))
    assert "rep R0002: ZeroDivisionError" in result.summary("en") and "失败 1 份" in result.summary("zh")


def test_user_labels_and_stylesheet_override_the_packaged_ones(tmp_path, computed_en):
    override = tmp_path / "mine"
    override.mkdir()
    (override / "labels.json").write_text(json.dumps({"en": {"region_review": "Quarterly business review"}}))
    (override / "report.css").write_text("h1 { color: rgb(1, 2, 3); }")
    result = build_reports(computed_en, tmp_path / "out", per="region", formats=("html",), workers=1,
                           progress=False, templates_dir=override)
    html = result.files[0].read_text(encoding="utf-8")
    assert "Quarterly business review" in html and "rgb(1, 2, 3)" in html
    assert "Reps compared" in html  # labels not overridden keep the packaged text


def test_sections_without_their_engine_output_are_left_out(tmp_path, computed_zh):
    data = load_review_data(computed_zh)
    tables = {k: v for k, v in data.tables.items() if k not in ("Out_Scorecards", "Out_PeriodScorecards", "Out_Statements",
                                                             "Out_LeadScores")}
    bare = index_review_data(data.settings, tables)
    result = render_reviews(bare, tmp_path, per="rep", formats=("html", "pdf"), workers=1, progress=False)
    assert result.ok, result.summary()
    rep_id = data.tables["Out_TargetReview"]["rep_id"].iloc[0]  # a rep with targets and deals
    [page] = tmp_path.glob(f"rep_{rep_id}_*.html")
    html = page.read_text(encoding="utf-8")
    assert "目标与实际（按月）" in html and "产品组合" in html
    assert "KPI 考核" not in html and "提成对账单" not in html and "线索跟进" not in html


def test_zip_holds_every_file(tmp_path, computed_en):
    result = build_reports(computed_en, tmp_path, per="region", formats=("pdf", "html"), workers=1, progress=False,
                           zip_output=True, creation_date=CREATED)
    with zipfile.ZipFile(result.zip_path) as zf:
        assert sorted(zf.namelist()) == sorted(p.name for p in result.files)
        assert zf.testzip() is None


@pytest.mark.parametrize(("kwargs", "needle"), [({"per": "team"}, "--per"), ({"formats": ("docx",)}, "--format"),
                                                ({"period": "2026Q9"}, "2026Q9"),
                                                ({"templates_dir": "/no/such/folder"}, "/no/such/folder")])
def test_bad_arguments_are_input_errors_and_nothing_is_written(tmp_path, computed_en, kwargs, needle):
    with pytest.raises(InputError) as err:
        build_reports(computed_en, tmp_path / "out", workers=1, progress=False, **kwargs)
    assert needle in err.value.render("en")
    assert not list((tmp_path / "out").glob("*.pdf")) if (tmp_path / "out").exists() else True


def test_calculation_side_imports_without_the_report_stack():
    code = ("import sys, salesbook, salesbook.pipeline, salesbook.engines, salesbook.cli\n"
            "bad = [m for m in ('weasyprint', 'jinja2', 'salesbook.reports') if m in sys.modules]\n"
            "assert not bad, bad\n"
            "import salesbook.reports\n"
            "assert 'weasyprint' not in sys.modules  # only the rendering worker imports it\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_worker_renders_the_callers_templates_without_the_folder(computed_en):
    """Remote workers do not share the caller's disk: the override travels with the batch."""
    from salesbook.reports.api import plan
    from salesbook.reports.batch import RenderSpec, render_chunk
    from salesbook.reports.templates import template_files

    data = load_review_data(computed_en)
    jobs, _ = plan(data, "company", None, "en")
    packaged = template_files(None)
    shipped = dict(packaged)
    shipped["labels.json"] = json.dumps({**json.loads(packaged["labels.json"]),
                                         "en": {**json.loads(packaged["labels.json"])["en"],
                                                "company_summary": "Shipped override title"}})
    spec = RenderSpec(formats=("html",), user_dir="/folder/only/on/the/caller", created=CREATED,
                      templates=tuple(sorted(shipped.items())))
    [(_name, files)] = render_chunk(jobs, spec)
    assert isinstance(files, dict), files
    assert "Shipped override title" in files["html"].decode("utf-8")


def test_packaged_labels_merge_language_by_language(tmp_path):
    from salesbook.reports.templates import labels

    override = tmp_path / "tpl"
    override.mkdir()
    (override / "labels.json").write_text(json.dumps({"en": {"score": "Points"}, "zh": {"score": "得分值"}}),
                                          encoding="utf-8")
    zh = labels(str(override), "zh")
    assert zh["score"] == "得分值" and zh["actual"] == labels(None, "zh")["actual"] != labels(None, "en")["actual"]
    assert labels(str(override), "en")["score"] == "Points"
