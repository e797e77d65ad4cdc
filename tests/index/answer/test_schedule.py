"""A when-question about a task with no date of its own, in a plan that keeps a timetable."""

from __future__ import annotations

import pytest

from planbot.index.engine import Engine

PLAN = """乡村垃圾治理工作方案
一、主要任务
（一）垃圾分类。推进农村生活垃圾分类，建立垃圾分类收运体系，垃圾分类覆盖全部行政村。（县城管局负责）
（二）污水治理。2021年9月底前新建污水处理设施15处。（县生态环境分局负责）
（三）宣传教育。开展宣传进村入户活动。（县委宣传部负责）
（四）细则制定。各乡镇结合实际制定本乡镇垃圾治理实施细则。
二、进度安排
（一）2021年6月底前，各乡镇制定实施细则。
（二）2021年12月底前，全面建成收运体系。
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("schedule")
    (folder / "垃圾治理方案.txt").write_text(PLAN, encoding="utf-8")
    e = Engine.open(folder / "planbot.db")
    e.index_paths([folder / "垃圾治理方案.txt"])
    yield e
    e.close()


def test_a_dateless_task_is_answered_from_the_timetable_line_that_covers_it(engine):
    a = engine.ask("垃圾分类收运体系什么时候建成")
    line, task = a.citations[0], a.citations[1]
    assert a.kind == "when" and a.found
    assert line.path == ["二", "（二）"] and [d.phrase for d in line.deadlines] == ["2021年12月底前"]
    assert task.path == ["一", "（一）"] and not task.deadlines  # the task keeps no date of its own
    assert "2021年12月底前" in a.text and "时间安排" in a.text and "「（一）垃圾分类」本身未写明完成时限" in a.text


def test_no_timetable_line_covers_the_task_so_none_is_named(engine):
    a = engine.ask("宣传教育什么时候搞完")
    assert a.citations[0].path == ["一", "（三）"]
    assert "未写明完成时限" in a.text and "2021年" not in a.text


def test_a_task_with_its_own_date_keeps_it(engine):
    a = engine.ask("污水处理设施什么时候建")
    assert a.citations[0].path == ["一", "（二）"] and "时间安排" not in a.text and "2021年9月底前" in a.text


def test_a_follow_up_when_about_a_dateless_task_reads_the_timetable(engine):
    task = engine.ask("细则制定").citations[0]
    assert task.path == ["一", "（四）"] and not task.deadlines
    a = engine.ask("那什么时候完成", context=task.item_id)
    assert [c.path for c in a.citations] == [["二", "（一）"], ["一", "（四）"]]
    assert "2021年6月底前" in a.text and "「（四）细则制定」本身未写明完成时限" in a.text


NO_TIMETABLE = """乡村道路养护工作方案
一、主要任务
（一）日常养护。开展农村公路日常巡查养护。（县交通运输局负责）
（二）危桥改造。2021年10月底前完成危桥改造8座。（县交通运输局负责）
"""


def test_a_plan_without_a_timetable_is_not_searched_for_one(tmp_path):
    """Whether a plan keeps a timetable is found once per snapshot (Corpus.once): a dateless
    task of a plan that keeps none is answered without ranking the plan's dated lines."""
    from planbot.index.answer.schedule import schedule_line

    (tmp_path / "道路养护方案.txt").write_text(NO_TIMETABLE, encoding="utf-8")
    (tmp_path / "垃圾治理方案.txt").write_text(PLAN, encoding="utf-8")
    engine = Engine.open(tmp_path / "planbot.db")
    engine.index_paths([tmp_path / "道路养护方案.txt", tmp_path / "垃圾治理方案.txt"])
    task = engine.ask("日常养护什么时候搞完")
    assert task.citations[0].path == ["一", "（一）"] and "未写明完成时限" in task.text
    snap = engine._snapshot()

    def rank(*_):
        raise AssertionError("ranked for a timetable the plan does not keep")

    assert schedule_line(snap, task.citations[0], "日常养护", rank) is None
    garbage = engine.ask("垃圾分类收运体系什么时候建成").citations[1]  # the other plan: it keeps one
    with pytest.raises(AssertionError, match="ranked"):
        schedule_line(snap, garbage, "垃圾分类", rank)
    engine.close()
