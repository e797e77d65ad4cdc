"""Scoring the question sets over all ten plans (the three samples and the seven published
documents), as a new user meets them: no plan chosen unless the question says so.

    python -m tests.index.question_sets            # every set, all plans loaded
    python -m tests.index.question_sets --plan     # each question asked within its own plan
    python -m tests.index.question_sets -v SET     # and the misses of one set (never the holdout)

A question's line: question, scope (- or a plan key), expect, plan key, quote, units, time.
The right item is the cited item of the expected plan whose text holds the quote. A question
about two or three tasks at once (X和Y分别谁负责) gives each part's plan, quote, units and time
joined by ｜, in the order it asks them: it is right when every part's item is cited, the
first part's first. A unit's list on a topic (unit_topic: 组织办负责的事里哪些是关于党员的)
gives each item of the unit on the topic: it is right when the answer is found, cites each
and at most one item more (the unit's whole list cites at least two more).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
TODAY = dt.date(2021, 6, 15)
SETS = {"corpus": HERE / "corpus_questions.tsv", "holdout": HERE / "corpus_questions_holdout.tsv",
        "seed": HERE / "seed_paraphrases.tsv", "phone": HERE / "phone_questions.tsv",
        "group": HERE / "group_questions.tsv", "group-holdout": HERE / "group_questions_holdout.tsv",
        "section": HERE / "section_questions.tsv", "section-holdout": HERE / "section_questions_holdout.tsv",
        "coverage": HERE / "coverage_questions.tsv", "coverage-holdout": HERE / "coverage_questions_holdout.tsv",
        "area": HERE / "area_questions.tsv", "due-topic": HERE / "due_topic_questions.tsv",
        "abbrev": HERE / "abbrev_questions.tsv",
        "thing": HERE / "thing_questions.tsv",
        "confirm": HERE / "confirm_questions.tsv",
        "compound": HERE / "compound_questions.tsv", "unit-pair": HERE / "unit_pair_questions.tsv",
        "count": HERE / "count_questions.tsv", "unit-topic": HERE / "unit_topic_questions.tsv"}
PART = "｜"  # between the parts of a question about several tasks
LISTS = ("unit_list", "unit_topic")  # a list is asked: up to 20 items cited
HELD_OUT = ("holdout", "group-holdout", "section-holdout", "coverage-holdout")  # only their totals are ever printed
NOT_STATED_OWNER, NOT_STATED_TIME, NOT_STATED_COUNT = "未写明责任单位", "未写明完成时限", "未写明具体数字"
# The number a how-many question's quote holds (3000户 → 3000, 两个市场 → 两); a quote holding
# none is an item that states no count, which the answer must say.
NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|[两三四五六七八九十百千万]+")


@dataclass(frozen=True)
class Question:
    text: str
    scope: str | None
    expect: str
    plan: str | None
    quote: str | None
    units: tuple[str, ...]
    time: str | None


@dataclass
class Score:
    asked: int = 0
    first: int = 0  # the right item cited first (of questions a plan covers)
    covered: int = 0  # questions a plan covers
    false_not_found: int = 0
    not_covered_ok: int = 0
    not_covered: int = 0
    who_ok: int = 0
    who: int = 0
    when_ok: int = 0
    when: int = 0
    count_ok: int = 0
    count: int = 0
    misses: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        parts = [f"{name}: right item first {self.first}/{self.covered} ({_pct(self.first, self.covered)})",
                 f"false not-found {self.false_not_found}/{self.covered}",
                 f"not covered said so {self.not_covered_ok}/{self.not_covered}"]
        if self.who:
            parts.append(f"who names the units {self.who_ok}/{self.who}")
        if self.when:
            parts.append(f"when gives the time {self.when_ok}/{self.when}")
        if self.count:
            parts.append(f"how many gives the number or says none {self.count_ok}/{self.count}")
        return "; ".join(parts)


def load(path: Path) -> list[Question]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, scope, expect, plan, quote, units, time = line.split("\t")
        none = lambda v: None if v == "-" else v  # noqa: E731
        rows.append(Question(text, none(scope), expect, none(plan), none(quote),
                             tuple(u for u in units.split("、") if u and u != "-"), none(time)))
    return rows


def open_engine(folder: Path):
    """An engine over the three sample plans and the seven published documents."""
    from planbot.index.engine import Engine

    engine = Engine.open(folder / "questions.db")
    if not engine.plans():
        engine.index_paths([ROOT / "plan_texts", CORPUS])
    return engine


def plan_ids(engine) -> dict[str, int]:
    """Plan key (02 … 08, or a word of a sample plan's title) → plan id."""
    out = {}
    for p in engine.plans():
        key = p.source.split("_", 1)[0] if p.source[:2].isdigit() else p.title
        out[key] = p.id
    return out


def _plan_of(key: str, ids: dict[str, int]) -> int:
    if key in ids:
        return ids[key]
    return next(pid for k, pid in ids.items() if key in k)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _is(citation, plan_id: int, quote: str) -> bool:
    return citation.plan_id == plan_id and _squash(quote) in _squash(citation.text)


def score(engine, questions: list[Question], *, within_plan: bool = False, counts: bool = False) -> Score:
    """`counts`: the questions ask how many; each right answer is checked for the number its
    quote holds, or for saying the item states none."""
    ids = plan_ids(engine)
    s = Score()
    for q in questions:
        s.asked += 1
        plans = set(q.plan.split(PART)) if q.plan else set()
        scope = q.scope or (next(iter(plans)) if within_plan and len(plans) == 1 else None)  # parts of two plans: both asked of
        answer = engine.ask(q.text, plan=_plan_of(scope, ids) if scope else None, top=20 if q.expect in LISTS else 3,
                            today=TODAY)
        if q.expect == "not_covered":
            s.not_covered += 1
            ok = not answer.found
            s.not_covered_ok += ok
            if not ok:
                s.misses.append(f"[not covered, answered] {q.text} → {answer.text[:60]}")
            continue
        s.covered += 1
        if not answer.found:
            s.false_not_found += 1
        right = _right(answer, q, ids)
        s.first += right
        if q.expect in ("who", "no_owner"):
            s.who += 1
            said = all(u in answer.text for us in q.units for u in us.split(PART) if u != "-") if q.expect == "who" \
                else NOT_STATED_OWNER in answer.text
            s.who_ok += bool(right and said)
        if q.expect in ("when", "no_deadline"):
            s.when += 1
            said = all(t in answer.text for t in q.time.split(PART)) if q.expect == "when" else NOT_STATED_TIME in answer.text
            s.when_ok += bool(right and said)
        if counts and q.expect == "item":
            s.count += 1
            number = NUMBER.search(q.quote)
            said = number.group() in answer.text if number else NOT_STATED_COUNT in answer.text
            s.count_ok += bool(right and said)
            if right and not said:
                s.misses.append(f"[count not said] {q.text} → {answer.text[:60]}")
        if not right:
            got = answer.citations[0].text[:40] if answer.citations else "—"
            s.misses.append(f"[{q.expect}] {q.text} → {'' if answer.found else '(not found) '}{got}")
    return s


def _right(answer, q: Question, ids: dict[str, int]) -> bool:
    """The right item cited first (a unit's list: cited at all, and for several units' lists an
    item of each); for a question about several tasks, the first part's item first and every
    other part's cited."""
    parts = list(zip(q.plan.split(PART), q.quote.split(PART)))
    if q.expect == "unit_list":  # each unit's list (组织办和宣传办分别负责哪些): an item of each cited
        return all(any(_is(c, _plan_of(p, ids), quote) for c in answer.citations) for p, quote in parts)
    if q.expect == "unit_topic":  # one unit's items on a topic: each cited, and (narrowed) at most one more;
        # every unit the set asks of owns two items or more off the topic, which its whole list cites too
        return answer.found and len(answer.citations) <= len(parts) + 1 and \
            all(any(_is(c, _plan_of(p, ids), quote) for c in answer.citations) for p, quote in parts)
    cited = answer.citations if answer.found else []
    first = bool(cited) and _is(cited[0], _plan_of(parts[0][0], ids), parts[0][1])
    return first and all(any(_is(c, _plan_of(p, ids), quote) for c in cited) for p, quote in parts[1:])


def _pct(a: int, b: int) -> str:
    return f"{a / b:.0%}" if b else "—"


def main(argv: list[str] | None = None) -> int:
    import tempfile

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--plan", action="store_true", help="ask each question within its own plan")
    p.add_argument("-v", "--verbose", choices=[k for k in SETS if k not in HELD_OUT], help="print the misses of one set")
    p.add_argument("sets", nargs="*", metavar="SET", help=f"only these sets (default: every set): {', '.join(SETS)}")
    args = p.parse_args(argv)
    if unknown := sorted(set(args.sets) - set(SETS)):
        p.error(f"unknown set {', '.join(unknown)}: choose from {', '.join(SETS)}")
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(Path(tmp))
        for name, path in SETS.items():
            if args.sets and name not in args.sets:
                continue
            result = score(engine, load(path), within_plan=args.plan, counts=name == "count")
            print(result.line(name))
            if args.verbose == name:
                for miss in result.misses:
                    print("   ", miss)
        engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
