"""A question about a plan as a whole: 乡村振兴方案有几项任务 / 一共多少条 / 分几个部分.

Answered from the counts the engine keeps per plan (PlanInfo) and the plan's top-level parts,
which are cited so that each is one tap away. The plan is the one the question names (by the
characters of its title), the one chosen, or the only one; with several and none named, each
plan's count is listed.
"""

from __future__ import annotations

from ..lazy_re import lazy
from ..models import Answer, Citation, PlanInfo
from .intent import unit_asked

# How many: 有几项任务, 一共多少条, 总共几个事项; which parts: 分几个部分, 有哪几部分, 包括哪些板块,
# and as a phone says it: 一共几部分, 分几块, 总共有几大块 (a count of 块 needs 几 or 多少 before it).
_OVERVIEW = lazy(r"(?:有|共|一共|总共|总计|包括|包含)(?:几|多少)(?:个|项|条)?(?:任务|工作|事项|条目|项|条)"
                 r"|(?:分|分为|分成|有|包括|包含|共|一共|总共)(?:有|分|分为|分成)?(?:几|多少|哪几|哪些)(?:个|大)?"
                 r"(?:部分|板块|大项)"
                 r"|(?:分|分为|分成|有|共|一共|总共)(?:有|分|分为|分成)?(?:几|多少)(?:个|大)?块")
# Which plans there are: 有哪些计划, 收录了几份方案, 都有什么文件.
_PLAN_LIST = lazy(r"(?:有|收录了?|都有|存了|上传了?)(?:哪些|什么|几份|几个|多少份?)(?:计划|方案|文件|要点|清单)")
_DUE = lazy(r"到期|截止|逾期|过期|超期|完成时限|时限")


def asks_overview(question: str) -> bool:
    """Whether the question asks how many items or parts a plan has (not what is due), or
    which plans there are."""
    return (bool(_OVERVIEW.search(question) or asks_plan_list(question)) and not _DUE.search(question)
            and not unit_asked(question))  # 组织部有多少任务: that unit's task list


def asks_plan_list(question: str) -> bool:
    return bool(_PLAN_LIST.search(question))


def answer(question: str, info: PlanInfo, parts: list[Citation]) -> Answer:
    """《title》共 N 项 …, 分 M 部分: its parts, each cited."""
    text = (f"《{info.title}》共 {info.items} 项（写明责任单位的 {info.with_owners} 项，"
            f"写明完成时限的 {info.with_deadlines} 项）")
    if parts:
        text += f"，分 {len(parts)} 部分：" + "；".join(f"{c.label}{c.title}" for c in parts)
    return Answer(question=question, kind="overview", found=True, text=text + "。", citations=parts)


def listing(question: str, plans: list[PlanInfo]) -> Answer:
    """No plan named among several: each one's count, and how to ask about one."""
    if not plans:
        return Answer(question=question, kind="overview", found=False, text="还没有收录任何计划。")
    lines = "；".join(f"《{p.title}》{p.items} 项" for p in plans)
    return Answer(question=question, kind="overview", found=True,
                  text=f"共 {len(plans)} 份计划：{lines}。问某一份的组成，请带上计划名称。")
