"""Where a plan keeps its timetable: the one rule of what a schedule line is.

Many plans date their work in one place, not task by task: a section 三、实施步骤 / 方法步骤 / 四、工作进度 /
进度安排 / 时间安排 / 时间节点 whose items are the steps with their dates (02, 08), or an item
（三）工作目标 / （四）试点目标 that dates the whole plan ("2019年12月底前，试点地区完成…"). A when-question about a
task with no date of its own is answered from such a line (`index.answer.schedule`), cited as
what it is, never as a date of the task itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Heading words of a timetable. 工作安排 is left out on purpose: plans title their whole task
# list so (三、2021年工作安排).
_SCHEDULE = re.compile(
    r"进度安排|时间安排|时间节点|时间表|步骤|工作进度|时间进度|进度计划|进度要求|阶段安排|实施阶段"
    r"|^.{0,4}目标(?:任务)?$"  # 工作目标 / 试点目标 / 主要目标: a heading that is the target alone
)


def is_schedule_title(title: str) -> bool:
    return bool(_SCHEDULE.search(title.strip().rstrip("。：:")))


def is_schedule_line(titles: Iterable[str]) -> bool:
    """Whether an item whose ancestors' titles and own title are `titles` (top down) is a line of
    the plan's timetable."""
    return any(is_schedule_title(t) for t in titles)
