"""Where salesbook reaches into WeasyPrint, pydyf and CPython for speed, each seam only on the versions it
was verified on (``versions.VERIFIED``); elsewhere the renderer does that part the plain WeasyPrint way.
README.md beside this file says what each seam replaces, why, what it saves and how to verify a release.

Importing this package does not import WeasyPrint; it puts the compiled libraries in place (``compiled``)
where they were built, before anything imports WeasyPrint.
"""

from salesbook.reports.weasy import compiled
from salesbook.reports.weasy.gate import ENV, NAMES, SEAMS, apply, notice, on, plain
from salesbook.reports.weasy.versions import VERIFIED

compiled.enable()

__all__ = ["ENV", "NAMES", "SEAMS", "VERIFIED", "apply", "notice", "on", "plain"]
