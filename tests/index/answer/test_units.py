"""A unit's task list: every item naming it, by role, however the question writes the unit."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from planbot.index.answer import intent
from planbot.index.answer.units import core, matching_units
from planbot.index.models import Role

TODAY = dt.date(2021, 6, 15)


def test_a_unit_list_names_every_item_of_that_unit_by_role(engine):
    answer = engine.ask("县财政局负责哪些任务", today=TODAY)
    assert answer.kind == "unit" and answer.found
    assert answer.citations and all(any(o.unit == "县财政局" for o in c.owners) for c in answer.citations)
    roles = [next(o.role for o in c.owners if o.unit == "县财政局") for c in answer.citations]
    order = [list(Role).index(r) for r in roles]
    assert order == sorted(order)  # lead first, then responsible, then cooperating
    every = [c for c in engine.ask("财政", top=20, today=TODAY).citations if any(o.unit == "县财政局" for o in c.owners)]
    assert {c.item_id for c in every} <= {c.item_id for c in answer.citations}
    assert answer.text.startswith("县财政局：")


@pytest.mark.parametrize("question", ["财政局有哪些事", "我们县财政局牵头的工作", "县财政局都管哪些事？"])
def test_the_unit_is_matched_however_it_is_written(engine, question):
    answer = engine.ask(question, today=TODAY)
    assert answer.kind == "unit" and answer.found
    assert "县财政局" in answer.text


def test_a_unit_no_plan_names_is_said_to_have_no_tasks(engine):
    answer = engine.ask("县气象局负责哪些任务", today=TODAY)
    assert answer.kind == "unit" and not answer.found
    assert answer.text.startswith("计划中没有以“县气象局”为责任单位的任务")
    assert len(answer.citations) <= 2  # offered as possibly related, never as its tasks
    assert "可能相关" in answer.text or not answer.citations


def test_cadres_of_a_department_are_no_unit(engine):
    answer = engine.ask("组织部干部有哪些要求", today=TODAY)
    assert answer.kind != "unit"


def test_unit_names_without_their_level_and_abbreviated():
    names = {"县教育局": 1, "国家发展改革委": 2, "县人力资源和社会保障局": 3, "县委组织部": 4, "各乡镇人民政府": 5,
             "各乡镇党委": 6, "各街道办事处": 7, "各乡镇卫生院": 8}
    assert core("县教育局") == "教育局" and core("中共县委组织部") == "组织部"
    assert matching_units("教育局", names) == [1]
    assert matching_units("发改委", names) == [2]
    assert matching_units("人社局", names) == [3]
    assert matching_units("组织部", names) == [4]
    assert matching_units("气象局", names) == []
    # a place without its government, party committee or office: each of them, not its clinics
    assert matching_units("各乡镇", names) == [5, 6] and matching_units("各街道", names) == [7]


def test_a_places_government_is_named_by_its_place():
    """乡镇政府 is how people say 各乡镇人民政府 (or 相关乡镇人民政府); a government or party committee
    is named by its place, so 县政府 is never 市政府 or a national plan's bare 政府."""
    names = {"政府": 1, "各乡镇人民政府": 2, "相关乡镇人民政府": 3, "县人民政府": 4, "市人民政府": 5,
             "省级人民政府": 6, "县委": 7, "镇党委": 8, "县教育局": 9}
    assert matching_units("乡镇政府", names) == [2, 3]
    assert matching_units("乡镇人民政府", names) == [2, 3]
    assert matching_units("县政府", names) == [4]
    assert matching_units("省政府", names) == [6]
    assert matching_units("镇党委", names) == [8]
    assert matching_units("政府", names) == [1]
    assert matching_units("区政府", names) == []
    assert core("县教育局") == "教育局" and core("县政府") == "县政府"


def test_a_townships_government_asked_as_people_say_it_lists_its_tasks(engine):
    answer = engine.ask("乡镇政府要干哪些", top=50, today=TODAY)
    assert answer.kind == "unit" and answer.found
    assert {c.plan for c in answer.citations} == {"2021年全县乡村振兴重点任务分工方案"}
    assert all(any(o.unit.endswith("乡镇人民政府") for o in c.owners) for c in answer.citations)
    assert len(answer.citations) >= 5


def test_a_post_asked_with_a_modal_before_its_role_gets_its_list(engine):
    answer = engine.ask("党委书记要负责哪些", today=TODAY)  # 城关镇's 责任领导：党委书记
    assert answer.kind == "unit" and answer.found and answer.text.startswith("党委书记：")
    assert answer.citations and all(any(o.unit == "党委书记" for o in c.owners) for c in answer.citations)


def test_a_unit_written_short_and_in_full_is_one_unit_at_one_level(engine_of):
    engine = engine_of(
        "2023年教育工作要点\n县教育和体育局（以下简称县教体局）会同有关部门制定本要点。\n一、基础教育\n"
        "1. 新建幼儿园3所。（牵头单位：县教体局；配合单位：县住建局）\n2. 改造薄弱学校5所。（牵头单位：县教育和体育局）\n"
        "3. 开展食品抽检。（牵头单位：县市场监管局）\n4. 制定监管规则。（牵头单位：市场监管总局）\n")
    for asked in ("县教体局负责哪些任务", "县教育和体育局有哪些任务", "教体局牵头的工作"):
        answer = engine.ask(asked, today=TODAY)
        assert answer.kind == "unit" and [c.title for c in answer.citations] == ["新建幼儿园3所", "改造薄弱学校5所"]
    county = engine.ask("县市场监管局负责哪些任务", today=TODAY)
    assert [c.title for c in county.citations] == ["开展食品抽检"]  # not 市场监管总局's, a level above


def test_offices_streets_and_townships_have_task_lists_too(engine_of):
    """办公室, 街道, 乡镇 own tasks in county plans as often as bureaus do: "X有哪些事" lists them."""
    engine = engine_of(
        "2023年重点工作任务分工方案\n一、优化营商环境\n"
        "1. 编制行政许可事项清单。（市政府办公室牵头，市级各有关部门按职责分工负责）\n"
        "2. 推行“双随机、一公开”监管。（牵头单位：市市场监管局；责任单位：各街道、各乡镇）\n"
        "3. 规范政务服务事项。（牵头单位：市政府办公室；责任单位：各街道）\n")
    cases = {"市政府办公室有哪些事": ["编制行政许可事项清单", "规范政务服务事项"],
             "各街道负责哪些任务": ["推行“双随机、一公开”监管", "规范政务服务事项"],
             "各乡镇有哪些任务": ["推行“双随机、一公开”监管"]}
    for asked, titles in cases.items():
        answer = engine.ask(asked, today=TODAY)
        assert answer.kind == "unit" and answer.found, asked
        assert sorted(c.title for c in answer.citations) == sorted(titles), asked


@pytest.mark.parametrize("question", ["本科层次的职业教育有哪些任务", "学科建设有哪些工作", "学习小组有哪些要求"])
def test_words_ending_like_a_section_are_no_unit(question):
    from planbot.index.answer.intent import unit_asked

    assert unit_asked(question) == ""


def test_a_person_or_post_a_plan_names_as_owner_gets_a_task_list(engine, engine_of):
    """A township's list names its 责任领导 by name or post (张三 / 组织委员): "X负责哪些任务"
    lists X's items when some plan writes X as an owner word for word, else it is a search."""
    post = engine.ask("组织委员负责哪些任务", today=TODAY)  # 城关镇's 责任领导：组织委员
    assert post.kind == "unit" and post.found and post.text.startswith("组织委员：")
    assert post.citations and all(any(o.unit == "组织委员" for o in c.owners) for c in post.citations)
    assert engine.ask("党建有哪些工作", today=TODAY).kind != "unit"  # no owner is called 党建

    town = engine_of(
        "2024年城关镇重点工作任务清单\n序号\t工作任务\t责任领导\t责任单位\t完成时限\n"
        "1\t完成老旧小区改造3个\t张三\t镇规划办\t2024年10月底前\n2\t新建公厕5座\t李四\t镇环卫所\t2024年6月30日前\n"
        "3\t开展燃气安全专项整治\t张三\t镇应急办\t长期坚持\n")
    answer = town.ask("张三负责哪些任务", today=TODAY)
    assert answer.kind == "unit" and [c.title for c in answer.citations] == ["完成老旧小区改造3个", "开展燃气安全专项整治"]
    assert town.ask("王五负责哪些任务", today=TODAY).kind == "search"  # no owner of that name
    for asked in ("张三分管哪些工作", "张三包联哪些"):  # how a township says a leader's share
        assert [c.title for c in town.ask(asked, today=TODAY).citations] == ["完成老旧小区改造3个", "开展燃气安全专项整治"]


@pytest.mark.parametrize(("question", "unit"), [
    ("乡村振兴有哪些任务是县农业农村局牵头的", "县农业农村局"), ("哪些工作归县财政局管", "县财政局"),
    ("哪些是组织部负责的", "组织部"), ("县委组织部牵头的有哪些", "县委组织部"), ("组织办负责哪几项", "组织办"),
    ("县财政局配合的任务", "县财政局"), ("组织部有多少任务", "组织部"), ("哪些事归纪委办", "纪委办"), ("那县财政局呢", "县财政局"), ("县教育局呢？", "县教育局"),
    ("组织办一共几项任务", "组织办"), ("城关镇清单里哪些是纪委办的", "纪委办"), ("乡村振兴方案里县财政局干啥", "县财政局"),
    ("组织部今年要干哪些事", "组织部"), ("哪几条是县农业农村局配合的", "县农业农村局"),
    ("乡村振兴这块组织部分到了哪些活", "组织部"), ("消费扶贫里头文旅部负责啥", "文旅部"), ("财政部要干的事有哪些", "财政部"),
    ("督查激励那30条里人民银行管哪几条", "人民银行"), ("我们镇组织办今年手上都有啥任务", "镇组织办"),
    # 要 / 得 before the role, 些 before the asking word: how a phone asks it
    ("医保局都负责些啥", "医保局"), ("县财政局要配合哪些", "县财政局"), ("组织办得牵头哪几项", "组织办"),
    ("县商务局都干些什么", "县商务局"), ("乡镇政府要干哪些", "乡镇政府"),
    ("组织部的活今年有几个到期的", "组织部"), ("县财政局有多少个任务", "县财政局"),
])
def test_more_ways_to_ask_for_a_units_task_list(question, unit):
    from planbot.index.answer.intent import unit_asked

    assert unit_asked(question) == unit


@pytest.mark.parametrize(("question", "unit"), [("纪委办的事", "纪委办"), ("组织办要干的活", "组织办"),
                                              ("我们组织办负责的", "组织办"), ("县农业农村局牵头的", "县农业农村局"),
                                              ("宣传办的活儿", "宣传办"), ("组织部今年重点干啥", "县委组织部")])
def test_a_units_tasks_asked_without_an_asking_word_are_its_list(engine, question, unit):
    answer = engine.ask(question, today=TODAY)
    assert answer.kind == "unit" and answer.found and answer.citations
    assert all(any(o.unit == unit for o in c.owners) for c in answer.citations)


def test_a_units_list_asked_within_a_plan_named_before_it_is_that_plans(engine):
    assert engine.ask("县财政局负责哪些", today=TODAY).found
    within = engine.ask("城关镇里县财政局负责哪些", today=TODAY)  # the 城关镇 list names no 县财政局
    assert within.kind == "unit" and not within.found
    listed = engine.ask("乡村振兴这块县财政局负责哪些", today=TODAY)
    assert listed.found and {c.plan for c in listed.citations} == {"2021年全县乡村振兴重点任务分工方案"}


def test_a_name_ending_like_a_units_asked_so_is_a_search_when_no_plan_names_it(engine):
    answer = engine.ask("民主生活会的事", today=TODAY)
    assert answer.kind == "search" and answer.found and "民主生活会" in answer.citations[0].text


@pytest.mark.parametrize("question", ["县委组织部牵头的干部培训什么时候完成", "哪些是重点任务", "乡村振兴方案有几项任务"])
def test_a_question_about_a_units_task_is_no_task_list(question):
    from planbot.index.answer.intent import unit_asked

    assert unit_asked(question) == ""


def test_the_shortest_reading_names_an_owner(engine):
    from planbot.index.answer.intent import _OWNER_LIST, unit_asked

    assert unit_asked("张三牵头的有哪些", _OWNER_LIST) == "张三"  # not 张三牵头的, who "有" 哪些


def test_how_many_tasks_a_unit_has_is_its_list_not_a_plans_overview(engine):
    answer = engine.ask("县财政局有多少任务", today=TODAY)
    assert answer.kind == "unit" and answer.text.startswith("县财政局：")
    assert engine.ask("乡村振兴方案有几项任务", today=TODAY).kind == "overview"


def test_a_unit_asked_with_its_place_is_the_unit_of_that_places_plans(engine):
    answer = engine.ask("城关镇组织办负责哪几项", today=TODAY)  # the 城关镇 list writes 组织办
    assert answer.kind == "unit" and answer.found and answer.text.startswith("组织办：")
    assert answer.citations and {c.plan for c in answer.citations} == {"城关镇2022年党建工作任务清单"}
    elsewhere = engine.ask("东城区组织办负责哪几项", today=TODAY)  # no plan of 东城区
    assert elsewhere.kind == "unit" and not elsewhere.found


def _role_of(citation, unit: str) -> Role:
    return min((o.role for o in citation.owners if o.unit == unit), key=list(Role).index)


def test_a_unit_asked_for_one_role_lists_the_items_of_that_role(engine):
    every = engine.ask("县农业农村局负责哪些任务", top=50, today=TODAY).citations
    lead = [c.item_id for c in every if _role_of(c, "县农业农村局") is Role.lead]
    assert lead and len(lead) < len(every)  # the fixture has the unit in more than one role
    for question in ("县农业农村局牵头哪些任务", "哪几条是县农业农村局牵头的", "县农业农村局牵头的有哪些"):
        answer = engine.ask(question, top=50, today=TODAY)
        assert answer.kind == "unit" and answer.found, question
        assert [c.item_id for c in answer.citations] == lead, question
        assert answer.text.startswith(f"县农业农村局牵头的有 {len(lead)} 项（全部任务：")


def test_a_role_the_unit_never_has_is_said_so_and_its_whole_list_given(engine):
    every = engine.ask("县农业农村局负责哪些任务", top=50, today=TODAY)
    assert not any(_role_of(c, "县农业农村局") is Role.cooperating for c in every.citations)
    answer = engine.ask("县农业农村局配合的有哪些", top=50, today=TODAY)
    assert answer.kind == "unit" and answer.text.startswith("县农业农村局没有配合的任务。")
    assert [c.item_id for c in answer.citations] == [c.item_id for c in every.citations]


@pytest.mark.parametrize("question", ["县农业农村局2021年8月有哪些任务到期", "2021年8月县农业农村局有哪些任务到期",
                                      "县农业农村局2021年8月有什么事", "县农业农村局的活2021年8月有几个到期的"])
def test_a_units_tasks_due_in_a_period(engine, question):
    every = engine.ask("县农业农村局负责哪些任务", top=50, today=TODAY).citations
    due = [c.item_id for c in every if any(d.date and (d.date.year, d.date.month) == (2021, 8) for d in c.deadlines)]
    assert due and len(due) < len(every)
    answer = engine.ask(question, top=50, today=TODAY)
    assert answer.kind == "unit" and [c.item_id for c in answer.citations] == due
    assert answer.text.startswith(f"县农业农村局2021年8月到期的有 {len(due)} 项")


def test_a_unit_with_nothing_due_in_the_period_is_said_so(engine):
    answer = engine.ask("组织部今年要干哪些事", today=dt.date(2030, 3, 1))  # no plan's year
    assert answer.kind == "unit" and answer.text.startswith("县委组织部没有2030年到期的任务。全部任务：")
    assert answer.citations  # and its whole list
    assert engine.ask("今年有哪些任务到期", today=dt.date(2030, 3, 1)).kind == "deadlines"  # no unit: every plan's


def test_a_units_list_asked_of_a_named_plan_is_that_plans(engine):
    mine = engine.ask("城关镇清单里组织办负责哪些", today=TODAY)
    assert mine.kind == "unit" and mine.found and {c.plan for c in mine.citations} == {"城关镇2022年党建工作任务清单"}
    elsewhere = engine.ask("乡村振兴方案里组织办负责哪些", today=TODAY)  # 组织办 is only 城关镇's
    assert elsewhere.kind == "unit" and not elsewhere.found
    assert elsewhere.text.startswith("《2021年全县乡村振兴重点任务分工方案》中没有以“组织办”为责任单位的任务")


@pytest.mark.parametrize("question", ["哪个单位任务最多", "谁负责的任务最多？", "涉及哪些单位", "一共有多少个部门"])
def test_the_units_themselves_by_how_many_items_each(engine, question):
    answer = engine.ask(question, today=TODAY)
    assert answer.kind == "unit" and answer.found
    counts = re.findall(r"([^：；，（]+?) (\d+) 项（", answer.text)
    assert len(counts) >= 3 and [int(n) for _, n in counts] == sorted((int(n) for _, n in counts), reverse=True)
    first, n = counts[0][0], int(counts[0][1])
    assert len(answer.citations) == min(n, 20) and all(any(o.unit == first for o in c.owners) for c in answer.citations)
    listed = engine.ask(f"{first}负责哪些任务", top=50, today=TODAY)  # the same count as its own list
    assert listed.total == n


def test_a_plan_naming_no_owner_is_said_to_name_none(engine):
    answer = engine.ask("组织工作要点有哪些责任单位", today=TODAY)
    assert not answer.found and answer.text == "《2020年全县组织工作要点》中没有写明责任单位的任务。"
    assert engine.ask("环保有哪些部门参与", today=TODAY).kind == "who"  # a topic's owners, not the list


def test_a_unit_asked_by_its_field_as_x_department_is_every_unit_of_that_field():
    """交通部门, 人社部门, 教育部门: people name a unit by its field, whatever its kind (局, 部,
    行政部门) or level; 铁道部 is no 交通 unit and 各部门 or 相关部门 names no field."""
    names = {"县交通运输局": 1, "交通运输部": 2, "铁道部": 3, "县人社局": 4, "人力资源社会保障部": 5,
             "国务院人力资源社会保障行政部门": 6, "国务院教育行政部门": 7, "教育部": 8, "县财政局": 9}
    assert matching_units("交通部门", names) == [1, 2]
    assert sorted(matching_units("人社部门", names)) == [4, 5, 6]
    assert sorted(matching_units("教育部门", names)) == [7, 8]
    assert matching_units("气象部门", names) == []


@pytest.mark.parametrize("question", ["财政部门有啥任务", "咱们财政部门负责的工作"])
def test_a_units_list_asked_as_x_department(engine, question):
    """The county's 县财政局 and a township's 财政所 are both its 财政部门."""
    answer = engine.ask(question, today=TODAY)
    assert answer.kind == "unit" and answer.found
    assert answer.text.startswith("县财政局、财政所：")
    assert answer.citations and all(any(o.unit in ("县财政局", "财政所") for o in c.owners) for c in answer.citations)


@pytest.mark.parametrize("question", ["各部门有哪些任务", "相关部门有哪些任务", "有关部门负责哪些事"])
def test_every_department_or_the_relevant_ones_name_no_unit(question):
    from planbot.index.answer.intent import unit_asked

    assert unit_asked(question) == ""


@pytest.mark.parametrize("question", ["县财政局的事有哪些", "县财政局的活儿有几项"])
def test_a_units_things_asked_after_its_name(engine, question):
    answer = engine.ask(question, today=TODAY)
    assert answer.kind == "unit" and answer.found and answer.text.startswith("县财政局：")


def test_the_owners_of_a_plan_named_by_its_words_head_with_its_title(engine):
    every = engine.ask("哪个单位任务最多", today=TODAY)
    asked = engine.ask("城关镇的任务谁最多", today=TODAY)
    assert asked.kind == "unit" and asked.found
    assert asked.text.startswith("《城关镇2022年党建工作任务清单》写明的责任单位共")
    assert asked.total < every.total
    assert all(c.plan == "城关镇2022年党建工作任务清单" for c in asked.citations)


def test_owners_asked_of_words_naming_no_plan_are_a_who_question(engine):
    asked = engine.ask("污水处理哪个部门任务最多", today=TODAY)
    assert asked.kind == "who" and asked.found and "污水" in asked.citations[0].text


@pytest.mark.parametrize("question", ["县财政局", "财政局？"])
def test_a_unit_alone_is_its_task_list(engine, question):
    answer = engine.ask(question, today=TODAY)
    assert answer.kind == "unit" and answer.found and answer.text.startswith("县财政局：")


@pytest.mark.parametrize("question, quote", [("民主生活会", "民主生活会"), ("驻村工作队", "工作队")])
def test_a_word_ending_like_a_unit_that_no_plan_names_as_owner_is_a_search(engine, question, quote):
    answer = engine.ask(question, today=TODAY)
    assert answer.kind == "search" and answer.found and quote in answer.citations[0].text


def _every_name_in_turn(asked: str, names: dict[str, int]) -> list[int]:
    """matching_units as its rules read, each name of the plans compared in turn: what the
    per-snapshot tables (UnitNames) must answer exactly."""
    from planbot.index.answer.units import BODY_SUFFIXES, _level, _of_field, department_stem, place_body
    from planbot.index.search.abbrev import abbreviates

    asked_core, body = core(asked), place_body(asked)
    found = [n for n in names if n == asked] or (
        [n for n in names if place_body(n) == body] if body else [n for n in names if core(n) == asked_core])
    if not found and (stem := department_stem(asked)):
        found = [n for n in names if _of_field(stem, n)]
    if not found:
        found = [n for n in names if abbreviates(asked_core, core(n)) or abbreviates(asked, n)]
    if not found:
        found = [n for n in names if n.startswith(asked) and n[len(asked):] in BODY_SUFFIXES]
    cores = {(_level(n), core(n)) for n in found}
    same = [n for n in names if n not in found and any(
        lv == _level(n) and (abbreviates(core(n), c) or abbreviates(c, core(n))) for lv, c in cores)]
    return [names[n] for n in found + same]


@pytest.fixture(scope="module")
def corpus_engine(tmp_path_factory):
    from tests.index import question_sets as qs

    e = qs.open_engine(tmp_path_factory.mktemp("ten"))
    yield e
    e.close()


def test_the_unit_tables_match_as_every_name_compared_in_turn(corpus_engine):
    from planbot.index.answer.units import UnitNames

    names = corpus_engine._snapshot().corpus.unit_names()
    table = UnitNames(names)
    # Each unit as the plans write it, without its level, abbreviated by initials, as a field
    # (X部门), with a place before it, and cut short: every stage of the rules is reached.
    asked = set()
    for name in list(names)[:400]:
        bare = core(name)
        asked |= {name, bare, bare[:2] + bare[-1:], bare[:1] + bare[2:3] + bare[-1:], bare[:2] + "部门",
                  "县" + bare, "各" + bare[:2], name[:3]}
    asked |= {"发改委", "人社局", "卫健委", "住建", "乡镇政府", "县政府", "省政府", "教育部门", "相关部门", "各乡镇"}
    matched = 0
    for a in sorted(x for x in asked if len(x) >= 2):
        expected = _every_name_in_turn(a, names)
        assert matching_units(a, table) == expected, a
        matched += bool(expected)
    assert matched > 100  # most forms name some unit


def _ids(answer) -> list[int]:
    return [c.item_id for c in answer.citations]


@pytest.mark.parametrize("question", ["组织办和宣传办分别负责哪些任务", "组织办、宣传办各有哪些事", "组织办跟宣传办都干啥"])
def test_two_units_lists_asked_in_one_message_are_each_units_list_in_the_order_asked(engine, question):
    first, second = (engine.ask(f"{unit}负责哪些任务", top=20, today=TODAY) for unit in ("组织办", "宣传办"))
    both = engine.ask(question, top=20, today=TODAY)
    assert both.kind == "unit" and both.found and both.total == first.total + second.total
    assert _ids(both) == _ids(first) + _ids(second)
    assert both.text.startswith("问到2个单位")
    assert both.text.index("组织办：") < both.text.index("宣传办：")


def test_two_units_lists_are_paged_as_one_list(engine):
    whole = engine.ask("组织办和宣传办分别负责哪些任务", top=20, today=TODAY)
    rest = engine.ask("组织办和宣传办分别负责哪些任务", top=20, offset=5, today=TODAY)
    assert rest.offset == 5 and rest.total == whole.total and _ids(rest) == _ids(whole)[5:]
    # the next page goes on with the first unit's list (its 6th item) and reaches the second's
    assert rest.text.startswith("问到2个单位（续，第 6 项起）")
    assert "组织办（续，第 6 项起）" in rest.text and "宣传办：责任 2 项" in rest.text
    assert set(rest.listed()) == {6, 7, 8, 9}  # 第六个 … 第九个 of the list across both units


def test_each_unit_of_several_keeps_the_role_asked(engine):
    answer = engine.ask("县农业农村局和县水利局分别牵头哪些工作", top=20, today=TODAY)
    assert answer.found and answer.citations
    units = ("县农业农村局", "县水利局")
    assert all(any(o.unit in units and o.role == Role.lead for o in c.owners) for c in answer.citations)
    assert {u for c in answer.citations for o in c.owners if o.role == Role.lead for u in units if o.unit == u} == set(units)


def test_a_unit_no_plan_names_beside_one_that_a_plan_does_is_said_so_in_its_place(engine):
    answer = engine.ask("消防大队和组织办分别负责哪些任务", top=20, today=TODAY)
    alone = engine.ask("组织办负责哪些任务", top=20, today=TODAY)
    assert answer.found and _ids(answer) == _ids(alone)
    assert "没有以“消防大队”为责任单位" in answer.text
    assert answer.text.index("消防大队") < answer.text.index("组织办：")


def test_units_no_plan_names_asked_together_are_said_to_have_no_tasks(engine):
    answer = engine.ask("消防大队和气象局分别负责哪些任务", today=TODAY)
    assert answer.kind == "unit" and not answer.found
    assert answer.text.startswith("计划中没有以“消防大队”、“气象局”为责任单位的任务")


@pytest.mark.parametrize(("asked", "expected"), [
    ("组织办和宣传办", ["组织办", "宣传办"]),
    ("纪委办、武装部、宣传办", ["纪委办", "武装部", "宣传办"]),
    ("县人力资源和社会保障局和县教育局", ["县人力资源和社会保障局", "县教育局"]),  # 县人力资源 is no unit
    ("县文化和旅游局", []),  # one unit's own name
    ("组织办", []),
])
def test_several_units_are_cut_at_conjunctions_outside_a_units_name(asked, expected):
    from planbot.index.answer.compound import unit_parts
    from planbot.index.answer.intent import names_unit

    assert unit_parts(asked, names_unit) == expected


def test_a_unit_whose_name_holds_a_conjunction_is_one_unit(engine):
    answer = engine.ask("文化和旅游局负责哪些", today=TODAY)
    assert answer.found and answer.text.startswith("县文化和旅游局：")


def test_a_long_list_beside_a_short_one_shares_the_first_page_and_every_item_comes_once(engine_of):
    """县财政局 owns 25 items, 县审计局 2: the first page shows the first of each (not 20 of the
    long list and none of the short), and the pages together hold every item of both once."""
    lines = [f"{n}. 落实第{n}项财政管理任务。（牵头单位：县财政局）" for n in range(1, 26)]
    lines += ["26. 开展专项审计。（牵头单位：县审计局）", "27. 审计整改跟踪。（牵头单位：县审计局）"]
    engine = engine_of("2023年财政审计工作任务分工方案\n一、重点任务\n" + "\n".join(lines) + "\n")
    pages, offset = [], 0
    while True:
        answer = engine.ask("财政局和审计局分别负责哪些任务", offset=offset, today=TODAY)
        assert answer.kind == "unit" and answer.found and answer.total == 27
        pages.append(answer)
        if not answer.more:
            break
        offset += len(answer.citations)
    first = [c.title for c in pages[0].citations]
    assert "开展专项审计" in first and "审计整改跟踪" in first
    assert pages[0].text.index("县财政局：牵头 25 项") < pages[0].text.index("县审计局：牵头 2 项")
    assert "县财政局（续，第" in pages[1].text
    every = [c.title for page in pages for c in page.citations]
    assert len(every) == len(set(every)) == 27


@pytest.mark.parametrize("question, unit, topic", [
    ("县农业农村局牵头的任务里哪些跟垃圾有关", "县农业农村局", "垃圾"),
    ("组织办有哪些党员方面的事", "组织办", "党员"),
    ("组织部负责的培训有哪些", "组织部", "培训"),
    ("组织办负责的事里有哪些是关于党员的", "组织办", "党员"),
    ("财政部要干的事里头税收方面的有啥", "财政部", "税收"),
    ("海关总署牵头的有没有跟研发有关的", "海关总署", "研发"),
    ("县农业农村局牵头的那几项里，跟垃圾处理沾边的是哪条", "县农业农村局", "垃圾处理"),
    ("县委组织部牵头的里头哪条是讲干部考核的", "县委组织部", "干部考核"),
    ("生态环境部的活，跟医疗垃圾有关的有哪些", "生态环境部", "医疗垃圾"),
    ("农业局手上有没有跟乡村旅游有关的活", "农业局", "乡村旅游"),
    ("组织办负责的活动有哪些", "组织办", "活动"),  # 活动 is a topic, not 活 (its tasks) + 动
    # the whole list: what is left after the unit is the list's own wording
    ("组织办今年手上都有啥任务", "组织办", ""),
    ("县委组织部负责哪些任务", "县委组织部", ""),
    ("乡村振兴这块组织部分到了哪些活", "组织部", ""),
    ("督查激励那30条里人民银行管哪几条", "人民银行", ""),
    ("粮食应急指挥部有什么职责", "粮食应急指挥部", ""),
    ("那县财政局呢", "县财政局", ""),
])
def test_a_units_list_asked_about_a_topic_reads_the_unit_and_the_topic(question, unit, topic):
    query = intent.classify(question, TODAY)
    assert (query.kind, query.unit, query.narrow) == ("unit", unit, topic)


@pytest.mark.parametrize("question", ["组织部负责的干部培训什么时候办", "财政局管的资金有多少"])
def test_a_when_or_how_many_question_about_a_units_task_is_no_list(question):
    assert intent.classify(question, TODAY).kind != "unit"


def _items(answer) -> list[str]:
    return [c.title for c in answer.citations]


def test_a_units_list_on_a_topic_lists_only_its_items_on_it(engine):
    whole = engine.ask("县农业农村局负责哪些任务", today=TODAY)
    answer = engine.ask("县农业农村局牵头的任务里哪些跟垃圾有关", today=TODAY)
    assert answer.kind == "unit" and answer.found
    assert [c.item_id for c in answer.citations] == [c.item_id for c in whole.citations if "垃圾" in c.text]
    assert len(whole.citations) > len(answer.citations) == 1
    assert answer.text.startswith("县农业农村局牵头的任务中，与「垃圾」有关的有 1 项（全部任务：")
    assert "开展村庄清洁行动" in answer.text and "新建高标准农田" not in answer.text


def test_a_topic_word_every_task_of_the_plan_holds_does_not_list_them_all(engine):
    """乡村旅游 in a plan on 乡村振兴: the task on 乡村旅游, not every task holding 乡村."""
    answer = engine.ask("农业局手上有没有跟乡村旅游有关的活", today=TODAY)
    assert answer.found and len(answer.citations) == 1
    assert "乡村旅游" in answer.citations[0].text


def test_a_township_offices_list_on_a_topic_keeps_each_item_on_it_in_list_order(engine):
    answer = engine.ask("组织办有哪些党员方面的事", today=TODAY)
    assert answer.found and answer.citations
    assert all("党员" in c.text and any(o.unit == "组织办" for o in c.owners) for c in answer.citations)
    every = engine.ask("组织办负责哪些任务", today=TODAY).citations
    assert [c.item_id for c in answer.citations] == [c.item_id for c in every if c.item_id in
                                                     {a.item_id for a in answer.citations}]


def test_a_unit_with_no_task_on_the_topic_is_said_so_and_its_whole_list_given(engine):
    answer = engine.ask("组织部负责的培训有哪些", today=TODAY)
    assert answer.kind == "unit" and not answer.found  # the plans give the unit no such task
    assert answer.text.startswith("县委组织部的任务中没有与「培训」有关的。全部任务：牵头 3 项。")
    assert [c.item_id for c in answer.citations] == \
        [c.item_id for c in engine.ask("县委组织部负责哪些任务", today=TODAY).citations]


def test_a_units_own_words_before_里_name_no_plan(engine):
    """组织办负责的事里…: the unit's own list, not a plan whose title holds 组织 (组织工作要点)."""
    answer = engine.ask("组织办负责的事里有没有搞培训的", today=TODAY)
    assert answer.kind == "unit" and answer.found
    assert [c.title for c in answer.citations] == ["举办村（社区）干部能力提升培训班2期，实现村干部培训全覆盖"]
