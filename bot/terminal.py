"""Answers as terminal text: the same Answer the bot renders, in plain lines."""

from __future__ import annotations

from planbot.index.answer.changes import describe_history
from planbot.index.answer.cite import heading
from planbot.index.models import Answer, Citation, PlanInfo, PlanVersion


def path_line(c: Citation) -> str:
    """《plan》 二 › 3. title — where the cited item sits."""
    return f"《{c.plan}》 {heading(c)}"


def render_answer(answer: Answer, *, full: bool = False) -> str:
    lines = [answer.text]
    for n, c in enumerate(answer.citations, 1):
        lines.append(f"  [{n}] {path_line(c)}")
        body = c.text if full else (c.sentence or c.title)
        for text_line in body.splitlines():
            lines.append(f"      {text_line}")
    if answer.more:
        lines.append("  （还有更多结果：加 --top 看更多）")
    return "\n".join(lines)


def render_plans(plans: list[PlanInfo]) -> str:
    if not plans:
        return "还没有计划。用 planbot index PATH 添加。"
    rows = [f"{p.id:>3}  《{p.title}》  {p.items} 条，{p.with_owners} 条写明责任单位，"
            f"{p.with_deadlines} 条写明时限  ({p.source})" for p in plans]
    return "\n".join(rows)


def render_history(info: PlanInfo | None, title: str, versions: list[PlanVersion]) -> str:
    return describe_history(info, title, versions) + "\n（planbot changes 名称 看改了什么；planbot restore 名称 [版本] 恢复）"
