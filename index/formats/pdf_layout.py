"""From positioned PDF lines to paragraph lines: no page furniture, no wrapped sentences.

Pure functions on `Line`s (text plus position), kept apart from pdfplumber so each
rule can be tested on its own.

Page furniture: a page number ("— 3 —", "- 3 -", "第 3 页 共 10 页", "3/10", a lone
number) as the first or last line of a page; a running header or footer: a line in the
top or bottom margin band whose text (digits ignored) opens or closes at least half
the pages.

Wrapped lines: line A is joined with the next line B when
  * A does not end a sentence or clause (。；：！？ or a closing bracket),
  * A reaches the right edge of the text block (a wrapped line fills the width; this
    keeps "牵头单位：县乡村振兴局" from swallowing the "责任单位：…" line below it,
    and a centred title from swallowing the first paragraph),
  * B does not start with a numbering marker (一、 （一） 1. 1、 （1） ① 第X条),
  * neither is a table row.
This works across page breaks once the furniture between them is gone.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

_ENDS_CLAUSE = set("。；：！？;:!?）)】」』〕]")
_NUMBERING = re.compile(
    r"""\s*(?:
        [一二三四五六七八九十百]+\s*[、．.]
      | [（(]\s*[一二三四五六七八九十百\d]+\s*[）)]
      | \d{1,3}\s*(?:[、，]|[.．](?!\d))
      | \d{1,3}\s*[)）]
      | [①-⑳⑴-⒇⒈-⒛]
      | 第[一二三四五六七八九十百零〇\d]+[条章节部分款项]
    )""",
    re.X,
)
_PAGE_NUMBER = re.compile(
    r"""\s*(?:
        [-—–―－─·•=\s]*\d{1,4}[-—–―－─·•=\s]*
      | (?:共\s*\d{1,4}\s*页\s*[,，/／]?\s*)?第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?
      | \d{1,4}\s*[/／]\s*\d{1,4}
      | (?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?
    )\s*""",
    re.X | re.I,
)
_MARGIN_BAND = 0.12  # share of the page height at the top and bottom for headers/footers
_FULL_SLACK = 2.0  # a line within this many character widths of the right edge is full
_CJK = r"\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
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
        if _PAGE_NUMBER.fullmatch(line.text):
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
def join_wrapped(pages: list[PageLines]) -> list[str]:
    edges = _right_edges(pages)
    out: list[str] = []
    last: Line | None = None
    last_edge = 0.0
    for page, edge in zip(pages, edges):
        for line in page.lines:
            if last is not None and _continues(last, line, last_edge):
                out[-1] = glue(out[-1], line.text)
            else:
                out.append(line.text)
            last, last_edge = line, edge
    return out


def _continues(a: Line, b: Line, a_edge: float) -> bool:
    if a.table is not None or b.table is not None or not a.text or not b.text:
        return False
    if a.text[-1] in _ENDS_CLAUSE or _NUMBERING.match(b.text):
        return False
    return a.x1 >= a_edge - _FULL_SLACK * a.size


def _right_edges(pages: list[PageLines]) -> list[float]:
    """Where a full line ends on each page.

    The widest line of a page is not enough: a last page of short lines would make
    its longest short line "full". So the document's typical right edge (the upper
    median over pages) is used, and never less than the left margin mirrored on the
    right (text blocks are close to centred on the page).
    """
    rights, lefts = [], []
    for page in pages:
        body = [line for line in page.lines if line.table is None]
        if body:
            rights.append(max(line.x1 for line in body))
            lefts.append(min(line.x0 for line in body))
    if not rights:
        return [0.0] * len(pages)
    right = sorted(rights)[len(rights) // 2]
    left = sorted(lefts)[len(lefts) // 2]
    return [max(right, page.width - left) for page in pages]


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
