"""Chinese tokens for BM25: jieba in search mode, a plan-built user dictionary, stopwords.

A private `jieba.Tokenizer` rather than the module-level default: words added for one
set of plans must not leak into other users of jieba in the same process, and its
cache goes where we say, not only to /tmp.

Search mode (`cut_for_search`) yields both a compound and its parts (教育培训 →
教育, 培训, 教育培训), so a question worded "干部培训" still meets "干部教育培训".

jieba's prefix dictionary (350k words) takes ~0.55 s to load, more than everything else a
one-shot `planbot ask` does. Segmenting a text only ever looks up words that start with one
of its own characters, so the dictionary is kept in a cache file split by first character
(`_Parts`) and loaded a character at a time, as texts need them: a question loads a few
dozen, indexing a plan most. The tokens are exactly those of the whole dictionary
(tests/index/search/test_tokenize.py).
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import math
import mmap
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from ..lazy_re import lazy

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

_PUNCT_OR_SPACE = lazy(r"^[\W_]+$", re.UNICODE)
_QUOTED = lazy(r"[“\"「『《]([^”\"」』》\n]{2,12})[”\"」』》]")


# Indexing normalizes each text of an item twice, for its grams while parsing and for its words
# when tokenizing a little later: remembered, the second time is free.
@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Full-width letters/digits to half-width, lower case: the same key for both sides."""
    if not unicodedata.is_normalized("NFKC", text):
        text = _nfkc(text)
    return text.lower()


# NFKC's slow path costs ~12 µs on a line of plan text, almost always for its full-width
# punctuation alone. Each of these replaced by its own NFKC form leaves a text of the same
# compatibility class, hence the same NFKC (the form is unique per class): when that text is
# already normalized (is_normalized answers in ~0.5 µs), it is the NFKC of the original.
_FULL_WIDTH = tuple((c, unicodedata.normalize("NFKC", c)) for c in "，（）：；！？")


def _nfkc(text: str) -> str:
    swapped = text
    for full, half in _FULL_WIDTH:
        swapped = swapped.replace(full, half)
    return swapped if unicodedata.is_normalized("NFKC", swapped) else unicodedata.normalize("NFKC", text)


def _kept(token: str) -> str:
    """A token as search counts it: stripped, or "" for a question word, punctuation, space."""
    token = token.strip()
    return "" if not token or token in QUESTION_WORDS or _PUNCT_OR_SPACE.match(token) else token


def quoted_terms(text: str) -> list[str]:
    """Terms a plan puts in quotes (“三会一课”, “一岗双责”): whole words for jieba."""
    return [m.group(1).strip() for m in _QUOTED.finditer(text) if m.group(1).strip()]


class Tokenizer:
    """Text → search tokens. Construct once per process; jieba's dictionary loads lazily."""

    def __init__(self, words: Iterable[str] = (), cache_dir: str | Path | None = None,
                 whole_dictionary: bool = False, compiled: bool = False):
        """`compiled`: cut with rjieba when it is installed (see `_Compiled`), for indexing
        many plans; jieba otherwise, and always for questions (its dictionary loads lazily)."""
        jieba = _jieba()  # imported here: it costs ~0.1 s and the CLI's `plans` needs none of it
        logging.getLogger("jieba").setLevel(logging.WARNING)
        jieba.setLogLevel(logging.WARNING)
        fast = _Compiled.make() if compiled else None
        self._jieba = fast if fast is not None else jieba.Tokenizer()
        if cache_dir is not None:
            Path(cache_dir).mkdir(parents=True, exist_ok=True)
            self._jieba.tmp_dir = str(cache_dir)
        self._cache_dir = Path(cache_dir) if cache_dir is not None else Path(tempfile.gettempdir())
        self._parts: _Parts | None = None
        # Characters whose words are loaded; None: all are. Whole: for tokenizing many plans,
        # where loading character by character would cost more than loading everything.
        self._chars: set[str] | None = set() if fast is None else None
        self._whole = whole_dictionary
        self._added: set[str] = set()
        self._kept: dict[str, str] = {}
        # User words added before their first character's words were loaded (`_add_suggested`):
        # loading that character must not overwrite their frequencies with the dictionary's.
        self._early: dict[str, list[tuple[str, int]]] = {}
        self._last: tuple[str, list[str]] = ("", [])  # the last text cut, and its reading (`_reading`)
        self._add_first(list(words))

    @property
    def compiled(self) -> bool:
        """Whether rjieba cuts (see `_Compiled`)."""
        return isinstance(self._jieba, _Compiled)

    def add_words(self, words: Iterable[str]) -> None:
        for word in self._new_words(words):
            self._need(word)  # add_word changes entries of word[0]: they must be there first
            self._jieba.add_word(word, freq=None)
            self._last = ("", [])

    def _new_words(self, words: Iterable[str]) -> list[str]:
        """The words add_words adds, normalized, in order: those of 2-20 characters not added yet."""
        new = []
        for word in dict.fromkeys(words):  # every plan's words: the same units again and again
            word = normalize(word.strip())
            if 2 <= len(word) <= 20 and word not in self._added:
                self._added.add(word)
                new.append(word)
        return new

    def _add_first(self, words: list[str]) -> None:
        """The words a tokenizer starts with (a database's: every plan's). jieba suggests each
        one's frequency by cutting it, so adding them loads the words of every character they
        hold (~70 words: ~160 characters, most of a one-shot question's dictionary time). The
        frequencies only depend on the dictionary and the words in order, so the lazy
        dictionary keeps the last list's in a cache file and, given the same list, adds them
        with those frequencies and loads only the characters the texts cut need."""
        if self._chars is None or self._whole or not words:
            self.add_words(words)
            return
        self._need("")  # opens the split dictionary (or loads it whole, and _chars becomes None)
        new = self._new_words(words)
        freqs = _suggested(self._cache_dir, new) if self._chars is not None else None
        if freqs is None:
            for word in new:
                self._need(word)
                self._jieba.add_word(word, freq=None)
            if self._chars is not None:
                _remember_suggested(self._cache_dir, new, [self._jieba.FREQ[w] for w in new])
            return
        for word, freq in zip(new, freqs):
            if word[0] not in self._chars:
                self._early.setdefault(word[0], []).append((word, freq))
            self._jieba.add_word(word, freq=freq)

    def __call__(self, text: str) -> list[str]:
        text = normalize(text)
        self._need(text)
        # What each distinct token becomes ("" when dropped), remembered: indexing cuts
        # millions of tokens from a vocabulary of thousands, so after the few new ones are
        # looked at, the tokens are mapped and filtered in C.
        kept, tokens = self._kept, self._for_search(text)
        for token in [t for t in tokens if t not in kept]:
            kept[token] = _kept(token)
        return list(filter(None, map(kept.__getitem__, tokens)))

    def cut(self, text: str) -> list[str]:
        """The words of `text` as one reading of it (jieba's precise mode), nothing dropped
        but spaces: for telling a question's topic words from its fillers."""
        text = normalize(text)
        self._need(text)
        return [w for w in self._reading(text) if w.strip()]

    def _reading(self, text: str) -> list[str]:
        """jieba's precise-mode cut of `text` (normalized, its words loaded), kept for the last
        text: a question's topic is cut for its words (`cut`) and then for its search tokens
        (`__call__`), which jieba makes from the very same reading. Words added since change
        the reading, so adding any forgets it."""
        last = self._last  # one read: another thread may replace it meanwhile
        if last[0] != text:
            last = self._last = (text, list(self._jieba.cut(text)))
        return last[1]

    def _for_search(self, text: str) -> list[str]:
        """jieba's search mode (`cut_for_search`, whose loop this is) on the kept reading of
        `text`; rjieba's own where it cuts."""
        if self.compiled:
            return self._jieba.cut_for_search(text)
        freq, out = self._jieba.FREQ, []
        for w in self._reading(text):
            if len(w) > 2:
                out.extend(g for g in (w[i:i + 2] for i in range(len(w) - 1)) if freq.get(g))
            if len(w) > 3:
                out.extend(g for g in (w[i:i + 3] for i in range(len(w) - 2)) if freq.get(g))
            out.append(w)
        return out

    def rarity(self, word: str) -> float | None:
        """How rare `word` is in general Chinese: ln(total / frequency) in jieba's dictionary
        (钱 8, 老师 9, 骑手 14, 猪瘟 15); None for a word the dictionary does not hold."""
        word = normalize(word)
        self._need(word[:1])  # its first character's entries hold it (each other one loaded: ~0.1 ms)
        freq = self._jieba.FREQ.get(word, 0)
        return math.log(self._jieba.total / freq) if freq > 0 and self._jieba.total else None

    def with_prefix(self, text: str, prefix: str) -> tuple[list[str], list[str]]:
        """(tokens of `text`, tokens of `prefix`), cutting the prefix once when `text` starts
        with it: an item's title is usually its first clause. jieba cuts a text block by
        block (runs of CJK/letters/digits between punctuation and spaces), so where the
        prefix ends between two blocks, text = prefix + rest cuts into the same tokens."""
        norm_text, norm_prefix = normalize(text), normalize(prefix)
        cut = len(norm_prefix)
        if not norm_prefix or not norm_text.startswith(norm_prefix) or not _between_blocks(norm_text, cut):
            return self(text), self(prefix)
        head = self(norm_prefix)
        return head + self(norm_text[cut:]), head

    def _need(self, text: str) -> None:
        """Load the dictionary words that start with any character of `text`."""
        if self._chars is None:
            return
        if self._parts is None:
            self._parts = None if self._whole else _Parts.open(self._cache_dir)
            if self._parts is None:  # the whole dictionary (and the split cache, if missing)
                self._jieba.initialize()
                if self._whole and _parts_path(self._cache_dir).exists():
                    self._chars = None
                    return
                _Parts.write(self._cache_dir, self._jieba.FREQ, self._jieba.total)
                self._chars = None
                return
            self._jieba.FREQ, self._jieba.total = {}, self._parts.total
            self._jieba.initialized = True
        new = set(text) - self._chars
        if new:
            for ch in new:
                # Nothing starting with `ch` is in FREQ yet (see add_words) but the words
                # `_add_first` added with their frequencies (and their prefixes, which the
                # dictionary's entries correct), so this is the whole dictionary's state for `ch`.
                self._jieba.FREQ.update(self._parts.words(ch))
                self._jieba.FREQ.update(self._early.pop(ch, ()))
            self._chars |= new


class _Compiled:
    """rjieba, a binding of jieba-rs: jieba's dictionary and algorithm (prefix DAG, HMM for
    unknown words, search mode, user words with jieba's suggested frequency) compiled, about
    5× faster on plan text. It gives the very tokens jieba gives (tests/index/search/
    test_tokenize.py checks every item of the sample and corpus plans), so plans indexed with
    it answer questions cut by jieba. Its dictionary loads whole (~0.1 s), so questions keep
    jieba's lazy one."""

    def __init__(self, engine) -> None:
        self._engine = engine

    @classmethod
    def make(cls) -> "_Compiled | None":
        engine = _rjieba_class()
        return cls(engine()) if engine is not None else None

    def add_word(self, word: str, freq: int | None = None) -> None:
        self._engine.add_word(word, freq, None)

    def cut_for_search(self, text: str) -> list[str]:
        return self._engine.cut_for_search(text, True)

    def cut(self, text: str) -> list[str]:
        return self._engine.cut(text, True)


def _rjieba_class():
    """rjieba's Jieba class, or None when it is not installed (jieba is the design's tokenizer,
    rjieba only a faster one). Its package, on import, builds a module-level instance we never
    use (a second dictionary: ~0.15 s and ~55 MB), so the compiled module is loaded on its own
    when it can be; else the package is imported as usual."""
    import importlib.machinery
    import importlib.util
    import sys

    try:
        if "rjieba" in sys.modules:
            return sys.modules["rjieba"].Jieba
        spec = importlib.util.find_spec("rjieba")
        if spec is None:
            return None
        folder = Path(next(iter(spec.submodule_search_locations or [])))
        binary = next(p for p in folder.iterdir() if p.name.startswith("rjieba.") and p.suffix in (".so", ".pyd"))
        loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", str(binary))
        module = importlib.util.module_from_spec(importlib.util.spec_from_loader("rjieba.rjieba", loader))
        loader.exec_module(module)
        return module.Jieba
    except (ImportError, OSError, StopIteration, AttributeError):
        try:
            import rjieba
        except ImportError:
            return None
        return rjieba.Jieba


def _jieba():
    """The jieba module. Its first import tries pkg_resources (setuptools' resource API, about
    a third of a one-shot question's start-up) only to open its own data files, and opens them
    by path when that import fails; so pkg_resources is hidden for the moment of that import
    unless something imported it already."""
    import sys

    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    hide = "pkg_resources" not in sys.modules
    if hide:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes its import fail
    try:
        import jieba
    finally:
        if hide and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


def _suggested_path(folder: Path) -> Path:
    return folder / _parts_path(folder).name.replace("jieba-parts.", "jieba-words.")


def _words_key(words: list[str]) -> bytes:
    return hashlib.sha1("\n".join(words).encode()).digest()


def _suggested(folder: Path, words: list[str]) -> list[int] | None:
    """The frequencies jieba suggested for exactly `words`, in order, if they are cached."""
    try:
        key, freqs = marshal.loads(_suggested_path(folder).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return freqs if key == _words_key(words) and len(freqs) == len(words) else None


def _remember_suggested(folder: Path, words: list[str], freqs: list[int]) -> None:
    path = _suggested_path(folder)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(marshal.dumps((_words_key(words), freqs)))
        os.replace(tmp, path)  # atomic: another process may read or write it meanwhile
    except OSError:
        logging.getLogger(__name__).warning("could not write the dictionary cache %s", path)


def _between_blocks(text: str, at: int) -> bool:
    """Whether jieba's block split of `text` has a boundary at `at`."""
    if at >= len(text):
        return True
    block = _jieba().re_han_default
    if text[at - 1:at + 1] == "\r\n":  # one whitespace token to jieba
        return False
    return not (block.match(text[at - 1]) and block.match(text[at]))


class _Parts:
    """jieba's prefix dictionary in one file, split by first character.

    Layout: a magic line, the header's length (8 bytes), the header — marshal of
    (total, {character: (offset, length)}) — then one marshal'd {word: frequency} per
    character. The name carries a digest of jieba's version and dictionary file, so an
    upgraded jieba gets a new one."""

    MAGIC = b"planbot-jieba-parts-1\n"

    def __init__(self, body: memoryview, total: int, index: dict[str, tuple[int, int]]):
        self._body = body
        self.total = total
        self._index = index

    def words(self, ch: str) -> dict[str, int]:
        where = self._index.get(ch)
        return marshal.loads(self._body[where[0]:where[0] + where[1]]) if where else {}

    @classmethod
    def open(cls, folder: Path) -> "_Parts | None":
        try:
            # Mapped, not read: a question needs the words of a few characters out of 10 MB.
            with _parts_path(folder).open("rb") as f:
                data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            if data[:len(cls.MAGIC)] != cls.MAGIC:
                return None
            start = len(cls.MAGIC)
            size = int.from_bytes(data[start:start + 8], "little")
            total, index = marshal.loads(data[start + 8:start + 8 + size])
        except (OSError, EOFError, ValueError, TypeError):
            return None
        return cls(memoryview(data)[start + 8 + size:], total, index)

    @classmethod
    def write(cls, folder: Path, freq: dict[str, int], total: int) -> None:
        by_char: dict[str, dict[str, int]] = {}
        for word, n in freq.items():
            by_char.setdefault(word[0], {})[word] = n
        body, index, offset = [], {}, 0
        for ch, words in by_char.items():
            blob = marshal.dumps(words)
            index[ch] = (offset, len(blob))
            body.append(blob)
            offset += len(blob)
        header = marshal.dumps((total, index))
        path = _parts_path(folder)
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(fd, "wb") as f:
                f.write(cls.MAGIC + len(header).to_bytes(8, "little") + header)
                for blob in body:
                    f.write(blob)
            os.replace(tmp, path)  # atomic: a second process may be writing the same file
        except OSError:
            logging.getLogger(__name__).warning("could not write the dictionary cache %s", path)


def _parts_path(folder: Path) -> Path:
    jieba = _jieba()
    dictionary = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    stat = dictionary.stat()
    key = f"{jieba.__version__}:{dictionary}:{stat.st_size}:{stat.st_mtime_ns}"
    return folder / f"jieba-parts.{hashlib.sha1(key.encode()).hexdigest()[:12]}.cache"


# The "X长制" systems of county work (河长制, 湖长制, 林长制, 田长制, 链长制): jieba knows none of
# them and cuts a pair 对河长制湖长制 as 对河 / 长制 / 湖长制, so that 河长制 asked never meets it.
_CHIEF_SYSTEM = lazy(r"[\u4e00-\u9fff]长制")


def plan_words(items) -> list[str]:
    """Words the tokenizer must keep whole for a plan: its quoted terms, unit names and the
    X长制 systems it names."""
    words: dict[str, None] = {}
    for item in items:
        for w in quoted_terms(item.text):
            words[w] = None
        for m in _CHIEF_SYSTEM.finditer(item.text):
            words[m.group()] = None
        for o in item.owners:
            words[o.unit] = None
    return list(words)
