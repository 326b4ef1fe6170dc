"""Run a deeply recursive call inside one large chunk of CPython's frame stack.

Why: CPython (3.11 here) keeps the frames of Python calls in 16 KB chunks and gives a chunk back to the
operating system as soon as the stack unwinds out of it. WeasyPrint's layout recurses down and up across
such a chunk boundary over a thousand times per review, and every crossing is an mmap, a munmap and fresh
page faults. Measured with getrusage over 20 demo reviews: 2,048 to 3,877 page faults and 11-31 ms of
system time per review, depending on where the boundary happens to fall in the caller's stack.

Calling through a function whose frame reserves half a megabyte of (unused) local slots makes CPython
allocate one 1 MB chunk for that frame; every frame of the render then fits in the rest of the chunk, so
nothing is mapped or unmapped until the call returns. Measured the same way: 143-148 page faults and
0.2-1.2 ms of system time per review. Elsewhere (another interpreter, a CPython that refuses the padded
code object) the call simply goes through unchanged.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")
PAD_SLOTS = 70_000  # 8 bytes each: a 560 KB frame, so a 1 MB chunk with ~460 KB left for the call itself


def _plain(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    return fn(*args)


@cache  # built on first use (about 27 ms), not when the module is imported
def _padded() -> Callable[[Callable[..., Any], tuple[Any, ...]], Any]:
    code = _plain.__code__
    try:
        names = code.co_varnames + tuple(f"_slot{i}" for i in range(PAD_SLOTS))
        padded = code.replace(co_varnames=names, co_nlocals=len(names))
        return types.FunctionType(padded, globals(), "call_in_big_frame")
    except (TypeError, ValueError):  # an interpreter that does not take such a code object
        return _plain


def call(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)``, run inside one big frame-stack chunk."""
    return _padded()(fn, args)
