"""Citations: stored item rows → the Citation an answer carries, and how an item is named.

`heading` is the one way an item's place is shown to a user (二 › 3. 标题): the terminal, the
bot and the answer sentences all name items through it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..ingest.fields import LABEL
from ..lazy_re import lazy
from ..models import Citation, Deadline, Owner
from ..search.corpus import Corpus
from ..text import sentences as split_sentences
from .counts import states_count


Fetch = Callable[[list[int]], dict[int, tuple]]  # item ids → stored rows (Store.items_by_id)
MAX_RECORDS = 4096  # parsed item records kept in memory per corpus (see `records`)


_PARAGRAPH = lazy(r"^第\d+段$")  # the key of a paragraph item (index.ingest.structure)
_NUMERAL = lazy(r"^[一二三四五六七八九十百零〇两]+$")  # a 一、 heading's key
_TWO_CJK = lazy(r"[\u4e00-\u9fff]{2}")
_NOTE = lazy(r"[（(]|[^，,。]{1,8}[：:]")  # a bracket or a field (牵头单位：) opening a sentence


def own(c: Citation) -> str:
    """The item's own label and title: "3. 统筹做好…", "第四条 村干部…", "（一）工作目标"
    ("3." and "第四条" read better with a space; "（一）" and "一、" end in punctuation)."""
    label = c.label.strip() or (c.path[-1] if c.path and c.kind != "preamble" else "")
    if not c.label.strip() and len(c.path) > 1 and _PARAGRAPH.match(label):
        parent = c.path[-2]  # "第3段" alone does not say of what: "（一）第3段", "一、第2段", "4.2.1 第1段"
        label = f"{parent} {label}" if parent[-1].isascii() else f"{parent}、{label}" \
            if _NUMERAL.match(parent) else parent + label
    title = c.title.strip()
    if label and title:
        spaced = label[-1].isascii() or label[-1].isalpha() or not c.label.strip()  # 3. / 第四条 / 第2段
        return f"{label} {title}" if spaced else f"{label}{title}"
    return label or title


def body(c: Citation) -> str:
    """The item's text without its owner and deadline field lines and brackets: shown in full
    above the owners and time limits listed once, each fact once."""
    from ..ingest.owners import strip_owner_notes  # here: the ingest rules load only to show an item

    return strip_owner_notes(c.text) or c.text


def quote(c: Citation) -> str:
    """The text shown under a citation's heading: its sentence; "" for a section whose sentence
    is its title alone (三、实施步骤 over 实施步骤 says it twice)."""
    shown = c.sentence or c.title or c.text
    return "" if c.kind == "section" and repeats_title(shown, c.title.strip()) else shown


def repeats_title(sentence: str, title: str) -> bool:
    """Whether a sentence is its item's title and nothing more (加强干部教育培训。 under 「1. 加强干部
    教育培训」): quoted or said, it would say the title twice."""
    return bool(title) and sentence.rstrip("。；;：: ") == title


def heading(c: Citation) -> str:
    """`二 › 3. 标题`: the ancestors' keys, then the item's own label and title."""
    ancestors = c.path[:-1] if c.kind != "preamble" and c.path else list(c.path)
    name = own(c) if c.label.strip() else c.title.strip()
    return " › ".join([*ancestors, name]) if name else " › ".join(ancestors)


def cite(corpus: Corpus, fetch: Fetch, rows: Sequence[int] | np.ndarray, scores: Iterable[float] | None = None,
         terms: Iterable[str] = ()) -> list[Citation]:
    """Citations of corpus rows. A row gone since the snapshot (a concurrent write, seen at
    the next question) is left out."""
    rows = np.asarray(rows, dtype=np.int64)
    scores = list(scores) if scores is not None else [0.0] * len(rows)
    found = records(corpus, fetch, rows)
    words = set(terms)
    out = []
    for item_id, plan_id, score in zip(corpus.ids[rows].tolist(), corpus.plan_ids[rows].tolist(), scores):
        rec = found.get(item_id)
        if rec is not None and rec.plan_id == plan_id:
            out.append(_citation(rec, score, words))
    return out


def children(corpus: Corpus, fetch: Fetch, section_row: int) -> list[Citation]:
    """The items under a section row (any depth), in order."""
    start, end = section_row + 1, corpus.subtree_end(section_row)
    items = start + np.flatnonzero(corpus.mask(("item",), None)[start:end])
    return cite(corpus, fetch, items)


@dataclass(frozen=True, slots=True)
class Record:
    """An item as a citation shows it, parsed once from its stored row: the JSON columns
    decoded, the owner and deadline models made, the text split into sentences (and lowered,
    for `best_sentence`). The engine wrote these rows itself, so they are trusted."""

    item_id: int
    plan_id: int
    plan: str
    kind: str
    label: str
    path: tuple[str, ...]
    path_titles: tuple[str, ...]
    title: str
    text: str
    owners: tuple[Owner, ...]
    deadlines: tuple[Deadline, ...]
    sentences: tuple[str, ...]
    lowered: tuple[str, ...]
    facts: tuple[bool, ...]  # per sentence: only the item's fields (`_facts_only`), never quoted if another is


def records(corpus: Corpus, fetch: Fetch, rows: Sequence[int] | np.ndarray) -> dict[int, Record]:
    """The records of `rows` by item id: those cited before from this corpus (or the one it
    grew from) are kept in memory, the rest read in one query. A snapshot that loses a plan
    starts with none (Corpus.without_plan), so a kept record never outlives its row."""
    kept = corpus.records
    ids = corpus.ids[np.asarray(rows, dtype=np.int64)].tolist()
    missing = [i for i in ids if i not in kept]
    if missing:
        if len(kept) + len(missing) > MAX_RECORDS:  # bounded: the most cited come back soon
            kept.clear()
        for item_id, row in fetch(missing).items():
            kept[item_id] = _record(row)
    return {i: kept[i] for i in ids if i in kept}


def _record(row: tuple) -> Record:
    (item_id, plan_id, plan_title, kind, label, key, ancestors, title, text,
     owners, deadlines) = row
    heads = json.loads(ancestors)
    sentences = tuple(split_sentences(text))
    return Record(item_id, plan_id, plan_title, kind, label,
                  tuple([h["key"] for h in heads] + ([key] if key else [])),
                  tuple(h["title"] for h in heads), title, text,
                  tuple(Owner(**o) for o in json.loads(owners)),
                  tuple(Deadline(**d) for d in json.loads(deadlines)),
                  sentences, tuple(s.lower() for s in sentences), tuple(map(_facts_only, sentences)))


def _citation(rec: Record, score: float, terms: set[str]) -> Citation:
    return Citation(
        item_id=rec.item_id, plan=rec.plan, plan_id=rec.plan_id, kind=rec.kind, label=rec.label,
        path=list(rec.path), path_titles=list(rec.path_titles), title=rec.title, text=rec.text,
        sentence=_past_title(rec, _best(rec.sentences, rec.lowered, terms, rec.facts), terms),
        owners=list(rec.owners), deadlines=list(rec.deadlines), score=round(float(score), 4),
    )


def _past_title(rec: Record, sentence: str, terms: set[str] | Sequence[str] = ()) -> str:
    """The sentence after `sentence` where `sentence` is the item's heading alone: 「1. 加强干部
    教育培训」 quoting 加强干部教育培训。 says nothing its citation does not. Not a field or
    bracket after it (（责任部门：…） / 完成时限：…): those are the item's facts, shown apart; nor
    one holding none of the words searched for where the heading holds them (有没有说加班费:
    6.4.1's first sentence says 加班等补助, the one after it 表彰和奖励), unless the heading stands on
    a line of its own: then what follows is what it says (08's （三）工作目标。 over its 2019年12月
    底前…, asked 工作目标是啥)."""
    if not repeats_title(sentence, rec.title):
        return sentence
    at = rec.sentences.index(sentence) + 1 if sentence in rec.sentences else len(rec.sentences)
    after = rec.sentences[at] if at < len(rec.sentences) else ""
    if not after or _NOTE.match(after):
        return sentence
    lowered = after.lower()
    if any(t in sentence.lower() for t in terms) and not any(t in lowered for t in terms) \
            and sentence + "\n" not in rec.text:
        return sentence
    return after


def _facts_only(sentence: str) -> bool:
    """A field line (牵头单位：…), a bracket of fields cut at its ； (（责任部门：组织办；), or a
    closed bracket with nothing after it. Not （X指导）按照…处理。: a bracket closing the sentence
    before it, then a task of its own."""
    if LABEL.match(sentence):
        return True
    if sentence[:1] not in "（(":
        return False
    close = min((i for i in (sentence.find("）"), sentence.find(")")) if i > 0), default=-1)
    return close < 0 or not _TWO_CJK.search(sentence, close + 1)


def best_sentence(text: str, terms: Sequence[str] | set[str]) -> str:
    """The sentence of `text` holding the most of `terms` (by length), or its first."""
    sentences = split_sentences(text)
    return _best(sentences, [s.lower() for s in sentences], terms, [_facts_only(s) for s in sentences])


def count_sentence(text: str, terms: Sequence[str] | set[str]) -> str | None:
    """The sentence of `text` that states a count (counts.py) holding the most of `terms`, not
    a line of the item's facts; None when none does, or none that holds a word of `terms` (补助
    标准多少 is not answered by the 12000元 of 拨款水平, a sentence beside 完善补助标准)."""
    stating = [s for s in split_sentences(text) if states_count(s) and not _facts_only(s)]
    lowered = [s.lower() for s in stating]
    if not stating or terms and not any(t in s for s in lowered for t in terms):
        return None
    return _best(stating, lowered, terms, [False] * len(stating))


def _best(sentences: Sequence[str], lowered: Sequence[str], terms: Sequence[str] | set[str],
          facts: Sequence[bool]) -> str:
    if not sentences:
        return ""
    if not terms or len(sentences) == 1:  # nothing to choose by, or from (most items: one sentence)
        return sentences[0]
    # An item's facts (（责任部门：…； / 牵头单位：… / 完成时限：…) are shown apart from its quote:
    # a sentence of them is quoted only when the item has no other.
    held = [-1 if fact else sum(len(t) for t in terms if t in s) for s, fact in zip(lowered, facts)]
    best = max(held)
    return sentences[held.index(best)] if best >= 0 else sentences[0]  # the first of the best, as max() gives
