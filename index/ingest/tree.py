"""Plan lines → a tree of numbered nodes.

A numbered line opens a node; its style (一、 or （一） or 1. …) decides its depth by the order
styles first appear, so plans that use any mix of styles, restart numbering per section or
number straight through all nest the same way. Unnumbered lines belong to the open node (or to
the root, before the first number): a node's own lines always come before its children.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .numbering import Number, match_number, match_sequel, uses_decimal


@dataclass
class Node:
    style: str
    label: str
    key: str
    head: str  # the text on the numbered line, after the number
    body: list[str] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = None

    def last_leaf(self) -> "Node":
        node = self
        while node.children:
            node = node.children[-1]
        return node


def build_tree(lines: list[str]) -> Node:
    root = Node("root", "", "", "")
    stack: list[Node] = [root]
    styles: list[str] = []  # style at each depth, outermost first
    decimal = uses_decimal(lines)
    last_num: int | None = None  # the last 1. 2. 3. number, for numbers only a list makes
    for line in lines:
        number = match_number(line, decimal=decimal) or match_sequel(line, last_num)
        if number is None:
            stack[-1].body.append(line)
            continue
        if number.style == "num":
            last_num = number.value
        depth = _depth(number, styles, len(stack) - 1)
        del stack[depth + 1:]
        node = Node(number.style, number.label, number.key, number.rest, parent=stack[-1])
        stack[-1].children.append(node)
        stack.append(node)
    return root


def _depth(number: Number, styles: list[str], open_depth: int) -> int:
    """The depth of a new node: where its style sits, or one below the open node for a style
    not seen yet (then the styles below that depth are forgotten)."""
    if number.style in styles:
        depth = styles.index(number.style)
        del styles[depth + 1:]
        return depth
    depth = open_depth
    del styles[depth:]
    styles.append(number.style)
    return depth
