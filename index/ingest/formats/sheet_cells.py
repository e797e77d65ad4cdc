"""What both spreadsheet readers (.xlsx: xlsx.py, .xls: xls.py) share: a sheet's cell texts
as a raw grid, then the rows people see.

    RawSheet(texts, hidden_rows, hidden_columns, merges)   # what a reader finds in a sheet
    add_text(name, sheet, raw, row, column, text)           # one cell's text, within the limits
    visible_sheet(name, title, raw, invalid) -> Sheet       # the rows and columns people see
    workbook_text(name, sheets) -> str                      # the visible sheets' plan text
    cell_text(value, number_format) -> str                  # a value as the sheet shows it

Rows and columns count from 1, as Excel numbers them, whichever format the sheet came from,
so that the same table gives the same Sheet (and so the same plan lines) from either.

What "as people see them" means here:

* hidden rows and hidden columns are left out (the reader leaves out hidden sheets);
* a merged cell's text is repeated in every cell it covers, so a 牵头单位 merged over five
  rows applies to all five; a row whose only text comes from a merge reaching into it is
  empty, and empty rows are dropped;
* numbers and dates read as they are shown: 1.0 → "1", 0.9 in a percent format → "90%",
  a date → "2021年6月30日"; a cell's line breaks become spaces.

A sheet with more than MAX_ROWS rows or MAX_COLUMNS columns of text is refused: it is a
data sheet, not a plan.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from ...errors import PlanFileError
from ...limits import MAX_SHEET_COLUMNS as MAX_COLUMNS
from ...limits import MAX_SHEET_ROWS as MAX_ROWS
from .text import clean_text
from .xlsx_layout import Cell, Sheet, workbook_lines


@dataclass
class RawSheet:
    """What a reader finds in one sheet: texts by row and column, and the layout."""

    texts: dict[int, dict[int, str]] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (min_col, min_row, max_col, max_row)


def add_text(name: str, sheet: str, raw: RawSheet, row: int, column: int, text: str) -> None:
    """Note a cell's text (nothing for an empty one); raises PlanFileError past the limits."""
    if not text:
        return
    if column > MAX_COLUMNS or (row not in raw.texts and len(raw.texts) >= MAX_ROWS):
        raise PlanFileError(name, f"工作表“{sheet}”太大（超过 {MAX_ROWS} 行或 {MAX_COLUMNS} 列有内容），"
                                  "不像是计划表格；请删去或隐藏这张工作表后再发送")
    raw.texts.setdefault(row, {})[column] = text


def hide_columns(raw: RawSheet, first: int, last: int) -> None:
    """Columns first..last hidden; a range reaching the sheet's end stops at the limit."""
    raw.hidden_columns.update(range(first, min(last, MAX_COLUMNS) + 1))


def visible_sheet(name: str, title: str, raw: RawSheet, invalid: str) -> Sheet:
    """The sheet as people see it; `invalid` is the reason given for a sheet whose merges
    overlap by the million (no program writes that)."""
    return Sheet(title, _visible_rows(raw, _merged_cells(name, raw, invalid)))


def workbook_text(name: str, sheets: list[Sheet]) -> str:
    """The plan text of a workbook's visible sheets (empty ones left out); raises
    PlanFileError when none has text."""
    text = clean_text("\n".join(workbook_lines([s for s in sheets if s.rows])))
    if not text:
        raise PlanFileError(name, "这个 Excel 表格里没有文字")
    return text


def _merged_cells(name: str, raw: RawSheet, invalid: str) -> dict[tuple[int, int], Cell]:
    """The cells covered by a merge, in rows that have text of their own (a merge reaching
    into empty rows does not make them rows), each holding the merged cell's text."""
    rows = sorted(raw.texts)
    covered: dict[tuple[int, int], Cell] = {}
    for min_col, min_row, max_col, max_row in raw.merges:
        text = raw.texts.get(min_row, {}).get(min_col)
        if text is None:
            continue
        merged = Cell(text, (min_row, min_col))
        for row in rows[bisect.bisect_left(rows, min_row):bisect.bisect_right(rows, max_row)]:
            for column in range(min_col, min(max_col, MAX_COLUMNS) + 1):
                covered[(row, column)] = merged
            if len(covered) > MAX_ROWS * MAX_COLUMNS:  # overlapping merges, by the million
                raise PlanFileError(name, invalid)
    return covered


def _visible_rows(raw: RawSheet, covered: dict[tuple[int, int], Cell]) -> list[tuple[int, list[Cell]]]:
    """(row number, cells) of the rows people see, over the columns people see. Excel
    shows a merge's text over the whole merge, even where a covered cell holds its own."""
    def shows_its_own(row: int, column: int) -> bool:
        merge = covered.get((row, column))
        return column not in raw.hidden_columns and (merge is None or merge.origin == (row, column))

    rows = []
    for row in sorted(raw.texts):
        own = {c: Cell(t, (row, c)) for c, t in raw.texts[row].items() if shows_its_own(row, c)}
        if own and row not in raw.hidden_rows:
            rows.append((row, own))
    width = max((max(cells) for _, cells in rows), default=0)
    width = max([width] + [min(merge[2], MAX_COLUMNS) for merge in raw.merges
                           if raw.texts.get(merge[1], {}).get(merge[0])])
    columns = [c for c in range(1, width + 1) if c not in raw.hidden_columns]
    grid = [[covered.get((row, c)) or cells.get(c) or Cell("", (row, c)) for c in columns]
            for row, cells in rows]
    while grid and grid[0] and not any(cells[-1].text for cells in grid):
        grid = [cells[:-1] for cells in grid]  # columns only a merge with no text reached
    return [(row, cells) for (row, _), cells in zip(rows, grid)]


# -- cell values --------------------------------------------------------------------------
def cell_text(value, number_format: str = "") -> str:
    """A cell's value, shown with its number format, as people read it on screen, on one line."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        day = f"{value.year}年{value.month}月{value.day}日"
        return day if value.time() == dt.time() else f"{day} {value:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, (int, float)):
        return _number(value, number_format or "")
    return " ".join(str(value).split())


def _number(value: float, number_format: str) -> str:
    if "%" in number_format.split(";")[0]:
        return f"{value * 100:.10g}%"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"
