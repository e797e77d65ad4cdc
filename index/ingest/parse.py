"""Plan text → Plan: a tree of numbered nodes, flattened into items with paths.

The text is read line by line. A numbered line opens a node; its style (一、 or （一） or
1. …) decides its depth by the order styles first appear, so plans that use any mix of
styles, restart numbering per section or number straight through all nest the same way.
Unnumbered lines belong to the open node (or to the preamble before the first number).
A node with numbered children is a section; a node without is an item.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from .clean import clean, strip_lines
from .deadlines import extract_deadlines
from ..errors import PlanFileError
from ..limits import MAX_ITEMS
from ..models import Heading, Item, Plan
from .numbering import match_number
from .owners import document_rule_first_is_lead, extract_owners
from .tables import rewrite_tables

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_TITLE_END = re.compile(r"[。；;！!？?]")


@dataclass
class Node:
    style: str
    label: str
    key: str
    head: str  # the text on the numbered line, after the number
    body: list[str] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = None


def parse_plan(text: str, source: str) -> Plan:
    """Parse a plan's text. Raises PlanFileError when it holds nothing to index."""
    fallback = PurePath(source).stem or source
    lines = rewrite_tables(strip_lines(text))
    cleaned = clean(lines, fallback)
    root = _build_tree(cleaned.lines)
    year = _year(cleaned.title) or _year(source) or _year(cleaned.notice_date or "")
    items = _flatten(root, year)
    if not items:
        raise PlanFileError(source, "没有找到任何内容（文件里只有标题或空白）")
    if len(items) > MAX_ITEMS:
        raise PlanFileError(source, f"条目过多（{len(items)} 条，上限 {MAX_ITEMS}），不像是一份计划")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Plan(title=cleaned.title, source=PurePath(source).name, year=year, items=items, sha256=digest)


def _year(text: str) -> int | None:
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None


def _build_tree(lines: list[str]) -> Node:
    root = Node("root", "", "", "")
    stack: list[Node] = [root]
    styles: list[str] = []  # style at each depth, outermost first
    for line in lines:
        number = match_number(line)
        if number is None:
            stack[-1].body.append(line)
            continue
        if number.style in styles:
            depth = styles.index(number.style)
            del styles[depth + 1:]
        else:
            depth = len(stack) - 1
            del styles[depth:]
            styles.append(number.style)
        del stack[depth + 1:]
        node = Node(number.style, number.label, number.key, number.rest, parent=stack[-1])
        stack[-1].children.append(node)
        stack.append(node)
    return root


def _flatten(root: Node, year: int | None) -> list[Item]:
    items: list[Item] = []
    if root.body:
        items.append(_chunk("preamble", "", "", [], "\n".join(root.body), year, False))
    lead_rule = False

    def walk(node: Node, ancestors: list[Heading]) -> None:
        nonlocal lead_rule
        text = "\n".join([node.head, *node.body]).strip()
        lead_rule = lead_rule or document_rule_first_is_lead(text)
        if node.children:
            items.append(_chunk("section", node.label, node.key, ancestors, text, year, lead_rule))
            here = [*ancestors, Heading(label=node.label, key=node.key, title=items[-1].title)]
            for child in node.children:
                walk(child, here)
        elif _has_paragraph_items(node):
            items.append(_chunk("section", node.label, node.key, ancestors, node.head, year, lead_rule))
            here = [*ancestors, Heading(label=node.label, key=node.key, title=items[-1].title)]
            for n, para in enumerate(node.body, 1):
                items.append(_chunk("item", "", f"¶{n}", here, para, year, lead_rule))
        else:
            items.append(_chunk("item", node.label, node.key, ancestors, text, year, lead_rule))

    for child in root.children:
        walk(child, [])
    for position, item in enumerate(items):
        item.position = position
    return items


def _has_paragraph_items(node: Node) -> bool:
    """Tasks written as unnumbered paragraphs under a numbered heading that has text of
    its own ("（一）强化顶层设计引领…。建立…"), each opening with a short lead sentence
    ("优化固体废物管理体制机制，强化部门分工协作。"): each paragraph is an item. A heading
    that is only a title keeps its paragraphs as its body, and so do paragraphs of
    running prose (a closing section after the last item)."""
    if len(node.body) < 2 or _is_title_only(node.head):
        return False
    led = sum(1 for para in node.body if _has_lead_sentence(para))
    return led * 2 > len(node.body)


def _has_lead_sentence(paragraph: str) -> bool:
    first = _TITLE_END.split(paragraph, 1)
    return len(first) == 2 and len(first[0]) <= 25 and bool(first[1].strip())


def _is_title_only(head: str) -> bool:
    first = _TITLE_END.split(head, 1)
    return len(first) == 1 or not first[1].strip()


def _chunk(kind: str, label: str, key: str, ancestors: list[Heading], text: str,
           year: int | None, lead_rule: bool) -> Item:
    return Item(
        kind=kind,  # type: ignore[arg-type]
        label=label,
        key=key,
        ancestors=list(ancestors),
        title=first_clause(text),
        text=text,
        position=0,
        owners=extract_owners(text, first_is_lead=lead_rule) if kind == "item" else [],
        deadlines=extract_deadlines(text, year=year) if kind == "item" else [],
    )


def first_clause(text: str, limit: int = 30) -> str:
    """The item's title: its first sentence, or first phrase when that is long."""
    line = text.split("\n", 1)[0].strip()
    sentence = _TITLE_END.split(line, 1)[0].strip()
    if len(sentence) > limit:
        phrase = re.split(r"[，,：:]", sentence, maxsplit=1)[0].strip()
        sentence = phrase if phrase else sentence[:limit]
        if len(sentence) > limit * 2:
            sentence = sentence[:limit] + "…"
    return sentence.rstrip("：:")
