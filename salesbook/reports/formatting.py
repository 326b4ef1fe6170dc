"""Locale formatting for zh-CN and en: thousands separators, currency symbols, percentages.

Kept tiny and table-driven instead of relying on the OS locale database, so a batch renders the same
numbers on every machine (the Debian image has no zh_CN locale compiled).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from salesbook.schemas.currency import symbol


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


@dataclass(frozen=True)
class Formatter:
    """Formats numbers for one language and currency; also exposed to templates as filters."""

    lang: str = "en"
    currency: str = "CNY"
    dash: str = "–"

    @property
    def symbol(self) -> str:
        return symbol(self.currency)

    def number(self, value: object, digits: int = 0) -> str:
        if _missing(value):
            return self.dash
        return f"{float(value):,.{digits}f}"  # type: ignore[arg-type]

    def units(self, value: object) -> str:
        """A count of units: thousands separators, at most two decimals, none when whole (120, 12.5)."""
        if _missing(value):
            return self.dash
        text = f"{float(value):,.2f}".rstrip("0").rstrip(".")  # type: ignore[arg-type]
        return "0" if text == "-0" else text

    def money(self, value: object, digits: int = 2) -> str:
        if _missing(value):
            return self.dash
        v = float(value)  # type: ignore[arg-type]
        text = f"{self.symbol}{abs(v):,.{digits}f}"
        return f"-{text}" if v < 0 and round(abs(v), digits) != 0 else text

    def percent(self, value: object, digits: int = 1) -> str:
        if _missing(value):
            return self.dash
        return f"{float(value) * 100:,.{digits}f}%"  # type: ignore[arg-type]

    def compact(self, value: object) -> str:
        """Short axis/label text: 123.4万 / 1.2亿 in Chinese, 1.23M / 45.6K in English."""
        if _missing(value):
            return self.dash
        v = float(value)  # type: ignore[arg-type]
        a = abs(v)
        sign = "-" if v < 0 else ""
        if self.lang == "zh":
            if a >= 1e8:
                return f"{sign}{a / 1e8:.2f}亿"
            if a >= 1e4:
                return f"{sign}{a / 1e4:,.1f}万"
            return f"{sign}{a:,.0f}"
        for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
            if a >= limit:
                return f"{sign}{a / limit:.1f}{suffix}"
        return f"{sign}{a:,.0f}"

    def month(self, label: str) -> str:
        """'2026-03' -> '3月' / 'Mar'."""
        try:
            m = int(str(label)[5:7])
        except ValueError:
            return str(label)
        return f"{m}月" if self.lang == "zh" else _MON[m - 1]


_MON = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

#: Characters the formatter and period labels can emit beyond the digits: they must be in the PDF font.
FORMAT_CHARS = "万亿月年第季度财FYQ–-,.%¥$€£₩₹" + "".join(_MON) + "JanuaryFebruaryMarchAprilJuneJulyAugustSeptemberOctoberNovemberDecember"
