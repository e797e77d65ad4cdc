"""Callback data for inline buttons: short, versioned strings, parsed strictly.

Telegram gives callback_data at most 64 bytes and hands it back verbatim, so anything a
client sends is untrusted: `decode` returns None for whatever it does not recognise and
the handler answers that with a short notice. Larger state (the question behind a
"more" button, a parsed plan waiting for confirmation) lives in chat_data under a short
random token; a token that is gone (restart, already used) is a stale button.
"""

from __future__ import annotations

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


TOKEN_RE = r"[A-Za-z0-9_-]{4,16}"
# One pattern per kind: the arguments after "1:<kind>:".
# ASCII digits only: \d would also accept full-width and other Unicode digits.
_ARGS = {
    Kind.full: re.compile(r"([0-9]{1,12})"),
    Kind.more: re.compile(rf"({TOKEN_RE}):([0-9]{{1,4}})"),
    Kind.add: re.compile(rf"({TOKEN_RE})"),
    Kind.remove: re.compile(rf"({TOKEN_RE})"),
    Kind.cancel: re.compile(rf"({TOKEN_RE})"),
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
        return int(self.args[1])


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
