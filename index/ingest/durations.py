"""Time limits that are not calendar dates: durations counted from an event and recurring
schedules, as free text writes them.

* relative — 24小时内, 2个工作日内, 3日内, 5年内, 半年内, 两年之内, 印发后1个月内, 印发之日起30日内,
  最迟不超过4个小时, 春节前 (no year written: which 春节 is not said), 汛期前, and the span given for
  the work (限期15天, 用3年时间): a limit counted from an event (`relative=True`, no date: the event's
  day is not in the plan). A holiday on a fixed day (国庆节前) is a date (deadlines.py);
* a five-year plan period — “十四五”期间, 十三五末: due at the end of its last year (2025, 2020);
* recurring — 每年, 每季度, 每3年, 每半年, 每月10日, 每月第一个星期五, 每周五, and 24小时 as in "24小时值班/监测" (round the
  clock): a schedule, not a one-off limit (`recurring=True`, no date).

A duration needs 内/以内/之内, 不超过, 限期 or 用…时间 to be a limit: "3年以上企业工作经历" and "每年至少1个月在企业"'s
"1个月" are amounts, not limits; so is a procedure's target time ("审批时间压缩至50个工作日以内"). A recurring phrase followed by a date (每年2月底前) is read with
that date by index.ingest.deadlines.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from .. import cn
from ..models import Deadline
from ..periods import NUM as _N

_COUNT = rf"(?:{_N}|[{cn.ARABIC}]{{1,3}}|半)"  # 半年内 / 半个月内
_EVENT = r"(?:印发|发布|实施|施行|启动|收到|接到|批准|发生|结束|完成)(?:之日起|之日后|(?:之)?后)"
_UNIT = r"(?:分钟|小时|工作日|日|天|周|星期|个?月|年)"
_NOT_AFTER_NUMBER = rf"(?<![{cn.ARABIC}{cn.YEAR_DIGITS}{cn.SMALL}百千万几多数半余])"
_RELATIVE_FORM = (
    rf"{_NOT_AFTER_NUMBER}(?:{_EVENT})?(?:最迟|最长|最多)?(?P<cap>不超过|不得超过|不超出)?"
    rf"{_COUNT}个?{_UNIT}(?P<within>内|以内|之内)?"
)
# The characters it can start with, said first: the engine skips other positions at once (5x
# faster, the same matches; as deadlines._DATE).
RELATIVE_STARTS = rf"[印发实施启收接批结完最不半{cn.ARABIC}{cn.SMALL}]"
_RELATIVE = re.compile(rf"(?={RELATIVE_STARTS}){_RELATIVE_FORM}")
# "审批时间压缩至50个工作日以内" is how long a procedure may take, a target the task sets, not its limit.
_TARGET = re.compile(r"(?:压缩|压减|缩短|缩减|减少|减至|降低|降|控制)(?:至|到|在)?$|控制在$|时限为$")
# 限期15天 / 用3年时间 / 用3年左右时间: the span given for the work, a limit as much as 15天内.
_SPAN = re.compile(rf"限期{_COUNT}个?{_UNIT}|用{_COUNT}个?{_UNIT}(?:左右)?(?:的)?时间")
_EVERY = re.compile(
    rf"每(?:{_COUNT}个?)?(?:年度?|季度?|半年|个?月|周|星期|学期|旬|天|日)(?:末|底|初)?"
    # the day it falls on: 每月10日 / 每月第一个星期五 / 每周五 / 每月最后一个工作日
    rf"(?:(?:{_N})[日号]|(?:的)?(?:第[一二三四1-4]个|最后一个)(?:星期|周)[一二三四五六日天]"
    rf"|(?<=[周期])[一二三四五六日天](?![次遍回个些般]|[\u4e00-\u9fff]?[天日年月])|(?:的)?最后一个工作日|(?:的)?第[一二三四五1-5]个工作日)?"
    rf"(?:前|之前|以前)?"
)
# Before a named event of the year (春节前, 汛期前, 开学前): a limit the plan does not date. The
# holidays on a fixed day (国庆, 元旦, 五一) are dates, read by deadlines.py, and so are the lunar
# ones with their year written (2024年春节前).
_BEFORE_EVENT = re.compile(r"(?:春节|中秋|端午|清明|汛期|主汛期|汛|开学|入冬|冬季|供暖季?)(?:节)?(?:前|之前|以前)(?!后)")
# “十四五”期间 / 十三五末: a five-year plan period, due at its last year's end (十四五 → 2025).
FIVE_YEAR = re.compile(r"[“\"]?十(?P<n>[一二三四五六七八九])五[”\"]?(?:期间|时期|期末|末期?|规划期内?)")
_ROUND_THE_CLOCK = re.compile(r"24小时(?=值班|监测|在岗|运行|服务|受理|开放|畅通|响应|在线)")
# Field values: a limit written without a date (完成时限：2小时内 / 每季度末)
RELATIVE_WORDS = re.compile(rf"{_COUNT}个?{_UNIT}(?:内|以内|之内)|不超过")


@lru_cache(maxsize=4096)  # plans write the same limits item after item; a Deadline is frozen: one serves all
def deadline_of(**fields) -> Deadline:
    """Deadline(**fields), the one made for the same fields before when there is one."""
    return Deadline(**fields)


def time_limits(text: str) -> list[tuple[int, int, Deadline]]:
    """(start, end, deadline) of the relative and recurring limits in free text, in order."""
    found = []
    for m in _RELATIVE.finditer(text):
        if (m.group("cap") or m.group("within")) and not _TARGET.search(text, max(0, m.start() - 4), m.start()):
            found.append((m.start(), m.end(), deadline_of(phrase=m.group(), relative=True)))
    for pattern in (_BEFORE_EVENT, _SPAN):
        found += [(m.start(), m.end(), deadline_of(phrase=m.group(), relative=True)) for m in pattern.finditer(text)]
    for m in FIVE_YEAR.finditer(text):
        last = 1955 + 5 * (10 + cn.to_int(m.group("n")))  # 十三五: 2016–2020, 十四五: 2021–2025
        found.append((m.start(), m.end(), deadline_of(phrase=m.group(), date=dt.date(last, 12, 31))))
    for pattern in (_EVERY, _ROUND_THE_CLOCK):
        found += [(m.start(), m.end(), deadline_of(phrase=m.group(), recurring=True))
                  for m in pattern.finditer(text)]
    found.sort(key=lambda f: (f[0], -f[1]))
    return found
