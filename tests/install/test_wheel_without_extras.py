"""The calculation side installs and runs with none of the extras and without python-calamine, as in xlwings
Lite: the wheel scripts/build_wheel.sh builds goes into a fresh virtual environment together with exactly the
requirements micropip installs under Pyodide (each Requires-Dist whose marker holds there), at the versions in
constraints.txt.  There every macro entry point, every worksheet function and the validate/run commands work
on the demo book and give what this environment gives; the report command says how to get the reports extra.

The wheels for that environment and the pinned build backend are downloaded once into wheelhouses in
salesbook's cache folder, so later runs build and install with --no-index, needing no package index (pip's own
cache kept nothing on the machine this was written on: the index's answers were not cacheable).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import pickle
import pkgutil
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from fake_xlwings import book_from_xlsx
from packaging.requirements import Requirement

import salesbook
import salesbook.excel.functions as functions
from salesbook.jobs import get_job
from salesbook.pipeline import MODEL, run_book

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CHECK = Path(__file__).with_name("wheel_check.py")
CONSTRAINTS = ROOT / "constraints.txt"
# The marker environment of Pyodide, where xlwings Lite runs (what micropip evaluates requirements against).
PYODIDE = {"platform_system": "Emscripten", "sys_platform": "emscripten", "platform_machine": "wasm32", "extra": ""}
# What each macro entry point runs: every engine in use ("all"), that and plan modeling ("model"), or one job.
RUNS = {"run_all": "all", "salesbook_run_all": "all", "run_model": "model", "salesbook_model": "model",
        "run_targets": "targets", "salesbook_decompose_targets": "targets", "run_leads": "leads",
        "salesbook_score_leads": "leads", "run_commissions": "commissions", "salesbook_compute_commissions": "commissions",
        "run_kpi": "kpi", "salesbook_build_scorecards": "kpi"}

_spec = importlib.util.spec_from_file_location("wheel_check", CHECK)
check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check)


def _requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        headers = Parser().parsestr(zf.read(meta).decode("utf-8"))
    return [Requirement(r) for r in headers.get_all("Requires-Dist") or []]


def _wanted(reqs: list[Requirement], env: dict[str, str]) -> list[Requirement]:
    return [r for r in reqs if r.marker is None or r.marker.evaluate(env)]


def _wheelhouse(reqs: list[str]) -> Path:
    """The wheels those requirements resolve to under constraints.txt, downloaded the first time only."""
    key = hashlib.sha256("\n".join([CONSTRAINTS.read_text(), sys.version, *sorted(reqs)]).encode()).hexdigest()[:16]
    cache = Path(os.environ.get("SALESBOOK_CACHE_DIR") or
                 Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "salesbook")
    house = cache / "wheels" / key
    if not (house / ".complete").exists():
        shutil.rmtree(house, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:", "-c", str(CONSTRAINTS),
                        "-d", str(house), *reqs], check=True, env=_plain_env(), timeout=900)
        (house / ".complete").write_text("")
    return house


def _plain_env() -> dict[str, str]:
    """The environment without anything that points Python at this checkout (pip too would take the checkout
    for an installed salesbook)."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    backend = _wheelhouse(["setuptools"])  # at the version constraints.txt pins for building
    env = {**_plain_env(), "SALESBOOK_PYTHON": sys.executable, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(backend)}
    run = subprocess.run(["bash", str(ROOT / "scripts" / "build_wheel.sh"), "--out", str(out)], capture_output=True,
                         text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr
    return Path(run.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    """A fresh environment holding the wheel and what micropip would install with it: its python."""
    where = tmp_path_factory.mktemp("lite") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, timeout=120)
    python = where / "bin" / "python"
    reqs = [str(Requirement(f"{r.name}{r.specifier}")) for r in _wanted(_requirements(wheel), PYODIDE)]
    house = _wheelhouse(reqs)
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-index", "--find-links",
           str(house), "-c", str(CONSTRAINTS), "--no-warn-conflicts"]  # python-calamine is left out on purpose
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True, env=_plain_env(), timeout=600)
    subprocess.run([*pip, *reqs], check=True, env=_plain_env(), timeout=600)
    return python


@pytest.fixture(scope="module")
def reference(tmp_path_factory, demo_book_en) -> tuple[Path, dict[str, Any]]:
    """``salesbook run`` (with plan modeling) on the demo book here, with every extra and python-calamine: each
    Out_ sheet's digest."""
    out = run_book(demo_book_en, tmp_path_factory.mktemp("reference") / "computed.xlsx", also=(MODEL,)).output
    return out, _digests(out)


def _digests(path: Path) -> dict[str, Any]:
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(path))
    return {name: check.sheet_digest(wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in wb.sheet_names if name.startswith("Out_")}


@pytest.fixture(scope="module")
def checked(tmp_path_factory, venv, demo_book_en) -> dict[str, Any]:
    """What wheel_check.py found in the fresh environment, on the demo book held open in the xlwings stand-in."""
    folder = tmp_path_factory.mktemp("check")
    book = folder / "book.pickle"
    book.write_bytes(pickle.dumps(book_from_xlsx(demo_book_en)))
    run = subprocess.run([str(venv), "-E", "-s", str(CHECK), str(book), str(folder / "result.json")], cwd=folder,
                         capture_output=True, text=True, env=_plain_env(), timeout=1800)
    assert run.returncode == 0, run.stderr[-4000:]
    return json.loads((folder / "result.json").read_text(encoding="utf-8"))


def test_the_wheel_asks_for_no_extra_and_for_python_calamine_only_outside_pyodide(wheel):
    reqs = _requirements(wheel)
    here = {r.name for r in _wanted(reqs, {"extra": ""})}
    lite = {r.name for r in _wanted(reqs, PYODIDE)}
    native = {"python-calamine", "fastexcel", "pyarrow", "isal"}  # Rust/C builds Pyodide does not have
    assert here == {"xlwings", "openpyxl", "pandas", "numpy", "defusedxml", "tqdm"} | native
    assert lite == here - native
    reports = {r.name for r in _wanted(reqs, {"extra": "reports"})} - here
    assert {"weasyprint", "jinja2"} <= reports
    assert {r.name for r in _wanted(reqs, {"extra": "dask"})} - here == {"dask"}


def test_the_calculation_side_imports_from_the_wheel_without_the_extras(checked):
    assert Path(checked["salesbook"]).is_relative_to(checked["prefix"])  # the wheel's copy, not this checkout
    assert checked["present"] == []  # none of WeasyPrint, jinja2, Dask, python-calamine ... is installed
    ours = {"salesbook"} | {m.name for m in pkgutil.walk_packages(salesbook.__path__, "salesbook.")
                            if not m.name.startswith("salesbook.reports") and not m.name.endswith("__main__")}
    assert set(checked["modules"]) == ours
    assert "pip install '.[reports]'" in checked["reports_import"]
    assert f"salesbook-{salesbook.__version__}-py3-none-any.whl[reports]" in checked["reports_import"]


def test_every_macro_entry_point_writes_what_salesbook_run_writes_here(checked, reference):
    _, expected = reference
    modeled = {name: d for name, d in expected.items() if name != "Out_RunInfo"}  # RunInfo is the file's own
    everyday = {name: d for name, d in modeled.items() if name not in get_job(MODEL).writes}
    warnings = expected["Out_Warnings"]["rows"]
    assert set(checked["macros"]) == set(RUNS)  # a new entry point needs its expectation here
    for entry, runs in RUNS.items():
        got = checked["macros"][entry]
        # every macro refreshes the dashboard from what the book holds, one engine's run too
        names = set({"all": everyday, "model": modeled}.get(runs)
                    or {*get_job(runs).writes, "Out_Warnings", "Out_Dashboard"})
        assert set(got["sheets"]) == names, entry
        if runs in ("all", "model"):  # the whole run: its warnings are the command's, and the alert counts them
            assert warnings > 0 and len(got["alerts"]) == 1 and str(warnings) in got["alerts"][0]
        else:
            names.discard("Out_Warnings")  # one engine's warnings are about its own tables only
        for name in names - {"Out_Dashboard"}:  # live Excel gets the dashboard's formulas, a file also their values
            assert got["sheets"][name] == modeled[name], f"{entry}: {name}"  # (tests/excel covers the dashboard)


def test_every_worksheet_function_gives_what_it_gives_here(checked):
    calls = checked["functions"]
    assert {c["name"] for c in calls.values()} == set(functions.__all__)
    for label, c in calls.items():
        here = json.loads(json.dumps(getattr(functions, c["name"])(*c["args"])))
        assert c["result"] == here, label
        assert not (isinstance(here, str) and here.startswith(c["name"] + ":")), here  # no error shown in the cell


def test_the_worksheet_functions_results_check_out_by_hand(checked):
    calls = checked["functions"]
    assert calls["version"]["result"] == salesbook.__version__ == "0.1.0"

    total, profile = calls["seasonalize"]["args"]
    for label in ("seasonalize", "allocate"):
        parts = [p for [p] in calls[label]["result"]]
        assert len(parts) == len(profile) == 12
        assert round(sum(Fraction(str(p)) for p in parts) - Fraction(str(total)), 2) == 0  # exact to the cent
        assert all(abs(p - total * s) <= 1 for p, s in zip(parts, profile, strict=True))  # off by rounding only

    value, tiers = calls["marginal commission"]["args"]
    bounds = [lo for lo, _ in tiers] + [float("inf")]
    marginal = sum(rate * max(0.0, min(value, bounds[i + 1]) - lo) for i, (lo, rate) in enumerate(tiers))
    reached = max((lo, rate) for lo, rate in tiers if lo <= value)[1]  # the highest bound reached
    assert calls["marginal commission"]["result"] == pytest.approx(marginal)
    assert calls["whole commission"]["result"] == pytest.approx(reached * value)
    top, _ = calls["tier rate"]["args"]
    assert top == max(tiers)[0] and calls["tier rate"]["result"] == max(tiers)[1]  # on the top bound: top tier

    for label in ("ahp weights", "entropy weights"):
        weights = [w for row in calls[label]["result"] for w in row]
        assert len(weights) == len(calls[label]["args"][0][0]) and sum(weights) == pytest.approx(1.0)
    assert 0 <= calls["ahp cr"]["result"] < 0.10  # the demo's judgements are consistent

    actual, target = calls["linear kpi score"]["args"]
    assert calls["linear kpi score"]["result"] == pytest.approx(min(actual / target, 1.2))  # capped at 1.2
    grades = {label: c for label, c in calls.items() if c["name"] == "SB_GRADE"}
    assert len(grades) >= 3
    for label, c in grades.items():  # each band's own minimum earns that band
        assert c["result"] == label.removeprefix("grade ")


def test_the_lead_score_adds_the_points_of_the_rules_the_lead_meets(checked):
    call = checked["functions"]["lead score"]
    (fields, values), (_, *rules) = call["args"]
    lead = dict(zip(fields, values, strict=True))

    def meets(field: str, op: str, value: Any) -> bool:  # the operators the demo's field rules use
        v = lead[field]
        if op == "is blank":
            return v in (None, "")
        if op == "contains":
            return str(value).lower() in str(v).lower()
        if op == "in":
            return str(v) in [s.strip() for s in str(value).split(",")]
        if op == "between":
            lo, hi = (float(s) for s in str(value).split(","))
            return lo <= float(v) <= hi
        if op in (">", ">="):
            return float(v) > float(value) or (op == ">=" and float(v) == float(value))
        assert op == "=", op
        return str(v) == str(value)

    assert len(rules) >= 5
    assert call["result"] == sum(points for field, op, value, points in rules if meets(field, op, value))


def test_validate_run_and_model_work_there_and_write_what_they_write_here(tmp_path, venv, demo_book_en, reference):
    def salesbook_there(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(venv.parent / "salesbook"), *args], capture_output=True, text=True, cwd=tmp_path,
                              env=_plain_env(), timeout=900)

    validate = salesbook_there("validate", str(demo_book_en))
    assert validate.returncode == 0, validate.stderr
    run = salesbook_there("run", str(demo_book_en), "--out", str(tmp_path / "computed.xlsx"))
    assert run.returncode == 0, run.stderr
    model = salesbook_there("model", str(demo_book_en), "--out", str(tmp_path / "model.xlsx"))
    assert model.returncode == 0, model.stderr
    # openpyxl read the book there, python-calamine here
    assert _digests(tmp_path / "model.xlsx") == reference[1]
    scenarios = get_job(MODEL).writes
    everyday = {name: d for name, d in reference[1].items() if name not in scenarios and name != "Out_RunInfo"}
    assert {name: d for name, d in _digests(tmp_path / "computed.xlsx").items() if name != "Out_RunInfo"} == everyday


def test_reports_say_how_to_install_the_extra_and_write_nothing(tmp_path, venv, reference):
    bin_dir = venv.parent
    report = subprocess.run([str(bin_dir / "salesbook"), "report", str(reference[0]), "--out", str(tmp_path / "r")],
                            capture_output=True, text=True, cwd=tmp_path, env=_plain_env(), timeout=600)
    assert report.returncode == 2
    assert "reports extra, which is not installed" in report.stderr and "pip install '.[reports]'" in report.stderr
    demo = subprocess.run([str(bin_dir / "salesbook"), "demo", "--out", str(tmp_path / "d"), "--lang", "zh"],
                          capture_output=True, text=True, cwd=tmp_path, env=_plain_env(), timeout=600)
    assert demo.returncode == 2
    assert "需要安装 salesbook 的可选组件" in demo.stderr and "--no-reports" in demo.stderr
    assert not (tmp_path / "r").exists() and not (tmp_path / "d").exists()
    new = subprocess.run([str(bin_dir / "salesbook"), "new", str(tmp_path / "new.xlsx")], capture_output=True,
                         text=True, cwd=tmp_path, env=_plain_env(), timeout=600)
    assert new.returncode == 0 and (tmp_path / "new.xlsx").exists()
