"""Plan files to plan text: the one door every upload and every indexed file goes through.

    plan_files(paths) -> files, skipped    # the plan files named or inside the folders named
    read_file(path) -> bytes               # a file on disk, within the size limit
    read_plan_bytes(name, data) -> str     # bytes (a chat's upload, a file read) → plan text
    resave_advice(name) -> str | None      # what to do with a .dot, .xlsb, .ett … we cannot read
    listed_formats() -> str                # ".txt、.md、.docx、.doc、.wps、.pdf、… 或 .mhtml"

The text is what the line-based parser (index/ingest/parse.py) reads: one line per
paragraph, table rows as TAB-joined cells, `\n` line ends. An Excel task table (.xlsx,
Excel 97–2003's .xls, or exported as .csv) comes out already as the items it holds
("1. task", "牵头单位：…"; formats/xlsx_layout.py), since a sheet's merged cells and sheets
say more than TAB-joined rows could; an .xls reads exactly as the same table saved as .xlsx.
A web page (.html, or a single-file page: .mht) gives the article's text, not the site's
menus. Every failure is a `PlanFileError` whose reason is a Chinese sentence fit to show the
user; a format PlanBot cannot read (.dot, .xlsb, a Word 95 file) is told what to re-save it as.
An old Word file (.doc, Word 97–2003) is read from its binary format (formats/doc.py),
and so is a .wps that holds the same format, as WPS Office saves it; a WPS table (.et) is
read as the Excel 97–2003 table it holds. An .odt (OpenDocument text) is read from its content.xml.
An .ofd (OFD, the national fixed-layout format) is read from its text layer and laid out as
a PDF is: page numbers and running headers dropped, wrapped lines joined (formats/ofd.py).

The suffix names a family (a document, a table, a page…) and the content picks the reader
within it, as Word, Excel and WPS open a file by what it holds: a .doc that is RTF, a web
page or a .docx inside, an .xlsx that is an old .xls, is read as what it is. Across families
the content must agree with the name: a PDF renamed to .docx is refused with
"文件内容与扩展名不符（看起来是 PDF）" rather than silently read, so that what the user sees
in their file manager and what we index never differ.
Conversion is faithful: published-document furniture (发文字号, 主送机关, sign-offs)
is left for the parser; only page furniture that is not part of the text (PDF page
numbers and running headers, and an OFD's) is removed here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from importlib import import_module
from pathlib import Path

from ..errors import PlanFileError
from ..limits import MAX_INDEX_FILE_BYTES, MAX_UPLOAD_BYTES
from ..models import SkippedFile
from .formats.advice import ANY_ADVICE, DOCX_ADVICE, OFD_ADVICE, XLSX_ADVICE
from .formats.sniff import DESCRIPTIONS, sniff
from .formats.text import BINARY_ERROR, EMPTY_ERROR

log = logging.getLogger(__name__)

# In the order messages list them.
SUFFIXES = (".txt", ".md", ".docx", ".docm", ".dotx", ".dotm", ".doc", ".wps", ".rtf", ".odt", ".pdf", ".ofd",
            ".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".et", ".ods", ".csv", ".html", ".htm", ".mht", ".mhtml")
SUPPORTED_SUFFIXES = set(SUFFIXES)

_SUFFIX_LIST = " ".join(SUFFIXES)
# What the content may look like for each suffix (sniff's kinds; None: no binary
# signature). A text file may hold a web page; a web page need not start with <html>
# (a saved page may open with a comment, a fragment with <div>); a CSV holding a page
# is an export gone wrong, named as such. A .doc, .wps or .xls may be any compound file
# ("ole"): the reader opens it and says what is wrong (damaged, cut off before the directory
# names its streams, or without Word's text: an older .wps).
# A .doc may also be RTF or a web page inside (a plain or a single-file one): Word saves and
# opens them so, and many sites' "下载.doc" are one of these. And people rename files: a
# .doc called .docx, an .xls called .xlsx or the other way round. Word, Excel and WPS open
# such a file by what it holds, so PlanBot reads it as what it is too (_READ_AS), within the
# family its name says: a document as a document, a table as a table. Across families (a
# PDF called .docx, a table called .doc) the name and the content disagree about what the
# file is, and it is refused, naming what it looks like.
# A WPS table (.et) is the Excel 97–2003 format with WPS's own additions, and read as one
# (or as an .xlsx, which newer WPS versions may write); one that is not is told to re-save.
_TEXT = {None, "html"}
_OLE = {"doc", "ole"}
_DOCUMENT = _OLE | {"docx", "rtf", "html", "mht"}
_TABLE = {"xls", "ole", "xlsx"}
_OPEN_DOCUMENT = {"odt", "ods"}  # LibreOffice and WPS open either by its mimetype, whatever its name
# A macro-enabled document or a template (.docm, .dotx, .dotm; .xlsm, .xltx, .xltm) is the same
# package as a .docx or an .xlsx, its main part of another content type; its macros are never run.
_WORD_VARIANTS = (".docm", ".dotx", ".dotm")
_EXCEL_VARIANTS = (".xlsm", ".xltx", ".xltm")
_EXPECTED_KINDS = {".txt": _TEXT, ".md": _TEXT, ".html": _TEXT, ".htm": _TEXT, ".csv": {None},
                   ".docx": {"docx", "doc"}, ".doc": _DOCUMENT, ".wps": _DOCUMENT, ".rtf": {"rtf"},
                   ".odt": _OPEN_DOCUMENT, ".ods": _OPEN_DOCUMENT, ".pdf": {"pdf"}, ".ofd": {"ofd"},
                   ".xlsx": {"xlsx", "xls"}, ".xls": _TABLE, ".et": _TABLE, ".mht": {"mht", "html"}, ".mhtml": {"mht", "html"},
                   **dict.fromkeys(_WORD_VARIANTS, {"docx"}), **dict.fromkeys(_EXCEL_VARIANTS, {"xlsx"})}
# Which reader a content kind gets, for a suffix whose family holds several (above).
_READ_AS = {"docx": ".docx", "doc": ".doc", "rtf": ".rtf", "html": ".html", "mht": ".mht", "xls": ".xls",
            "xlsx": ".xlsx", "odt": ".odt", "ods": ".ods"}
_BY_CONTENT = {".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".mht", ".mhtml", ".odt", ".ods"}
_INVALID = {".docx": "不是有效的 Word 文档（.docx）", ".doc": "不是有效的 Word 文档（.doc）",
            ".wps": "不是有效的 WPS 文字文档（.wps）", ".rtf": "不是有效的 RTF 文档",
            ".odt": "不是有效的 OpenDocument 文档（.odt）", ".ods": "不是有效的 OpenDocument 表格（.ods）",
            ".pdf": "不是有效的 PDF 文件", ".ofd": "不是有效的 OFD 文件",
            ".xlsx": "不是有效的 Excel 表格（.xlsx）", ".xls": "不是有效的 Excel 表格（.xls）",
            ".et": "无法读取这个 WPS 表格（.et）", ".mht": "不是有效的单个文件网页（.mht）",
            ".mhtml": "不是有效的单个文件网页（.mhtml）",
            **{s: f"不是有效的 Word 文档（{s}）" for s in _WORD_VARIANTS},
            **{s: f"不是有效的 Excel 表格（{s}）" for s in _EXCEL_VARIANTS}}

# What to do with a file we cannot read but its program can re-save in one step. The
# same advice whether the name says so (分工.ods) or only the content does (an .xls
# renamed .doc); the bot's refusal of an upload uses it too.
_ADVICE_BY_SUFFIX = {
    **dict.fromkeys((".wpt", ".dot"), DOCX_ADVICE),
    **dict.fromkeys((".ett", ".xlsb", ".xlt"), XLSX_ADVICE),
}
# What to do when a file of a format read on trust cannot be read after all (`_refused`).
_ADVICE_ON_FAILURE = {".et": XLSX_ADVICE}
# What to do when a file cannot be read as its format at all (damaged, or built in a way
# the reader does not know): its own program may still open it and save it as a format we
# read. Only added to that reason: an encrypted or a scanned OFD has its own advice.
_ADVICE_ON_DAMAGE = {".ofd": OFD_ADVICE}
_ADVICE_BY_KIND = {"doc": DOCX_ADVICE, "rtf": DOCX_ADVICE, "xls": XLSX_ADVICE,
                   "ole": ANY_ADVICE, "odf": ANY_ADVICE, "odt": ANY_ADVICE, "ods": XLSX_ADVICE}


def listed_formats() -> str:
    """The supported suffixes for a sentence: ".txt、.md、.docx、…、.mht 或 .mhtml"."""
    return "、".join(SUFFIXES[:-1]) + " 或 " + SUFFIXES[-1]


def resave_advice(name: str) -> str | None:
    """What to do with a file of this name that PlanBot cannot read, when there is
    something simple to do (re-save it from Word, WPS or Excel), else None."""
    return _ADVICE_BY_SUFFIX.get(Path(name).suffix.lower())


def read_plan_bytes(name: str, data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The plan text of a file called `name` holding `data`; raises PlanFileError."""
    suffix = _suffix(name)
    if len(data) > max_bytes:
        raise PlanFileError(name, _too_big(len(data), max_bytes))
    if not data:
        raise PlanFileError(name, EMPTY_ERROR)
    kind = _check_content(name, suffix, data)
    read_as = _READ_AS.get(kind, suffix) if suffix in _BY_CONTENT else suffix
    reader = _reader(read_as)
    try:
        return reader(name, data)
    except PlanFileError as error:
        raise _refused(name, suffix, error.reason) from error
    except Exception as error:  # noqa: BLE001 - third-party parsers fail in many ways
        # A malformed upload must not crash a chat; the traceback still reaches the log
        # so that a bug of ours is not mistaken for a broken file for long.
        log.warning("cannot read %s", name, exc_info=True)
        reason = f"{_INVALID.get(read_as, '文件已损坏，无法读取')}（文件可能已损坏）"
        raise _refused(name, suffix, reason) from error


def _refused(name: str, suffix: str, reason: str) -> PlanFileError:
    """The error for a file that cannot be read; one of a format read on trust (a .et: the
    Excel format WPS's tables share) says what to re-save it as instead, a damaged .ofd what
    to save it as."""
    advice = _ADVICE_ON_FAILURE.get(suffix)
    if advice and advice not in reason:
        reason = f"{_INVALID[suffix]}，{advice}"
    advice = _ADVICE_ON_DAMAGE.get(suffix)
    if advice and reason.startswith(_INVALID[suffix]) and advice not in reason:
        reason = f"{reason}，{advice}"
    return PlanFileError(name, reason)


def plan_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[SkippedFile]]:
    """The files named and the plan files inside the folders named (hidden ones left out),
    in order, and what was named but holds none. A folder's .ett, .xlsb, .dot … are listed as
    skipped with what to re-save them as: a plan in one of them must not go missing unsaid."""
    files: list[Path] = []
    skipped: list[SkippedFile] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                            and not _saved_with_a_page(p, path))
            found = [p for p in inside if p.suffix.lower() in SUPPORTED_SUFFIXES]
            resave = [p for p in inside if resave_advice(p.name)]
            if not found and not resave:
                reason = f"文件夹里没有 {'/'.join(SUFFIXES)} 文件"
                skipped.append(SkippedFile(path=str(path), reason=reason))
            skipped += [SkippedFile(path=str(p), reason=_unsupported(p.name)) for p in resave]
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            skipped.append(SkippedFile(path=str(path), reason="文件或文件夹不存在"))
    return files, skipped


def _saved_with_a_page(path: Path, top: Path) -> bool:
    """A file a browser or Word saved along with a web page, in the folder named after it
    (方案.html + 方案_files/, 方案.htm + 方案.files/): the page's pictures, scripts and frames,
    never a plan of its own."""
    for folder in path.parents:
        if folder == top or top not in folder.parents:
            return False
        for ending in ("_files", ".files"):
            stem = folder.name.removesuffix(ending)
            if stem != folder.name and any((folder.parent / (stem + s)).is_file() for s in (".html", ".htm")):
                return True
    return False


def read_file(path: str | Path, *, max_bytes: int = MAX_INDEX_FILE_BYTES) -> bytes:
    """The bytes of a plan file on disk; raises PlanFileError (also for OS errors)."""
    path = Path(path)
    name = str(path)
    _suffix(name)  # refuse unsupported files before reading them
    try:
        if path.is_dir():
            raise PlanFileError(name, "这是一个文件夹，不是文件")
        size = path.stat().st_size
        if size > max_bytes:
            raise PlanFileError(name, _too_big(size, max_bytes))
        return path.read_bytes()
    except FileNotFoundError as error:
        raise PlanFileError(name, "文件不存在") from error
    except PermissionError as error:
        raise PlanFileError(name, "没有读取这个文件的权限") from error
    except OSError as error:
        raise PlanFileError(name, f"无法读取文件：{error.strerror or error}") from error


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return suffix
    raise PlanFileError(name, _unsupported(name))


def _unsupported(name: str) -> str:
    shown = Path(name).suffix.lower() or "无扩展名"
    reason = f"文件类型不支持：{shown}（支持 {_SUFFIX_LIST}）"
    advice = resave_advice(name)
    return f"{reason}，{advice}" if advice else reason


def _check_content(name: str, suffix: str, data: bytes) -> str | None:
    """Refuse content that does not match the suffix, naming what it looks like; the
    content's kind (sniff.py) when it matches."""
    kind = sniff(data)
    if kind in _EXPECTED_KINDS[suffix]:
        return kind
    if kind == "encrypted-office":
        raise PlanFileError(name, "文件已加密，无法读取（请去掉密码后重试）")
    if kind in DESCRIPTIONS:
        looks = DESCRIPTIONS[kind]
        space = " " if looks[0].isascii() else ""
        reason = f"文件内容与扩展名不符（看起来是{space}{looks}）"
        advice = _ADVICE_BY_KIND.get(kind)
        raise PlanFileError(name, f"{reason}，{advice}" if advice else reason)
    # No known signature (or a broken zip) where a binary format was expected; a .txt
    # or .md that starts like a zip but is none ("broken-zip") is no text either.
    raise _refused(name, suffix, _INVALID.get(suffix, BINARY_ERROR))


# suffix → (module in formats/, its reader). Imported on demand: pdfplumber, python-docx,
# openpyxl, xlrd and olefile cost time to import, and most processes (a bot answering
# questions) never read a file.
_READERS = {".pdf": ("pdf", "read_pdf"), ".docx": ("docx", "read_docx"), ".doc": ("doc", "read_doc"),
            ".wps": ("doc", "read_doc"), ".rtf": ("rtf", "read_rtf"), ".odt": ("odt", "read_odt"),
            ".ofd": ("ofd", "read_ofd"),
            ".xlsx": ("xlsx", "read_xlsx"), ".xls": ("xls", "read_xls"), ".et": ("xls", "read_xls"),
            ".ods": ("ods", "read_ods"),
            ".mht": ("mht", "read_mht"), ".mhtml": ("mht", "read_mht"), ".csv": ("csv", "read_csv"),
            ".html": ("html", "read_html"), ".htm": ("html", "read_html"), ".md": ("text", "read_markdown"),
            ".txt": ("text", "read_text"),
            **dict.fromkeys(_WORD_VARIANTS, ("docx", "read_docx")), **dict.fromkeys(_EXCEL_VARIANTS, ("xlsx", "read_xlsx"))}


def _reader(suffix: str):
    module, function = _READERS[suffix]
    return getattr(import_module(f"{__package__}.formats.{module}"), function)


def _too_big(size: int, limit: int) -> str:
    return f"文件太大（{size / 1048576:.1f} MB，上限 {limit / 1048576:g} MB）"
