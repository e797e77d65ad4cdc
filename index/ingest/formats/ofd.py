"""OFD plans (.ofd, GB/T 33190-2016: the national fixed-layout format that government offices
send instead of PDF): the text layer, laid out as pdf.py lays out a PDF's.

No library: PyPI's OFD packages render pages, so they pull in renderers, fonts and image or
PDF libraries (PyMuPDF, reportlab, Pillow…), while PlanBot needs only the text, which is in
a few XML parts of a zip. zipfile and xml.etree.ElementTree (stdlib) read it; expat resolves
no external entities, and a part with a DTD is refused outright (OFD never has one).

The package: OFD.xml names the document (the first DocBody's DocRoot, e.g. Doc_0/Document.xml);
Document.xml gives the default page box, the template pages and the pages in order; a
page's Content.xml holds layers of objects. Only TextObjects are read (also inside
PageBlocks; paths, images and composite objects are drawings), with the text of the
template pages a page uses, since running headers and footers live there: they are dropped
as furniture as a PDF's are. A TextObject places its TextCodes in its own coordinates: a
point (X, Y) of a TextCode (the first character's baseline) is on the page at the
Boundary's origin plus the CTM applied to it; DeltaX/DeltaY are the advances between
characters ("g N d": N advances of d). Characters are grouped into lines by baseline,
sorted by x, and given a space only where the gap is wider than half a character (pdf.py's
tolerance: CJK text gets none); then `pdf_layout.assemble` and `clean_text` do what they do
for a PDF: page numbers and running headers go, wrapped lines are joined. Speed: ~55 pages
a second drawn one object per character, ~240 drawn a line an object (an 84-page plan:
1.5 s and 0.35 s), as fast as the PDF reader or faster.

Limitations: no OCR (a scan, pages of pictures with no text or nearly none, is refused
with a reason that says to send the text version); one column of text; tables come out
as lines of text (a cell gap as a space), not as TAB-joined rows; text drawn only as glyph
indices (CGTransform) without its Unicode text cannot be read (refused when it outnumbers
readable characters); vertical and rotated text is not put in reading order; a
character's width is estimated (CJK: its size, others half) where no DeltaX gives it, so
Latin words drawn without space characters may run together; annotations, seals
(Signs), attachments and form fields are not read; only the first document of a package;
an encrypted package (GM/T 0099: Encryptions.xml) is refused.
"""

from __future__ import annotations

import codecs
import io
import math
import posixpath
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass

from ...errors import PlanFileError
from .advice import OFD_ADVICE
from .pdf_layout import Line, PageLines, assemble, fix_line
from .sniff import MAX_UNZIPPED, check_unzipped_size
from .text import clean_text

INVALID = "不是有效的 OFD 文件"
DAMAGED = f"{INVALID}（文件可能已损坏）"
ENCRYPTED = f"文件已加密，无法读取（{OFD_ADVICE}）"
SCANNED = "这是扫描件（图片）OFD 文件，没有可读的文字，请发送文字版 PDF 或 Word 文件"
NO_UNICODE = "这个 OFD 文件的文字只有字形、没有文字编码，无法提取文字（请从原文件重新导出）"
NO_PAGES = "这个 OFD 文件里没有页面"
TOO_BIG = "文件解压后过大，无法读取"  # sniff.check_unzipped_size's words
# As pdf.py: fewer characters than this a page on average is a scan (a page number, a seal).
_MIN_CHARS_PER_PAGE = 10
# One XML part: a page drawn one object per character takes ~500 bytes a character, well under
# 1 MB for a full page. ElementTree holds a parsed part in memory, ~25 times its size when it
# is all tiny elements: 8 MB bounds that near 200 MB.
_MAX_PART = 8 * 1024 * 1024
_MAX_PAGES = 5000  # a 100-page plan fits the upload limit; 5000 bounds the work per file
_A4 = (210.0, 297.0)  # mm: the box when the document names none
_GAP_RATIO = 0.5  # a gap wider than this share of the size is a space (pdf.py's x tolerance)
_BASELINE_RATIO = 0.3  # characters whose baselines differ by less share a line
_DOUBLE_RATIO = 0.3  # the same character drawn again this close: fake bold, one character
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']""")
# A DTD in a part, in UTF-8 (or GBK: the same bytes) or UTF-16.
_DTD_MARKS = tuple(mark.encode(encoding) for mark in ("<!DOCTYPE", "<!ENTITY")
                   for encoding in ("ascii", "utf-16-le", "utf-16-be"))
_UNREADABLE_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError)


@dataclass(slots=True)
class _Char:
    text: str
    x: float  # left edge on the page, mm
    right: float
    baseline: float
    size: float


def read_ofd(name: str, data: bytes) -> str:
    """The plan text of an .ofd; raises PlanFileError."""
    pages, unreadable = _read_pages(name, data)
    if not pages:
        raise PlanFileError(name, NO_PAGES)
    raw = "".join(line.text for page in pages for line in page.lines)
    private = sum(1 for ch in raw if _private(ch))  # a font's own codes, not text
    readable = len(re.sub(r"\s", "", raw)) - private
    if unreadable + private > readable:
        raise PlanFileError(name, NO_UNICODE)
    if readable < _MIN_CHARS_PER_PAGE * len(pages):
        raise PlanFileError(name, SCANNED)
    text = clean_text("\n".join(assemble(pages)))
    if not text.strip():
        raise PlanFileError(name, SCANNED)
    return text


def page_lines(name: str, data: bytes) -> list[PageLines]:
    """Each page's text lines, positioned in mm from the page's top left (what `assemble`
    takes); raises PlanFileError."""
    return _read_pages(name, data)[0]


def _read_pages(name: str, data: bytes) -> tuple[list[PageLines], int]:
    check_unzipped_size(name, data, INVALID)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            reader = _Reader(name, archive)
            return reader.pages(), reader.unreadable
    except zipfile.BadZipFile as error:
        raise PlanFileError(name, DAMAGED) from error


class _Reader:
    """One package's parts, read within a budget of bytes: every read counts, so a page list
    that names one big part a million times is refused like a zip bomb."""

    def __init__(self, name: str, archive: zipfile.ZipFile):
        self.name = name
        self.archive = archive
        self.entries = {info.filename: info for info in archive.infolist()}
        self.folded = {entry.lower(): entry for entry in self.entries}
        self.budget = MAX_UNZIPPED
        self.templates: dict[str, list[_Char]] = {}
        self.template_paths: dict[str, str] = {}
        self.unreadable = 0  # characters drawn as glyph indices only

    def pages(self) -> list[PageLines]:
        self._refuse_encrypted()
        document_path = self._document_path()
        document = self.xml(document_path)
        folder = posixpath.dirname(document_path)
        box = _box(document.findtext("CommonData/PageArea/PhysicalBox")) or _A4
        self.template_paths = {tpl.get("ID", ""): self.resolve(folder, tpl.get("BaseLoc"))
                               for tpl in document.iterfind("CommonData/TemplatePage") if tpl.get("BaseLoc")}
        paths = [self.resolve(folder, page.get("BaseLoc"))
                 for page in document.iterfind("Pages/Page") if page.get("BaseLoc")]
        if len(paths) > _MAX_PAGES:
            raise PlanFileError(self.name, f"页数过多（{len(paths)} 页，上限 {_MAX_PAGES} 页）")
        return [self._page(path, box) for path in paths]

    def _refuse_encrypted(self) -> None:
        """GM/T 0099 encrypts parts and describes it in Encryptions.xml; a zip's own
        encryption marks each entry. Either way the XML cannot be read."""
        if any(info.flag_bits & 0x1 for info in self.entries.values()) or \
                any(posixpath.basename(entry) == "encryptions.xml" for entry in self.folded):
            raise PlanFileError(self.name, ENCRYPTED)

    def _document_path(self) -> str:
        root = self.xml("OFD.xml")
        if root.find(".//Encryptions") is not None:
            raise PlanFileError(self.name, ENCRYPTED)
        # One package may hold several documents; a plan is the first.
        location = root.findtext("DocBody/DocRoot")
        if not location or not location.strip():
            raise PlanFileError(self.name, DAMAGED)
        return self.resolve("", location)

    def _page(self, path: str, box: tuple[float, float]) -> PageLines:
        content = self.xml(path)
        width, height = _box(content.findtext("Area/PhysicalBox")) or box
        chars = self.chars(content)
        for use in content.iterfind("Template"):
            chars += self._template(use.get("TemplateID", ""))
        return PageLines(width, height, _lines(chars))

    def _template(self, template_id: str) -> list[_Char]:
        """A template page's characters, read once however many pages use it; an unknown
        template draws nothing."""
        if template_id not in self.templates:
            path = self.template_paths.get(template_id)
            self.templates[template_id] = self.chars(self.xml(path)) if path else []
        return self.templates[template_id]

    def chars(self, page: ET.Element) -> list[_Char]:
        chars: list[_Char] = []
        for content in page.iterfind("Content"):
            for obj in content.iter("TextObject"):  # also inside PageBlocks, at any depth
                chars.extend(self._object_chars(obj))
        return chars

    def _object_chars(self, obj: ET.Element) -> list[_Char]:
        if (obj.get("Visible") or "").strip().lower() == "false":
            return []
        placed = _Placement.of(obj)
        if placed is None:
            return []
        chars: list[_Char] = []
        x = y = 0.0
        for code in obj.iterfind("TextCode"):
            # A TextCode without X or Y takes the previous one's (GB/T 33190, 11.3).
            x, y = _number(code.get("X"), x), _number(code.get("Y"), y)
            text = code.text or ""
            dxs, dys = _deltas(code.get("DeltaX"), len(text)), _deltas(code.get("DeltaY"), len(text))
            chars += placed.chars(text, x, y, dxs, dys)
        if not any(not ch.text.isspace() for ch in chars):
            # Glyph indices with no text to map them to: drawn, but not readable.
            self.unreadable += sum(len((cg.findtext("Glyphs") or "").split()) for cg in obj.iterfind("CGTransform"))
        return chars

    def resolve(self, folder: str, location: str | None) -> str:
        """A BaseLoc as an entry name: relative to the folder of the part that names it, or
        from the package's root when it starts with "/"."""
        location = (location or "").strip().replace("\\", "/")
        path = location.lstrip("/") if location.startswith("/") else posixpath.join(folder, location)
        path = posixpath.normpath(path)
        if path.startswith("..") or path == ".":
            raise PlanFileError(self.name, DAMAGED)
        return path

    def xml(self, path: str) -> ET.Element:
        """A part parsed, namespaces taken off the tags (producers disagree on prefixes and
        some write none)."""
        entry = self.entries.get(path) or self.entries.get(self.folded.get(path.lower(), ""))
        if entry is None:
            raise PlanFileError(self.name, DAMAGED)
        if entry.file_size > min(_MAX_PART, self.budget):
            raise PlanFileError(self.name, TOO_BIG)
        self.budget -= entry.file_size
        try:
            data = self.archive.read(entry)
        except _UNREADABLE_ZIP as error:
            raise PlanFileError(self.name, DAMAGED) from error
        root = _parse(self.name, data)
        for element in root.iter():
            if "}" in element.tag:
                element.tag = element.tag.rpartition("}")[2]
        return root


def _parse(name: str, data: bytes) -> ET.Element:
    # No entity may expand and no DTD be fetched: OFD parts declare neither.
    if any(mark in data for mark in _DTD_MARKS):
        raise PlanFileError(name, DAMAGED)
    try:
        return ET.fromstring(data)
    except (ET.ParseError, ValueError, LookupError):  # ValueError: an encoding expat cannot read
        pass
    # expat reads no multi-byte encoding but UTF-8/16; a part declared GBK is decoded here.
    declared = _ENCODING.match(data)
    try:
        return ET.fromstring(data.decode(codecs.lookup(declared[1].decode("ascii")).name))
    except (TypeError, LookupError, ValueError, ET.ParseError) as error:
        raise PlanFileError(name, DAMAGED) from error


@dataclass(slots=True)
class _Placement:
    """Where a TextObject's own coordinates land on the page: the Boundary's origin plus
    the CTM; `size` is the font size on the page (Size scaled by the CTM)."""

    ctm: tuple[float, ...]
    origin: tuple[float, float]
    own_size: float
    size: float

    @classmethod
    def of(cls, obj: ET.Element) -> _Placement | None:
        boundary = _numbers(obj.get("Boundary"), 4) or (0.0, 0.0, 0.0, 0.0)
        ctm = _numbers(obj.get("CTM"), 6) or (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        own_size = _number(obj.get("Size"), 3.5)  # 3.5 mm: 五号, when a producer leaves it out
        scale = math.sqrt(abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]))
        if scale <= 0 or own_size <= 0:
            return None  # drawn at no size: nothing shows
        return cls(ctm, (boundary[0], boundary[1]), own_size, own_size * scale)

    def point(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = self.ctm
        return self.origin[0] + a * x + c * y + e, self.origin[1] + b * x + d * y + f

    def chars(self, text: str, x: float, y: float, dxs: list[float], dys: list[float]) -> list[_Char]:
        chars = []
        for i, ch in enumerate(text):
            width = _width(ch) * self.own_size
            advance = _delta(dxs, i, width)
            if not _drawn(ch):  # a line break or a control character: it still has its advance
                x += advance
                y += _delta(dys, i, 0.0)
                continue
            # The glyph's own width, not its advance: letter spacing shows as a gap, as in a PDF.
            ink = min(width, advance) if advance > 0 else width
            left, baseline = self.point(x, y)
            right = self.point(x + ink, y)[0]
            chars.append(_Char(ch, min(left, right), max(left, right), baseline, self.size))
            x += advance
            y += _delta(dys, i, 0.0)
        return chars


def _delta(deltas: list[float], i: int, default: float) -> float:
    """The advance after character i. Some producers write fewer values than characters:
    the last one goes on (what readers do); without any, the character's own width (the
    standard would stack the glyphs, which no real file means)."""
    if i < len(deltas):
        return deltas[i]
    return deltas[-1] if deltas else default


def _deltas(value: str | None, needed: int) -> list[float]:
    """DeltaX/DeltaY: numbers, "g N d" standing for N times d; [] if malformed. Only the
    first `needed` are kept (the advances of a text that long): a "g 1000000000 5" or a
    list far longer than its text costs no more than its text."""
    limit = 3 * needed  # tokens: each advance takes at most three ("g 1 d")
    tokens = (value or "").split(None, limit)[:limit]
    out: list[float] = []
    i = 0
    try:
        while i < len(tokens) and len(out) < needed:
            if tokens[i] == "g":
                count = int(tokens[i + 1])
                out.extend([float(tokens[i + 2])] * max(0, min(count, needed - len(out))))
                i += 3
            else:
                out.append(float(tokens[i]))
                i += 1
    except (IndexError, ValueError):
        return []
    return out if math.isfinite(sum(out)) else []


def _width(ch: str) -> float:
    """A character's width in em: CJK and full-width forms (also the ambiguous ones, “”
    — …, which CJK fonts draw full width) 1, others ½."""
    return 1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5


def _drawn(ch: str) -> bool:
    """Not a control, format or unassigned code (private-use ones are counted, not dropped)."""
    return unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Cn")


def _private(ch: str) -> bool:
    return "\ue000" <= ch <= "\uf8ff"


def _numbers(value: str | None, count: int) -> tuple[float, ...] | None:
    """`count` numbers written in an attribute, or None (missing, malformed, infinite, NaN)."""
    parts = value.split() if value else ()
    if len(parts) != count:
        return None
    try:
        numbers = tuple(map(float, parts))
    except ValueError:
        return None
    return numbers if math.isfinite(sum(numbers)) else None  # NaN and infinity carry into the sum


def _number(value: str | None, default: float) -> float:
    if value is None:
        return default
    found = _numbers(value, 1)
    return found[0] if found else default


def _box(value: str | None) -> tuple[float, float] | None:
    box = _numbers(value, 4)
    return (box[2], box[3]) if box and box[2] > 0 and box[3] > 0 else None


# -- characters to lines -------------------------------------------------------------------
def _lines(chars: list[_Char]) -> list[Line]:
    lines = [line for row in _rows(chars) if (line := _line(row)) is not None]
    lines.sort(key=lambda line: line.bottom)
    return lines


def _rows(chars: list[_Char]) -> list[list[_Char]]:
    """Characters on one baseline (within a share of their size), whatever object drew them:
    a line is often one object per character."""
    rows: list[list[_Char]] = []
    for ch in sorted(chars, key=lambda ch: ch.baseline):
        row = rows[-1] if rows else None
        if row and ch.baseline - row[0].baseline <= _BASELINE_RATIO * min(ch.size, row[0].size):
            row.append(ch)
        else:
            rows.append([ch])
    return rows


def _line(row: list[_Char]) -> Line | None:
    row.sort(key=lambda ch: ch.x)
    kept: list[_Char] = []
    for ch in row:
        # Fake bold draws each character twice, a hair apart: read it once.
        if kept and ch.text == kept[-1].text and ch.x - kept[-1].x < _DOUBLE_RATIO * ch.size:
            continue
        kept.append(ch)
    while kept and kept[0].text.isspace():
        kept.pop(0)
    while kept and kept[-1].text.isspace():
        kept.pop()
    if not kept:
        return None
    parts = [kept[0].text]
    for before, ch in zip(kept, kept[1:]):
        gap = ch.x - before.right
        if gap > _GAP_RATIO * max(before.size, ch.size) and not before.text.isspace() and not ch.text.isspace():
            parts.append(" ")  # a visible gap with no space character drawn in it
        parts.append(ch.text)
    size = max(ch.size for ch in kept)
    baseline = sum(ch.baseline for ch in kept) / len(kept)
    return Line(fix_line("".join(parts)), kept[0].x, max(ch.right for ch in kept), baseline - size, baseline,
                size=size)
