"""Excel 97–2003 plans (.xls, BIFF8): every visible sheet as the cells people see, then plan lines.

County offices often still send their 任务分工/任务分解 tables in this format. olefile takes the
Workbook stream out of the compound file and xlrd reads it (with formatting_info, for merges,
hidden rows and columns and number formats; on_demand, so that a sheet is parsed only when it
is read); this module turns each visible sheet into a sheet_cells.RawSheet, and from there on
an .xls is read by the same rules as the same table saved as .xlsx (sheet_cells.py,
xlsx_layout.py): the same text, line for line.

What xlrd gives and how it is read: sheet.visibility 0 is a visible sheet (1 hidden, 2 very
hidden); rowinfo_map and colinfo_map say which rows and columns are hidden (or of height or
width 0); merged_cells are (first row, row past the last, first column, column past the
last), counted from 0, where sheet_cells counts from 1 as Excel does. A cell is text, a
number (shown with its number format), a date (a number in a date format, after the
workbook's 1900 or 1904 epoch), a boolean, an error or empty; a formula's cell holds its last
computed value.

Excel 95 and older (BIFF5 and before) write another format, without merged cells; xlrd's
reading of it is not what this module is tested on, so such a file is told to re-save.
"""

from __future__ import annotations

import datetime as dt
import io
import struct

import xlrd
from xlrd.formula import FormulaError

from ...errors import PlanFileError
from .advice import XLSX_ADVICE
from .sheet_cells import RawSheet, add_text, cell_text, hide_columns, visible_sheet, workbook_text
from .xlsx_layout import Sheet

INVALID = "不是有效的 Excel 表格（.xls）"
ENCRYPTED = "文件已加密，无法读取（请去掉密码后重试）"
TOO_OLD = f"这是 Excel 95 或更早版本的表格，无法读取，{XLSX_ADVICE}"
_BOF = 0x0809  # the record every BIFF5–8 stream starts with
_BIFF8 = 0x0600  # its version field in Excel 97–2003 files
# What xlrd raises on a damaged file: its own errors, and what it meets unpacking records
# without checking them first (found by damaging fixtures byte by byte): a short record
# (struct.error), an index past a table or a code page no codec has (LookupError), a value
# too big for its array (OverflowError), and its asserts on a cell's row and column.
_DAMAGED = (xlrd.XLRDError, FormulaError, struct.error, LookupError, ValueError, OverflowError, AssertionError)


def read_xls(name: str, data: bytes) -> str:
    """The plan text of an .xls; raises PlanFileError."""
    book = _open(name, _workbook_stream(name, data))
    try:
        sheets = [_read_sheet(name, book, index) for index in range(book.nsheets)]
    except _DAMAGED as error:
        raise PlanFileError(name, INVALID) from error
    finally:
        book.release_resources()
    return workbook_text(name, [sheet for sheet in sheets if sheet is not None])


def _workbook_stream(name: str, data: bytes) -> bytes:
    """The Workbook stream out of the compound file, olefile's reading (as doc.py's): xlrd's
    own loops forever on a short-sector chain a damaged file makes circular. An Excel 95 or
    older workbook (a "Book" stream, or a first record of another BIFF version) is refused
    here, before xlrd reads it as one it half knows."""
    import olefile

    try:
        # DEFECT_INCORRECT: a cut-off file is an error, not a file with missing streams.
        with olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT) as ole:
            if not ole.exists("Workbook"):
                raise PlanFileError(name, TOO_OLD if ole.exists("Book") else INVALID)
            stream = ole.openstream("Workbook").read()
    except (OSError, ValueError, struct.error, IndexError) as error:  # olefile's own errors are OSErrors
        raise PlanFileError(name, INVALID) from error
    if len(stream) < 6 or struct.unpack_from("<H", stream)[0] != _BOF:
        raise PlanFileError(name, INVALID)
    if struct.unpack_from("<H", stream, 4)[0] < _BIFF8:
        raise PlanFileError(name, TOO_OLD)
    return stream


def _open(name: str, stream: bytes):
    try:
        # xlrd reads a bare Workbook stream as it reads one inside a compound file (as it
        # does files without one). logfile: xlrd prints its warnings (an odd record) to
        # stdout by default, where `planbot` prints its own output.
        return xlrd.open_workbook(file_contents=stream, formatting_info=True, on_demand=True,
                                  ragged_rows=True, logfile=io.StringIO())
    except _DAMAGED as error:
        if isinstance(error, xlrd.XLRDError) and "encrypted" in str(error).lower():
            raise PlanFileError(name, ENCRYPTED) from error
        raise PlanFileError(name, INVALID) from error


# -- one sheet ------------------------------------------------------------------------------
def _read_sheet(name: str, book, index: int) -> Sheet | None:
    """The sheet as people see it; None for a hidden one. ragged_rows (at open): a row
    holds the cells written in it, not the sheet's full width, so that one far cell does not
    pad every row."""
    sheet = book.sheet_by_index(index)
    try:
        if sheet.visibility != 0:
            return None
        return visible_sheet(name, sheet.name, _raw(name, book, sheet), INVALID)
    finally:
        book.unload_sheet(index)


def _raw(name: str, book, sheet) -> RawSheet:
    raw = RawSheet()
    for r in range(sheet.nrows):
        for c, (kind, value) in enumerate(zip(sheet.row_types(r), sheet.row_values(r))):
            if kind in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE, xlrd.XL_CELL_TEXT, xlrd.XL_CELL_BOOLEAN):
                add_text(name, sheet.name, raw, r + 1, c + 1, _text(book, sheet, r, c, kind, value))
    raw.hidden_rows = {r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden or info.height == 0}
    for c, info in sheet.colinfo_map.items():
        if info.hidden or info.width == 0:
            hide_columns(raw, c + 1, c + 1)
    raw.merges = [(first_col + 1, first_row + 1, past_col, past_row)
                  for first_row, past_row, first_col, past_col in sheet.merged_cells]
    return raw


# -- cell values ----------------------------------------------------------------------------
def _text(book, sheet, r: int, c: int, kind: int, value) -> str:
    """A cell's text as the sheet shows it (errors and empty cells are never asked for)."""
    if kind == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(value))
    if kind == xlrd.XL_CELL_TEXT:
        return cell_text(value)
    if kind == xlrd.XL_CELL_DATE:
        when = _date(value, book.datemode)
        if when is not None:
            return cell_text(when)
    return cell_text(value, _number_format(book, sheet.cell_xf_index(r, c)))


def _date(value: float, datemode: int) -> dt.datetime | dt.time | None:
    """A date cell's value as openpyxl gives the same cell of an .xlsx: a time of day below
    1 (no date), else a date and time; None for a number no date can be (shown as the number)."""
    try:
        when = xlrd.xldate_as_datetime(value, datemode)
    except (ValueError, OverflowError):  # xlrd's XLDateError is a ValueError
        return None
    return when.time() if 0 <= value < 1 else when


def _number_format(book, xf_index: int) -> str:
    """The format string ("0%", "yyyy-mm-dd") of a cell's XF record; "" when the file
    names none."""
    if not 0 <= xf_index < len(book.xf_list):
        return ""
    number_format = book.format_map.get(book.xf_list[xf_index].format_key)
    return number_format.format_str if number_format else ""
