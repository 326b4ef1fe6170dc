"""Review periods: a month (2026-03), a fiscal quarter (2026Q1) or a fiscal year (2026).

Engines write monthly rows labelled ``YYYY-MM``; a period is just the ordered list of those labels, so
every section can filter the same way whatever the period kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from salesbook.errors import InputError, problem

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})\s*[Qq]([1-4])$")
_YEAR = re.compile(r"^(?:FY)?(\d{4})$", re.I)


@dataclass(frozen=True)
class Period:
    kind: str                  # "month" | "quarter" | "year"
    key: str                   # canonical text: 2026-03, 2026Q1, 2026
    months: tuple[str, ...]    # YYYY-MM labels covered, in order
    year_months: tuple[str, ...]  # the fiscal year to the end of the period (for year-to-date trends)

    def label(self, lang: str) -> str:
        """Human label, e.g. 2026年第1季度 / Q1 2026."""
        if self.kind == "month":
            y, m = self.key.split("-")
            return f"{y}年{int(m)}月" if lang == "zh" else f"{_MONTH_EN[int(m) - 1]} {y}"
        if self.kind == "quarter":
            y, q = self.key.split("Q")
            return f"{y}财年第{q}季度" if lang == "zh" else f"FY{y} Q{q}"
        return f"{self.key}财年" if lang == "zh" else f"FY{self.key}"


_MONTH_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def _fiscal_months(fiscal_year: int, start_month: int) -> list[str]:
    """The 12 calendar months of a fiscal year; a fiscal year is named after the year it starts in."""
    out = []
    for i in range(12):
        m = start_month - 1 + i
        out.append(f"{fiscal_year + m // 12:04d}-{m % 12 + 1:02d}")
    return out


def parse_period(text: str | None, *, fiscal_year: int, start_month: int = 1) -> Period:
    """Parse a period; ``None`` means the whole fiscal year from the workbook's settings."""
    start_month = start_month if 1 <= int(start_month or 1) <= 12 else 1
    raw = (text or str(fiscal_year)).strip()
    if m := _MONTH.match(raw):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            key = f"{year:04d}-{month:02d}"
            fy = year if month >= start_month else year - 1
            months = _fiscal_months(fy, start_month)
            return Period("month", key, (key,), tuple(months[: months.index(key) + 1]))
    elif m := _QUARTER.match(raw):
        year, q = int(m[1]), int(m[2])
        months = _fiscal_months(year, start_month)
        chosen = tuple(months[(q - 1) * 3: q * 3])
        return Period("quarter", f"{year}Q{q}", chosen, tuple(months[: q * 3]))
    elif m := _YEAR.match(raw):
        months = tuple(_fiscal_months(int(m[1]), start_month))
        return Period("year", m[1], months, months)
    raise InputError(problem("period '{p}' is not understood: use a month (2026-03), a quarter (2026Q1) or a year (2026).",
                             "无法识别期间“{p}”：请填写月份（2026-03）、季度（2026Q1）或年度（2026）。", p=raw))
