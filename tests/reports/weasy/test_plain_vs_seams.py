"""Every kind of demo review, rendered with the seams and with plain WeasyPrint, prints the same words in
the same places: the check that a WeasyPrint, pydyf or Python version added to ``versions.VERIFIED`` keeps
the seams honest (README.md in salesbook/reports/weasy/).

The tolerance: no word may move up or down (0.01 pt, poppler's rounding) and a word may move sideways by
0.01 pt, with one exception. Chart labels go to WeasyPrint as one run of text (svgtext), which Pango kerns
as it kerns any HTML text; WeasyPrint's own SVG path lays each letter out alone and so never kerns. A word
that has a Latin letter, or follows one on its line (a pie legend's "Automation Software 55.4%"), may
therefore move sideways by up to 1.5 pt: the widest shift in all 72 demo reviews (zh and en, scale 0.3,
2026Q1) is 0.89 pt, the right edge of "Target" (T and a kern). Anything that reflows text moves a word by
a character (3 pt and more at these sizes) or a line (9 pt and more), far outside both tolerances.
"""

from __future__ import annotations

import re

import pytest
from reportkit import CREATED, bbox_words, moved_too_far, pdfinfo

from salesbook.reports import weasy
from salesbook.reports.api import plan
from salesbook.reports.batch import created_stamp
from salesbook.reports.context import load_review_data
from salesbook.reports.fonts import charset, ensure_fonts
from salesbook.reports.pdf import PdfOptions, PdfRenderer
from salesbook.reports.templates import pdf_source
from salesbook.reports.weasy import versions

pytestmark = pytest.mark.usefixtures("poppler")

def test_the_check_catches_a_reflow():
    seams = [(1, "目标", 10.0, 20.0, 30.0, 30.0), (1, "Target", 40.0, 20.0, 62.0, 30.0), (1, "12%", 70.0, 20.0, 85.0, 30.0)]
    assert moved_too_far(seams, seams) == []
    kerned = [seams[0], (1, "Target", 40.0, 20.0, 61.1, 30.0), (1, "12%", 69.2, 20.0, 84.2, 30.0)]
    assert moved_too_far(seams, kerned) == []
    assert moved_too_far(seams, [(1, "目标", 10.2, 20.0, 30.2, 30.0), *seams[1:]])   # no Latin before it: still
    assert moved_too_far(seams, [*seams[:2], (1, "12%", 73.0, 20.0, 88.0, 30.0)])    # a character's width
    assert moved_too_far(seams, [seams[0], (1, "Target", 40.0, 20.5, 62.0, 30.5), seams[2]])
    assert moved_too_far(seams, seams[:2]) == ["the words differ"]


@pytest.fixture
def every_seam(monkeypatch):
    """The installed versions must be verified ones: otherwise both renderings below would be plain."""
    monkeypatch.delenv(weasy.ENV, raising=False)
    state = weasy.apply()
    assert not state.unverified, (
        f"installed {state.unverified} not in salesbook/reports/weasy/versions.py VERIFIED: verify the new "
        "version as its README says (this test is the check), then add it there")
    assert state.on == set(weasy.NAMES), state


@pytest.mark.usefixtures("every_seam")
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("per", ["rep", "region", "company"])
def test_seams_and_plain_weasyprint_print_the_same_words_in_the_same_places(per, lang, computed_zh, computed_en,
                                                                           tmp_path):
    jobs, failures = plan(load_review_data(computed_zh if lang == "zh" else computed_en), per, "2026Q1", lang)
    assert jobs and not failures
    html, charts = pdf_source(jobs[min(3, len(jobs) - 1)].context, created=created_stamp(CREATED))
    renderer = PdfRenderer(PdfOptions(fonts=ensure_fonts(charset([html, *charts.values()]))))
    with_seams = renderer.render(html, charts, lang)
    with weasy.plain():
        assert not any(weasy.on(name) for name in weasy.NAMES)
        plain = renderer.render(html, charts, lang)
    assert weasy.on("svgtext") and weasy.on("framestack")   # back on after the block
    words = bbox_words(with_seams)
    assert len(words) > 100
    assert moved_too_far(words, bbox_words(plain)) == []
    pages = []
    for name, pdf in (("seams.pdf", with_seams), ("plain.pdf", plain)):
        (tmp_path / name).write_bytes(pdf)
        info = pdfinfo(tmp_path / name)
        pages.append((info["Pages"], info["Page size"]))
    assert pages[0] == pages[1]


def test_the_verified_versions_are_the_ones_pyproject_allows():
    """Every version in VERIFIED is one pip may install, and every line naming WeasyPrint or pydyf has an
    upper bound, so no release nobody verified is installed."""
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).resolve().parents[3] / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *(d for extra in project.get("optional-dependencies", {}).values() for d in extra)]
    number = lambda text: tuple(int(p) for p in text.split("."))  # noqa: E731
    for package in ("weasyprint", "pydyf"):
        lines = [d for d in declared if re.match(rf"{package}\b", d, re.IGNORECASE)]
        assert lines, f"pyproject.toml does not name {package}"
        for spec in lines:
            low, high = re.search(r">=\s*([\d.]+)", spec), re.search(r"<\s*([\d.]+)", spec)
            assert low and high, f"{spec}: needs a lower and an upper bound"
            for version in versions.VERIFIED[package]:
                assert number(low[1]) <= number(version) < number(high[1]), (spec, version)
