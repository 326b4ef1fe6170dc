"""Every message in the book's language: no internal names, no untranslated words, no placeholder left.

The walk reads the source (AST) of every call that builds a message in both languages -- ``problem(en, zh)``,
the file checks' ``_fail(path, en, zh)``, the CLI's ``_say(en, zh)`` -- and the engines' explanation tables,
formats each template with sample parameters and checks the result.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from salesbook.errors import InputError, Locator, Problem, problem
from salesbook.messages import ColumnName, Count, Listing, Words, column_name, items, plural
from salesbook.schemas import REGISTRY, SETTINGS

ROOT = Path(__file__).resolve().parents[1] / "salesbook"
CALLS = {"problem": 0, "_fail": 1, "_say": 0, "MessageError": 0, "_pair": 0}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# ASCII words a Chinese message may show: codes users type or see on screen, file types, command options.
ALLOWED_ASCII = {
    "CR", "CI", "AHP", "KPI", "AUC", "Excel", "Dask", "pip", "salesbook", "dask", "pdf", "html", "xlsx", "xlsm",
    "zip", "en", "zh", "CNY", "USD", "SPIFF", "ROUND", "tcp", "Q", "T", "Z", "e", "g", "k", "w", "XML", "OLE",
    "VBA", "xlwings", "rep", "region", "company", "lang", "format", "per", "scheduler", "force", "out", "in",
    "place", "only", "ttsl", "LibreOffice", "WeasyPrint", "HTML", "PDF", "calamine", "openpyxl", "ID",
    "SO", "MES", "KIT", "N", "x", "xls", "Out_",
    # operator and weight codes typed into ScoringRules / TargetLevels
    "between", "contains", "not", "is", "blank", "headcount",
}


def _internal_names() -> set[str]:
    names = set(REGISTRY) | set(SETTINGS)
    for t in REGISTRY.values():
        names.update(c.name for c in t.columns if "_" in c.name or c.name != c.zh)
        names.update(ch.value for c in t.columns for ch in c.choices)
    for s in SETTINGS.values():
        names.update(ch.value for ch in s.choices)
    return {n for n in names if n not in ALLOWED_ASCII}


INTERNAL = _internal_names()


def _text(node: ast.AST) -> str | None:
    """A string literal, a + of them, or an f-string (its expressions become {x} placeholders)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{x}" for v in node.values)
    if isinstance(node, ast.Name | ast.Call | ast.Attribute | ast.Subscript):
        return "{x}"  # a text built elsewhere (a hint, a reason): its parts are walked where they are built
    return None


def _templates() -> list[tuple[str, str, str, set[str]]]:
    """(where, en, zh, parameter names) for every two-language message call in the package."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name not in CALLS:
                continue
            first = CALLS[name]
            if len(node.args) < first + 2:
                continue
            en, zh = _text(node.args[first]), _text(node.args[first + 1])
            if en is None or zh is None or (en == "{x}" and zh == "{x}"):
                continue
            params = {k.arg for k in node.keywords if k.arg} | ({"file"} if name == "_fail" else set())
            found.append((f"{path.relative_to(ROOT.parent)}:{node.lineno}", en, zh, params))
    return found


def _tables() -> list[tuple[str, str, str]]:
    """(where, en, zh) for the engines' explanation tables (``TEXT = {"en": {...}, "zh": {...}}``)."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)):
                continue
            keys = [k.value for k in node.value.keys if isinstance(k, ast.Constant)]
            if sorted(keys) != ["en", "zh"]:
                continue
            tables = {k.value: v for k, v in zip(node.value.keys, node.value.values, strict=True)}
            if not all(isinstance(v, ast.Dict) for v in tables.values()):
                continue
            en = {k.value: _text(v) for k, v in zip(tables["en"].keys, tables["en"].values, strict=True)}
            zh = {k.value: _text(v) for k, v in zip(tables["zh"].keys, tables["zh"].values, strict=True)}
            assert set(en) == set(zh), f"{path}:{node.lineno}: keys differ {set(en) ^ set(zh)}"
            for key in en:
                found.append((f"{path.relative_to(ROOT.parent)}:{node.lineno}[{key}]", en[key] or "", zh[key] or ""))
    return found


class _Sample:
    """Formats as a plain value whatever the format spec asks for (numbers, percents, plurals)."""

    def __format__(self, spec: str) -> str:
        if "/" in spec:
            return spec.split("/", 1)[1].replace("#", "7")
        return "7"

    def __repr__(self) -> str:
        return "'7'"


def _fill(template: str) -> str:
    names = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    return template.format(**{n: _Sample() for n in names if n})


def _strip_code(text: str) -> str:
    """Drop what a message quotes verbatim for the user to type: options, examples, formulas."""
    text = re.sub(r"--[a-z-]+", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)  # a command to type
    text = re.sub(r"\d+[A-Za-z]\d+", " ", text)  # 2026Q1, 01T09
    text = re.sub(r"\bOut_[A-Za-z]+", " ", text)  # computed sheets keep their names in every language
    text = re.sub(r"pip install '[^']*'", " ", text)
    text = re.sub(r"[A-Za-z_]+:\d+%", " ", text)  # a blend example such as prior_year:70%
    return text


def _zh_leaks(zh: str) -> set[str]:
    words = set(WORD.findall(_strip_code(_fill(zh))))
    return {w for w in words if w in INTERNAL or (w not in ALLOWED_ASCII and len(w) > 1)}


TEMPLATES = _templates()
TABLE_TEXTS = _tables()


def test_the_walk_finds_the_messages():
    assert len(TEMPLATES) > 100
    assert len(TABLE_TEXTS) > 80


@pytest.mark.parametrize(("where", "en", "zh", "params"), TEMPLATES, ids=[t[0] for t in TEMPLATES])
def test_problem_templates(where, en, zh, params):
    for template in (en, zh):
        text = _fill(template)
        assert "{" not in text and "}" not in text, f"{where}: placeholder left in {template!r}"
        used = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        if params and "x" not in used:
            assert used <= params | {"x"}, f"{where}: {used - params} has no value"
    assert not CJK.search(_fill(en)), f"{where}: Chinese in the English text {en!r}"
    assert CJK.search(_fill(zh)) or not WORD.search(zh), f"{where}: the Chinese text is not Chinese: {zh!r}"
    assert not _zh_leaks(zh), f"{where}: the Chinese text shows {sorted(_zh_leaks(zh))}: {zh!r}"
    assert "!r}" not in zh, f"{where}: a Python repr in the Chinese text {zh!r}"
    en_words = set(WORD.findall(_strip_code(_fill(en))))
    leaks = {w for w in en_words & INTERNAL if "_" in w and w not in _EN_VISIBLE}
    assert not leaks, f"{where}: internal names {sorted(leaks)}: {en!r}"
    assert not re.search(r"\b1 [a-z]+s\b|\(s\)", _fill(en)), f"{where}: plural not handled in {en!r}"


# Names an English book shows as they are (its Settings keys, the method codes users type in English).
_EN_VISIBLE = set(SETTINGS) | {ch.value for t in REGISTRY.values() for c in t.columns for ch in c.choices} | {
    s.value for st in SETTINGS.values() for s in st.choices}


@pytest.mark.parametrize(("where", "en", "zh"), TABLE_TEXTS, ids=[t[0] for t in TABLE_TEXTS])
def test_explanation_texts(where, en, zh):
    assert not CJK.search(en), f"{where}: Chinese in {en!r}"
    assert not _zh_leaks(zh), f"{where}: the Chinese text shows {sorted(_zh_leaks(zh))}: {zh!r}"
    if WORD.search(_strip_code(_fill(zh)).replace("SPIFF", "")):
        assert CJK.search(zh), f"{where}: untranslated {zh!r}"


# ---- the helpers ---------------------------------------------------------------------------------------------

def test_plurals():
    assert plural(1, "row", "rows") == "1 row"
    assert plural(2, "row", "rows") == "2 rows"
    assert plural(1200, "row", "rows") == "1,200 rows"
    assert f"{Count(1):row/rows}" == "1 row"
    assert f"{Count(0):row/rows}" == "0 rows"
    assert f"{Count(3)}" == "3"
    assert f"{Listing([12]):month # is/months # are} missing" == "month 12 is missing"
    assert f"{Listing([11, 12]):month # is/months # are} missing" == "months 11, 12 are missing"


def test_words_and_lists_follow_the_language():
    p = problem("{a} and {b}", "{a}与{b}", a=Words("product line", "产品线"), b=items([Words("x", "甲"), "y"]))
    assert p.text("en") == "product line and x, y"
    assert p.text("zh") == "产品线与甲、y"
    q = problem("months {m} missing", "缺少第 {m} 月", m=Listing([11, 12]))
    assert q.text("zh") == "缺少第 11、12 月"


def test_column_names_are_the_users_headers_or_the_schema_labels():
    p = problem("duplicate {k}", "{k}重复", table="Deals", row=5, column="deal_id", k=column_name("Deals", "deal_id"))
    assert p.render("zh") == "工作表“成交”，第 5 行，列“订单编号”：订单编号重复" or "订单编号" in p.render("zh")
    assert "deal_id" not in p.render("zh")
    assert "deal_id" not in p.render("en")
    located = InputError(p).located(Locator({"Deals": "成交记录"}, {("Deals", "deal_id"): "单号 (B)"})).problems[0]
    assert located.render("zh") == "工作表“成交记录”，第 5 行，列“单号 (B)”：单号重复"
    letter = ColumnName("Deals", "deal_id", letter=True).located("单号 (B)")
    assert letter == "单号 (B)"


def test_unlocated_problem_names_sheet_and_column_in_the_books_language():
    p = Problem(en="x", zh="x", table="CompanyTarget", column="fiscal_year")
    assert "CompanyTarget" not in p.where("zh") and "fiscal_year" not in p.where("zh")
    assert p.where("en") == "sheet 'CompanyTarget', column 'Fiscal year'"


def test_more_problems_line_has_its_plural():
    one = InputError([problem("a", "甲"), problem("b", "乙")]).render("en", limit=1)
    assert one.endswith("... and 1 more problem")
