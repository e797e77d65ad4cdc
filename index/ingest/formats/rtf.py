"""RTF plans (.rtf; also a .doc that is RTF inside, as Word and many sites save them).

Read here rather than with striprtf (PyPI), which was checked and gets Chinese RTF wrong
where it matters: it decodes \\'xx bytes in the code page of the current \\f font and
falls back to cp1252, not to the document's \\ansicpg936, so GBK bytes written under a
Latin font with a Chinese \\dbch\\af font (as Word writes them) come out as "Ò»¡¢"
mojibake; and its tables are "|"-joined cells with a cell's paragraphs on lines of
their own and no merged cells, not the rows the other readers give.

What is read, per the RTF 1.9 specification:

* text bytes and \\'xx escapes in the code page of the current font's \\fcharset (or
  \\cpg), else of the associated \\af font while \\dbch is on, else the document's
  \\ansicpg; \\uN characters (skipping their \\ucN fallback characters);
* \\par a new line, \\line and \\page a line break, \\tab a TAB;
* tables: \\intbl paragraphs, \\cell and \\row ends, \\cellx edges and \\clvmrg
  vertical merges, laid out as docx.py lays a table (grid.py);
* a field's result (\\fldrslt), never its code (\\fldinst); a list's number (\\listtext);
* not hidden text (\\v) nor a tracked deletion (\\deleted), which docx.py leaves out too;
* not read: destinations ({\\* …}, font and style tables, headers, footers, footnotes,
  comments, pictures (\\bin data skipped), objects, shapes' text).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field, replace

from ...errors import PlanFileError
from .grid import Cell, edged_table_lines
from .text import clean_text

_TOKEN = re.compile(rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|[\r\n]+|([^\\{}\r\n]+)",
                    re.S)
# Destinations whose text is not the document's (or is read specially: fonttbl, listtext).
_SKIPPED = frozenset((
    "fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "header", "headerl", "headerr",
    "headerf", "footer", "footerl", "footerr", "footerf", "footnote", "annotation", "fldinst",
    "listtable", "listoverridetable", "rsidtbl", "generator", "themedata", "colorschememapping",
    "latentstyles", "datastore", "xmlnstbl", "revtbl", "filetbl", "pgdsctbl", "shp", "shpinst",
    "shptxt", "nonshppict", "pntxta", "pntxtb", "pn", "atnid", "atnauthor", "template",
    "userprops", "docvar", "bkmkstart", "bkmkend", "xe", "tc", "txe", "rxe", "ftnsep", "ftnsepc",
    "aftnsep", "aftnsepc", "mmathPr", "wgrffmtfilter", "defchp", "defpap", "falt", "panose",
    "fname", "listpicture", "nesttableprops",
))
_SYMBOLS = {"line": "\n", "page": "\n", "column": "\n", "tab": "\t", "emdash": "\u2014",
            "endash": "\u2013", "emspace": " ", "enspace": " ", "qmspace": " ", "bullet": "\u2022",
            "lquote": "\u2018", "rquote": "\u2019", "ldblquote": "\u201c", "rdblquote": "\u201d"}
_ESCAPED = {"~": " ", "_": "-", "-": "", "{": "{", "}": "}", "\\": "\\", "\t": "\t"}
# \fcharset values with a code page of their own; 0 (ANSI), 1 (default) and 2 (symbol)
# mean the document's \ansicpg.
_CHARSETS = {77: "mac_roman", 128: "cp932", 129: "cp949", 134: "gb18030", 136: "cp950",
             161: "cp1253", 162: "cp1254", 177: "cp1255", 178: "cp1256", 186: "cp1257",
             204: "cp1251", 222: "cp874", 238: "cp1250"}
_LABEL_END = tuple("、.．)）:：")
EMPTY = "这个 RTF 文档里没有文字"


@dataclass
class _Group:
    """What a group sets and its closing brace restores."""

    skip: bool = False  # inside a destination whose text is not read
    uc: int = 1  # fallback characters after a \uN
    font: int | None = None
    assoc_font: int | None = None  # \af: the font of double-byte text while \dbch is on
    dbch: bool = False
    hidden: bool = False  # \v (hidden text) or \deleted (a tracked deletion): not shown
    destination: str = ""  # "fonttbl", "listtext": read specially


@dataclass
class _Reader:
    code_page: str = "cp1252"
    fonts: dict[int, str] = field(default_factory=dict)  # font number -> code page
    out: list[str] = field(default_factory=list)  # the paragraph being read
    raw: bytearray = field(default_factory=bytearray)  # undecoded bytes of the current run
    skip_fallback: int = 0  # \uN fallback characters still to skip
    in_table: bool = False  # \intbl: paragraphs belong to a cell
    cell: list[str] = field(default_factory=list)  # paragraphs of the cell being read
    row: list[Cell] = field(default_factory=list)
    edges: list[int] = field(default_factory=list)  # \trleft, then each \cellx
    merges: list[bool] = field(default_factory=list)  # per \cellx: continues a vertical merge
    pending_merge: bool = False
    rows: list[tuple[list[Cell], list[int]]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    font_number: int | None = None  # the font table entry being read
    label: list[str] = field(default_factory=list)  # a \listtext group's text


def read_rtf(name: str, data: bytes) -> str:
    """The plan text of an RTF file; raises PlanFileError."""
    reader = _Reader()
    _walk(reader, data)
    _paragraph_end(reader)
    _flush_table(reader)
    lines = (line.strip() for block in reader.lines for line in block.split("\n"))
    text = "\n".join(line for line in lines if line)
    # A character beyond U+FFFF is written as two \uN halves (a surrogate pair): join them;
    # a half alone becomes U+FFFD.
    text = clean_text(text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace"))
    if not text:
        raise PlanFileError(name, EMPTY)
    return text


def _walk(reader: _Reader, data: bytes) -> None:
    stack: list[_Group] = []
    group = _Group()
    at = 0
    while at < len(data):
        match = _TOKEN.match(data, at)
        if match is None:  # a lone backslash at the very end
            break
        at = match.end()
        word, arg, hexa, symbol, brace, text = match.groups()
        if hexa is not None:
            if reader.skip_fallback:
                reader.skip_fallback -= 1
            elif not (group.skip or group.hidden):
                reader.raw.append(int(hexa, 16))
            continue
        if text is not None:
            _text(reader, group, text)
            continue
        if not (word or brace or symbol):
            continue
        _decode(reader, group)
        if brace == b"{":
            reader.skip_fallback = 0
            stack.append(group)
            group = replace(group)  # a group inside a destination is still in it
        elif brace == b"}":
            reader.skip_fallback = 0
            _group_end(reader, group)
            if not stack:
                break  # the document's group is closed: what follows is not RTF's
            group = stack.pop()
        elif symbol is not None:
            _symbol(reader, group, symbol.decode("latin-1"))
        elif word is not None:
            number = int(arg) if arg else None
            if word == b"bin" and number and number > 0:
                at += number  # binary picture data: never text, whatever its bytes
                continue
            _control(reader, group, word.decode("ascii"), number)
        # [\r\n]+: line ends of the RTF file itself, nothing (they may fall between the
        # two bytes of a Chinese character, so they do not end a run of bytes either)


def _text(reader: _Reader, group: _Group, text: bytes) -> None:
    if reader.skip_fallback:
        dropped = min(reader.skip_fallback, len(text))
        reader.skip_fallback -= dropped
        text = text[dropped:]
    if not (group.skip or group.hidden):
        reader.raw.extend(text)


def _decode(reader: _Reader, group: _Group) -> None:
    """The bytes read so far, in the code page of where they stand."""
    if reader.raw:
        text = bytes(reader.raw).decode(_code_page(reader, group), "replace")
        reader.raw.clear()
        (reader.label if group.destination == "listtext" else reader.out).append(text)


def _code_page(reader: _Reader, group: _Group) -> str:
    if group.dbch and group.assoc_font in reader.fonts:
        return reader.fonts[group.assoc_font]
    return reader.fonts.get(group.font, reader.code_page)


def _emit(reader: _Reader, group: _Group, text: str) -> None:
    if not (group.skip or group.hidden):
        (reader.label if group.destination == "listtext" else reader.out).append(text)


def _symbol(reader: _Reader, group: _Group, symbol: str) -> None:
    if symbol == "*":
        group.skip = True  # {\* …}: a destination a reader may ignore
    elif symbol in _ESCAPED:
        if reader.skip_fallback:
            reader.skip_fallback -= 1
        else:
            _emit(reader, group, _ESCAPED[symbol])
    elif symbol in "\r\n":
        _paragraph_end(reader)  # "\" before a line end means \par


def _control(reader: _Reader, group: _Group, word: str, number: int | None) -> None:
    if reader.skip_fallback:  # a control word counts as one fallback character
        reader.skip_fallback -= 1
        return
    if group.skip and group.destination != "fonttbl":
        return  # a skipped destination's controls (a nested table's \cellx …) are not the text's
    if word in _SKIPPED:
        group.skip = True
        group.destination = word
        return
    handler = _CONTROLS.get(word)
    if handler:
        handler(reader, group, number)
    elif word in _SYMBOLS:
        _emit(reader, group, _SYMBOLS[word])


def _unicode(reader: _Reader, group: _Group, number: int | None) -> None:
    if number is None:
        return
    code = number + 0x10000 if number < 0 else number  # RTF writes 16-bit values signed
    if code <= 0xFFFF:
        _emit(reader, group, chr(code))
    reader.skip_fallback = group.uc


def _font(reader: _Reader, group: _Group, number: int | None) -> None:
    if group.destination == "fonttbl":
        reader.font_number = number  # the entry whose \fcharset follows
    else:
        group.font = number


def _charset(reader: _Reader, group: _Group, number: int | None) -> None:
    page = _CHARSETS.get(number or 0)
    if reader.font_number is not None and page:
        reader.fonts[reader.font_number] = page


def _font_code_page(reader: _Reader, group: _Group, number: int | None) -> None:
    page = f"cp{number}"
    if reader.font_number is not None and number not in (None, 0, 1252) and _known(page):
        reader.fonts[reader.font_number] = page


def _ansi_code_page(reader: _Reader, group: _Group, number: int | None) -> None:
    page = "gb18030" if number == 936 else f"cp{number}"
    if _known(page):
        reader.code_page = page


def _known(page: str) -> bool:
    try:
        codecs.lookup(page)
    except LookupError:
        return False
    return True


def _group_end(reader: _Reader, group: _Group) -> None:
    if group.destination == "fonttbl":
        reader.font_number = None
    elif group.destination == "listtext" and reader.label:
        label = "".join(reader.label).strip()
        reader.label.clear()
        if label:  # "1." + "加强…" → "1.加强…"; "第一条" + "…" → "第一条 …", as docx.py
            reader.out.append(label if label.endswith(_LABEL_END) else label + " ")


# -- paragraphs and tables ------------------------------------------------------------------
def _paragraph_end(reader: _Reader) -> None:
    text = "".join(reader.out)
    reader.out.clear()
    if reader.in_table:
        reader.cell.append(text)
        return
    _flush_table(reader)
    reader.lines.append(text)


def _cell_end(reader: _Reader, group: _Group, number: int | None) -> None:
    reader.cell.append("".join(reader.out))
    reader.out.clear()
    reader.row.append(Cell(lines=reader.cell))
    reader.cell = []


def _row_end(reader: _Reader, group: _Group, number: int | None) -> None:
    if "".join(reader.out).strip() or reader.cell:  # text after the last \cell: one more cell
        _cell_end(reader, group, number)
    cells = reader.row
    for cell, continues in zip(cells, reader.merges):
        cell.continues = continues
    edges = reader.edges if len(reader.edges) == len(cells) + 1 else []
    reader.rows.append((cells, edges))
    reader.row = []
    reader.in_table = False  # until the next row's \intbl


def _flush_table(reader: _Reader) -> None:
    if reader.row:  # a row never ended by \row
        _row_end(reader, _Group(), None)
    if reader.rows:
        reader.lines.extend(edged_table_lines(reader.rows))
        reader.rows = []


def _row_start(reader: _Reader, group: _Group, number: int | None) -> None:
    reader.edges, reader.merges, reader.pending_merge = [0], [], False


def _row_left(reader: _Reader, group: _Group, number: int | None) -> None:
    if reader.edges and not reader.merges:
        reader.edges[0] = number or 0


def _cell_edge(reader: _Reader, group: _Group, number: int | None) -> None:
    reader.edges.append(number or 0)
    reader.merges.append(reader.pending_merge)
    reader.pending_merge = False


def _continues_merge(reader: _Reader, group: _Group, number: int | None) -> None:
    reader.pending_merge = True


def _set(attribute: str, value):
    def handler(reader: _Reader, group: _Group, number: int | None) -> None:
        setattr(group, attribute, value(number))
    return handler


def _in_table(reader: _Reader, group: _Group, number: int | None) -> None:
    reader.in_table = number != 0


def _plain_paragraph(reader: _Reader, group: _Group, number: int | None) -> None:
    if group.destination != "listtext":  # a list number's own \pard is not the paragraph's
        reader.in_table = False  # \pard: paragraph defaults, out of the table until \intbl


def _list_text(reader: _Reader, group: _Group, number: int | None) -> None:
    group.destination = "listtext"


_CONTROLS = {
    "u": _unicode, "uc": _set("uc", lambda n: max(n or 0, 0)),
    "f": _font, "af": _set("assoc_font", lambda n: n), "fcharset": _charset, "cpg": _font_code_page,
    "ansicpg": _ansi_code_page, "dbch": _set("dbch", lambda n: True),
    "loch": _set("dbch", lambda n: False), "hich": _set("dbch", lambda n: False),
    "v": _set("hidden", lambda n: n != 0), "deleted": _set("hidden", lambda n: n != 0),
    "plain": _set("hidden", lambda n: False),
    "par": lambda r, g, n: _paragraph_end(r), "sect": lambda r, g, n: _paragraph_end(r),
    "intbl": _in_table, "pard": _plain_paragraph, "cell": _cell_end, "row": _row_end,
    "nestcell": lambda r, g, n: _paragraph_end(r), "nestrow": lambda r, g, n: None,
    "trowd": _row_start, "trleft": _row_left, "cellx": _cell_edge, "clvmrg": _continues_merge,
    "listtext": _list_text, "pntext": _list_text,
}