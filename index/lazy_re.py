"""Regular expressions compiled when first used, not when their module is imported.

A one-shot `planbot ask` imports every module that answers a question but reaches only the
patterns of the kind it asks: compiling the rest at import (CJK alternations cost 1–6 ms
each in `re`'s Python compiler) was a tenth of its run.
"""

from __future__ import annotations

import re


class Lazy:
    """A `re.Pattern` stand-in that compiles `pattern` on its first search, match, sub …;
    `pattern` and `flags` are read without compiling. Each method is looked up once and kept
    on the instance, so later calls cost what a compiled pattern's do (ingest calls some of
    these a million times)."""

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern, self.flags, self._compiled = pattern, flags, None

    def __getattr__(self, name: str):  # only for what the instance does not hold yet
        if name.startswith("__"):
            raise AttributeError(name)
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        found = getattr(self._compiled, name)
        setattr(self, name, found)
        return found


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile`, deferred to the pattern's first use."""
    return Lazy(pattern, flags)  # type: ignore[return-value]  # used only as a Pattern
