"""Plans into items: the three sample plans, the real published documents, every numbering style;
a section's own text, paragraph items, the closing text, standing rules."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from planbot.index.errors import PlanFileError
from planbot.index.models import Owner, Role
from planbot.index.ingest.parse import parse_plan
from planbot.index.text import sentences
from tests.corpus import CORPUS, corpus_line
from tests.corpus import corpus as corpus_text
from tests.guards import no_hang

PLANS = Path(__file__).resolve().parents[3] / "plan_texts"


def load(path: Path):
    return parse_plan(path.read_text(encoding="utf-8"), path.name)


def items(plan):
    return [i for i in plan.items if i.kind == "item"]


def by_path(plan, path: str):
    found = [i for i in plan.items if "/".join(i.path) == path]
    assert len(found) == 1, f"{path}: {len(found)} items"
    return found[0]


def units(item, role: Role) -> list[str]:
    return [o.unit for o in item.owners if o.role == role]


# -- the three sample plans ---------------------------------------------------------

@pytest.fixture(scope="module")
def org():
    return load(PLANS / "2020年全县组织工作要点.txt")


@pytest.fixture(scope="module")
def rural():
    return load(PLANS / "2021年全县乡村振兴重点任务分工方案.txt")


@pytest.fixture(scope="module")
def town():
    return load(PLANS / "2022年城关镇党建工作任务清单.txt")


def test_org_plan_structure(org):
    assert org.title == "2020年全县组织工作要点"
    assert org.year == 2020
    assert [i.key for i in items(org)] == [str(n) for n in range(1, 16)]
    sections = [i for i in org.items if i.kind == "section"]
    assert [s.key for s in sections] == ["一", "二", "三", "四", "五"]
    assert by_path(org, "二/3").title == "统筹做好干部日常调整配备"
    assert by_path(org, "二/3").ancestors[0].title == "着力加强领导班子和干部队伍建设"
    # numbering runs straight through sections: 12 sits under 四
    assert by_path(org, "四/12").title == "深化人才发展体制机制改革"


def test_org_plan_drops_boilerplate_and_keeps_preamble(org):
    assert all("原创投稿" not in i.text for i in org.items)
    preamble = org.items[0]
    assert preamble.kind == "preamble" and "总的要求" in preamble.text


def test_org_plan_states_no_owners(org):
    # the plan names no responsible units: none may be invented
    assert all(not i.owners for i in org.items)


def test_rural_plan_owners_and_deadlines(rural):
    assert len(items(rural)) == 16
    first = by_path(rural, "一/（一）/1")
    assert first.label == "1．"
    assert units(first, Role.lead) == ["县乡村振兴局"]
    assert units(first, Role.responsible) == ["各乡镇人民政府"]
    assert first.deadlines[0].recurring and first.deadlines[0].date is None
    water = by_path(rural, "三/（二）/11")
    assert [(d.phrase, d.date) for d in water.deadlines] == [("2021年6月底前", dt.date(2021, 6, 30))]
    customs = by_path(rural, "四/14")
    assert customs.deadlines[0].date == dt.date(2021, 12, 31)  # 2021年下半年 → end of span
    assert by_path(rural, "五/15").deadlines[0].recurring  # 每季度
    assert units(by_path(rural, "五/16"), Role.responsible) == []  # the item without 责任单位


def test_town_plan_trailing_parenthesis(town):
    assert town.title == "城关镇2022年党建工作任务清单"
    assert len(items(town)) == 13
    star = by_path(town, "二/4")
    assert units(star, Role.cooperating) == ["各村（社区）党组织"]
    report = by_path(town, "四/10")
    assert units(report, Role.responsible) == ["纪委书记", "纪委办"]
    assert [d.date for d in report.deadlines] == [dt.date(2022, 6, 30), dt.date(2022, 12, 31)]
    assert by_path(town, "二/6").deadlines[0].recurring  # 每月10日
    assert "责任部门" not in by_path(town, "二/6").title


# -- real published documents --------------------------------------------------------

CORPUS_EXPECTED = {
    # file prefix: (title, items, sections, items with owners, first item path, last item path)
    # 02: 二's six headings are sections of paragraph items (20 of them, each owned)
    "02": ("“无废城市”建设试点工作方案", 33, 10, 26, "一/（一）", "四/（四）"),
    "03": ("国务院关于促进综合保税区高水平开放高质量发展的若干意见", 28, 7, 22, "一", "五"),
    "04": ("国务院办公厅关于对真抓实干成效明显地方进一步加大激励支持力度的通知", 30, 0, 30, "一", "三十"),
    "05": ("国务院办公厅关于深入开展消费扶贫助力打赢脱贫攻坚战的指导意见", 18, 5, 17, "一", "六/（十七）"),
    # 06: 行业协会要积极配合政府 names the one owner its （十四） has
    "06": ("国家职业教育改革实施方案", 20, 7, 5, "一/（一）", "七/（二十）"),
    # 07: 14 paragraphs of sections' own text (2.1's 总指挥/副总指挥/成员, 2.1.2's office …)
    # and 2.1.1 / 2.1.2's nine duties are their heading's body's ("国家粮食应急工作指挥部职责");
    # 5.1.3's 省级人民政府及其有关部门要加强…监督检查 names 省级人民政府
    "07": ("国家粮食应急预案", 91, 25, 43, "1/1.1", "7/7.3"),
    # 08: 三、试点任务's lead-in paragraph; 试点地区要… in six items
    "08": ("政府网站集约化试点工作方案", 19, 5, 7, "一/（一）", "五/（三）"),
}


@pytest.fixture(scope="module")
def corpus():
    return {p.name[:2]: load(p) for p in sorted(CORPUS.glob("0*.txt"))}


@pytest.mark.parametrize("prefix", sorted(CORPUS_EXPECTED))
def test_corpus_document_structure(corpus, prefix):
    title, n_items, n_sections, n_owned, first, last = CORPUS_EXPECTED[prefix]
    plan = corpus[prefix]
    assert plan.title == title
    assert len(items(plan)) == n_items
    assert sum(i.kind == "section" for i in plan.items) == n_sections
    assert sum(bool(i.owners) for i in items(plan)) == n_owned
    assert "/".join(items(plan)[0].path) == first
    assert "/".join(items(plan)[-1].path) == last


def test_a_documents_year_comes_from_its_number_when_nothing_else_says(corpus):
    # 03 (国发〔2019〕3号) and 05 (国办发〔2018〕129号) name no year in their title or a notice date
    assert {prefix: plan.year for prefix, plan in corpus.items()} == {
        "02": 2018, "03": 2019, "04": 2018, "05": 2018, "06": 2019, "07": 2005, "08": 2018}
    plan = parse_plan("X县农业农村局文件\nX农发〔2021〕7号\n春耕工作方案\n1.备耕。年底前完成。\n2.检查。", "x.txt")
    assert plan.year == 2021 and by_path(plan, "1").deadlines[0].date == dt.date(2021, 12, 31)


@pytest.mark.parametrize("prefix", sorted(CORPUS_EXPECTED))
def test_corpus_furniture_is_not_plan_content(corpus, prefix):
    text = "\n".join(i.text for i in corpus[prefix].items)
    source = next(CORPUS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8").splitlines()
    own_number = next(line for line in source if line.endswith("号") and "〔" in line)
    for furniture in ("现印发给你们", "此件公开发布", own_number, "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："):
        assert furniture not in text


_LEADING_LABEL = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|\d+(?:\.\d+)*[.、．]?|[一二三四五六七八九十]+、|\d+[）)])")


@pytest.mark.parametrize("prefix", sorted(CORPUS_EXPECTED))
def test_every_sentence_of_a_document_can_be_found(corpus, prefix):
    """Each sentence of the document is in a chunk that questions reach (an item, a paragraph
    item, the preamble, the closing text), or is the title of a section; only the cover notice
    is left out."""
    plan = corpus[prefix]
    reached = "".join(re.sub(r"\s", "", i.text) for i in plan.items if i.kind != "section")
    titles = {i.title for i in plan.items if i.kind == "section"}
    checked = 0
    for line in corpus_text(prefix).splitlines():
        if "印发给你们" in line:
            continue
        for sentence in re.findall(r"[^。]+。", _LEADING_LABEL.sub("", re.sub(r"\s", "", line))):
            checked += 1
            assert sentence in reached or sentence.rstrip("。") in titles, sentence
    assert checked > 20


def test_table_of_contents_makes_no_duplicates(corpus):
    plan = corpus["07"]
    paths = ["/".join(i.path) for i in plan.items]
    assert len(paths) == len(set(paths))
    assert by_path(plan, "1/1.1").title == "编制目的及依据"
    assert by_path(plan, "1/1.1").text.count("为了有效监测") == 1


def test_first_listed_unit_leads_where_the_document_says_so(corpus):
    plan = corpus["03"]
    first = by_path(plan, "四/（一）/1")  # 1.拓展两个市场, where the rule is stated
    assert units(first, Role.lead) == ["税务总局"]
    assert units(first, Role.responsible) == ["财政部", "海关总署"]


def test_flat_chinese_numerals_are_items_not_sections(corpus):
    plan = corpus["04"]
    assert [i.key for i in items(plan)][:3] == ["一", "二", "三"]
    assert units(by_path(plan, "二"), Role.responsible) == ["商务部"]


def test_heading_on_its_own_line_takes_the_following_body(corpus):
    item = by_path(corpus["06"], "一/（一）")
    assert item.title == "健全国家职业教育制度框架"
    assert "管好两端" in item.text


def explicit_units(item) -> list[str]:
    return [o.unit for o in item.owners if o.rule is None]


# -- a section's own text, paragraph items ----------------------------------------------------

def test_a_sections_own_text_is_items_under_it(corpus):
    plan = corpus["07"]
    section = by_path(plan, "2/2.1")
    assert section.kind == "section" and section.title == "国家粮食应急工作指挥部"
    own = [by_path(plan, f"2/2.1/第{n}段") for n in (1, 2, 3)]
    lines = corpus_text("07").splitlines()
    assert [i.text for i in own] == [lines[lines.index("2.1　国家粮食应急工作指挥部", 40) + n] for n in (1, 2, 3)]
    assert [i.text[:4] for i in own] == ["总指挥：", "副总指挥", "成员：公"]
    assert all(i.kind == "item" and i.label == "" for i in own)
    assert section.position < own[0].position < own[2].position < by_path(plan, "2/2.1/2.1.1").position
    assert units(own[0], Role.lead) == ["国家发展改革委主要负责人"]
    assert units(own[1], Role.responsible) == ["国家发展改革委分管负责人", "国家粮食局主要负责人"]
    assert units(own[2], Role.cooperating)[0] == "公安部" and len(own[2].owners) == 12
    office = by_path(plan, "2/2.1/2.1.2/第1段")  # before its children （1）…（5）
    assert office.text == corpus_line("07", "办公室设在国家粮食局")
    assert units(office, Role.responsible) == ["国家粮食局"]


def test_a_heading_line_that_carries_a_task_gives_it_as_the_first_paragraph(corpus):
    plan = corpus["02"]
    for key in ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]:
        line = next(ln for ln in corpus_text("02").splitlines()[20:] if ln.startswith(key))
        title, task = line[len(key):].split("。", 1)
        section = by_path(plan, f"二/{key}")
        assert section.kind == "section" and section.title == title
        first = by_path(plan, f"二/{key}/第1段")
        assert first.text == task.strip() and first.label == ""
    first = by_path(plan, "二/（一）/第1段")
    assert units(first, Role.lead) == ["生态环境部"]
    assert [(d.phrase, d.date) for d in first.deadlines] == [("2019年6月底前", dt.date(2019, 6, 30))]


def test_unnumbered_paragraphs_under_a_heading_are_items(corpus):
    # 02's （三）: three tasks, three sets of owners (one item before)
    plan = corpus["02"]
    paragraphs = [i for i in items(plan) if i.path[:2] == ["二", "（三）"]]
    assert [i.key for i in paragraphs] == ["第1段", "第2段", "第3段"]
    assert [explicit_units(i) for i in paragraphs] == [
        ["农业农村部"], ["国家发展改革委", "农业农村部"], ["农业农村部", "市场监管总局", "生态环境部", "财政部"]]
    assert paragraphs[1].text == corpus_line("02", "推动区域农作物秸秆全量利用")
    assert not any("¶" in i.key for plan in corpus.values() for i in plan.items)


@pytest.mark.parametrize("prefix, path, paragraphs", [
    ("06", "一/（二）", 2),  # heading on its own line, body in two paragraphs
    ("02", "一/（三）", 4),  # 基本原则。 then four principles
    ("03", "五", 4),  # 有关要求 then four paragraphs: the document's last numbered item
    ("07", "3/3.1", 2),
])
def test_a_heading_alone_on_its_line_keeps_its_paragraphs_as_one_item(corpus, prefix, path, paragraphs):
    item = by_path(corpus[prefix], path)
    assert item.kind == "item" and len(item.text.splitlines()) == 1 + paragraphs


def test_paragraphs_with_owners_of_their_own_are_items_under_a_title_alone():
    # A county 要点 often lists a part's tasks as plain paragraphs, each with its own owner.
    text = ("2023年工作要点\n一、党建\n1. 新建党群服务中心2个。责任单位：街道党建办。\n二、民生服务\n"
            "开展便民生活圈建设，新增便民网点20个。（牵头：街道经济发展办）\n"
            "为辖区80岁以上老人免费体检。（牵头：社区卫生服务中心；时限：每年）\n"
            "三、保障\n加强组织领导。\n强化经费保障。（牵头：街道财政所）\n")
    plan = parse_plan(text, "x.txt")
    two = [i for i in plan.items if [a.key for a in i.ancestors] == ["二"] and i.kind == "item"]
    assert [(i.key, units(i, Role.lead)) for i in two] == [("第1段", ["街道经济发展办"]), ("第2段", ["社区卫生服务中心"])]
    three = by_path(plan, "三")  # one owner among them: one item, as before
    assert three.kind == "item" and units(three, Role.lead) == ["街道财政所"]


def test_a_short_statement_on_a_heading_line_is_content_not_a_title(corpus):
    # 07's "6.4.1　对参加应急工作的人员，应给予适当的通信、加班等补助。对有下列…" has children （1）…（4）
    plan = corpus["07"]
    first = by_path(plan, "6/6.4/6.4.1/第1段")
    assert first.text.startswith("对参加应急工作的人员，应给予适当的通信、加班等补助。")


def test_wrapped_lines_are_one_paragraph():
    text = ("方案\n一、工作任务\n（一）加强培训。组织集中培训，\n覆盖全体干部。\n"
            "开展专题轮训。（县委组织部负责）\n（二）强化考核。年底前完成考核。")
    plan = parse_plan(text, "x.txt")
    assert [i.text for i in items(plan)][:2] == ["组织集中培训，覆盖全体干部。", "开展专题轮训。（县委组织部负责）"]



SCHEDULE_PLAN = ("XX中学党支部2024年工作计划\n一、思想建设\n1．坚持“三会一课”制度。支委会每月召开1次。\n"
                 "二、工作安排\n全年工作按月安排如下：\n1月：召开组织生活会和民主评议党员。\n"
                 "3月份：开展学雷锋志愿服务活动\n第二季度：庆祝建党103周年系列活动。\n12月：支部书记述职。\n")


def test_a_month_by_month_schedule_is_one_dated_item_per_line():
    plan = parse_plan(SCHEDULE_PLAN, "x.txt")
    two = [i for i in plan.items if [a.key for a in i.ancestors] == ["二"] and i.kind == "item"]
    assert [i.text for i in two] == ["全年工作按月安排如下：", "1月：召开组织生活会和民主评议党员。",
                                     "3月份：开展学雷锋志愿服务活动", "第二季度：庆祝建党103周年系列活动。",
                                     "12月：支部书记述职。"]  # a line without 。 still its own
    assert [[(d.phrase, d.date) for d in i.deadlines] for i in two] == [
        [], [("1月", dt.date(2024, 1, 31))], [("3月份", dt.date(2024, 3, 31))],
        [("第二季度", dt.date(2024, 6, 30))], [("12月", dt.date(2024, 12, 31))]]


def test_one_time_label_under_a_heading_keeps_the_item_whole():
    text = "2024年工作计划\n一、培训\n1. 开展全员培训。\n3月：制定培训方案。\n二、考核\n2. 年底前完成考核。\n"
    item = by_path(parse_plan(text, "x.txt"), "一/1")
    assert item.text == "开展全员培训。\n3月：制定培训方案。" and item.kind == "item"

# -- the end of a document ------------------------------------------------------------------------

def test_the_closing_text_is_its_own_chunk(corpus):
    plan = corpus["04"]
    closing = plan.items[-1]
    assert (closing.kind, closing.label, closing.key, closing.ancestors) == ("closing", "", "", [])
    assert closing.text.splitlines() == corpus_text("04").splitlines()[35:38]  # the three paragraphs after 三十
    assert closing.title == "对真抓实干、相关工作成效明显的地方进一步加大激励支持力度"
    assert [(d.phrase, d.date, d.recurring) for d in closing.deadlines] == [
        ("2018年12月31日前", dt.date(2018, 12, 31), False), ("每年2月底前", None, True)]
    assert units(closing, Role.lead) == ["省级政府办公厅", "国务院办公厅"]
    last = by_path(plan, "三十")
    assert last.text == corpus_line("04", "三十、")[3:] and not last.deadlines


def test_a_closing_paragraph_after_one_line_items(corpus):
    plan = corpus["08"]
    assert plan.items[-1].kind == "closing"
    assert plan.items[-1].text == corpus_line("08", "未纳入试点范围的其他省")
    assert "未纳入试点范围" not in by_path(plan, "五/（三）").text


@pytest.mark.parametrize("prefix", ["02", "03", "05", "06", "07"])
def test_documents_that_end_with_their_last_item_have_no_closing(corpus, prefix):
    assert all(i.kind != "closing" for i in corpus[prefix].items)


def test_numbered_closing_provisions_stay_items(corpus):
    # 07 numbers its 附则: 7.2 (解释) and 7.3 (施行) are looked up by number
    plan = corpus["07"]
    assert by_path(plan, "7/7.2").kind == "item"
    assert units(by_path(plan, "7/7.2"), Role.responsible) == ["国务院办公厅"]
    assert by_path(plan, "7/7.3").text == "本预案自印发之日起实施。"


def test_a_closing_formula_after_a_heading_and_paragraphs():
    text = ("方案\n一、任务\n（一）加强培训。\n组织集中培训。\n（二）强化考核。\n年底前完成考核。\n"
            "本方案自印发之日起施行。")
    plan = parse_plan(text, "x.txt")
    assert plan.items[-1].kind == "closing" and plan.items[-1].text == "本方案自印发之日起施行。"
    assert by_path(plan, "一/（二）").text == "强化考核。\n年底前完成考核。"


# -- standing rules ------------------------------------------------------------------------------------

def test_a_standing_rule_gives_every_later_task_in_its_part_an_owner(corpus):
    plan = corpus["02"]
    rule = "以下均需试点城市政府落实，不再列出"
    stated = by_path(plan, "二/（一）/第2段")  # where it is written, as an owner of that task
    assert [o.rule for o in stated.owners if o.unit == "试点城市政府"] == [None]
    later = [i for i in items(plan) if i.path[0] == "二" and i.position > stated.position]
    assert len(later) == 18
    for item in later:
        assert [o for o in item.owners if o.unit == "试点城市政府"] == [
            Owner(role=Role.responsible, unit="试点城市政府", rule=rule)]
    assert "试点城市政府" not in [o.unit for o in by_path(plan, "二/（一）/第1段").owners]
    # 三、实施步骤 and 四、保障措施 are other parts of the plan
    assert not any(o.rule for i in items(plan) if i.path[0] in ("三", "四") for o in i.owners)


def test_a_heading_that_names_a_bodys_duties_owns_the_items_under_it(corpus):
    plan = corpus["07"]
    duties = [i for i in items(plan) if i.path[:3] == ["2", "2.1", "2.1.1"]]
    assert len(duties) == 4
    for item in duties:
        assert item.owners == [Owner(role=Role.responsible, unit="国家粮食应急工作指挥部", rule="国家粮食应急工作指挥部职责")]
    office = [i for i in items(plan) if i.path[:3] == ["2", "2.1", "2.1.2"] and i.label]
    assert {o.unit for i in office for o in i.owners} == {"国家粮食应急工作指挥部办公室"}
    # 成员单位职责: each item names its own unit, none is derived
    members = [i for i in items(plan) if i.path[:3] == ["2", "2.1", "2.1.3"]]
    assert not any(o.rule for i in members for o in i.owners)
    assert units(by_path(plan, "2/2.1/2.1.3/（3）"), Role.responsible) == ["公安部"]


# -- which sentence ---------------------------------------------------------------------------------

@pytest.mark.parametrize("prefix", sorted(CORPUS_EXPECTED))
def test_owner_and_deadline_sentences_name_them(corpus, prefix):
    """An owner's sentence holds its unit (or, for a bracket written after 。, is the sentence it
    closes: the bracket opens the next one); a deadline's sentence holds its phrase."""
    for item in corpus[prefix].items:
        said = sentences(item.text)
        for o in item.owners:
            if o.sentence is not None:
                near = "".join(said[o.sentence:o.sentence + 2])
                assert o.unit.split("、")[-1][:4] in near, (item.path, o)
        for d in item.deadlines:
            if d.sentence is not None:
                assert d.phrase in said[d.sentence], (item.path, d)


def test_schedule_deadlines_in_sentences(corpus):
    dates = sorted(d.date for i in items(corpus["08"]) for d in i.deadlines if d.date)
    assert dt.date(2018, 12, 31) in dates and dt.date(2020, 4, 30) in dates


def test_starts_are_not_deadlines_and_schedules_are_recurring(corpus):
    # 06: 从2019年起 / 2020年起 open, they set no due date; 每3年修订1次教材 is a schedule;
    # "2020年初步建成300个示范性职业教育集团" is the one dated target in its items
    deadlines = [d for i in items(corpus["06"]) for d in i.deadlines]
    assert not any("起" in d.phrase or "开始" in d.phrase for d in deadlines)
    assert [(d.phrase, d.date) for d in deadlines if not d.recurring] == [("2020年", dt.date(2020, 12, 31))]
    assert {d.phrase for d in deadlines if d.recurring} == {"每5年", "每年", "每3年"}


# -- numbering styles --------------------------------------------------------------------

STYLES = {
    "一、 / （一） / 1.": ("计划\n一、甲\n（一）乙\n1.做第一件事。\n2.做第二件事。", ["一/（一）/1", "一/（一）/2"]),
    "(一) half-width": ("计划\n一、甲\n(一)做事。\n(二)再做。", ["一/（一）", "一/（二）"]),
    "1、 and 1．": ("计划\n一、甲\n1、第一。\n2、第二。\n二、乙\n1．第三。", ["一/1", "一/2", "二/1"]),
    "1) and （1）": ("计划\n1.甲类工作。\n（1）细项一。\n（2）细项二。\n2.乙类工作。\n1)细项。",
                    ["1/（1）", "1/（2）", "2/1"]),
    "circled": ("计划\n一、甲\n①第一项。\n②第二项。", ["一/①", "一/②"]),
    "第一条": ("办法\n第一条 为了规范工作，制定本办法。\n第二条 本办法适用于全县。", ["第一条", "第二条"]),
    "第一章 / 第一条": ("办法\n第一章 总则\n第一条 目的。\n第二章 职责\n第二条 分工。", ["第一章/第一条", "第二章/第二条"]),
    "decimal": ("预案\n1 总则\n1.1 目的\n为了应急。\n1.2 分级\n1.2.1 一级\n特别重大。", ["1/1.1", "1/1.2/1.2.1"]),
    "restart per section": ("计划\n一、甲\n1.子一。\n2.子二。\n二、乙\n1.子三。", ["一/1", "一/2", "二/1"]),
    "flat 一、…三十、": ("通知\n" + "\n".join(f"{n}、第{n}项措施。（某部负责）" for n in
                                            ["一", "二", "三", "十", "十一", "二十", "三十"]),
                       ["一", "二", "三", "十", "十一", "二十", "三十"]),
}


def test_a_title_that_starts_with_a_number_is_no_decimal():
    # "11.121人才梯队项目" in a 1. 2. 3. list is item 11, not decimal 11.121 glued to item 10
    text = ("人才工作要点\n一、人才引进\n9.加强人才培训。\n牵头单位：县委组织部\n10.引进高层次人才。\n"
            "牵头单位：县人社局\n11.121人才梯队项目。每年选拔青年人才。\n牵头单位：县科技局\n12.完善人才服务。")
    plan = parse_plan(text, "x.txt")
    assert [i.key for i in items(plan)] == ["9", "10", "11", "12"]
    eleven = by_path(plan, "一/11")
    assert (eleven.label, eleven.title) == ("11.", "121人才梯队项目")
    assert units(by_path(plan, "一/10"), Role.lead) == ["县人社局"]


def test_fields_on_the_heading_line_keep_the_item_whole():
    # the fields after the title own the item and its paragraph; they are no first task of a section
    text = ("人才工作要点\n10.引进高层次人才。牵头单位：县人社局\n11.121人才梯队项目。牵头单位：县科技局\n"
            "每年选拔青年人才20名。\n12.完善人才服务。")
    plan = parse_plan(text, "x.txt")
    assert [(i.kind, i.key) for i in plan.items] == [("item", "10"), ("item", "11"), ("item", "12")]
    eleven = by_path(plan, "11")
    assert "每年选拔青年人才20名" in eleven.text and units(eleven, Role.lead) == ["县科技局"]


def test_owners_a_heading_names_are_its_items_owners():
    # on the heading line (a bracket holding ；), on the line under it, or after the title's 。
    text = ("工作要点\n一、产业发展（牵头单位：县发改局；配合单位：县财政局）\n1.壮大主导产业。\n2.培育龙头企业。\n"
            "二、乡村建设\n（牵头单位：县农业农村局）\n3.改善人居环境。\n4.建设美丽乡村。责任单位：县住建局\n"
            "三、民生保障。（县民政局负责）\n5.提高低保标准。")
    plan = parse_plan(text, "x.txt")
    assert [(i.kind, i.key, i.title) for i in plan.items if i.kind == "section"] == [
        ("section", "一", "产业发展"), ("section", "二", "乡村建设"), ("section", "三", "民生保障")]
    assert [i.key for i in items(plan)] == ["1", "2", "3", "4", "5"]  # the notes are no paragraph items
    one = by_path(plan, "一/1")
    assert [(o.role, o.unit) for o in one.owners] == [(Role.lead, "县发改局"), (Role.cooperating, "县财政局")]
    assert one.owners[0].rule == "一、产业发展（牵头单位：县发改局；配合单位：县财政局）"
    assert units(by_path(plan, "二/3"), Role.lead) == ["县农业农村局"]
    assert [o.unit for o in by_path(plan, "二/4").owners] == ["县住建局"]  # its own owner, not the heading's
    assert units(by_path(plan, "三/5"), Role.responsible) == ["县民政局"]


def test_decimal_numbers_only_where_the_document_numbers_so():
    # "2.5亿元…" in a 1. 2. 3. list is an amount in the text, not item 2.5 nor item 2
    text = "方案\n1.筹措资金。\n2.5亿元用于道路建设，其余用于水利。\n2.加强监管。\n3.1 亿元用于培训。"
    plan = parse_plan(text, "x.txt")
    assert [i.key for i in items(plan)] == ["1", "2"]
    assert "2.5亿元" in by_path(plan, "1").text and "3.1 亿元" in by_path(plan, "2").text


def test_numbers_past_999_are_items():
    text = "任务清单\n" + "\n".join(f"{n}．第{n}项任务。" for n in range(995, 1003))
    assert [i.key for i in items(parse_plan(text, "x.txt"))] == [str(n) for n in range(995, 1003)]


def test_a_part_heading_is_one_label():
    text = ("规划\n第一部分 总体要求\n一、指导思想\n1.坚持党的领导。\n2.坚持人民至上。\n"
            "第二部分 重点任务\n一、产业发展\n1.壮大主导产业。")
    plan = parse_plan(text, "x.txt")
    parts = [(i.label, i.key, i.title) for i in plan.items if i.kind == "section" and not i.ancestors]
    assert parts == [("第一部分", "一", "总体要求"), ("第二部分", "二", "重点任务")]
    assert ["/".join(i.path) for i in items(plan)] == ["一/一/1", "一/一/2", "二/一/1"]
    book = parse_plan("规划\n第一篇 总论\n1.目标。\n2.原则。\n第二篇 分论\n1.任务。", "y.txt")
    assert [(i.label, i.title) for i in book.items if i.kind == "section"] == [("第一篇", "总论"), ("第二篇", "分论")]


@pytest.mark.parametrize("style", sorted(STYLES))
def test_numbering_style(style):
    text, expected = STYLES[style]
    plan = parse_plan(text, "x.txt")
    assert ["/".join(i.path) for i in items(plan)] == expected


def test_label_is_kept_as_written():
    plan = parse_plan("计划\n一、甲\n(一)做事。\n1．再做。\n2、又做。", "x.txt")
    assert [i.label for i in plan.items] == ["一、", "(一)", "1．", "2、"]


@pytest.mark.parametrize("sep", ["\t", "   ", "\u3000\u3000"])
def test_task_table_rows_become_items(sep):
    rows = [
        ["序号", "重点任务", "牵头单位", "责任单位", "完成时限"],
        ["1", "新建高标准农田2万亩", "县农业农村局", "县财政局、县自然资源局", "2021年10月底前"],
        ["2", "新改建农村公路120公里", "县交通运输局", "各乡镇人民政府", "每季度"],
    ]
    text = "2021年任务分工\n一、重点任务\n" + "\n".join(sep.join(r) for r in rows)
    plan = parse_plan(text, "t.txt")
    got = items(plan)
    assert ["/".join(i.path) for i in got] == ["一/1", "一/2"]
    assert units(got[0], Role.lead) == ["县农业农村局"]
    assert units(got[0], Role.responsible) == ["县财政局", "县自然资源局"]
    assert got[0].deadlines[0].date == dt.date(2021, 10, 31)
    assert got[1].deadlines[0].recurring


def test_empty_plan_is_an_error():
    with pytest.raises(PlanFileError):
        parse_plan("只有一个标题", "empty.txt")


@pytest.mark.parametrize(
    "text, reason",
    [
        ("工作会议纪要\n会议听取了各单位的汇报。\n会议要求各单位抓好落实。",
         "这份文件看起来不像计划：只找到 1 条，没有编号的条目"),
        ("# PlanBot\nAsk a plan a question and get the item.\n\nInstall it with pip.",
         "这份文件看起来不像计划：只找到 1 条，没有编号的条目"),
        ("关于召开工作会议的通知\n各单位：\n一、会议时间：3月5日上午9时。",
         "这份文件看起来不像计划：只找到 1 条，一份计划至少有两条"),
    ],
)
def test_a_file_that_is_no_plan_is_refused_with_a_reason(text, reason):
    with pytest.raises(PlanFileError) as refused:
        parse_plan(text, "x.txt")
    assert refused.value.reason == reason


def test_two_items_make_a_plan():
    plan = parse_plan("计划\n一、只有两条\n1. 一条任务。\n2. 另一条任务。", "x.txt")
    assert len(items(plan)) == 2


# -- bounded time on adversarial plans ------------------------------------------------------------------

ADVERSARIAL_PLANS = [
    "计划\n一、任务\n（一）加强培训。组织\n" + "甲\n" * 100_000 + "（二）再做。",  # one paragraph, 100k wraps
    "计划\n一、甲\n1." + "以下均需县局落实，不再列出。" * 15_000 + "\n2.乙。",
    "计划\n1.甲。\n2.乙。\n" + "本方案自印发之日起施行。\n" * 15_000,
    "计划\n1.甲。\n" + "\n".join(f"{n}.121人才梯队" for n in range(2, 20_000)),
    "通知\n" + "\n".join(f"{n}、第{n}项。（县局负责）" for n in range(1, 5_000)) + "\n" + "各地要落实。\n" * 30_000,
    "计划\n" + "总指挥：县局\n副总指挥：县委\n" * 15_000 + "1.甲。\n2.乙。",
    "计划\n" + "\n".join(f"（{n}）对甲，应乙。对丙。" for n in range(1, 999)) * 20 + "\n1.甲。\n2.乙。",
]


@pytest.mark.slow
@pytest.mark.parametrize("text", ADVERSARIAL_PLANS, ids=lambda t: repr(t[:12]))
def test_no_hang_on_200k_adversarial_plans(text):
    with no_hang():
        try:
            parse_plan(text, "x.txt")
        except PlanFileError:
            pass
