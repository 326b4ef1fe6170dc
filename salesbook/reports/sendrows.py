"""The rows of a protected run's send list: one per recipient, in the book's language.

Only generated passwords are listed; a typed one stays in the workbook, and the row says where it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from salesbook.messages import Words
from salesbook.reports.packs import Pack
from salesbook.reports.periods import Period
from salesbook.reports.recipients import Recipient


def contents(pack: Pack) -> Words:
    """What a file holds, for the mail's body: "region EAST review and 8 rep reviews"."""
    n = len(pack.reps)
    if pack.kind == "rep":
        return Words("own review", "本人报告")
    rev_en = f"{n} rep review{'s' if n != 1 else ''}"
    if pack.kind == "region":
        return Words(f"region {pack.key} review and {rev_en}", f"区域 {pack.key} 报告及 {n} 份销售代表报告")
    regions = ", ".join(pack.regions)
    if pack.regions:
        word = "review" if len(pack.regions) == 1 else "reviews"
        return Words(f"{rev_en} of direct reports and region {regions} {word}",
                     f"{n} 份直属下属报告及区域 {'、'.join(pack.regions)} 报告")
    return Words(f"{rev_en} of direct reports", f"{n} 份直属下属报告")


def send_rows(packs: Sequence[Pack], made: dict[Pack, Path], recipients: dict[str, Recipient], when: Period,
               lang: str) -> pd.DataFrame:
    """One row per recipient with at least one file made, in the order of their first pack."""
    rows = []
    for owner, person in recipients.items():
        mine = [p for p in packs if p.owner == owner]
        files = [made[p] for p in mine if p in made]
        if not files:  # nothing to send them (the run's failures say why): no row, no password to hand out
            continue
        notes = []
        if len(files) < len(mine):
            notes.append("有文件未能生成，见命令输出" if lang == "zh" else "a file could not be made: see the command's output")
        if person.email is None:
            notes.append("没有邮箱：请用其他方式转交" if lang == "zh" else "no e-mail: hand the file over another way")
        if person.generated:
            source = "自动生成" if lang == "zh" else "generated"
        else:
            source = (f"收件人表第 {person.source_row} 行填写" if lang == "zh"
                      else f"typed in Recipients, row {person.source_row}")
        rows.append({"recipient_id": owner, "name": person.name, "email": person.email,
                     "files": "; ".join(f.name for f in files),
                     "password": person.password if person.generated else None,
                     "password_source": source,
                     "contents": ("；" if lang == "zh" else "; ").join(contents(p).for_lang(lang) for p in mine),
                     "reviews": sum(p.reviews for p in mine if p in made), "period": when.label(lang),
                     "paths": "; ".join(str(f.resolve()) for f in files), "note": ("；" if lang == "zh" else "; ").join(notes)})
    return pd.DataFrame(rows)
