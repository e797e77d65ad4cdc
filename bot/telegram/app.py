"""Building the python-telegram-bot Application for PlanBot: the one function that makes it,
the wiring of every handler, and opening the engine in post_init.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from planbot.index.engine import Engine

from ..settings import Settings
from . import callbacks, commands, deadlines, errors, gate, inline, plans, questions
from .access import ADDRESSED, TokenBucket
from .callbacks import Kind
from .context import CONTEXT_TYPES, RUNTIME_KEY, Context, Runtime, runtime_of

log = logging.getLogger(__name__)


# Sends that fail on the way (timeout, 5xx, a dropped connection) are tried this often in
# all, waiting RETRY_DELAYS between attempts. 429s are AIORateLimiter's: it waits Telegram's
# retry_after and tries again, up to RATE_RETRIES more times.
SEND_ATTEMPTS = 3
RETRY_DELAYS = (0.5, 2.0)
RATE_RETRIES = 2


class MessageRateLimiter(AIORateLimiter):
    """AIORateLimiter for the calls that post or edit messages, and only those, with a
    bounded retry of those calls after transient network failures.

    Telegram's limits (about 1 message a second per chat, 20 a minute per group) count
    messages; PTB's limiter counts every call that names a chat, so each 'typing' action and
    each admin look-up would use up a group's 20 a minute and delay the answers themselves.

    Retrying here covers every answer, notice, digest and edit in one place, and each attempt
    queues for the rate limit again. A timed-out send may in fact have reached Telegram, so a
    retry can now and then post an answer twice: better than a question left unanswered.
    Errors Telegram gave a verdict on (BadRequest, Forbidden, InvalidToken) are not retried;
    what still fails after the last attempt goes to the error handler, which logs it.
    """

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        if endpoint == "sendChatAction" or not endpoint.startswith(("send", "edit", "copy", "forward")):
            return await callback(*args, **kwargs)
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data,
                                                     rate_limit_args)
            except NetworkError as exc:  # TimedOut, 5xx, dropped connections …
                if isinstance(exc, BadRequest) or attempt == SEND_ATTEMPTS:
                    raise  # … but BadRequest is a NetworkError too, and final
                delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]
                log.warning("%s failed (%s: %s); attempt %d of %d, retrying in %.1fs",
                            endpoint, type(exc).__name__, exc, attempt, SEND_ATTEMPTS, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")


def build_application(settings: Settings, engine=None) -> Application:
    """The bot, ready for run_polling/run_webhook.

    Without `engine` the database at `settings.db_path` is opened in post_init and closed in
    post_shutdown; an engine passed in (tests, embedding) belongs to the caller and is left
    open. Raises SettingsError when the token is missing or malformed.
    """
    builder = (
        Application.builder()
        .token(settings.require_token())
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.zone,
                           link_preview_options=LinkPreviewOptions(is_disabled=True)))
        # Keeps us under the group/global limits; retries 429s and transient failures of sends.
        .rate_limiter(MessageRateLimiter(max_retries=RATE_RETRIES))
        .context_types(CONTEXT_TYPES)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
    if settings.telegram_file_base_url:
        builder = builder.base_file_url(settings.telegram_file_base_url)
    application = builder.build()
    application.bot_data[RUNTIME_KEY] = Runtime(
        settings=settings, engine=engine, owns_engine=engine is None,
        flood=TokenBucket(*settings.flood_rate))
    register(application)
    return application


def register(application: Application) -> None:
    new = filters.UpdateType.MESSAGE  # edits of old messages are not asked again
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    gate.install(application)  # who may use the bot, and how often: before every handler
    commands.register(application)
    text = filters.TEXT & ~filters.COMMAND & new
    application.add_handler(MessageHandler(text & (private | (groups & ADDRESSED)), questions.on_text))
    application.add_handler(MessageHandler(filters.Document.ALL & new & (private | groups), plans.on_document))
    application.add_handler(MessageHandler(filters.COMMAND & private & new, commands.on_unknown_command))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(InlineQueryHandler(inline.on_inline))
    application.add_error_handler(errors.on_error)


BUTTONS = {Kind.full: questions.press_full, Kind.more: questions.press_more, Kind.add: plans.press_confirm,
           Kind.remove: plans.press_confirm, Kind.cancel: plans.press_cancel,
           Kind.due: deadlines.press_due, Kind.plans: plans.press_plans}


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    action = callbacks.decode(query.data)
    if action is None or query.message is None or not query.message.is_accessible:
        await query.answer(questions.STALE)
        return
    await BUTTONS[action.kind](update, context, action)


async def _post_init(application: Application) -> None:
    runtime = runtime_of(application)
    if runtime.engine is None:
        runtime.settings.db_path.parent.mkdir(parents=True, exist_ok=True)
        runtime.engine = Engine.open(runtime.settings.db_path)
        # The first question and the first plan added load tokenizers (about a second): do it
        # before anyone waits.
        await asyncio.to_thread(runtime.engine.warm)
    if not runtime.engine.plans():
        log.warning("the database %s holds no plans yet: run `planbot index PATH` or send the bot "
                    "a plan file", runtime.settings.db_path)
    await commands.set_menu(application)
    await deadlines.setup_jobs(application)


async def _post_shutdown(application: Application) -> None:
    runtime = runtime_of(application)
    if runtime.owns_engine and runtime.engine is not None:
        runtime.engine.close()
        runtime.engine = None
