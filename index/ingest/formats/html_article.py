"""Where the plan is on a web page: the element holding its text, without the site around it.

    article(body) -> element

A government site puts a plan in one content container, among a header, menus,
breadcrumbs, a sidebar of links, share buttons and a footer. No class name is trusted
(every CMS names them differently); the text decides. An element's weight is the Chinese
characters it shows outside links (menus, breadcrumbs and lists of articles are links).
From <body>, the walk goes down into the heaviest child while

* it holds most of its parent's weight: the site's own text is a small share of a page;
* what it leaves behind holds no plan text (a sentence ending in 。, a line numbered like
  a plan's 一、 （一） 第一条): a preamble next to a task table, a second part of the plan
  in a sibling block, are the plan's; a footer's 版权所有 and a date line are not;
* it is not a data table, whose rows are the plan's (a table used for page layout, one
  cell of it holding most of its text, is walked through like any block).

It stops at the element where any of these fails. When that is <body> (a page without a
block around its plan, or with the plan in two blocks side by side), the body's blocks from
the first holding plan text to the last are the article, with the short title block just
before them; at worst, with plan text written straight into <body>, the whole page is read
(links still left out by html_text).
"""

from __future__ import annotations

import re

from ..numbering import match_number
from .html_text import element_lines

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_MAJORITY = 0.5
_TABLE_PARTS = frozenset(("table", "thead", "tbody", "tfoot", "tr"))
_PROSE = 10  # Chinese characters of a sentence that is plan text, not a label
_TITLE = 60  # a line longer than this is no title (clean.py's rule)
_PLAN_STYLES = ("cn", "paren_cn", "article", "chapter")  # numbers no site chrome uses


def article(body) -> list:
    """The elements holding the page's plan text, in page order: the one container that
    holds it; on a page with no block around its plan, the body's blocks from the plan's
    title to its last line; at worst the body itself."""
    at = _container(body)
    return _blocks_of_plan(body) if at is body else [at]


def _container(body):
    """The element holding the page's plan text: `body` itself when no block inside it does."""
    weight = _weights(body)
    at = body
    while True:
        children = [child for child in at if isinstance(child.tag, str)]
        if not children:
            return at
        best = max(children, key=weight.__getitem__)
        if weight[best] == 0 or weight[best] < _MAJORITY * weight[at]:
            return at
        if best.tag in _TABLE_PARTS and not _layout(best, weight):
            return at
        if _loose_plan_text(at) or any(_plan_text(c) for c in children if c is not best):
            return at
        at = best


def _blocks_of_plan(body) -> list:
    """The body's blocks from the first holding plan text (and the short title block just
    before it) to the last: the page's header and footer on either side are left out."""
    children = [child for child in body if isinstance(child.tag, str)]
    holding = [i for i, child in enumerate(children) if _plan_text(child)]
    if _loose_plan_text(body) or not holding:
        return [body]
    first, last = holding[0], holding[-1]
    if first > 0 and not _titled(children[first]) and _titled(children[first - 1], whole=True):
        first -= 1
    # Short tasks numbered 1. 2. after the last section's heading hold no sentence long enough
    # to be plan text on their own (and site chrome numbers so too), but they follow the plan:
    # they are the plan's, up to the first block that is not numbered.
    while last + 1 < len(children) and _numbered(children[last + 1]):
        last += 1
    return children[first:last + 1]


def _numbered(element) -> bool:
    """Whether each of the element's lines is a numbered line of Chinese text (1. 推进……)."""
    lines = element_lines(element)
    return bool(lines) and all(match_number(line) is not None and han_count(line) >= 2 for line in lines)


def _titled(element, whole: bool = False) -> bool:
    """Whether the element starts with a line that can be a title (short, unnumbered, no
    sentence); with `whole`, whether it is one or two such lines and nothing else."""
    lines = element_lines(element)
    shown = lines if whole else lines[:1]
    return 0 < len(lines) <= (2 if whole else len(lines)) and all(
        len(line) <= _TITLE and match_number(line) is None and not is_plan_line(line) for line in shown)


def han_count(text: str | None) -> int:
    return len(_HAN.findall(text)) if text else 0


def is_plan_line(line: str) -> bool:
    """A sentence of a plan, or a line numbered as plans number theirs."""
    count = han_count(line)
    if count >= _PROSE and "。" in line:
        return True
    number = match_number(line)
    return number is not None and number.style.startswith(_PLAN_STYLES) and count >= 4


def _weights(root) -> dict:
    """Each element's Chinese characters outside links, its descendants' included."""
    linked = {node for a in root.iter("a") for node in a.iter()}
    weight = {}
    for node in reversed(list(root.iter())):  # children before their parent
        own = 0 if node in linked else han_count(node.text) + sum(han_count(c.tail) for c in node)
        weight[node] = own + sum(weight[c] for c in node)
    return weight


def _layout(part, weight: dict) -> bool:
    """A table (or a part of one) laid out as a page: one cell holds most of its text."""
    return any(weight[cell] >= _MAJORITY * weight[part] > 0 for cell in part.iter("td", "th"))


def _plan_text(element) -> bool:
    return any(is_plan_line(line) for line in element_lines(element))


def _loose_plan_text(element) -> bool:
    """Plan text written straight into the element, between its child elements."""
    pieces = [element.text, *(child.tail for child in element)]
    return any(is_plan_line(" ".join(piece.split())) for piece in pieces if piece)
