"""Word plans (.docx; .docm, .dotx and .dotm alike): body paragraphs and tables, in document
order, as plain lines.

python-docx opens the package; the body is then walked as XML because python-docx's
own views lose things a plan needs: `Document.paragraphs` and `.tables` are separate
lists (their interleaving is lost), `Paragraph.text` skips tracked insertions, smart
tags, simple fields and content controls, and automatic numbering is not text at all
(see numbering.py). What comes out:

* a paragraph: one line, prefixed with its automatic number if it has one ("1." +
  "加强…" → "1.加强…"; a label not ending in punctuation, like "第一条", gets a
  space); a manual line break (Shift+Enter) starts a new line; a tab stays a TAB,
  as a copy into a .txt would keep it; empty paragraphs are dropped;
* a table row: one line, cells joined by TAB, each cell's paragraphs joined by a
  space; a merged cell (gridSpan, vMerge) repeats its value in every grid column
  it covers so every row has every column;
* a row that is one cell across the whole table (a section heading inside a task
  table, or a table used as a frame) is not data: its paragraphs come out as lines.

Not read: headers, footers, footnotes, comments, text boxes, equations, embedded
objects — none of them carry plan items in the documents we see.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from docx.oxml.ns import qn

from ...errors import PlanFileError
from .docx_lists import Numbering
from .sniff import check_unzipped_size
from .text import clean_text

_INVALID = "不是有效的 Word 文档（.docx）"
# A 2 MB .docx can inflate to gigabytes (a zip bomb); real plans stay far below this.

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_R = qn("w:r")
# Elements that only wrap content: look inside them. Deleted text (w:del, w:moveFrom)
# and properties are left out by not being listed.
_WRAPPERS = {qn(f"w:{tag}") for tag in (
    "hyperlink", "ins", "moveTo", "smartTag", "customXml", "fldSimple", "sdt",
    "sdtContent", "dir", "bdo")}
_RUN_TEXT = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:ptab"): "\t", qn("w:br"): "\n",
             qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}


def read_docx(name: str, data: bytes) -> str:
    """The plan text of a .docx; raises PlanFileError."""
    document = _open(name, data)
    numbering = Numbering.of(document)
    text = clean_text("\n".join(_block_lines(document.element.body, numbering)))
    if not text:
        raise PlanFileError(name, "这个 Word 文档里没有文字")
    return text


def _open(name: str, data: bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_unzipped_size(name, data, _INVALID)
    try:
        return docx.Document(io.BytesIO(_as_document(data)))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        # ValueError: a package whose main part is not a Word document (an .xlsx inside)
        raise PlanFileError(name, _INVALID) from error


# A macro-enabled document (.docm) and a template (.dotx, .dotm) are a .docx's package and markup
# with another content type for the main part, which python-docx refuses ("is not a Word file";
# python-docx issues #212 and #363, open). Word reads them alike, and so do we: the package is
# read with that one content type renamed. The macros are never run, nor read.
_MAIN_VARIANTS = (b"application/vnd.ms-word.document.macroEnabled.main+xml",
                  b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
                  b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml")
_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_TYPES = "[Content_Types].xml"


def _as_document(data: bytes) -> bytes:
    """`data`, or the same package with its main part's content type a .docx's."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        types = package.read(_TYPES) if _TYPES in package.namelist() else b""
        variant = next((v for v in _MAIN_VARIANTS if v in types), None)
        if variant is None:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as renamed:
            for info in package.infolist():
                part = package.read(info)
                renamed.writestr(info, part.replace(variant, _MAIN) if info.filename == _TYPES else part)
    return out.getvalue()


def _blocks(container) -> Iterator:
    """w:p and w:tbl children, looking through content controls and custom XML."""
    for child in container:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _block_lines(container, numbering: Numbering) -> Iterator[str]:
    for block in _blocks(container):
        if block.tag == _P:
            yield from _paragraph_lines(block, numbering, keep_bare_label=False)
        else:
            yield from _table_lines(block, numbering)


def _paragraph_lines(p, numbering: Numbering, *, keep_bare_label: bool) -> list[str]:
    # Count every paragraph, even an empty one: Word numbers it, so skipping it would
    # shift every later number.
    label = numbering.label(p)
    text = paragraph_text(p)
    if not text.strip() and not (label and keep_bare_label):
        return []
    lines = [line.strip() for line in (label + text.lstrip()).split("\n")]
    return [line for line in lines if line]


def paragraph_text(p) -> str:
    parts: list[str] = []
    _collect(p, parts)
    return "".join(parts)


def _collect(element, parts: list[str]) -> None:
    for child in element:
        if child.tag == _R:
            _run_text(child, parts)
        elif child.tag in _WRAPPERS:
            _collect(child, parts)


def _run_text(run, parts: list[str]) -> None:
    rpr = run.find(qn("w:rPr"))
    if rpr is not None and _on(rpr.find(qn("w:vanish"))):
        return  # hidden text is not part of the document as read
    for child in run:
        if child.tag in _RUN_TEXT:
            fixed = _RUN_TEXT[child.tag]
            parts.append((child.text or "") if fixed is None else fixed)


def _on(flag) -> bool:
    return flag is not None and flag.get(qn("w:val"), "true") not in ("0", "false", "off")


# -- tables -----------------------------------------------------------------------------
def _table_lines(tbl, numbering: Numbering) -> list[str]:
    rows = _table_grid(tbl, numbering)
    width = max(_grid_width(tbl), max((len(cells) for cells, _ in rows), default=0))
    lines: list[str] = []
    for cells, single in rows:
        if single is not None and len(cells) >= width:
            lines.extend(single)  # one cell across the table: plain lines
            continue
        cells = cells + [""] * (width - len(cells))
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def _table_grid(tbl, numbering: Numbering) -> list[tuple[list[str], list[str] | None]]:
    """Each row as its grid cells (merged values repeated), plus the lines of the
    row's only cell when it has one."""
    rows: list[tuple[list[str], list[str] | None]] = []
    above: list[str] = []
    for tr in _children(tbl, _TR):
        trpr = tr.find(qn("w:trPr"))
        before, after = _grid_count(trpr, "w:gridBefore"), _grid_count(trpr, "w:gridAfter")
        cells = [""] * before
        tcs = list(_children(tr, _TC))
        single = None
        for tc in tcs:
            lines = _cell_lines(tc, numbering)
            tcpr = tc.find(qn("w:tcPr"))
            span = max(_grid_count(tcpr, "w:gridSpan"), 1)
            column = len(cells)
            if _continues_merge(tcpr) and column < len(above):
                value = above[column]
            else:
                value = _one_line(" ".join(lines))
            cells.extend([value] * span)
            if len(tcs) == 1 and not before and not after:
                single = lines
        cells.extend([""] * after)
        rows.append((cells, single))
        above = cells
    return rows


def _cell_lines(tc, numbering: Numbering) -> list[str]:
    lines: list[str] = []
    for block in _blocks(tc):
        if block.tag == _P:
            # A numbered empty paragraph in a 序号 column shows its number: keep it.
            lines.extend(_paragraph_lines(block, numbering, keep_bare_label=True))
        else:
            lines.extend(_table_lines(block, numbering))  # a table inside a cell
    return lines


def _one_line(text: str) -> str:
    """A cell's text on one line: tabs and line breaks become single spaces."""
    return " ".join(part.strip() for part in re.split(r"[\t\n]", text) if part.strip())


def _children(parent, tag: str) -> Iterator:
    """Rows of a table or cells of a row, looking through content controls."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _continues_merge(tcpr) -> bool:
    """w:vMerge without val="restart" continues the cell above."""
    if tcpr is None:
        return False
    merge = tcpr.find(qn("w:vMerge"))
    return merge is not None and merge.get(qn("w:val"), "continue") == "continue"


def _grid_count(props, tag: str) -> int:
    element = props.find(qn(tag)) if props is not None else None
    try:
        return int(element.get(qn("w:val"), "0")) if element is not None else 0
    except ValueError:
        return 0


def _grid_width(tbl) -> int:
    grid = tbl.find(qn("w:tblGrid"))
    return len(grid.findall(qn("w:gridCol"))) if grid is not None else 0
