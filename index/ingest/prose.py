"""Owners in prose: the sentences of a plan that say who does what.

Read outside brackets and field lines (those are `index.ingest.owners`' own). The forms, with the
role each one's wording gives:

    X负责… / X对…负(总)责 / 由X负责… / X、Y按职责分工负责… /      X responsible
    X、Y在职责范围内，分别负责…
    X牵头… / X牵头，Y配合 / X牵头、Y参与的…                       X lead, Y cooperating
    X会同Y… / 由X会同Y… / 经X会同Y…                               X lead, Y cooperating
    X抓总 / X为牵头单位 / X作为牵头部门                            X lead
    X配合… / X协助… / X为配合单位                                  X cooperating
    X：负责… / X：牵头… / X：配合… (a duty list, the unit opening a line) X by its first words
    X为责任单位 / X为责任主体 / 由X承办                            X responsible
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

A duty with a modal and no owner verb is read only where a public body opens the sentence:
"试点地区要结合实际抓紧制定具体实施方案" / "省级人民政府应当…" name X responsible for that
sentence. Its subject must end like an administrative body (…地区 城市 政府 部门 机关 局 委 部 办
厅 署): "高等职业学校要培养…" and "企业应当依法履行…" address schools and companies in general,
and 各有关部门 / 各地区 / 各级政府 name no one.

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
from .fields import ENDS_IN_FIELD, paren_groups, split_top, statements
from .spans import sentence_at, sentence_starts
from .units import NOT_A_UNIT, UNIT_END, ends_like_unit, plausible_unit, split_units

_WINDOW = 120  # the longest clause searched for a subject, and for partners after 会同
_VERB = re.compile(
    r"负总责|负责(?![人同的])|牵头(?![的单部])|会同|设在|主体(?![责作])"
    r"|提出|推荐|组织(?!部)|承担|承办|制定|制订|审核|统筹|确定|报请|提请|掌握|实施|落实|指导|抓总"
    r"|配合|协助|协办"
)
_ROLE = {"牵头": Role.lead, "会同": Role.lead, "抓总": Role.lead,
         "配合": Role.cooperating, "协助": Role.cooperating, "协办": Role.cooperating}  # the rest: responsible
_AGENT_ONLY = frozenset({"提出", "推荐", "组织", "承担", "承办", "制定", "制订", "审核", "统筹", "确定",
                         "报请", "提请", "掌握", "实施", "落实", "指导"})  # only after 由X
# "X为牵头单位" / "X作为责任主体": the role the sentence names.
_NAMED_ROLE_FORMS = (r"(?:为|作为|是)(?P<role>牵头|主责|责任|配合|协办)(?:单位|部门)"
                     r"|(?:为|作为|是)(?:[^，,。；;]{0,12}的)?(?:责任主体|第一责任人)")
# "责任单位为X" / "牵头部门是X": the role first, then who has it.
_ROLE_IS_FORMS = (r"(?<![^，,。；;\s])(?P<role>牵头|主责|责任|配合|协办)(?:单位|部门)(?:为|是)"
                  r"(?P<x>[^，,。；;：:]{2,80})")
_NAMED = {"牵头": Role.lead, "主责": Role.lead, "配合": Role.cooperating, "协办": Role.cooperating}
# Subjects that look like a unit by their ending but are everyone: 全社会参与.
_EVERYONE = ("社会", "各界", "全民", "群众")  # 全社会 / 动员社会各界 / 广大群众
_LEADING_GROUP = re.compile(r"^(?:[（(][^（()）]*[）)])+")  # a bracket closing the sentence before
_SEPARATORS = re.compile(r"[，,；;。：:！!？?\n]")
_ITEM_MARK = re.compile(r"^\s*(?:[（(]\d{1,3}[）)]|\d{1,3}(?:\.\d{1,3})*[.．、\s\u3000])?\s*(?:同时|并且|并|经|另外|此外)?")
# Words after which a subject starts inside a clause; 由 not in 自由/理由, 要 not in 主要/重要/需要.
_OPENER_FORMS = r"(?<![自理])由|(?<![主重需必只])要|建立|成立|组建|明确|实行|形成|应当|必须|将"
# The patterns above that open with a lookbehind or an alternation, led by the characters they
# can start with: the engine then skips any other position at once instead of trying each form
# there (the same matches, 1.3-1.7x faster; as deadlines.DATE_STARTS, and tested alike).
_NAMED_ROLE = re.compile(f"(?=[为作是])(?:{_NAMED_ROLE_FORMS})")
_ROLE_IS = re.compile(f"(?=[牵主责配协])(?:{_ROLE_IS_FORMS})")
_OPENER = re.compile(f"(?=[由要建成组明实形应必将])(?:{_OPENER_FORMS})")
_MODALS = frozenset({"要", "应当", "必须", "将"})
_MANNER = re.compile(
    r"(?:按照各自职能分工|按照?各自职责|按照?职责分工|按照?职能分工|按照?职责|依职责|根据职责分工"
    r"|在各自职责范围内|在职责范围内|分别|共同|具体|主要|统一|全面|切实|继续|应当|应该|必须|要|应|须|将|可|也|还|均|都)$"
)
_PROSE = re.compile(
    r"下设|设立|成立|指定|委托|明确|建立|组建|要|将|把|按照|根据|通过|进行|执行|实行|推行|开展|做好|加强|推动|推进"
    r"|鼓励|支持|引导|特别|以及|应当|必须|可以|是|向|对|在|从|为|被|会同|牵头|负责|配合|参与"
)
# 各乡镇 / 各街道 (各乡镇（街道）) are the town governments: units in prose though no office ending;
# so are each county, village or community of a list (各县（市、区）, 各县市区, 各村, 各社区).
_PROSE_UNIT_END = re.compile("(?:" + UNIT_END.pattern.removesuffix("$")
                             + "|部门|乡镇|街道|机构|^各(?:[省市县区州盟旗乡镇村]|社区)+)$")
_TRAILING_GROUP = re.compile(r"[（(][^（()）]{1,4}[）)]$")
_GENERIC = re.compile(r"^(?:国务院|省级|市级|县级|各级|其他)?(?:有关|相关)(?:部门|单位|方面)(?:[（(]单位[）)])?$")
# Where the units after 会同 end: the verb of the sentence or a list's 等.
_PARTNERS_END = re.compile(
    r"等|负责|牵头|制订|制定|建立|提出|组织|筛选|对|及时|进行|开展|组建|组成|成立|抽调|采取|统筹|共同|研究|做好|按照|根据|在|向"
    r"|实施|落实|编制|审核|拟定|确定|推进|推动|加强|完善|清算|办理|出台|印发|发布|起草|指导|协调|部署|召开|举办"
)
_COOPERATE = re.compile(r"配合|参与|协助|协办")
_COOPERATING_VERBS = frozenset({"配合", "协助", "协办"})
_VERB_INSIDE = re.compile(r"会同|牵头|负责|配合|参与|协助")
_OFFICE = ("办公室", "办", "秘书处")
# A duty list of an emergency plan or a division of work: "县公安局：负责事发地治安维护…" — the unit,
# a colon, its duties (the role from the first words: 牵头… leads, 配合… cooperates).
# The leading blanks are possessive (*+): a line of 200k spaces must not be re-split between
# them and the unit at every length (quadratic; tests/index/ingest/test_owners.py's no_hang).
_UNIT_COLON = re.compile(r"^[ \t\u3000]*+(?P<x>[^：:，,。；;\n]{2,30})[ \t\u3000]*[：:][ \t\u3000]*(?P<duty>\S)", re.M)
_COLON_ROLE = re.compile(r"(?:主要)?(?P<lead>牵头|抓总)|(?P<coop>配合|协助|参与|协办)")
# Not one unit: members in general; a field's name (fields.ENDS_IN_FIELD: 实施单位：…, 督办单位：…,
# or written as a heading, 明确责任单位：…) is not either.
_MEMBERS = re.compile(r"成员单位$|^各(?:有关|相关)?单位$")
_COMMAND = re.compile(r"^[ \t\u3000]*(副?总指挥|副?指挥长|副?组长|副?主任|成员)[ \t\u3000]*[：:][ \t\u3000]*(\S.*)$",
                      re.M)
# "X要/应当/须…" at a sentence's start (after an item mark or 同时/并): X, then the modal.
# X may be a list (各省、自治区、直辖市人民政府 / 县财政局、县民政局) and hold short brackets
# (各县（市、区）人民政府); 将 as in "国务院办公厅将于2020年4月底前组织…", and a body doing
# something on a schedule: "县委督查室每月对…进行督查" / "县统计局定期发布…".
_DUTY = re.compile(r"(?:同时|并且|并|另外|此外)?[，,]?(?P<x>(?:[^，,。；;：:（()）“”\s]|[（(][^（()）]{1,8}[）)]){2,60}?)"
                   r"(?:要(?![求点素闻件])|应当|应(?![急用对])|必须|须|将(?![来])|每(?=[月季年周旬])|定期)")
# A duty's modal is read within this many characters of the clause start, and each of _DUTY's modals
# holds one of _MODAL_CHARS: a clause start with none of them in reach opens no duty.
_DUTY_HEAD = 100
_MODAL_CHARS = re.compile("[要应必须将每定]")
_DUTY_SUBJECT = re.compile(r"(?:地区|城市|政府|部门|机关|乡镇|街道|中心|小组|[局委部办厅署室])(?:[（(][^（()）]{1,8}[）)])?$")
# A sentence may open with when its duty applies: "出现险情时，X要…" / "…预案启动后，X要…".
_CONDITION = re.compile(r"^[^，,。；;\n]{2,40}?(?:时|后|以后|之后|期间|情况下)[，,]")
# Subjects that address everyone and name no one: 各地区, 各级政府, 国务院有关部门, 政府部门, 地方政府, 行政部门.
_NO_ONE = re.compile(r"^各(?:地|地区|地方)?(?:各)?(?:部门|单位|地区|地方)?$|有关|相关|^各级|^中央和地方|^政府部门$"
                     r"|^地方|^(?:行政|职能|主管|业务)部门$")
_SHARED_TAIL = re.compile(r"(?:的)?(?:有关|主要|分管)?(?:负责人|负责同志|人员|同志)$")


class _Layout:
    """Where a text's brackets, field lines and clause separators are, for bisecting."""

    def __init__(self, text: str):
        spans = [(s, e) for s, e, _ in statements(text)]
        self._skip_starts = [s for s, _ in spans]
        self._skip_ends = [e for _, e in spans]
        groups = paren_groups(text)
        starts = [s for s, _ in groups]
        # the separators' offsets gathered in C, and only looked at one by one where brackets are
        seps = list(map(re.Match.start, _SEPARATORS.finditer(text)))
        self.seps = [pos for pos in seps if not _inside(starts, groups, pos)] if groups else seps

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

def _named_role_owners(text: str, layout: _Layout, known: frozenset[str]) -> list[tuple[int, Owner]]:
    """"X为牵头单位，Y为配合单位" / "X作为责任主体": X is the clause before 为/作为/是."""
    found = []
    for m in _NAMED_ROLE.finditer(text):
        start = layout.clause_start(m.start())
        if start is None or layout.skipped(m.start()):
            continue
        subject = _LEADING_GROUP.sub("", _strip_manner(_ITEM_MARK.sub("", text[start:m.start()], count=1)))
        subject = subject.removeprefix("以")  # 以X为责任主体
        role = _NAMED.get(m.group("role") or "", Role.responsible)
        units = _units(subject, known) or []
        found += [(m.start(), Owner(role=role, unit=u)) for u in units if len(u) > 2 and not u.endswith(_EVERYONE)]
    return found


def _role_is_owners(text: str, layout: _Layout, known: frozenset[str]) -> list[tuple[int, Owner]]:
    """"责任单位为县民政局" / "牵头部门是县教育局，配合部门是…": the units after 为/是."""
    found = []
    for m in _ROLE_IS.finditer(text):
        if not layout.skipped(m.start()):
            role = _NAMED.get(m.group("role"), Role.responsible)
            found += [(m.start(), Owner(role=role, unit=u)) for u in _units(m.group("x"), known) or []]
    return found


def _verb_owners(text: str, layout: _Layout, verb: re.Match[str], known: frozenset[str]) -> list[Owner]:
    word = verb.group()
    if word == "设在":
        return [Owner(role=Role.responsible, unit=u) for u in _hosted_by(text, layout, verb, known)]
    if word == "主体":
        return [Owner(role=Role.responsible, unit=u) for u in _responsible_subject(text, layout, verb, known)]
    subject = _subject_units(text, layout, verb, known)
    if not subject or (word in _COOPERATING_VERBS and any(u.endswith(_EVERYONE) for u in subject)):
        return []
    owners = [Owner(role=_ROLE.get(word, Role.responsible), unit=u) for u in subject]
    if word == "会同":
        owners += [Owner(role=Role.cooperating, unit=u) for u in _partners(text, layout, verb.end(), known)]
    elif word == "牵头":
        owners += [Owner(role=Role.cooperating, unit=u)
                   for u in _cooperating_after_lead(text, layout, verb.end(), known)]
    return owners


def _unit_colon_owners(text: str, layout: _Layout, known: frozenset[str]) -> list[tuple[int, Owner]]:
    """"县公安局：负责…" / "县教育局：牵头组织…": a line that opens with a unit and a colon."""
    found = []
    for m in _UNIT_COLON.finditer(text):
        x = _ITEM_MARK.sub("", m.group("x"), count=1).strip()
        if layout.skipped(m.end("x") - 1) or _COMMAND.match(m.group()) or _MEMBERS.search(x) \
                or ENDS_IN_FIELD.search(x):
            continue
        if looks_like_unit(x, known):
            role = _COLON_ROLE.match(text, m.start("duty"))
            kind = Role.responsible if role is None else Role.lead if role.group("lead") else Role.cooperating
            found.append((m.start("x"), Owner(role=kind, unit=x)))
    return found


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


def _duty_owners(text: str, starts: list[int], known: frozenset[str]) -> list[tuple[int, Owner]]:
    """"试点地区要…" / "推进…建设，各区县人民政府要…" / "出现险情时，县防汛指挥部要…": the public
    bodies whose duty a sentence or clause (`starts`) opens with, after the condition it may start with."""
    modals = list(map(re.Match.start, _MODAL_CHARS.finditer(text)))
    found = []
    for start in starts:
        i = bisect.bisect_left(modals, start)
        if i == len(modals) or modals[i] >= start + _DUTY_HEAD:
            continue  # no modal within reach: no duty opens here (half the clauses)
        head = _ITEM_MARK.sub("", text[start:start + _DUTY_HEAD], count=1)
        units = _duty_units(head, known)
        if not units and (condition := _CONDITION.match(head)):
            units = _duty_units(head[condition.end():], known)
        found += [(start, Owner(role=Role.responsible, unit=u)) for u in units]
    return found


# "X及其有关部门要…": X and whichever of its departments it sets to work, which are named by X.
_AND_ITS = re.compile(r"及其(?:有关|相关|所属)?(?:部门|单位|机构)$")


def _duty_units(head: str, known: frozenset[str]) -> list[str]:
    """The units of the duty `head` opens with ("X、Y要…"), all or none."""
    m = _DUTY.match(head)
    units = _join_distributive(split_units(_AND_ITS.sub("", m.group("x"))), known) if m else []
    ok = units and all(u in known or _DUTY_SUBJECT.search(u) and not _NO_ONE.search(u)
                       and not NOT_A_UNIT.search(u) and not _PROSE.search(u) for u in units)
    return units if ok else []


def prose_owners(text: str, *, known: frozenset[str] = frozenset()) -> list[Owner]:
    """Owners that the sentences of `text` name, in order, each with its sentence index (not
    deduplicated). `known`: units the plan names in fields and brackets."""
    layout = _Layout(text)
    found = _command_owners(text) + _unit_colon_owners(text, layout, known)
    for verb in _VERB.finditer(text):
        if not layout.skipped(verb.start()):
            found += [(verb.start(), o) for o in _verb_owners(text, layout, verb, known)]
    starts = sentence_starts(text)
    clauses = sorted({*starts, *(pos + 1 for pos in layout.seps if text[pos] in "，,")})
    # those in a bracket or a field line are the statements' (a duty is found at its clause start)
    found += _duty_owners(text, [pos for pos in clauses if not layout.skipped(pos)], known)
    found += _named_role_owners(text, layout, known)
    found += _role_is_owners(text, layout, known)
    found.sort(key=lambda pair: pair[0])
    return [o.model_copy(update={"sentence": sentence_at(starts, pos)}) for pos, o in found]
