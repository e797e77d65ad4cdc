"""Word 97–2003 plans (.doc, and WPS Office's .wps, which is the same format inside).

No well-kept Python library reads this format's text (textract shells out to antiword,
a C program PlanBot cannot count on), so this follows the documented way, [MS-DOC]
2.4.1 "Retrieving Text": `olefile` opens the compound file; the FIB at the start of the
WordDocument stream says which table stream holds the piece table (fWhichTblStm) and
where (fcClx/lcbClx); each piece is a run of the main text stored either compressed
(one byte a character, cp1252 with [MS-DOC]'s own mapping of 0x80–0x9F) or as UTF-16LE.
Chinese text is always in UTF-16 pieces.

Word's special characters become what the other readers give:

* \\r (paragraph end) a new line; \\x0b (line break) and \\x0c (page or section break)
  a new line too;
* table cells end with \\x07 and a row with one more \\x07; which \\x07 ends a row, and
  the row's cell boundaries and vertical merges, come from the paragraph properties
  (doc_papx.py), and rows are laid out as docx.py lays them (grid.py);
* a field (\\x13 code \\x14 result \\x15) gives its result, never its code (a page
  number, a hyperlink's text, a date: not PAGE or HYPERLINK "…");
* objects (\\x01 picture, \\x08 drawing) and footnote/comment marks are dropped;
* tracked deletions and hidden text, still in the text stream, are dropped (doc_chpx.py);
* the numbers Word's lists draw, which are not in the text stream, are put back from
  the list tables (doc_lists.py), as docx_lists.py does for a .docx.

Only the main text is read: headers, footers, footnotes, comments and text boxes are
stored after it and left out, as docx.py leaves them out. An encrypted file is refused
with what to do; anything malformed is a PlanFileError, never a crash.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from ...errors import PlanFileError
from .advice import DOCX_ADVICE
from .doc_chpx import Chpx
from .doc_lists import ListNumbers
from .doc_papx import Papx, Para
from .grid import Cell, edged_table_lines
from .text import clean_text

ENCRYPTED = "文件已加密，无法读取（请先在 Word 或 WPS 中取消密码，再发送）"
TOO_OLD = f"这是 Word 95 或更早版本的文档，无法读取，{DOCX_ADVICE}"
EMPTY = "这个 Word 文档里没有文字"

_WORD_IDENT = 0xA5EC
_NFIB_WORD97 = 0x00C0  # Word 97 and later write 0x00C1 (some builds 0x00C0/0x00C2) or more
_F_ENCRYPTED = 0x0100
_F_WHICH_TABLE = 0x0200
# Pair indexes in FibRgFcLcb97.
_FIB_RG_FC_LCB = {"plcf_bte_chpx": 12, "plcf_bte_papx": 13, "clx": 33, "plf_lst": 73, "plf_lfo": 74}
# Characters [MS-DOC] 2.4.1 maps differently from Python's cp1252 in compressed pieces
# (cp1252 leaves these bytes undefined; Word means the Unicode C1 characters).
_COMPRESSED_EXTRA = {0x81: "\x81", 0x8D: "\x8d", 0x8F: "\x8f", 0x90: "\x90", 0x9D: "\x9d"}

_FIELD_START, _FIELD_SEPARATOR, _FIELD_END = "\x13", "\x14", "\x15"
_CELL = "\x07"
_PARAGRAPH = "\r"
_NEW_LINE = {"\x0b": "\n", "\x0c": "\n", "\x0e": "\n"}  # line, page/section, column breaks
_TEXT = {"\t": "\t", "\x1e": "-", "\xa0": " "}  # tab, non-breaking hyphen, non-breaking space


def read_doc(name: str, data: bytes) -> str:
    """The plan text of a Word 97–2003 file; raises PlanFileError."""
    word, table, extra = _streams(name, data)
    fib = _fib(name, word)
    chars = _main_text(name, word, table, fib)
    shown = _visible(chars, Chpx(word, table, *fib.chpx))
    numbers = ListNumbers.of(table, *fib.lists)
    lines = (line.strip() for block in _lines(shown, Papx(word, table, extra, *fib.papx), numbers)
             for line in block.split("\n"))
    # Empty paragraphs are dropped and lines stripped, as docx.py does: the same plan
    # saved as .doc and as .docx reads the same.
    text = clean_text("\n".join(line for line in lines if line))
    if not text:
        raise PlanFileError(name, EMPTY)
    return text


# -- the compound file and the FIB --------------------------------------------------------
def _streams(name: str, data: bytes) -> tuple[bytes, bytes, bytes]:
    """The WordDocument stream, the FIB's table stream (0Table or 1Table) and the Data
    stream (empty when there is none)."""
    import olefile

    try:
        # DEFECT_INCORRECT: a cut-off file or a FAT pointing outside it is an error, not
        # a file with missing streams (olefile's default is to go on).
        with olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT) as ole:
            if not ole.exists("WordDocument"):
                raise PlanFileError(name, _not_word(name))
            word = ole.openstream("WordDocument").read()
            table_name = "1Table" if _flags(name, word) & _F_WHICH_TABLE else "0Table"
            if not ole.exists(table_name):
                raise PlanFileError(name, invalid(name))
            extra = ole.openstream("Data").read() if ole.exists("Data") else b""
            return word, ole.openstream(table_name).read(), extra
    except (OSError, ValueError, struct.error, IndexError) as error:  # olefile's own errors are OSErrors
        raise PlanFileError(name, invalid(name)) from error


def _flags(name: str, word: bytes) -> int:
    """FibBase's flags, once the FIB is known to be Word 97's and the file not encrypted
    (Word 6/95 files, with a FIB of their own, have no table stream to look for)."""
    if len(word) < 0x20:
        raise PlanFileError(name, invalid(name))
    ident, nfib = struct.unpack_from("<HH", word, 0)
    if ident != _WORD_IDENT:
        raise PlanFileError(name, invalid(name))
    if nfib < _NFIB_WORD97:
        raise PlanFileError(name, TOO_OLD)
    flags = struct.unpack_from("<H", word, 0x0A)[0]
    if flags & _F_ENCRYPTED:
        raise PlanFileError(name, ENCRYPTED)
    return flags


def invalid(name: str) -> str:
    """A damaged file's reason, in the name the user gave it."""
    return "不是有效的 WPS 文字文档（.wps）" if _is_wps(name) else "不是有效的 Word 文档（.doc）"


def _is_wps(name: str) -> bool:
    return name.lower().endswith(".wps")


def _not_word(name: str) -> str:
    """A compound file without Word's text: a .wps of WPS's own older format or of
    Microsoft Works, or another program's file given a Word name."""
    if _is_wps(name):
        return f"这个 .wps 不是 Word 97–2003 格式（可能是 WPS 早期版本的文档），{DOCX_ADVICE}"
    return f"文件里没有 Word 正文（可能是其他程序的文件），{DOCX_ADVICE}"


@dataclass
class Fib:
    ccp_text: int  # characters of main text
    clx: tuple[int, int]  # (fc, lcb) of the piece table in the table stream
    papx: tuple[int, int]  # (fc, lcb) of PlcBtePapx in the table stream
    chpx: tuple[int, int]  # (fc, lcb) of PlcBteChpx in the table stream
    lists: tuple[tuple[int, int], tuple[int, int]]  # PlfLst's and PlfLfo's (fc, lcb): numbering


def _fib(name: str, word: bytes) -> Fib:
    """FibBase, then FibRgW97 (csw words), FibRgLw97 (cslw longs) and FibRgFcLcb97, each
    after its count: the counts, not fixed offsets, say where each part starts."""
    try:
        at = 0x20
        csw = struct.unpack_from("<H", word, at)[0]
        at += 2 + 2 * csw
        cslw = struct.unpack_from("<H", word, at)[0]
        lw = at + 2
        ccp_text = struct.unpack_from("<i", word, lw + 12)[0]  # FibRgLw97.ccpText
        at = lw + 4 * cslw
        pairs = struct.unpack_from("<H", word, at)[0]
        blob = at + 2
        if pairs <= _FIB_RG_FC_LCB["clx"]:
            raise PlanFileError(name, invalid(name))

        def pair(index: int) -> tuple[int, int]:
            return struct.unpack_from("<II", word, blob + 8 * index)

        lists = (pair(_FIB_RG_FC_LCB["plf_lst"]), pair(_FIB_RG_FC_LCB["plf_lfo"])) \
            if pairs > _FIB_RG_FC_LCB["plf_lfo"] else ((0, 0), (0, 0))
        return Fib(ccp_text, pair(_FIB_RG_FC_LCB["clx"]), pair(_FIB_RG_FC_LCB["plcf_bte_papx"]),
                   pair(_FIB_RG_FC_LCB["plcf_bte_chpx"]), lists)
    except struct.error as error:
        raise PlanFileError(name, invalid(name)) from error


# -- the text -------------------------------------------------------------------------------
def _main_text(name: str, word: bytes, table: bytes, fib: Fib) -> list[tuple[str, int]]:
    """The main document's characters, each with its position (FC) in WordDocument."""
    fc_clx, lcb_clx = fib.clx
    if lcb_clx <= 0 or fc_clx + lcb_clx > len(table) or fib.ccp_text < 0:
        raise PlanFileError(name, invalid(name))
    chars: list[tuple[str, int]] = []
    for cp_start, cp_end, fc, compressed in _pieces(name, table[fc_clx:fc_clx + lcb_clx]):
        end = min(cp_end, fib.ccp_text)
        if cp_start >= end:
            continue
        count = end - cp_start
        width = 1 if compressed else 2
        raw = word[fc:fc + count * width]
        if len(raw) < count * width:
            raise PlanFileError(name, f"{invalid(name)}（文件可能已损坏）")
        text = _decode_compressed(raw) if compressed else raw.decode("utf-16-le", "replace")
        chars.extend((ch, fc + i * width) for i, ch in enumerate(text))
    return chars


def _pieces(name: str, clx: bytes):
    """(cp start, cp end, fc, compressed) of each piece: the Pcdt after any Prc's."""
    i = 0
    while i < len(clx) and clx[i] == 0x01:  # Prc: clxt, cbGrpprl, GrpPrl
        if i + 3 > len(clx):
            break
        i += 3 + struct.unpack_from("<h", clx, i + 1)[0]
    if i + 5 > len(clx) or clx[i] != 0x02:
        raise PlanFileError(name, invalid(name))
    lcb = struct.unpack_from("<I", clx, i + 1)[0]
    plc = clx[i + 5:i + 5 + lcb]
    count = (len(plc) - 4) // 12
    if count <= 0:
        raise PlanFileError(name, invalid(name))
    cps = struct.unpack_from(f"<{count + 1}I", plc, 0)
    for n in range(count):
        fc_compressed = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * n + 2)[0]
        compressed = bool(fc_compressed & 0x40000000)
        fc = fc_compressed & 0x3FFFFFFF
        yield cps[n], cps[n + 1], fc // 2 if compressed else fc, compressed


def _decode_compressed(raw: bytes) -> str:
    return "".join(_COMPRESSED_EXTRA.get(b) or bytes([b]).decode("cp1252", "replace") for b in raw)


# -- paragraphs and tables --------------------------------------------------------------------
def _lines(chars, papx: Papx, numbers: ListNumbers):
    """Paragraphs as lines, table rows as TAB-joined lines (through grid.py)."""
    paragraph: list[str] = []
    cell: list[str] = []  # paragraphs of the cell being read
    row: list[Cell] = []
    rows: list[tuple[list[Cell], list[int]]] = []  # the table being read
    previous_mark = ""
    for ch, fc in chars:
        if ch not in (_PARAGRAPH, _CELL):
            paragraph.append(ch)
            continue
        para = papx.at(fc) or _guess(ch, previous_mark, paragraph)
        previous_mark = ch
        text, paragraph = "".join(paragraph), []
        # Every numbered paragraph is counted, an empty one too (Word numbers it); its label
        # shows on a paragraph with text, or in a cell (a 序号 column's bare number).
        label = numbers.label(para.ilfo, para.ilvl) if para.ilfo > 0 else ""
        if label and (text.strip() or para.in_table):
            text = label + text.lstrip()
        if ch == _CELL and para.row_end:
            rows.append(_row(row, para))
            row = []
        elif ch == _CELL and not para.inner:
            row.append(Cell(lines=cell + [text]))
            cell = []
        elif para.in_table:
            cell.append(text)  # a paragraph inside a cell (also a nested table's)
        else:
            if rows:
                yield from edged_table_lines(rows)
                rows = []
            yield text
    if rows:
        yield from edged_table_lines(rows)
    yield "".join(paragraph)


def _guess(ch: str, previous_mark: str, paragraph: list[str]) -> Para:
    """Properties for a mark no PAPX run covers: a \\x07 right after a cell's \\x07 with no
    text between ends the row."""
    row_end = ch == _CELL and previous_mark == _CELL and not paragraph
    return Para(in_table=ch == _CELL, row_end=row_end)


def _row(cells: list[Cell], para: Para) -> tuple[list[Cell], list[int]]:
    """The row's cells with their vertical merges, and its cell boundaries when they
    match its cells."""
    for index, cell in enumerate(cells):
        cell.continues = para.merges.get(index) == 1
    return cells, para.bounds if len(para.bounds) == len(cells) + 1 else []


def _visible(chars: list[tuple[str, int]], chpx: Chpx | None = None):
    """The characters a reader sees: field results without their codes, special
    characters as text or dropped, no deleted or hidden text (paragraph and cell marks
    stay: they hold the document's shape)."""
    fields: list[bool] = []  # one per open field: True once past its separator
    for ch, fc in chars:
        if ch == _FIELD_START:
            fields.append(False)
        elif ch == _FIELD_SEPARATOR:
            if fields:
                fields[-1] = True
        elif ch == _FIELD_END:
            if fields:
                fields.pop()
        elif ch in (_PARAGRAPH, _CELL):
            if all(fields):
                yield ch, fc
        elif all(fields) and not (chpx and chpx.hidden(fc)):
            if ch in _NEW_LINE:
                yield _NEW_LINE[ch], fc
            elif ch in _TEXT:
                yield _TEXT[ch], fc
            elif ch >= " ":
                yield ch, fc
