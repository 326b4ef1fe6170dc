"""Excel-shaped arguments in, engine-shaped values out — and readable messages instead of tracebacks.

xlwings hands a worksheet function scalars, 1-D lists (a row or a column) or 2-D lists (a range), with
``None`` for empty cells, floats for integers and Excel serial numbers for dates when no converter is
given.  These helpers normalise that once so every SB_ function behaves the same.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

from salesbook.errors import InputError

P = ParamSpec("P")
R = TypeVar("R")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class CellError(ValueError):
    """A problem with a worksheet function's arguments, shown in the cell as text."""


def is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and math.isnan(v))


def grid(value: Any) -> list[list[Any]]:
    """Any argument as a 2-D list of rows (scalar -> [[x]], row or column list -> rows)."""
    if not isinstance(value, list | tuple):
        return [[value]]
    if not value:
        return []
    if all(not isinstance(v, list | tuple) for v in value):
        return [[v] for v in value]
    return [list(r) if isinstance(r, list | tuple) else [r] for r in value]


def flat(value: Any, *, skip_blanks: bool = True) -> list[Any]:
    """A row, a column or a 2-D block as one list, row by row."""
    out = [v for row in grid(value) for v in row]
    return [v for v in out if not is_blank(v)] if skip_blanks else out


def numbers(value: Any, what: str, *, skip_blanks: bool = True) -> list[float]:
    out: list[float] = []
    for v in flat(value, skip_blanks=skip_blanks):
        out.append(number(v, what))
    return out


def number(v: Any, what: str) -> float:
    if isinstance(v, bool):
        raise CellError(f"{what}: expected a number, got {v}")
    if isinstance(v, int | float):
        if isinstance(v, float) and math.isnan(v):
            raise CellError(f"{what}: a cell is empty")
        return float(v)
    if isinstance(v, str):
        t = v.strip().replace(",", "")
        try:
            return float(t[:-1]) / 100 if t.endswith("%") else float(t)
        except ValueError:
            pass
    raise CellError(f"{what}: '{v}' is not a number")


def integer(v: Any, what: str) -> int:
    x = number(v, what)
    if not x.is_integer():
        raise CellError(f"{what}: {x:g} is not a whole number")
    return int(x)


def date(v: Any, what: str) -> dt.date:
    """Excel serial numbers, dates and ISO text."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, int | float) and not isinstance(v, bool) and 1 <= v < 2958466:
        return _EXCEL_EPOCH + dt.timedelta(days=int(v))
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v.strip().replace("/", "-"))
        except ValueError:
            pass
    raise CellError(f"{what}: '{v}' is not a date")


def table(value: Any, header: bool | None = None) -> tuple[list[str] | None, list[list[Any]]]:
    """A 2-D range with or without a header row; header auto-detected when the first row is all text
    and some later row is not."""
    rows = [r for r in grid(value) if not all(is_blank(v) for v in r)]
    if not rows:
        return None, []
    if header is None:
        first_text = all(isinstance(v, str) and v.strip() for v in rows[0])
        header = first_text and len(rows) > 1 and any(not isinstance(v, str) for r in rows[1:] for v in r)
    if header:
        return [str(h).strip() for h in rows[0]], rows[1:]
    return None, rows


def column(values: Sequence[Any]) -> list[list[Any]]:
    """A list as a vertical dynamic array."""
    return [[v] for v in values]


def cell_safe(name: str) -> Callable[[Callable[P, R]], Callable[P, R | str]]:
    """Turn argument problems into one readable line in the cell, prefixed with the function name."""

    def deco(fn: Callable[P, R]) -> Callable[P, R | str]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | str:
            try:
                return fn(*args, **kwargs)
            except CellError as exc:
                return f"{name}: {exc}"
            except InputError as exc:
                return f"{name}: " + "; ".join(p.text("en") for p in exc.problems)
            except (ValueError, TypeError, ZeroDivisionError) as exc:
                return f"{name}: {exc}"

        return wrapper

    return deco
