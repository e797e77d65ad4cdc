"""Deadlines of a plan item, and the date ranges behind question phrases such as 下个月.

Why a hand-written grammar: jionlp's time parser would be the obvious library, but its behaviour
moves between releases (1.5.15 parses 3月底前 / 年底前 / 上半年, 1.5.31 raises on 3月 / 本月 /
下个月) and it pulls in heavy dependencies for a handful of forms. Plans use a small, fixed set of
time phrases, so this module is a small regex grammar over exactly those forms, with `cn2an` for
Chinese numerals (十二月底前, 二〇一九年).

What counts as a deadline:

* a deadline field (完成时限 / 完成时间 / 时间节点 / 时限 / 时间 …) on its own line or in the
  item's field bracket. When an item has one, only its value counts: a body sentence such as
  "年底前评出五星级党支部3个" is then a milestone, not the item's deadline. One value may hold
  several dates (2022年6月底前、12月底前 — the second inherits 2022); a value with no date is kept
  as written, recurring when it says so (长期坚持，每月底前报送监测结果 / 每季度末 / 全年 / 常态化);
* otherwise the dated phrases in the text: 2019年6月底前, 6月底前, 9月30日前, 年底前, 年内,
  上半年, 第二季度, 6月至9月, 2021年10月, 2021年年底前, 十二月底前 …

Decisions:

* The date is the end of the span: 6月 → 30 June, 上半年 → 30 June, 第二季度 → 30 June,
  6月至9月 → 30 September, 年底前 → 31 December; 上旬/月初 → the 10th, 中旬 → the 20th.
* A phrase without a year takes the year of the last dated phrase before it in the same text,
  else the plan's year; with neither, the phrase is kept with no date.
* 到2022年 / 从2019年起 / 2019年开始 are targets and starts, not deadlines (a bare year is never a
  deadline); 到2020年底 is one, because 年底 names a day.
* Recurring words (每月 / 每季度 / 全年 / 常态化 / 长期坚持 / 持续推进) count only in a deadline
  field: in free text they describe how work is done (持续推进干部在线学习), and dates governed by
  每年/每月 (每年2月底前) are not one-off deadlines.
* In free text a month needs a year, a day, 底/末/旬/份 or 前 (6月底前, 2021年10月, 6月份); a bare
  6月 counts only inside a deadline field (2022年6月、11月各一期).
* Time limits in hours or days (2小时内报告, 24小时值班, 30日内) are not calendar deadlines.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .models import Deadline
from .numbering import cn_to_int
from .owners import field_pairs, is_deadline_field

_NUMERAL_FIXES = str.maketrans("０１２３４５６７８９○", "0123456789〇")
_Y = r"[0-9０-９]{4}|[〇○零一二三四五六七八九]{4}"
_N = r"[0-9０-９]{1,2}|[一二三四五六七八九十两]{1,3}"
_DASH = r"(?:至|到|—|–|－|-|~|～)"
_BEFORE = r"(?:前|之前|以前)"
_DATE = re.compile(
    rf"(?<![0-9０-９〇○零一二三四五六七八九十两几多数半余百千万])(?:"
    # 2021年底前 / 2021年年底前 / 2021年内: the year is required
    rf"(?P<ey>{_Y})年(?P<yearend>年底|年末|底|末|年内|内){_BEFORE}?"
    # 6月至9月 / 6—9月 / 2019年6月至9月
    rf"|(?:(?P<ry>{_Y})年)?(?P<m1>{_N})(?:月份?)?{_DASH}(?P<m2>{_N})月份?(?:底|末)?{_BEFORE}?"
    # 2021年12月31日前 / 6月底前 / 9月30日 / 十二月底 / 2021年10月 / 6月份
    rf"|(?:(?P<my>{_Y})年)?(?P<m>{_N})月(?P<fen>份)?"
    rf"(?:(?P<d>{_N})[日号]|(?P<part>上旬|中旬|下旬|初|底|末))?(?P<before>{_BEFORE})?"
    # 上半年 / 2019年下半年
    rf"|(?:(?P<hy>{_Y})年)?(?P<half>上|下)半年(?:度)?{_BEFORE}?"
    # 第二季度 / 二季度 / 2021年第三季度末
    rf"|(?:(?P<qy>{_Y})年)?第?(?P<q>[一二三四1-4１-４])季度(?:末)?{_BEFORE}?"
    # 年底前 / 年内 without a year (but not 三年内 / 5年内: the lookbehind)
    rf"|(?P<bare>年底|年末|年内){_BEFORE}?"
    rf")"
)
# A date governed by 每年/每月 is a recurring schedule, not a deadline: 于每年2月底前报送.
_EVERY_BEFORE = re.compile(r"每(?:年|月|季度?|半年|周|学期)(?:的)?$")
_RECURRING = re.compile(
    r"每个?(?:月|季度|季|半年|年|年度|周|星期|学期|旬|天|日)|逐月|按月|按季度?|按年|按周"
    r"|全年|常态化|长期|持续|定期|经常"
)
_PART_DAY = {"上旬": 10, "初": 10, "中旬": 20}


def _num(text: str) -> int | None:
    """An Arabic or Chinese numeral as an int (二〇一九 → 2019, 十二 → 12); None if it is not one."""
    return cn_to_int(text.translate(_NUMERAL_FIXES))


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int | None, day: int | None = None) -> dt.date | None:
    """The given day, or the month's last day; None when the numbers make no date."""
    if month is None or not 1 <= month <= 12 or not 1 <= year <= 9999:
        return None
    if day is None:
        return month_end(year, month)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _explicit_year(m: re.Match[str]) -> int | None:
    for group in ("ey", "ry", "my", "hy", "qy"):
        if m.group(group):
            return _num(m.group(group))
    return None


def _span_end(m: re.Match[str], year: int) -> dt.date | None:
    """The last day the matched phrase covers, in `year`."""
    if m.group("yearend") or m.group("bare"):
        return _safe_date(year, 12)
    if m.group("m2"):
        first, last = _num(m.group("m1")), _num(m.group("m2"))
        if first is None or last is None or not 1 <= first <= last:
            return None
        return _safe_date(year, last)
    if m.group("m"):
        day = _num(m.group("d")) if m.group("d") else _PART_DAY.get(m.group("part") or "")
        if m.group("d") and day is None:
            return None
        return _safe_date(year, _num(m.group("m")), day)
    if m.group("half"):
        return _safe_date(year, 6 if m.group("half") == "上" else 12)
    quarter = _num(m.group("q").translate(_NUMERAL_FIXES))
    return _safe_date(year, quarter * 3) if quarter and quarter <= 4 else None


def _is_loose_month(m: re.Match[str]) -> bool:
    """A bare month (6月, no year, day, 底/旬/份 or 前): a date only inside a deadline field."""
    return bool(m.group("m")) and not any(
        m.group(g) for g in ("my", "fen", "d", "part", "before")
    )


def _check(m: re.Match[str], year: int | None) -> dt.date | None | bool:
    """The span end for a match in `year`; False when the match is not a date at all."""
    if year is None:
        # No year to build a date with, but the numbers must still make sense.
        return None if _span_end(m, 2000) else False
    return _span_end(m, year) or False


def _scan(text: str, year: int | None, *, in_field: bool) -> list[Deadline]:
    """Dated phrases of `text` in order; a phrase without a year inherits the last explicit one."""
    found = []
    for m in _DATE.finditer(text):
        if _EVERY_BEFORE.search(text, max(0, m.start() - 4), m.start()):
            continue
        if _is_loose_month(m) and not in_field:
            continue
        explicit = _explicit_year(m)
        date = _check(m, explicit if explicit is not None else year)
        if date is False:
            continue
        if explicit is not None:
            year = explicit
        found.append(Deadline(phrase=m.group(), date=date))
    return found


def _field_deadlines(value: str, year: int | None) -> list[Deadline]:
    """A deadline field's value: its dates, or the value itself when it holds none."""
    value = value.strip()
    if not value:
        return []
    dates = _scan(value, year, in_field=True)
    if dates:
        return dates
    return [Deadline(phrase=value, recurring=bool(_RECURRING.search(value)))]


def _dedupe(deadlines: list[Deadline]) -> list[Deadline]:
    seen: dict[str, Deadline] = {}
    for deadline in deadlines:
        seen.setdefault(deadline.phrase, deadline)
    return list(seen.values())


# -- public -----------------------------------------------------------------------------------------

def extract_deadlines(text: str, *, year: int | None = None) -> list[Deadline]:
    """Deadlines of one plan item's full text, in order, one per phrase. `year` is the plan's year,
    used for phrases that name none (6月底前, 年底前)."""
    values = [value for name, value in field_pairs(text) if is_deadline_field(name)]
    from_fields = [d for value in values for d in _field_deadlines(value, year)]
    if from_fields:
        return _dedupe(from_fields)
    return _dedupe(_scan(text, year, in_field=False))


def parse_deadline_phrase(phrase: str, *, year: int | None = None) -> Deadline | None:
    """One deadline phrase as a deadline field would read it: its first date (2021年12月底前,
    6月, 十二月底前), else a recurring phrase (每季度末, 长期坚持); None when it is neither."""
    dates = _scan(phrase, year, in_field=True)
    if dates:
        return dates[0]
    phrase = phrase.strip()
    if phrase and _RECURRING.search(phrase):
        return Deadline(phrase=phrase, recurring=True)
    return None


# -- question phrases -------------------------------------------------------------------------------

_UNTIL_WORD = r"底前|底之前|底以前|前|之前|以前|底|末"
# Counts are bounded ({1,4}) and a match never starts inside a number: an unbounded [0-9]+ here
# made every position of a long digit run re-read the run (quadratic).
_PERIOD = re.compile(
    rf"(?<![0-9０-９])(?:"
    rf"(?:(?P<y>{_Y})年)?(?P<m>{_N})月份?(?:(?P<d>{_N})[日号])?(?P<until>{_UNTIL_WORD})?"
    rf"|(?P<rel_month>这个?|本|当|今|下个?|次|上个?)月(?:份)?(?P<rel_until>{_UNTIL_WORD})?"
    rf"|(?P<rel_year>今年|本年度?|当年|明年)(?P<year_part>年?底前|年?底|年?末|内)?"
    rf"|年(?P<year_end>底前|底|末|内)"
    rf"|(?P<half>上|下)半年"
    rf"|(?P<rel_q>本|这个?|当前|下个?)季度?(?P<q_until>末|底)?"
    rf"|第?(?P<q>[一二三四1-4])季度"
    rf"|(?P<rel_week>这个?|本|下个?)(?:周|星期|礼拜)"
    rf"|(?P<near>最近|近|未来|接下来的?)(?P<near_n>{_N}|[0-9]{{1,4}})?个?(?P<near_unit>天|日|周|星期|月)(?:内|之内|以内)?"
    rf"|(?P<n>{_N}|[0-9]{{1,4}})个?(?P<unit>天|日|周|星期|月)(?:内|之内|以内)"
    rf")"
)
_UNTIL_WORDS = {"底前", "底之前", "底以前", "前", "之前", "以前"}


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _until(today: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """From today to `end`; when `end` has passed, everything due by it this year."""
    return (today, end) if today <= end else (dt.date(end.year, 1, 1), end)


def _month_range(year: int, month: int, day: int | None, until: str | None, today: dt.date):
    end = _safe_date(year, month, day)
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
    first = _add_months(today.replace(day=1), shift)
    return _month_range(first.year, first.month, None, g["rel_until"], today)


def _relative_year(g: dict, today: dt.date):
    year = today.year + (1 if g["rel_year"] == "明年" else 0)
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
    if g["rel_week"].startswith("下"):
        monday += dt.timedelta(days=7)
    return monday, monday + dt.timedelta(days=6)


def _within(count: str | None, unit: str, today: dt.date):
    n = _num(count) if count else 1
    if not n:
        return None
    if unit == "月":
        return today, _add_months(today, n)
    return today, today + dt.timedelta(days=n * (7 if unit in ("周", "星期") else 1))


def _period_range(g: dict, today: dt.date) -> tuple[dt.date, dt.date] | None:
    if g["m"]:
        year = _num(g["y"]) if g["y"] else today.year
        day = _num(g["d"]) if g["d"] else None
        if not year or (g["d"] and not day):
            return None
        return _month_range(year, _num(g["m"]), day, g["until"], today)
    if g["rel_month"]:
        return _relative_month(g, today)
    if g["rel_year"]:
        return _relative_year(g, today)
    if g["year_end"]:
        return _until(today, dt.date(today.year, 12, 31))
    if g["half"]:
        start_month = 1 if g["half"] == "上" else 7
        return dt.date(today.year, start_month, 1), month_end(today.year, start_month + 5)
    if g["rel_q"]:
        return _relative_quarter(g, today)
    if g["q"]:
        return _quarter_range(today.year, _num(g["q"]) or 1, False, today)
    if g["rel_week"]:
        return _relative_week(g, today)
    if g["near"]:
        return _within(g["near_n"], g["near_unit"], today)
    return _within(g["n"], g["unit"], today)


def find_period(text: str, today: dt.date) -> tuple[str, dt.date, dt.date] | None:
    """The first time phrase of a question and its inclusive date range: (phrase, start, end).

    这个月/本月 → the whole month; 下个月/下月 → next month; 6月 / 2021年6月 → that month;
    6月底前 / 年底前 / 本月底前 → from today to that day (or, once it has passed, from 1 January);
    本季度 / 第二季度 → the quarter; 这周/本周 → Monday to Sunday; 30天内 / 最近一周 / 一个月内 →
    from today forward to today + N (questions about deadlines look ahead)."""
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
