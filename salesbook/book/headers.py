"""Header text as people type it -> the canonical column it names.

A header may carry line breaks (Alt+Enter; in the file they can arrive as ``_x000a_`` escapes),
full-width spaces or letters, a unit or note in brackets ("销售额（元）", "Amount (CNY)", "【备注】"),
or both languages as the instructions sheet shows them ("订单编号 / Deal ID").  All of these name the
same column as the plain label.  Matching never guesses between two columns: a header whose parts
name different columns matches none of them.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from salesbook.schemas import Table

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_DROP = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff_\-:：()（）\[\]【】〔〕〖〗]+")
# a bracketed unit or note; after NFKC full-width （）［］ are ( ) [ ]
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕|〖[^〖〗]*〗")
_SLASH = re.compile(r"[/／]")


def decode_escapes(text: str) -> str:
    """``_x000a_`` -> a line break (the escape OOXML uses for characters XML cannot hold as is)."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def display_header(text: object) -> str:
    """A header as a message shows it: escapes decoded, every run of whitespace one space."""
    if text is None:
        return ""
    return _SPACE.sub(" ", decode_escapes(str(text))).strip()


def normalise_header(text: object) -> str:
    """The comparison key of a header or label: escapes decoded, NFKC-folded, whitespace, ``_ - :`` and
    bracketed units/notes removed, case-folded.  A header that is nothing but a bracketed part keeps that
    part (so "(CNY)" stays "cny", not empty)."""
    s = unicodedata.normalize("NFKC", decode_escapes(str(text or "")))
    stripped = _BRACKETED.sub("", s)
    if _DROP.sub("", stripped):
        s = stripped
    return _DROP.sub("", s).casefold()


def normalise_name(text: object) -> str:
    """The comparison key of a sheet or table name: like a header's, but a bracketed part is kept, so a
    sheet "Deals (old)" is not taken for "Deals"."""
    s = unicodedata.normalize("NFKC", decode_escapes(str(text or "")))
    return _DROP.sub("", s).casefold()


def header_keys(text: object) -> list[str]:
    """Keys to look a header up by: the whole header, then each side of a "zh / en" label."""
    whole = normalise_header(text)
    keys = [whole] if whole else []
    s = unicodedata.normalize("NFKC", decode_escapes(str(text or "")))
    if _SLASH.search(s):
        keys += [k for k in (normalise_header(part) for part in _SLASH.split(s)) if k and k not in keys]
    return keys


def header_lookup(table: Table) -> dict[str, str]:
    """Header key -> canonical column; names and labels win over aliases."""
    lookup: dict[str, str] = {}
    for col in table.columns:
        for label in (col.name, col.label_en, col.zh):
            lookup.setdefault(normalise_header(label), col.name)
    for col in table.columns:
        for label in col.aliases:
            lookup.setdefault(normalise_header(label), col.name)
    return lookup


def match_header(text: object, lookup: Mapping[str, str]) -> str | None:
    """The canonical column a header names, or None (unknown, or its parts name different columns)."""
    keys = header_keys(text)
    if not keys:
        return None
    if keys[0] in lookup:
        return lookup[keys[0]]
    found = {lookup[k] for k in keys[1:] if k in lookup}
    return found.pop() if len(found) == 1 else None


def header_score(cells: Sequence[object], lookup: Mapping[str, str]) -> int:
    """How many different known columns a row of cells names (to find the header row under title rows)."""
    seen = set()
    for v in cells:
        if isinstance(v, str) and v.strip():
            canon = match_header(v, lookup)
            if canon is not None:
                seen.add(canon)
    return len(seen)


def closest_header(labels: Iterable[tuple[str, float]], unknown: Sequence[object]) -> str | None:
    """The unknown header most like one of a column's labels (each with its difflib cutoff), compared in
    normalised form and returned as shown."""
    keyed = {}
    for h in unknown:
        k = normalise_header(h)
        if k:
            keyed.setdefault(k, display_header(h))
    for label, cutoff in labels:
        close = difflib.get_close_matches(normalise_header(label), list(keyed), n=1, cutoff=cutoff)
        if close:
            return keyed[close[0]]
    return None
