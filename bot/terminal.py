"""Answers as terminal text: the same Answer the bot renders, in plain lines."""

from __future__ import annotations

from planbot.index.answer.cite import heading, quote
from planbot.index.answer.phrasing import due_groups
from planbot.index.models import Answer, Citation, PlanInfo, PlanVersion

MORE_HINT = "加 --offset {next} 看下一页"


def path_line(c: Citation) -> str:
    """《plan》 二 › 3. title — where the cited item sits."""
    return f"《{c.plan}》 {heading(c)}"


def render_answer(answer: Answer, *, full: bool = False, more_hint: str = MORE_HINT) -> str:
    """The answer's sentence, then each citation numbered from the list's start; a deadlines
    list shows each item's time limit, under 已过时限 / 尚未到期 when it holds both.
    `more_hint` ("{next}": the next page's offset) says how to see more when there is more."""
    lines = [answer.text]
    groups = due_groups(answer) if answer.kind == "deadlines" else [("", answer.citations)]
    n = answer.offset
    for group, cited in groups:
        if group:
            lines.append(f"  {group}：")
        for c in cited:
            n += 1
            lines.append(f"  [{n}] {path_line(c)}")
            if answer.kind == "deadlines" and c.deadlines and not full:
                body = "时限：" + "、".join(d.phrase for d in c.deadlines)
            else:
                body = c.text if full else quote(c)
            for text_line in body.splitlines():
                lines.append(f"      {text_line}")
    if answer.more:
        shown = f"共 {answer.total} 项，" if answer.total else ""
        lines.append(f"  （还有更多结果：{shown}{more_hint.format(next=answer.offset + len(answer.citations))}）")
    return "\n".join(lines)


def render_plans(plans: list[PlanInfo]) -> str:
    if not plans:
        return "还没有计划。用 planbot index PATH 添加。"
    rows = [f"{p.id:>3}  《{p.title}》{f'（第{p.version}版）' if p.version > 1 else ''}  {p.items} 条，"
            f"{p.with_owners} 条写明责任单位，{p.with_deadlines} 条写明时限  ({p.source})" for p in plans]
    return "\n".join(rows)


def render_history(info: PlanInfo | None, title: str, versions: list[PlanVersion]) -> str:
    from planbot.index.answer.changes import describe_history  # a question's path needs no diffs

    return describe_history(info, title, versions) + "\n（planbot changes 名称 看改了什么；planbot restore 名称 [版本] 恢复）"
