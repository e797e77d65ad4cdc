"""Owners in prose: the sentences of a plan that say who does what.

Read outside brackets and field lines (those are `index.ingest.owners`' own). The forms, with the
role each one's wording gives:

    X负责… / X对…负(总)责 / 由X负责… / X、Y按职责分工负责… /      X responsible
    X、Y在职责范围内，分别负责…
    X牵头… / X牵头，Y配合 / X牵头、Y参与的…                       X lead, Y cooperating
    X会同Y… / 由X会同Y… / 经X会同Y…                               X lead, Y cooperating
    由X提出 / 推荐 / 组织 / 承担 / 制定 / 审核 / 掌握 / … (the agent)  X responsible
    办公室设在X                                                    X responsible
    X是…责任主体 / X作为…主体                                      X responsible
    总指挥：X / 指挥长：X / 组长：X / 主任：X                        X lead
    副总指挥：X / 副指挥长：X / 副组长：X / 副主任：X                X responsible
    成员：X、Y、Z有关负责人                                        X, Y, Z cooperating

A command structure names its leaders by post (总指挥：国家发展改革委主要负责人): the post is kept
as written, it is the answer to "总指挥谁当". A 成员 list names the units whose 有关负责人 sit on
it: that shared tail is left off, so each member unit is named.

Where X starts: X is the whole clause before the verb (clauses end at ，；。：, outside brackets),
after an item mark, a leading 经/并/同时, or the last word that opens a subject inside a clause
(由, 要, 建立, 明确 …: "各省（区、市）政府要建立省级政府办公厅牵头" → 省级政府办公厅), and without a
manner phrase (按照各自职能分工, 在职责范围内, 分别, 主要 …). When that opener is a modal and no unit
list follows it, the subject is the one before the modal ("海关总署要继续做好牵头工作"). A clause left
empty by those takes its subject from the clause before, when that clause is nothing but units
("X、Y按照各自职能分工，负责…").

Not read: a duty without an owner verb ("试点地区要制定…", "各有关部门要认真组织实施…"): every
paragraph of a plan has one, and reading them would make every subject an owner.

What counts as a unit: a name the plan itself names in a field or bracket (`known`), or one that
looks like a unit — at most 30 characters, ending like one (…部 委 局 办 厅 署 院 行 会 社 中心 政府
部门 公司 …, a trailing （室） aside), holding no prose (的 要 建立 进行 对 …). A list is read whole or
not at all. 有关部门 and the like are units only as the subject of the sentence; after 会同 they name
no one and are left out. Nothing else is read: no unit is guessed.
"""

from __future__ import annotations

import bisect
import re

from ..models import Owner, Role
from .fields import paren_groups, split_top, statements
from .spans import sentence_at, sentence_starts
from .units import NOT_A_UNIT, UNIT_END, ends_like_unit, plausible_unit, split_units

_WINDOW = 120  # the longest clause searched for a subject, and for partners after 会同
_VERB = re.compile(
    r"负总责|负责(?![人同的])|牵头(?![的单部])|会同|设在|主体(?![责作])"
    r"|提出|推荐|组织|承担|制定|制订|审核|统筹|确定|报请|提请|掌握|实施|落实|指导"
)
_ROLE = {"牵头": Role.lead, "会同": Role.lead}  # the rest: responsible
_AGENT_ONLY = frozenset({"提出", "推荐", "组织", "承担", "制定", "制订", "审核", "统筹", "确定",
                         "报请", "提请", "掌握", "实施", "落实", "指导"})  # only after 由X
_SEPARATORS = re.compile(r"[，,；;。：:！!？?\n]")
_ITEM_MARK = re.compile(r"^\s*(?:[（(]\d{1,3}[）)]|\d{1,3}(?:\.\d{1,3})*[.．、\s\u3000])?\s*(?:同时|并且|并|经|另外|此外)?")
# Words after which a subject starts inside a clause; 由 not in 自由/理由, 要 not in 主要/重要/需要.
_OPENER = re.compile(r"(?<![自理])由|(?<![主重需必只])要|建立|成立|组建|明确|实行|形成|应当|必须|将")
_MODALS = frozenset({"要", "应当", "必须", "将"})
_MANNER = re.compile(
    r"(?:按照各自职能分工|按照?各自职责|按照?职责分工|按照?职能分工|按照?职责|依职责|根据职责分工"
    r"|在各自职责范围内|在职责范围内|分别|共同|具体|主要|统一|全面|切实|继续|应当|应该|必须|要|应|须|将|可|也|还|均|都)$"
)
_PROSE = re.compile(
    r"下设|设立|成立|建立|组建|要|将|把|按照|根据|通过|进行|执行|实行|推行|开展|做好|加强|推动|推进"
    r"|鼓励|支持|引导|特别|以及|应当|必须|可以|是|向|对|在|从|为|被|会同|牵头|负责|配合|参与"
)
_PROSE_UNIT_END = re.compile("(?:" + UNIT_END.pattern.removesuffix("$") + "|部门)$")
_TRAILING_GROUP = re.compile(r"[（(][^（()）]{1,4}[）)]$")
_GENERIC = re.compile(r"^(?:国务院|省级|市级|县级|各级|其他)?(?:有关|相关)(?:部门|单位|方面)(?:[（(]单位[）)])?$")
# Where the units after 会同 end: the verb of the sentence or a list's 等.
_PARTNERS_END = re.compile(
    r"等|负责|牵头|制订|制定|建立|提出|组织|筛选|对|及时|进行|开展|组建|统筹|共同|研究|做好|按照|根据|在|向"
    r"|实施|落实|编制|审核|拟定|确定|推进|推动|加强|完善|清算|办理|出台|印发|发布|起草|指导|协调|部署|召开|举办"
)
_COOPERATE = re.compile(r"配合|参与|协助|协办")
_VERB_INSIDE = re.compile(r"会同|牵头|负责|配合|参与|协助")
_OFFICE = ("办公室", "办", "秘书处")
_COMMAND = re.compile(r"^[ \t\u3000]*(副?总指挥|副?指挥长|副?组长|副?主任|成员)[ \t\u3000]*[：:][ \t\u3000]*(\S.*)$",
                      re.M)
_SHARED_TAIL = re.compile(r"(?:的)?(?:有关|主要|分管)?(?:负责人|负责同志|人员|同志)$")


class _Layout:
    """Where a text's brackets, field lines and clause separators are, for bisecting."""

    def __init__(self, text: str):
        spans = [(s, e) for s, e, _ in statements(text)]
        self._skip_starts = [s for s, _ in spans]
        self._skip_ends = [e for _, e in spans]
        groups = paren_groups(text)
        starts = [s for s, _ in groups]
        self.seps = [m.start() for m in _SEPARATORS.finditer(text)
                     if not _inside(starts, groups, m.start())]

    def skipped(self, pos: int) -> bool:
        """Inside a bracket or a field line: owners there are read as statements, not prose."""
        i = bisect.bisect_right(self._skip_starts, pos) - 1
        return i >= 0 and pos < self._skip_ends[i]

    def clause_start(self, pos: int) -> int | None:
        """Where the clause holding `pos` starts; None when that is more than _WINDOW back."""
        i = bisect.bisect_left(self.seps, pos) - 1
        start = self.seps[i] + 1 if i >= 0 else 0
        return start if pos - start <= _WINDOW else None

    def clause_end(self, pos: int) -> int:
        i = bisect.bisect_left(self.seps, pos)
        return min(self.seps[i] if i < len(self.seps) else pos + _WINDOW, pos + _WINDOW)


def _inside(starts: list[int], groups: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < groups[i][1]


# -- units -------------------------------------------------------------------------------------------

def looks_like_unit(name: str, known: frozenset[str] = frozenset()) -> bool:
    if name in known:
        return True
    core = _TRAILING_GROUP.sub("", name)  # 试点地区政府办公厅（室）
    return (2 <= len(core) <= 30 and bool(_PROSE_UNIT_END.search(core)) and plausible_unit(name)
            and not _PROSE.search(name))


def _join_distributive(pieces: list[str], known: frozenset[str]) -> list[str]:
    """各省、自治区、直辖市人民政府 is one unit: a piece that does not end like a unit shares the
    ending of the pieces after it."""
    out, pending = [], []
    for piece in pieces:
        if ends_like_unit(piece) or piece.endswith("部门") or piece in known:
            out.append("、".join([*pending, piece]))
            pending = []
        else:
            pending.append(piece)
    return out + pending


def _units(text: str, known: frozenset[str]) -> list[str] | None:
    """The unit list `text` is, whole, or None. A verb inside (X会同有关部门) makes it a clause,
    even where the list reader would cut the tail off."""
    if _VERB_INSIDE.search(text):
        return None
    units = _join_distributive(split_units(text.replace("或", "、")), known)
    return units if units and all(looks_like_unit(u, known) for u in units) else None


def _strip_manner(text: str) -> str:
    text = text.strip()
    for _ in range(4):  # 在职责范围内 + 分别 + 要 …
        stripped = _MANNER.sub("", text).strip()
        if stripped == text:
            break
        text = stripped
    return text


# -- subjects and partners ------------------------------------------------------------------------------

def _subjects(clause: str) -> tuple[list[str], str]:
    """Where the subject may be in the clause before a verb, best first, and the word that opened
    it ("" or 由 …): after the last opener, or — when that is a modal — before the first one
    ("海关总署要继续做好牵头工作": 海关总署)."""
    clause = _strip_manner(_ITEM_MARK.sub("", clause, count=1))  # 国务院办公厅将 | 会同
    openers = list(_OPENER.finditer(clause))
    if not openers:
        return [clause], ""
    last = openers[-1]
    found = [_strip_manner(clause[last.end():])]
    if last.group() in _MODALS:
        found.append(_strip_manner(clause[:openers[0].start()]))
    return found, last.group()


def _subject_units(text: str, layout: _Layout, verb: re.Match[str], known: frozenset[str]) -> list[str] | None:
    start = layout.clause_start(verb.start())
    if start is None:
        return None
    subjects, opener = _subjects(text[start:verb.start()])
    if verb.group() in _AGENT_ONLY and opener != "由":
        return None
    if not subjects[0]:
        return _previous_clause_units(text, layout, start, known)
    for subject in subjects:
        if verb.group() in ("负责", "负总责") and "对" in subject:  # X对…负总责
            units = _units(subject[:subject.index("对")], known)
            if units:
                return units
        units = _units(subject, known) if subject else None
        if units:
            return units
    return None


def _previous_clause_units(text: str, layout: _Layout, start: int, known: frozenset[str]) -> list[str] | None:
    """"X、Y按照各自职能分工，负责…": the clause before, when it is units and a manner phrase only."""
    if start == 0 or text[start - 1] not in "，,":
        return None
    before = layout.clause_start(start - 1)
    if before is None:
        return None
    clause = _strip_manner(_ITEM_MARK.sub("", text[before:start - 1], count=1))
    return _units(clause, known) if clause else None


def _partners(text: str, layout: _Layout, pos: int, known: frozenset[str]) -> list[str]:
    """The units after 会同 (without 有关部门 and the like); [] unless all look like units."""
    segment = text[pos:layout.clause_end(pos)]
    end = _PARTNERS_END.search(segment)
    units = _units(segment[:end.start()] if end else segment, known) or []
    return [u for u in units if not _GENERIC.match(u)]


def _cooperating_after_lead(text: str, layout: _Layout, pos: int, known: frozenset[str]) -> list[str]:
    """"X牵头，Y配合" / "X牵头、Y参与的…": the units before the cooperating verb that follows."""
    if pos >= len(text) or text[pos] not in "，、,":
        return []
    segment = text[pos + 1:layout.clause_end(pos + 1)]
    verb = _COOPERATE.search(segment)
    return (_units(segment[:verb.start()], known) or []) if verb else []


def _hosted_by(text: str, layout: _Layout, verb: re.Match[str], known: frozenset[str]) -> list[str]:
    """"办公室设在国家粮食局": the host unit."""
    start = layout.clause_start(verb.start())
    if start is None or not text[start:verb.start()].rstrip().endswith(_OFFICE):
        return []
    return _units(text[verb.end():layout.clause_end(verb.end())], known) or []


def _responsible_subject(text: str, layout: _Layout, verb: re.Match[str], known: frozenset[str]) -> list[str]:
    """"X是…责任主体" / "X作为…主体"."""
    start = layout.clause_start(verb.start())
    if start is None:
        return []
    clause = text[start:verb.start()]
    m = re.search(r"是|作为", clause)
    return (_units(_strip_manner(_ITEM_MARK.sub("", clause[:m.start()], count=1)), known) or []) if m else []


# -- statements ------------------------------------------------------------------------------------------

def _verb_owners(text: str, layout: _Layout, verb: re.Match[str], known: frozenset[str]) -> list[Owner]:
    word = verb.group()
    if word == "设在":
        return [Owner(role=Role.responsible, unit=u) for u in _hosted_by(text, layout, verb, known)]
    if word == "主体":
        return [Owner(role=Role.responsible, unit=u) for u in _responsible_subject(text, layout, verb, known)]
    subject = _subject_units(text, layout, verb, known)
    if not subject:
        return []
    owners = [Owner(role=_ROLE.get(word, Role.responsible), unit=u) for u in subject]
    if word == "会同":
        owners += [Owner(role=Role.cooperating, unit=u) for u in _partners(text, layout, verb.end(), known)]
    elif word == "牵头":
        owners += [Owner(role=Role.cooperating, unit=u)
                   for u in _cooperating_after_lead(text, layout, verb.end(), known)]
    return owners


def _command_owners(text: str) -> list[tuple[int, Owner]]:
    """总指挥：X / 副总指挥：X / 成员：X、Y… lines of a command structure."""
    found = []
    for m in _COMMAND.finditer(text):
        post, value = m.group(1), m.group(2).rstrip("。；;，, \t\u3000")
        role = Role.cooperating if post == "成员" else Role.responsible if post.startswith("副") else Role.lead
        names = split_top(value, "、，,；;")
        if post == "成员" and names and not any(_SHARED_TAIL.search(n) for n in names[:-1]):
            names[-1] = _SHARED_TAIL.sub("", names[-1]) or names[-1]
        if names and all(plausible_unit(n) for n in names):
            found += [(m.start(), Owner(role=role, unit=n)) for n in names]
    return found


def prose_owners(text: str, *, known: frozenset[str] = frozenset()) -> list[Owner]:
    """Owners that the sentences of `text` name, in order, each with its sentence index (not
    deduplicated). `known`: units the plan names in fields and brackets."""
    layout = _Layout(text)
    found = _command_owners(text)
    for verb in _VERB.finditer(text):
        if not layout.skipped(verb.start()):
            found += [(verb.start(), o) for o in _verb_owners(text, layout, verb, known)]
    found.sort(key=lambda pair: pair[0])
    starts = sentence_starts(text)
    return [o.model_copy(update={"sentence": sentence_at(starts, pos)}) for pos, o in found]
