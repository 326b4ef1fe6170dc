"""Regenerate the empty workbook templates in workbook_templates/ from the schema registry.

Run after changing any schema; tests/test_templates.py fails when the committed templates drift.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from salesbook.book.template import write_book  # noqa: E402

TEMPLATE_DIR = ROOT / "workbook_templates"


def template_path(lang: str, ext: str = ".xlsx") -> Path:
    return TEMPLATE_DIR / f"salesbook_{lang}{ext}"


def main() -> int:
    for lang in ("en", "zh"):
        for ext in (".xlsx", ".xlsm"):
            path = write_book(template_path(lang, ext), lang)
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
