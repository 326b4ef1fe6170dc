"""Where a table's data is on its sheet, and what lies around it that would otherwise be ignored.

Both workbook adapters hand a sheet's cells to these functions as a grid (a list of row lists, the cell
at ``grid[0][0]`` being Excel's ``origin``), with the Excel Table's range when there is one.  They give
back a :class:`RawTable` whose ``row_numbers`` are true Excel rows and whose ``problems`` / ``warnings``
say what the reader found around it:

- data below an Excel Table (directly under it or after blank rows) is an error: it is not part of the
  table, the user believes it is;
- data under a plain range (no Excel Table) after a blank row is an error for the same reason;
- values beside the table (columns left or right of it, from its header row down) are a warning;
- blank rows inside an Excel Table carry nothing: they are left out, with one warning per table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from salesbook.book.base import RawTable
from salesbook.book.headers import header_score
from salesbook.book.validate import column_letter
from salesbook.errors import Problem, problem

HEADER_SEARCH_ROWS = 20  # a plain range's header row is looked for in the sheet's first rows
_MAX_PIECES = 8          # row lists in messages: at most this many runs, then "..."


@dataclass(frozen=True)
class Box:
    """A cell range in 1-based Excel coordinates, both ends included."""

    top: int
    left: int
    bottom: int
    right: int

    def holds(self, row: int, col: int) -> bool:
        return self.top <= row <= self.bottom and self.left <= col <= self.right


def filled(v: Any) -> bool:
    """A cell that holds something (whitespace-only text is blank, as validation treats it)."""
    return v is not None and not (isinstance(v, str) and not v.strip())


def _empty(cells: Sequence[Any]) -> bool:
    """No cell is anything but None or "" (C-level counting, fast enough for a 200k-row sheet).

    A row whose only content is spaces is not blank here: validation reports its cells one by one."""
    cells = cells if isinstance(cells, list) else list(cells)
    return cells.count(None) + cells.count("") == len(cells)


def runs(numbers: Sequence[int], sep: str = ", ") -> str:
    """[5, 6, 7, 9] -> "5-7, 9" (at most a few runs, then "...")."""
    pieces: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        pieces.append(str(numbers[i]) if i == j else f"{numbers[i]}-{numbers[j]}")
        i = j + 1
    if len(pieces) > _MAX_PIECES:
        pieces = [*pieces[:_MAX_PIECES], "..."]
    return sep.join(pieces)


def _rows_params(rows: Sequence[int]) -> dict[str, str]:
    text = runs(rows)
    return {"rows_en": f"row {text}" if len(rows) == 1 else f"rows {text}", "rows_zh": f"第 {runs(rows, '、')} 行",
            "n": str(len(rows))}


def _cell(grid: Sequence[Sequence[Any]], origin: tuple[int, int], row: int, col: int) -> Any:
    r, c = row - origin[0], col - origin[1]
    if 0 <= r < len(grid) and 0 <= c < len(grid[r]):
        return grid[r][c]
    return None


def _grid_end(grid: Sequence[Sequence[Any]], origin: tuple[int, int]) -> tuple[int, int]:
    """Last row and column the grid covers (Excel coordinates)."""
    width = max(map(len, grid), default=0)
    return origin[0] + len(grid) - 1, origin[1] + width - 1


# -- messages ------------------------------------------------------------------------------------------
# ``problem(table=...)`` names a canonical table, so the Excel Table's own name goes in as ``tname``.

_EXTEND_EN = (" Extend the table over {them}: drag the resize handle at the table's bottom-right corner, or use "
              "Table Design > Resize Table (typing in the row directly under a table makes it grow by itself).")
_EXTEND_ZH = ("请扩展表格以包含这些行：拖动表格右下角的调整柄，或使用“表设计 > 调整表格大小”"
              "（在紧挨表格下方的行中输入，表格会自动扩展）。")


def below_table(sheet: str, tname: str, end: int, rows: list[int], col: int) -> Problem:
    """Error: rows under an Excel Table hold data the table does not include."""
    if len(rows) == 1:
        en = ("{rows_en} below table '{tname}' (which ends at row {end}) holds data but is not part of the "
              "table, so it would not be read." + _EXTEND_EN.replace("{them}", "it"))
    else:
        en = ("{n} rows below table '{tname}' (which ends at row {end}) hold data but are not part of the "
              "table, so they would not be read: {rows_en}." + _EXTEND_EN.replace("{them}", "them"))
    zh = "表格“{tname}”（到第 {end} 行为止）下方的{rows_zh}有数据，但不在表格范围内，不会被读取。" + _EXTEND_ZH
    return problem(en, zh, sheet=sheet, row=rows[0], column=column_letter(col), tname=tname, end=end,
                   **_rows_params(rows))


def after_gap(sheet: str, gap: list[int], rows: list[int], col: int) -> Problem:
    """Error: a plain range (no Excel Table) ends at its first blank row; data after it would be lost."""
    gap_en = f"row {runs(gap)}" if len(gap) == 1 else f"rows {runs(gap)}"
    head = ("{rows_en} holds data" if len(rows) == 1 else "{n} rows hold data")
    tail = "" if len(rows) == 1 else ": {rows_en}"
    them = "it joins" if len(rows) == 1 else "they join"
    en = (head + " below the blank {gap_en} that ends the table on this sheet, so " +
          ("it" if len(rows) == 1 else "they") + " would not be read" + tail + ". Delete the blank " +
          ("row" if len(gap) == 1 else "rows") + f" so {them} the table, or make the range an Excel Table "
          "(Insert > Table) that includes every row.")
    zh = ("本表在第 {gap_text} 行（空行）处结束，其下方的{rows_zh}有数据，不会被读取。"
          "请删除空行使其与上方表格相连，或将整个区域（含这些行）设为 Excel 表格（插入 > 表格）。")
    return problem(en, zh, sheet=sheet, row=rows[0], column=column_letter(col), gap_en=gap_en,
                   gap_text=runs(gap, "、"), **_rows_params(rows))


def beside(sheet: str, tname: str | None, cols: list[int], rows: list[int], header_row: int) -> Problem:
    """Warning: values left or right of the table (same rows or below) are not part of it."""
    letters = ", ".join(column_letter(c) for c in cols[:_MAX_PIECES]) + (", ..." if len(cols) > _MAX_PIECES else "")
    what_en = f"table '{tname}'" if tname else "the table"
    what_zh = f"表格“{tname}”" if tname else "表格"
    if len(cols) == 1:
        en = (f"column {{cols}} beside {what_en} holds values ({{rows_en}}) but is not part of the table, so it "
              "is not read. If it is data, ")
    else:
        en = (f"columns {{cols}} beside {what_en} hold values ({{rows_en}}) but are not part of the table, so "
              "they are not read. If they are data, ")
    them = "it" if len(cols) == 1 else "them"
    if tname:
        en += f"extend the table over {them} (Table Design > Resize Table)."
        zh_fix = "如果是数据，请扩展表格以包含这些列（表设计 > 调整表格大小）。"
    else:
        en += "give " + them + " a header in row {header_row}, next to the others."
        zh_fix = "如果是数据，请在第 {header_row} 行与其他表头相邻处为其填写表头。"
    zh = f"{what_zh}旁边的 {{cols_zh}} 列（{{rows_zh}}）有内容，但不在表格范围内，不会被读取。" + zh_fix
    return problem(en, zh, sheet=sheet, row=rows[0], column=column_letter(cols[0]), cols=letters,
                   cols_zh="、".join(letters.split(", ")), header_row=header_row, **_rows_params(rows))


def blank_inside(sheet: str, tname: str, rows: list[int]) -> Problem:
    """Warning: blank rows inside an Excel Table are skipped."""
    if len(rows) == 1:
        en = "{rows_en} inside table '{tname}' is blank; it was skipped."
    else:
        en = "{n} rows inside table '{tname}' are blank ({rows_en}); they were skipped."
    zh = "表格“{tname}”中的{rows_zh}为空行，已跳过。"
    return problem(en, zh, sheet=sheet, row=rows[0], tname=tname, **_rows_params(rows))


# -- reading -------------------------------------------------------------------------------------------

Grid = Sequence[Sequence[Any]]


def _slice(grid: Grid, origin: tuple[int, int], first: int, last: int, left: int, right: int) -> list[list[Any]]:
    """Rows ``first..last`` (as far as the grid goes), columns ``left..right``, each padded to the width.

    The grid's own row lists are handed on when they are exactly the table's columns (the grid is the
    reader's, read for this table), so a table filling its sheet costs no copy.
    """
    width = right - left + 1
    c0, c1 = left - origin[1], right - origin[1] + 1
    lo, hi = max(first - origin[0], 0), min(last - origin[0] + 1, len(grid))
    part = grid[lo:hi]
    if c0 == 0 and set(map(len, part)) <= {width}:
        return list(part)  # type: ignore[arg-type]
    out = [list(r[c0:c1]) for r in part] if c0 >= 0 else [[None] * -c0 + list(r[:c1]) for r in part]
    if any(len(r) != width for r in out):
        out = [[*r[:width], *([None] * (width - len(r)))] for r in out]
    return out


def _outside(grid: Grid, origin: tuple[int, int], rows: range, keep: Callable[[int, int], bool]
             ) -> dict[int, list[int]]:
    """Excel row -> columns of filled cells in ``rows`` for which ``keep(row, col)`` holds."""
    found: dict[int, list[int]] = {}
    for row in rows:
        r = row - origin[0]
        if r < 0 or r >= len(grid):
            continue
        cells = grid[r]
        if _empty(cells):
            continue
        cols = [origin[1] + j for j, v in enumerate(cells) if filled(v) and keep(row, origin[1] + j)]
        if cols:
            found[row] = cols
    return found


def _beside(grid: Grid, origin: tuple[int, int], top: int, left: int, right: int, others: Sequence[Box]
            ) -> dict[int, list[int]]:
    """Filled cells left or right of columns ``left..right`` from row ``top`` down, outside other tables."""
    _, last_col = _grid_end(grid, origin)
    if left <= origin[1] and right >= last_col:
        return {}
    c0, c1 = left - origin[1], right - origin[1] + 1
    found: dict[int, list[int]] = {}
    for r in range(max(top - origin[0], 0), len(grid)):
        cells = grid[r]
        if _empty(cells[c1:]) and (c0 <= 0 or _empty(cells[:c0])):
            continue
        row = origin[0] + r
        cols = [origin[1] + j for j in (*range(min(c0, len(cells))), *range(c1, len(cells)))
                if filled(cells[j]) and not any(b.holds(row, origin[1] + j) for b in others)]
        if cols:
            found[row] = cols
    return found


def _beside_warning(sheet: str, tname: str | None, found: Mapping[int, list[int]], header_row: int
                    ) -> list[Problem]:
    if not found:
        return []
    cols = sorted({c for cs in found.values() for c in cs})
    return [beside(sheet, tname, cols, sorted(found), header_row)]


def read_box(name: str, sheet: str, grid: Grid, origin: tuple[int, int], box: Box, *, tname: str,
             headers: list[Any] | None = None, header_rows: int = 1, totals_rows: int = 0,
             others: Sequence[Box] = ()) -> RawTable:
    """An Excel Table at ``box`` (its whole range: header, data, totals) on a sheet whose cells are ``grid``.

    Blank rows inside it are left out (one warning); trailing blank rows are dropped silently; data
    below it is an error, values beside it a warning.  ``others`` are the sheet's other tables.
    """
    header_row = box.top if header_rows else box.top - 1
    if headers is None:
        headers = _slice(grid, origin, header_row, header_row, box.left, box.right)[0] if header_rows else []
    first, last = box.top + header_rows, box.bottom - totals_rows
    rows = _slice(grid, origin, first, last, box.left, box.right)
    # inline: a call per row is measurable on a 200k-row sheet; most rows show content in their first cell
    kept = [i for i, r in enumerate(rows) if r and ((r[0] is not None and r[0] != "") or
                                                    r.count(None) + r.count("") != len(r))]
    warnings: list[Problem] = []
    if kept:
        blank: list[int] = []
        if len(kept) <= kept[-1]:  # some row before the last filled one is blank
            kept_set = set(kept)
            blank = [first + i for i in range(kept[-1]) if i not in kept_set]
        if blank:
            warnings.append(blank_inside(sheet, tname, blank))
            rows = [rows[i] for i in kept]
            numbers = [first + i for i in kept]
        else:
            del rows[kept[-1] + 1:]
            numbers = list(range(first, first + len(rows)))
    else:
        rows, numbers = [], []
    last_row, _ = _grid_end(grid, origin)
    problems: list[Problem] = []
    below = _outside(grid, origin, range(box.bottom + 1, last_row + 1),
                     lambda r, c: box.left <= c <= box.right and not any(b.holds(r, c) for b in others))
    if below:
        at = sorted(below)
        problems.append(below_table(sheet, tname, box.bottom, at, below[at[0]][0]))
    warnings += _beside_warning(sheet, tname, _beside(grid, origin, box.top, box.left, box.right, others),
                                header_row)
    return RawTable(name=name, sheet=sheet, headers=list(headers), rows=rows, header_row=header_row,
                    first_col=box.left, row_numbers=numbers, problems=problems, warnings=warnings)


def find_header_row(grid: Grid, lookup: Mapping[str, str]) -> int | None:
    """Grid index of the header row: among the first rows, the one naming most known columns (the first
    such); the first non-empty row when none names any; None for an empty grid."""
    best, best_score, first = None, 0, None
    for i, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        if not any(map(filled, cells)):
            continue
        if first is None:
            first = i
        score = header_score(cells, lookup)
        if score > best_score:
            best, best_score = i, score
    if best is not None:
        return best
    if first is not None:
        return first
    return next((i for i, r in enumerate(grid) if any(map(filled, r))), None)


def read_range(name: str, sheet: str, grid: Grid, origin: tuple[int, int], lookup: Mapping[str, str],
               *, others: Sequence[Box] = ()) -> RawTable:
    """A plain range (no Excel Table): headers on the best-matching of the first rows, data down to the
    first blank row.  Data after that blank row is an error; values beside the headers' columns a warning."""
    top = find_header_row(grid, lookup)
    if top is None:
        return RawTable(name=name, sheet=sheet, headers=[], rows=[], header_row=origin[0], row_numbers=[])
    header_cells = list(grid[top])
    marks = [j for j, v in enumerate(header_cells) if filled(v)]
    left, right = origin[1] + marks[0], origin[1] + marks[-1]
    header_row = origin[0] + top
    last_row, _ = _grid_end(grid, origin)
    rows = _slice(grid, origin, header_row + 1, last_row, left, right)
    end = next((i for i, r in enumerate(rows) if _empty(r)), len(rows))
    problems: list[Problem] = []
    if end < len(rows):
        after = [i for i in range(end, len(rows)) if any(map(filled, rows[i]))]
        if after:
            gap = list(range(header_row + 1 + end, header_row + 1 + after[0]))
            at = [header_row + 1 + i for i in after]
            col = left + next(j for j, v in enumerate(rows[after[0]]) if filled(v))
            problems.append(after_gap(sheet, gap, at, col))
    del rows[end:]
    warnings = _beside_warning(sheet, None, _beside(grid, origin, header_row, left, right, others), header_row)
    return RawTable(name=name, sheet=sheet, headers=header_cells[marks[0]:marks[-1] + 1], rows=rows,
                    header_row=header_row, first_col=left, row_numbers=list(range(header_row + 1, header_row + 1 + end)),
                    problems=problems, warnings=warnings)
