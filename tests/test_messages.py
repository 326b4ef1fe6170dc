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
    "VBA", "xlwings", "rep", "region", "company", "scenarios", "lang", "format", "per", "scheduler", "force", "out", "in",
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


# ---- what a user of a broken book reads ------------------------------------------------------------------------

# Names that only the code uses: snake_case columns and settings, CamelCase table names, lead fields in English.
_CODE_WORD = re.compile(r"\b(?:[a-z]+_[a-z0-9_]+|[A-Z][a-z]+[A-Z][A-Za-z]*)\b")


def _code_words(text: str) -> set[str]:
    text = re.sub(r"“[^”]*”", " ", re.sub(r"\bOut_[A-Za-z]+", " ", text))  # what the user typed, quoted
    words = set(_CODE_WORD.findall(text))
    return words | {w for w in WORD.findall(text) if w in REGISTRY}


def _english_words(text: str) -> set[str]:
    """Lower-case English words left in a Chinese text, once the user's own (quoted) values are taken out."""
    text = re.sub(r"“[^”]*”", " ", text)
    return {w for w in re.findall(r"\b[a-z]{3,}\b", text) if w not in ALLOWED_ASCII}


def _broken(tables: dict, name: str, fn) -> dict:
    t = {k: v.copy() for k, v in tables.items()}
    fn(t)
    return t


def _validation_mistakes(t: dict) -> None:
    d = t["Deals"]
    d.loc[d.index[3], "deal_id"] = d["deal_id"].iloc[2]      # duplicate id
    d.loc[d.index[4], "rep_id"] = "NOBODY"                   # unknown rep
    tiers = t["PlanTiers"]
    tiers.loc[tiers.index[1], "lower_bound"] = tiers["lower_bound"].iloc[0]   # duplicate plan + lower bound
    s = t["Settings"]
    s.loc[s["key"] == "fiscal_year_start_month", "value"] = "13"
    s.loc[s["key"] == "tier_boundary", "value"] = "sideways"


def _tiers_out_of_order(t: dict) -> None:
    tiers = t["PlanTiers"]
    a, b = tiers["lower_bound"].iloc[0], tiers["lower_bound"].iloc[1]
    tiers.loc[tiers.index[0], "lower_bound"], tiers.loc[tiers.index[1], "lower_bound"] = b, a


def _bad_rules(t: dict) -> None:
    r = t["ScoringRules"]
    r.loc[r.index[0], "operator"] = "around"
    r.loc[r.index[1], "field"] = "shoe_size"


def _bad_weights(t: dict) -> None:
    w = t["KPIWeights"]
    w.loc[w.index[0], "weight"] = 0.9


MISTAKES = {"validation": _validation_mistakes, "tiers": _tiers_out_of_order, "rules": _bad_rules,
            "weights": _bad_weights}


@pytest.fixture(scope="module")
def tiny_tables():
    from salesbook.demo import build_demo_tables

    return {lang: build_demo_tables(lang, scale=0.05) for lang in ("zh", "en")}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_a_broken_book_is_told_in_its_own_language(tmp_path, tiny_tables, mistake):
    from salesbook.book.template import write_book
    from salesbook.pipeline import validate_book

    for lang in ("zh", "en"):
        book = write_book(tmp_path / f"{mistake}_{lang}.xlsx", lang,
                          _broken(tiny_tables[lang], mistake, MISTAKES[mistake]))
        with pytest.raises(InputError) as info:
            validate_book(book)
        text = info.value.render(lang)
        assert info.value.lang == lang
        if lang == "en":  # an English book's sheets are the table names; its setting keys are typed as such
            assert not CJK.search(text), text
            assert not re.search(r"\b1 [a-z]+s\b", text), text
        else:
            assert not _code_words(text), f"{mistake} [{lang}]: {sorted(_code_words(text))} in\n{text}"
            english = _english_words(text)
            assert not english, f"{mistake} [{lang}]: untranslated {sorted(english)} in\n{text}"
            for line in text.splitlines():
                assert CJK.search(line.split("：", 1)[-1]), line


def test_the_validation_mistakes_read_well(tmp_path, tiny_tables):
    from salesbook.book.template import write_book
    from salesbook.pipeline import validate_book

    book = write_book(tmp_path / "v.xlsx", "zh", _broken(tiny_tables["zh"], "validation", _validation_mistakes))
    with pytest.raises(InputError) as info:
        validate_book(book)
    zh = info.value.render("zh")
    assert "列“订单编号 (A)”：订单编号“" in zh and "重复（首次出现在第" in zh
    assert "方案编号 + 下限“STD / 0”重复" in zh
    assert "在工作表“销售代表”的“销售代表编号 (A)”列中不存在" in zh
    assert "参数“财年起始月”的值 13 超出允许范围" in zh


def test_months_missing_read_as_english_and_chinese():
    import pandas as pd

    from salesbook.engines.targets import seasonality_profiles

    def profile(months):
        return pd.DataFrame({"product_line": [None] * len(months), "month": months,
                             "share": [1 / len(months)] * len(months)}, index=range(2, 2 + len(months)))

    with pytest.raises(InputError) as one:
        seasonality_profiles(profile(list(range(1, 12))))
    assert "month 12 is missing" in one.value.render("en")
    assert "季节性“默认”缺少第 12 月" in one.value.render("zh")
    with pytest.raises(InputError) as two:
        seasonality_profiles(profile(list(range(1, 11))))
    assert "months 11, 12 are missing" in two.value.render("en")
    assert "缺少第 11、12 月" in two.value.render("zh")


def test_explanations_follow_the_books_language(tmp_path, tiny_tables):
    from salesbook.book.template import write_book
    from salesbook.pipeline import run_book

    zh = run_book(write_book(tmp_path / "zh.xlsx", "zh", tiny_tables["zh"]), tmp_path / "zh_out.xlsx")
    leads = " ".join(zh.outputs["Out_LeadScores"]["explanation"])
    assert "预算" in leads and "budget" not in leads and "industry" not in leads and "between" not in leads
    for name, frame in zh.outputs.items():
        for col in ("explanation", "note"):
            if col in frame:
                text = " ".join(str(x) for x in frame[col].dropna())
                assert not _code_words(text), f"{name}.{col}: {sorted(_code_words(text))}"
                assert "; " not in text, f"{name}.{col} uses the English separator"
    weights = " ".join(str(x) for x in zh.outputs["Out_KPIWeights"]["note"].dropna())
    assert "manual" not in weights and "entropy" not in weights
    en = run_book(write_book(tmp_path / "en.xlsx", "en", tiny_tables["en"]), tmp_path / "en_out.xlsx", lang="zh")
    assert "预算" in " ".join(en.outputs["Out_LeadScores"]["explanation"])  # --lang zh wins over the book's en


def test_lists_of_findings_name_what_they_leave_out():
    from salesbook.errors import problem, render_all

    found = [problem("bad {i}.", "错 {i}。", sheet="Deals", row=i, i=i) for i in range(2, 6)]
    text = render_all(found, "en", 2, noun=("warning", "warnings", "条提示"), indent="  ")
    assert text.splitlines() == ["  sheet 'Deals', row 2: bad 2.", "  sheet 'Deals', row 3: bad 3.",
                                 "  ... and 2 more warnings"]
    assert render_all(found, "zh", 3).splitlines()[-1] == "... 另有 1 个问题"
    assert render_all(found[:1], "en", 0).splitlines() == ["... and 1 more problem"]
