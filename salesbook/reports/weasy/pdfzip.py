"""PDF streams compressed at zlib's default level (6) instead of the level 9 pydyf asks for.

Why: WeasyPrint writes every content, font and object stream through pydyf, which compresses each at
zlib level 9. On these documents level 9 buys almost nothing: the 204 streams of 5 demo rep reviews
(132 KB raw per review) came to 56,952 bytes per review at level 9 and 57,170 at level 6 (+0.4%), while
compressing took 7.3 ms and 3.4 ms per review. Measured with callgrind over whole renders: 2% fewer
instructions per review.

The seam is thin: pydyf's module-level ``zlib`` becomes a stand-in that forwards everything to zlib and
only fixes the level of ``compressobj``. Where pydyf is not shaped as expected, nothing is changed.
"""

from __future__ import annotations

import zlib
from typing import Any

LEVEL = 6


class _Zlib:
    """zlib as pydyf sees it once installed."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = LEVEL, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(LEVEL, *args, **kwargs)


def install() -> bool:
    """Route pydyf's stream compression through level 6 (once per process); False if not possible."""
    try:
        import pydyf
    except ImportError:  # pragma: no cover - a WeasyPrint dependency
        return False
    current = getattr(pydyf, "zlib", None)
    if isinstance(current, _Zlib):
        return True
    if current is not zlib:
        return False
    pydyf.zlib = _Zlib()
    return True


def uninstall() -> None:
    """pydyf as installed (the benchmark's baseline, and tests comparing both)."""
    import pydyf

    if isinstance(getattr(pydyf, "zlib", None), _Zlib):
        pydyf.zlib = zlib
