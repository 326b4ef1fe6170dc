"""Generated passwords: random from the operating system, easy to read aloud and to type.

Sixteen characters from 31 (digits 2-9 and lower-case letters without i, l, o: nothing that reads as
another character) in four groups, e.g. ``k7mq-3xhv-9pwt-c4ra``: 16 x log2(31) = 79 bits, beyond any
guessing of an AES-256 PDF's password. A seed makes them repeat, for tests only: the command line has
no way to give one.
"""

from __future__ import annotations

import random
import secrets
import string

ALPHABET = "23456789" + "".join(c for c in string.ascii_lowercase if c not in "ilo")
GROUPS, GROUP_SIZE = 4, 4


class PasswordMaker:
    """Makes passwords; each one holds a letter and a digit, so it passes the check typed ones get."""

    def __init__(self, seed: int | None = None):
        self._rng: random.Random = secrets.SystemRandom() if seed is None else random.Random(seed)

    def __call__(self) -> str:
        while True:
            chars = [self._rng.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE)]
            if any(c.isdigit() for c in chars) and any(c.isalpha() for c in chars):
                break
        return "-".join("".join(chars[i:i + GROUP_SIZE]) for i in range(0, len(chars), GROUP_SIZE))

    def __repr__(self) -> str:  # never shows state a password could be derived from
        return "PasswordMaker()"
