"""Owners and time limits a county plan writes in its sentences, as who- and when-answers give
them: fields after the task on the same line, duty lists (X：负责…), a duty after a condition,
limits counted from an event, and a procedure's target time that is no limit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planbot.index.engine import Engine

TODAY = dt.date(2021, 6, 15)
PLAN = """XX县2021年优化营商环境重点任务分工方案
一、重点任务
1.推行企业开办“一窗通办”，全流程压缩至1个工作日内。牵头单位：县市场监管局；配合单位：县税务局。完成时限：2021年6月底前。
2.深化工程建设项目审批制度改革，社会投资项目审批时间压减至50个工作日以内。县住建局牵头，县自然资源局配合。
3.保障项目用地。县自然资源局负责，自本方案印发之日起1个月内完成存量土地清查。
二、应急保障
4.成员单位职责。
县公安局：负责事发地治安维护和交通管制。
县交通运输局：配合做好应急物资运输保障。
5.出现重大险情时，县防汛指挥部要立即组织抢险，县应急管理局接报后30分钟内报县委、县政府。
三、民生保障（牵头单位：县民政局）
6.提高城乡低保标准。
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    folder: Path = tmp_path_factory.mktemp("plan")
    (folder / "营商环境.txt").write_text(PLAN, encoding="utf-8")
    engine = Engine.open(folder / "plan.db")
    engine.index_paths([folder / "营商环境.txt"])
    yield engine
    engine.close()


@pytest.mark.parametrize(
    "question, says",
    [
        ("企业开办一窗通办谁牵头", "牵头：县市场监管局；配合：县税务局"),
        ("企业开办一窗通办什么时候完成", "完成时限：2021年6月底前"),
        ("存量土地清查什么时候完成", "完成时限：印发之日起1个月内"),
        ("事发地治安维护和交通管制谁负责", "责任：县公安局"),
        ("应急物资运输保障谁负责", "配合：县交通运输局"),
        ("险情抢险谁负责", "县防汛指挥部"),
        ("险情多久报县委", "30分钟内"),
        # a question that asks neither who nor when: the answer still says both
        ("企业开办一窗通办", "（牵头：县市场监管局；配合：县税务局；完成时限：2021年6月底前）"),
        # the owner its heading names, said to come from the plan's general provision
        ("城乡低保标准谁负责", "牵头：县民政局（按文件总体规定）"),
        # 50个工作日 is how long an approval may take, not when the reform is due
        ("工程建设项目审批制度改革什么时候完成", "未写明完成时限"),
    ],
)
def test_answers_from_the_plans_sentences(engine, question, says):
    answer = engine.ask(question, today=TODAY)
    assert answer.found and says in answer.text, answer.text
