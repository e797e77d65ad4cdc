"""From positioned PDF lines to paragraph lines: no page furniture, no wrapped sentences.

Pure functions on `Line`s (text plus position), kept apart from pdfplumber so each
rule can be tested on its own.

Page furniture: a page number ("— 3 —", "- 3 -", "第 3 页 共 10 页", "3/10", a lone
number) as the first or last line of a page; a running header or footer: a line in the
top or bottom margin band whose text (digits ignored) opens or closes at least half
the pages.

Wrapped lines: line A is joined with the next line B when
  * A reaches the right edge of the text block (a wrapped line fills the width; this
    keeps "牵头单位：县乡村振兴局" from swallowing the "责任单位：…" line below it,
    and a centred title from swallowing the first paragraph), or A and B are the two centred
    lines of a title that wraps (`_title_wraps`),
  * B does not start with a numbering marker (一、 （一） 1. 1、 （1） ① 第X条) or a
    field label (牵头单位： 完成时限：…; inside brackets a label does not count),
  * neither is a table row,
  * and then, in a document that indents the first line of its paragraphs (公文 do):
    B starts at the margin, whatever A ends with;
    otherwise: B is not indented and A does not end a sentence or clause (。；：！？ or
    a closing bracket) — unless A is inside brackets (an opening bracket at its end,
    or one not yet closed in its paragraph) or B starts with punctuation no line may
    start with (，、。）…): then B is the rest of A's sentence.
This works across page breaks once the furniture between them is gone. Without
indents the rules err towards leaving lines apart: a paragraph whose wrap falls right
after a 。 or ） stays in two lines, which the parser reads as one item anyway, while
joining two paragraphs would merge two fields.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from ..fields import LABEL
from ..numbering import match_number

_ENDS_CLAUSE = set("。；：！？;:!?）)】」』〕]")
_OPENERS = set("（(【「『“《〔[")
# Punctuation that typesetting never puts at the start of a line (禁则).
_NEVER_STARTS = set("，、。；：！？）】」』〕》”,.;:!?)")
_PAGE_NUMBER = re.compile(  # matched against stripped text
    r"""(?:
        [-—–―－─·•=\s]*\d{1,4}[-—–―－─·•=\s]*
      | (?:共\s*\d{1,4}\s*页\s*[,，/／]?\s*)?第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?
      | \d{1,4}\s*[/／]\s*\d{1,4}
      | (?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?
    )""",
    re.X | re.I,
)
_MARGIN_BAND = 0.12  # share of the page height at the top and bottom for headers/footers
_FULL_SLACK = 2.0  # a line within this many character widths of the right edge is full
_CJK = (r"\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
        r"\uf900-\ufaff\uff00-\uffef")
_SPACED_OUT = re.compile(rf"(?:[{_CJK}]\s+){{2,}}[{_CJK}]")
_ASCII_WORD_END = re.compile(r"[A-Za-z]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z]")


@dataclass
class Line:
    text: str
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 10.0  # roughly the font size: the width of one CJK character
    table: int | None = None  # rows of one table share an id; rows are never joined
    header: bool = False  # the first row of its table


@dataclass
class PageLines:
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)


def assemble(pages: list[PageLines]) -> list[str]:
    """The text lines of a document, furniture removed and wrapped lines joined."""
    pages = strip_furniture(pages)
    drop_repeated_headers(pages)
    return join_wrapped(pages)


# -- furniture --------------------------------------------------------------------------
def strip_furniture(pages: list[PageLines]) -> list[PageLines]:
    running = _running_lines(pages)

    def furniture(line: Line, page: PageLines) -> bool:
        if line.table is not None:
            return False
        if len(line.text) < 40 and _PAGE_NUMBER.fullmatch(line.text.strip()):
            return True
        return _key(line.text) in running and _in_margin(line, page)

    result = []
    for page in pages:
        lines = list(page.lines)
        while lines and furniture(lines[0], page):
            lines.pop(0)
        while lines and furniture(lines[-1], page):
            lines.pop()
        result.append(PageLines(page.width, page.height, lines))
    return result


def _running_lines(pages: list[PageLines]) -> set[str]:
    """Texts that open or close at least half the pages (and two or more)."""
    counts: dict[str, int] = {}
    for page in pages:
        texts = [line for line in page.lines if line.table is None]
        candidates = {_key(line.text) for line in texts[:2] + texts[-2:]
                      if _in_margin(line, page)}
        for key in candidates:
            counts[key] = counts.get(key, 0) + 1
    needed = max(2, math.ceil(len(pages) / 2))
    return {key for key, count in counts.items() if count >= needed}


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _in_margin(line: Line, page: PageLines) -> bool:
    band = page.height * _MARGIN_BAND
    return line.top < band or line.bottom > page.height - band


def drop_repeated_headers(pages: list[PageLines]) -> None:
    """A table continued on the next page often repeats its header row there."""
    previous_header: str | None = None
    for page in pages:
        if page.lines and page.lines[0].header and page.lines[0].text == previous_header:
            page.lines.pop(0)
        previous_header = None
        if page.lines and page.lines[-1].table is not None:
            last_table = page.lines[-1].table
            previous_header = next((line.text for line in page.lines
                                    if line.table == last_table and line.header), None)


# -- joining wrapped lines -------------------------------------------------------------
@dataclass
class _Block:
    """The text block of a page: where lines start and where full lines end."""

    left: float
    right: float


def join_wrapped(pages: list[PageLines]) -> list[str]:
    blocks = _text_blocks(pages)
    indented = _first_lines_indented(pages, blocks)
    out: list[str] = []
    depth = 0  # brackets opened and not yet closed in out[-1]
    last: Line | None = None
    last_block = blocks[0] if blocks else None
    for page, block in zip(pages, blocks):
        for line in page.lines:
            if last is not None and _continues(last, last_block, line, block, indented,
                                               depth > 0):
                out[-1] = glue(out[-1], line.text)
                depth += _balance(line.text)
            else:
                out.append(line.text)
                depth = _balance(line.text)
            last, last_block = line, block
    return out


def _continues(a: Line, a_block: _Block, b: Line, b_block: _Block, indented: bool,
               unclosed: bool) -> bool:
    """Is line B the continuation of line A (`unclosed`: A's paragraph has an open
    bracket)?"""
    if a.table is not None or b.table is not None or not a.text or not b.text:
        return False
    if match_number(b.text.strip()) is not None:
        return False
    if _title_wraps(a, b, a_block) and a_block == b_block:
        return True
    if not _full(a, a_block):
        return False  # A ends short of the edge: the paragraph ended there
    # Inside brackets ("（责任部门：…；完成时间：" ↵ "2022年9月底前）") the sentence goes on.
    inside = a.text[-1] in _OPENERS or unclosed
    if LABEL.match(b.text) and not inside:
        return False
    if indented:
        # Paragraphs start indented, so a flush line continues one, whatever A ends with.
        return b.x0 <= b_block.left + 0.5 * b.size
    if b.x0 > b_block.left + 1.5 * b.size:
        return False
    return inside or b.text[0] in _NEVER_STARTS or a.text[-1] not in _ENDS_CLAUSE


def _title_wraps(a: Line, b: Line, block: _Block) -> bool:
    """Is B the second line of a centred title (关于开展2024年基层党组织星级评定工作的实 ↵ 施方案)? A 公文
    title of more than ~20 characters in its large type wraps onto a second centred line,
    which never reaches the text block's edge. Both lines centred in the block in one type
    size, B right below A, no wider and off the margin, A wide (most of the block, often all of
    it) and not a sentence's end; a centred date or 发文字号 below a title is in another size,
    and a bracket opens a date."""
    middle, width = (block.left + block.right) / 2, block.right - block.left
    centred = all(abs((line.x0 + line.x1) / 2 - middle) <= line.size for line in (a, b))
    return (centred and b.x0 > block.left + b.size and abs(a.size - b.size) <= 0.05 * a.size
            and 0 <= b.top - a.bottom <= b.size and b.x1 - b.x0 <= a.x1 - a.x0 and a.x1 - a.x0 >= 0.6 * width
            and a.text[-1] not in _ENDS_CLAUSE and b.text[0] not in _OPENERS)


def _balance(text: str) -> int:
    return text.count("（") + text.count("(") - text.count("）") - text.count(")")


def _full(line: Line, block: _Block) -> bool:
    return line.x1 >= block.right - _FULL_SLACK * line.size


def _first_lines_indented(pages: list[PageLines], blocks: list[_Block]) -> bool:
    """Does this document indent the first line of its paragraphs (as 公文 do)?

    Then the line after a paragraph's short last line is mostly indented. In documents
    without indents, or with hanging indents (continuation lines indented under the
    label), it mostly starts at the margin.
    """
    ends = indented = 0
    for page, block in zip(pages, blocks):
        body = [line for line in page.lines if line.table is None]
        for a, b in zip(body, body[1:]):
            if not _full(a, block):
                ends += 1
                indented += b.x0 > block.left + b.size
    return ends >= 2 and indented >= 0.6 * ends


def _text_blocks(pages: list[PageLines]) -> list[_Block]:
    """The text block of each page.

    The widest line of a page is not enough: a last page of short lines would make
    its longest short line "full". So the document's typical right edge (the upper
    median over pages) is used, and never less than the left margin mirrored on the
    right (text blocks are close to centred on the page). The left edge is the
    document's too, unless a page has enough lines to tell its own (mirrored margins).
    """
    rights, lefts = [], []
    for page in pages:
        body = [line for line in page.lines if line.table is None]
        if body:
            rights.append(max(line.x1 for line in body))
            lefts.append(min(line.x0 for line in body))
    if not rights:
        return [_Block(0.0, 0.0) for _ in pages]
    right = sorted(rights)[len(rights) // 2]
    left = sorted(lefts)[len(lefts) // 2]
    blocks = []
    for page in pages:
        body = [line for line in page.lines if line.table is None]
        own_left = min(line.x0 for line in body) if len(body) >= 5 else left
        blocks.append(_Block(own_left, max(right, page.width - left)))
    return blocks


def glue(before: str, after: str) -> str:
    """Join two pieces of a wrapped line: no space in Chinese, one between words."""
    if _ASCII_WORD_END.search(before) and _ASCII_WORD_START.search(after):
        return f"{before} {after}"
    return before + after


def join_cell(text: str) -> str:
    """A table cell's wrapped lines as one line."""
    pieces = [piece.strip() for piece in text.split("\n") if piece.strip()]
    joined = ""
    for piece in pieces:
        joined = glue(joined, piece) if joined else piece
    return joined


# -- characters -------------------------------------------------------------------------
def fix_line(text: str) -> str:
    """Undo two PDF artefacts in one extracted line.

    * Kangxi radicals and CJK compatibility ideographs: many PDF fonts map 一 to U+2F00
      "⼀" or 生 to U+2F63 "⽣"; they look the same and match nothing. NFKC maps them
      back; it is applied to those blocks only, so full-width punctuation (which the
      parser knows) stays as written.
    * Letter-spaced headings ("工 作 要 点"): a line of single CJK characters
      separated by spaces is closed up.
    """
    text = "".join(_unify(ch) for ch in text)
    if _SPACED_OUT.fullmatch(text.strip()):
        text = re.sub(r"\s+", "", text)
    return text


def _unify(ch: str) -> str:
    code = ord(ch)
    if 0x2E80 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF:
        return unicodedata.normalize("NFKC", ch)
    return ch
