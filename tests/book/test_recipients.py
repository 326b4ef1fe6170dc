"""The Recipients table: located errors and warnings in both languages, and no password in any of them."""

from __future__ import annotations

import pytest

from salesbook.book.file_book import FileBook
from salesbook.book.recipients import is_email, is_generate, weakness
from salesbook.book.validate import load_book
from salesbook.cli import main
from salesbook.errors import InputError

ALL = ["Settings", "Products", "Regions", "Reps", "Deals"]
STRONG = "tulip-42-harbour-9"


def _book(make_book, base_sheets, rows, header=("recipient_id", "email", "password")):
    base_sheets["Reps"][0].append("email")
    base_sheets["Reps"][1].append("ann@example.com")
    base_sheets["Reps"][2].append("bob@example.com")
    base_sheets["Recipients"] = [list(header), *[list(r) for r in rows]]
    return make_book(base_sheets)


def _load(path):
    with FileBook(path) as book:
        return load_book(book, required=ALL)


def _problems(path):
    with pytest.raises(InputError) as info:
        _load(path)
    return info.value.problems


def test_typed_and_generated_passwords_load_cleanly(make_book, base_sheets):
    loaded = _load(_book(make_book, base_sheets, [["R1", "ann.w@example.com", STRONG], ["R2", None, "自动生成"]]))
    frame = loaded.tables["Recipients"]
    assert frame["password"].tolist() == [STRONG, "自动生成"]
    assert loaded.warnings == []


def test_unknown_recipient_is_located_in_both_languages(make_book, base_sheets):
    [p] = _problems(_book(make_book, base_sheets, [["R1", None, "generate"], ["R9", None, "generate"]]))
    assert p.render("en") == ("sheet 'Recipients', row 3, column 'recipient_id (A)': 'R9' is not in sheet 'Reps' "
                              "(column 'rep_id (A)').")
    assert p.render("zh").startswith("工作表“Recipients”，第 3 行，列“recipient_id (A)”：“R9”在工作表“Reps”")


def test_bad_email_duplicate_recipient_and_a_space_around_a_password_are_errors(make_book, base_sheets):
    problems = _problems(_book(make_book, base_sheets, [
        ["R1", "ann(at)example.com", "generate"],        # row 2: not an address
        ["R2", "bob@example.com", " " + STRONG],           # row 3: a space in front
        ["R1", "ann@example.com", "generate"],            # row 4: R1 again
    ]))
    by_row = {p.row: p.render("en") for p in problems}
    assert set(by_row) == {2, 3, 4}, by_row
    assert "column 'email (B)': 'ann(at)example.com' is not an e-mail address" in by_row[2]
    assert "column 'password (C)': the password starts or ends with a space" in by_row[3]
    assert "duplicate" in by_row[4] and "first used on row 2" in by_row[4]
    zh = {p.row: p.render("zh") for p in problems}
    assert "不是有效的邮箱地址" in zh[2] and "密码首尾有空格" in zh[3] and "重复" in zh[4]
    assert STRONG not in " ".join(by_row.values()) + " ".join(zh.values())


def test_weak_and_shared_passwords_are_warnings_that_never_show_the_password(make_book, base_sheets):
    loaded = _load(_book(make_book, base_sheets, [["R1", None, "Ann2026"], ["R2", None, "Ann2026"]]))
    texts = [w.render("en") for w in loaded.warnings]
    # row 2: 7 characters, and it holds the rep's name Ann; row 3 the same, and also row 2's password
    assert texts[0].startswith("sheet 'Recipients', row 2, column 'password (C)': this password is weak "
                               "(shorter than 10 characters; contains the person's id, name or e-mail)")
    # row 3 (Bob): only too short, and the password of row 2
    assert texts[1].endswith("row 3, column 'password (C)': this password is weak (shorter than 10 characters): "
                             "whoever guesses it opens the reviews sent to R2. Use 10 or more characters mixing "
                             "letters and digits, or write generate.")
    assert texts[2].endswith("row 3, column 'password (C)': the same password as row 2 (R1): each of them can open the "
                             "other's reviews.")
    assert len(texts) == 3
    zh = [w.render("zh") for w in loaded.warnings]
    assert any("该密码过弱（少于 10 个字符；含本人编号、姓名或邮箱）" in t for t in zh)
    assert all("Ann2026" not in t for t in texts + zh)


def test_the_weakness_rules():
    assert weakness("tulip-42-harbour-9") is None
    assert str(weakness("12345678901")) == "one kind of character only"
    assert str(weakness("Password2026!")) == "a common password"
    assert str(weakness("qwertyuiop")) == "one kind of character only; a common password"
    assert str(weakness("x7-R0003-harbour", ["R0003"])) == "contains the person's id, name or e-mail"
    assert weakness("x7-R0003-harbour", ["R0004"]) is None


def test_generate_is_any_word_of_the_choice_or_blank():
    for word in ("generate", "GENERATE", " 自动生成 ", "生成", "random", "", None, float("nan")):
        assert is_generate(word), word
    assert not is_generate("generate-me-2026")


def test_email_shapes():
    assert is_email("wang.li+q1@sales.example.com.cn")
    for bad in ("ann", "ann@", "@example.com", "ann@example", "ann @example.com", "ann＠example.com", "a@b@c.com"):
        assert not is_email(bad), bad


def test_validate_command_lists_the_findings_in_the_books_language(tmp_path, capsys):
    import pandas as pd

    from salesbook.book.template import write_book
    from salesbook.demo import build_demo_tables

    tables = build_demo_tables("zh", scale=0.05)
    tables["Recipients"] = pd.DataFrame({"recipient_id": ["R0002", "R0003"], "email": [None, "r3@example.com"],
                                         "password": ["short1", "自动生成"], "note": [None, None]})
    path = write_book(tmp_path / "zh.xlsx", "zh", tables)
    assert main(["validate", str(path)]) == 0
    err = capsys.readouterr().err
    assert "工作表“收件人”，第 2 行，列“密码 (C)”：该密码过弱（少于 10 个字符）" in err
    assert "short1" not in err
