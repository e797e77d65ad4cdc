"""Single-file web pages (.mht/.mhtml): a web page and its pictures in one MIME message.

Word saves "单个文件网页" so, browsers save pages so, and many sites' "下载.doc" is one: Word
opens it as a document. The page is the message's first text/html part, decoded from its
transfer encoding (quoted-printable or base64) by the standard library's email parser and read
as any web page (html.py); the part's own charset comes before the one the page declares,
since it is what the bytes were written in. A message without a page but with plain text
(a mail saved as .mht) gives that text.
"""

from __future__ import annotations

import email
import email.policy

from ...errors import PlanFileError
from .html import read_html
from .text import read_text

NO_PAGE = "这个单个文件网页（.mht）里没有网页正文"


def read_mht(name: str, data: bytes) -> str:
    """The plan text of a single-file web page; raises PlanFileError."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    parts = [p for p in message.walk() if not p.is_multipart()]
    for kind, read in (("text/html", read_html), ("text/plain", read_text)):
        part = next((p for p in parts if p.get_content_type() == kind), None)
        if part is not None:
            payload = part.get_payload(decode=True) or b""
            return read(name, payload, charset=part.get_content_charset())
    raise PlanFileError(name, NO_PAGE)
