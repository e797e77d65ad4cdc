"""Owners of plan items: field lines, field brackets, inline owner brackets and owners named in prose,
on real plan lines; which sentence each owner belongs to."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planbot.index.models import Owner, Role
from planbot.index.ingest.fields import field_pairs, paren_groups
from planbot.index.ingest.owners import (
    document_rule_first_is_lead,
    extract_owners,
    split_units,
    stated_owners,
    strip_owner_notes,
)
from planbot.index.ingest.prose import prose_owners
from planbot.index.ingest.rules import heading_owner, standing_owner
from tests.corpus import corpus, corpus_line
from tests.guards import no_hang


L, R, C = Role.lead, Role.responsible, Role.cooperating


def pairs(owners: list[Owner]) -> list[tuple[Role, str]]:
    return [(o.role, o.unit) for o in owners]


# -- field lines (2021年全县乡村振兴重点任务分工方案) -----------------------------------------------

RURAL_2 = """2．落实过渡期内“四个不摘”要求，保持主要帮扶政策总体稳定。
牵头单位：县乡村振兴局
责任单位：县财政局、县民政局、县医保局，各乡镇人民政府
完成时限：2021年12月底前
"""


@pytest.mark.parametrize(
    "text, expected",
    [
        (RURAL_2, [(L, "县乡村振兴局", "牵头单位"), (R, "县财政局", "责任单位"),
                   (R, "县民政局", "责任单位"), (R, "县医保局", "责任单位"),
                   (R, "各乡镇人民政府", "责任单位")]),
        ("6．打造乡村旅游精品线路3条，创建省级休闲农业和乡村旅游示范点2个。\n"
         "牵头单位：县文化和旅游局\n责任单位：县农业农村局，相关乡镇人民政府\n完成时限：2021年8月底前",
         [(L, "县文化和旅游局", "牵头单位"), (R, "县农业农村局", "责任单位"),
          (R, "相关乡镇人民政府", "责任单位")]),
        ("9．推进农村生活污水治理，新建污水处理设施15处。\n牵头单位：市生态环境局县分局\n"
         "责任单位：县水利局，各乡镇人民政府\n完成时限：2021年年底前",
         [(L, "市生态环境局县分局", "牵头单位"), (R, "县水利局", "责任单位"),
          (R, "各乡镇人民政府", "责任单位")]),
        ("13．选派驻村第一书记和工作队，实现脱贫村、易地扶贫搬迁安置村、乡村振兴任务重的村全覆盖。\n"
         "牵头单位：县委组织部\n责任单位：县乡村振兴局，各派出单位\n完成时限：2021年7月底前",
         [(L, "县委组织部", "牵头单位"), (R, "县乡村振兴局", "责任单位"), (R, "各派出单位", "责任单位")]),
        ("16．将乡村振兴实绩纳入乡镇党政领导班子和领导干部综合考核，考核结果作为干部选拔任用的重要依据。\n"
         "牵头单位：县委组织部、县委农办\n完成时限：2021年12月底前",
         [(L, "县委组织部", "牵头单位"), (L, "县委农办", "牵头单位")]),
        # Windows line ends and a half-width colon
        ("1．任务。\r\n牵头单位:县商务局\r\n配合单位：县邮政分公司\r\n",
         [(L, "县商务局", "牵头单位"), (C, "县邮政分公司", "配合单位")]),
    ],
)
def test_field_lines(text, expected):
    assert [(o.role, o.unit, o.field) for o in extract_owners(text)] == expected


@pytest.mark.parametrize(
    "field, role",
    [("牵头单位", L), ("牵头部门", L), ("牵头领导", L),
     ("责任单位", R), ("责任部门", R), ("责任领导", R), ("责任科室", R), ("责任人", R),
     ("主责单位", R),
     ("配合单位", C), ("配合部门", C), ("协办单位", C), ("参与单位", C)],
)
def test_field_names_map_to_roles(field, role):
    owners = extract_owners(f"开展专项整治。\n{field}：县公安局")
    assert owners == [Owner(role=role, unit="县公安局", field=field)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a county task line: the fields follow the task on the same line, no brackets
        ("推进义务教育优质均衡发展，新建学校2所。牵头单位：县教育局。", [(L, "县教育局", "牵头单位")]),
        ("改造农村公路30公里，责任单位：县交通运输局；完成时限：2021年10月底前。",
         [(R, "县交通运输局", "责任单位")]),
        ("开展村庄清洁行动。牵头单位：县农业农村局；配合单位：各乡镇（街道）。完成时间：6月底前",
         [(L, "县农业农村局", "牵头单位"), (C, "各乡镇（街道）", "配合单位")]),
        # the run ends where a sentence follows that is no field; another run may follow
        ("开展专项整治。牵头单位：县公安局。加强宣传引导。", [(L, "县公安局", "牵头单位")]),
        ("开展专项整治。牵头单位：县公安局。加强宣传引导。牵头单位：县委宣传部。",
         [(L, "县公安局", "牵头单位"), (L, "县委宣传部", "牵头单位")]),
    ],
)
def test_fields_after_a_sentence_on_the_same_line(text, expected):
    assert [(o.role, o.unit, o.field) for o in extract_owners(text)] == expected
    assert "单位" not in strip_owner_notes(text)


def test_a_bracket_of_fields_is_not_read_as_an_inline_run_too():
    text = "开展创建评定。（责任部门：组织办；配合部门：各村（社区）党组织；完成时间：2022年11月30日）"
    assert [(o.role, o.unit) for o in extract_owners(text)] == [(R, "组织办"), (C, "各村（社区）党组织")]


@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("主要责任人", "乡镇党委书记", [(R, "乡镇党委书记")]),
        ("牵头县领导", "李四", [(L, "李四")]),
        ("责任单位及责任人", "县水利局", [(R, "县水利局")]),
        # the lead marked inside a list of responsible units
        ("责任单位", "县委组织部（牵头）、县人社局", [(L, "县委组织部"), (R, "县人社局")]),
        # 主办 pairs with 协办 as 牵头 with 配合; 承办 / 实施 / 落实 / 执行单位 do the task
        ("主办单位", "县发展改革局", [(L, "县发展改革局")]),
        ("承办单位", "县委办", [(R, "县委办")]),
        ("实施单位", "县住建局", [(R, "县住建局")]),
        ("落实单位", "各乡镇", [(R, "各乡镇")]),
        ("执行部门", "县公安局", [(R, "县公安局")]),
    ],
)
def test_field_name_variants(field, value, expected):
    assert pairs(extract_owners(f"开展专项整治。\n{field}：{value}")) == expected


@pytest.mark.parametrize("text", ["督办单位：县委督查室", "分管领导：李强", "联系领导：赵四", "主办：县委办",
                                  "（主办：县政府办公室　承办：县大数据中心）"])
def test_fields_naming_no_owner_give_no_unit_and_never_their_own_name(text):
    """A supervisor, a leader in charge, a web page's 主办 line: no owner, and the field's name
    is never read as a unit with the value as its duty (督办单位：X once gave the unit 督办单位)."""
    assert extract_owners(f"开展专项整治。\n{text}") == []


def test_a_host_and_a_co_host_in_one_bracket():
    assert pairs(extract_owners("举办招聘会。（主办单位：县人社局；协办单位：县工商联）")) == [
        (L, "县人社局"), (C, "县工商联")]


def test_field_words_inside_a_sentence_are_not_fields():
    assert extract_owners("进一步明确责任单位：要求各地落实。") == []


# -- field brackets (2022年城关镇党建工作任务清单) ---------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("1、深入学习贯彻党的二十大精神，镇党委理论学习中心组全年集中学习不少于12次。"
         "（责任领导：党委书记；责任部门：党政办；完成时间：全年）",
         [(R, "党委书记", "责任领导"), (R, "党政办", "责任部门")]),
        ("4、开展“星级党支部”创建评定，年底前评出五星级党支部3个。"
         "（责任部门：组织办；配合部门：各村（社区）党组织；完成时间：2022年11月30日）",
         [(R, "组织办", "责任部门"), (C, "各村（社区）党组织", "配合部门")]),
        ("8、举办村（社区）干部能力提升培训班2期，实现村干部培训全覆盖。"
         "（责任部门：组织办；配合部门：党校分校；完成时间：2022年6月、11月各一期）",
         [(R, "组织办", "责任部门"), (C, "党校分校", "配合部门")]),
        ("11、开展“村官”“蝇贪”专项整治，严查惠民惠农资金领域腐败问题。"
         "（责任部门：纪委办；配合部门：财政所、农业服务中心；完成时间：2022年12月底前）",
         [(R, "纪委办", "责任部门"), (C, "财政所", "配合部门"), (C, "农业服务中心", "配合部门")]),
    ],
)
def test_field_brackets(text, expected):
    assert [(o.role, o.unit, o.field) for o in extract_owners(text)] == expected


def test_field_pairs_include_deadline_fields_in_order():
    text = "7、整顿软弱涣散村党组织2个。（责任领导：组织委员；责任部门：组织办；完成时间：2022年9月底前）"
    assert field_pairs(text) == [("责任领导", "组织委员"), ("责任部门", "组织办"),
                                 ("完成时间", "2022年9月底前")]


# -- inline brackets (published State Council documents) -------------------------------------------

@pytest.mark.parametrize(
    "doc, contains, first_is_lead, expected",
    [
        ("02", "国家统计局参与）", False,
         [(L, "生态环境部"), (C, "国家发展改革委"), (C, "工业和信息化部"), (C, "住房城乡建设部"),
          (C, "农业农村部"), (C, "国家统计局")]),
        # 指导 is responsible; 负责落实 too; the standing note after 。 is not an owner
        ("02", "以下均需试点城市政府落实", False, [(R, "生态环境部"), (R, "试点城市政府")]),
        # two brackets in one paragraph, the second half-width
        ("02", "供销合作总社参与", False, [(R, "商务部"), (C, "供销合作总社"), (R, "生态环境部")]),
        ("03", "排在第一位的部门为牵头部门", True, [(L, "税务总局"), (R, "财政部"), (R, "海关总署")]),
        ("03", "排在第一位的部门为牵头部门", False, [(R, "税务总局"), (R, "财政部"), (R, "海关总署")]),
        ("03", "21.推广创新制度", True, [(L, "海关总署"), (R, "商务部")]),
        ("03", "直接赋予最高信用等级", True, [(L, "市场监管总局"), (R, "海关总署")]),
        ("04", "一、对深化商事制度改革", False, [(R, "市场监管总局")]),
        ("04", "形成一批特色鲜明、协同发展", False, [(R, "国家发展改革委")]),
        ("04", "（国家发展改革委、财政部会同有关部门负责）", False, [(R, "国家发展改革委"), (R, "财政部")]),
        ("05", "中央军委政治工作部", False,
         [(R, "扶贫办"), (R, "中央统战部"), (R, "中央和国家机关工委"), (R, "教育部"),
          (R, "卫生健康委"), (R, "人民银行"), (R, "国资委"), (R, "国管局"),
          (R, "中央军委政治工作部"), (R, "全国总工会"), (R, "各省级人民政府")]),
        ("05", "粮食和储备局", False,
         [(R, "商务部"), (R, "扶贫办"), (R, "发展改革委"), (R, "工业和信息化部"), (R, "财政部"),
          (R, "交通运输部"), (R, "农业农村部"), (R, "文化和旅游部"), (R, "粮食和储备局"),
          (R, "供销合作总社"), (R, "各有关省级人民政府")]),
    ],
)
def test_inline_owner_brackets(doc, contains, first_is_lead, expected):
    text = corpus_line(doc, contains)
    assert pairs(extract_owners(text, first_is_lead=first_is_lead)) == expected
    assert all(o.field is None for o in extract_owners(text))


@pytest.mark.parametrize(
    "text, first_is_lead, expected",
    [
        ("（国家发展改革委、商务部负责）", False, [(R, "国家发展改革委"), (R, "商务部")]),
        ("（国家发展改革委、商务部负责）", True, [(L, "国家发展改革委"), (R, "商务部")]),
        ("（海关总署负责）", True, [(L, "海关总署")]),
        # an explicit lead wins over the document rule
        ("（县委组织部牵头，县财政局、县民政局负责）", True,
         [(L, "县委组织部"), (R, "县财政局"), (R, "县民政局")]),
        ("（县发展改革局、县财政局按职责分工负责）", False, [(R, "县发展改革局"), (R, "县财政局")]),
        ("（县财政局，各乡镇人民政府负责）", False, [(R, "县财政局"), (R, "各乡镇人民政府")]),
        ("（县财政局和县民政局负责）", False, [(R, "县财政局"), (R, "县民政局")]),
        ("（住房和城乡建设部、人力资源和社会保障局负责）", False,
         [(R, "住房和城乡建设部"), (R, "人力资源和社会保障局")]),
        ("（各省（区、市）人民政府负责）", False, [(R, "各省（区、市）人民政府")]),
        ("（县农业农村局牵头负责，县林业局配合）", False, [(L, "县农业农村局"), (C, "县林业局")]),
        ("（生态环境部牵头、国家发展改革委、商务部参与）", False,
         [(L, "生态环境部"), (C, "国家发展改革委"), (C, "商务部")]),
        ("（由县财政局负责）", False, [(R, "县财政局")]),
    ],
)
def test_inline_forms(text, first_is_lead, expected):
    assert pairs(extract_owners("开展工作。" + text, first_is_lead=first_is_lead)) == expected


@pytest.mark.parametrize(
    "text",
    [
        # 07: a principle's title and a sentence whose agent is no unit list
        "（1）统一领导、分级负责。在国务院统一领导下，对不同等级的粮食应急工作，由中央和省级人民政府"
        "按照中央和地方的粮食事权各负其责。",
        # brackets that name no owner
        "贯彻落实《党委(党组）讨论决定干部任免事项守则》，继续抓好干部人事档案审核等工作。",
        "政府和社会资本合作（PPP）等模式（以下简称PPP模式）",
        # prose that names no unit: the subject is no unit, or 负责 describes, or the verb has no subject
        "国家粮食应急工作指挥部下设办公室，负责日常工作。",
        "按照在国家宏观调控下，省级人民政府对本地区粮食生产和流通全面负责的原则，分为两级。",
        "试点城市负责编制“无废城市”建设试点实施方案。",
        "鼓励有关部队特别是驻贫困地区部队积极参与消费扶贫。",
        "国务院有关部门要增强大局意识，积极配合，全力支持，认真落实任务分工。",
        "办公室成员由国家发展改革委、财政部、国家粮食局有关人员组成。",
        "由省（区、市）统筹按一定比例或额度给予奖励。",
        "要加大统筹协调力度，会同有关部门建立完善促进综合保税区发展的部门协调机制。",
        "",
    ],
)
def test_no_owner_statement_means_no_owners(text):
    assert extract_owners(text, first_is_lead=True) == []


def test_a_bracket_inside_a_duty_sentence_is_no_owner_but_the_sentence_is():
    # 06: （技工院校内由…部门负责） reads like prose, so it names no one; the sentence around it does
    text = corpus_line("06", "技工院校内由人力资源社会保障行政部门负责")
    assert stated_owners(text) == []
    owners = extract_owners(text)
    assert pairs(owners)[:2] == [(R, "国务院人力资源社会保障行政部门"), (R, "教育行政部门")]
    assert not any("院校" in o.unit for o in owners)


@pytest.mark.parametrize("name", ["06", "07", "08"])
def test_documents_without_owner_brackets_have_no_bracket_owners(name):
    lines = corpus(name).splitlines()
    assert [line[:20] for line in lines if stated_owners(line)] == []


def test_every_item_of_the_incentive_notice_has_an_owner():
    items = [line for line in corpus("04").splitlines() if re.match("[一二三四五六七八九十]+、对", line)]
    assert len(items) == 30
    assert all(extract_owners(line) for line in items)


def test_long_lists_end_with_the_provincial_governments():
    lines = [line for line in corpus("05").splitlines() if "省级人民政府负责）" in line]
    assert len(lines) == 17
    for line in lines:  # the bracket's list (prose may name more: 各省（区、市）人民政府要…)
        last = stated_owners(line)[-1]
        assert last.unit in {"各省级人民政府", "各有关省级人民政府"}, line[:20]
        assert not any(o.unit.endswith("等") or "和各" in o.unit for o in extract_owners(line))


def test_a_unit_named_twice_is_listed_once_with_its_strongest_role():
    text = "完成任务。（县财政局配合，县民政局负责）\n牵头单位：县财政局"
    assert pairs(extract_owners(text)) == [(L, "县财政局"), (R, "县民政局")]


# -- owners in prose (07's duty sentences, 02's and 04's steps, command structures) ---------------------

def triples(owners: list[Owner]) -> list[tuple[Role, str, int | None]]:
    return [(o.role, o.unit, o.sentence) for o in owners]


@pytest.mark.parametrize(
    "doc, contains, expected",
    [
        ("07", "公安部负责维护粮食供应场所的治安秩序", [(R, "公安部", 0)]),
        ("07", "铁道部、交通部负责根据粮食应急工作的需要", [(R, "铁道部", 0), (R, "交通部", 0)]),
        ("07", "中国储备粮管理总公司负责中央储备粮动用计划的执行。", [(R, "中国储备粮管理总公司", 0)]),
        # named in sentence 0 and again in sentence 3 ("国家发展改革委负责加强…"): two parts, sentence None
        ("07", "国家发展改革委及国家粮食局负责应急工作的综合协调",
         [(R, "国家发展改革委", None), (R, "国家粮食局", 0)]),
        # the verb opens the next clause: the subject is the clause before, without 按照各自职能分工
        ("07", "国家发展改革委及国家粮食局、商务部按照各自职能分工",
         [(R, "国家发展改革委", 0), (R, "国家粮食局", 0), (R, "商务部", 0)]),
        # X会同Y: X leads, Y cooperates
        ("07", "国务院新闻办会同国家发展改革委制订", [(L, "国务院新闻办", 0), (C, "国家发展改革委", 0)]),
        ("07", "由中国农业发展银行会同中国储备粮管理总公司及时清算",
         [(L, "中国农业发展银行", 0), (C, "中国储备粮管理总公司", 0)]),
        # 会同有关部门 names no one
        ("07", "会同有关部门负责建立全国粮食监测预警系统", [(L, "国家发展改革委", 0), (L, "国家粮食局", 0)]),
        ("07", "财政部会同国务院有关部门（单位）", [(L, "财政部", 0)]),
        # 由X提出: the agent of a step
        # (the sentence opens with the condition "…启动后，"; its duty is the 指挥部's)
        ("07", "由省级人民政府提出申请",
         [(R, "省级粮食应急工作指挥部", 0), (R, "省级人民政府", 2), (L, "国家发展改革委", 2), (L, "国家粮食局", 2), (C, "财政部", 2)]),
        ("07", "办公室设在国家粮食局", [(R, "国家粮食局", 1)]),
        ("07", "本预案由国务院办公厅负责解释", [(R, "国务院办公厅", 0)]),
        # the command structure: posts as written, a member list's shared 有关负责人 left off
        ("07", "总指挥：国家发展改革委主要负责人", [(L, "国家发展改革委主要负责人", 0)]),
        ("07", "副总指挥：", [(R, "国家发展改革委分管负责人", 0), (R, "国家粮食局主要负责人", 0)]),
        ("02", "试点城市由省级有关部门推荐",
         [(R, "省级有关部门", 1), (L, "生态环境部", 1)] + [(C, u, 1) for u in (
             "国家发展改革委", "工业和信息化部", "财政部", "自然资源部", "住房城乡建设部", "农业农村部",
             "商务部", "文化和旅游部", "国家卫生健康委", "国家统计局", "国家邮政局")]),
        ("02", "试点城市政府是“无废城市”建设试点责任主体", [(R, "试点城市政府", 1), (L, "生态环境部", 2)]),
        ("03", "作为综合保税区的申请设立", [(R, "各省、自治区、直辖市人民政府", 0)]),
        # X牵头、Y参与 inside a clause that opens with another subject
        ("04", "省级政府办公厅牵头、省级有关部门参与",
         [(R, "各省（区、市）政府", 4), (L, "省级政府办公厅", 4), (C, "省级有关部门", 4), (R, "国务院办公厅", 6)]),
        ("08", "负总责", [(R, "试点地区", 1), (R, "试点地区政府办公厅（室）", 2)]),
        # a public body opening a sentence with a modal: its duty, that sentence
        ("08", "试点地区要结合实际抓紧制定具体实施方案", [(R, "试点地区", 1)]),
        ("08", "试点地区要制定本地区政府网站集约化工作考核评估办法", [(R, "试点地区", 1), (R, "国务院办公厅", 2)]),
        # after the condition the sentence opens with; a list of bodies sharing one ending
        ("07", "立即向国务院上报有关情况",
         [(R, "国家粮食应急工作指挥部", 0), (R, "国家粮食应急工作指挥部办公室", 1)]),
        ("07", "各省、自治区、直辖市人民政府应根据本预案", [(R, "各省、自治区、直辖市人民政府", 0)]),
        ("07", "省级人民政府必须按照", [(R, "省级人民政府", 0)]),
        # …but not schools, companies, or everyone: 各级政府和有关部门要…
        ("06", "职业院校应当根据自身特点", []),
        ("07", "各级政府和有关部门要及时对应急处理的效果进行评估", []),
        # the subject before a modal: 海关总署要继续做好牵头工作
        ("03", "海关总署要继续做好牵头工作", [(L, "海关总署", 0)]),
    ],
)
def test_owners_in_prose(doc, contains, expected):
    assert triples(extract_owners(corpus_line(doc, contains))) == expected


def test_a_member_list_names_each_unit():
    owners = extract_owners(corpus_line("07", "成员：公安部"))
    assert [o.unit for o in owners][:2] == ["公安部", "财政部"]
    assert owners[-1].unit == "中国储备粮管理总公司"
    assert len(owners) == 12 and {o.role for o in owners} == {C}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("县农业农村局牵头，县林业局、县水利局配合，开展农田水利建设。",
         [(L, "县农业农村局"), (C, "县林业局"), (C, "县水利局")]),
        ("县发展改革局、县财政局按职责分工负责项目审批。", [(R, "县发展改革局"), (R, "县财政局")]),
        ("组长：县委书记\n副组长：县长、县委副书记\n成员：县委办、县政府办、县财政局主要负责同志",
         [(L, "县委书记"), (R, "县长"), (R, "县委副书记"), (C, "县委办"), (C, "县政府办"), (C, "县财政局")]),
        ("经县财政局会同县审计局审核后拨付。", [(L, "县财政局"), (C, "县审计局")]),
        ("县卫生健康局对全县疫苗接种工作负总责。", [(R, "县卫生健康局")]),
        # the role named: X为牵头单位 / X作为牵头部门 / X为责任主体
        ("县发展改革局为牵头单位，县财政局为配合单位。", [(L, "县发展改革局"), (C, "县财政局")]),
        ("县卫生健康局作为牵头部门，统筹推进。", [(L, "县卫生健康局")]),
        ("各乡镇人民政府为责任主体。", [(R, "各乡镇人民政府")]),
        ("省级人民政府是本地区粮食应急工作的责任主体。", [(R, "省级人民政府")]),
        # X抓总 leads; X配合 / X协助 cooperate; 由X承办
        ("县委组织部抓总，各乡镇党委具体落实。", [(L, "县委组织部")]),
        ("县公安局配合做好相关工作。", [(C, "县公安局")]),
        ("县市场监管局、县商务局协助开展检查。", [(C, "县市场监管局"), (C, "县商务局")]),
        ("由县教育局具体承办。", [(R, "县教育局")]),
        # 将 as a duty; the town governments; a role named first (责任单位为X)
        ("县市场监管局将于2021年6月底前完成专项检查。", [(R, "县市场监管局")]),
        ("各乡镇（街道）负责辖区内垃圾分类工作。", [(R, "各乡镇（街道）")]),
        ("各县（市、区）人民政府要建立工作机制。", [(R, "各县（市、区）人民政府")]),
        ("县财政局、县民政局等部门要加强资金监管。", [(R, "县财政局"), (R, "县民政局")]),
        ("责任单位为县民政局。", [(R, "县民政局")]),
        ("牵头部门是县教育局，配合部门是县财政局、县人社局。", [(L, "县教育局"), (C, "县财政局"), (C, "县人社局")]),
        # a duty opening a later clause of the sentence, but not everyone's (地方政府 / 行政部门)
        ("推进乡镇应急能力建设，各区县人民政府要在6月30日前完成站所标准化建设。", [(R, "各区县人民政府")]),
        ("各级政府要积极支持职业培训，行政部门要简政放权，地方政府要落实经费。", []),
        # X及其有关部门: X, whose departments it sets to work; 各级人民政府 still names no one
        ("县人民政府及其有关部门要加强对企业库存的监督检查。", [(R, "县人民政府")]),
        ("各级人民政府及其有关部门要加强监督。", []),
        # a duty list: the unit, a colon, its duties (the role from their first words)
        ("县公安局：负责事发地治安维护和交通管制。", [(R, "县公安局")]),
        ("县教育局：牵头组织学校安全检查，县公安局配合。", [(L, "县教育局"), (C, "县公安局")]),
        ("县交通运输局：配合做好应急运输保障。", [(C, "县交通运输局")]),
        ("各成员单位：按照职责分工做好相关工作。\n工作目标：到2025年建成。", []),
        # a body acting on a schedule; an institution cooperating; 指定X names no unit
        ("县委督查室、县政府督查室每月对重点任务推进情况进行督查通报。", [(R, "县委督查室"), (R, "县政府督查室")]),
        ("县统计局定期发布监测数据。", [(R, "县统计局")]),
        ("县财政局须按月拨付补助资金。", [(R, "县财政局")]),
        ("县金融办牵头，各银行业金融机构参与，新增小微企业贷款5亿元。", [(L, "县金融办"), (C, "各银行业金融机构")]),
        ("县政府办对平台建设负总责，并指定专门机构具体负责运维。", [(R, "县政府办")]),
        # 组织部 is a name, not the verb 组织 with 县委 as its agent
        ("此项工作由县委组织部具体负责。", [(R, "县委组织部")]),
        # no one: 全社会配合, a bare 政府 as 责任主体
        ("动员全社会配合做好宣传。", []),
        ("以政府为责任主体，推动处置设施建设。", []),
        # X为第一责任人; a bureau's own sections (股), libraries, stations, farms, kindergartens,
        # development zones; each county, village or community of a list
        ("县人社局为第一责任人。", [(R, "县人社局")]),
        ("③招聘教师120名，由人事股负责，8月底前完成。", [(R, "人事股")]),
        ("改造图书室，由县图书馆牵头，计财股配合。", [(L, "县图书馆"), (C, "计财股")]),
        ("开设防灾专栏，由县电视台、县气象台负责。", [(R, "县电视台"), (R, "县气象台")]),
        ("完成造林500亩，由国有林场负责。", [(R, "国有林场")]),
        ("开展安全演练，由县第一幼儿园负责。", [(R, "县第一幼儿园")]),
        ("建设标准厂房，由县高新区负责。", [(R, "县高新区")]),
        ("开展入户排查，由各村、各社区负责。", [(R, "各村"), (R, "各社区")]),
        ("按月报送台账，由各县（市、区）负责。", [(R, "各县（市、区）")]),
        # …but not the words that end so and name no one
        ("数据汇聚由省级平台负责。", []),
        ("价格由市场负责调节。", []),
        ("由控股负责。", []),
    ],
)
def test_prose_forms(text, expected):
    assert pairs(extract_owners(text)) == expected


def test_a_unit_named_in_the_plans_brackets_counts_in_prose():
    text = "共青团中央负责组织青年志愿者活动。"
    assert extract_owners(text) == []  # 央 ends no unit name
    assert pairs(extract_owners(text, known=frozenset({"共青团中央"}))) == [(R, "共青团中央")]


# -- which sentence ----------------------------------------------------------------------------------------

def test_a_bracket_belongs_to_the_sentence_it_closes():
    # 02: the first bracket closes sentences 0–1, the second sentence 2 (the splitter puts a bracket
    # written after 。 at the start of the next sentence; it still closes the one before)
    text = "开展绿色设计。大力推行绿色供应链管理。（工业和信息化部指导）建立回收体系。（商务部指导）"
    assert triples(extract_owners(text)) == [(R, "工业和信息化部", 1), (R, "商务部", 2)]


def test_a_unit_in_two_sentences_owns_the_whole_item():
    text = corpus_line("02", "供销合作总社参与")
    assert triples(extract_owners(text)) == [(R, "商务部", 1), (C, "供销合作总社", 1), (R, "生态环境部", 2)]
    text = corpus_line("02", "培育一批绿色设计示范企业")
    by_unit = {o.unit: o.sentence for o in extract_owners(text)}
    assert by_unit["工业和信息化部"] is None  # named in both brackets
    assert by_unit["国家发展改革委"] == by_unit["市场监管总局"] == 3  # the second bracket only


def test_fields_own_the_whole_item():
    assert {o.sentence for o in extract_owners(RURAL_2)} == {None}
    bracket = ("4、开展“星级党支部”创建评定，年底前评出五星级党支部3个。"
               "（责任部门：组织办；配合部门：各村（社区）党组织；完成时间：2022年11月30日）")
    assert {o.sentence for o in extract_owners(bracket)} == {None}


def test_prose_owners_are_not_read_inside_brackets_or_fields():
    text = "开展工作。（县财政局负责）\n牵头单位：县委组织部负责协调的办公室"
    assert prose_owners(text) == []


# -- unit lists ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "value, units",
    [
        ("县文化和旅游局", ["县文化和旅游局"]),
        ("人力资源和社会保障局", ["人力资源和社会保障局"]),
        ("住房和城乡建设部", ["住房和城乡建设部"]),
        ("中央和国家机关工委", ["中央和国家机关工委"]),
        ("县财政局和县民政局", ["县财政局", "县民政局"]),
        ("文化和旅游部和县财政局", ["文化和旅游部", "县财政局"]),
        ("财政部等和各有关省级人民政府", ["财政部", "各有关省级人民政府"]),
        ("县委及各乡镇党委", ["县委", "各乡镇党委"]),
        ("商务部等有关部门", ["商务部"]),
        ("县财政部门", ["县财政部门"]),
        ("各有关单位", ["各有关单位"]),
        ("县财政局 县民政局", ["县财政局", "县民政局"]),
        ("各村（社区）党组织、各省（区、市）人民政府", ["各村（社区）党组织", "各省（区、市）人民政府"]),
        ("无", []),
    ],
)
def test_split_units(value, units):
    assert split_units(value) == units


def test_paren_groups_nest_and_mix_widths():
    text = "甲（乙（丙）丁）戊(己）庚）"
    assert [text[s:e] for s, e in paren_groups(text)] == ["（乙（丙）丁）", "(己）"]


# -- strip_owner_notes ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, clean",
    [
        (RURAL_2, "2．落实过渡期内“四个不摘”要求，保持主要帮扶政策总体稳定。"),
        ("4、开展“星级党支部”创建评定，年底前评出五星级党支部3个。"
         "（责任部门：组织办；配合部门：各村（社区）党组织；完成时间：2022年11月30日）",
         "4、开展“星级党支部”创建评定，年底前评出五星级党支部3个。"),
        ("8、举办村（社区）干部能力提升培训班2期。（责任部门：组织办；完成时间：2022年6月、11月各一期）",
         "8、举办村（社区）干部能力提升培训班2期。"),
        ("1.拓展两个市场。积极稳妥地在综合保税区推广增值税一般纳税人资格试点。"
         "（税务总局、财政部、海关总署负责，排在第一位的部门为牵头部门，下同）",
         "1.拓展两个市场。积极稳妥地在综合保税区推广增值税一般纳税人资格试点。"),
        ("实现线上交废与线下回收有机结合。（商务部指导，供销合作总社参与）建立信息交换机制。(生态环境部指导)",
         "实现线上交废与线下回收有机结合。建立信息交换机制。"),
        ("政府和社会资本合作（PPP）等模式。", "政府和社会资本合作（PPP）等模式。"),
        # fields after a comma: the sentence ends where they are cut off
        ("改造农村公路30公里，责任单位：县交通运输局；完成时限：2021年10月底前。", "改造农村公路30公里。"),
    ],
)
def test_strip_owner_notes(text, clean):
    assert strip_owner_notes(text) == clean


# -- the document rule ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("（税务总局、财政部、海关总署负责，排在第一位的部门为牵头部门，下同）", True),
        ("有多个单位的，排在第一位的为牵头单位。", True),
        ("排在首位的部门为牵头部门", True),
        ("排名第一的单位是牵头单位", True),
        ("牵头单位排在第一位，其余为责任单位。", True),
        ("牵头部门列于首位。", True),
        ("所列首个单位为牵头单位。", True),
        ("驻村第一书记为牵头人员", False),
        ("（生态环境部牵头，国家发展改革委参与）", False),
    ],
)
def test_document_rule_phrases(text, expected):
    assert document_rule_first_is_lead(text) is expected


@pytest.mark.parametrize("name, expected", [("02", False), ("03", True), ("04", False), ("05", False)])
def test_document_rule_on_the_corpus(name, expected):
    assert document_rule_first_is_lead(corpus(name)) is expected


# -- properties ------------------------------------------------------------------------------------------

OWNERISH = st.text(alphabet="（）()、，；：:\n 和等各县局部委办牵头负责参与配合指导单位责任完成时限2021年月底前", max_size=80)


@given(st.one_of(st.text(), OWNERISH), st.booleans())
def test_never_raises_and_units_are_clean(text, first_is_lead):
    owners = extract_owners(text, first_is_lead=first_is_lead)
    assert len({o.unit for o in owners}) == len(owners)
    assert all(o.unit and o.unit == o.unit.strip() for o in owners)
    assert isinstance(strip_owner_notes(text), str)
    assert isinstance(document_rule_first_is_lead(text), bool)


@given(OWNERISH)
def test_stripped_text_has_no_owner_fields_left(text):
    # Field lines and bracketed notes go; a sentence such as "县局牵头" is the item's own text
    # (owners read from prose stay in it, as the plan wrote them).
    stripped = strip_owner_notes(text)
    assert not [o for o in extract_owners(stripped) if o.field]
    assert strip_owner_notes(stripped) == stripped


ADVERSARIAL = [
    "（" * 200_000,
    "）" * 200_000,
    "（a" * 100_000,
    "（" * 100_000 + "）" * 100_000,
    "牵头单位：" * 40_000,
    "（" + "局和" * 90_000 + "负责）",  # once quadratic: each 和 re-read the rest of the list
    "（" + "房和" * 90_000 + "负责）",
    "（" + "县局，" * 60_000 + "负责）",
    "（" + "等有关部门" * 40_000 + "负责）",
    "（责任部门：" + "a；" * 90_000 + "）",
    ("责任单位：县局、县委\n" * 20_000),
    # prose: verbs without subjects, subjects without ends, long lists
    "负责" * 100_000,
    "县局负责，" * 40_000,
    "县局、" * 60_000 + "负责",
    "会同" * 100_000,
    "县局会同县局、" * 25_000,
    "由" * 200_000,
    "由县局提出，" * 30_000,
    "总指挥：" * 40_000,
    "成员：" + "县局、" * 60_000,
    "办公室设在" * 40_000,
    "县局是责任主体，" * 25_000,
    "县局牵头，县局配合，" * 20_000,
]


@pytest.mark.slow
@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: repr(t[:8]))
def test_no_hang_on_200k_adversarial_text(text):
    with no_hang():
        extract_owners(text, first_is_lead=True)
        strip_owner_notes(text)
        document_rule_first_is_lead(text)


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(min_size=1, max_size=20), OWNERISH.filter(bool)))
def test_no_hang_on_200k_repeated_text(snippet):
    text = (snippet * (200_000 // len(snippet) + 1))[:200_000]
    with no_hang():
        extract_owners(text, first_is_lead=True)
        strip_owner_notes(text)


@pytest.mark.parametrize(
    "text, unit",
    [
        ("以下均需试点城市政府落实，不再列出。", "试点城市政府"),
        ("以下各项任务均由各乡镇人民政府负责落实，不再一一列出。", "各乡镇人民政府"),
        ("以下任务均由各乡镇人民政府负责落实。", "各乡镇人民政府"),
        ("下列任务均需各县（市、区）政府落实，不再列出。", "各县（市、区）政府"),
        ("各项任务均需各乡镇落实，不再单独列出。", "各乡镇"),
        ("除注明外，以下任务均由县农业农村局负责。", "县农业农村局"),
        ("下述事项均由县民政局负责落实。", "县民政局"),
        # no unit, or no rule for the items below
        ("以下均需认真落实。", None),
        ("以下工作均要按时完成。", None),
        ("各项任务均由县财政局负责落实。", None),
    ],
)
def test_standing_owner_phrases(text, unit):
    found = standing_owner(text)
    assert (found.unit if found else None) == unit
    if found:
        assert found.rule in text and found.owner().rule == found.rule


@pytest.mark.parametrize(
    "title, unit",
    [
        ("国家粮食应急工作指挥部职责", "国家粮食应急工作指挥部"),
        ("国家粮食应急工作指挥部办公室及其职责", "国家粮食应急工作指挥部办公室"),
        ("县委办主要职责", "县委办"),
        ("领导小组职责", "领导小组"),
        # no body named: members' duties name their own units; a heading about duties in general
        ("国家粮食应急工作指挥部成员单位职责", None),
        ("地方粮食应急机构及其职责", None),
        ("工作职责", None),
        ("明确职责", None),
    ],
)
def test_heading_owner_phrases(title, unit):
    found = heading_owner(title)
    assert (found.unit if found else None) == unit
    if found:
        assert found.owner().rule == title


def test_partners_after_huitong_end_at_the_verb_that_forms_a_group():
    # 有关部门 after 会同 names no one; 组成考核组 is what they do, not a unit called so
    owners = extract_owners("县委组织部会同有关部门组成考核组，采取听取汇报等方式进行考核。", first_is_lead=False)
    assert [(o.role, o.unit) for o in owners] == [(Role.lead, "县委组织部")]
    owners = extract_owners("县委组织部会同县纪委监委组成督导组，开展督导。", first_is_lead=False)
    assert [(o.role, o.unit) for o in owners] == [(Role.lead, "县委组织部"), (Role.cooperating, "县纪委监委")]


@pytest.mark.parametrize(("value", "expected"), [
    ("县委人才办（牵头）、县人社局", [(Role.lead, "县委人才办"), (Role.responsible, "县人社局")]),
    ("县住建局牵头，县财政局配合", [(Role.lead, "县住建局"), (Role.cooperating, "县财政局")]),
    ("县人社局（牵头），各乡镇", [(Role.lead, "县人社局"), (Role.responsible, "各乡镇")]),
    ("县教育局、县卫健委（配合）", [(Role.responsible, "县教育局"), (Role.cooperating, "县卫健委")]),
])
def test_a_role_marked_on_a_unit_of_a_field(value, expected):
    owners = extract_owners(f"落实人才住房补贴政策。\n责任单位：{value}", first_is_lead=False)
    assert [(o.role, o.unit) for o in owners] == expected


# The prose patterns are led by the characters they can start with (a speed-up, as the deadline
# patterns): they must match exactly what the forms alone match, on every corpus document and on
# text made of their own characters.
_LED = [("_NAMED_ROLE", "_NAMED_ROLE_FORMS"), ("_ROLE_IS", "_ROLE_IS_FORMS"), ("_OPENER", "_OPENER_FORMS")]
_FORM_CHARS = st.text(alphabet="为作是牵头主责任配合协办单位部门的县局，。；由自理要主重需必只建立成组明确实行形应当须将 \n",
                      max_size=40)


_ROLE_SENTENCES = ["县发展改革局为牵头单位，县财政局为配合单位。", "省级人民政府是本地区粮食应急工作的责任主体。",
                   "县卫生健康局作为牵头部门，统筹推进。", "责任单位为县民政局。",
                   "牵头部门是县教育局，配合部门是县财政局、县人社局。"]


def _matches(pattern, text):
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("led, forms", _LED)
def test_a_leading_character_class_changes_no_prose_match_on_the_corpus(led, forms):
    from planbot.index.ingest import prose
    from tests.corpus import CORPUS

    plain = re.compile(getattr(prose, forms))
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))] + _ROLE_SENTENCES
    assert sum(len(_matches(plain, t)) for t in texts) >= 2
    for text in texts:
        assert _matches(getattr(prose, led), text) == _matches(plain, text)


@settings(max_examples=300, deadline=None)
@given(_FORM_CHARS)
def test_a_leading_character_class_changes_no_prose_match_on_any_text(text):
    from planbot.index.ingest import prose

    for led, forms in _LED:
        assert _matches(getattr(prose, led), text) == _matches(re.compile(getattr(prose, forms)), text)


def test_field_owners_are_shared_frozen_models():
    # the same unit in the same field is one Owner for every item that names it: safe because an
    # Owner cannot change (an owner's sentence or rule is set on a copy)
    from pydantic import ValidationError

    first = stated_owners("新建学校2所。\n牵头单位：县教育局\n完成时限：6月底前")
    second = stated_owners("改造校舍3处。\n牵头单位：县教育局")
    assert first == second == [Owner(role=L, unit="县教育局", field="牵头单位")]
    assert first[0] is second[0]
    with pytest.raises(ValidationError):
        first[0].unit = "县财政局"
