"""The versions the seams were verified on, and the versions installed here.

To verify a new release: add its version to the tuple below, run tests/reports/weasy/ (the comparison of
every kind of demo review rendered with the seams and with plain WeasyPrint, and each seam's own checks),
and bound pyproject.toml to match. See README.md beside this file.
"""

from __future__ import annotations

import platform
import sys
from functools import cache

#: package -> versions every seam that depends on it was checked on (exact versions: a patch release of
#: WeasyPrint can change the internals a seam reaches into just as a major one can).
VERIFIED: dict[str, tuple[str, ...]] = {
    "weasyprint": ("70.0",),
    "pydyf": ("0.13.0",),
    "python": ("3.11",),   # CPython's minor version: its frame stack (framestack)
}

#: How the notice names each package.
LABELS = {"weasyprint": "WeasyPrint", "pydyf": "pydyf", "python": "Python"}


@cache
def installed() -> dict[str, str | None]:
    """The installed version of each package in ``VERIFIED`` (None if missing), read from the package
    metadata so the caller of a batch can check without importing WeasyPrint."""
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str | None] = {}
    for name in ("weasyprint", "pydyf"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    minor = f"{sys.version_info.major}.{sys.version_info.minor}"
    implementation = platform.python_implementation()
    found["python"] = minor if implementation == "CPython" else f"{implementation} {minor}"
    return found


def unverified() -> dict[str, str | None]:
    """Package -> installed version, for each package whose installed version was not verified."""
    found = installed()
    return {name: found.get(name) for name, good in VERIFIED.items() if found.get(name) not in good}
