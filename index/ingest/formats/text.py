"""Plain-text plans (.txt/.md): decode the bytes, then normalize the lines.

`clean_text` is also the last step of the other readers, so every format hands the
parser the same shape: `\n` line ends, no invisible characters, no trailing spaces,
no blank lines at either end, one final newline.
"""

from __future__ import annotations

import codecs
import re

from ...errors import PlanFileError

# Newlines in all their spellings: CRLF, bare CR (old Mac), Unicode line/paragraph
# separators, NEL, vertical tab and form feed (a page break in a text file).
_NEWLINES = re.compile(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
# Characters that print as nothing but break matching: NUL, zero-width space/joiners,
# word joiner, a BOM left inside the text, soft hyphen. A pattern, not str.translate: translate
# looks every character of a Chinese text up in a dict (~25x slower, 2% of indexing).
_INVISIBLE = re.compile(r"[\x00\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# C0/C1 control characters, less those honest text files hold (tab, newlines, form
# feed, and the DOS end-of-file mark \x1a).
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")
# More control characters than this share means the bytes are not text.
_MAX_CONTROL_SHARE = 0.02

_BOMS = (  # UTF-32 first: its little-endian BOM starts with the UTF-16 one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)

ENCODING_ERROR = "无法识别文件编码（请另存为 UTF-8 或 GBK）"
BINARY_ERROR = "看起来不是文本文件（含有二进制内容）"
EMPTY_ERROR = "文件为空"


def clean_text(text: str) -> str:
    """Normalize newlines, drop invisible characters and trailing spaces."""
    text = _INVISIBLE.sub("", _NEWLINES.sub("\n", text))
    lines = [line.rstrip() for line in text.split("\n")]
    kept = [i for i, line in enumerate(lines) if line]
    if not kept:
        return ""
    return "\n".join(lines[kept[0]:kept[-1] + 1]) + "\n"


def read_text(name: str, data: bytes, *, charset: str | None = None) -> str:
    """Decode a .txt plan and normalize it; raises PlanFileError. `charset`: what the
    container says the bytes are in (a MIME part's), tried as a web page's declaration is."""
    text = clean_text(decode(name, data, charset))
    if not text.strip():
        raise PlanFileError(name, EMPTY_ERROR)
    return text


def read_markdown(name: str, data: bytes) -> str:
    """A .md plan: decoded like .txt, then its markup taken off (see unmark)."""
    text = clean_text(unmark(decode(name, data)))
    if not text.strip():
        raise PlanFileError(name, EMPTY_ERROR)
    return text


_MD_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_PREFIX = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
# Inner classes exclude the opening bracket too, so that a line of a thousand "["
# is scanned once, not once per bracket.
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_MD_RULE_CHARS = set("|:- \t")


def unmark(text: str) -> str:
    """Markdown markup off, so a .md reads like the same plan typed as .txt: heading
    hashes, quote marks, bullets, bold and link syntax go; a pipe table becomes
    TAB-joined rows like a Word table; fence lines go (their contents stay)."""
    lines = []
    for line in _NEWLINES.sub("\n", text).split("\n"):
        if _MD_FENCE.match(line) or ("--" in line and set(line) <= _MD_RULE_CHARS):
            continue  # a fence, a table's |---|---| rule or a --- break
        line = _MD_PREFIX.sub("", line)
        line = _MD_LINK.sub(r"\1", _MD_EMPHASIS.sub(r"\2", line))
        if line.strip().startswith("|") and line.strip().endswith("|"):
            line = "\t".join(cell.strip() for cell in line.strip()[1:-1].split("|"))
        lines.append(line)
    return "\n".join(lines)


def decode(name: str, data: bytes, declared: str | None = None) -> str:
    """Bytes to str: a BOM decides; then the encoding the file declares (a web page's
    <meta charset>), when it decodes them; otherwise strict UTF-8, then strict GB18030.

    GB18030 is a superset of GBK and GB2312, so one attempt covers all three. Strict
    decoding is the test: GBK bytes are almost never valid UTF-8, so the order is safe.
    A declaration that does not decode the bytes is wrong (pages saved by one tool and
    labelled by another say utf-8 over GBK bytes): the bytes are decoded as if undeclared.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(name, data, encoding)
    encoding = _codec(declared) if b"\x00" not in data else None
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            pass
        else:
            _reject_binary(name, text)
            return text
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16:
            return _strict(name, data, utf16)
        # Zero padding after the text is left by crashed editors and some copy tools;
        # NUL anywhere else means binary.
        data = data.rstrip(b"\x00")
        if b"\x00" in data:
            raise PlanFileError(name, BINARY_ERROR)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        _reject_binary(name, text)
        return text
    raise PlanFileError(name, ENCODING_ERROR)


# Declared names of the Chinese national encodings, all read as their superset GB18030:
# pages that say gb2312 routinely hold GBK characters (镕, 喆) that GB2312 lacks.
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "euc-cn", "cp936"}
# Declarations not followed: a Chinese plan is never Latin-1 or ASCII (such a label is a
# server default), and a page is never UTF-16 without a BOM (browsers read UTF-8 then too).
_IGNORED = {"ascii", "iso8859-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be",
            "utf-32", "utf-32-le", "utf-32-be"}


def _codec(declared: str | None) -> str | None:
    """The Python codec for a declared encoding name; None for no name, an unknown one
    or one not followed."""
    name = (declared or "").strip().lower().replace("_", "-")
    if name in _GB:
        return "gb18030"
    try:
        codec = codecs.lookup(name).name if name else None
    except LookupError:
        return None
    return None if codec in _IGNORED else codec


def _strict(name: str, data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise PlanFileError(name, ENCODING_ERROR) from error
    _reject_binary(name, text)
    return text


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: the NUL high bytes of ASCII all on one parity."""
    if len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    if odd >= len(data) // 10 and even == 0:
        return "utf-16-le"
    if even >= len(data) // 10 and odd == 0:
        return "utf-16-be"
    return None


def _reject_binary(name: str, text: str) -> None:
    controls = len(_BINARY_CONTROLS.findall(text))
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise PlanFileError(name, BINARY_ERROR)
