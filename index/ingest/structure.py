"""The tree of numbered nodes → the chunks of a plan, in reading order: what is searched, cited
and answered for. Every line of the plan ends up in exactly one chunk.

* A node with numbered children is a section: a `section` row (its title phrase, for listings
  and look-ups) and then its own text as items — the heading line's text after its title, then
  each paragraph before the first child: 07's "2.1　国家粮食应急工作指挥部" is followed by
  总指挥：… / 副总指挥：… / 成员：… (three items), 02's "（一）强化顶层设计引领，发挥政府宏观指导作用。
  建立…" carries its first task on the heading line.
* A leaf node is one item: its number names its whole text, the heading and every paragraph
  after it (06's "（二）提高中等职业教育发展水平。" on its own line, then two paragraphs). Except
  when the heading line itself carries a task after its title and unnumbered paragraphs follow:
  then the paragraphs are tasks of their own (02's （三）: three tasks with three owners), and the
  node is a section whose paragraphs are items. So are paragraphs that each name owners of their
  own, different ones. Otherwise field lines (牵头单位：…) keep a leaf whole.
* Owner fields or an owner bracket on a section's heading line or right under it ("一、产业发展
  （牵头单位：县发改局）") are no paragraph of their own: they stay with the section's text, whose
  owners `index.ingest.facts` gives the items under it that name none.
* Paragraph items have no label (nothing is written) and the key 第N段, N counting the items
  under their heading from 1 (the heading line's own task is 第1段).
* A line that does not end a sentence (no 。；！？： or closing bracket) runs on into the next
  one: a hard-wrapped paragraph is one paragraph. A line labelled with a time (3月：…) starts one.
* A month-by-month schedule (三、工作安排 then 1月：… / 3月：… / 6月：…, two or more such lines under
  one heading) is a section of dated items, one per line, each with its time
  (`deadlines.time_label`), not one item holding the whole year.

The text at the end of a plan that follows its last item is `index.ingest.closing`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Heading
from .deadlines import time_label
from .fields import LABEL, in_brackets, statements
from .owners import stated_owners, strip_owner_notes
from .tree import Node

_SENTENCE_END = re.compile(r"[。；;！!？?]")
_PARAGRAPH_END = tuple("。；;！!？?：:）)”」』")
TITLE_LIMIT = 40  # a heading's first sentence longer than this is a task, not a title
# What makes a heading's short first sentence a statement rather than a title: a modal after a
# comma (07's "6.4.1　对参加应急工作的人员，应给予适当的通信、加班等补助。"), a condition
# ("有下列行为之一的，依照…处理。"), an opening 对 (to whom).
_STATEMENT = re.compile(r"[，,](?:应|要|须|必须|可|不得|依照|依法|由)|应当|必须|不得|之一的|下列|^对")


@dataclass
class Chunk:
    kind: str
    label: str
    key: str
    ancestors: list[Heading]
    title: str
    text: str


def chunks_of(root: Node) -> list[Chunk]:
    """The preamble (the root's own lines), then every node's chunks, depth first."""
    chunks: list[Chunk] = []
    if root.body:
        text = "\n".join(root.body)
        chunks.append(Chunk("preamble", "", "", [], first_clause(text), text))
    for child in root.children:
        _walk(child, [], chunks)
    return chunks


def _walk(node: Node, ancestors: list[Heading], out: list[Chunk]) -> None:
    title, task = split_heading(node.head)
    if not node.children and not _splits(node, task):
        text = "\n".join([node.head, *node.body]).strip()
        out.append(Chunk("item", node.label, node.key, ancestors, first_clause(text), text))
        return
    # Owners written on the heading or right under it ("一、产业发展（牵头单位：县发改局）") are the
    # section's, for the items under it that name none (index.ingest.facts), not a task of their own.
    notes, body = ([task] if is_owner_note(task) else []), node.body
    task = "" if notes else task
    while body and is_owner_note(body[0]):
        notes, body = [*notes, body[0]], body[1:]
    name = first_clause(strip_owner_notes(title or node.head) or title or node.head)
    out.append(Chunk("section", node.label, node.key, ancestors, name, "\n".join([title or name, *notes])))
    here = [*ancestors, Heading(label=node.label, key=node.key, title=name)]
    own = paragraphs(([task] if task else []) + body)  # the heading's task may wrap too
    for n, text in enumerate(own, 1):
        out.append(Chunk("item", "", f"第{n}段", here, first_clause(text), text))
    for child in node.children:
        _walk(child, here, out)


def _splits(leaf: Node, task: str) -> bool:
    """A leaf whose heading line carries a task, followed by paragraphs of its own (not fields).
    Fields or an owner bracket after the title ("11.121人才梯队项目。牵头单位：县科技局") are no
    task: they own the item."""
    # The heading's task is read for owner notes last: most leaves have no body, or fields in it.
    if task and leaf.body and not any(is_field_line(line) for line in leaf.body) and not is_owner_note(task):
        return True
    return _separately_owned(leaf.body) or _timetabled(leaf.body)


def _timetabled(lines: list[str]) -> bool:
    """Lines of a month-by-month schedule under a heading: each a task at its time."""
    return sum(bool(time_label(line.strip())) for line in lines) >= 2


def _separately_owned(lines: list[str]) -> bool:
    """Paragraphs under a heading that each name owners of their own, and not the same ones
    (二、民生服务 then 新增便民网点20个。（牵头：X） and 为老人免费体检。（牵头：Y）): separate tasks,
    whatever the heading line holds."""
    parts = paragraphs(lines)
    if len(parts) < 2:
        return False  # one paragraph (a task and its field lines) is one task: no owners to read
    owned = [{o.unit for o in stated_owners(p)} for p in parts]
    return sum(bool(units) for units in owned) >= 2 and len({frozenset(u) for u in owned if u}) > 1


def is_owner_note(text: str) -> bool:
    """A line that is nothing but owner fields or owner brackets: 牵头单位：… / （X负责）."""
    if not text:
        return False
    if is_field_line(text):
        return True
    # Without a field or a bracket there is nothing to strip (most lines): no note.
    return bool(statements(text)) and not strip_owner_notes(text) and bool(stated_owners(text))


def split_heading(head: str) -> tuple[str, str]:
    """(title, task) of a heading line: its first sentence is its title when short, and the text
    after it is the task it carries (empty for a title alone). A heading whose first sentence is
    long or a statement has no title: all of it is the task ("4.2.1　出现国家级…粮食应急状态时，…").
    A sentence does not end inside a bracket (产业发展（牵头单位：X；配合单位：Y））."""
    head = head.strip()
    inside = in_brackets(head)
    end = next((m for m in _SENTENCE_END.finditer(head) if not inside(m.start())), None)
    first = head[: end.end()] if end else head
    if len(first) > TITLE_LIMIT or _STATEMENT.search(first):
        return "", head
    return first, head[len(first):].strip()


def paragraphs(lines: list[str]) -> list[str]:
    """Lines → paragraphs: a line that does not end a sentence runs on into the next, and a field
    line (牵头单位：… / 完成时限：…) belongs to the paragraph before it."""
    out: list[list[str]] = []  # parts per paragraph, joined once at the end (+= would be quadratic)
    open_line = False  # the last paragraph's last line did not end a sentence
    for line in lines:
        if out and (open_line and not time_label(line.strip()) or is_field_line(line)):
            out[-1] += [line] if open_line else ["\n", line]
        else:
            out.append([line])
        open_line = not line.rstrip().endswith(_PARAGRAPH_END) and not is_field_line(line)
    return ["".join(parts) for parts in out]


def is_field_line(line: str) -> bool:
    return bool(LABEL.match(line))


def first_clause(text: str, limit: int = 30) -> str:
    """A chunk's title: its first sentence, or first phrase when that is long."""
    line = text.split("\n", 1)[0].strip()
    sentence = _SENTENCE_END.split(line, 1)[0].strip()
    if len(sentence) > limit:
        phrase = re.split(r"[，,：:]", sentence, maxsplit=1)[0].strip()
        sentence = phrase if phrase else sentence[:limit]
        if len(sentence) > limit * 2:
            sentence = sentence[:limit] + "…"
    return sentence.rstrip("：:")
