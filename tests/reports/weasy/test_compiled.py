"""The compiled libraries (salesbook/reports/weasy/compiled.py): in use where scripts/bootstrap.sh built them,
the same PDF bytes as the libraries as installed, and never standing in for a source that has changed."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from salesbook.reports import weasy
from salesbook.reports.weasy import compiled

RENDER = """
import hashlib, json, sys
from pathlib import Path
from salesbook.reports.weasy import compiled   # what every entry point imports before WeasyPrint
from salesbook.reports.api import plan
from salesbook.reports.batch import created_stamp
from salesbook.reports.context import load_review_data
from salesbook.reports.fonts import charset, ensure_fonts
from salesbook.reports.pdf import PdfOptions, PdfRenderer
from salesbook.reports.templates import pdf_source

digests = []
for book, per, period, lang in json.loads(sys.argv[1]):
    jobs, _ = plan(load_review_data(Path(book)), per, period, lang)
    for job in (jobs[:1] if per == "company" else jobs[2:4]):
        html, charts = pdf_source(job.context, created=created_stamp("2026-06-30T12:00:00"))
        renderer = PdfRenderer(PdfOptions(fonts=ensure_fonts(charset([html, *charts.values()]))))
        digests.append(hashlib.sha256(renderer.render(html, charts, lang)).hexdigest())
print(json.dumps({"loaded": compiled.in_use(), "pdfs": digests}))
"""


def _render(cases: list[tuple[str, str, str, str]], plain: bool) -> dict:
    env = dict(os.environ)
    env.pop(weasy.ENV, None)
    if plain:
        env[weasy.ENV] = "compiled"
    done = subprocess.run([sys.executable, "-c", RENDER, json.dumps(cases)], capture_output=True, text=True,
                          env=env, check=True, timeout=600)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="scripts/bootstrap.sh builds them on Linux")
def test_reviews_render_the_same_bytes_with_the_compiled_libraries_and_as_installed(computed_zh, computed_en):
    assert compiled.fresh(), ("no build of the compiled libraries for the installed versions: "
                              "scripts/bootstrap.sh makes it (salesbook/reports/weasy/compiled.py)")
    cases = [(str(computed_zh), "rep", "2026", "zh"), (str(computed_zh), "region", "2026Q1", "zh"),
             (str(computed_en), "rep", "2026Q1", "en"), (str(computed_en), "company", "2026", "en")]
    fast, plain = _render(cases, plain=False), _render(cases, plain=True)
    assert {"weasyprint.layout.table", "weasyprint.layout.inline", "weasyprint.css.computed_values",
            "weasyprint.svg.text", "pydyf", "cssselect2", "tinycss2.tokenizer"} <= set(fast["loaded"])
    assert plain["loaded"] == []
    assert len(fast["pdfs"]) == 7
    assert fast["pdfs"] == plain["pdfs"]


def _package(tmp_path: Path) -> tuple[Path, str]:
    pkg = tmp_path / "sbfakepkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "mod.py").write_text("VALUE = 1\n")
    return pkg, hashlib.sha256((pkg / "mod.py").read_bytes()).hexdigest()


def test_a_module_is_loaded_from_its_compiled_file_only_while_its_source_is_the_one_compiled(tmp_path, monkeypatch):
    pkg, sha = _package(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    so = "sbfakepkg/mod.cpython-311-x86_64-linux-gnu.so"
    finder = compiled._Finder(tmp_path / "built", {"sbfakepkg.mod": {"file": so, "source": "sbfakepkg/mod.py",
                                                                     "sha256": sha, "package": False}})
    assert finder.find_spec("sbfakepkg.mod", [str(pkg)]) is None   # the compiled file is missing
    (tmp_path / "built" / so).parent.mkdir(parents=True)
    (tmp_path / "built" / so).write_bytes(b"")   # found, never loaded: find_spec only names it
    spec = finder.find_spec("sbfakepkg.mod", [str(pkg)])
    assert spec is not None and spec.origin == str(tmp_path / "built" / so)
    assert finder.loaded == ["sbfakepkg.mod"]
    (pkg / "mod.py").write_text("VALUE = 2\n")   # the installed source changed after the build
    assert finder.find_spec("sbfakepkg.mod", [str(pkg)]) is None
    assert finder.find_spec("sbfakepkg.other", [str(pkg)]) is None   # not in the build
    assert finder.loaded == ["sbfakepkg.mod"]


def test_a_build_for_other_versions_is_not_fresh(tmp_path, monkeypatch):
    monkeypatch.setenv("SALESBOOK_COMPILED_DIR", str(tmp_path))
    assert not compiled.fresh()   # nothing built there
    versions = compiled._versions()
    (tmp_path / compiled.MANIFEST).write_text(json.dumps({"versions": {**versions, "weasyprint": "69.0"},
                                                          "modules": {"pydyf": {}}}))
    assert not compiled.fresh()


def test_a_compiler_stopped_by_a_signal_stops_the_build_where_a_refusal_does_not():
    refused = subprocess.CompletedProcess(args=["cython"], returncode=1)
    compiled._not_stopped(refused, "weasyprint/layout/preferred.py")   # the module stays Python
    with pytest.raises(RuntimeError, match="signal 9"):
        compiled._not_stopped(subprocess.CompletedProcess(args=["cc"], returncode=-9), "weasyprint/layout/table.py")
