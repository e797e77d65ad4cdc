"""Deadlines of a plan item: the time limits it writes, as written, with the date they end on.

The periods a question names (下个月, 本季度) are read by index/periods.py, which also holds the
numeral patterns and calendar arithmetic used here.

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
  as written, recurring when it says so (长期坚持，每月底前报送监测结果 / 每季度末 / 全年 / 常态化),
  relative when it is a duration (2小时内);
* otherwise the time phrases in the text: dated ones (2019年6月底前, 6月底前, 9月30日前, 年底前,
  年内, 上半年, 第二季度, 6月至9月, 2021年10月, 2021年年底前, 十二月底前, 到2020年, 2020年初步建成,
  2020年前, 2021—2022年, 3月中旬至4月底, 明年6月底前, 今年底前, and as task tables write them: 2021.6.30, 2021-06,
  2021/9底前 …, and 6.30前 / 12.31前 with 前), before a holiday (国庆节前, 七一前, 元旦前, and a lunar
  one with its year written: 2024年春节前), relative
  limits (24小时内, 2个工作日内, 5年内, 印发后1个月内, 最迟不超过4个小时) and recurring schedules
  (每年, 每季度, 每3年, 每年2月底前, 24小时值班) — see index/ingest/durations.py for the last two.

Decisions:

* The date is the end of the span: 6月 → 30 June, 上半年 → 30 June, 第二季度 → 30 June,
  6月至9月 → 30 September, 年底前 → 31 December, 到2020年 → 31 December 2020; 上旬/月初 → the
  10th, 中旬 → the 20th.
* A phrase without a year takes the year of the last dated phrase before it in the same text,
  else the plan's year; with neither, the phrase is kept with no date. 明年 / 次年 before it
  mean the year after that one, 今年 / 当年 that year: they stay part of the phrase.
* 到2022年 is a target year: a deadline at its end, and so is a year opening a clause with what
  it will achieve (2020年初步建成… / 2020年基本实现…). 从2019年起 / 2019年开始 / 2020年起 are starts,
  not deadlines, and any other bare year (组织开展2019年度…, 2020年初 …) is none.
* Relative limits (4小时内, 5年内) have no date: they count from an event the plan does not date.
  They are time limits all the same (`relative=True`).
* Recurring schedules have no date either (`recurring=True`). In free text only 每+period counts
  (每年 / 每季度 / 每3年, with the date it governs: 每年2月底前) and 24小时 as in 24小时值班; the
  words 全年 / 常态化 / 长期坚持 / 持续推进 count only in a deadline field: in free text they describe
  how work is done (持续推进干部在线学习).
* In free text a month needs a year, a day, 底/末/旬/份 or 前 (6月底前, 2021年10月, 6月份); a bare
  6月 counts only inside a deadline field (2022年6月、11月各一期) or as a line's time label, the
  way a month-by-month schedule writes its lines (3月：开展学雷锋志愿服务活动。, `time_label`).

Which sentence (`Deadline.sentence`, an index into index.text.sentences of the item text): a
deadline field covers the whole item (None); a phrase in free text belongs to the sentence it is
written in, and a phrase written in more than one sentence to the whole item (None).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

from .. import cn
from ..models import Deadline
from ..periods import NUM as _N
from ..periods import HOLIDAY_PATTERN as _HOLIDAYS
from ..periods import HOLIDAYS, LUNAR_HOLIDAYS, holiday_eve
from ..periods import YEAR as _Y
from ..periods import num as _num
from ..periods import safe_date as _safe_date
from .durations import RELATIVE_WORDS, deadline_of, time_limits
from .fields import field_pairs, is_deadline_field
from .spans import sentence_at, sentence_starts

_DASH = r"(?:至|到|—|–|－|-|~|～)"
_ACHIEVE = r"(?:初步|基本|全面|完成|建成|实现|达到|力争)"
_BEFORE = r"(?:前|之前|以前)"
_DATE_FORMS = (
    rf"(?<![{cn.ARABIC}{cn.YEAR_DIGITS}{cn.SMALL}几多数半余百千万])(?:"
    # 到2020年: a target year, due at its end (到2020年底 / 到2020年6月 are read below)
    rf"到(?P<ty>{_Y})年(?![年底末内度初中上下半第{cn.ARABIC}{cn.SMALL}])"
    # 2020年初步建成…: a year opening a clause, with what it will achieve by then
    rf"|(?<![^，,。；;：:\n])(?P<by>{_Y})年(?={_ACHIEVE})"
    # 2020年前，… / 在2020年以前基本建成: by that year, due at its end; opening a clause (or after
    # 在/于), not 对2019年以前建成的项目
    rf"|(?<![^，,。；;：:\n在于])(?P<py>{_Y})年{_BEFORE}(?=[，,]|{_ACHIEVE})"
    # 2021—2022年 / 2021年至2023年: years a task runs, due at the end of the last (not （2021—2035年）
    # in a document's name)
    rf"|(?<![（(])(?P<ay>{_Y})年?{_DASH}(?P<zy>{_Y})年(?![底末内度初中上下半第{cn.ARABIC}{cn.SMALL}）)])"
    rf"|"
    # 2021年底前 / 2021年年底前 / 2021年内: the year is required
    rf"(?P<ey>{_Y})年(?P<yearend>年底|年末|底|末|年内|内){_BEFORE}?"
    # 6月至9月 / 6—9月 / 2019年6月至9月 / 3月中旬至4月底 / 3月10日至4月30日
    rf"|(?:(?P<ry>{_Y})年)?(?P<m1>{_N})(?:月份?(?:上旬|中旬|下旬|初|底|(?:{_N})[日号])?)?{_DASH}"
    rf"(?P<m2>{_N})月份?(?:底|末|(?P<p2>上旬|中旬|初)|下旬|(?P<d2>{_N})[日号])?{_BEFORE}?"
    # 2021年12月31日前 / 6月底前 / 9月30日 / 十二月底 / 2021年10月 / 6月份
    rf"|(?:(?P<my>{_Y})年)?(?P<m>{_N})月(?P<fen>份)?"
    rf"(?:(?P<d>{_N})[日号]|(?P<part>上旬|中旬|下旬|初|底|末))?(?P<before>{_BEFORE})?"
    # 上半年 / 2019年下半年
    rf"|(?:(?P<hy>{_Y})年)?(?P<half>上|下)半年(?:度)?{_BEFORE}?"
    # 第二季度 / 二季度 / 2021年第三季度末
    rf"|(?:(?P<qy>{_Y})年)?第?(?P<q>[一二三四1-4１-４])季度(?:末)?{_BEFORE}?"
    # 年底前 / 年内 without a year (but not 三年内 / 5年内: the lookbehind)
    rf"|(?P<bare>年底|年末|年内){_BEFORE}?"
    # 2021.6.30 / 2021-06 / 2021/6/30, as task tables write dates (a year of four digits first)
    rf"|(?P<ny>(?:19|20)\d{{2}})(?P<sep>[.．\-/／])(?P<nm>\d{{1,2}})(?:(?P=sep)(?P<nd>\d{{1,2}})[日号]?|底|末)?"
    rf"(?![\d.．%％万亿千百元])(?:日|号)?{_BEFORE}?"
    # 国庆节前 / 七一前 / 2024年春节前: before a holiday (a lunar one is dated only with its year)
    rf"|(?:(?P<fy>{_Y})年)?(?P<fest>{_HOLIDAYS})节?{_BEFORE}(?!后)"
    # 6.30前 / 12.31: a month and a day with a dot, as county task tables write them; in free
    # text only with 前 (not a share, an amount or a version: 6.5%, 13.35亿元, 3.2版)
    rf"|(?<![.．VvＶ本])(?P<dm>1[0-2]|0?[1-9])[.．](?P<dd>3[01]|[12][0-9]|0?[1-9])"
    rf"(?![\d.．%％万亿千百元版])(?P<dbefore>{_BEFORE})?"
    rf")"
)
# Every form above starts with one of these characters. Said first, the engine skips any other
# position at once instead of trying each form there: the same matches, 10-17x faster
# (tests/index/ingest/test_deadlines.py compares the two). A holiday's name leads one too, but
# only a text naming one reads with it: led by 中, 国 or 春 as well, or by an alternation of the
# names, every line paid 15-30% more for the few that name a holiday.
DATE_STARTS = rf"[到上下第年{cn.ARABIC}{cn.YEAR_DIGITS}{cn.SMALL}]"
_DATE = re.compile(rf"(?={DATE_STARTS}){_DATE_FORMS}")
_DATE_OR_HOLIDAY = re.compile(rf"(?={DATE_STARTS}|{_HOLIDAYS}){_DATE_FORMS}")


def date_pattern(text: str) -> re.Pattern[str]:
    """The dates' pattern to read `text` with: led by a holiday's name too where it names one."""
    return _DATE_OR_HOLIDAY if any(name in text for name in HOLIDAYS) else _DATE


# A date governed by 每年/每月 is a recurring schedule, not a deadline: 于每年2月底前报送.
_EVERY_BEFORE = re.compile(r"每(?:年|月|季度?|半年|周|学期)(?:的)?$")
_EVERY_REACH = 5  # how far back a 每年(的) governing a date can start
_RECURRING = re.compile(
    r"每个?(?:月|季度|季|半年|年|年度|周|星期|学期|旬|天|日)|逐月|按月|按季度?|按年|按周"
    r"|全年|常态化|长期|持续|定期|经常"
)
_PART_DAY = {"上旬": 10, "初": 10, "中旬": 20}
_LABEL_COLON = ("：", ":")
# 明年6月底前 / 次年1月底前 / 今年底前: a year named relative to the plan's, part of the phrase.
_YEAR_WORD = re.compile(r"(?:明|次|翌|下一?|今|当|本)年?$")
_NEXT_YEAR = ("明", "次", "翌", "下")


def _explicit_year(m: re.Match[str]) -> int | None:
    for group in ("ty", "by", "py", "zy", "ey", "ry", "my", "hy", "qy", "ny", "fy"):
        if m.group(group):
            return _num(m.group(group))
    return None


def _span_end(m: re.Match[str], year: int) -> dt.date | None:
    """The last day the matched phrase covers, in `year`."""
    if m.group("ay") and _num(m.group("ay")) > year:  # 2022—2021年 is no span
        return None
    if m.group("ty") or m.group("by") or m.group("py") or m.group("zy") or m.group("yearend") or m.group("bare"):
        return _safe_date(year, 12)
    if m.group("m2"):
        first, last = _num(m.group("m1")), _num(m.group("m2"))
        if first is None or last is None or not 1 <= first <= last:
            return None
        day = _num(m.group("d2")) if m.group("d2") else _PART_DAY.get(m.group("p2") or "")
        if m.group("d2") and day is None:
            return None
        return _safe_date(year, last, day)
    if m.group("m"):
        day = _num(m.group("d")) if m.group("d") else _PART_DAY.get(m.group("part") or "")
        if m.group("d") and day is None:
            return None
        return _safe_date(year, _num(m.group("m")), day)
    if m.group("nm"):
        return _safe_date(year, int(m.group("nm")), int(m.group("nd")) if m.group("nd") else None)
    if m.group("fest"):
        # 元旦前 in a plan of 2021 is before the 元旦 that closes 2021; 2022年元旦前, before 1 January 2022
        return holiday_eve(m.group("fest"), year if m.group("fy") or m.group("fest") != "元旦" else year + 1)
    if m.group("dm"):
        return _safe_date(year, int(m.group("dm")), int(m.group("dd")))
    if m.group("half"):
        return _safe_date(year, 6 if m.group("half") == "上" else 12)
    quarter = _num(m.group("q"))
    return _safe_date(year, quarter * 3) if quarter and quarter <= 4 else None


def _is_loose_month(m: re.Match[str]) -> bool:
    """A bare month (6月, no year, day, 底/旬/份 or 前) or a dotted day without 前 (9.30): a date
    only inside a deadline field."""
    if m.group("dm"):
        return not m.group("dbefore")
    return bool(m.group("m")) and not any(
        m.group(g) for g in ("my", "fen", "d", "part", "before")
    )


def _labels_line(text: str, m: re.Match[str]) -> bool:
    """Whether the date `m` opens a line as its label: 3月：… / 第一季度：…"""
    return (m.start() == 0 or text[m.start() - 1] == "\n") and text[m.end():m.end() + 1] in _LABEL_COLON


def time_label(line: str) -> str:
    """The time a line is labelled with, as a month-by-month schedule writes its lines (1月：召开
    组织生活会。 / 3月份： / 第二季度： / 上半年：); "" for any other line."""
    m = date_pattern(line).match(line)
    return m.group() if m and _labels_line(line, m) and _check(m, 2000) is not False else ""


def _check(m: re.Match[str], year: int | None) -> dt.date | None | bool:
    """The span end for a match in `year`; False when the match is not a date at all."""
    if year is None:
        # No year to build a date with, but the numbers must still make sense.
        return None if _span_end(m, 2000) else False
    return _span_end(m, year) or False


def _scan(text: str, year: int | None, *, in_field: bool) -> list[tuple[int, int, Deadline]]:
    """(start, end, deadline) of the dated phrases of `text` in order; a phrase without a year
    inherits the last explicit one. A date governed by 每年/每月 is a schedule: in free text it is
    read with its 每年 as one recurring phrase (每年2月底前), in a field it is left to the value."""
    found = []
    for m in date_pattern(text).finditer(text):
        every = _EVERY_BEFORE.search(text, max(0, m.start() - _EVERY_REACH), m.start())
        if every:
            if not in_field:
                found.append((every.start(), m.end(),
                              deadline_of(phrase=text[every.start():m.end()], recurring=True)))
            continue
        if _is_loose_month(m) and not in_field and not _labels_line(text, m):
            continue
        if m.group("fest") in LUNAR_HOLIDAYS and not m.group("fy"):
            continue  # 春节前 with no year: which year's is not said (durations reads it, undated)
        explicit, start = _explicit_year(m), m.start()
        said = _YEAR_WORD.search(text, max(0, start - 3), start) if explicit is None else None
        if said and (m.group("bare") or said.group().endswith("年")):
            start = said.start()  # 明年6月底前 / 今年底前 (年底 holds the 年 of 今年)
            if year is not None:
                explicit = year + 1 if said.group().startswith(_NEXT_YEAR) else year
        date = _check(m, explicit if explicit is not None else year)
        if date is False:
            continue
        if explicit is not None:
            year = explicit
        if start and text[start - 1] == "到" and not m.group("ty"):
            start -= 1  # 到2022年底: "by", part of the limit as written
        found.append((start, m.end(), deadline_of(phrase=text[start:m.end()], date=date)))
    return found


def _field_deadlines(value: str, year: int | None) -> list[Deadline]:
    """A deadline field's value: its dates, or the value itself when it holds none."""
    value = value.strip()
    if not value:
        return []
    dates = [d for _, _, d in _scan(value, year, in_field=True)]
    if dates:
        return dates
    recurring = bool(_RECURRING.search(value))
    return [deadline_of(phrase=value, recurring=recurring,
                     relative=not recurring and bool(RELATIVE_WORDS.search(value)))]


def _free_text(text: str, year: int | None) -> list[tuple[int, Deadline]]:
    """Dated phrases, then the relative and recurring limits that no dated phrase covers."""
    dated = sorted(_scan(text, year, in_field=False), key=lambda f: f[0])
    starts = [start for start, _, _ in dated]
    found = [(start, d) for start, _, d in dated]
    reach = -1  # the end of the last limit taken: limits do not overlap each other either
    for start, end, deadline in time_limits(text):
        i = bisect.bisect_right(starts, start) - 1
        covered = (i >= 0 and dated[i][1] > start) or (i + 1 < len(dated) and dated[i + 1][0] < end)
        if start >= reach and not covered:
            found.append((start, deadline))
            reach = end
    found.sort(key=lambda f: f[0])
    return found


def _dedupe(deadlines: list[Deadline]) -> list[Deadline]:
    """One deadline per phrase, at its first place; written in two sentences, it is the item's."""
    seen: dict[str, Deadline] = {}
    for deadline in deadlines:
        first = seen.setdefault(deadline.phrase, deadline)
        if first.sentence != deadline.sentence:
            seen[deadline.phrase] = first.model_copy(update={"sentence": None})
    return list(seen.values())


# -- public -----------------------------------------------------------------------------------------

def extract_deadlines(text: str, *, year: int | None = None) -> list[Deadline]:
    """Deadlines of one plan item's full text, in order, one per phrase, each with its sentence.
    `year` is the plan's year, used for phrases that name none (6月底前, 年底前)."""
    values = [value for name, value in field_pairs(text) if is_deadline_field(name)]
    from_fields = [d for value in values for d in _field_deadlines(value, year)]
    if from_fields:
        return _dedupe(from_fields)
    starts = sentence_starts(text)
    return _dedupe([d.model_copy(update={"sentence": sentence_at(starts, pos)})
                    for pos, d in _free_text(text, year)])
