"""Putting a seam's function in place of a library's, and the library's back.

The replacement carries the original as ``__wrapped__`` (as ``functools.wraps`` would): that is how a seam
knows it is installed already, and what uninstalling puts back. One place for it, so every patching seam
installs and uninstalls the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def swapped(owner: Any, name: str) -> bool:
    """Whether ``owner.name`` is a seam's replacement (installed already)."""
    return original(owner, name) is not None


def original(owner: Any, name: str) -> Callable[..., Any] | None:
    """What ``swap`` replaced at ``owner.name``; None where nothing was swapped there."""
    return getattr(getattr(owner, name, None), "__wrapped__", None)


def swap(owner: Any, name: str, replacement: Callable[..., Any]) -> None:
    """Put ``replacement`` in place of ``owner.name``, the original kept on it as ``__wrapped__``."""
    replacement.__wrapped__ = getattr(owner, name)  # type: ignore[attr-defined]
    setattr(owner, name, replacement)


def restore(owner: Any, name: str, only: Callable[..., Any] | None = None) -> bool:
    """Put back what ``swap`` replaced at ``owner.name`` (with ``only``: only where that was the original);
    False where nothing was swapped there."""
    replaced = original(owner, name)
    if replaced is None or (only is not None and replaced is not only):
        return False
    setattr(owner, name, replaced)
    return True
