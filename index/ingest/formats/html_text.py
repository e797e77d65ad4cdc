"""An HTML element → the lines a reader sees on screen, in the shape every reader gives.

    element_lines(element) -> lines

* block elements (p, div, li, h1–h6, …) and <br> end lines; inline ones (span, a, b …) do
  not; whitespace is collapsed as a browser does, except in <pre>; a line break in the
  source between two Chinese characters is no space (a browser joins them too, and a space
  inside a unit's name would split it); &nbsp; is a space;
* a table row is one line, cells joined by TAB, each cell's lines joined by a space; a cell
  spanning rows or columns repeats its text in every grid cell it covers (as the .docx
  reader does), so every row of a task table has every column; a row that is one cell
  across the table (a section heading in a task table) comes out as plain lines;
* a table holding tables is page layout, not data: its cells come out as blocks;
* a line whose text is mostly links is navigation (a menu, a breadcrumb, a list of related
  articles, 上一篇/下一篇) and is left out; link text within a sentence stays.

The caller has already removed what is never shown (scripts, styles, hidden elements).
"""

from __future__ import annotations

import re

BLOCKS = frozenset((
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main",
    "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
))
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACES = re.compile(r"[ \t\n\r\f]+")
# A source line break stands as _BREAK until its line is whole: between two Chinese
# characters (also across tags: "县委\n<span>组织部</span>") it is nothing, elsewhere a space.
_BREAK = "\x01"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ {_BREAK}]*{_BREAK}[ {_BREAK}]*(?=[{_CJK}])")
# A span beyond this is a broken page, not a table (a task table has a handful of columns;
# a page of colspan="10000" cells must not make millions of them).
_MAX_SPAN = 64


CUT = "\x00"


def element_lines(element, cut=()) -> list[str]:
    """The lines of `element` and everything inside it; the elements in `cut` are left
    out and a CUT line marks their place (the text around a page's article)."""
    out = _Lines(cut=set(cut))
    _walk(element, out, linked=element.tag == "a", pre=False)
    out.end()
    return out.lines


class _Lines:
    """Lines being written: the pieces of the current line, and how much of it is links."""

    def __init__(self, keep_links: bool = False, cut: set | None = None) -> None:
        self.keep_links = keep_links  # a table cell's lines: its row is judged whole
        self.cut = cut or set()
        self.lines: list[str] = []
        self._parts: list[str] = []
        self._chars = self._linked = 0

    def add(self, text: str, linked: bool) -> None:
        if text:
            self._parts.append(text)
            shown = len(text) - text.count(" ") - text.count(_BREAK)
            self._chars += shown
            self._linked += shown if linked else 0

    def add_line(self, line: str, linked_share: float = 0.0) -> None:
        self.end()
        if line.strip() and linked_share <= 0.5:
            self.lines.append(line)

    def end(self) -> None:
        line = _CJK_BREAK.sub("", "".join(self._parts)).replace(_BREAK, " ")
        line = re.sub(" {2,}", " ", line).replace("\xa0", " ").strip(" ")
        if line and (self.keep_links or self._linked * 2 <= self._chars):
            self.lines.append(line)
        self._parts, self._chars, self._linked = [], 0, 0


def _walk(element, out: _Lines, linked: bool, pre: bool) -> None:
    if element in out.cut:
        out.end()
        if out.lines[-1:] != [CUT]:
            out.lines.append(CUT)
        return
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "table":
        _table(element, out, linked)
        return
    block = tag in BLOCKS
    if block:
        out.end()
    pre = pre or tag == "pre"
    _text(element.text, out, linked, pre)
    for child in element:
        child_tag = child.tag if isinstance(child.tag, str) else ""
        if child_tag == "br":
            out.end()
        else:
            _walk(child, out, linked or child_tag == "a", pre)
        _text(child.tail, out, linked, pre)
    if block:
        out.end()


def _text(text: str | None, out: _Lines, linked: bool, pre: bool) -> None:
    if not text:
        return
    if pre:
        first, *rest = text.split("\n")
        out.add(first, linked)
        for line in rest:
            out.end()
            out.add(line, linked)
        return
    out.add(_SPACES.sub(lambda m: _BREAK if "\n" in m.group() else " ", text.replace(_BREAK, " ")), linked)


# -- tables -----------------------------------------------------------------------------
def _table(table, out: _Lines, linked: bool) -> None:
    out.end()
    rows = _rows(table)
    if _layout(table, rows, out.cut):
        for part in table:  # rows and cells as blocks
            _walk(part, out, linked, False)
        return
    for caption in table.findall("caption"):
        _walk(caption, out, linked, False)
    grid = _grid(rows, linked)
    width = max((len(texts) for texts, _, _ in grid), default=0)
    for texts, link_share, single in grid:
        if single is not None and len(texts) >= width:
            for line in single:
                out.add_line(line, link_share)
            continue
        out.add_line("\t".join(texts + [""] * (width - len(texts))), link_share)
    out.end()


def _layout(table, rows: list[list], cut) -> bool:
    """A table laid out as a page, not one of data: a cell holds a table, or the table
    holds the element cut out (the article: the page around it is read as blocks)."""
    if cut and any(e in cut for e in table.iter()):
        return True
    return any(any(True for _ in cell.iter("table")) for row in rows for cell in row)


def _rows(table) -> list[list]:
    """The table's rows (also those in thead/tbody/tfoot, not those of tables inside it),
    each as its td/th cells."""
    rows = []
    for part in [table, *(p for p in table if p.tag in ("thead", "tbody", "tfoot"))]:
        rows += [[cell for cell in tr if cell.tag in ("td", "th")] for tr in part if tr.tag == "tr"]
    return rows


def _grid(rows: list[list], linked: bool) -> list[tuple[list[str], float, list[str] | None]]:
    """Each row as its text per grid column (spans repeated), the share of its own cells'
    text in links, and the lines of the row's only cell when it has one."""
    pending: dict[int, tuple[int, str]] = {}  # column → (rows left, text) of a rowspan
    grid = []
    for cells in rows:
        row: list[str] = []
        shares: list[float] = []
        single = None
        spanned = bool(pending)  # a cell of a row above covers part of this row
        for cell in cells:
            _fill_spans(row, pending)
            lines, share = _cell(cell, linked)
            shares.append(share)
            text = " ".join(lines)
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            for _ in range(colspan):
                if rowspan > 1:
                    pending[len(row)] = (rowspan - 1, text)
                row.append(text)
            if len(cells) == 1 and not spanned:
                single = lines
        _fill_spans(row, pending, to_end=True)
        grid.append((row, sum(shares) / len(shares) if shares else 0.0, single))
    return grid


def _fill_spans(row: list, pending: dict, to_end: bool = False) -> None:
    """Cells of rows above spanning down into this row, at the row's current column (and,
    at the end of the row, at every column after it)."""
    while len(row) in pending or (to_end and any(c >= len(row) for c in pending)):
        column = len(row)
        if column not in pending:
            row.append("")
            continue
        left, value = pending.pop(column)
        if left > 1:
            pending[column] = (left - 1, value)
        row.append(value)


def _cell(cell, linked: bool) -> tuple[list[str], float]:
    """A cell's lines and the share of its text in links."""
    out = _Lines(keep_links=True)
    _walk(cell, out, linked, False)
    out.end()
    if linked:
        return out.lines, 1.0
    shown = len(_SPACES.sub("", "".join(cell.itertext())))
    links = sum(len(_SPACES.sub("", "".join(a.itertext()))) for a in cell.iter("a"))
    return out.lines, min(links / shown, 1.0) if shown else 0.0


def _span(cell, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1").strip() or 1), _MAX_SPAN))
    except ValueError:
        return 1
