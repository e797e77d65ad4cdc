"""The end of a document is not part of its last item: closing text after the last numbered item.

Published plans end with paragraphs that belong to no item: the date they take effect (本预案自
印发之日起实施), the document they replace (…停止执行 / 同时废止), who interprets them (由X负责
解释), demands to everyone (各有关部门要…), a sign-off. The parser puts every unnumbered line under
the last number, so without this they would be read as the last item's text, owners and
deadlines (04's 三十 would be due 2018年12月31日前).

Which lines of the last leaf's body are closing:

* all of them from the first non-field line on, when the last item's heading line carries its own
  text and none of the items before it in its list has a body (04's 一、…三十、 and 08's
  （一）…（三） are one line each: a paragraph after the last one is not its continuation);
* otherwise the run of closing formulas at the very end (施行/实施/执行 from a date, 废止,
  解释, 特此通知, an issuing body's name): an item written as a heading and paragraphs (06) keeps
  its paragraphs.

Numbered closing provisions (07's "7.2　本预案由国务院办公厅负责解释") stay items: the plan
numbers them, so they are looked up by their number.
"""

from __future__ import annotations

import re

from .structure import is_field_line, split_heading
from .tree import Node

_FORMULA = re.compile(
    r"之日起(?:施行|实施|执行|生效)|(?:施行|实施|执行)之日起|停止执行|同时废止|予以废止|不再执行"
    r"|负责解释|解释权|^特此(?:通知|函告|公告|批复)|^此复"
    r"|^本(?:方案|预案|办法|意见|通知|规定|细则|计划|要点|清单|规划)(?:自.{0,30})?(?:施行|实施|执行)"
)
# An issuing body's name on its own line (its date line, when there was one, is gone already).
_SIGN_OFF = re.compile(r"^[\u4e00-\u9fff（）()]{0,28}(?:人民政府|办公厅|办公室|委员会|国务院|党委|政府|局|委|办)$")


def take_closing(root: Node) -> list[str]:
    """Remove the closing lines from the end of the tree and return them ([] when there are none)."""
    if not root.children:
        return []
    last = root.last_leaf()
    start = _closing_start(last)
    closing = last.body[start:]
    del last.body[start:]
    return closing


def _closing_start(last: Node) -> int:
    body = last.body
    start = len(body)
    while start > 0 and _is_formula(body[start - 1]):
        start -= 1
    if _one_line_list(last):
        first_text = next((i for i, line in enumerate(body) if not is_field_line(line)), len(body))
        start = min(start, first_text)
    return start


def _one_line_list(last: Node) -> bool:
    """The last item carries its text on its heading line, and so does every item before it in
    its list, with nothing after (field lines aside)."""
    if not split_heading(last.head)[1] or last.parent is None:
        return False
    before = [n for n in last.parent.children[:-1] if n.style == last.style]
    return bool(before) and all(
        not n.children and all(is_field_line(line) for line in n.body) for n in before)


def _is_formula(line: str) -> bool:
    return bool(_FORMULA.search(line) or _SIGN_OFF.match(line))
