"""The settings as the Telegram bot reads them: `Config` (config.py, the one model of the
settings) read by pydantic-settings, whose sources the bot's tests and deployments rely on."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from .config import ENV_FILE, ENV_FILE_ENCODING, Config, SettingsError, default_db_path  # noqa: F401 - the API


class Settings(BaseSettings, Config):
    """`Config` from the environment and `.env`. The id lists (PLANBOT_ADMINS,
    PLANBOT_ALLOWED_CHATS) go to their validators as written, never decoded as JSON."""

    model_config = SettingsConfigDict(env_file=ENV_FILE, env_file_encoding=ENV_FILE_ENCODING,
                                      enable_decoding=False)

    @classmethod
    def _read(cls, **overrides) -> "Settings":
        return cls(**overrides)
