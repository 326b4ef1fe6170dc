"""Checks of the Recipients table that cell types cannot make: e-mail addresses, passwords, repeats.

A password is never part of a message: findings name the row and say what is wrong with it, so the
console, the Out_Warnings sheet and a log stay free of secrets. Unknown recipient ids and repeated rows
are found by the generic reference and key checks (Recipients.recipient_id refers to Reps.rep_id).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pandas as pd

from salesbook.book.parse import normalise_choice
from salesbook.errors import Problem, problem
from salesbook.messages import Words
from salesbook.schemas.sharing import GENERATE

MIN_LENGTH = 10
# Pragmatic shape of an address a mail program accepts: one @, no spaces or separators, a dotted domain.
_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\.]+(\.[^@\s<>(),;:\"\[\]\\.]+)+$")
# Among the most used passwords in published yearly lists of leaked passwords, plus this tool's own name.
COMMON = frozenset({
    "password", "passw0rd", "p@ssw0rd", "p@ssword", "qwerty", "qwertyuiop", "qwerty123", "abc123", "abcd1234",
    "a123456", "iloveyou", "admin", "administrator", "welcome", "letmein", "changeme", "secret", "monkey",
    "dragon", "football", "baseball", "sunshine", "princess", "1q2w3e4r", "1qaz2wsx", "123qwe", "qq123456",
    "woaini", "woaini1314", "aa123456", "asdfghjkl", "zxcvbnm", "salesbook",
})
_WORDS_GENERATE = frozenset(normalise_choice(w) for w in GENERATE.words)


def is_generate(value: object) -> bool:
    """Blank, or the word for "generate" in either language: the password is to be made by salesbook."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return True
    text = str(value)
    return not text.strip() or normalise_choice(text) in _WORDS_GENERATE


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text))


def weakness(password: str, personal: Iterable[str] = ()) -> Words | None:
    """Why a typed password is easy to guess (both languages), or None when it is not."""
    low = password.casefold()
    why: list[Words] = []
    if len(password) < MIN_LENGTH:
        why.append(Words(f"shorter than {MIN_LENGTH} characters", f"少于 {MIN_LENGTH} 个字符"))
    if password.isdigit() or password.isalpha():
        why.append(Words("one kind of character only", "只有一类字符"))
    if low in COMMON or re.sub(r"[\d\W_]+$", "", low) in COMMON or re.sub(r"^\d+", "", low) in COMMON:
        why.append(Words("a common password", "常见密码"))
    if any(len(p) >= 3 and p.casefold() in low for p in personal):
        why.append(Words("contains the person's id, name or e-mail", "含本人编号、姓名或邮箱"))
    return Words("; ".join(w.en for w in why), "；".join(w.zh for w in why)) if why else None


def _text(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return str(value)


def _personal(rep: pd.Series | None, recipient_id: str, email: str | None) -> list[str]:
    words = [recipient_id]
    if email:
        words.append(email.split("@")[0])
    if rep is not None:
        for key in ("name", "email"):
            v = _text(rep.get(key))
            if v:
                words.append(v.split("@")[0] if key == "email" else v)
    return words


def check_recipients(tables: Mapping[str, pd.DataFrame], sheets: Mapping[str, str],
                     shown: Mapping[tuple[str, str], str]) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) for the Recipients table: bad addresses and unusable passwords are errors; weak or
    shared passwords and shared mailboxes are warnings."""
    frame = tables.get("Recipients")
    if frame is None or not len(frame) or "Recipients" not in sheets:
        return [], []
    reps = tables.get("Reps")
    by_id = reps.set_index("rep_id", drop=False) if reps is not None and len(reps) else None
    errors: list[Problem] = []
    warnings: list[Problem] = []
    seen_password: dict[str, tuple[int, str]] = {}
    seen_email: dict[str, tuple[int, str]] = {}
    for row, rid, email, password in zip(frame.index, frame["recipient_id"], frame["email"], frame["password"],
                                         strict=True):
        rid_text, email_text, pw = _text(rid) or "", _text(email), _text(password)
        if email_text is not None and email_text.strip():
            address = email_text.strip()
            if not is_email(address):
                errors.append(problem("'{v}' is not an e-mail address (like name@example.com).",
                                      "“{v}”不是有效的邮箱地址（如 name@example.com）。",
                                      table="Recipients", row=int(row), column="email", v=address))
            else:
                key = address.casefold()
                if key in seen_email:
                    first, other = seen_email[key]
                    warnings.append(problem(
                        "the same e-mail as row {first} ({other}): the reviews of both go to one mailbox.",
                        "与第 {first} 行（{other}）的邮箱相同：两人的报告会发到同一个邮箱。",
                        table="Recipients", row=int(row), column="email", first=first, other=other))
                else:
                    seen_email[key] = (int(row), rid_text)
        if is_generate(pw):
            continue
        assert pw is not None
        if pw != pw.strip() or any(ord(ch) < 32 for ch in pw):
            errors.append(problem(
                "the password starts or ends with a space or holds a line break, which is easily lost when it is "
                "typed to open the file: remove it.",
                "密码首尾有空格或含换行，打开文件时容易输错：请删除。",
                table="Recipients", row=int(row), column="password"))
            continue
        rep = by_id.loc[rid] if by_id is not None and rid in by_id.index else None
        if isinstance(rep, pd.DataFrame):  # a repeated rep_id is reported by the Reps key check
            rep = rep.iloc[0]
        why = weakness(pw, _personal(rep, rid_text, email_text))
        if why is not None:
            warnings.append(problem(
                "this password is weak ({why}): whoever guesses it opens the reviews sent to {who}. Use {n} or more "
                "characters mixing letters and digits, or write generate.",
                "该密码过弱（{why}）：猜中它的人就能打开发给 {who} 的报告。请使用至少 {n} 个字符并混合字母和数字，"
                "或填写“自动生成”。",
                table="Recipients", row=int(row), column="password", why=why, who=rid_text, n=MIN_LENGTH))
        if pw in seen_password:
            first, other = seen_password[pw]
            warnings.append(problem(
                "the same password as row {first} ({other}): each of them can open the other's reviews.",
                "与第 {first} 行（{other}）的密码相同：两人都能打开对方的报告。",
                table="Recipients", row=int(row), column="password", first=first, other=other))
        else:
            seen_password[pw] = (int(row), rid_text)
    return errors, warnings

