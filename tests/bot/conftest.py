"""A local stand-in for the Telegram Bot API, and a driver that feeds it realistic updates.

The bot under test is the real `Application` with python-telegram-bot's real HTTPX request
path; only the server at the other end is ours: an `http.server` in a thread on
127.0.0.1 that answers the Bot API methods the bot uses, records every call, and refuses
what Telegram refuses (bad HTML, texts over 4096, callback_data over 64 bytes).
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import itertools
import json
import re
import shutil
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from .tg_html import check_html, utf16

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:TEST-token_abc"
BOT = {"id": 123456, "is_bot": True, "first_name": "要点通", "username": "planbot_test_bot",
       "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": True}
ALICE = {"id": 1001, "is_bot": False, "first_name": "Alice", "username": "alice", "language_code": "zh-hans"}
BOB = {"id": 1002, "is_bot": False, "first_name": "Bob", "username": "bob_b"}
ADMIN = {"id": 4242, "is_bot": False, "first_name": "Root"}  # in PLANBOT_ADMINS
GROUP = {"id": -1000001, "type": "group", "title": "组织部工作群"}

class ApiError(Exception):
    def __init__(self, description: str, code: int = 400):
        super().__init__(description)
        self.description, self.code = description, code


# -- the stand-in server ----------------------------------------------------------------------
@dataclass
class Fault:
    """A failure the stand-in plays instead of answering one request.

    kind: "slow"  — hold the request `delay` seconds, then close without an answer (with a
                    client read timeout below `delay`, PTB raises TimedOut);
          "429"   — Too Many Requests with parameters.retry_after (PTB: RetryAfter);
          "5xx"   — HTTP `status` (default 502) (PTB: NetworkError);
          "drop"  — the status line, headers and half the body, then the connection closes
                    (httpx: RemoteProtocolError, PTB: NetworkError);
          "error" — HTTP `status` with `description` (403 blocked, 401 revoked token …).
    `description` may contain "{path}", the request path (which holds the token).
    """

    kind: str
    status: int = 502
    retry_after: int = 1
    delay: float = 2.0
    description: str = ""


@dataclass
class Call:
    method: str
    params: dict
    result: object = None
    error: str | None = None

    @property
    def text(self) -> str:
        return self.params.get("text", "")

    @property
    def plain(self) -> str:
        return check_html(self.text)[0] if self.params.get("parse_mode") == "HTML" else self.text

    @property
    def buttons(self) -> list[dict]:
        markup = self.params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]


@dataclass
class FakeBotAPI:
    bot: dict = field(default_factory=lambda: dict(BOT))
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    messages: dict[int, dict] = field(default_factory=dict)   # every message, by id
    chats: dict[int, dict] = field(default_factory=dict)
    members: dict[tuple[int, int], str] = field(default_factory=dict)
    left: set[int] = field(default_factory=set)   # chats the bot left (leaveChat)
    files: dict[str, bytes] = field(default_factory=dict)
    updates: list[dict] = field(default_factory=list)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    update_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    lock: threading.Condition = field(default_factory=threading.Condition)
    faults: dict[str, list[Fault]] = field(default_factory=dict)   # method → next failures
    broken: dict[str, Fault] = field(default_factory=dict)         # method → fails until healed

    # -- lifecycle
    def start(self) -> "FakeBotAPI":
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                api._serve(self)

            def do_GET(self):
                api._serve(self)

            def log_message(self, *args):  # keep pytest output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        with self.lock:
            self.lock.notify_all()
        self.server.shutdown()
        self.server.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/bot"

    @property
    def file_base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/file/bot"

    # -- test-side helpers
    def next_id(self) -> int:
        return next(self.ids)

    def since(self, n: int) -> list[Call]:
        with self.lock:
            return self.calls[n:]

    def called(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def fail(self, method: str, kind: str, times: int | None = 1, **spec) -> Fault:
        """The next `times` calls of `method` fail as `kind`; times=None: every call until
        `heal(method)`."""
        fault = Fault(kind, **spec)
        with self.lock:
            if times is None:
                self.broken[method] = fault
            else:
                self.faults.setdefault(method, []).extend([fault] * times)
        return fault

    def heal(self, method: str | None = None) -> None:
        with self.lock:
            for store in (self.faults, self.broken):
                if method is None:
                    store.clear()
                else:
                    store.pop(method, None)

    def _take_fault(self, method: str) -> Fault | None:
        with self.lock:
            if method in self.broken:
                return self.broken[method]
            queue = self.faults.get(method)
            return queue.pop(0) if queue else None

    def push_update(self, update: dict) -> None:
        with self.lock:
            update.setdefault("update_id", next(self.update_ids))
            self.updates.append(update)
            self.lock.notify_all()

    def wait_for(self, method: str, count: int = 1, timeout: float = 20) -> list[Call]:
        deadline = time.monotonic() + timeout
        with self.lock:
            while len([c for c in self.calls if c.method == method]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {count}× {method}; calls: {[c.method for c in self.calls]}")
                self.lock.wait(left)
            return [c for c in self.calls if c.method == method]

    # -- HTTP
    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(request.path).path)
        if path.startswith(f"/file/bot{self.token}/"):
            data = self.files.get(path.rsplit("/", 1)[-1].split(".")[0])
            request.send_response(200 if data is not None else 404)
            request.end_headers()
            request.wfile.write(data or b"")
            return
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return self._reply(request, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        method = path[len(prefix):]
        params = self._params(request)
        call = Call(method, params)
        fault = self._take_fault(method)
        if fault is not None:
            call.error = f"fault:{fault.kind}"
            with self.lock:
                self.calls.append(call)
                self.lock.notify_all()
            return self._play(request, fault, path)
        try:
            call.result = getattr(self, f"m_{method}", self._unknown)(params)
            body, status = {"ok": True, "result": call.result}, 200
        except ApiError as exc:
            call.error = exc.description
            body, status = {"ok": False, "error_code": exc.code, "description": exc.description}, exc.code
        if method != "getUpdates" or call.result:
            with self.lock:
                self.calls.append(call)
                self.lock.notify_all()
        self._reply(request, status, body)

    def _play(self, request, fault: Fault, path: str) -> None:
        description = fault.description.replace("{path}", path)
        if fault.kind == "slow":
            time.sleep(fault.delay)
            request.close_connection = True  # no answer at all
            return
        if fault.kind == "429":
            return self._reply(request, 429, {
                "ok": False, "error_code": 429,
                "description": description or f"Too Many Requests: retry after {fault.retry_after}",
                "parameters": {"retry_after": fault.retry_after}})
        if fault.kind in ("5xx", "error"):
            return self._reply(request, fault.status, {
                "ok": False, "error_code": fault.status,
                "description": description or "Bad Gateway"})
        if fault.kind == "drop":
            body = json.dumps({"ok": True, "result": True}).encode()
            try:
                request.send_response(200)
                request.send_header("Content-Type", "application/json")
                request.send_header("Content-Length", str(len(body)))
                request.end_headers()
                request.wfile.write(body[: len(body) // 2])
                request.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            request.close_connection = True
            return
        raise ValueError(f"unknown fault {fault.kind!r}")

    @staticmethod
    def _reply(request, status: int, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a long poll whose client shut down meanwhile

    @staticmethod
    def _params(request) -> dict:
        raw = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        ctype = request.headers.get("Content-Type", "")
        if ctype.startswith("application/json"):
            values = json.loads(raw or b"{}")
        elif ctype.startswith("multipart/form-data"):
            msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + raw)
            values = {part.get_param("name", header="content-disposition"): part.get_content()
                      for part in msg.iter_parts()}
        else:
            values = dict(urllib.parse.parse_qsl(raw.decode()))
        out = {}
        for key, value in values.items():
            try:
                out[key] = json.loads(value) if isinstance(value, str) else value
            except json.JSONDecodeError:
                out[key] = value
        return out

    # -- Bot API methods
    def _unknown(self, params):
        raise ApiError("Not Found: method not found", 404)

    def m_getMe(self, params):
        return self.bot

    def m_getUpdates(self, params):
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
        with self.lock:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and time.monotonic() < deadline:
                self.lock.wait(deadline - time.monotonic())
            return list(self.updates)

    def m_deleteWebhook(self, params):
        return True

    def m_setWebhook(self, params):
        return True

    def m_setMyCommands(self, params):
        return True

    def m_sendChatAction(self, params):
        return True

    def m_setMessageReaction(self, params):
        if int(params.get("message_id", 0)) not in self.messages:
            raise ApiError("Bad Request: message to react not found")
        return True

    def m_answerCallbackQuery(self, params):
        if len(params.get("text") or "") > 200:
            raise ApiError("Bad Request: MESSAGE_TOO_LONG")
        return True

    def m_answerInlineQuery(self, params):
        results = params.get("results") or []
        if len({r["id"] for r in results}) != len(results) or len(results) > 50:
            raise ApiError("Bad Request: RESULT_ID_DUPLICATE")
        for r in results:
            content = r.get("input_message_content") or {}
            self._check_text(content.get("message_text", ""), content.get("parse_mode"))
        return True

    def m_getChatMember(self, params):
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        self._check_present(chat_id)
        status = self.members.get((chat_id, user_id), "member")
        member = {"status": status, "user": {"id": user_id, "is_bot": False, "first_name": "U"}}
        if status == "administrator":
            member.update(can_be_edited=False, is_anonymous=False, can_manage_chat=True,
                          can_delete_messages=True, can_manage_video_chats=True,
                          can_restrict_members=True, can_promote_members=False,
                          can_change_info=True, can_invite_users=True, can_post_stories=False,
                          can_edit_stories=False, can_delete_stories=False)
        if status == "creator":
            member.update(is_anonymous=False)
        return member

    def m_leaveChat(self, params):
        chat_id = int(params["chat_id"])
        if chat_id not in self.chats:
            raise ApiError("Bad Request: chat not found")
        self._check_present(chat_id)
        self.left.add(chat_id)
        return True

    def m_getFile(self, params):
        file_id = params["file_id"]
        if file_id not in self.files:
            raise ApiError("Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": file_id + "u",
                "file_size": len(self.files[file_id]), "file_path": f"documents/{file_id}.bin"}

    def _check_present(self, chat_id: int) -> None:
        if chat_id in self.left:
            raise ApiError("Forbidden: bot is not a member of the group chat", 403)

    def m_sendMessage(self, params):
        chat_id = int(params["chat_id"])
        if chat_id not in self.chats:
            raise ApiError("Bad Request: chat not found")
        self._check_present(chat_id)
        plain = self._check_text(params.get("text", ""), params.get("parse_mode"))
        self._check_markup(params.get("reply_markup"))
        reply = params.get("reply_parameters") or {}
        message = {"message_id": self.next_id(), "date": int(time.time()), "chat": self.chats[chat_id],
                   "from": self.bot, "text": plain}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        if reply.get("message_id") in self.messages:
            message["reply_to_message"] = self.messages[reply["message_id"]]
        self.messages[message["message_id"]] = message
        return message

    def m_editMessageText(self, params):
        message = self.messages.get(int(params.get("message_id", 0)))
        if message is None:
            raise ApiError("Bad Request: message to edit not found")
        plain = self._check_text(params.get("text", ""), params.get("parse_mode"))
        self._check_markup(params.get("reply_markup"))
        message = dict(message, text=plain, edit_date=int(time.time()))
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[message["message_id"]] = message
        return message

    @staticmethod
    def _check_text(text: str, parse_mode: str | None) -> str:
        plain, problems = check_html(text) if parse_mode == "HTML" else (text, [])
        if problems:
            raise ApiError(f"Bad Request: can't parse entities: {problems[0]}")
        if not plain.strip():
            raise ApiError("Bad Request: message text is empty")
        if utf16(plain) > 4096:
            raise ApiError("Bad Request: message is too long")
        return plain

    @staticmethod
    def _check_markup(markup: dict | None) -> None:
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise ApiError("Bad Request: BUTTON_DATA_INVALID")
                if data is None and not button.get("url"):
                    raise ApiError("Bad Request: button has no action")


# -- realistic updates ---------------------------------------------------------------------------
def entities_for(text: str, bot_username: str) -> list[dict]:
    """The entities Telegram's clients attach: a leading bot_command and @mentions."""
    out = []
    def offset(i):
        return utf16(text[:i])
    if m := re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text):
        out.append({"type": "bot_command", "offset": 0, "length": utf16(m.group(0))})
    for m in re.finditer(r"(?<![\w/])@[A-Za-z][A-Za-z0-9_]{3,31}", text):
        out.append({"type": "mention", "offset": offset(m.start()), "length": utf16(m.group(0))})
    return out


@dataclass
class Driver:
    """Sends updates through `application.process_update`, returns the calls they caused."""

    app: object
    api: FakeBotAPI

    def chat(self, chat: dict | None, user: dict) -> dict:
        if chat is None:
            chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        self.api.chats[chat["id"]] = chat
        return chat

    async def feed(self, update: dict) -> list[Call]:
        from telegram import Update

        update.setdefault("update_id", next(self.api.update_ids))
        before = len(self.api.calls)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return self.api.since(before)

    def message(self, text: str | None = None, *, chat: dict | None = None, user: dict = ALICE,
                reply_to: dict | None = None, **extra) -> dict:
        chat = self.chat(chat, user)
        message = {"message_id": self.api.next_id(), "date": int(time.time()), "chat": chat,
                   "from": user, **extra}
        if text is not None:
            message["text"] = text
            entities = entities_for(text, self.api.bot["username"])
            if entities:
                message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        self.api.messages[message["message_id"]] = message
        return message

    async def send(self, text: str, **kwargs) -> list[Call]:
        return await self.feed({"message": self.message(text, **kwargs)})

    async def press(self, sent: Call, data: str, *, user: dict = ALICE) -> list[Call]:
        message = self.api.messages[sent.result["message_id"]]
        return await self.feed({"callback_query": {
            "id": str(self.api.next_id()), "from": user, "message": message,
            "chat_instance": f"ci{message['chat']['id']}", "data": data}})

    async def membership(self, chat: dict, status: str, *, user: dict = ALICE, old: str = "left") -> list[Call]:
        """The bot's own membership changed (my_chat_member): added ("member"), removed ("left",
        "kicked") by `user`."""
        self.chat(chat, user)
        if status == "member":
            self.api.left.discard(chat["id"])
        bot = {k: self.api.bot[k] for k in ("id", "is_bot", "first_name", "username")}
        return await self.feed({"my_chat_member": {
            "chat": chat, "from": user, "date": int(time.time()),
            "old_chat_member": {"status": old, "user": bot},
            "new_chat_member": {"status": status, "user": bot, **({"until_date": 0} if status == "kicked" else {})}}})

    async def inline(self, query: str, *, user: dict = ALICE) -> list[Call]:
        return await self.feed({"inline_query": {
            "id": str(self.api.next_id()), "from": user, "query": query, "offset": "",
            "chat_type": "sender"}})

    async def document(self, name: str, data: bytes, *, chat: dict | None = None, user: dict = ALICE,
                       caption: str | None = None, size: int | None = None, addressed: bool = True) -> list[Call]:
        """A file sent to a chat. In a group, `addressed` (as Telegram delivers it with privacy
        mode on) puts an @mention of the bot in the caption; False: a file shared among members."""
        file_id = f"doc{self.api.next_id()}"
        self.api.files[file_id] = data
        extra = {"document": {"file_id": file_id, "file_unique_id": file_id + "u", "file_name": name,
                              "mime_type": "text/plain", "file_size": size if size is not None else len(data)}}
        if addressed and chat is not None and chat.get("type") != "private" and caption is None:
            caption = f"@{self.api.bot['username']} 请加入这份计划"
        if caption:
            extra["caption"] = caption
            entities = entities_for(caption, self.api.bot["username"])
            if entities:
                extra["caption_entities"] = entities
        return await self.feed({"message": self.message(None, chat=chat, user=user, **extra)})


def sent_texts(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method in ("sendMessage", "editMessageText")]


# -- fixtures ---------------------------------------------------------------------------------------
@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def api():
    server = FakeBotAPI().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def bot_db(sample_db, tmp_path_factory) -> Path:
    """The suite's sample database (tests/conftest.py), copied: these tests write per-chat
    settings, and the suite's shared engine must stay untouched."""
    path = tmp_path_factory.mktemp("botdb") / "planbot.db"
    shutil.copy(sample_db, path)
    return path


@pytest.fixture(scope="session")
def shared_engine(bot_db):
    """One open engine for tests that read; per-chat settings go to each test's own chats."""
    from planbot.index.engine import Engine

    engine = Engine.open(bot_db)
    yield engine
    engine.close()


def make_settings(api: FakeBotAPI, db: Path, **overrides):
    from planbot.bot.settings import Settings

    values = dict(telegram_bot_token=TOKEN, telegram_api_base_url=api.base_url,
                  telegram_file_base_url=api.file_base_url, planbot_db=db,
                  planbot_admins=str(ADMIN["id"]), planbot_flood="100/1")
    values.update(overrides)
    return Settings(_env_file=None, **values)


async def started(settings, engine):
    """The real Application, initialized and started the way run_polling does it."""
    from planbot.bot.telegram.app import build_application

    app = build_application(settings, engine=engine)
    await app.initialize()
    await app.post_init(app)
    await app.start()
    return app


async def stopped(app) -> None:
    if app.updater.running:  # a test that started polling
        await app.updater.stop()
    await app.stop()
    await app.shutdown()
    await app.post_shutdown(app)


@contextlib.asynccontextmanager
async def running_bot(api, engine, db, **overrides):
    """A bot with its own settings (`overrides`), started and stopped around the block."""
    app = await started(make_settings(api, db, **overrides), engine)
    try:
        yield Driver(app, api)
    finally:
        await stopped(app)


@pytest.fixture
async def driver(api, shared_engine, bot_db):
    app = await started(make_settings(api, bot_db), shared_engine)
    yield Driver(app, api)
    await stopped(app)


@pytest.fixture
async def own_driver(api, fresh_engine, tmp_path):
    """A bot on a private copy of the database (tests/conftest.py), for adding/removing plans."""
    app = await started(make_settings(api, tmp_path / "planbot.db"), fresh_engine)
    yield Driver(app, api)
    await stopped(app)
