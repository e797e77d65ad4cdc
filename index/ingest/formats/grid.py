"""Table rows read from .doc, .rtf and .odt files, laid out as the .docx reader lays them.

Each of those readers knows a row as its cells, each cell with its paragraphs, how many
grid columns it covers and whether it continues a vertical merge from the row above.
`table_lines` turns such rows into the lines the parser reads, with the rules of
docx.py's tables, so that a plan's table reads the same whatever it was saved as:

* a row is one line, cells joined by TAB, a cell's paragraphs joined by a space;
* a merged cell repeats its value in every grid column it covers, and a cell that
  continues a vertical merge takes the value of the cell above it;
* a row that is one cell across the whole table (a section heading inside a task table,
  or a table used as a frame) gives its paragraphs as plain lines;
* a row with no text is left out.

Word's binary and RTF formats give a row's cells by their edges (in twips) rather than
by grid columns: `edged_table_lines` finds the grid from every edge of every row first.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field


@dataclass
class Cell:
    lines: list[str] = field(default_factory=list)  # the cell's paragraphs, as lines
    span: int = 1  # grid columns covered
    continues: bool = False  # continues a vertical merge: the cell above holds the text


def table_lines(rows: list[list[Cell]], width: int = 0) -> list[str]:
    """The lines of one table; `width` is its grid's column count when known."""
    grids: list[tuple[list[str], Cell | None]] = []
    above: list[str] = []
    for row in rows:
        cells: list[str] = []
        for cell in row:
            column = len(cells)
            value = above[column] if cell.continues and column < len(above) else one_line(" ".join(cell.lines))
            cells.extend([value] * max(cell.span, 1))
        grids.append((cells, row[0] if len(row) == 1 else None))
        above = cells
    width = max([width] + [len(cells) for cells, _ in grids])
    lines: list[str] = []
    for cells, single in grids:
        if single is not None and len(cells) >= width:
            lines.extend(line.strip() for line in single.lines if line.strip())
            continue
        cells = cells + [""] * (width - len(cells))
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def one_line(text: str) -> str:
    """A cell's text on one line: tabs and line breaks become single spaces."""
    return " ".join(part.strip() for part in re.split(r"[\t\n]", text) if part.strip())


_SAME_EDGE = 30  # twips (0.5 mm): cell edges closer than this are one grid line


def edged_table_lines(rows: list[tuple[list[Cell], list[int]]]) -> list[str]:
    """The lines of a table whose rows come with their cell edges (left edge of the first
    cell, then each cell's right edge; [] when unknown): each cell covers the grid columns
    between its edges, the grid being every edge of every row."""
    edges: list[int] = []
    for edge in sorted({edge for _, bounds in rows for edge in bounds}):
        if not edges or edge - edges[-1] > _SAME_EDGE:
            edges.append(edge)

    def column(edge: int) -> int:
        return bisect.bisect_left(edges, edge - _SAME_EDGE)

    for cells, bounds in rows:
        if len(bounds) == len(cells) + 1:
            for index, cell in enumerate(cells):
                cell.span = max(column(bounds[index + 1]) - column(bounds[index]), 1)
    return table_lines([cells for cells, _ in rows], max(len(edges) - 1, 0))
