"""Currency symbols and names, shared by the reviews and the workbook dashboard.

A small table instead of the OS locale database, so every machine writes the same text and formats.
"""

from __future__ import annotations

SYMBOLS = {"CNY": "¥", "RMB": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$", "TWD": "NT$",
           "SGD": "S$", "AUD": "A$", "CAD": "C$", "KRW": "₩", "INR": "₹"}
# What a Chinese reader calls the unit ("万元" is ten thousand CNY); other codes are shown as they are.
NAMES_ZH = {"CNY": "元", "RMB": "元", "USD": "美元", "EUR": "欧元", "GBP": "英镑", "JPY": "日元", "HKD": "港元",
            "TWD": "新台币", "SGD": "新加坡元", "AUD": "澳元", "CAD": "加元", "KRW": "韩元", "INR": "卢比"}


def code_of(currency: object) -> str:
    """The ISO code as typed in Settings, upper-cased ('' when blank)."""
    return str(currency or "").strip().upper()


def symbol(currency: object) -> str:
    """'¥' for CNY; an unknown code followed by a space ('CHF ')."""
    code = code_of(currency)
    return SYMBOLS.get(code, f"{code} " if code else "")


def name_zh(currency: object) -> str:
    code = code_of(currency)
    return NAMES_ZH.get(code, code)
