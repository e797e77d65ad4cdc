"""PlanBot's settings for the edges (CLI and Telegram bot), read from the environment and `.env`.

The token is optional here because `planbot ask` and friends never need it; `serve` asks
for it through `Config.require_token()`, which explains what is wrong without ever
echoing the token itself.

The one model of the settings is `Config`. The bot reads it through `Settings` (settings.py:
pydantic-settings); a command-line command reads it with `Config.load()`, the same variables
by the same rules (tests/bot/test_settings.py compares the two on every field) without
importing pydantic-settings, whose import (with asyncio) was ~10% of the CPU of a question
asked at the command line.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

ENV_FILE, ENV_FILE_ENCODING = ".env", "utf-8"
TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
# Telegram's rule for setWebhook's secret_token.
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
FLOOD_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*s?\s*$")


class SettingsError(ValueError):
    """A setting is missing or wrong; the message names the variable and the fix."""


def default_db_path() -> Path:
    """Per-user data folder, following XDG so a container can point it at a volume."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "planbot" / "planbot.db"


class Config(BaseModel):
    """Every setting, once: field names are the environment variables' names (matched
    case-insensitively), read from the environment, else from `.env` (ENV_FILE). `Settings`
    (settings.py) reads them with pydantic-settings, for the bot; `Config.load()` reads the
    same names the same way without it, for the command line (see `_read`)."""

    # defaults are validated too (as BaseSettings does); other variables and other keys in
    # .env are ignored
    model_config = ConfigDict(extra="ignore", validate_default=True)

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None
    telegram_file_base_url: str | None = None
    planbot_db: Path | None = None
    planbot_admins: frozenset[int] = frozenset()
    # None: any group may use the bot; a set: only these groups (private chats always may).
    planbot_allowed_chats: frozenset[int] | None = None
    planbot_tz: str = "Asia/Shanghai"
    planbot_webhook_url: str | None = None
    planbot_webhook_secret: SecretStr | None = None
    planbot_listen: str = "0.0.0.0:8443"
    planbot_max_question: int = Field(default=500, ge=10)
    # Questions, commands, uploads and button presses alike: a burst of 8 covers pressing
    # 全文 on each of three answers and 更多, at 0.4 a second after that.
    planbot_flood: str = Field(default="8/20", description="requests/seconds per user; 0/1 turns it off")
    # Keys the deep links' signatures; unset, a key derived from the token (a new token then
    # retires the old links, which say so).
    planbot_link_secret: SecretStr | None = None

    # -- validation ------------------------------------------------------------------
    @field_validator("planbot_admins", mode="before")
    @classmethod
    def _split_admins(cls, value):
        return _id_set(value, "PLANBOT_ADMINS 应是以逗号或空格分隔的 Telegram 用户数字 id")

    @field_validator("planbot_allowed_chats", mode="before")
    @classmethod
    def _split_chats(cls, value):
        if isinstance(value, str) and not value.strip():
            return None  # PLANBOT_ALLOWED_CHATS= (empty) means not set
        return _id_set(value, "PLANBOT_ALLOWED_CHATS 应是以逗号或空格分隔的群数字 id（如 -1001234567890）")

    @field_validator("planbot_tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"PLANBOT_TZ 不是已知时区：{value!r}（例如 Asia/Shanghai）") from None
        return value

    @field_validator("planbot_listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, sep, port = value.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"PLANBOT_LISTEN 应为 host:port，例如 0.0.0.0:8443，而不是 {value!r}")
        return value

    @field_validator("planbot_flood")
    @classmethod
    def _flood_rate(cls, value: str) -> str:
        match = FLOOD_RE.match(value)
        if not match or float(match.group(2)) <= 0:
            raise ValueError(f"PLANBOT_FLOOD 应为“次数/秒数”，例如 5/10，而不是 {value!r}")
        return value

    @field_validator("planbot_webhook_secret")
    @classmethod
    def _secret_chars(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not SECRET_RE.match(value.get_secret_value()):
            raise ValueError("PLANBOT_WEBHOOK_SECRET 只能含字母、数字、_ 和 -，长度 1–256")
        return value

    # -- derived values ----------------------------------------------------------------
    @property
    def db_path(self) -> Path:
        return Path(self.planbot_db).expanduser() if self.planbot_db else default_db_path()

    @property
    def admins(self) -> frozenset[int]:
        return self.planbot_admins

    @property
    def allowed_chats(self) -> frozenset[int] | None:
        return self.planbot_allowed_chats

    @property
    def link_key(self) -> bytes:
        """The key that signs deep links: a hash of PLANBOT_LINK_SECRET, else of the token
        (hashed with a label, so the token itself keys nothing but Telegram)."""
        secret = self.planbot_link_secret.get_secret_value() if self.planbot_link_secret else None
        source = secret or self.require_token()
        return hashlib.sha256(b"planbot deep links\0" + source.encode()).digest()

    @property
    def max_question(self) -> int:
        return self.planbot_max_question

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.planbot_tz)

    @property
    def listen_host(self) -> str:
        return self.planbot_listen.rpartition(":")[0].strip("[]")

    @property
    def listen_port(self) -> int:
        return int(self.planbot_listen.rpartition(":")[2])

    @property
    def flood_rate(self) -> tuple[int, float]:
        """(questions, seconds); 0 questions turns flood control off."""
        match = FLOOD_RE.match(self.planbot_flood)
        assert match  # validated above
        return int(match.group(1)), float(match.group(2))

    def require_token(self) -> str:
        """The bot token, or a SettingsError that says what to do (never the token)."""
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value().strip():
            raise SettingsError(
                "未设置 TELEGRAM_BOT_TOKEN：请把 BotFather 给的令牌写进环境变量或 .env 文件"
                "（形如 123456789:AAE…）。")
        if not TOKEN_RE.match(self.telegram_bot_token.get_secret_value().strip()):
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN 格式不对：应为 BotFather 给的“数字:字母数字”形式"
                "（形如 123456789:AAE…），请检查是否多了引号或空格。")
        return self.telegram_bot_token.get_secret_value().strip()

    @classmethod
    def load(cls, **overrides) -> "Config":
        """The settings, with pydantic's error turned into one readable SettingsError."""
        try:
            return cls._read(**overrides)
        except ValidationError as exc:
            lines = [_describe(err) for err in exc.errors()]
            raise SettingsError("设置有误：\n" + "\n".join(lines)) from None

    @classmethod
    def _read(cls, **overrides) -> "Config":
        """What pydantic-settings' sources give `Settings` for these fields: keyword arguments,
        else the environment, else `.env` (python-dotenv's reading, as pydantic-settings calls
        it); names matched case-insensitively, values as written (none is decoded as JSON:
        `Settings` turns decoding off); a name in .env without a value is not set."""
        found = {**_lower(_env_file()), **_lower(os.environ)}
        values = {name: found[name] for name in cls.model_fields if found.get(name) is not None}
        return cls.model_validate({**values, **overrides})


def _env_file() -> dict[str, str | None]:
    """`.env` in the current folder, when it is a file (python-dotenv is imported only then)."""
    if not os.path.isfile(ENV_FILE):
        return {}
    from dotenv import dotenv_values

    return dotenv_values(ENV_FILE, encoding=ENV_FILE_ENCODING)


def _lower(variables) -> dict[str, Any]:
    return {name.lower(): value for name, value in variables.items()}


def _id_set(value, message: str):
    """Ids written "11, 22 33" (commas, spaces, semicolons) as a set; non-strings are pydantic's."""
    if isinstance(value, str):
        parts = [p for p in re.split(r"[\s,;，；]+", value) if p]
        if not all(re.fullmatch(r"-?\d+", p) for p in parts):
            raise ValueError(message)
        return frozenset(int(p) for p in parts)
    return value


def _describe(err) -> str:
    # Never print the offending input: it might be the token.
    where = ".".join(str(p) for p in err.get("loc", ())).upper() or "?"
    message = str(err.get("msg", "")).removeprefix("Value error, ")
    return f"  {where}: {message}"
