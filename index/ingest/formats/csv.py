"""CSV task tables (.csv): a sheet exported from Excel or WPS, read like that sheet as .xlsx.

The rows become the same `Sheet` of cells the .xlsx reader builds, and xlsx_layout.py turns
it into plan lines: the title row, the header, banner rows as headings, one item per task
row. So a 任务分解表 gives the same items whichever of the two it was saved as.

What an export loses and how it still reads the same: a merged cell's text is in its first
cell only, the cells it covered are empty, which is how the layout reads them already (an
empty 类别 cell means "same as above", a row with one text is a banner). Excel pads every
row to the sheet's width with empty cells; empty rows are dropped, as in a sheet.

Decoding is text.py's (BOM, then UTF-8, then GB18030: Excel saves "CSV UTF-8" with a BOM and
plain "CSV" in the system's code page, GBK on a Chinese Windows). The delimiter is the one
a first line "sep=;" names, as Excel reads it; else the one of comma, TAB, semicolon that
cuts the first rows into the most columns.
"""

from __future__ import annotations

import csv
import io
import re

from ...errors import PlanFileError
from ...limits import MAX_SHEET_COLUMNS as MAX_COLUMNS
from ...limits import MAX_SHEET_ROWS as MAX_ROWS
from .text import clean_text, decode
from .xlsx_layout import Cell, Sheet, workbook_lines

INVALID = "不是有效的 CSV 表格"
_DELIMITERS = (",", "\t", ";")  # in this order when they cut as many columns
_SNIFF_ROWS = 20
_SEP_LINE = re.compile(r'\A"?sep=(.)"?[ \t]*(?:\r\n|\n|\r|\Z)')


def read_csv(name: str, data: bytes) -> str:
    """The plan text of a .csv; raises PlanFileError."""
    text = decode(name, data)
    hint = _SEP_LINE.match(text)
    if hint:  # "sep=;", a first line Excel reads as the delimiter and does not show
        text = text[hint.end():]
    sheet = Sheet(name, _rows(name, text, hint.group(1) if hint else _delimiter(text)))
    lines = workbook_lines([sheet]) if sheet.rows else []
    text = clean_text("\n".join(lines))
    if not text:
        raise PlanFileError(name, "这个 CSV 表格里没有文字")
    return text


def _delimiter(text: str) -> str:
    """The delimiter that cuts the first non-empty rows into the most columns: a plan's
    cells hold full-width ，and ；, so the ASCII ones are the table's own."""
    head = [line for line in text.splitlines() if line.strip()][:_SNIFF_ROWS]

    def width(delimiter: str) -> int:
        try:
            return sum(len(row) for row in csv.reader(head, delimiter=delimiter))
        except csv.Error:
            return 0

    return max(_DELIMITERS, key=width)  # max keeps the first of equals: comma


def _rows(name: str, text: str, delimiter: str) -> list[tuple[int, list[Cell]]]:
    """(row number, cells) of the rows with text, each cell's text on one line; every row
    as wide as the widest (a sheet's grid)."""
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
            texts = [" ".join(cell.split()) for cell in row]
            while texts and not texts[-1]:
                texts.pop()
            if not texts:
                continue
            if len(texts) > MAX_COLUMNS or len(rows) >= MAX_ROWS:
                raise PlanFileError(name, f"表格太大（超过 {MAX_ROWS} 行或 {MAX_COLUMNS} 列有内容），不像是计划表格")
            rows.append((number, texts))
    except csv.Error as error:  # a field over csv's size limit, a NUL: not a table
        raise PlanFileError(name, INVALID) from error
    width = max((len(texts) for _, texts in rows), default=0)
    return [(number, [Cell(t, (number, c)) for c, t in enumerate(texts + [""] * (width - len(texts)), 1)])
            for number, texts in rows]
