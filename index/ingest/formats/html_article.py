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

It stops at the element where any of these fails; at worst that is <body>, and the whole
page is read (links still left out by html_text).
"""

from __future__ import annotations

import re

from ..numbering import match_number
from .html_text import element_lines

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_MAJORITY = 0.5
_TABLE_PARTS = frozenset(("table", "thead", "tbody", "tfoot", "tr"))
_PROSE = 10  # Chinese characters of a sentence that is plan text, not a label
_PLAN_STYLES = ("cn", "paren_cn", "article", "chapter")  # numbers no site chrome uses


def article(body):
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
