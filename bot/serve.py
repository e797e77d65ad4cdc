"""`planbot serve`: run the Telegram bot by long polling, or by webhook when configured."""

from __future__ import annotations

import logging
import secrets
import sys
from urllib.parse import urlsplit

from .settings import Settings, SettingsError

log = logging.getLogger("planbot.serve")


class RedactFilter(logging.Filter):
    """Replaces secrets anywhere in a record: message, arguments and traceback text.

    Put on the handlers (not on a logger) so that records propagated from every library
    logger pass through it.
    """

    def __init__(self, *secrets_: str):
        super().__init__()
        # The part after "123:" is the secret; redacting it alone also catches "123%3A…".
        parts = {s for s in secrets_ if s} | {s.partition(":")[2] for s in secrets_ if ":" in s}
        self.secrets = sorted((p for p in parts if len(p) >= 6), key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<redacted>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def configure_logging(*secrets_: str, level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    redact = RedactFilter(*secrets_)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)


def serve(settings: Settings) -> int:
    """Run until SIGINT/SIGTERM. Returns the process exit code."""
    from telegram import Update
    from telegram.error import InvalidToken, NetworkError

    from planbot.index.errors import PlanBotError

    from .telegram.app import build_application

    try:
        token = settings.require_token()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    secret = settings.planbot_webhook_secret.get_secret_value() if settings.planbot_webhook_secret else None
    configure_logging(token, *(s for s in [secret] if s))
    application = build_application(settings)
    try:
        if settings.planbot_webhook_url:
            run_webhook(application, settings, secret)
        else:
            log.info("starting long polling")
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        # PTB's own message would quote the token.
        print("Telegram 拒绝了 TELEGRAM_BOT_TOKEN：令牌无效或已被撤销，请向 BotFather 重新获取。",
              file=sys.stderr)
        return 2
    except PlanBotError as exc:
        print(exc, file=sys.stderr)
        return 1
    except NetworkError as exc:
        print(f"连不上 Telegram Bot API：{RedactFilter(token).redact(str(exc))}", file=sys.stderr)
        return 1
    return 0


def run_webhook(application, settings: Settings, secret: str | None) -> None:
    from telegram import Update

    # Without a configured secret, a fresh one per start still lets us reject forged posts:
    # setWebhook is called again on every start.
    secret = secret or secrets.token_urlsafe(32)
    path = urlsplit(settings.planbot_webhook_url).path.strip("/")
    log.info("starting webhook on %s:%s/%s", settings.listen_host, settings.listen_port, path)
    application.run_webhook(
        listen=settings.listen_host, port=settings.listen_port, url_path=path,
        webhook_url=settings.planbot_webhook_url, secret_token=secret,
        allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    try:
        _settings = Settings.load()
    except SettingsError as _exc:
        print(_exc, file=sys.stderr)
        raise SystemExit(2) from None
    raise SystemExit(serve(_settings))
