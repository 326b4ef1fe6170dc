"""Column widths for a table of short texts, worked out from the texts themselves, so the PDF can use a
fixed table layout instead of letting WeasyPrint measure every cell.

Why: an automatic table layout lays out every cell twice more (narrowest and widest) before the real
layout; for the commission statement that was 2.9% of a rep review's instructions (callgrind, 3 demo rep
reviews: 1,066 M -> 1,037 M per review with a fixed layout). A fixed layout is only safe when no column
is narrower than its longest amount, so the widths come from the printed texts, estimated from the
advance widths of the font the reviews print with (Noto Sans CJK SC, bold where larger) with room to
spare; where the texts cannot all fit, there are no widths and the table measures itself as before.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

MM_PER_PT = 25.4 / 72
# Advance widths in em, the larger of Noto Sans CJK SC Regular and Bold (read from the font files).
DIGIT = 0.59
NARROW = {",": 0.33, ".": 0.33, ":": 0.33, ";": 0.33, " ": 0.23, "-": 0.37, "(": 0.38, ")": 0.38, "/": 0.39,
          "'": 0.3, "|": 0.3}
WIDE = {"%": 0.97, "–": 0.55, "—": 1.0, "W": 0.92, "M": 0.9, "m": 0.97, "w": 0.85}
LATIN = 0.66       # any other Latin letter, an upper bound for the ones these tables print
OTHER = 1.0        # CJK and everything else: a full em
SPARE = 1.06       # 6% more than the estimate, for kerning and rounding


def text_em(text: str) -> float:
    """Width of ``text`` on one line, in em."""
    total = 0.0
    for ch in text:
        if ch.isdigit() and ch.isascii():
            total += DIGIT
        elif ch in NARROW:
            total += NARROW[ch]
        elif ch in WIDE:
            total += WIDE[ch]
        elif ch.isascii() and ch.isprintable():
            total += DIGIT if ch in "$+=<>#*~" else LATIN
        elif ch in "¥€£":
            total += DIGIT
        else:
            total += OTHER
    return total * SPARE


def narrowest_em(text: str) -> float:
    """Narrowest a wrapping cell can be: its longest word, or one character where CJK text may break."""
    pieces: list[str] = []
    word = ""
    for ch in text:
        if ch.isspace() or not ch.isascii():   # a space, or a CJK character (a break on either side)
            if word:
                pieces.append(word)
            word = ""
            if not ch.isspace():
                pieces.append(ch)
        else:
            word += ch
    if word:
        pieces.append(word)
    return max((text_em(p) for p in pieces), default=0.0)


def fixed_widths(head: Sequence[str], rows: Sequence[Sequence[str]], *, font_pt: float, table_mm: float,
                 padding_mm: float) -> list[float] | None:
    """Content widths of the columns in percent of the table width (what a cell's ``width`` refers to; its
    padding comes on top), or None where the texts do not fit.

    Cells are given room for one line (amounts are never wrapped). Headers get one line too where the
    table is wide enough, else they may wrap between words, or between characters in Chinese. Each column
    gets what it needs, and the rest of the table is shared in proportion.
    """
    if not head or any(len(r) != len(head) for r in rows):
        return None
    mm = font_pt * MM_PER_PT
    cells = [max((text_em(r[i]) for r in rows), default=0.0) for i in range(len(head))]
    room = table_mm - padding_mm * len(head)
    need = [max(text_em(label), c) * mm for label, c in zip(head, cells, strict=True)]   # headers on one line
    if sum(need) > room:
        need = [max(narrowest_em(label), c) * mm for label, c in zip(head, cells, strict=True)]
    spare = room - sum(need)
    if spare < 0:
        return None
    if not sum(need):   # nothing to print at all: the room is shared out evenly
        need = [1.0] * len(head)
    total = sum(need)
    # rounded down, so the columns never add up to more than the table
    return [math.floor((n + spare * n / total) / table_mm * 10_000) / 100 for n in need]
