"""Callback data for inline buttons: short, versioned strings, parsed strictly.

Telegram gives callback_data at most 64 bytes and hands it back verbatim, so anything a
client sends is untrusted: `decode` returns None for whatever it does not recognise and
the handler answers that with a short notice. A list that can be asked again from its
button alone (a span of deadlines, the plans) carries its arguments and is never stale. Larger state (the question behind a
"more" button, a parsed plan waiting for confirmation) lives in chat_data under a short
random token; a token that is gone (restart, already used) is a stale button.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

MAX_BYTES = 64
VERSION = "1"


class Kind(StrEnum):
    full = "f"      # 全文: item id
    more = "m"      # 更多: token of the stored question, offset
    add = "a"       # confirm adding an uploaded plan: token
    remove = "r"    # confirm removing a plan: token
    cancel = "x"    # drop a pending add/remove: token
    due = "d"       # deadlines in a span, one page: start and end (YYYYMMDD), offset
    plans = "p"     # the plans this chat sees, one page: offset


TOKEN_RE = r"[A-Za-z0-9_-]{4,16}"
# One pattern per kind: the arguments after "1:<kind>:".
# ASCII digits only: \d would also accept full-width and other Unicode digits.
_ARGS = {
    Kind.full: re.compile(r"([0-9]{1,12})"),
    Kind.more: re.compile(rf"({TOKEN_RE}):([0-9]{{1,4}})"),
    Kind.add: re.compile(rf"({TOKEN_RE})"),
    Kind.remove: re.compile(rf"({TOKEN_RE})"),
    Kind.cancel: re.compile(rf"({TOKEN_RE})"),
    Kind.due: re.compile(r"([0-9]{8}):([0-9]{8}):([0-9]{1,5})"),
    Kind.plans: re.compile(r"([0-9]{1,5})"),
}


@dataclass(frozen=True)
class Action:
    kind: Kind
    args: tuple[str, ...]

    @property
    def number(self) -> int:
        """The item id of a `full` action."""
        return int(self.args[0])

    @property
    def token(self) -> str:
        return self.args[0]

    @property
    def offset(self) -> int:
        """Where the page of a `more`, `due` or `plans` action starts."""
        return int(self.args[-1])

    @property
    def span(self) -> tuple[dt.date, dt.date] | None:
        """The (start, end) of a `due` action; None when its dates are no dates."""
        try:
            start, end = (dt.datetime.strptime(a, "%Y%m%d").date() for a in self.args[:2])
        except ValueError:
            return None
        return (start, end) if start <= end else None


def due_data(start: dt.date, end: dt.date, offset: int = 0) -> str:
    """The button that lists what is due from `start` to `end`, from `offset` on."""
    return encode(Kind.due, f"{start:%Y%m%d}", f"{end:%Y%m%d}", offset)


def encode(kind: Kind, *args: object) -> str:
    data = ":".join([VERSION, kind.value, *map(str, args)])
    # Fail loudly here rather than as BUTTON_DATA_INVALID from Telegram.
    if len(data.encode()) > MAX_BYTES or decode(data) is None:
        raise ValueError(f"bad callback data {data!r}")
    return data


def decode(data: str | None) -> Action | None:
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    version, _, rest = data.partition(":")
    code, _, args = rest.partition(":")
    if version != VERSION or code not in Kind._value2member_map_:
        return None
    kind = Kind(code)
    match = _ARGS[kind].fullmatch(args)
    return Action(kind, match.groups()) if match else None


def new_token() -> str:
    """A short random key for state kept in chat_data (8 URL-safe characters)."""
    return secrets.token_urlsafe(6)
