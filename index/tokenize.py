"""Chinese tokens for BM25: jieba in search mode, a plan-built user dictionary, stopwords.

A private `jieba.Tokenizer` rather than the module-level default: words added for one
set of plans must not leak into other users of jieba in the same process, and its
cache goes where we say, not only to /tmp.

Search mode (`cut_for_search`) yields both a compound and its parts (教育培训 →
教育, 培训, 教育培训), so a question worded "干部培训" still meets "干部教育培训".
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

# Question words and particles: they say what kind of answer is wanted, not what about.
QUESTION_WORDS = set(
    """谁 什么 哪些 哪个 哪项 哪条 哪 怎么 怎么样 怎样 如何 啥 咋 吗 呢 吧 啊 呀 么 嘛 哦 呗
    请问 请 一下 我 我们 你 你们 咱们 他们 是不是 有没有 多少 几 几个 哪里 哪儿 为什么
    要 会 能 能否 可以 应该 需要 都 也 还 就 又 再 这个 那个 这些 那些 这 那 该 此 其
    个 条 项 点 说 讲 说的 讲的 提到 有关 关于 方面 相关 内容 情况 具体 一共 总共 共 啥子
    的 了 是 在 有 和 与 及 以及 或 等 着 过 把 被 对 给 从 到 由 为 之 所 而 并
    负责 牵头 主管 管 归 管理者 部门 单位 责任 时候 时间 何时 啥时候 截止 时限 期限 完成 日期
    工作 任务 事项 事情 事 计划 要点 方案
    多久 多长 长时间 多长时间 多少 几次 几名 几家 几项 几天 几号 哪天 一次 怎么办 咋办 咋整 咋弄
    啥样 什么样 干啥 做啥 搞 弄 事儿 是啥 说啥 内要 要求 今年 明年 去年 今天 明天 本月 这个月
    下个月 下月 年底 月底 之前 以前 前 后 底""".split()
)
# Kept out of the stopwords on purpose: 培训, 考核, 人才 … carry the topic.

_PUNCT_OR_SPACE = re.compile(r"^[\W_]+$", re.UNICODE)
_QUOTED = re.compile(r"[“\"「『《]([^”\"」』》\n]{2,12})[”\"」』》]")


def normalize(text: str) -> str:
    """Full-width letters/digits to half-width, lower case: the same key for both sides."""
    return unicodedata.normalize("NFKC", text).lower()


def quoted_terms(text: str) -> list[str]:
    """Terms a plan puts in quotes (“三会一课”, “一岗双责”): whole words for jieba."""
    return [m.group(1).strip() for m in _QUOTED.finditer(text) if m.group(1).strip()]


class Tokenizer:
    """Text → search tokens. Construct once per process; jieba's dictionary loads lazily."""

    def __init__(self, words: Iterable[str] = (), cache_dir: str | Path | None = None):
        import jieba  # imported here: it costs ~0.1 s and the CLI's `plans` needs none of it

        logging.getLogger("jieba").setLevel(logging.WARNING)
        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        if cache_dir is not None:
            Path(cache_dir).mkdir(parents=True, exist_ok=True)
            self._jieba.tmp_dir = str(cache_dir)
        self._added: set[str] = set()
        self.add_words(words)

    def add_words(self, words: Iterable[str]) -> None:
        for word in words:
            word = normalize(word.strip())
            if 2 <= len(word) <= 20 and word not in self._added:
                self._added.add(word)
                self._jieba.add_word(word, freq=None)

    def __call__(self, text: str) -> list[str]:
        tokens = []
        for token in self._jieba.cut_for_search(normalize(text)):
            token = token.strip()
            if not token or token in QUESTION_WORDS or _PUNCT_OR_SPACE.match(token):
                continue
            tokens.append(token)
        return tokens
