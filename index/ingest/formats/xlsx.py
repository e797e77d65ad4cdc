"""Excel plans (.xlsx): every visible sheet as the cells people see, then plan lines.

A county's 任务分解表 is the usual case: a title row, a header (序号 重点任务 牵头单位 …), one
task per row, 牵头单位 or 类别 cells merged over several rows. This module finds each visible
sheet's cell texts, hidden rows and columns and merges (what is openpyxl's); sheet_cells.py
turns them into the rows people see (the same rules for .xls) and xlsx_layout.py the rows
into the lines the parser reads. A formula shows its last computed value; an error (#N/A)
shows nothing.

openpyxl reads the workbook (read-only: sheets are streamed, never loaded whole) and its own
sheet parser decodes the cells; only cells holding a value are decoded, and the empty cells a sheet with whole
rows or columns formatted holds by the million are dropped from its XML before parsing
(`_WithoutEmptyCells`), so such a sheet costs one pass of a regular expression.
"""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser

from ...errors import PlanFileError
from ...limits import MAX_SHEET_ROWS as MAX_ROWS  # noqa: F401 - tests name the limit from here
from .sheet_cells import RawSheet, add_text, cell_text, hide_columns, visible_sheet, workbook_text
from .sniff import check_unzipped_size
from .xlsx_layout import Sheet

INVALID = "不是有效的 Excel 表格（.xlsx）"
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
    return workbook_text(name, sheets)


def _open(name: str, data: bytes):
    check_unzipped_size(name, data, INVALID)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as error:
        # KeyError: a part the workbook names is missing; ValueError/TypeError: bad values
        raise PlanFileError(name, INVALID) from error


# An empty formatted cell: <c r="B7" s="3"/> (a namespace prefix allowed), dropped only where
# the next cell has an address too or the row ends: a cell without one is placed by its
# position in the row, which dropping a cell before it would shift. No attribute of a cell
# holds ">", so the pattern cannot run past one.
_EMPTY_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c r="[A-Z]{1,3}[0-9]{1,7}"[^>]*/>'
                         rb'(?=\s*<(?:[A-Za-z_][\w.-]*:)?c r="|\s*</(?:[A-Za-z_][\w.-]*:)?row>)')
_CHUNK = 1 << 20


class _WithoutEmptyCells:
    """A sheet's XML as a file, without its empty formatted cells: parsing a million of them
    one element at a time takes seconds, the regular expression a fraction of that. Read in
    chunks cut after a ">", so that no cell is split between two chunks (the last cell of a
    chunk, whose next is not seen yet, is kept)."""

    def __init__(self, source, chunk: int = _CHUNK):
        self._source, self._chunk, self._tail, self._ready, self._at = source, chunk, b"", b"", 0

    def read(self, size: int = -1) -> bytes:
        while self._at == len(self._ready) and self._source is not None:
            data = self._tail + self._source.read(self._chunk)
            if len(data) == len(self._tail):  # the end: what is left is all there is
                cut, self._source = len(data), None
            else:
                cut = data.rfind(b">") + 1
            self._ready, self._tail, self._at = _EMPTY_CELL.sub(b"", data[:cut]), data[cut:], 0
        end = len(self._ready) if size is None or size < 0 else self._at + size
        out, self._at = self._ready[self._at:end], min(end, len(self._ready))
        return out


# -- one sheet ------------------------------------------------------------------------------
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
    return visible_sheet(name, ws.title, _parse(name, workbook, ws), INVALID)


def _parse(name: str, workbook, ws) -> RawSheet:
    # ws._get_source, ws._shared_strings, workbook._date_formats: what openpyxl's own
    # read-only worksheet hands its parser (pinned openpyxl 3.1; tests cover the path).
    raw = RawSheet()
    with ws._get_source() as source:
        parser = _SheetParser(_WithoutEmptyCells(source), ws._shared_strings, data_only=True, epoch=workbook.epoch,
                              date_formats=workbook._date_formats,
                              timedelta_formats=workbook._timedelta_formats)
        for row, cells in parser.parse():
            for cell in cells:
                if cell["data_type"] == "e" or cell["value"] is None:
                    continue  # an error (#N/A) or a formula never computed: nothing shown
                add_text(name, ws.title, raw, row, cell["column"], cell_text(cell["value"], _format(ws, cell)))
    for column in parser.column_dimensions.values():
        if column.get("hidden") in _TRUE or column.get("width") in _ZERO:
            hide_columns(raw, int(column["min"]), int(column["max"]))
    raw.hidden_rows = parser.hidden_rows
    merged = parser.merged_cells.mergeCell if parser.merged_cells else []
    raw.merges = [range_boundaries(m.ref) for m in merged]
    return raw


def _format(ws, cell: dict) -> str:
    """A number's number format (openpyxl's cell finds it from the style); only numbers need one."""
    if not isinstance(cell["value"], (int, float)):
        return ""
    return ReadOnlyCell(ws, 0, cell["column"], None, cell["data_type"], cell["style_id"]).number_format


