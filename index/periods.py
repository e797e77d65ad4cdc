"""Calendar spans: the periods a question names (这个月, 下个月, 6月底前, 本季度 …) and the
date arithmetic that deadlines in plans share with them.

One home for both sides: `index.ingest.deadlines` reads the time limits a plan writes, and
`index.answer.intent` / the bot's /deadlines read the period a person asks about; the numeral
patterns (YEAR, NUM) and the end-of-span rules are the same for both.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from . import cn
from .lazy_re import lazy

# A year (2021, ２０２１, 二〇二一) and a small number (6, 十二, 两) as regex alternatives.
YEAR = rf"[{cn.ARABIC}]{{4}}|[{cn.YEAR_DIGITS}]{{4}}"
NUM = rf"[{cn.ARABIC}]{{1,2}}|[{cn.SMALL}]{{1,3}}"

Period = tuple[dt.date, dt.date]


def num(text: str) -> int | None:
    """An Arabic or Chinese numeral as an int (二〇一九 → 2019, 十二 → 12); None if it is not one."""
    return cn.to_int(text)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def safe_date(year: int, month: int | None, day: int | None = None) -> dt.date | None:
    """The given day, or the month's last day; None when the numbers make no date."""
    if month is None or not 1 <= month <= 12 or not 1 <= year <= 9999:
        return None
    if day is None:
        return month_end(year, month)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# Holidays a limit is set before (国庆节前): the fixed ones by (month, day), the lunar ones by
# their (lunar month, day), which fall on another day each year.
FIXED_HOLIDAYS = {"元旦": (1, 1), "五一": (5, 1), "七一": (7, 1), "八一": (8, 1), "国庆": (10, 1)}
LUNAR_HOLIDAYS = {"春节": (1, 1), "端午": (5, 5), "中秋": (8, 15)}
HOLIDAYS = (*FIXED_HOLIDAYS, *LUNAR_HOLIDAYS)
HOLIDAY_PATTERN = "|".join(HOLIDAYS)


def holiday_eve(name: str, year: int) -> dt.date | None:
    """The day before holiday `name` of `year`: 国庆 2021 → 30 September 2021, 春节 2024 → 9 February
    2024 (lunardate: the lunar calendar's own tables, 1900–2099); None for another name or year."""
    if name in FIXED_HOLIDAYS:
        day = safe_date(year, *FIXED_HOLIDAYS[name])
    elif name in LUNAR_HOLIDAYS:
        from lunardate import LunarDate  # only plans that date a lunar holiday need it

        try:
            day = LunarDate(year, *LUNAR_HOLIDAYS[name]).to_solar_date()
        except ValueError:  # outside the years its tables hold
            return None
    else:
        return None
    return day - dt.timedelta(days=1) if day and day > dt.date.min else None  # (1 January of year 1 has no eve)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def month_span(year: int, month: int) -> Period:
    """The whole month: (1st, last day)."""
    return dt.date(year, month, 1), month_end(year, month)


def within_span(today: dt.date, days: int) -> Period:
    """From today to today + days, clamped at the calendar's end (`--within 99999999`)."""
    days = min(days, (dt.date.max - today).days)
    return today, today + dt.timedelta(days=days)


# -- question phrases -------------------------------------------------------------------------------

# Words that ask what is due (answer/intent.py reads a question with them and a period as such).
# As a group types them too: 这个月有啥要弄完的, 月底前得搞完哪些.
DUE_WORDS = "到期|截止|要完成|需完成|该完成|得完成|完成哪些|要交|(?:要|得|该)(?:弄|搞|干|做|办)完"
_DUE_AFTER = rf"[^。？?，,]{{0,12}}?(?:{DUE_WORDS}|逾期)"
_UNTIL_WORD = r"底前|底之前|底以前|前|之前|以前|底|末"
# This year or the next, as a question names it (今年6月, 明年上半年: that year's month or half).
_REL_YEAR = "今年|本年度?|当年|明年"
# Counts are bounded ({1,4}) and a match never starts inside a number: an unbounded [0-9]+ here
# made every position of a long digit run re-read the run (quadratic).
_PERIOD = lazy(
    rf"(?<![{cn.ARABIC}])(?:"
    rf"(?P<iso_y>[0-9]{{4}})[-/.](?P<iso_m>[0-9]{{1,2}})(?:[-/.](?P<iso_d>[0-9]{{1,2}}))?(?![0-9])"
    rf"|(?:(?P<y>{YEAR})年|(?P<m_ry>{_REL_YEAR}))?(?P<m>{NUM})月份?(?:(?P<d>{NUM})[日号])?(?P<until>{_UNTIL_WORD})?"
    rf"|(?P<rel_month>这个?|本|当|今|下个?|次|上个?)月(?:份)?(?P<rel_until>{_UNTIL_WORD})?"
    # A half or a quarter of a year said with it (今年下半年, 明年第一季度) before the year alone.
    rf"|(?:(?P<half_y>{YEAR})年|(?P<half_ry>{_REL_YEAR}))?(?P<half>上|下)半年"
    rf"|(?P<q_ry>{_REL_YEAR})?第?(?P<q>[一二三四1-4])季度"
    rf"|(?P<rel_year>{_REL_YEAR})(?P<year_part>年?底前|年?底|年?末|内)?"
    rf"|年(?P<year_end>底前|底|末|内)"
    # 国庆节前 / 春节前 / 2024年春节前: until the next such holiday (or that year's)
    rf"|(?:(?P<fest_y>{YEAR})年)?(?P<fest>{HOLIDAY_PATTERN})节?(?:前|之前|以前)(?!后)"
    # A year alone (2021年底前, 2021年有哪些任务到期): only said of what is due, as plan titles
    # name their year too (2021年乡村振兴方案有哪些任务 asks for the plan, not a period).
    rf"|(?P<year>{YEAR})年(?:(?P<year_until>底前|底之前|底以前|前|之前|以前|底|末|内)|(?={_DUE_AFTER}|$))"
    rf"|(?P<rel_q>本|这个?|当前|下个?)季度?(?P<q_until>末|底)?"
    rf"|(?P<rel_week>这个?|本|下个?|上个?)(?:周|星期|礼拜)"
    rf"|(?P<day>今天|今日|明天|明日|后天|昨天|昨日|前天)"
    rf"|(?P<near>最近|近|未来|接下来的?)(?P<near_n>{NUM}|[0-9]{{1,4}})?个?(?P<near_unit>天|日|周|星期|月)(?:内|之内|以内)?"
    rf"|(?P<n>{NUM}|[0-9]{{1,4}})个?(?P<unit>天|日|周|星期|月)(?:内|之内|以内)"
    rf"|(?P<soon>最近|近期|近日|马上|即将|快要|这几天|眼下|快(?=要?(?:到期|截止)))"  # 快到期的有哪些
    rf")"
)
# What is due "soon" (最近有什么要交的, 马上到期的有哪些) and by default (/deadlines alone): the days ahead.
SOON_DAYS = 30
_UNTIL_WORDS = {"底前", "底之前", "底以前", "前", "之前", "以前"}


def _until(today: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """From today to `end`; when `end` has passed, everything due by it this year."""
    return (today, end) if today <= end else (dt.date(end.year, 1, 1), end)


def _month_range(year: int, month: int, day: int | None, until: str | None, today: dt.date):
    end = safe_date(year, month, day)
    if end is None:
        return None
    if until in _UNTIL_WORDS:
        return _until(today, end)
    return (end, end) if day else (end.replace(day=1), end)


def _quarter_range(year: int, quarter: int, until: bool, today: dt.date):
    start = dt.date(year, quarter * 3 - 2, 1)
    end = month_end(year, quarter * 3)
    return _until(today, end) if until else (start, end)


def _relative_month(g: dict, today: dt.date):
    shift = {"下": 1, "次": 1, "上": -1}.get(g["rel_month"][0], 0)
    first = add_months(today.replace(day=1), shift)
    return _month_range(first.year, first.month, None, g["rel_until"], today)


def _year_of(relative: str | None, today: dt.date) -> int:
    """The year 今年 / 明年 names (today's when none is named)."""
    return today.year + (1 if relative == "明年" else 0)


def _relative_year(g: dict, today: dt.date):
    year = _year_of(g["rel_year"], today)
    if g["year_part"]:
        return _until(today, dt.date(year, 12, 31))
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _relative_quarter(g: dict, today: dt.date):
    quarter = (today.month - 1) // 3 + 1
    if g["rel_q"].startswith("下"):
        quarter += 1
    year, quarter = today.year + (quarter - 1) // 4, (quarter - 1) % 4 + 1
    return _quarter_range(year, quarter, bool(g["q_until"]), today)


def _relative_week(g: dict, today: dt.date):
    monday = today - dt.timedelta(days=today.weekday())
    monday += dt.timedelta(days=7 * {"下": 1, "上": -1}.get(g["rel_week"][0], 0))
    return monday, monday + dt.timedelta(days=6)


# A day named relative to today (明天有啥要办的, 昨天到期的): that day alone.
_DAY_SHIFT = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "昨天": -1, "昨日": -1, "前天": -2}


def _relative_day(g: dict, today: dt.date):
    day = today + dt.timedelta(days=_DAY_SHIFT[g["day"]])
    return day, day


def _within(count: str | None, unit: str, today: dt.date):
    n = num(count) if count else 1
    if not n:
        return None
    if unit == "月":
        return today, add_months(today, n)
    return today, today + dt.timedelta(days=n * (7 if unit in ("周", "星期") else 1))


def _holiday_range(g: dict, today: dt.date):
    """国庆节前: from today to the eve of the next 国庆 (this year's, or next year's once it has
    passed); 2024年春节前: to that year's."""
    if g["fest_y"]:
        eve = holiday_eve(g["fest"], num(g["fest_y"]) or 0)
        return _until(today, eve) if eve else None
    eve = holiday_eve(g["fest"], today.year)
    if eve is None or eve < today:
        eve = holiday_eve(g["fest"], today.year + 1)
    return (today, eve) if eve else None


def _period_range(g: dict, today: dt.date) -> tuple[dt.date, dt.date] | None:
    if g["iso_y"]:  # 2021-06, 2021/6, 2021.06, 2021-06-30
        day = int(g["iso_d"]) if g["iso_d"] else None
        return _month_range(int(g["iso_y"]), int(g["iso_m"]), day, None, today)
    if g["m"]:
        year = num(g["y"]) if g["y"] else _year_of(g["m_ry"], today)
        day = num(g["d"]) if g["d"] else None
        if not year or (g["d"] and not day):
            return None
        return _month_range(year, num(g["m"]), day, g["until"], today)
    if g["rel_month"]:
        return _relative_month(g, today)
    if g["rel_year"]:
        return _relative_year(g, today)
    if g["year_end"]:
        return _until(today, dt.date(today.year, 12, 31))
    if g["half"]:
        year = num(g["half_y"]) if g["half_y"] else _year_of(g["half_ry"], today)
        start_month = 1 if g["half"] == "上" else 7
        return (dt.date(year, start_month, 1), month_end(year, start_month + 5)) if year else None
    if g["year"]:
        year = num(g["year"])
        if not year:
            return None
        return _until(today, dt.date(year, 12, 31)) if g["year_until"] else (dt.date(year, 1, 1), dt.date(year, 12, 31))
    if g["rel_q"]:
        return _relative_quarter(g, today)
    if g["q"]:
        return _quarter_range(_year_of(g["q_ry"], today), num(g["q"]) or 1, False, today)
    if g["rel_week"]:
        return _relative_week(g, today)
    if g["day"]:
        return _relative_day(g, today)
    if g["near"]:
        return _within(g["near_n"], g["near_unit"], today)
    if g["soon"]:
        return within_span(today, SOON_DAYS)
    if g["fest"]:
        return _holiday_range(g, today)
    return _within(g["n"], g["unit"], today)


# "Past its time limit": every dated deadline before today (逾期的任务有哪些, /deadlines 逾期),
# from a first day before any plan's (a real date: it travels in callback data as YYYYMMDD).
OVERDUE_FROM = dt.date(1900, 1, 1)
_OVERDUE = lazy(r"逾期|超期|已?过期|已过时限|过了时限|超过时限|超时|[没未]按时|拖期|延期")


def is_overdue_span(start: dt.date, end: dt.date, today: dt.date) -> bool:
    """Whether a span is the one 逾期 names: every day before today."""
    return start == OVERDUE_FROM and end == today - dt.timedelta(days=1)


def _overdue(text: str, today: dt.date) -> tuple[str, dt.date, dt.date] | None:
    m = _OVERDUE.search(text)
    return (m.group(), OVERDUE_FROM, today - dt.timedelta(days=1)) if m and today > OVERDUE_FROM else None


def find_period(text: str, today: dt.date) -> tuple[str, dt.date, dt.date] | None:
    """The first time phrase of a question and its inclusive date range: (phrase, start, end).

    这个月/本月 → the whole month; 下个月/下月 → next month; 6月 / 2021年6月 / 2021-06 → that month;
    6月底前 / 年底前 / 本月底前 → from today to that day (or, once it has passed, from 1 January);
    本季度 / 第二季度 → the quarter; 这周/本周/上周 → Monday to Sunday; 今天/明天/昨天 → that day; 30天内 / 最近一周 / 一个月内 →
    from today forward to today + N (questions about deadlines look ahead); 逾期 / 过期 → every
    day before today."""
    if found := _overdue(text, today):
        return found
    for m in _PERIOD.finditer(text):
        try:
            found = _period_range(m.groupdict(), today)
        except (OverflowError, ValueError):
            continue  # 99999999天内, 下个月 in December 9999: past the calendar's end
        if found:
            return m.group(), found[0], found[1]
    return None


def resolve_period(phrase: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The inclusive date range of a question phrase (这个月, 下个月, 6月底前, 年底前, 本季度,
    本周, 30天内, 最近一周 …) relative to `today`; None when it names no period."""
    found = find_period(phrase, today)
    return (found[1], found[2]) if found else None


# -- a period given alone: /deadlines and `planbot deadlines` ------------------------------------------

# The forms people are shown (/help, the README, the reply to a period not understood).
FORMS = "本月、下月、下周、本季度、今年、2021-06、2021年6月、6月、14天、逾期"
_DAYS = lazy(r"([0-9]{1,8})(?:天|日|d)?", re.I)


def period_arg(text: str, today: dt.date) -> tuple[str, dt.date, dt.date] | None:
    """A period written on its own, as /deadlines and `planbot deadlines` take it: any phrase a
    question may use (本月, 下周, 本季度, 今年, 2021-06, 2021年6月, 6月, 年底前, 30天内 …), a count
    without 内 (两周, 14天) or a bare number of days (14). (phrase, start, end); None when `text`
    is no period (or is empty)."""
    phrase = re.sub(r"\s+", "", text)
    if (found := _overdue(phrase, today)) and found[0] == phrase:
        return found
    if m := _DAYS.fullmatch(phrase):
        days = int(m.group(1))
        return (phrase, *within_span(today, days)) if days > 0 else None
    # 两周, 一个月 read as 两周内, 一个月内; but 13月 is a month (that does not exist), not 13 months.
    counted = not phrase.endswith("月") or phrase.endswith("个月")
    for candidate in (phrase, phrase + "内") if counted else (phrase,):
        if m := _PERIOD.fullmatch(candidate):
            try:
                found = _period_range(m.groupdict(), today)
            except (OverflowError, ValueError):
                return None
            if found:
                return phrase, found[0], found[1]
    return None
