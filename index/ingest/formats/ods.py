"""OpenDocument spreadsheets (.ods: LibreOffice Calc's, WPS's and Yozo Office's own format):
a task table read exactly as the same sheet saved as .xlsx.

The package is opened as odt.py opens an .odt (zipfile and lxml, no odfpy) and each visible
sheet's cells go into the RawSheet the .xlsx and .xls readers fill (sheet_cells.py), so the
rows people see, merges and the plan lines are worked out by the same code for all three:

* a sheet hidden by its style (table:display="false"), a row or column whose visibility is
  collapse or filter, is left out;
* a cell spanning rows or columns (table:number-rows-spanned / -columns-spanned) is a merge;
  the covered cells after it (table:covered-table-cell) only take their place;
* a row or a cell repeated (table:number-rows-repeated / -columns-repeated) counts that many
  times: the empty tail of a sheet is a single row repeated a million times, and only moves
  the position;
* a value is shown as the .xlsx reader shows the same value: a number, a percentage, a date,
  a time of day or a boolean from its typed attribute (office:value, office:date-value …),
  anything else (text, a currency) from the text the cell displays. Comments
  (office:annotation) are not the cell's text.
"""

from __future__ import annotations

import datetime as dt
import re

from ...errors import PlanFileError
from .odt import Walk, count, descendants, hidden_styles, open_document, q, styles_where
from .odt_lists import ListNumbers
from .sheet_cells import RawSheet, add_text, cell_text, hide_columns, visible_sheet, workbook_text
from .xlsx_layout import Sheet

INVALID = "不是有效的 OpenDocument 表格（.ods）"
_TYPES = ("application/vnd.oasis.opendocument.spreadsheet",
          "application/vnd.oasis.opendocument.spreadsheet-template")
_TABLE, _ROW, _CELL, _COVERED, _COLUMN = (q("table:table"), q("table:table-row"), q("table:table-cell"),
                                          q("table:covered-table-cell"), q("table:table-column"))
_STYLE_NAME, _VISIBILITY = q("table:style-name"), q("table:visibility")
_VALUE_TYPE, _VALUE = q("office:value-type"), q("office:value")
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_TABLE_PROPERTIES, _DISPLAY = f"{{{_STYLE}}}table-properties", q("table:display")
_BOOLEANS = ("TRUE", "FALSE", "真", "假")
_DURATION = re.compile(r"PT(\d+)H(\d+)M(\d+)(?:\.\d+)?S")


def read_ods(name: str, data: bytes) -> str:
    """The plan text of an .ods; raises PlanFileError."""
    root, _ = open_document(name, data, _TYPES, INVALID, styles=False)  # a sheet's text needs no page styles
    body = root.find(f"{q('office:body')}/{q('office:spreadsheet')}")
    if body is None:
        raise PlanFileError(name, INVALID)
    hidden = styles_where(root, _TABLE_PROPERTIES, _DISPLAY, "false")  # Sheet › Hide Sheet
    walk = Walk(hidden_styles(root), ListNumbers.of(root, None))
    sheets = [_read_sheet(name, table, walk) for table in body.iter(_TABLE)
              if table.get(_STYLE_NAME) not in hidden]
    return workbook_text(name, sheets)


def _read_sheet(name: str, table, walk: Walk) -> Sheet:
    title = table.get(q("table:name")) or ""
    raw = RawSheet()
    column = 1
    for element in descendants(table, _COLUMN):
        repeat = count(element, "table:number-columns-repeated", 1)
        if element.get(_VISIBILITY) in ("collapse", "filter"):
            hide_columns(raw, column, column + repeat - 1)
        column += repeat
    row = 1
    for element in descendants(table, _ROW):
        repeat = count(element, "table:number-rows-repeated", 1)
        # an empty row repeated a million times is only the sheet's tail: nothing read
        cells = _row_cells(element, walk) if _has_text(element) else []
        for number in range(row, row + repeat) if cells else ():
            for column, text, rows, columns in cells:
                add_text(name, title, raw, number, column, text)
                if rows > 1 or columns > 1:
                    raw.merges.append((column, number, column + columns - 1, number + rows - 1))
            if element.get(_VISIBILITY) in ("collapse", "filter"):
                raw.hidden_rows.add(number)
        row += repeat
    return visible_sheet(name, title, raw, INVALID)


def _row_cells(row, walk: Walk) -> list[tuple[int, str, int, int]]:
    """(column, text, rows spanned, columns spanned) of each cell of a row that shows text,
    read once for however many times the row repeats."""
    cells, column = [], 1
    for element in row:
        if element.tag not in (_CELL, _COVERED):
            continue
        repeat = count(element, "table:number-columns-repeated", 1)
        text = cell_text(*_value(element, walk)) if element.tag == _CELL else ""
        if text:
            spans = tuple(count(element, f"table:number-{k}-spanned", 1) for k in ("rows", "columns"))
            cells += [(at, text, *spans) for at in range(column, column + repeat)]
        column += repeat
    return cells


def _has_text(row) -> bool:
    return any(cell.get(_VALUE_TYPE) or len(cell) for cell in row if cell.tag == _CELL)


def _value(cell, walk: Walk) -> tuple[object, str]:
    """The cell's value and number format as the .xlsx reader has them for the same cell."""
    kind, value = cell.get(_VALUE_TYPE), cell.get(_VALUE)
    try:
        if kind == "float" and value is not None and _shown(cell, walk).upper() in _BOOLEANS:
            return float(value) != 0, ""  # TRUE() as Calc saves a boolean: a number shown as one
        if kind in ("float", "percentage") and value is not None:
            return float(value), "0%" if kind == "percentage" else ""
        if kind == "boolean":
            return cell.get(q("office:boolean-value")) == "true", ""
        if kind == "date":
            return dt.datetime.fromisoformat(cell.get(q("office:date-value"))), ""
        if kind == "time":
            hours, minutes, seconds = map(int, _DURATION.fullmatch(cell.get(q("office:time-value"))).groups())
            return dt.time(hours % 24, minutes, seconds), ""
    except (TypeError, ValueError, AttributeError):
        pass  # a value its type does not parse: what the cell shows
    return _shown(cell, walk), ""


def _shown(cell, walk: Walk) -> str:
    """The text the cell displays, its paragraphs on one line."""
    return " ".join(line for line in walk.blocks(cell) if line.strip())
