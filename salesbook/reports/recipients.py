"""Who opens each protected file: their e-mail and password, from Recipients or else Reps and a new password.

A typed password is taken as it is (the boundary checked it); a missing or malformed e-mail is a warning,
since the file can still be handed over another way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from salesbook.book.recipients import is_email, is_generate
from salesbook.errors import Problem, problem
from salesbook.reports.context import ReviewData
from salesbook.reports.passwords import PasswordMaker


@dataclass
class Recipient:
    """Who opens a file. The password is kept out of repr, so printing or logging one shows no secret."""

    rep_id: str
    name: str
    email: str | None
    password: str = field(repr=False)
    generated: bool = True
    source_row: int | None = None   # the Recipients row a typed password came from


def text_of(value: object) -> str | None:
    """A cell as trimmed text; blank cells are None."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def resolve_recipients(owners: Iterable[str], data: ReviewData, make: PasswordMaker) -> tuple[dict[str, Recipient],
                                                                                            list[Problem]]:
    """Each owner's e-mail and password: from Recipients when given there, else Reps' e-mail and a new password."""
    reps = data.tables["Reps"]
    rep_rows = {str(r): i for i, r in zip(reps.index, reps["rep_id"], strict=True)}
    by_rep = reps.set_index(reps["rep_id"].astype(str))
    given = data.tables.get("Recipients")
    typed: dict[str, tuple[int, pd.Series]] = {}
    if given is not None and len(given):
        for row, rec in given.iterrows():
            typed.setdefault(str(rec["recipient_id"]), (int(row), rec))
    out: dict[str, Recipient] = {}
    warnings: list[Problem] = []
    for owner in dict.fromkeys(owners):
        rep = by_rep.loc[owner]
        if isinstance(rep, pd.DataFrame):
            rep = rep.iloc[0]
        row, rec = typed.get(owner, (None, None))
        email = text_of(rec["email"]) if rec is not None else None
        if email is None:
            email = text_of(rep.get("email"))
            if email is not None and not is_email(email):
                warnings.append(problem(
                    "'{v}' is not an e-mail address, so the send list has none for {who}: hand their file over "
                    "another way, or give an address in Recipients.",
                    "“{v}”不是有效的邮箱地址，因此发送清单中 {who} 没有邮箱：请用其他方式转交其文件，或在收件人表中填写邮箱。",
                    table="Reps", row=rep_rows.get(owner), column="email", v=email, who=owner))
                email = None
            elif email is None:
                warnings.append(problem(
                    "{who} has no e-mail in Recipients or Reps, so the send list has no address for them: hand their "
                    "file over another way, or add the address.",
                    "{who} 在收件人表和销售代表表中都没有邮箱，因此发送清单中没有其地址：请用其他方式转交其文件，或补填邮箱。",
                    table="Reps", row=rep_rows.get(owner), column="email", who=owner))
        password = rec["password"] if rec is not None else None
        generated = is_generate(password)
        out[owner] = Recipient(owner, text_of(rep.get("name")) or owner, email,
                               make() if generated else str(password), generated, None if generated else row)
    return out, warnings
