"""Properties that hold for any input (hypothesis): group chats send anything.

- parse_plan on any text returns a Plan or raises PlanFileError, in bounded time;
- Engine.ask on any string answers, with finite scores best first and at most `top`
  search results;
- indexing the same plan twice changes nothing;
- an Item stored and read back is the same Item.
"""

from __future__ import annotations

import datetime as dt
import math
import signal
import subprocess
import sys
import textwrap
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from planbot.index.answer.found import RELATED
from planbot.index.engine import Engine
from planbot.index.errors import PlanFileError
from planbot.index.ingest.parse import MAX_ITEMS, parse_plan
from planbot.index.ingest.read import read_plan_bytes
from planbot.index.limits import MAX_QUESTION, MAX_TOP
from planbot.index.models import Deadline, Heading, Item, Owner, Plan, Role
from planbot.index.store import Audit, Store

from .stored import items_of, save

ROOT = Path(__file__).resolve().parents[2]
# Generous for a loaded 2-core machine; a regex that backtracks badly takes minutes.
PARSE_SECONDS = 10

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def time_limit(seconds: float, what: str):
    """Fail (instead of hanging the suite) when the block runs longer than `seconds`."""
    def expired(signum, frame):
        raise TimeoutError(f"{what} took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def check_parse(text: str) -> Plan | None:
    """parse_plan's whole contract: a well-formed Plan, or PlanFileError; nothing else."""
    with time_limit(PARSE_SECONDS, f"parse_plan({text[:40]!r}…)"):
        try:
            plan = parse_plan(text, "随机.txt")
        except PlanFileError as e:
            assert str(e) and e.reason
            return None
    assert isinstance(plan, Plan)
    assert 1 <= len(plan.items) <= MAX_ITEMS
    assert [item.position for item in plan.items] == list(range(len(plan.items)))
    assert plan.source == "随机.txt" and plan.title
    for item in plan.items:
        assert item.kind in ("item", "section", "preamble", "closing")
        assert all(o.unit for o in item.owners)
        assert all(d.phrase for d in item.deadlines)
    return plan


# -- strategies -------------------------------------------------------------------------------

NUMBERS = ["一、", "二、", "十二、", "（一）", "(二)", "（十）", "1.", "2、", "3．", "10)", "（1）", "(2)",
           "①", "⑳", "第一条", "第十二条", "第一章", "第三节", "1.2", "1.2.1 ", "2.3.4.5 ", "一", "1", "（", "、"]
numbering_only = st.lists(st.sampled_from(NUMBERS), max_size=60).flatmap(
    lambda parts: st.lists(st.sampled_from(["\n", "", " ", "\u3000", "\n\n"]),
                           min_size=len(parts), max_size=len(parts))
    .map(lambda seps: "".join(p + s for p, s in zip(parts, seps))))
punctuation_only = st.text(st.characters(categories=["Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc",
                                                     "Sk", "So", "Zs"]) | st.just("\n"), max_size=300)
WIDTHS = "0123456789０１２３４５６７８９AaＡａ.．,，:：;；()（）、 \u3000\t\n一二三十年月日前底牵头责任配合单位完成时限县局"
full_half_mix = st.text(st.sampled_from(WIDTHS), max_size=400)
CONTROLS = ["\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\r", "\r\n", "\x0b", "\x0c", "\u2028",
            "\u2029", "\ufeff", "\u200b", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c",
            "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u061c", "\ud7ff", "\U0010ffff"]
WORDS = ["一、总体要求", "（一）", "1.", "加强干部教育培训", "牵头单位：县委组织部", "完成时限：2021年6月底前",
         "\n", "序号\t重点任务\t牵头单位", "1\t任务\t县局", "目录", "2021年3月1日", "县委办〔2021〕3号"]
controls_mixed = st.lists(st.sampled_from(CONTROLS) | st.sampled_from(WORDS) | st.text(max_size=5),
                          max_size=80).map("".join)
plan_like = st.lists(st.sampled_from(WORDS + NUMBERS) | st.text(max_size=20), max_size=80).map("\n".join)
any_text = st.text(max_size=2000)


@FAST
@given(any_text)
def test_parse_any_unicode(text: str):
    check_parse(text)


@FAST
@given(numbering_only)
def test_parse_only_numbering(text: str):
    check_parse(text)


@FAST
@given(punctuation_only)
def test_parse_only_punctuation(text: str):
    check_parse(text)


@FAST
@given(full_half_mix)
def test_parse_full_and_half_width(text: str):
    check_parse(text)


@FAST
@given(controls_mixed)
def test_parse_control_characters_and_direction_marks(text: str):
    check_parse(text)


@FAST
@given(plan_like)
def test_parse_plan_like_fragments(text: str):
    check_parse(text)


@FAST
@given(st.binary(max_size=3000) | plan_like.map(lambda t: t.encode("gb18030", "replace")),
       st.sampled_from(["a.txt", "a.md", "a.docx", "a.pdf", "a.doc", "a"]))
def test_any_upload_bytes_give_a_plan_or_a_plan_file_error(data: bytes, name: str):
    """The bot's door: read_plan_bytes then parse_plan, on whatever a chat sends."""
    with time_limit(PARSE_SECONDS, "read_plan_bytes"):
        try:
            text = read_plan_bytes(name, data)
        except PlanFileError:
            return
    check_parse(text)


def test_some_odd_texts_parse_to_a_plan():
    """The properties above are not vacuous: odd but real-looking texts do give items."""
    # (each with two items: fewer is no plan, PlanFileError)
    for text in ["标题\n一、\u202e总体要求\n1. 任务\x00一\n2. 任务二", "（一）（一）（一）\n（二）（二）",
                 "ＡＢＣ\n１．任务：县局\n２．二", "\ufeff一、a\r\n1.b\r\n2.c\r\n"]:
        assert check_parse(text) is not None, text


def test_a_10_mb_single_line_parses_in_bounded_time(tmp_path: Path):
    """One 10 MB line of plan text (owners, dates, tabs, runs of spaces) in a fresh
    process, so a hang cannot take the suite with it and memory is its own."""
    script = textwrap.dedent("""
        import sys, time
        from planbot.index.ingest.parse import parse_plan
        from planbot.index.errors import PlanFileError
        unit = "加强干部教育培训，牵头单位：县委组织部  完成时限：2021年6月底前；\\t（一）1.①、"
        line = "1. " + unit * (10 * 1024 * 1024 // len(unit.encode()))
        assert len(line.encode()) > 10 * 1000 * 1000
        for text in ("标题\\n" + line, line):
            start = time.monotonic()
            try:
                plan = parse_plan(text, "big.txt")
                print(len(plan.items), round(time.monotonic() - start, 1))
            except PlanFileError as e:
                print("PlanFileError", e.reason)
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(proc.stdout.splitlines()) == 2


# -- Engine.ask on any string -----------------------------------------------------------------

QUESTION_WORDS = ["谁负责", "什么时候", "第3条", "二.3", "第二部分", "有哪些", "这个月", "下个月", "年底前",
                  "99999999天内", "最近99999个月", "9999年12月", "第0条", "第九九九九条", "方面有哪些",
                  "干部培训", "到期", "\u202e", "😀", " ", "？", "1.1.1.1", "（二）", "①", "牵头",
                  "第二个", "㉑", "城关镇清单里", "乡村振兴方案", "2021年", "有几个", "够吃多久", "配合的", "今年要干"]
questions = (st.text(max_size=600)
             | st.lists(st.sampled_from(QUESTION_WORDS) | st.text(max_size=4), max_size=12).map("".join))
days = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


def check_answer(answer, question: str, top: int) -> None:
    assert answer.question == question[:MAX_QUESTION]
    assert answer.text
    # A found answer cites; a miss may offer its nearest items as "可能相关". An overview is
    # about plans, not items: it names each plan it counts and cites only the parts it lists
    # (a list of the plans, or a plan without parts, cites none).
    assert not answer.found or answer.citations or answer.kind == "overview"
    assert answer.found or len(answer.citations) <= RELATED
    scores = [c.score for c in answer.citations]
    assert all(math.isfinite(s) for s in scores)
    assert scores == sorted(scores, reverse=True)
    limit = {"who": top, "when": top, "search": top}.get(answer.kind, MAX_TOP + 1)
    assert len(answer.citations) <= limit, (answer.kind, len(answer.citations))


@FAST
@given(questions, st.integers(min_value=-3, max_value=MAX_TOP + 5), days)
def test_ask_never_raises(engine: Engine, question: str, top: int, today: dt.date):
    with time_limit(PARSE_SECONDS, "ask"):
        answer = engine.ask(question, top=top, today=today)
    check_answer(answer, question, max(1, min(top, MAX_TOP)))


@settings(max_examples=60, deadline=None)
@given(questions, st.integers(min_value=0, max_value=40))
def test_ask_with_a_plan_and_an_offset_never_raises(engine: Engine, question: str, offset: int):
    answer = engine.ask(question, plan="乡村振兴", offset=offset, today=dt.date(2021, 6, 15))
    check_answer(answer, question, 3)
    assert all(c.plan_id == engine.find_plan("乡村振兴").id for c in answer.citations)


@settings(max_examples=60, deadline=None)
@given(questions, st.dictionaries(st.integers(min_value=-2, max_value=60), st.integers(min_value=-5, max_value=80),
                                  max_size=5))
def test_ask_picking_from_a_list_never_raises(engine: Engine, question: str, listed: dict[int, int]):
    """Numbers picked from a list the caller remembers (any ids, gone or never there)."""
    answer = engine.ask(question, today=dt.date(2021, 6, 15), listed=listed)
    check_answer(answer, question, 3)


def test_ask_results_are_sorted_on_real_questions(engine: Engine):
    """Non-vacuous: these questions do return several scored results."""
    for q in ("干部培训", "乡村旅游", "党员发展", "农村饮水安全"):
        answer = engine.ask(q, top=MAX_TOP)
        assert len(answer.citations) >= 2, q
        check_answer(answer, q, MAX_TOP)
        assert answer.citations[0].score > 0


def test_a_long_question_is_cut_at_max_question(engine: Engine):
    """Only the first MAX_QUESTION characters count (README "Limits"); Answer.question
    shows what was answered, so a caller can tell the question was cut."""
    head = engine.ask("干部培训谁负责" + "？" * (MAX_QUESTION * 3))
    assert head.question == "干部培训谁负责" + "？" * (MAX_QUESTION - 7)
    assert head.found and head.kind == "who"
    tail = engine.ask("？" * MAX_QUESTION + "干部培训谁负责")
    assert tail.question == "？" * MAX_QUESTION
    assert not tail.found and tail.kind == "hint"


def test_top_is_capped_at_max_top(engine: Engine):
    assert len(engine.ask("工作", top=10_000).citations) <= MAX_TOP
    assert len(engine.ask("干部", top=0).citations) == 1


def test_a_section_answer_is_capped_at_max_top(tmp_path: Path):
    # Section 六十 holds items 1-59: "六十" can only be the section.
    lines = ["大计划", "六十、全部工作"] + [f"{n}. 第{n}项具体任务，落实到位。" for n in range(1, 60)]
    engine = Engine.open(tmp_path / "planbot.db")
    try:
        engine.add_plan(parse_plan("\n".join(lines), "big.txt"))
        for answer in (engine.ask("第六十部分有哪些"), engine.ask("六十"), engine.show("六十")):
            assert answer.found
            assert len(answer.citations) <= MAX_TOP, (answer.kind, len(answer.citations))
            assert "共59项" in answer.text  # the count still tells the whole size
    finally:
        engine.close()


# -- indexing twice ---------------------------------------------------------------------------

item_lines = st.lists(
    st.tuples(st.text(st.characters(categories=["Lo", "Nd"]), min_size=2, max_size=30),
              st.sampled_from(["", "牵头单位：县委组织部", "责任单位：县财政局、县人社局", "（县农业农村局负责）"]),
              st.sampled_from(["", "完成时限：2021年6月底前", "完成时限：长期坚持", "年底前完成"])),
    min_size=1, max_size=12)


@pytest.fixture(scope="module")
def index_engine(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("twice")
    engine = Engine.open(folder / "planbot.db")
    engine.index_paths([ROOT / "plan_texts"])
    yield engine, folder
    engine.close()


def _snapshot(engine: Engine) -> tuple:
    db = engine.store.db
    return (db.execute("select * from plans order by id").fetchall(),
            db.execute("select * from items order by id").fetchall(),
            db.execute("select * from chats order by chat_id").fetchall())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(item_lines, st.booleans())
def test_indexing_the_same_plan_twice_changes_nothing(index_engine, lines, with_sections: bool):
    engine, folder = index_engine
    body = []
    for n, (task, owner, deadline) in enumerate(lines, 1):
        if with_sections and n % 4 == 1:
            body.append(f"{'一二三四'[n // 4]}、第{n}部分")
        body += [f"{n}. {task}。", owner, deadline]
    path = folder / f"{uuid.uuid4().hex}.txt"
    path.write_text("2021年测试计划\n" + "\n".join(body), encoding="utf-8")

    first = engine.index_paths([path])
    assume(not first.skipped)  # e.g. a task text that reads as a heading only
    assert [Path(p).name for p in first.added] == [path.name]
    before = _snapshot(engine)
    answers = engine.ask(lines[0][0]).model_dump_json()

    second = engine.index_paths([path])
    assert (second.added, second.updated, second.skipped) == ([], [], [])
    assert [Path(p).name for p in second.unchanged] == [path.name]
    assert _snapshot(engine) == before
    assert engine.ask(lines[0][0]).model_dump_json() == answers

    # The bot's path too: the same upload again keeps every row and id.
    plan = engine.parse_upload(path.name, path.read_bytes())
    engine.add_plan(plan, added_by=1, chat_id=2)
    assert _snapshot(engine) == before
    engine.remove_plan(path.name)


def test_indexing_the_bundled_plans_twice_changes_nothing(fresh_engine: Engine):
    before = _snapshot(fresh_engine)
    report = fresh_engine.index_paths([ROOT / "plan_texts"])
    assert len(report.unchanged) == 3 and not (report.added or report.updated or report.skipped)
    assert _snapshot(fresh_engine) == before


# -- Item → row → Item ------------------------------------------------------------------------

texts = st.text(max_size=80)
headings = st.builds(Heading, label=texts, key=texts, title=texts)
owners = st.builds(Owner, role=st.sampled_from(list(Role)), unit=st.text(min_size=1, max_size=20),
                   field=st.none() | texts)
deadlines = st.builds(Deadline, phrase=st.text(min_size=1, max_size=20), date=st.none() | days,
                      recurring=st.booleans())
items = st.builds(Item, kind=st.sampled_from(["item", "section", "preamble"]), label=texts, key=texts,
                  ancestors=st.lists(headings, max_size=4), title=texts, text=st.text(max_size=400),
                  position=st.just(0), owners=st.lists(owners, max_size=4),
                  deadlines=st.lists(deadlines, max_size=4), id=st.none())


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    s = Store(tmp_path_factory.mktemp("roundtrip") / "planbot.db")
    yield s
    s.close()


@FAST
@given(st.lists(items, min_size=1, max_size=6), texts, st.none() | st.integers(1, 9999))
def test_item_to_row_to_item(store: Store, plan_items: list[Item], title: str, year: int | None):
    for position, item in enumerate(plan_items):
        item.position = position
    plan = Plan(title=title or "t", source=f"{uuid.uuid4().hex}.txt", year=year, items=plan_items,
                sha256="x")
    plan_id = save(store, plan, [item.text.split() for item in plan_items], [])
    try:
        back = items_of(store, plan_id)
        assert [item.model_copy(update={"id": None}) for item in back] == plan_items
        (info,) = [(t, y, s) for i, t, s, y, *_ in store.plan_headers() if i == plan_id]
        assert (info[0], info[1], info[2]) == (plan.title, plan.year, plan.source)
    finally:
        store.remove_plan(plan_id, Audit())
