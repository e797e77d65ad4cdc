"""Field labels and brackets in plan text: 牵头单位：… lines and （责任部门：…；完成时间：…） groups.

The grammar owners and deadlines are both read through (`index.ingest.owners` takes the unit
fields, `index.ingest.deadlines` the 完成时限 fields), and the one list of field labels the PDF
reader also uses to keep a field line from being joined to the line above it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from functools import lru_cache

from ..lazy_re import lazy
from ..models import Role

OPEN = "（("
CLOSE = "）)"
_BRACKET = lazy(r"[（()）]")

# Field names. A suffix is required after 责任/负责 (责任 alone is too common a word); the other
# prefixes are field names on their own (``牵头：县委组织部``).
_SUFFIX = r"(?:单位|部门|领导|科室|处室|股室|人)"
# 主办 pairs with 协办 as 牵头 with 配合; 承办 / 实施 / 落实单位 is the unit that does the task.
_LEAD_FIELD = rf"牵头(?:[县市区镇乡])?{_SUFFIX}?|主办{_SUFFIX}"  # 牵头县领导
_RESP_FIELD = (rf"(?:主要)?(?:责任|负责){_SUFFIX}(?:及责任人)?|责任主体|主责{_SUFFIX}?"  # 主要责任人
               rf"|(?:承办|实施|落实|执行)(?:单位|部门|科室|处室|股室|主体)")
_COOP_FIELD = rf"(?:配合|协办|参与|协助|协同){_SUFFIX}?"
_DEADLINE_FIELD = r"(?:完成|办结|截止)?(?:时间节点|时限|时间|期限)"
# A field name counts only at the start of a segment: after the start, a separator or a space.
_FIELD = lazy(
    rf"(?<![^；;，,。\s])(?P<name>{_LEAD_FIELD}|{_RESP_FIELD}|{_COOP_FIELD}|{_DEADLINE_FIELD})\s*[：:]"
)
_RUN_END = lazy(r"[。！!？?]")  # where a run of inline fields may end
_BLANK_TO_END = lazy(r"\s*$")
_DEADLINE_NAME = lazy(rf"{_DEADLINE_FIELD}")
# Labels of fields PlanBot does not read as owners, which still start a field of their own.
_OTHER_FIELD = r"主办|承办|经办|督办(?:单位|部门|领导)?|督导(?:单位|部门|领导)|分管领导|联系领导|包联领导|联系人"
_ANY_FIELD = rf"{_LEAD_FIELD}|{_RESP_FIELD}|{_COOP_FIELD}|{_DEADLINE_FIELD}|{_OTHER_FIELD}"
# A line that starts with a field label (for the PDF reader's line joining).
LABEL = lazy(rf"\s*(?:{_ANY_FIELD})\s*[：:]")
# A name that ends in a field's name (实施单位, 明确责任单位): a label, never a unit.
ENDS_IN_FIELD = lazy(rf"(?:{_ANY_FIELD})$")


def paren_groups(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of the top-level bracket groups, brackets included, in text order.

    Full- and half-width brackets pair with each other (plans mix them: 党委(党组）), nested groups
    stay inside their parent (各村（社区）党组织), and unmatched brackets are ignored."""
    return list(_paren_groups(text))  # a copy: the remembered list stays as it was found


@lru_cache(maxsize=2048)  # an item's groups are wanted by its statements and by its prose layout
def _paren_groups(text: str) -> list[tuple[int, int]]:
    if "（" not in text and "(" not in text:
        return []  # no group opens (most lines); only the loop below pairs brackets up
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for m in _BRACKET.finditer(text):
        if m.group() in OPEN:
            stack.append(m.start())
        elif stack:
            pairs.append((stack.pop(), m.end()))
    pairs.sort()
    top: list[tuple[int, int]] = []
    reach = -1
    for start, end in pairs:
        if start >= reach:
            top.append((start, end))
            reach = end
    return top


def in_brackets(text: str) -> Callable[[int], bool]:
    """Whether a position of `text` is inside one of its bracket groups (`paren_groups`)."""
    groups = paren_groups(text)
    starts = [s for s, _ in groups]
    return lambda pos: not _outside(groups, starts, pos)


def split_fields(segment: str) -> list[tuple[str, str]]:
    """Name/value pairs of a field segment such as '责任部门：组织办；完成时间：2022年10月'.

    Returns [] unless the segment starts with a field name and a colon."""
    matches = list(_FIELD.finditer(segment))
    if not matches or segment[: matches[0].start()].strip():
        return []
    pairs = []
    for m, nxt in zip(matches, matches[1:] + [None]):
        value = segment[m.end(): nxt.start() if nxt else len(segment)]
        pairs.append((m.group("name"), value.strip().strip("；;，,。 \t\u3000")))
    return pairs


def _field_lines(text: str) -> list[tuple[int, int, list[tuple[str, str]]]]:
    """(start, end, fields) of every line that is a field line, and of every run of fields written
    after a sentence on the same line ("…新建学校2所。牵头单位：县教育局；完成时限：6月底前。");
    a whole line's end includes the line break. Lines break where str.splitlines breaks them
    (\r\n and \r too: converted documents)."""
    if not _FIELD.search(text):
        # Most items name no field at all. A field found in a line is found in the whole text
        # too: a line starts after a line break, which the label's lookbehind accepts.
        return []
    found, pos = [], 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        fields = split_fields(stripped) if _FIELD.match(stripped) else []
        if fields:
            found.append((pos, pos + len(line), fields))
        else:
            found += [(pos + a, pos + b, split_fields(line[a:b])) for a, b in _inline_runs(line)]
        pos += len(line)
    return found


def _inline_runs(line: str) -> list[tuple[int, int]]:
    """Where the runs of fields written after a sentence of `line` start and end, outside
    brackets (a bracket of fields is a statement of its own): from a field name that follows
    。；， to the line's end, or to the first sentence end that no further field follows."""
    inside: Callable[[int], bool] | None = None  # the line's brackets, found at its first field name
    runs: list[tuple[int, int]] = []
    for m in _FIELD.finditer(line):
        if m.start() == 0 or (runs and m.start() < runs[-1][1]):
            continue  # (a line that opens with a field is a field line, read whole)
        if inside is None:
            inside = in_brackets(line)
        if inside(m.start()):
            continue
        end = next((e.end() for e in _RUN_END.finditer(line, m.end()) if not inside(e.start())
                    and not _BLANK_TO_END.match(line, e.end()) and not LABEL.match(line, e.end())),
                   len(line.rstrip("\r\n")))
        runs.append((m.start(), end))
    return runs


def _outside(spans: list[tuple[int, int, object]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i < 0 or pos >= spans[i][1]


def statements(text: str) -> list[tuple[int, int, list[tuple[str, str]] | str]]:
    """Field lines and bracket groups in text order: (start, end, fields or the bracket's inner
    text). Brackets inside a field line belong to its value and are not listed."""
    return list(_statements(text))  # a copy: the remembered list stays as it was found


@lru_cache(maxsize=2048)  # owners, prose and deadlines each read an item's statements
def _statements(text: str) -> list[tuple[int, int, list[tuple[str, str]] | str]]:
    lines = _field_lines(text)
    starts = [s for s, _, _ in lines]
    found: list[tuple[int, int, list[tuple[str, str]] | str]] = list(lines)
    for start, end in paren_groups(text):
        if not _outside(lines, starts, start):
            continue
        inner = text[start + 1: end - 1]
        found.append((start, end, split_fields(inner) or inner))
    found.sort(key=lambda s: s[0])
    return found


def field_pairs(text: str) -> list[tuple[str, str]]:
    """All (field name, value) pairs of an item, from field lines and field brackets, in order."""
    return [pair for _, _, f in statements(text) if isinstance(f, list) for pair in f]


def is_deadline_field(name: str) -> bool:
    return bool(_DEADLINE_NAME.fullmatch(name))


def owner_field_role(name: str) -> Role | None:
    """The role an owner field gives its units; None for other fields (完成时限 …)."""
    if is_deadline_field(name):
        return None
    if name.startswith(("牵头", "主办")):
        return Role.lead
    if name.startswith(("配合", "协办", "参与", "协助", "协同")):
        return Role.cooperating
    return Role.responsible


def split_top(s: str, seps: str) -> list[str]:
    """Split on any char of `seps` outside brackets: 各省（区、市）人民政府 is one unit."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(s):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in seps:
            parts.append(s[start:i])
            start = i + 1
    parts.append(s[start:])
    return [p.strip() for p in parts if p.strip()]
