"""Plan files to plan text: the one door every upload and every indexed file goes through.

    plan_files(paths) -> files, skipped    # the plan files named or inside the folders named
    read_file(path) -> bytes               # a file on disk, within the size limit
    read_plan_bytes(name, data) -> str     # bytes (a chat's upload, a file read) → plan text
    resave_advice(name) -> str | None      # what to do with an .et, .ods, .dot … we cannot read
    listed_formats() -> str                # ".txt、.md、.docx、.doc、.wps、.pdf、… 或 .htm"

The text is what the line-based parser (index/ingest/parse.py) reads: one line per
paragraph, table rows as TAB-joined cells, `\n` line ends. An Excel task table (.xlsx,
Excel 97–2003's .xls, or exported as .csv) comes out already as the items it holds
("1. task", "牵头单位：…"; formats/xlsx_layout.py), since a sheet's merged cells and sheets
say more than TAB-joined rows could; an .xls reads exactly as the same table saved as .xlsx.
A web page (.html) gives the article's text, not the site's menus. Every failure is a
`PlanFileError` whose reason is a Chinese sentence fit to show the user; a format PlanBot
cannot read (.et, .ods, a renamed one) is told what to re-save it as.
An old Word file (.doc, Word 97–2003) is read from its binary format (formats/doc.py),
and so is a .wps that holds the same format, as WPS Office saves it; a .doc that is RTF
or a web page inside is read as the .rtf or .html it is. An .odt (OpenDocument text) is read from its content.xml.

The suffix picks the reader and the content must agree with it: a PDF renamed to
.docx is refused with "文件内容与扩展名不符（看起来是 PDF）" rather than silently read,
so that what the user sees in their file manager and what we index never differ.
Conversion is faithful: published-document furniture (发文字号, 主送机关, sign-offs)
is left for the parser; only page furniture that is not part of the text (PDF page
numbers and running headers) is removed here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from importlib import import_module
from pathlib import Path

from ..errors import PlanFileError
from ..limits import MAX_INDEX_FILE_BYTES, MAX_UPLOAD_BYTES
from ..models import SkippedFile
from .formats.advice import ANY_ADVICE, DOCX_ADVICE, XLSX_ADVICE
from .formats.sniff import DESCRIPTIONS, sniff
from .formats.text import BINARY_ERROR, EMPTY_ERROR

log = logging.getLogger(__name__)

# In the order messages list them.
SUFFIXES = (".txt", ".md", ".docx", ".doc", ".wps", ".rtf", ".odt", ".pdf", ".xlsx", ".xls", ".csv", ".html",
            ".htm")
SUPPORTED_SUFFIXES = set(SUFFIXES)

_SUFFIX_LIST = " ".join(SUFFIXES)
# What the content may look like for each suffix (sniff's kinds; None: no binary
# signature). A text file may hold a web page; a web page need not start with <html>
# (a saved page may open with a comment, a fragment with <div>); a CSV holding a page
# is an export gone wrong, named as such. A .doc, .wps or .xls may be any compound file
# ("ole"): the reader opens it and says what is wrong (damaged, cut off before the directory
# names its streams, or without Word's text: an older .wps).
# A .doc may also be RTF or a web page inside: Word saves and opens them so, and many sites'
# "下载.doc" are one of the two; each is read as what it is (_READ_AS).
_TEXT = {None, "html"}
_OLE = {"doc", "ole"}
_EXPECTED_KINDS = {".txt": _TEXT, ".md": _TEXT, ".html": _TEXT, ".htm": _TEXT, ".csv": {None},
                   ".docx": {"docx"}, ".doc": _OLE | {"rtf", "html"}, ".wps": _OLE, ".rtf": {"rtf"},
                   ".odt": {"odf"}, ".pdf": {"pdf"}, ".xlsx": {"xlsx"}, ".xls": {"xls", "ole"}}
_READ_AS = {(".doc", "rtf"): ".rtf", (".doc", "html"): ".html"}
_INVALID = {".docx": "不是有效的 Word 文档（.docx）", ".doc": "不是有效的 Word 文档（.doc）",
            ".wps": "不是有效的 WPS 文字文档（.wps）", ".rtf": "不是有效的 RTF 文档",
            ".odt": "不是有效的 OpenDocument 文档（.odt）",
            ".pdf": "不是有效的 PDF 文件",
            ".xlsx": "不是有效的 Excel 表格（.xlsx）", ".xls": "不是有效的 Excel 表格（.xls）"}

# What to do with a file we cannot read but its program can re-save in one step. The
# same advice whether the name says so (方案.et) or only the content does (an .xls
# renamed .xlsx); the bot's refusal of an upload uses it too. WPS's own .et is not read:
# there is no sample of it to test a reader on.
_ADVICE_BY_SUFFIX = {
    **dict.fromkeys((".wpt", ".docm", ".dotx", ".dot"), DOCX_ADVICE),
    **dict.fromkeys((".et", ".ett", ".ods", ".xlsm", ".xlsb", ".xltx", ".xlt"), XLSX_ADVICE),
}
_ADVICE_BY_KIND = {"doc": DOCX_ADVICE, "rtf": DOCX_ADVICE, "xls": XLSX_ADVICE,
                   "ole": ANY_ADVICE, "odf": ANY_ADVICE}


def listed_formats() -> str:
    """The supported suffixes for a sentence: ".txt、.md、.docx、…、.html 或 .htm"."""
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
    reader = _reader(_READ_AS.get((suffix, kind), suffix))
    try:
        return reader(name, data)
    except PlanFileError:
        raise
    except Exception as error:  # noqa: BLE001 - third-party parsers fail in many ways
        # A malformed upload must not crash a chat; the traceback still reaches the log
        # so that a bug of ours is not mistaken for a broken file for long.
        log.warning("cannot read %s", name, exc_info=True)
        reason = _INVALID.get(suffix, "文件已损坏，无法读取")
        raise PlanFileError(name, f"{reason}（文件可能已损坏）") from error


def plan_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[SkippedFile]]:
    """The files named and the plan files inside the folders named (hidden ones left out),
    in order, and what was named but holds none. A folder's .et, .ods, .dot … are listed as
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
    raise PlanFileError(name, _INVALID.get(suffix, BINARY_ERROR))


# suffix → (module in formats/, its reader). Imported on demand: pdfplumber, python-docx,
# openpyxl, xlrd and olefile cost time to import, and most processes (a bot answering
# questions) never read a file.
_READERS = {".pdf": ("pdf", "read_pdf"), ".docx": ("docx", "read_docx"), ".doc": ("doc", "read_doc"),
            ".wps": ("doc", "read_doc"), ".rtf": ("rtf", "read_rtf"), ".odt": ("odt", "read_odt"),
            ".xlsx": ("xlsx", "read_xlsx"), ".xls": ("xls", "read_xls"), ".csv": ("csv", "read_csv"),
            ".html": ("html", "read_html"), ".htm": ("html", "read_html"), ".md": ("text", "read_markdown"),
            ".txt": ("text", "read_text")}


def _reader(suffix: str):
    module, function = _READERS[suffix]
    return getattr(import_module(f"{__package__}.formats.{module}"), function)


def _too_big(size: int, limit: int) -> str:
    return f"文件太大（{size / 1048576:.1f} MB，上限 {limit / 1048576:g} MB）"
