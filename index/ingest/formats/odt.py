"""OpenDocument text plans (.odt: LibreOffice's, WPS's and Yozo Office's own format).

An .odt is a zip whose content.xml holds the document (`open_document`, which ods.py's
spreadsheets share): read with zipfile and lxml
(both already used), not odfpy, which adds a dependency and ~90 ms of import (lxml's
etree: ~30 ms) for what is a walk over one XML part. What comes out is what docx.py gives
for the same document:

* text:p and text:h (headings), also inside lists (text:list) and sections: one line
  each; text:line-break a new line, text:tab a TAB, text:s its spaces; empty ones dropped;
* tables: one line a row, cells joined by TAB, a cell's paragraphs by a space; a cell
  spanning columns repeats its value, a cell covered by one spanning rows from above
  takes that value (grid.py lays rows out as for .docx);
* fields (dates, page numbers, references) give their shown text;
* a list's numbers, which are not in the text, are put back from its list style
  (odt_lists.py), as docx_lists.py does for a .docx.

Not read, as for .docx: footnotes (text:note), comments (office:annotation), tracked
deletions (text:tracked-changes), hidden text (an automatic style with text:display
"none"), text boxes and frames (draw:*).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from ...errors import PlanFileError
from .grid import Cell, table_lines
from .odt_lists import ListNumbers, Place
from .sniff import check_unzipped_size
from .text import clean_text

INVALID = "不是有效的 OpenDocument 文档（.odt）"
ENCRYPTED = "文件已加密，无法读取（请先在 WPS 或 LibreOffice 中取消密码，再发送）"
EMPTY = "这个 OpenDocument 文档里没有文字"
_TEXT_TYPES = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template")
_MAX_REPEAT = 64  # repeated rows or cells beyond this are a sheet's empty tail, not a plan's

_NS = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
       "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
       "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


_P, _H = q("text:p"), q("text:h")
_TABLE, _ROW, _CELL, _COVERED = q("table:table"), q("table:table-row"), q("table:table-cell"), \
    q("table:covered-table-cell")
_COLUMN = q("table:table-column")
_LIST, _ITEM = q("text:list"), q("text:list-item")
_SPACE, _TAB, _BREAK = q("text:s"), q("text:tab"), q("text:line-break")
# Never the plan's own text (see the module's docstring).
_LEFT_OUT = {q("text:note"), q("office:annotation"), q("text:tracked-changes"),
             q("text:table-of-content-source"), q("text:index-title-template")}
_DRAWING = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_STYLE_NAME = q("text:style-name")
_TEXT_PROPERTIES = f"{{{_STYLE}}}text-properties"
_DISPLAY = q("text:display")


def read_odt(name: str, data: bytes) -> str:
    """The plan text of an .odt; raises PlanFileError."""
    body, walk = _body(name, data)
    lines = (line.strip() for block in walk.blocks(body) for line in block.split("\n"))
    text = clean_text("\n".join(line for line in lines if line))
    if not text:
        raise PlanFileError(name, EMPTY)
    return text


def _body(name: str, data: bytes):
    root, styles_root = open_document(name, data, _TEXT_TYPES, INVALID)
    body = root.find(f"{q('office:body')}/{q('office:text')}")
    if body is None:
        raise PlanFileError(name, INVALID)
    return body, Walk(hidden_styles(root), ListNumbers.of(root, styles_root))


def open_document(name: str, data: bytes, types: tuple[str, ...], invalid: str, *, styles: bool = True):
    """The parsed content.xml and styles.xml (None when missing, or not asked for: `styles`)
    of an OpenDocument file of one of `types` (its mimetype); raises PlanFileError. (read.py sends an .ods called .odt
    to ods.py, by its mimetype, as Excel and WPS open a file by what it holds.)"""
    from lxml import etree

    check_unzipped_size(name, data, invalid)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        kind = archive.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
        if kind not in types or "content.xml" not in names:
            raise PlanFileError(name, invalid)
        manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
        if b"encryption-data" in manifest:
            raise PlanFileError(name, ENCRYPTED)
        content = archive.read("content.xml")
        styles = archive.read("styles.xml") if styles and "styles.xml" in names else None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(content, parser), (etree.fromstring(styles, parser) if styles else None)
    except etree.XMLSyntaxError as error:
        raise PlanFileError(name, f"{invalid}（文件可能已损坏）") from error


def hidden_styles(root) -> frozenset[str]:
    """The automatic styles that hide their text (Format › Character › Hidden): such text is
    not shown, and docx.py leaves the same text out."""
    return styles_where(root, _TEXT_PROPERTIES, _DISPLAY, "none")


def styles_where(root, properties: str, attribute: str, value: str) -> frozenset[str]:
    """The names of the automatic styles whose `properties` element sets `attribute` to
    `value` (text that is hidden here; a sheet that is hidden in ods.py)."""
    styles = root.find(q("office:automatic-styles"))
    if styles is None:
        return frozenset()
    return frozenset(style.get(f"{{{_STYLE}}}name") for style in styles if any(
        props.get(attribute) == value for props in style if props.tag == properties))


class Walk:
    """The document's blocks in order, with what hides text and what numbers lists."""

    def __init__(self, hidden: frozenset[str], numbers: ListNumbers):
        self.hidden = hidden
        self.numbers = numbers

    def blocks(self, container, place: Place | None = None) -> Iterator[str]:
        """Paragraphs and tables in document order, looking through lists, sections and
        the other containers of body text."""
        for child in container:
            if child.tag in (_P, _H):
                yield self.paragraph(child)
            elif child.tag == _TABLE:
                yield from self.table(child)
            elif child.tag == _LIST:
                yield from self.list(child, place)
            elif child.tag not in _LEFT_OUT and isinstance(child.tag, str) and \
                    not child.tag.startswith(f"{{{_DRAWING}}}"):
                yield from self.blocks(child, place)

    def list(self, element, outer: Place | None) -> Iterator[str]:
        place = self.numbers.enter(element, outer)
        for item in element:
            if item.tag != _ITEM:
                yield from self.blocks([item], place)  # a list header: not numbered
                continue
            first = next((c for c in item if isinstance(c.tag, str)), None)
            if first is None or first.tag not in (_P, _H):
                yield from self.blocks(item, place)  # an item that only holds a deeper list
                continue
            # Every item is counted, an empty one too; its label shows on a paragraph with text.
            label = self.numbers.label(place, item)
            text = self.paragraph(first)
            yield label + text.lstrip() if text.strip() else text
            yield from self.blocks([c for c in item if c is not first], place)

    def paragraph(self, p) -> str:
        if p.get(_STYLE_NAME) in self.hidden:
            return ""
        parts: list[str] = [p.text or ""]
        for child in p:
            parts.append(self.inline(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def inline(self, element) -> str:
        tag = element.tag
        if tag == _SPACE:
            return " " * count(element, "text:c", 1)
        if tag == _TAB:
            return "\t"
        if tag == _BREAK:
            return "\n"
        if tag in _LEFT_OUT or not isinstance(tag, str) or tag.startswith(f"{{{_DRAWING}}}"):
            return ""
        return self.paragraph(element)  # a span, a link, a field: its text

    def table(self, table) -> list[str]:
        width = sum(min(count(c, "table:number-columns-repeated", 1), _MAX_REPEAT)
                    for c in descendants(table, _COLUMN))
        rows: list[list[Cell]] = []
        for row in descendants(table, _ROW):
            cells = self.row(row)
            rows.extend([cells] * min(count(row, "table:number-rows-repeated", 1), _MAX_REPEAT))
        return table_lines(rows, width)

    def row(self, row) -> list[Cell]:
        cells: list[Cell] = []
        covered_by_left = 0  # covered cells that belong to a cell spanning columns to their left
        for element in row:
            if element.tag not in (_CELL, _COVERED):
                continue
            repeat = min(count(element, "table:number-columns-repeated", 1), _MAX_REPEAT)
            if element.tag == _COVERED:
                if covered_by_left:
                    covered_by_left -= 1
                else:  # covered by a cell spanning rows from above: its value
                    cells.extend(Cell(continues=True) for _ in range(repeat))
                continue
            span = count(element, "table:number-columns-spanned", 1)
            covered_by_left = span - 1
            lines = list(self.blocks(element))
            cells.extend(Cell(lines=lines, span=span) for _ in range(repeat))
        return cells


def count(element, attribute: str, default: int) -> int:
    try:
        return max(int(element.get(q(attribute), default)), 1)
    except ValueError:
        return default


def descendants(table, tag: str) -> Iterator:
    """The table's own columns or rows, also inside header-rows and row groups, not those
    of a table nested in a cell."""
    for child in table:
        if child.tag == tag:
            yield child
        elif child.tag != _CELL and isinstance(child.tag, str) and child.tag.startswith(f"{{{_NS['table']}}}"):
            yield from descendants(child, tag)
