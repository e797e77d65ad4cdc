"""A hang detector for tests of pathological input (not a speed target: those live in bench/).

A regex that backtracks catastrophically or a quadratic loop takes minutes on the
200k-character inputs these tests feed; any sane implementation takes well under a
second. HANG_SECONDS sits far above the second and far below the minutes, so the test
fails for a hang and never for a slow machine.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

HANG_SECONDS = 60


class Hang(AssertionError):
    pass


@contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    def fail(signum, frame):
        raise Hang(f"still running after {seconds} s: a hang, not slowness")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
