"""Without an extra, the commands that need it stop before writing anything and say how to install it, in the
user's language; everything else works (tests/install/ checks that in a real environment without the extras,
these in this one with the extras' modules made unimportable)."""

from __future__ import annotations

import importlib
import sys

import pytest

import salesbook
from salesbook import extras
from salesbook.cli import main


@pytest.fixture()
def no_weasyprint(monkeypatch):
    """WeasyPrint and jinja2 cannot be imported, and salesbook.reports is imported afresh."""
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    monkeypatch.setitem(sys.modules, "jinja2", None)
    monkeypatch.delitem(sys.modules, "salesbook.reports", raising=False)


def test_everything_the_extras_need_is_installed_here():
    for extra in extras.EXTRAS:
        assert extras.missing(extra) == []
        extras.require(extra)


def test_importing_the_reviews_without_the_extra_is_an_import_error_that_says_how_to_install_it(no_weasyprint):
    reports = importlib.import_module("salesbook.reports")  # the package itself needs nothing
    importlib.import_module("salesbook.reports.scenarios")  # nor salesbook model's summary lines
    with pytest.raises(ImportError) as info:
        reports.build_reports  # noqa: B018
    assert isinstance(info.value, extras.MissingExtra)
    text = info.value.render("en")
    assert text.startswith("the PDF and HTML reviews need salesbook's reports extra, which is not installed "
                           "(missing: weasyprint, jinja2).")
    assert "pip install '.[reports]' in a clone of salesbook" in text
    assert f"pip install 'salesbook-{salesbook.__version__}-py3-none-any.whl[reports]' beside the wheel" in text


def test_report_without_the_extra_exits_2_and_writes_nothing(no_weasyprint, tmp_path, capsys, small_book):
    out = tmp_path / "reviews"
    assert main(["report", str(small_book), "--out", str(out), "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("发现 1 个问题，未写入任何文件：\n生成 PDF 和 HTML 报告需要安装 salesbook 的可选组件（缺少：weasyprint、jinja2）。")
    assert "pip install '.[reports]'" in err
    assert not out.exists()


def test_demo_without_the_extra_says_it_can_leave_the_reviews_out_and_writes_nothing(no_weasyprint, tmp_path,
                                                                                       capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--lang", "en", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "reports extra, which is not installed" in err
    assert err.rstrip().endswith("Or leave the reviews out: `salesbook demo --no-reports`.")
    assert not out.exists()


def test_a_cluster_without_dask_names_the_dask_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(extras.MissingExtra) as info:
        extras.require("dask")
    assert info.value.render("en").startswith("--scheduler needs salesbook's dask extra, which is not installed "
                                              "(missing: distributed).")
    assert "pip install '.[dask]'" in info.value.render("zh")


def test_model_with_a_review_but_without_the_extra_refuses_before_writing_the_workbook(no_weasyprint, tmp_path,
                                                                                       capsys, small_book):
    out = tmp_path / "model.xlsx"
    assert main(["model", str(small_book), "--out", str(out), "--review", str(tmp_path / "review")]) == 2
    assert "reports extra, which is not installed" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "review").exists()
