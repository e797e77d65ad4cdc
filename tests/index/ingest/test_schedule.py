"""Which lines of a plan are its timetable."""

from __future__ import annotations

import pytest

from planbot.index.ingest.parse import parse_plan
from planbot.index.ingest.schedule import is_schedule_line, is_schedule_title
from tests.corpus import CORPUS


@pytest.mark.parametrize("title", ["实施步骤", "方法步骤", "推进步骤", "工作进度", "时间进度", "进度安排", "时间安排及要求",
                                   "工作目标", "主要目标。", "试点目标"])
def test_timetable_headings(title):
    assert is_schedule_title(title)


@pytest.mark.parametrize("title", ["主要任务", "保障措施", "基本原则", "2021年工作安排", "建立指标体系和目标考核"])
def test_other_headings(title):
    assert not is_schedule_title(title)


def test_the_corpus_timetables():
    """02 and 08 date their work in one section and a target item, 03 has a target without a
    date; the other documents keep no timetable."""
    found = {}
    for path in sorted(CORPUS.glob("0*.txt")):
        plan = parse_plan(path.read_text(encoding="utf-8"), path.name)
        found[path.name[:2]] = ["/".join(i.path) for i in plan.items if i.kind == "item"
                                and is_schedule_line([*(h.title for h in i.ancestors), i.title])]
    assert found.pop("02") == ["一/（四）", "三/（一）", "三/（二）", "三/（三）", "三/（四）"]
    assert found.pop("08") == ["一/（三）", "四/（一）", "四/（二）", "四/（三）"]
    assert found.pop("03") == ["三"]  # 三、发展目标
    assert not any(found.values())
