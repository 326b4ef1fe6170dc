"""The everyday-mistake corpus (tests/mistakes.py), in both languages, through `validate` and `run`.

Errors: exit 2 from both, a message at the right sheet, row and header in the book's language, nothing
written, the input untouched. Warnings: exit 0, printed and in Out_Warnings, and `--strict` refuses them.
Accepted: exit 0, no warning, and the figures equal the ones worked out by hand in the corpus.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from mistakes import CASES, COMPANY_TARGET, Mistake, build, sheet

from salesbook import cli
from salesbook.book.validate import header_lookup, normalise_header
from salesbook.schemas import REGISTRY

LANGS = ("zh", "en")
KEYS = {"Deals": "Deals", "PlanTiers": "PlanTiers", "Reps": "Reps", "CompanyTarget": "CompanyTarget",
        "KPIs": "KPIs", "KPIWeights": "KPIWeights", "Plans": "Plans", "Settings": "Settings",
        "Seasonality": "Seasonality", "ScoringRules": "ScoringRules", "PlanAssignments": "PlanAssignments",
        "AHPJudgements": "AHPJudgements", "PerformanceFactors": "PerformanceFactors"}
SHEET_NAMES = {"PlanAssignments": ("方案分配", "PlanAssignments")}


def test_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert {c.verdict for c in CASES} == {"error", "warning", "accepted"}


def _sheet(key: str, lang: str) -> str:
    if key in SHEET_NAMES:
        return SHEET_NAMES[key][0 if lang == "zh" else 1]
    return sheet(key, lang)


def read_out(path, name: str) -> pd.DataFrame:
    frame = pd.read_excel(path, sheet_name=name, engine="openpyxl")
    lookup = header_lookup(REGISTRY[name])
    return frame.rename(columns=lambda h: lookup.get(normalise_header(h), h))


def _located(text: str, case: Mistake, lang: str) -> None:
    key, row, col = case.where  # type: ignore[misc]
    name = _sheet(key, lang)
    assert (f"工作表“{name}”" if lang == "zh" else f"sheet '{name}'") in text, text
    if row is not None:
        assert (f"第 {row} 行" if lang == "zh" else f"row {row}") in text, text
    if col is not None:
        label = REGISTRY[KEYS[key]].column(col).label(lang)
        assert label in text, f"{label!r} not in {text}"
    for said in case.says.get(lang, []):
        assert said in text, f"{said!r} not in {text}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_mistake(case: Mistake, lang: str, tmp_path, capsys):
    book = build(case, lang, tmp_path)
    before = hashlib.sha256(book.read_bytes()).hexdigest()
    code = cli.main(["validate", str(book), "--no-progress"])
    validate_out = capsys.readouterr()
    out = tmp_path / "out" / "computed.xlsx"
    run_code = cli.main(["run", str(book), "--out", str(out), "--no-progress"])
    run_out = capsys.readouterr()
    assert hashlib.sha256(book.read_bytes()).hexdigest() == before, "the input must never change"
    assert "Traceback" not in validate_out.err + run_out.err
    if case.verdict == "error":
        assert (code, run_code) == (2, 2), validate_out.err
        assert not out.exists()
        _located(validate_out.err, case, lang)
        _located(run_out.err, case, lang)
        return
    assert (code, run_code) == (0, 0), validate_out.err + run_out.err
    warnings = read_out(out, "Out_Warnings")
    if case.verdict == "warning":
        assert len(warnings) >= 1
        _located(validate_out.err, case, lang)
        _located(run_out.err, case, lang)
        texts = " ".join(warnings["message"].astype(str))
        for said in case.says.get(lang, []):
            assert said in texts
        strict_out = tmp_path / "strict" / "computed.xlsx"
        assert cli.main(["run", str(book), "--out", str(strict_out), "--strict", "--no-progress"]) == 2
        assert not strict_out.exists()
        capsys.readouterr()
    else:
        assert warnings.empty, warnings.to_string()
        assert "提示" not in run_out.err and "warning" not in run_out.err
    _check_figures(case, out)


def _check_figures(case: Mistake, out) -> None:
    if case.payable is not None:
        st = read_out(out, "Out_Statements")
        march = st[st["period"].astype(str).str.startswith("2026-03")]
        got = {r: round(float(v), 2) for r, v in march.groupby("rep_id")["payable"].sum().items() if v}
        assert got == {r: round(v, 2) for r, v in case.payable.items()}
    if case.company_target is not None:
        targets = read_out(out, "Out_Targets")
        top = targets[targets["level"] == targets["level"].min()].set_index("period")["target"]
        assert round(float(top["FY"]), 2) == round(case.company_target, 2)
        if case.company_target == COMPANY_TARGET:  # splits to whole cents at every level: months are exact too
            assert round(float(top["2026-03"]), 2) == round(case.company_target * 0.10, 2)  # March's 10%
            assert round(float(top["2026-05"]), 2) == round(case.company_target * 0.075, 2)
    if case.scorecards is not None:
        cards = read_out(out, "Out_Scorecards")
        assert cards["rep_id"].nunique() == case.scorecards
    if case.lead_grade is not None:
        leads = read_out(out, "Out_LeadScores")
        assert leads.set_index("lead_id").loc["L1", "grade"] == case.lead_grade
    if case.bonus is not None:
        cards = read_out(out, "Out_Scorecards").drop_duplicates("rep_id").set_index("rep_id")
        assert {r: round(float(b), 2) for r, b in cards["bonus"].items()} == \
            {r: round(b, 2) for r, b in case.bonus.items()}
    if case.weight is not None:
        role, kpi, weight = case.weight
        w = read_out(out, "Out_KPIWeights")
        roles = {"rep": ("rep", "销售代表")}[role]
        row = w[w["role"].isin(roles) & (w["kpi_id"] == kpi)]
        assert round(float(row["weight"].iloc[0]), 6) == weight
