"""Web pages (.html/.htm): the plan as published on a government site, without the site.

A plan saved from a browser is the whole page: header, menus, breadcrumbs, the article,
a sidebar of links, share buttons, a footer with 版权所有 and the ICP number. What comes out
is the article's text, starting with the plan's title:

* decoding is text.py's, with the charset the page declares (<meta charset>, the
  http-equiv Content-Type, an <?xml encoding?>) taking the place of the guess; a BOM
  still comes first, and a declaration the bytes contradict is ignored;
* what a reader never sees is dropped: scripts, styles, <head>, forms' controls, frames,
  nav and aside, elements hidden with `hidden` or display:none;
* html_article.py finds the element holding the plan, html_text.py turns it into lines
  (block elements end lines, table rows TAB-joined, links-only lines left out);
* the title: the parser takes a plan's title from its first line (parse.py, clean.py), and
  a page usually shows it above the content, as a heading or a title block the container
  does not hold. The line just above the container that the page's <title> names (without
  the site's name, which its footer repeats) is put first, unless the text's first lines
  already show it; with no such line, the <title>'s first part is, when the text's own
  first line cannot be a title (it is numbered, or long).
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from ...errors import PlanFileError
from ..numbering import match_number
from .html_article import article, is_plan_line
from .html_text import CUT, element_lines
from .text import clean_text, decode

NO_TEXT = "这个网页里没有文字"
_SCAN = 16 * 1024  # the charset is declared in the head, near the top
_DECLARED = (
    re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([a-z0-9_.:-]+)", re.I),
    re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([a-z0-9_.:-]+)", re.I),
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_UNSEEN = ("head", "script", "style", "noscript", "template", "iframe", "frame", "object",
           "embed", "applet", "svg", "canvas", "map", "select", "input", "textarea", "button",
           "datalist", "audio", "video", "nav", "aside")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_TITLE_SEPARATORS = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s)\s*")
_LONG = 60  # a first line longer than this is no title (clean.py's rule)
_TITLE_MAX = 100  # a notice's title, shown on one line above the text, may be longer
_NEAR = 10  # lines above the container where the page shows the plan's title
_HEAD_LINES = 8  # the text's first lines, where a plan shows its own title


def read_html(name: str, data: bytes, *, charset: str | None = None) -> str:
    """The plan text of a web page; raises PlanFileError. `charset`: what the container
    says the bytes are in (a single-file page's part, mht.py), before what the page declares."""
    page = _parse(name, decode(name, data, charset or declared_charset(data)))
    page_title = page.findtext(".//title") or ""
    _drop_unseen(page)
    body = page.find("body")
    body = page if body is None else body
    blocks = article(body)
    lines = [line for block in blocks for line in element_lines(block)]
    around = element_lines(body, cut=blocks) if blocks != [body] else [CUT]
    title = _title(page_title, around, lines)
    if title and not _shows(lines[:_HEAD_LINES], title):
        lines.insert(0, title)
    text = clean_text("\n".join(lines))
    if not text:
        raise PlanFileError(name, NO_TEXT)
    return text


def declared_charset(data: bytes) -> str | None:
    """The encoding the page names for itself, if it names one."""
    head = data[:_SCAN]
    for pattern in _DECLARED:
        if m := pattern.search(head):
            return m.group(1).decode("ascii")
    return None


def _parse(name: str, text: str):
    # lxml refuses a str that still declares its encoding; it is decoded already.
    text = _XML_DECLARATION.sub("", text, count=1)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        return lxml.html.document_fromstring(text, parser=parser)
    except lxml.etree.ParserError as error:  # "Document is empty": nothing but whitespace
        raise PlanFileError(name, NO_TEXT) from error


def _drop_unseen(page) -> None:
    unseen = [e for e in page.iter(_UNSEEN)]
    unseen += [e for e in page.iter() if isinstance(e.tag, str)
               and (e.get("hidden") is not None or _HIDDEN_STYLE.search(e.get("style") or ""))]
    for element in unseen:
        if element.getparent() is not None:
            element.drop_tree()  # its tail, text after it in the parent, stays


# -- the title -------------------------------------------------------------------------
def _title(page_title: str, around: list[str], lines: list[str]) -> str | None:
    """The plan's title: the line above the container that the page's <title> names; else,
    when the text does not start with a title of its own (its first line is numbered or
    long), the <title> itself."""
    cut = around.index(CUT) if CUT in around else len(around)
    end = len(around) - around[::-1].index(CUT) if CUT in around else len(around)
    # The site's name is in the <title> too, and repeated at the bottom of the page.
    footer = [_squeeze(line) for line in (around[end:] or lines[-_HEAD_LINES:])]
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(page_title) if p.strip()]
    parts = [p for p in parts if not any(_squeeze(p) in line for line in footer)]
    for line in reversed(around[max(0, cut - _NEAR):cut]):
        if len(line) <= _TITLE_MAX and not is_plan_line(line) and (named := _named(parts, line)):
            return named
    if parts and lines and (match_number(lines[0]) is not None or len(lines[0]) > _LONG):
        return parts[0]
    return None


def _named(parts: list[str], line: str) -> str | None:
    """The title a line shows when a part of the <title> names it: the line itself, or the
    part where the line says more ("标题：\t关于…的通知", a metadata row above the text)."""
    shown = _squeeze(line)
    for part in parts:
        wanted = _squeeze(part)
        if shown == wanted or (len(shown) >= 4 and shown in wanted):
            return line
        if len(wanted) >= 4 and wanted in shown:
            return part
    return None


def _shows(lines: list[str], title: str) -> bool:
    """Whether the lines show the title, on one line or on consecutive ones (a long
    title is often broken in two, as in the printed document)."""
    wanted = _squeeze(title)
    for start in range(len(lines)):
        shown = ""
        for line in lines[start:]:
            shown += _squeeze(line)
            if len(shown) >= len(wanted):
                break
        if shown == wanted:
            return True
    return False


def _squeeze(text: str) -> str:
    return "".join(text.split())
