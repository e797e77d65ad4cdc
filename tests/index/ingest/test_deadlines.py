"""Deadlines of plan items (dated, relative and recurring time limits, with their sentence) and the date
ranges of question phrases, on real plan lines."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planbot.index.ingest.deadlines import extract_deadlines, time_label
from planbot.index.models import Deadline
from planbot.index.periods import find_period, month_end, period_arg, resolve_period
from tests.corpus import corpus, corpus_line
from tests.guards import no_hang

D = dt.date


def triples(deadlines: list[Deadline]) -> list[tuple[str, dt.date | None, bool]]:
    return [(d.phrase, d.date, d.recurring) for d in deadlines]


def kinds(deadlines: list[Deadline]) -> list[tuple[str, dt.date | None, str]]:
    """(phrase, date, what kind of limit): dated, relative or recurring."""
    return [(d.phrase, d.date, "recurring" if d.recurring else "relative" if d.relative else "dated")
            for d in deadlines]


def parse_deadline_phrase(phrase: str, *, year: int | None = None) -> Deadline | None:
    """One phrase as a 完成时限 field reads it (the live path): its first date, else the phrase
    when it is recurring; None when it is neither."""
    found = extract_deadlines(f"完成时限：{phrase}", year=year)
    first = found[0] if found else None
    return None if first is None or (first.date is None and not first.recurring) else first


# -- deadline fields -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, year, expected",
    [
        # 2021年全县乡村振兴重点任务分工方案
        ("1．对脱贫不稳定户、边缘易致贫户开展常态化监测，每月排查一次，发现一户、纳入一户、帮扶一户。\n"
         "牵头单位：县乡村振兴局\n责任单位：各乡镇人民政府\n完成时限：长期坚持，每月底前报送监测结果",
         2021, [("长期坚持，每月底前报送监测结果", None, True)]),
        ("3．完善集中安置区配套设施。\n牵头单位：县发展改革局\n完成时限：2021年9月30日前",
         2021, [("2021年9月30日前", D(2021, 9, 30), False)]),
        ("9．推进农村生活污水治理，新建污水处理设施15处。\n完成时限：2021年年底前",
         None, [("2021年年底前", D(2021, 12, 31), False)]),
        ("14．深化农村移风易俗。\n牵头单位：县委宣传部\n完成时限：2021年下半年",
         2021, [("2021年下半年", D(2021, 12, 31), False)]),
        ("15．建立县级领导联系乡镇工作机制，每季度召开一次乡村振兴工作推进会。\n完成时限：每季度",
         2021, [("每季度", None, True)]),
        # 2022年城关镇党建工作任务清单: the field, not the body's 年底前, is the deadline
        ("4、开展“星级党支部”创建评定，年底前评出五星级党支部3个。"
         "（责任部门：组织办；配合部门：各村（社区）党组织；完成时间：2022年11月30日）",
         2022, [("2022年11月30日", D(2022, 11, 30), False)]),
        ("5、发展党员15名。（责任部门：组织办；完成时间：2022年10月）",
         2022, [("2022年10月", D(2022, 10, 31), False)]),
        ("8、举办村（社区）干部能力提升培训班2期。（责任部门：组织办；配合部门：党校分校；"
         "完成时间：2022年6月、11月各一期）",
         None, [("2022年6月", D(2022, 6, 30), False), ("11月", D(2022, 11, 30), False)]),
        ("10、落实全面从严治党主体责任清单，班子成员每半年向党委报告一次“一岗双责”履行情况。"
         "（责任领导：纪委书记；责任部门：纪委办；完成时间：2022年6月底前、12月底前）",
         2020, [("2022年6月底前", D(2022, 6, 30), False), ("12月底前", D(2022, 12, 31), False)]),
        ("1、深入学习贯彻党的二十大精神。（责任领导：党委书记；责任部门：党政办；完成时间：全年）",
         2022, [("全年", None, True)]),
        ("2、严格落实“第一议题”制度。（责任部门：党政办；完成时间：常态化）",
         2022, [("常态化", None, True)]),
        ("6、规范落实“三会一课”。（责任部门：组织办；配合部门：各党支部；完成时间：每月10日）",
         2022, [("每月10日", None, True)]),
        ("12、落实意识形态工作责任制。（责任部门：宣传办；完成时间：每季度末）",
         2022, [("每季度末", None, True)]),
        ("13、加强网络舆情监测和处置，重大舆情2小时内报告。（责任部门：宣传办；完成时间：常态化）",
         2022, [("常态化", None, True)]),
        # other field names and values
        ("开展督查。\n时间节点：6月底前", 2023, [("6月底前", D(2023, 6, 30), False)]),
        ("开展督查。\n时限：持续推进", 2023, [("持续推进", None, True)]),
        ("上报信息。\n完成时限：2小时内", 2023, [("2小时内", None, False)]),
        ("开展督查。\n完成时间：十二月底前", 2023, [("十二月底前", D(2023, 12, 31), False)]),
    ],
)
def test_deadline_fields(text, year, expected):
    assert triples(extract_deadlines(text, year=year)) == expected


# -- phrases in the text -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("2019年6月底前", D(2019, 6, 30)),
        ("6月底前", D(2021, 6, 30)),
        ("9月30日前", D(2021, 9, 30)),
        ("年底前", D(2021, 12, 31)),
        ("年内", D(2021, 12, 31)),
        ("上半年", D(2021, 6, 30)),
        ("下半年", D(2021, 12, 31)),
        ("第二季度", D(2021, 6, 30)),
        ("二季度", D(2021, 6, 30)),
        ("2021年第三季度末", D(2021, 9, 30)),
        ("6月至9月", D(2021, 9, 30)),
        ("6—9月", D(2021, 9, 30)),
        ("2021年3月底前", D(2021, 3, 31)),
        ("2020年4月底前", D(2020, 4, 30)),
        ("2021年12月31日前", D(2021, 12, 31)),
        ("2021年10月", D(2021, 10, 31)),
        ("2022年11月30日", D(2022, 11, 30)),
        ("2021年年底前", D(2021, 12, 31)),
        ("2020年底", D(2020, 12, 31)),
        ("2021年下半年", D(2021, 12, 31)),
        ("十二月底前", D(2021, 12, 31)),
        ("二〇一九年六月底前", D(2019, 6, 30)),
        ("三月上旬", D(2021, 3, 10)),
        ("6月中旬前", D(2021, 6, 20)),
        ("2月底前", D(2021, 2, 28)),
        ("2020年2月底前", D(2020, 2, 29)),
        ("5月份", D(2021, 5, 31)),
    ],
)
def test_phrases_in_text(phrase, expected):
    text = f"开展专项行动，{phrase}完成。"
    assert triples(extract_deadlines(text, year=2021)) == [(phrase, expected, False)]
    assert parse_deadline_phrase(phrase, year=2021) == Deadline(phrase=phrase, date=expected)


@pytest.mark.parametrize(
    "text",
    [
        "从2019年起，在职业院校启动试点。",
        "从2019年开始，启动1+X证书制度试点工作。",
        "2020年起基本不再从应届毕业生中招聘。",
        "2020年初召开动员会。",  # 年初: the start of a year
        "在2020年完成的基础上继续推进。",  # a year inside a clause
        "组织开展2019年度县管领导班子综合考核工作。",
        "具有3年以上企业工作经历。",  # an amount of time, not a limit
        "持续推进干部在线学习，推动学习教育常态化制度化。",
        "6月举办培训班",  # a bare month counts only in a deadline field
        "13月底前",
        "2月30日前",
        "",
    ],
)
def test_not_deadlines_in_text(text):
    assert extract_deadlines(text, year=2021) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # a target year is due at its end; so is a year opening a clause with what it achieves
        ("到2022年，职业院校教学条件基本达标。", [("到2022年", D(2022, 12, 31), "dated")]),
        ("到2022年底，建成示范村10个；到2023年6月全部完成。",
         [("到2022年底", D(2022, 12, 31), "dated"), ("到2023年6月", D(2023, 6, 30), "dated")]),
        ("2020年初步建成300个示范性职业教育集团。", [("2020年", D(2020, 12, 31), "dated")]),
        # limits counted from an event: relative, no date
        ("重大舆情2小时内报告。", [("2小时内", None, "relative")]),
        ("立即向国务院上报有关情况（最迟不超过4个小时）", [("最迟不超过4个小时", None, "relative")]),
        ("三年内实现全覆盖，5年内全面完成。", [("三年内", None, "relative"), ("5年内", None, "relative")]),
        ("本方案印发后1个月内制定细则，2个工作日内报送，3日内反馈。",
         [("印发后1个月内", None, "relative"), ("2个工作日内", None, "relative"), ("3日内", None, "relative")]),
        ("在两年之内实行“直通车”机制。", [("两年之内", None, "relative")]),
        ("接报后30分钟内报市委、市政府。", [("30分钟内", None, "relative")]),
        # how long a procedure may take is a target the task sets, not its limit
        ("社会投资项目审批时间压缩至50个工作日以内，企业开办时间压减到1个工作日内。", []),
        # counted from the day a document is issued; a span given for the work
        ("自本方案印发之日起30日内完成摸底。", [("印发之日起30日内", None, "relative")]),
        ("力争用3年时间完成改造，问题限期15天整改到位。",
         [("用3年时间", None, "relative"), ("限期15天", None, "relative")]),
        # schedules: recurring, with the date they govern
        ("各有关部门于每年2月底前报送名单。", [("每年2月底前", None, "recurring")]),
        ("每年上半年召开一次会议。", [("每年上半年", None, "recurring")]),
        ("每季度召开一次乡村振兴工作推进会。", [("每季度", None, "recurring")]),
        ("每3年修订1次教材。", [("每3年", None, "recurring")]),
        ("于每月10日前报送上月进展。", [("每月10日前", None, "recurring")]),  # the day is part of it
        ("国家粮食应急工作指挥部办公室必须24小时值班。", [("24小时", None, "recurring")]),  # round the clock
        # a dated phrase and a limit in one text, in text order
        ("2019年6月底前完成方案，验收后30日内整改。",
         [("2019年6月底前", D(2019, 6, 30), "dated"), ("30日内", None, "relative")]),
    ],
)
def test_time_limits_in_text(text, expected):
    assert kinds(extract_deadlines(text, year=2021)) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a year named from the plan's: part of the phrase, and the year the next phrase inherits
        ("明年6月底前完成，12月底前验收。", [("明年6月底前", D(2022, 6, 30), "dated"), ("12月底前", D(2022, 12, 31), "dated")]),
        ("次年1月底前报送总结。", [("次年1月底前", D(2022, 1, 31), "dated")]),
        ("今年底前完成。", [("今年底前", D(2021, 12, 31), "dated")]),
        ("明年底前全面完成。", [("明年底前", D(2022, 12, 31), "dated")]),
        # by a year, and the years a task runs
        ("2020年前，基本建立制度体系。", [("2020年前", D(2020, 12, 31), "dated")]),
        ("各地要在2023年以前完成改造。", [("2023年以前", D(2023, 12, 31), "dated")]),
        ("2021—2022年完成全部改造。", [("2021—2022年", D(2022, 12, 31), "dated")]),
        ("2021年至2023年分批实施。", [("2021年至2023年", D(2023, 12, 31), "dated")]),
        # a five-year plan period: due at its last year's end
        ("“十四五”期间完成。", [("“十四五”期间", D(2025, 12, 31), "dated")]),
        ("十三五末实现全覆盖。", [("十三五末", D(2020, 12, 31), "dated")]),
        # half a period, and a named event of the year: limits without a date
        ("半年内完成整改，半个月内报送。", [("半年内", None, "relative"), ("半个月内", None, "relative")]),
        ("春节前完成走访慰问，汛期前完成排查。", [("春节前", None, "relative"), ("汛期前", None, "relative")]),
    ],
)
def test_years_said_in_words_ranges_periods_and_events(text, expected):
    assert kinds(extract_deadlines(text, year=2021)) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # holidays on a fixed day of the year: due the day before, in the plan's year
        ("国庆节前完成改造。", [("国庆节前", D(2021, 9, 30), "dated")]),
        ("五一前完成春季绿化，七一前完成表彰，八一前走访慰问。",
         [("五一前", D(2021, 4, 30), "dated"), ("七一前", D(2021, 6, 30), "dated"),
          ("八一前", D(2021, 7, 31), "dated")]),
        # the year written before them is theirs, and the next phrase's
        ("2022年国庆节前建成，12月底前验收。",
         [("2022年国庆节前", D(2022, 9, 30), "dated"), ("12月底前", D(2022, 12, 31), "dated")]),
        # 元旦 without a year is the one closing the plan's year; 2022年元旦 is 1 January 2022
        ("元旦前完成年度考核。", [("元旦前", D(2021, 12, 31), "dated")]),
        ("2022年元旦前发放到位。", [("2022年元旦前", D(2021, 12, 31), "dated")]),
        # the lunar holidays move: dated only when the year is written (2024年春节 is 10 February)
        ("确保2024年春节前农民工工资全部结清。", [("2024年春节前", D(2024, 2, 9), "dated")]),
        ("2025年春节前完成，2021年端午节前、2021年中秋节前各检查一次。",
         [("2025年春节前", D(2025, 1, 28), "dated"), ("2021年端午节前", D(2021, 6, 13), "dated"),
          ("2021年中秋节前", D(2021, 9, 20), "dated")]),
        ("中秋节前开展检查。", [("中秋节前", None, "relative")]),
        # a month and a day with a dot, as county task tables write them: a limit with 前
        ("6.30前完成摸底，12.31前报送总结。",
         [("6.30前", D(2021, 6, 30), "dated"), ("12.31前", D(2021, 12, 31), "dated")]),
    ],
)
def test_holidays_and_dotted_days(text, expected):
    assert kinds(extract_deadlines(text, year=2021)) == expected


@pytest.mark.parametrize(
    "value, expected",
    [("9.30", [("9.30", D(2021, 9, 30))]), ("6.30前", [("6.30前", D(2021, 6, 30))]),
     ("国庆节前", [("国庆节前", D(2021, 9, 30))]), ("2024年春节前", [("2024年春节前", D(2024, 2, 9))]),
     ("春节前", [("春节前", None)])],
)
def test_holidays_and_dotted_days_in_a_field(value, expected):
    assert [(d.phrase, d.date) for d in extract_deadlines(f"任务。\n完成时限：{value}", year=2021)] == expected


@pytest.mark.parametrize("text", [
    "增长6.5%，完成13.35亿元，版本3.2前的系统停用。",  # shares, amounts, versions: no dotted day
    "七一表彰优秀党员，国庆节期间加强值守。",  # the holiday itself, not a limit before it
    "13.5前完成。",  # no 13th month
    "国庆节前后加强值守。",
])
def test_no_dotted_day_or_holiday_limit(text):
    assert [d for d in extract_deadlines(text, year=2021) if d.date] == []


@pytest.mark.parametrize("text", [
    "对2019年以前建成的项目进行评估。",  # the past, inside a clause
    "贯彻《全民科学素质行动规划纲要（2021—2035年）》。",  # a document's name
    "春节前后加强值守。",
])
def test_past_years_names_and_seasons_are_no_limits(text):
    assert extract_deadlines(text, year=2021) == []


def test_a_field_without_a_date_keeps_its_value_and_says_what_kind():
    assert kinds(extract_deadlines("上报信息。\n完成时限：2小时内", year=2023)) == [("2小时内", None, "relative")]
    assert kinds(extract_deadlines("开展督查。\n完成时限：每年2月底前", year=2023)) == [
        ("每年2月底前", None, "recurring")]


# -- which sentence ----------------------------------------------------------------------------------

def test_a_phrase_in_free_text_belongs_to_its_sentence():
    text = corpus_line("07", "最迟不超过4个小时")  # 4.2.1: the report limit, then the duty roster
    assert [(d.phrase, d.sentence) for d in extract_deadlines(text, year=2005)] == [
        ("最迟不超过4个小时", 0), ("24小时", 1)]
    text = corpus_line("08", "于2018年12月底前报送")  # 四（一）: the heading sentence, then the step
    assert [(d.phrase, d.sentence) for d in extract_deadlines(text, year=2018)] == [("2018年12月底前", 1)]


def test_a_phrase_in_two_sentences_belongs_to_the_whole_item():
    text = corpus_line("06", "每3年修订1次教材")  # 每5年 in sentence 1, 每3年 in sentence 4
    assert [(d.phrase, d.sentence) for d in extract_deadlines(text, year=2019)] == [
        ("每5年", 1), ("每年", 1), ("每3年", 4)]
    assert extract_deadlines("每年评估。每年总结。", year=2021)[0].sentence is None


def test_a_deadline_field_covers_the_whole_item():
    text = "3．完善集中安置区配套设施。\n牵头单位：县发展改革局\n完成时限：2021年9月30日前"
    assert [d.sentence for d in extract_deadlines(text, year=2021)] == [None]


@pytest.mark.parametrize(
    "doc, contains, year, expected",
    [
        ("02", "2019年6月底前，研究建立", 2018, [("2019年6月底前", D(2019, 6, 30), False)]),
        ("02", "2019年上半年，试点城市政府印发实施方案", 2018, [("2019年上半年", D(2019, 6, 30), False)]),
        ("02", "（四）开展评估总结", 2018, [("2021年3月底前", D(2021, 3, 31), False)]),
        ("02", "（四）试点目标", 2018, [("到2020年", D(2020, 12, 31), False)]),  # a target year
        # a one-off deadline, then a yearly one (从2019年起 is a start)
        ("04", "各有关部门制定或调整完善后的激励措施实施办法", 2018,
         [("2018年12月31日前", D(2018, 12, 31), False), ("每年2月底前", None, True)]),
        ("06", "具体指标：到2022年", 2019, [("到2022年", D(2022, 12, 31), False)]),
        ("07", "24小时监测本地区粮食市场动态", 2005, [("24小时", None, True)]),
        ("07", "二〇〇五年六月十一日", None, [("二〇〇五年六月十一日", D(2005, 6, 11), False)]),
        ("08", "国务院办公厅将于2020年4月底前", 2018, [("2020年4月底前", D(2020, 4, 30), False)]),
        ("08", "并于2018年12月底前报送国务院办公厅备案", 2018, [("2018年12月底前", D(2018, 12, 31), False)]),
    ],
)
def test_corpus_lines(doc, contains, year, expected):
    assert triples(extract_deadlines(corpus_line(doc, contains), year=year)) == expected


def test_the_vocational_reform_plan_has_targets_and_schedules_but_no_starts():
    # 06 writes 从2019年起 / 自2019年开始 / 2020年起 (starts), 到2022年 and 2020年初步建成 (targets),
    # 每N年 (schedules)
    phrases = [d.phrase for line in corpus("06").splitlines()[9:] for d in extract_deadlines(line, year=2019)]
    assert sorted(set(phrases)) == ["2020年", "到2022年", "每3年", "每5年", "每年"]


def test_a_phrase_without_a_year_takes_the_last_year_before_it():
    text = "2019年6月底前完成方案；12月底前完成验收；年底前总结。"
    assert triples(extract_deadlines(text, year=2018)) == [
        ("2019年6月底前", D(2019, 6, 30), False),
        ("12月底前", D(2019, 12, 31), False),
        ("年底前", D(2019, 12, 31), False),
    ]


def test_without_any_year_the_phrase_is_kept_without_a_date():
    assert triples(extract_deadlines("6月底前完成，上半年总结。", year=None)) == [
        ("6月底前", None, False), ("上半年", None, False)]


def test_same_phrase_is_listed_once_in_text_order():
    text = "9月30日前完成摸底，6月底前启动，9月30日前再次核查。"
    assert [d.phrase for d in extract_deadlines(text, year=2021)] == ["9月30日前", "6月底前"]


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("长期坚持", Deadline(phrase="长期坚持", recurring=True)),
        ("每季度末", Deadline(phrase="每季度末", recurring=True)),
        ("每半年", Deadline(phrase="每半年", recurring=True)),
        ("每学期", Deadline(phrase="每学期", recurring=True)),
        ("6月", Deadline(phrase="6月", date=D(2021, 6, 30))),
        ("随便看看", None),
        ("", None),
    ],
)
def test_parse_deadline_phrase(phrase, expected):
    assert parse_deadline_phrase(phrase, year=2021) == expected


@pytest.mark.parametrize(
    "year, month, expected",
    [(2021, 2, D(2021, 2, 28)), (2024, 2, D(2024, 2, 29)), (2021, 12, D(2021, 12, 31)),
     (2021, 6, D(2021, 6, 30))],
)
def test_month_end(year, month, expected):
    assert month_end(year, month) == expected


# -- question phrases ------------------------------------------------------------------------------

TODAY = D(2021, 5, 12)  # a Wednesday


@pytest.mark.parametrize(
    "question, expected",
    [
        ("这个月有哪些任务到期", (D(2021, 5, 1), D(2021, 5, 31))),
        ("本月", (D(2021, 5, 1), D(2021, 5, 31))),
        ("本月底前要完成什么", (TODAY, D(2021, 5, 31))),
        ("下个月", (D(2021, 6, 1), D(2021, 6, 30))),
        ("下月到期", (D(2021, 6, 1), D(2021, 6, 30))),
        ("6月", (D(2021, 6, 1), D(2021, 6, 30))),
        ("六月份有什么", (D(2021, 6, 1), D(2021, 6, 30))),
        ("2022年3月", (D(2022, 3, 1), D(2022, 3, 31))),
        ("6月底前", (TODAY, D(2021, 6, 30))),
        ("9月30日前", (TODAY, D(2021, 9, 30))),
        ("年底前", (TODAY, D(2021, 12, 31))),
        ("今年年底前", (TODAY, D(2021, 12, 31))),
        ("今年", (D(2021, 1, 1), D(2021, 12, 31))),
        ("本季度", (D(2021, 4, 1), D(2021, 6, 30))),
        ("下季度", (D(2021, 7, 1), D(2021, 9, 30))),
        ("第三季度", (D(2021, 7, 1), D(2021, 9, 30))),
        ("上半年", (D(2021, 1, 1), D(2021, 6, 30))),
        ("这周", (D(2021, 5, 10), D(2021, 5, 16))),
        ("本周", (D(2021, 5, 10), D(2021, 5, 16))),
        ("下周", (D(2021, 5, 17), D(2021, 5, 23))),
        ("30天内", (TODAY, D(2021, 6, 11))),
        ("最近一周", (TODAY, D(2021, 5, 19))),
        ("一个月内", (TODAY, D(2021, 6, 12))),
        # a …底前 that has passed: everything due by it this year
        ("2月底前", (D(2021, 1, 1), D(2021, 2, 28))),
        # soon, with no count: the days ahead that /deadlines lists by default (SOON_DAYS)
        ("最近有什么要交的", (TODAY, D(2021, 6, 11))), ("马上到期的有哪些", (TODAY, D(2021, 6, 11))),
        ("近期要完成哪些", (TODAY, D(2021, 6, 11))),
    ],
)
def test_resolve_period(question, expected):
    assert resolve_period(question, TODAY) == expected


@pytest.mark.parametrize("question, today, expected", [
    ("国庆节前要完成哪些", TODAY, (TODAY, D(2021, 9, 30))),
    ("国庆前有啥要弄完的", D(2021, 11, 2), (D(2021, 11, 2), D(2022, 9, 30))),  # this year's has passed
    ("元旦前到期的任务", TODAY, (TODAY, D(2021, 12, 31))),
    ("春节前要完成哪些", TODAY, (TODAY, D(2022, 1, 31))),  # the next 春节: 1 February 2022
    ("2024年春节前要完成哪些", TODAY, (TODAY, D(2024, 2, 9))),
])
def test_before_a_holiday_is_until_the_next_one(question, today, expected):
    assert resolve_period(question, today) == expected


def test_around_a_holiday_is_no_period():
    assert resolve_period("国庆节前后值班安排", TODAY) is None


def test_next_month_and_quarter_roll_over_the_year():
    assert resolve_period("下个月", D(2021, 12, 20)) == (D(2022, 1, 1), D(2022, 1, 31))
    assert resolve_period("下季度", D(2021, 11, 2)) == (D(2022, 1, 1), D(2022, 3, 31))


@pytest.mark.parametrize("question, expected", [
    ("2020年有哪些任务到期", (D(2020, 1, 1), D(2020, 12, 31))),
    ("二〇二〇年要完成哪些", (D(2020, 1, 1), D(2020, 12, 31))),
    ("2020年底前要完成哪些", (D(2020, 1, 1), D(2020, 12, 31))),  # passed: all of that year
    ("2022年底前要完成哪些", (TODAY, D(2022, 12, 31))),  # to come: from today
    ("2020年上半年有哪些任务到期", (D(2020, 1, 1), D(2020, 6, 30))),
    ("2020年6月有哪些任务到期", (D(2020, 6, 1), D(2020, 6, 30))),  # the month, not the year
])
def test_a_year_named_in_a_question_about_what_is_due(question, expected):
    assert resolve_period(question, TODAY) == expected


@pytest.mark.parametrize("question, expected", [
    ("今年6月有哪些任务到期", (D(2021, 6, 1), D(2021, 6, 30))),  # the month of this year, not the year
    ("今年下半年要完成的有哪些", (D(2021, 7, 1), D(2021, 12, 31))),
    ("今年第三季度有哪些到期", (D(2021, 7, 1), D(2021, 9, 30))),
    ("今年10月底前要完成哪些", (TODAY, D(2021, 10, 31))),
    ("明年3月要完成哪些", (D(2022, 3, 1), D(2022, 3, 31))),
    ("明年上半年要完成的", (D(2022, 1, 1), D(2022, 6, 30))),
    ("明年第一季度到期的", (D(2022, 1, 1), D(2022, 3, 31))),
    ("今年有哪些任务到期", (D(2021, 1, 1), D(2021, 12, 31))),
])
def test_this_or_next_year_said_with_a_month_half_or_quarter_is_that_part_of_it(question, expected):
    assert resolve_period(question, TODAY) == expected


@pytest.mark.parametrize("day, expected", [("今天", TODAY), ("明天", D(2021, 5, 13)), ("后天", D(2021, 5, 14)),
                                           ("昨天", D(2021, 5, 11)), ("前天", D(2021, 5, 10))])
def test_a_day_counted_from_today(day, expected):
    assert resolve_period(f"{day}有哪些到期", TODAY) == (expected, expected)
    assert period_arg(day, TODAY) == (day, expected, expected)


def test_last_week():
    assert resolve_period("上周到期的", TODAY) == (D(2021, 5, 3), D(2021, 5, 9))


@pytest.mark.parametrize("question", ["2021年乡村振兴方案有哪些任务", "2020年组织工作要点第3条", "2021年的方案谁牵头"])
def test_a_year_in_a_plans_title_is_no_period(question):
    assert resolve_period(question, TODAY) is None


def test_find_period_returns_the_phrase_as_written():
    assert find_period("下个月底前有哪些任务", TODAY) == ("下个月底前", TODAY, D(2021, 6, 30))


@pytest.mark.parametrize("question", ["谁负责农村公路", "第3项是什么", "13月", "", "2021-2025年规划"])
def test_no_period(question):
    assert resolve_period(question, TODAY) is None


@pytest.mark.parametrize("question, expected", [
    ("2021-06要完成哪些", (D(2021, 6, 1), D(2021, 6, 30))),
    ("2021/6有什么到期", (D(2021, 6, 1), D(2021, 6, 30))),
    ("2021.06", (D(2021, 6, 1), D(2021, 6, 30))),
    ("2021-06-30到期的", (D(2021, 6, 30), D(2021, 6, 30))),
])
def test_a_month_written_with_digits_and_a_dash(question, expected):
    assert resolve_period(question, TODAY) == expected


@pytest.mark.parametrize("text, expected", [
    ("本月", (D(2021, 5, 1), D(2021, 5, 31))), ("下月", (D(2021, 6, 1), D(2021, 6, 30))),
    ("下周", (D(2021, 5, 17), D(2021, 5, 23))), ("本季度", (D(2021, 4, 1), D(2021, 6, 30))),
    ("今年", (D(2021, 1, 1), D(2021, 12, 31))), ("2021-06", (D(2021, 6, 1), D(2021, 6, 30))),
    ("2021年6月", (D(2021, 6, 1), D(2021, 6, 30))), ("6月", (D(2021, 6, 1), D(2021, 6, 30))),
    ("14天", (TODAY, D(2021, 5, 26))), ("14", (TODAY, D(2021, 5, 26))), (" 14 天 ", (TODAY, D(2021, 5, 26))),
    ("两周", (TODAY, D(2021, 5, 26))), ("一个月", (TODAY, D(2021, 6, 12))), ("30天内", (TODAY, D(2021, 6, 11))),
    ("年底前", (TODAY, D(2021, 12, 31))), ("2020年", (D(2020, 1, 1), D(2020, 12, 31))),
    ("0", None), ("0天", None), ("13月", None), ("2021-13", None), ("明年春天", None), ("", None),
    ("下周要完成哪些", None),  # a question, not a period alone
])
def test_a_period_alone_as_deadlines_takes_it(text, expected):
    found = period_arg(text, TODAY)
    assert (found[1:] if found else None) == expected


# -- properties ------------------------------------------------------------------------------------------

DATEISH = st.text(alphabet="0123456789一二三四五六七八九十〇年月日底前后内上下半第季度至—每旬初份完成时限：\n（）",
                  max_size=60)
YEARS = st.one_of(st.none(), st.integers(min_value=1, max_value=9999))


@given(st.one_of(st.text(), DATEISH), YEARS)
def test_extract_never_raises_and_keeps_phrases_as_written(text, year):
    for deadline in extract_deadlines(text, year=year):
        assert deadline.phrase and deadline.phrase in text
        assert not (deadline.recurring and deadline.date)
    parse_deadline_phrase(text, year=year)


@given(st.one_of(st.text(), DATEISH), st.dates())
def test_periods_never_raise_and_are_ordered(text, today):
    found = resolve_period(text, today)
    if found:
        assert found[0] <= found[1]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "0" * 200_000,  # once quadratic: an unbounded [0-9]+ in the question grammar
        "83" * 100_000,
        "2021年6月" * 25_000,
        "七七七月底" * 40_000,
        "十二月" * 60_000,
        "年" * 200_000,
        "6-" * 100_000,
        "6月" * 100_000,
        "每年6月底前" * 30_000,
        "完成时限：" * 40_000,
        "〇" * 200_000,
        "（" * 200_000,
        "每年" * 100_000,
        "每3年2月底前" * 25_000,
        "最迟不超过" * 40_000,
        "最迟不超过4个小时" * 20_000,
        "印发后1个月内" * 30_000,
        "24小时" * 50_000,
        "到2020年" * 30_000,
        "1个工作日内" * 30_000,
    ],
    ids=lambda t: repr(t[:6]),
)
def test_no_hang_on_200k_adversarial_text(text):
    with no_hang():
        extract_deadlines(text, year=2021)
        resolve_period(text, TODAY)


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(min_size=1, max_size=20), DATEISH.filter(bool)))
def test_no_hang_on_200k_repeated_text(snippet):
    text = (snippet * (200_000 // len(snippet) + 1))[:200_000]
    with no_hang():
        extract_deadlines(text, year=2021)
        resolve_period(text, TODAY)


@pytest.mark.parametrize(
    "text, expected",
    [
        # task tables write dates with dots, dashes or slashes
        ("任务。\n完成时限：2021.12", [("2021.12", D(2021, 12, 31))]),
        ("任务。\n完成时限：2021.6.30前", [("2021.6.30前", D(2021, 6, 30))]),
        ("2021-06-30前完成验收，2021/9底前复查。", [("2021-06-30前", D(2021, 6, 30)), ("2021/9底前", D(2021, 9, 30))]),
        # …but an amount, a share or a version is none
        ("投入2021.5万元，增长2021.12%，版本2021.1.2.3。", []),
    ],
)
def test_numeric_dates(text, expected):
    assert [(d.phrase, d.date) for d in extract_deadlines(text, year=2021)] == expected


def test_a_deadline_field_after_a_sentence_is_the_items_deadline():
    # the field written on the task's line counts as a field: the body's 年底前 is a milestone
    text = "开展专项整治，年底前评出示范村3个。牵头单位：县农业农村局；完成时限：2021年10月底前。"
    assert [(d.phrase, d.date, d.sentence) for d in extract_deadlines(text, year=2021)] == [
        ("2021年10月底前", dt.date(2021, 10, 31), None)]


# The dates and durations are found by patterns led by the characters they can start with (a
# speed-up, deadlines.DATE_STARTS / durations.RELATIVE_STARTS): they must match exactly what the
# forms alone match, on every corpus document and on text made of their own characters.
_LED = [("deadlines", "date_pattern", "_DATE_FORMS"), ("durations", "_RELATIVE", "_RELATIVE_FORM")]
_FORM_CHARS = DATEISH | st.text(alphabet="0123456789一二三四五六七八九十两半〇年月日天周个小时工作内以之不超过得最迟长多"
                                         "印发布实施行启动收到接批准生结束完成起后前（）—至元旦五七八国庆春节端午中秋.．版", max_size=60)


def _matches(pattern, text):
    """(span, groups) of each match; `pattern` may be a function of the text giving one."""
    pattern = pattern if isinstance(pattern, re.Pattern) else pattern(text)
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("module, led, forms", _LED)
def test_a_leading_character_class_changes_no_match_on_the_corpus(module, led, forms):
    import importlib
    import re

    from tests.corpus import CORPUS

    mod = importlib.import_module(f"planbot.index.ingest.{module}")
    plain = re.compile(getattr(mod, forms))
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    assert sum(len(_matches(plain, t)) for t in texts) > 20
    for text in texts:
        assert _matches(getattr(mod, led), text) == _matches(plain, text)


@settings(max_examples=300, deadline=None)
@given(_FORM_CHARS)
def test_a_leading_character_class_changes_no_match_on_any_text(text):
    import importlib
    import re

    for module, led, forms in _LED:
        mod = importlib.import_module(f"planbot.index.ingest.{module}")
        assert _matches(getattr(mod, led), text) == _matches(re.compile(getattr(mod, forms)), text)


@pytest.mark.parametrize(("line", "label"), [
    ("1月：召开组织生活会。", "1月"), ("一月份：召开组织生活会", "一月份"), ("3月上旬：开展培训", "3月上旬"),
    ("3—4月：开展活动", "3—4月"), ("第二季度：开展活动", "第二季度"), ("上半年：调研", "上半年"),
    ("2024年3月：开展活动", "2024年3月"),
    # not a time label: a month inside a sentence, no colon, a duration, a month that is none
    ("3月份召开会议", ""), ("共3月：完成", ""), ("3个月：完成", ""), ("13月：完成", ""), ("每月：召开", ""),
])
def test_time_labels_of_a_schedule_line(line, label):
    assert time_label(line) == label


def test_a_bare_month_is_a_date_as_a_lines_label_only():
    assert [(d.phrase, d.date) for d in extract_deadlines("3月：开展学雷锋志愿服务活动。", year=2024)] == \
        [("3月", dt.date(2024, 3, 31))]
    assert extract_deadlines("计划3月开展学雷锋志愿服务活动。", year=2024) == []
    assert [d.phrase for d in extract_deadlines("任务。\n6月：完成验收。", year=2024)] == ["6月"]


@pytest.mark.parametrize(("text", "expected"), [
    # a stage of an 实施方案, dated from part of one month to another: one span, due at its end
    ("（二）自评申报阶段（2024年3月中旬至4月底）。", [("2024年3月中旬至4月底", dt.date(2024, 4, 30))]),
    ("3月10日至4月30日完成自评。", [("3月10日至4月30日", dt.date(2024, 4, 30))]),
    ("3月底至4月中旬开展考核。", [("3月底至4月中旬", dt.date(2024, 4, 20))]),
    ("5月至6月开展考核。", [("5月至6月", dt.date(2024, 6, 30))]),
])
def test_a_span_from_part_of_a_month_is_one_phrase(text, expected):
    assert [(d.phrase, d.date) for d in extract_deadlines(text, year=2024)] == expected


@pytest.mark.parametrize(("text", "phrase"), [
    ("每月第一个星期五为主题党日。", "每月第一个星期五"), ("每周五下午集中学习。", "每周五"),
    ("每月最后一个工作日前报送。", "每月最后一个工作日前"), ("每星期三开放。", "每星期三"),
    # a count, not a weekday: 每周一次 is weekly
    ("每周一次例会。", "每周"), ("每周两次巡查。", "每周"), ("每周六天值守。", "每周"),
])
def test_a_recurring_schedule_keeps_the_day_it_falls_on(text, phrase):
    assert [(d.phrase, d.recurring) for d in extract_deadlines(text, year=2024)] == [(phrase, True)]


def test_deadlines_of_the_same_phrase_are_shared_frozen_models():
    # the same limit written in two items is one Deadline (durations.deadline_of): safe because a
    # Deadline cannot change (its sentence is set on a copy)
    from pydantic import ValidationError

    first = extract_deadlines("任务一。\n完成时限：2021年6月底前", year=2021)
    second = extract_deadlines("任务二。\n完成时限：2021年6月底前", year=2021)
    assert first == second == [Deadline(phrase="2021年6月底前", date=dt.date(2021, 6, 30))]
    assert first[0] is second[0]
    with pytest.raises(ValidationError):
        first[0].phrase = "年底前"
