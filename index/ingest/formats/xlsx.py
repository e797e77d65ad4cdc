"""Excel plans (.xlsx): every visible sheet as the cells people see, then plan lines.

A county's 任务分解表 is the usual case: a title row, a header (序号 重点任务 牵头单位 …), one
task per row, 牵头单位 or 类别 cells merged over several rows. This module reads each sheet
as a grid of cell texts; xlsx_layout.py turns the grids into the lines the parser reads.

What "as people see them" means here:

* hidden sheets, hidden rows and hidden columns are left out (a filter's hidden rows too);
* a merged cell's text is repeated in every cell it covers, so a 牵头单位 merged over five
  rows applies to all five; a row whose only text comes from a merge reaching into it is
  empty, and empty rows are dropped;
* numbers and dates read as they are shown: 1.0 → "1", 0.9 in a percent format → "90%",
  a date → "2021年6月30日"; a formula shows its last computed value; an error (#N/A)
  shows nothing; a cell's line breaks become spaces.

openpyxl reads the workbook (read-only: sheets are streamed, never loaded whole) and its own
sheet parser decodes the cells; only cells holding a value are decoded, so a sheet with a
million empty formatted cells costs one pass over its XML. A sheet with more than
MAX_ROWS rows or MAX_COLUMNS columns of text is refused: it is a data sheet, not a plan.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

import openpyxl
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser

from ...errors import PlanFileError
from ...limits import MAX_SHEET_COLUMNS as MAX_COLUMNS
from ...limits import MAX_SHEET_ROWS as MAX_ROWS
from .sniff import check_unzipped_size
from .text import clean_text
from .xlsx_layout import Cell, Sheet, workbook_lines

INVALID = "不是有效的 Excel 表格（.xlsx）"
# A 2 MB .xlsx can inflate to gigabytes (a zip bomb); real plans stay far below this.
_TRUE = ("1", "true")
_ZERO = ("0", "0.0")


def read_xlsx(name: str, data: bytes) -> str:
    """The plan text of an .xlsx; raises PlanFileError."""
    workbook = _open(name, data)
    try:
        sheets = [_read_sheet(name, workbook, ws) for ws in workbook.worksheets
                  if ws.sheet_state == "visible"]
    finally:
        workbook.close()
    text = clean_text("\n".join(workbook_lines([s for s in sheets if s.rows])))
    if not text:
        raise PlanFileError(name, "这个 Excel 表格里没有文字")
    return text


def _open(name: str, data: bytes):
    check_unzipped_size(name, data, INVALID)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as error:
        # KeyError: a part the workbook names is missing; ValueError/TypeError: bad values
        raise PlanFileError(name, INVALID) from error


# -- one sheet ------------------------------------------------------------------------------
@dataclass
class _Raw:
    """What one pass over a sheet's XML gives: texts by row and column, and the layout."""

    texts: dict[int, dict[int, str]]
    hidden_rows: set[int]
    hidden_columns: set[int]
    merges: list[tuple[int, int, int, int]]  # (min_col, min_row, max_col, max_row)


class _SheetParser(WorkSheetParser):
    """openpyxl's own sheet parser, decoding only the cells that hold something (an empty
    formatted cell has no child element) and noting hidden rows as it goes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.hidden_rows: set[int] = set()

    def parse_row(self, row):
        number = row.get("r")
        self.row_counter = int(float(number)) if number else self.row_counter + 1
        self.col_counter = 0
        if row.get("hidden") in _TRUE or row.get("ht") in _ZERO:
            self.hidden_rows.add(self.row_counter)
        cells = []
        for position, element in enumerate(row, 1):
            if len(element):
                if element.get("r") is None:  # a cell may leave out its address
                    self.col_counter = position - 1
                cells.append(self.parse_cell(element))
        return self.row_counter, cells


def _read_sheet(name: str, workbook, ws) -> Sheet:
    raw = _parse(name, workbook, ws)
    return Sheet(ws.title, _visible_rows(raw, _merged_cells(name, raw)))


def _parse(name: str, workbook, ws) -> _Raw:
    # ws._get_source, ws._shared_strings, workbook._date_formats: what openpyxl's own
    # read-only worksheet hands its parser (pinned openpyxl 3.1; tests cover the path).
    texts: dict[int, dict[int, str]] = {}
    with ws._get_source() as source:
        parser = _SheetParser(source, ws._shared_strings, data_only=True, epoch=workbook.epoch,
                              date_formats=workbook._date_formats,
                              timedelta_formats=workbook._timedelta_formats)
        for row, cells in parser.parse():
            for cell in cells:
                if cell["data_type"] == "e" or cell["value"] is None:
                    continue  # an error (#N/A) or a formula never computed: nothing shown
                text = cell_text(ReadOnlyCell(ws, row, cell["column"], cell["value"],
                                              cell["data_type"], cell["style_id"]))
                if text:
                    _check_size(name, ws.title, texts, row, cell["column"])
                    texts.setdefault(row, {})[cell["column"]] = text
    hidden_columns: set[int] = set()
    for column in parser.column_dimensions.values():
        if column.get("hidden") in _TRUE or column.get("width") in _ZERO:
            hidden_columns.update(range(int(column["min"]), min(int(column["max"]), MAX_COLUMNS) + 1))
    merged = parser.merged_cells.mergeCell if parser.merged_cells else []
    return _Raw(texts, parser.hidden_rows, hidden_columns, [range_boundaries(m.ref) for m in merged])


def _too_big(name: str, sheet: str) -> PlanFileError:
    return PlanFileError(name, f"工作表“{sheet}”太大（超过 {MAX_ROWS} 行或 {MAX_COLUMNS} 列有内容），"
                               "不像是计划表格；请删去或隐藏这张工作表后再发送")


def _check_size(name: str, sheet: str, texts: dict, row: int, column: int) -> None:
    if column > MAX_COLUMNS or (row not in texts and len(texts) >= MAX_ROWS):
        raise _too_big(name, sheet)


def _merged_cells(name: str, raw: _Raw) -> dict[tuple[int, int], Cell]:
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
                raise PlanFileError(name, INVALID)
    return covered


def _visible_rows(raw: _Raw, covered: dict[tuple[int, int], Cell]) -> list[tuple[int, list[Cell]]]:
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
def cell_text(cell) -> str:
    """A cell's value as people read it on screen, on one line."""
    value = cell.value
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
        return _number(value, cell.number_format or "")
    return " ".join(str(value).split())


def _number(value: float, number_format: str) -> str:
    if "%" in number_format.split(";")[0]:
        return f"{value * 100:.10g}%"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"
