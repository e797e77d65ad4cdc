"""What is on the page but not in the plan: boilerplate, cover notices, sign-offs, a TOC.

Works on stripped, non-empty lines and returns the plan's title and its body lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import cn
from .numbering import match_number

# Reposting notices that sample sites put on the first line.
_BOILERPLATE = re.compile(r"原创投稿|仅供学习|仅供参考|请勿照搬|请勿抄袭|转载请注明|来源[:：]|免责声明|版权归")
# 发文字号: 国办发〔2018〕128号, 县委办〔2021〕3号, also with [] or 【】.
_DOC_NUMBER = re.compile(r"^[^\s，。；]{1,16}[〔\[【（(]\s*\d{4}\s*[〕\]】）)]\s*\d{1,4}\s*号$")
_DATE_LINE = re.compile(
    rf"^(\d{{4}}|[{cn.YEAR_DIGITS}]{{4}})\s*年\s*[\d{cn.SMALL}]{{1,3}}\s*月"
    rf"\s*[\d{cn.SMALL}]{{1,3}}\s*日$"
)
_PUBLISH_NOTE = re.compile(r"^[（(]此件[^）)]*[）)]$")
_CC_LINE = re.compile(r"^(抄送|抄报|印发|主题词)[:：]|^.{0,30}(办公室|办公厅)\s*\d{4}年\d{1,2}月\d{1,2}日\s*印发$")
# An issuing body signing off; the name may be the suffix alone (国务院).
_ORG_LINE = re.compile(
    r"^[^，。；：:,]{0,24}(办公厅|办公室|人民政府|国务院|委员会|党委|党组|党工委|部|局|厅|委|办|政府|支部|总支)$"
)
_ADDRESSEES = re.compile(r"^[^。]{2,80}[:：]$")
# A first line that ends a sentence or leads into what follows (任务分工如下：) is no title: the
# file's name says more.
_LEAD_IN = re.compile(r"[：:。；;]$")
_SENTENCE_MARK = re.compile(r"[，。；：,;:！？]")
# How a plan's title ends: the kind of document it is (…工作要点, …实施方案, …任务清单 …).
_TITLE_KIND = re.compile(r"(?:方案|计划|要点|清单|意见|通知|办法|规划|细则|安排|分工|分解|一览表|台账|预案|规定|决定|纲要|"
                         r"措施|任务表|责任表|工作表|举措|目标|重点)[）)]?$")


@dataclass
class Cleaned:
    title: str
    lines: list[str]
    notice_date: str | None = None
    doc_number: str | None = None  # 国发〔2019〕3号: its year is the plan's when nothing else says
    dropped: list[str] = field(default_factory=list)


def strip_lines(text: str) -> list[str]:
    """Lines with surrounding (also full-width) spaces removed; blank lines dropped."""
    return [s for line in text.split("\n") if (s := line.strip(" \t\u3000\u00a0\ufeff\u200b"))]


def clean(lines: list[str], fallback_title: str) -> Cleaned:
    dropped: list[str] = []
    lines = [ln for ln in lines if not _boilerplate(ln, dropped)]
    lines = _drop_signoff(lines, dropped)
    lines = _drop_toc(lines, dropped)
    number = next((ln for ln in lines[:8] if _DOC_NUMBER.match(ln)), None)
    title, body, date = _split_title(lines, fallback_title, dropped)
    return Cleaned(title=title, lines=body, notice_date=date, doc_number=number, dropped=dropped)


def _boilerplate(line: str, dropped: list[str]) -> bool:
    if len(line) <= 60 and _BOILERPLATE.search(line):
        dropped.append(line)
        return True
    return False


def _split_title(lines: list[str], fallback: str, dropped: list[str]) -> tuple[str, list[str], str | None]:
    if not lines:
        return fallback, [], None
    k = next((i for i, ln in enumerate(lines[:8]) if _DOC_NUMBER.match(ln)), None)
    if k is None:
        if match_number(lines[0]) is None and len(lines[0]) <= 60 and not _LEAD_IN.search(lines[0]):
            t = _named_title(lines)
            dropped.extend(lines[:t])
            return lines[t].strip("　 "), lines[t + 1:], None
        return fallback, lines, None
    return _split_notice(lines, k, dropped)


def _named_title(lines: list[str]) -> int:
    """Which of the first lines is the title: the first, unless it names no kind of document
    and one of the next three does before any numbered line — a page header or a marking above
    the title (内部资料 / 机密 / XX县人民政府文件 over 2024年工作要点) is not the plan's name."""
    if _TITLE_KIND.search(lines[0]):
        return 0
    for i, line in enumerate(lines[1:4], 1):
        if match_number(line) is not None or len(line) > 60:
            break
        if _TITLE_KIND.search(line) and not _SENTENCE_MARK.search(line):  # not 为做好…，制定如下方案
            return i
    return 0


def _split_notice(lines: list[str], k: int, dropped: list[str]) -> tuple[str, list[str], str | None]:
    """A published document: notice title lines, 发文字号, 主送 line, then the text.

    An 印发 notice (关于印发…的通知) wraps the plan: skip its short body and sign-off,
    and the plan's own title follows. Otherwise the notice itself is the plan.
    """
    notice_title = "".join(ln.replace(" ", "").replace("\u3000", "") for ln in lines[:k])
    dropped.extend(lines[: k + 1])
    i = k + 1
    if i < len(lines) and _ADDRESSEES.match(lines[i]) and ("、" in lines[i] or "各" in lines[i]):
        dropped.append(lines[i])
        i += 1
    date = None
    if "印发" in notice_title:
        end = next((j for j in range(i, min(i + 12, len(lines))) if _DATE_LINE.match(lines[j])), None)
        if end is not None:
            date = lines[end]
            end += 1
            if end < len(lines) and _PUBLISH_NOTE.match(lines[end]):
                end += 1
            dropped.extend(lines[i:end])
            if end < len(lines) and match_number(lines[end]) is None:
                return lines[end], lines[end + 1:], date
            return _notice_plan_title(notice_title), lines[end:], date
    return notice_title or lines[0], lines[i:], date


def _notice_plan_title(notice_title: str) -> str:
    m = re.search(r"印发(.+?)的(通知|函)$", notice_title)
    return m.group(1).strip("《》“”") if m else notice_title


def _drop_signoff(lines: list[str], dropped: list[str]) -> list[str]:
    """Sign-off at the end: issuing body, date, （此件公开发布）, 抄送 lines."""
    end = len(lines)
    while end > 0:
        line = lines[end - 1]
        if _PUBLISH_NOTE.match(line) or _CC_LINE.match(line):
            end -= 1
        elif _DATE_LINE.match(line):
            end -= 1
            while (end > 0 and len(lines[end - 1]) >= 2 and _ORG_LINE.match(lines[end - 1])
                   and match_number(lines[end - 1]) is None):
                end -= 1
        else:
            break
    dropped.extend(lines[end:])
    return lines[:end]


def _drop_toc(lines: list[str], dropped: list[str]) -> list[str]:
    """A table of contents repeats the headings: drop it up to the first heading's return."""
    for i, line in enumerate(lines[:80]):
        if _squash(line) == "目录":
            if i + 1 >= len(lines):
                return lines
            first = _squash(lines[i + 1])
            for j in range(i + 2, len(lines)):
                if _squash(lines[j]) == first:
                    dropped.extend(lines[i:j])
                    return lines[:i] + lines[j:]
            dropped.append(line)
            return lines[:i] + lines[i + 1:]
    return lines


def _squash(line: str) -> str:
    return re.sub(r"[\s\u3000]+", "", line)
