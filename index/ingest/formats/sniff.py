"""What a file's bytes look like, whatever its name says.

Only the few kinds a user might send by mistake are told apart; anything else is
`None` ("no known signature"), which for a .txt means "try to decode it as text".
"""

from __future__ import annotations

import io
import zipfile

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc/.xls/.ppt, and encrypted OOXML
# An OLE container names its streams in UTF-16: an encrypted .docx/.xlsx holds an
# "EncryptedPackage", an old Word file a "WordDocument", an old Excel file a "Workbook"
# (Excel 97 and later) or "Book" (Excel 5/95). Telling the last two apart lets the
# refusal say which format to re-save as.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_OLE_KINDS = (("WordDocument", "doc"), ("Workbook", "xls"), ("Book", "xls"))
_MAX_CONTENT_TYPES = 1 << 20

DESCRIPTIONS = {
    "pdf": "PDF",
    "docx": "Word 文档（.docx）",
    "xlsx": "Excel 表格（.xlsx）",
    "pptx": "PowerPoint 演示文稿（.pptx）",
    "odt": "OpenDocument 文档（.odt）",
    "ods": "OpenDocument 表格（.ods）",
    "odf": "OpenDocument 文件（.odp 等）",
    "ofd": "OFD 版式文件",
    "zip": "压缩包",
    "doc": "旧版 Word 文档（.doc）",
    "xls": "旧版 Excel 表格（.xls）",
    "ole": "旧版 Office 文档（.doc/.xls/.ppt）",
    "rtf": "RTF 文档",
    "html": "网页文件（HTML）",
    "mht": "单个文件网页（.mht）",
    "image": "图片",
}


def sniff(data: bytes) -> str | None:
    """A kind from DESCRIPTIONS, "encrypted-office", "broken-zip", or None."""
    head = data[:1024]
    if b"%PDF-" in head:  # the header may follow a little junk, within 1 KB
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    if data.startswith(_OLE):
        return _ole_kind(data)
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        return "image"
    if head.lstrip()[:14].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    if _is_mht(head):
        return "mht"
    return None


def _is_mht(head: bytes) -> bool:
    """A MIME message holding a page and its parts, as Word, WPS and browsers save a
    single-file web page: its headers (From, Subject, Date, MIME-Version, Content-Type) open
    the file, the type is multipart/related."""
    head = head.lower()
    return head.lstrip().startswith((b"mime-version:", b"from:", b"subject:", b"date:", b"content-type:")) \
        and b"mime-version:" in head and b"multipart/related" in head


def _ole_kind(data: bytes) -> str:
    if _ENCRYPTED_PACKAGE in data:
        return "encrypted-office"
    # A directory entry's name ends with a UTF-16 NUL: "Book" then NUL is Excel 5's stream,
    # not the "Book Title" style that any Word file's stylesheet names.
    return next((kind for stream, kind in _OLE_KINDS if (stream + "\0").encode("utf-16-le") in data), "ole")


_ODF_KINDS = (("application/vnd.oasis.opendocument.text", "odt"),
              ("application/vnd.oasis.opendocument.spreadsheet", "ods"))  # and their templates (-template)


def _odf_kind(archive: zipfile.ZipFile) -> str:
    """An OpenDocument package says what it is in its first member, "mimetype"."""
    info = archive.getinfo("mimetype")
    kind = archive.read(info).decode("ascii", "replace").strip() if info.file_size <= 200 else ""
    return next((k for prefix, k in _ODF_KINDS if kind.startswith(prefix)), "odf")


def _zip_kind(data: bytes) -> str:
    """Office Open XML files are zips; [Content_Types].xml says which kind."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                return _odf_kind(archive)
            if "OFD.xml" in names:  # an OFD package's entry point (GB/T 33190)
                return "ofd"
            if "[Content_Types].xml" not in names:
                return "zip"
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _MAX_CONTENT_TYPES:
                return "zip"
            types = archive.read(info)
    except Exception:  # noqa: BLE001 - zlib.error, EOFError, BadZipFile...: sniffing never fails
        return "broken-zip"
    for marker, kind in ((b"wordprocessingml", "docx"), (b"spreadsheetml", "xlsx"),
                         (b"presentationml", "pptx")):
        if marker in types:
            return kind
    return "zip"


MAX_UNZIPPED = 200 * 1024 * 1024  # an Office file that unpacks to more is a zip bomb, not a plan


def check_unzipped_size(name: str, data: bytes, invalid: str) -> None:
    """Refuse an Office file (a zip) that is broken (`invalid` says so) or unpacks too big,
    before a reader inflates it."""
    from ...errors import PlanFileError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise PlanFileError(name, invalid) from error
    if unzipped > MAX_UNZIPPED:
        raise PlanFileError(name, "文件解压后过大，无法读取")
