"""The version gate: a seam runs only on the WeasyPrint, pydyf and Python it was verified on; on any other
the renderer does that part the plain way, says so once on one line, and still prints the same review.
(The versions are what the gate reads from the package metadata; here they are replaced to stand for a
release nobody has verified yet.)"""

from __future__ import annotations

import re
import zlib

import pydyf
import pytest
import weasyprint.css as wcss
import weasyprint.layout.percent as wpercent
import weasyprint.svg as wsvg
import weasyprint.text.line_break as line_break
from reportkit import CREATED, bbox_words, moved_too_far

from salesbook.reports import build_reports, weasy
from salesbook.reports.api import plan
from salesbook.reports.batch import created_stamp
from salesbook.reports.context import load_review_data
from salesbook.reports.fonts import charset, ensure_fonts
from salesbook.reports.pdf import PdfOptions, PdfRenderer
from salesbook.reports.templates import pdf_source
from salesbook.reports.weasy import gate, versions

pytestmark = pytest.mark.usefixtures("poppler")


def patched() -> dict[str, bool]:
    """Which process-wide changes are in place."""
    return {"svgtext": hasattr(wsvg.text, "__wrapped__") and hasattr(line_break.split_first_line, "__wrapped__"),
            "stylelookup": hasattr(wcss.ComputedStyle.__missing__, "__wrapped__"),
            "pdfzip": pydyf.zlib is not zlib,
            "keeplayout": hasattr(line_break.first_line_metrics, "__wrapped__"),
            "usedvalues": hasattr(wpercent.resolve_percentages, "__wrapped__")}


@pytest.fixture
def release(monkeypatch):
    """``release(weasyprint="71.0")``: the gate reads these versions instead of the installed ones. The
    notice may show again, and the seams are put back as the installed versions allow afterwards."""
    monkeypatch.delenv(weasy.ENV, raising=False)
    monkeypatch.setattr(gate, "_noticed", False)
    real = versions.installed()

    def use(**found: str) -> None:
        monkeypatch.setattr(versions, "installed", lambda: {**real, **found})

    yield use
    monkeypatch.undo()
    weasy.apply()


def _review(computed, lang: str, per: str = "rep") -> tuple[str, dict[str, str]]:
    jobs, _ = plan(load_review_data(computed), per, "2026Q1", lang)
    return pdf_source(jobs[min(3, len(jobs) - 1)].context, created=created_stamp(CREATED))


def test_on_the_installed_versions_every_seam_is_in(release):
    assert versions.unverified() == {}, "see test_plain_vs_seams.py: verify this release, then add it to VERIFIED"
    PdfRenderer(PdfOptions())
    assert patched() == {"svgtext": True, "stylelookup": True, "pdfzip": True, "keeplayout": True, "usedvalues": True}
    assert all(weasy.on(name) for name in weasy.NAMES)


def test_an_unverified_weasyprint_renders_plain_says_so_once_and_prints_the_same_review(release, computed_en, capsys):
    html, charts = _review(computed_en, "en")
    renderer = PdfRenderer(PdfOptions(fonts=ensure_fonts(charset([html, *charts.values()]))))
    with_seams = renderer.render(html, charts, "en")
    capsys.readouterr()

    release(weasyprint="71.0")
    renderer = PdfRenderer(PdfOptions(fonts=ensure_fonts(charset([html, *charts.values()]))))
    first = renderer.render(html, charts, "en")
    second = renderer.render(html, charts, "en")
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "WeasyPrint 71.0" in err and "WeasyPrint 70.0" in err and "plain WeasyPrint" in err
    for name in ("svgtext", "stylelookup", "keeplayout", "usedvalues", "htmltree", "uasheet", "pdfid"):
        assert name in err and not weasy.on(name)
    # pydyf and Python are still verified: their seams stay
    assert "pdfzip" not in err and weasy.on("pdfzip") and weasy.on("framestack")
    assert patched() == {"svgtext": False, "stylelookup": False, "pdfzip": True, "keeplayout": False, "usedvalues": False}
    assert first == second
    assert moved_too_far(bbox_words(with_seams), bbox_words(first)) == []
    # WeasyPrint wrote the identifier itself (pydyf's way), not the pdfid seam
    assert re.search(rb"/ID \[\([0-9a-f]{32}\) \([0-9a-f]{32}\)\]", first)
    assert not re.search(rb"<</ID \[", first)


def test_nothing_verified_everything_plain_and_the_notice_in_chinese(release, computed_zh, capsys):
    release(weasyprint="71.0", pydyf="0.14.0", python="3.14")
    html, charts = _review(computed_zh, "zh", "region")
    pdf = PdfRenderer(PdfOptions()).render(html, charts, "zh")
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "未在已安装的 WeasyPrint 71.0、pydyf 0.14.0、Python 3.14 上验证" in err, err
    assert "framestack" in err and "pdfzip" in err
    assert not any(weasy.on(name) for name in weasy.NAMES)
    assert patched() == {"svgtext": False, "stylelookup": False, "pdfzip": False, "keeplayout": False, "usedvalues": False}
    words = [w[1] for w in bbox_words(pdf)]
    assert len(words) > 100 and "区域" in "".join(words), words[:20]


def test_a_batch_says_it_once_in_its_language_even_on_two_worker_processes(release, computed_zh, tmp_path, capfd):
    release(weasyprint="71.0")
    result = build_reports(computed_zh, tmp_path, per="region", formats=("pdf",), workers=2, progress=False,
                           creation_date=CREATED)
    assert result.ok and len(result.files) >= 2
    err = capfd.readouterr().err
    assert err.count("salesbook：") == 1 and err.count("\n") == 1, err


def test_the_environment_turns_seams_off_without_a_notice(release, monkeypatch, capsys):
    monkeypatch.setenv(weasy.ENV, "1")
    PdfRenderer(PdfOptions())
    assert not any(weasy.on(name) for name in weasy.NAMES)
    assert patched() == {"svgtext": False, "stylelookup": False, "pdfzip": False, "keeplayout": False, "usedvalues": False}
    monkeypatch.setenv(weasy.ENV, "svgtext, htmltree")
    PdfRenderer(PdfOptions())
    assert {n for n in weasy.NAMES if not weasy.on(n)} == {"svgtext", "htmltree", "uasheet"}  # uasheet rides on htmltree
    assert patched() == {"svgtext": False, "stylelookup": True, "pdfzip": True, "keeplayout": True, "usedvalues": True}
    PdfRenderer(PdfOptions()).render("<html><body><p>x</p></body></html>")
    assert capsys.readouterr().err == ""
    monkeypatch.setenv(weasy.ENV, "svgtxt")
    with pytest.raises(ValueError, match=r"svgtxt.*svgtext"):
        weasy.apply()


def test_plain_takes_every_seam_out_and_puts_it_back(release):
    PdfRenderer(PdfOptions())
    assert patched() == {"svgtext": True, "stylelookup": True, "pdfzip": True, "keeplayout": True, "usedvalues": True}
    with weasy.plain():
        assert patched() == {"svgtext": False, "stylelookup": False, "pdfzip": False, "keeplayout": False, "usedvalues": False}
        with weasy.plain("svgtext"):
            assert not weasy.on("pdfzip")
        assert not weasy.on("svgtext")
    assert patched() == {"svgtext": True, "stylelookup": True, "pdfzip": True, "keeplayout": True, "usedvalues": True}
    with weasy.plain("pdfzip"):
        assert patched() == {"svgtext": True, "stylelookup": True, "pdfzip": False, "keeplayout": True, "usedvalues": True}
    with pytest.raises(ValueError, match="nosuch"), weasy.plain("nosuch"):
        pass


def test_importing_the_gate_does_not_import_weasyprint():
    import subprocess
    import sys

    code = ("import sys\nfrom salesbook.reports import weasy\nweasy.notice('en')\n"
            "assert 'weasyprint' not in sys.modules and 'pydyf' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)
