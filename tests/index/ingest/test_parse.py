"""Plans into items: the three sample plans, the real published documents, every numbering style."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planbot.index.errors import PlanFileError
from planbot.index.models import Role
from planbot.index.ingest.parse import parse_plan
from tests.corpus import CORPUS

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
    "02": ("“无废城市”建设试点工作方案", 26, 9, 18, "一/（一）", "四/（四）"),
    "03": ("国务院关于促进综合保税区高水平开放高质量发展的若干意见", 28, 7, 22, "一", "五"),
    "04": ("国务院办公厅关于对真抓实干成效明显地方进一步加大激励支持力度的通知", 30, 0, 30, "一", "三十"),
    "05": ("国务院办公厅关于深入开展消费扶贫助力打赢脱贫攻坚战的指导意见", 18, 5, 17, "一", "六/（十七）"),
    "06": ("国家职业教育改革实施方案", 20, 7, 4, "一/（一）", "七/（二十）"),
    "07": ("国家粮食应急预案", 77, 25, 21, "1/1.1", "7/7.3"),
    "08": ("政府网站集约化试点工作方案", 18, 5, 1, "一/（一）", "五/（三）"),
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


@pytest.mark.parametrize("prefix", sorted(CORPUS_EXPECTED))
def test_corpus_furniture_is_not_plan_content(corpus, prefix):
    text = "\n".join(i.text for i in corpus[prefix].items)
    source = next(CORPUS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8").splitlines()
    own_number = next(line for line in source if line.endswith("号") and "〔" in line)
    for furniture in ("现印发给你们", "此件公开发布", own_number, "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："):
        assert furniture not in text


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


def test_unnumbered_task_paragraphs_become_items(corpus):
    plan = corpus["02"]
    section = by_path(plan, "二/（一）")
    assert section.kind == "section"
    para = by_path(plan, "二/（一）/¶1")
    assert para.title == "优化固体废物管理体制机制，强化部门分工协作"
    assert para.owners


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


@pytest.mark.parametrize("style", sorted(STYLES))
def test_numbering_style(style):
    text, expected = STYLES[style]
    plan = parse_plan(text, "x.txt")
    assert ["/".join(i.path) for i in items(plan)] == expected


def test_label_is_kept_as_written():
    plan = parse_plan("计划\n一、甲\n(一)做事。\n1．再做。", "x.txt")
    assert [i.label for i in plan.items] == ["一、", "(一)", "1．"]


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
