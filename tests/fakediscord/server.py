"""A Discord-compatible server on 127.0.0.1 for end-to-end tests of the real discord.py client.

It speaks the REST routes and gateway ops a bot uses (see /work/shared/notes/discord-protocol.md),
records every request, enforces Discord's documented message limits, and lets a test inject
gateway events (messages, slash commands, autocomplete, button clicks) and REST faults.
Ids are strings in JSON payloads, as on Discord; the id attributes (`guild_id`, `bot_id`, ...)
are ints, as in discord.py. Every public method that takes an id accepts either.

Why one file of ~1,300 lines: it is one fake service whose REST routes, gateway sessions and
recorded state are read together when a test fails; split up, each part would need the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import json
import math
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    import discord

JSON = dict[str, Any]
Id = int | str
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
FormErrors = list[tuple[str, str, str]]  # (field path, Discord error code, message)
T = TypeVar("T")
ClientT = TypeVar("ClientT", bound="discord.Client")

API_PREFIX = "/api/v10"
DISCORD_EPOCH_MS = 1_420_070_400_000

GUILD_MEMBERS = 1 << 1
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15

ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
# Add reactions, view channel, send, embed links, attach files, read history, external emoji,
# change nickname, use application commands.
BASIC_PERMISSIONS = sum(1 << bit for bit in (6, 10, 11, 14, 15, 16, 18, 26, 31))
ALL_PERMISSIONS = (1 << 51) - 1

EPHEMERAL = 1 << 6
LOADING = 1 << 7

# Response types each interaction type accepts: 2 command, 3 component, 4 autocomplete, 5 modal.
ALLOWED_RESPONSES = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}
USER_MENTION = re.compile(r"<@!?(\d+)>")


def shard_of(guild_id: Id, shard_count: int) -> int:
    """The shard Discord routes a guild's events to."""
    return (int(guild_id) >> 22) % shard_count


def _too_long(path: str, limit: int) -> tuple[str, str, str]:
    return path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length."


def _bad_count(path: str, low: int, high: int) -> tuple[str, str, str]:
    return path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length."


def message_errors(body: JSON) -> FormErrors:
    """Breaches of Discord's documented limits on a message body."""
    errors: FormErrors = []
    if len(body.get("content") or "") > 2000:
        errors.append(_too_long("content", 2000))
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        errors.append(_bad_count("embeds", 0, 10))
    total = 0
    for index, embed in enumerate(embeds):
        for path, text, limit in _embed_texts(embed):
            total += len(text)
            if len(text) > limit:
                errors.append(_too_long(f"embeds.{index}.{path}", limit))
        if len(embed.get("fields") or []) > 25:
            errors.append(_bad_count(f"embeds.{index}.fields", 0, 25))
    if total > 6000:
        errors.append(
            ("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
        )
    return errors


def _embed_texts(embed: JSON) -> list[tuple[str, str, int]]:
    texts = [
        ("title", embed.get("title"), 256),
        ("description", embed.get("description"), 4096),
        ("footer.text", (embed.get("footer") or {}).get("text"), 2048),
        ("author.name", (embed.get("author") or {}).get("name"), 256),
    ]
    for index, embed_field in enumerate(embed.get("fields") or []):
        texts.append((f"fields.{index}.name", embed_field.get("name"), 256))
        texts.append((f"fields.{index}.value", embed_field.get("value"), 1024))
    return [(path, str(text), limit) for path, text, limit in texts if text is not None]


def choice_errors(data: JSON) -> FormErrors:
    """Breaches of the limits on an autocomplete answer."""
    choices = data.get("choices") or []
    errors = [_bad_count("choices", 0, 25)] if len(choices) > 25 else []
    for index, choice in enumerate(choices):
        for key in ("name", "value"):
            if isinstance(choice.get(key), str) and not 1 <= len(choice[key]) <= 100:
                errors.append(_bad_count(f"choices.{index}.{key}", 1, 100))
    return errors


def _form_error_body(errors: FormErrors, prefix: str = "") -> JSON:
    tree: JSON = {}
    for path, code, message in errors:
        node = tree
        for part in filter(None, [*prefix.split("."), *path.split(".")]):
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": code, "message": message})
    return {"code": 50035, "message": "Invalid Form Body", "errors": tree}


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # Exactly "application/json": discord.py parses nothing else as JSON, and aiohttp's
    # json_response would add "; charset=utf-8".
    headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(status=status, body=json.dumps(data).encode(), headers=headers)


def _error(status: int, code: int, message: str) -> web.Response:
    return _json({"message": message, "code": code}, status)


def _rate_limited(bucket: str, retry_after: float) -> web.Response:
    headers = {
        "Via": "1.1 google",  # discord.py retries a 429 only with it; without, it assumes a ban.
        "Retry-After": str(math.ceil(retry_after)),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{retry_after:.3f}",
        "X-RateLimit-Bucket": f"fake-{bucket}",
        "X-RateLimit-Scope": "user",
    }
    body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
    return _json(body, 429, headers)


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _partial_member(member: JSON) -> JSON:
    return {key: value for key, value in member.items() if key != "user"}


def _find_component(components: Iterable[JSON], custom_id: str) -> JSON | None:
    for component in components:
        if component.get("custom_id") == custom_id:
            return component
        children = [*component.get("components", []), *filter(None, [component.get("accessory")])]
        if found := _find_component(children, custom_id):
            return found
    return None


async def _read_body(request: web.Request) -> tuple[Any, list[JSON]]:
    """The JSON body, or a multipart request's payload_json, and any uploaded files."""
    if request.content_type != "multipart/form-data":
        raw = await request.read()
        return (json.loads(raw) if raw else None), []
    form = await request.post()
    files = [
        {"field": name, "filename": value.filename, "size": len(value.file.read())}
        for name, value in form.items()
        if isinstance(value, web.FileField)
    ]
    payload = form.get("payload_json")
    return (json.loads(payload) if isinstance(payload, str | bytes | bytearray) else None), files


@dataclass
class RecordedRequest:
    """One REST request as the server saw and answered it; `path` is below /api/v10."""

    method: str
    path: str
    query: dict[str, str]
    body: Any  # parsed JSON, or a multipart request's payload_json
    time: float
    kind: str  # the route, e.g. "create_message"; "unknown" for routes the server lacks
    files: list[JSON] = field(default_factory=list)
    status: int = 0
    response: Any = None


RECORD = web.RequestKey("record", RecordedRequest)


@dataclass
class GatewayFrame:
    """One payload a client sent over the gateway."""

    op: int
    d: Any
    session_id: str | None
    shard_id: int | None
    time: float


@dataclass
class LimitViolation:
    kind: str
    path: str
    field: str
    message: str


@dataclass
class GatewaySession:
    """A gateway session; it outlives its connection so that the client can RESUME it."""

    session_id: str
    shard_id: int
    shard_count: int
    intents: int
    events: list[JSON] = field(default_factory=list)
    connection: _Connection | None = field(default=None, repr=False)

    def has(self, intent: int) -> bool:
        return bool(self.intents & intent)

    def dispatch(self, event: str, data: JSON) -> None:
        payload = {"op": 0, "t": event, "s": len(self.events) + 1, "d": data}
        self.events.append(payload)
        if self.connection is not None:
            self.connection.send(payload)


class _Connection:
    """A gateway websocket; frames go through a queue so they leave in dispatch order."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.session: GatewaySession | None = None
        self.closed_by_server = False
        self._outbox: asyncio.Queue[JSON] = asyncio.Queue()
        self._writer = asyncio.create_task(self._write())

    def send(self, payload: JSON) -> None:
        self._outbox.put_nowait(payload)

    async def _write(self) -> None:
        while not self.ws.closed:
            payload = await self._outbox.get()
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self.ws.send_str(json.dumps(payload))

    async def close(self, code: int) -> None:
        self.closed_by_server = True
        self.stop()
        await self.ws.close(code=code)

    def stop(self) -> None:
        self._writer.cancel()


class _Log(Generic[T]):
    """An append-only list that tasks can wait on without polling."""

    def __init__(self) -> None:
        self.items: list[T] = []
        self._changed = asyncio.Condition()

    async def add(self, item: T) -> None:
        async with self._changed:
            self.items.append(item)
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[T], bool], timeout: float) -> T:
        def first() -> T | None:
            return next((item for item in self.items if predicate(item)), None)

        try:
            async with self._changed:
                return await asyncio.wait_for(self._changed.wait_for(first), timeout)
        except TimeoutError:
            latest = "\n  ".join(map(repr, self.items[-15:]))
            raise TimeoutError(f"nothing matched within {timeout}s; latest:\n  {latest}") from None


@dataclass
class _Guild:
    id: str
    name: str
    owner_id: str
    roles: dict[str, JSON] = field(default_factory=dict)
    channels: dict[str, JSON] = field(default_factory=dict)
    members: dict[str, JSON] = field(default_factory=dict)


@dataclass
class _Interaction:
    payload: JSON
    created: float
    response_type: int | None = None
    original_id: str | None = None
    message_ids: list[str] = field(default_factory=list)


@dataclass
class _Fault:
    matches: Callable[[RecordedRequest], bool]
    status: int
    retry_after: float
    remaining: int
    body: JSON | None


class FakeDiscord:
    """Discord's REST API and gateway on a free port of 127.0.0.1.

    It starts with one guild ("Test Guild", `guild_id`) holding one text channel (`channel_id`),
    the bot, an owner with an Administrator + Manage Server role (`admin_id`) and a member with
    @everyone's basic permissions (`member_id`).
    """

    def __init__(
        self,
        *,
        shard_count: int = 1,
        heartbeat_interval: int = 41_250,
        token: str = "fake-bot-token",
        interaction_deadline: float = 3.0,
    ) -> None:
        self.shard_count = shard_count
        self.heartbeat_interval = heartbeat_interval
        self.token = token
        self.interaction_deadline = interaction_deadline
        self.limit_violations: list[LimitViolation] = []
        self.sessions: dict[str, GatewaySession] = {}
        self._requests: _Log[RecordedRequest] = _Log()
        self._frames: _Log[GatewayFrame] = _Log()
        self._last_id = 0
        self._users: dict[str, JSON] = {}
        self._guilds: dict[str, _Guild] = {}
        self._channel_guild: dict[str, str] = {}
        self._dm_channels: dict[str, JSON] = {}  # by recipient id
        self._messages: dict[str, JSON] = {}
        self._sent_ids: list[str] = []
        self._interactions: dict[str, _Interaction] = {}
        self._commands: dict[str | None, list[JSON]] = {}
        self._faults: list[_Fault] = []
        self._uploads: dict[str, tuple[JSON, bytes]] = {}  # attachments users sent, by id
        self._connections: set[_Connection] = set()
        self._runner: web.AppRunner | None = None
        self._port = 0
        self.bot_user = self._create_user(None, "FakeBot", bot=True)
        self.bot_id = self.application_id = int(self.bot_user["id"])
        self.admin_id = int(self._create_user(None, "admin")["id"])
        self.member_id = int(self._create_user(None, "member")["id"])
        guild = self._create_guild(None, "Test Guild", str(self.admin_id))
        self.guild_id = int(guild.id)
        self.channel_id = int(self._create_channel(guild, None, "general")["id"])
        admin_role = self._create_role(guild, None, "Admin", ADMINISTRATOR | MANAGE_GUILD)
        guild.members[str(self.admin_id)]["roles"].append(admin_role["id"])
        self._create_member(guild, str(self.member_id), [])

    # Lifecycle

    async def start(self) -> None:
        self._runner = web.AppRunner(self._build_app(), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = self._runner.addresses[0][1]

    async def close(self) -> None:
        for connection in list(self._connections):
            await connection.close(1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self._port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self._port}/gateway"

    @contextlib.asynccontextmanager
    async def run_client(self, client: ClientT, timeout: float = 10.0) -> AsyncIterator[ClientT]:
        """Log `client` in (setup_hook runs), connect it, wait for on_ready; close it at the end."""
        await asyncio.wait_for(client.login(self.token), timeout)
        connect = asyncio.create_task(client.connect())
        ready = asyncio.create_task(client.wait_until_ready())
        try:
            await asyncio.wait(
                {connect, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if connect.done():
                connect.result()
            if not ready.done():
                raise TimeoutError(f"client not ready within {timeout}s")
            yield client
        finally:
            ready.cancel()
            await client.close()
            await asyncio.wait({connect}, timeout=timeout)
            connect.cancel()
        if not connect.cancelled():
            connect.result()  # the test passed: surface an error the client hit meanwhile

    # Observation

    @property
    def requests(self) -> list[RecordedRequest]:
        return self._requests.items

    @property
    def gateway_frames(self) -> list[GatewayFrame]:
        return self._frames.items

    async def wait_for_request(
        self, predicate: Callable[[RecordedRequest], bool], timeout: float = 5.0
    ) -> RecordedRequest:
        """The first request, already answered or still to come, that matches `predicate`."""
        return await self._requests.wait_for(predicate, timeout)

    async def wait_for_gateway(
        self, predicate: Callable[[GatewayFrame], bool], timeout: float = 5.0
    ) -> GatewayFrame:
        """The first gateway payload from a client, already received or to come, that matches."""
        return await self._frames.wait_for(predicate, timeout)

    async def wait_for_callback(self, interaction: JSON, timeout: float = 5.0) -> RecordedRequest:
        """The accepted initial response to an interaction this server created."""
        path = f"/interactions/{interaction['id']}/{interaction['token']}/callback"
        return await self.wait_for_request(lambda r: r.path == path and r.status < 300, timeout)

    def sent_messages(self, channel_id: Id | None = None) -> list[JSON]:
        """Messages the bot created (channel messages, interaction responses, followups) as they
        stand now, oldest first; a deferred response appears once its content has arrived."""
        messages = [self._messages[i] for i in self._sent_ids if i in self._messages]
        wanted = str(channel_id) if channel_id else None
        return [
            message
            for message in messages
            if not message["flags"] & LOADING and wanted in (None, message["channel_id"])
        ]

    def commands(self, guild_id: Id | None = None) -> list[JSON]:
        """The application commands the bot synced, globally or to one guild."""
        return self._commands.get(str(guild_id) if guild_id else None, [])

    # Fault injection

    def fail_next(
        self,
        route: str | Callable[[RecordedRequest], bool],
        status: int = 429,
        retry_after: float = 0.05,
        count: int = 1,
        body: JSON | None = None,
    ) -> None:
        """Answer the next `count` requests to `route` (a kind such as "create_message", or a
        predicate on RecordedRequest) with `status` instead of serving them."""
        matches = route if callable(route) else (lambda r: r.kind == route)
        self._faults.append(_Fault(matches, status, retry_after, count, body))

    # Server state; each call also tells connected clients, as Discord would.

    async def add_user(self, user_id: Id | None = None, username: str = "user") -> JSON:
        return self._create_user(user_id, username)

    async def add_guild(
        self, guild_id: Id | None = None, name: str = "Guild", owner_id: Id | None = None
    ) -> JSON:
        """A guild with an @everyone role and the bot as a member; returns its GUILD_CREATE."""
        guild = self._create_guild(guild_id, name, str(owner_id or self.admin_id))
        for session in self._sessions_for(guild.id):
            session.dispatch("GUILD_CREATE", self._guild_payload(guild, session))
        return self._guild_payload(guild)

    async def add_channel(
        self, guild_id: Id, channel_id: Id | None = None, name: str = "chat"
    ) -> JSON:
        channel = self._create_channel(self._guild(guild_id), channel_id, name)
        self._dispatch_guild_event(str(guild_id), "CHANNEL_CREATE", channel)
        return channel

    async def add_role(
        self, guild_id: Id, role_id: Id | None = None, name: str = "role", permissions: int = 0
    ) -> JSON:
        role = self._create_role(self._guild(guild_id), role_id, name, permissions)
        event = {"guild_id": str(guild_id), "role": role}
        self._dispatch_guild_event(str(guild_id), "GUILD_ROLE_CREATE", event)
        return role

    async def add_member(
        self, guild_id: Id, user: Id | JSON, permissions: int = 0, roles: Iterable[Id] = ()
    ) -> JSON:
        """Make a user (created if new) a member. Permissions beyond @everyone's come with a
        role of their own, as a server admin would set them up."""
        guild = self._guild(guild_id)
        user_id = str(user["id"] if isinstance(user, dict) else user)
        if user_id not in self._users:
            self._create_user(user_id, f"user{user_id[-4:]}")
        role_ids = [str(role) for role in roles]
        if permissions & ~int(guild.roles[guild.id]["permissions"]):
            role_ids.append(self._create_role(guild, None, f"perms-{user_id}", permissions)["id"])
        member = self._create_member(guild, user_id, role_ids)
        event = {**member, "guild_id": guild.id}
        self._dispatch_guild_event(guild.id, "GUILD_MEMBER_ADD", event, intent=GUILD_MEMBERS)
        return member

    def add_attachment(
        self,
        filename: str,
        data: bytes,
        *,
        size: int | None = None,
        url: str | None = None,
        content_type: str = "application/octet-stream",
    ) -> JSON:
        """A file a user uploads, served at its `url` on this server as Discord's CDN serves it.
        `size` is what the metadata claims (the real length unless given); `url` replaces the
        served address, e.g. with another host's."""
        attachment_id = self._snowflake()
        served = f"http://127.0.0.1:{self._port}/attachments/{attachment_id}/{filename}"
        attachment = {"id": attachment_id, "filename": filename, "content_type": content_type}
        attachment |= {"size": len(data) if size is None else size}
        attachment |= {"url": url or served, "proxy_url": url or served, "ephemeral": True}
        self._uploads[attachment_id] = (attachment, data)
        return attachment

    # Users acting

    async def send_message(
        self,
        channel_id: Id | None = None,
        author_id: Id | None = None,
        content: str = "",
        mention_bot: bool = False,
        guild_id: Id | None = None,
    ) -> JSON:
        """A user posts in a guild channel; returns the full message (before the content rule)."""
        channel_id = str(channel_id or self.channel_id)
        guild_id = str(guild_id or self._channel_guild[channel_id])
        if mention_bot:
            content = f"<@{self.bot_id}> {content}"
        author = self._users[str(author_id or self.member_id)]
        mentions = self._mentions(content, guild_id)
        message = self._message(channel_id, author, content, guild_id=guild_id, mentions=mentions)
        self._dispatch_message("MESSAGE_CREATE", message)
        return message

    async def send_dm(self, author_id: Id | None, content: str) -> JSON:
        """A user writes to the bot in a DM; discord.py makes the DM channel from the message."""
        author = self._users[str(author_id or self.member_id)]
        channel = self._dm_channel(author["id"])
        message = self._message(channel["id"], author, content, mentions=self._mentions(content))
        self._dispatch_message("MESSAGE_CREATE", message)
        return message

    async def send_slash(
        self,
        name: str,
        options: JSON | None = None,
        user_id: Id | None = None,
        guild_id: Id | None = None,
        channel_id: Id | None = None,
    ) -> JSON:
        """A user runs a synced slash command ("name" or "group sub"); returns the interaction.
        Option types come from the synced definition; user, channel, role and attachment options
        take ids (an attachment's from add_attachment)."""
        data = self._command_data(name, options or {}, None, guild_id)
        return self._create_interaction(2, data, user_id, guild_id, channel_id)

    async def send_autocomplete(
        self,
        name: str,
        options: JSON,
        focused: str,
        user_id: Id | None = None,
        guild_id: Id | None = None,
        channel_id: Id | None = None,
    ) -> JSON:
        """A user types into option `focused`; the bot should answer with callback type 8."""
        data = self._command_data(name, options, focused, guild_id)
        return self._create_interaction(4, data, user_id, guild_id, channel_id)

    async def click_button(
        self, message: JSON | Id, custom_id: str, user_id: Id | None = None
    ) -> JSON:
        """A user clicks a button on a guild message the bot posted; returns the interaction."""
        stored = self._messages[str(message["id"] if isinstance(message, dict) else message)]
        component = _find_component(stored.get("components") or [], custom_id)
        if component is None or component.get("type") != 2:
            raise ValueError(f"message {stored['id']} has no button {custom_id!r}")
        data = {"custom_id": custom_id, "component_type": 2}
        guild_id, channel_id = stored["guild_id"], stored["channel_id"]
        return self._create_interaction(3, data, user_id, guild_id, channel_id, message=stored)

    # Gateway faults

    async def disconnect(self, shard_id: int = 0, code: int = 4000) -> list[str]:
        """Drop a shard's live connections as a network failure would. The sessions stay
        resumable and keep collecting events for the RESUME replay."""
        sessions = self._live_sessions(shard_id)
        for session in sessions:
            connection, session.connection = session.connection, None
            assert connection is not None
            await connection.close(code)
        return [session.session_id for session in sessions]

    async def invalidate_session(self, shard_id: int = 0) -> list[str]:
        """Send a non-resumable INVALID_SESSION and forget the sessions: the client IDENTIFYs
        again, after its before_identify_hook (which sleeps 5 s unless overridden)."""
        sessions = self._live_sessions(shard_id)
        for session in sessions:
            assert session.connection is not None
            session.connection.send({"op": 9, "d": False})
            session.connection = None
            del self.sessions[session.session_id]
        return [session.session_id for session in sessions]

    # State

    def _snowflake(self, wanted: Id | None = None) -> str:
        if wanted is not None:
            return str(wanted)
        self._last_id = max((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22, self._last_id + 1)
        return str(self._last_id)

    def _create_user(self, user_id: Id | None, username: str, *, bot: bool = False) -> JSON:
        user = {"id": self._snowflake(user_id), "username": username, "discriminator": "0"}
        user |= {"global_name": None, "avatar": None, "bot": bot}
        self._users[user["id"]] = user
        return user

    def _create_guild(self, guild_id: Id | None, name: str, owner_id: str) -> _Guild:
        guild = _Guild(self._snowflake(guild_id), name, owner_id)
        self._guilds[guild.id] = guild
        guild.roles[guild.id] = self._role(guild.id, "@everyone", BASIC_PERMISSIONS, 0)
        bot_role = self._create_role(guild, None, "FakeBot", BASIC_PERMISSIONS)
        self._create_member(guild, self.bot_user["id"], [bot_role["id"]])
        if owner_id not in guild.members:
            self._create_member(guild, owner_id, [])
        return guild

    def _create_channel(self, guild: _Guild, channel_id: Id | None, name: str) -> JSON:
        channel = {"id": self._snowflake(channel_id), "type": 0, "guild_id": guild.id, "name": name}
        channel |= {"position": len(guild.channels), "parent_id": None, "topic": None}
        channel |= {"nsfw": False, "permission_overwrites": [], "last_message_id": None}
        guild.channels[channel["id"]] = channel
        self._channel_guild[channel["id"]] = guild.id
        return channel

    def _role(self, role_id: str, name: str, permissions: int, position: int) -> JSON:
        role = {"id": role_id, "name": name, "permissions": str(permissions), "position": position}
        return role | {"color": 0, "hoist": False, "managed": False, "mentionable": False}

    def _create_role(self, guild: _Guild, role_id: Id | None, name: str, permissions: int) -> JSON:
        role = self._role(self._snowflake(role_id), name, permissions, len(guild.roles))
        guild.roles[role["id"]] = role
        return role

    def _create_member(self, guild: _Guild, user_id: str, role_ids: list[str]) -> JSON:
        member = {"user": self._users[user_id], "roles": role_ids, "joined_at": _now()}
        member |= {"nick": None, "deaf": False, "mute": False, "flags": 0, "pending": False}
        guild.members[user_id] = member
        return member

    def _guild(self, guild_id: Id | None) -> _Guild:
        return self._guilds[str(guild_id or self.guild_id)]

    def _dm_channel(self, recipient_id: str) -> JSON:
        if recipient_id not in self._dm_channels:
            recipients = [self._users[recipient_id]]
            channel = {"id": self._snowflake(), "type": 1, "recipients": recipients}
            self._dm_channels[recipient_id] = channel | {"last_message_id": None}
        return self._dm_channels[recipient_id]

    def _channel_exists(self, channel_id: str) -> bool:
        dm_ids = {channel["id"] for channel in self._dm_channels.values()}
        return channel_id in self._channel_guild or channel_id in dm_ids

    def _permissions(self, guild: _Guild, user_id: str) -> int:
        if user_id == guild.owner_id:
            return ALL_PERMISSIONS
        permissions = 0
        for role_id in [guild.id, *guild.members[user_id]["roles"]]:
            permissions |= int(guild.roles[role_id]["permissions"])
        return ALL_PERMISSIONS if permissions & ADMINISTRATOR else permissions

    def _guild_payload(self, guild: _Guild, session: GatewaySession | None = None) -> JSON:
        members = list(guild.members.values())
        if session is not None and not session.has(GUILD_MEMBERS):
            members = [guild.members[self.bot_user["id"]]]  # what Discord sends without the intent
        bot_member = guild.members[self.bot_user["id"]]
        payload = {"id": guild.id, "name": guild.name, "owner_id": guild.owner_id, "icon": None}
        payload |= {"roles": list(guild.roles.values()), "members": members, "unavailable": False}
        payload |= {"channels": [self._without_guild_id(c) for c in guild.channels.values()]}
        payload |= {"member_count": len(guild.members), "large": False, "features": []}
        payload |= {"joined_at": bot_member["joined_at"], "preferred_locale": "en-US"}
        payload |= {key: [] for key in ("emojis", "stickers", "threads", "voice_states")}
        return payload | {key: [] for key in ("presences", "stage_instances")}

    @staticmethod
    def _without_guild_id(channel: JSON) -> JSON:
        return {key: value for key, value in channel.items() if key != "guild_id"}

    # Messages

    def _message(self, channel_id: str, author: JSON, content: str, **fields: Any) -> JSON:
        message = {"id": self._snowflake(), "channel_id": channel_id, "author": author}
        message |= {"content": content, "timestamp": _now(), "edited_timestamp": None}
        message |= {"tts": False, "mention_everyone": False, "mentions": [], "mention_roles": []}
        message |= {"attachments": [], "embeds": [], "components": [], "pinned": False}
        message |= {"type": 0, "flags": 0}
        if channel_id in self._channel_guild:
            message["guild_id"] = self._channel_guild[channel_id]
        message |= fields
        self._messages[message["id"]] = message
        return message

    def _mentions(self, content: str, guild_id: str | None = None) -> list[JSON]:
        mentions = []
        for user_id in dict.fromkeys(USER_MENTION.findall(content)):
            if user_id in self._users:
                mention = dict(self._users[user_id])
                member = self._guilds[guild_id].members.get(user_id) if guild_id else None
                if member is not None:
                    mention["member"] = _partial_member(member)
                mentions.append(mention)
        return mentions

    def _attachment(self, upload: JSON) -> JSON:
        attachment_id = self._snowflake()
        url = f"http://127.0.0.1:{self._port}/attachments/{attachment_id}/{upload['filename']}"
        attachment = {"id": attachment_id, "filename": upload["filename"], "size": upload["size"]}
        return attachment | {"url": url, "proxy_url": url}

    def _bot_message(self, channel_id: str, body: JSON, files: list[JSON], **extra: Any) -> JSON:
        fields = {key: body[key] for key in ("embeds", "components", "tts") if body.get(key)}
        fields["flags"] = int(body.get("flags") or 0)
        fields["attachments"] = [self._attachment(upload) for upload in files]
        if reference := body.get("message_reference"):
            # discord.py sends the snowflakes of a reference as JSON numbers.
            fields["message_reference"] = {
                key: str(value) if key.endswith("_id") else value
                for key, value in reference.items()
            }
            fields["type"] = 19
        message = self._message(
            channel_id, self.bot_user, body.get("content") or "", **fields | extra
        )
        self._sent_ids.append(message["id"])
        return message

    def _edit_message(self, message: JSON, body: JSON, files: list[JSON]) -> JSON:
        for key, empty in (("content", ""), ("embeds", []), ("components", [])):
            if key in body:
                message[key] = empty if body[key] is None else body[key]
        if files or "attachments" in body:
            kept = {str(attachment.get("id")) for attachment in body.get("attachments") or []}
            old = [attachment for attachment in message["attachments"] if attachment["id"] in kept]
            message["attachments"] = old + [self._attachment(upload) for upload in files]
        if message["flags"] & LOADING:
            message["flags"] &= ~LOADING
        else:
            message["edited_timestamp"] = _now()
        self._dispatch_message("MESSAGE_UPDATE", message)
        return message

    def _dispatch_message(self, event: str, message: JSON) -> None:
        if message["flags"] & EPHEMERAL:
            return
        guild_id = message.get("guild_id")
        payload = dict(message)
        if guild_id and (member := self._guilds[guild_id].members.get(message["author"]["id"])):
            payload["member"] = _partial_member(member)
        intent = GUILD_MESSAGES if guild_id else DIRECT_MESSAGES
        for session in self._sessions_for(guild_id):
            if session.has(intent):
                session.dispatch(event, self._as_seen_by(session, payload))

    def _as_seen_by(self, session: GatewaySession, message: JSON) -> JSON:
        """The message content rule: without the intent, guild messages arrive emptied unless
        they mention the bot or are the bot's own."""
        bot_id = self.bot_user["id"]
        if (
            session.has(MESSAGE_CONTENT)
            or "guild_id" not in message
            or message["author"]["id"] == bot_id
            or any(mention["id"] == bot_id for mention in message["mentions"])
        ):
            return message
        return message | {"content": "", "embeds": [], "attachments": [], "components": []}

    def _check_message(
        self, record: RecordedRequest, body: JSON, prefix: str = "", before: JSON | None = None
    ) -> web.Response | None:
        """A 400 for a body that breaks Discord's limits or leaves the message empty."""
        if errors := message_errors(body):
            return self._invalid_form(record, errors, prefix)
        merged = (before or {}) | {key: value for key, value in body.items() if value is not None}
        keys = ("content", "embeds", "attachments", "components", "sticker_ids", "poll")
        if not record.files and not any(merged.get(key) for key in keys):
            return _error(400, 50006, "Cannot send an empty message")
        return None

    def _invalid_form(
        self, record: RecordedRequest, errors: FormErrors, prefix: str = ""
    ) -> web.Response:
        for path, _code, message in errors:
            where = f"{prefix}.{path}" if prefix else path
            self.limit_violations.append(LimitViolation(record.kind, record.path, where, message))
        return _json(_form_error_body(errors, prefix), 400)

    # Gateway routing

    def _sessions_for(self, guild_id: str | None) -> list[GatewaySession]:
        """Sessions that receive a guild's events; DMs go to shard 0."""
        return [
            session
            for session in self.sessions.values()
            if session.shard_id == (shard_of(guild_id, session.shard_count) if guild_id else 0)
        ]

    def _live_sessions(self, shard_id: int) -> list[GatewaySession]:
        sessions = [s for s in self.sessions.values() if s.shard_id == shard_id and s.connection]
        if not sessions:
            raise RuntimeError(f"no live gateway connection for shard {shard_id}")
        return sessions

    def _dispatch_guild_event(self, guild_id: str, event: str, data: JSON, intent: int = 0) -> None:
        for session in self._sessions_for(guild_id):
            if not intent or session.has(intent):
                session.dispatch(event, data)

    # Interactions

    def _command_data(
        self, name: str, values: JSON, focused: str | None, guild_id: Id | None
    ) -> JSON:
        guild = self._guild(guild_id)
        top, *path = name.split()
        scope, command = self._registered_command(top, guild.id)
        definitions, chain = command.get("options") or [], []
        for part in path:
            sub = next((o for o in definitions if o["name"] == part and o["type"] in (1, 2)), None)
            if sub is None:
                raise LookupError(f"/{top} has no subcommand {part!r}")
            chain.append(sub)
            definitions = sub.get("options") or []
        resolved: JSON = {}
        options = self._options(definitions, values, focused, guild, resolved)
        for sub in reversed(chain):
            options = [{"name": sub["name"], "type": sub["type"], "options": options}]
        data = {"id": command["id"], "name": top, "type": 1, "options": options}
        if resolved:
            data["resolved"] = resolved
        if scope is not None:
            data["guild_id"] = scope  # without it discord.py looks among global commands only
        return data

    def _registered_command(self, name: str, guild_id: str) -> tuple[str | None, JSON]:
        for scope in (guild_id, None):
            for command in self._commands.get(scope, []):
                if command["name"] == name and command["type"] == 1:
                    return scope, command
        synced = [c["name"] for c in self._commands.get(guild_id, []) + self.commands()]
        raise LookupError(f"no synced slash command {name!r}; synced: {synced}")

    def _options(
        self,
        definitions: list[JSON],
        values: JSON,
        focused: str | None,
        guild: _Guild,
        resolved: JSON,
    ) -> list[JSON]:
        by_name = {definition["name"]: definition for definition in definitions}
        unknown = set(values) - set(by_name)
        missing = {n for n, d in by_name.items() if d.get("required") and n not in values}
        if unknown or (missing and focused is None):
            raise ValueError(f"options {sorted(unknown)} unknown, {sorted(missing)} missing")
        options = []
        for name, value in values.items():
            option = {"name": name, "type": by_name[name]["type"], "value": value}
            if name == focused:
                option["focused"] = True
            elif option["type"] in (6, 7, 8, 9, 11):
                option["value"] = str(value)
                self._resolve(option["type"], str(value), guild, resolved)
            options.append(option)
        return options

    def _resolve(self, kind: int, target: str, guild: _Guild, resolved: JSON) -> None:
        if kind in (6, 9) and target in self._users:
            resolved.setdefault("users", {})[target] = self._users[target]
            if target in guild.members:
                member = _partial_member(guild.members[target])
                member["permissions"] = str(self._permissions(guild, target))
                resolved.setdefault("members", {})[target] = member
        elif kind in (8, 9) and target in guild.roles:
            resolved.setdefault("roles", {})[target] = guild.roles[target]
        elif kind == 11 and target in self._uploads:
            resolved.setdefault("attachments", {})[target] = self._uploads[target][0]
        elif kind == 7 and target in guild.channels:
            channel = guild.channels[target] | {"permissions": str(ALL_PERMISSIONS)}
            resolved.setdefault("channels", {})[target] = channel

    def _create_interaction(
        self,
        kind: int,
        data: JSON,
        user_id: Id | None,
        guild_id: Id | None,
        channel_id: Id | None,
        message: JSON | None = None,
    ) -> JSON:
        guild = self._guild(guild_id)
        user_id = str(user_id or self.member_id)
        channel = guild.channels[str(channel_id or next(iter(guild.channels)))]
        permissions = str(self._permissions(guild, user_id))
        app_permissions = str(self._permissions(guild, self.bot_user["id"]))
        payload = {"id": self._snowflake(), "type": kind, "data": data, "version": 1}
        payload |= {"application_id": str(self.application_id), "token": uuid.uuid4().hex * 2}
        payload |= {
            "guild_id": guild.id,
            "guild": {"id": guild.id, "locale": "en-US", "features": []},
        }
        payload |= {"channel_id": channel["id"], "channel": channel | {"permissions": permissions}}
        payload |= {"member": guild.members[user_id] | {"permissions": permissions}}
        payload |= {"app_permissions": app_permissions, "locale": "en-US", "guild_locale": "en-US"}
        payload |= {"entitlements": [], "authorizing_integration_owners": {"0": guild.id}}
        payload |= {"context": 0, "attachment_size_limit": 10 * 1024 * 1024}
        if message is not None:
            payload["message"] = dict(message)  # as it was when clicked
        self._interactions[payload["id"]] = _Interaction(payload, time.monotonic())
        self._dispatch_guild_event(guild.id, "INTERACTION_CREATE", payload)
        return payload

    def _interaction_message(
        self, interaction: _Interaction, body: JSON, files: list[JSON], flags: int
    ) -> JSON:
        payload = interaction.payload
        metadata = {"id": payload["id"], "type": payload["type"], "user": payload["member"]["user"]}
        message = self._bot_message(
            payload["channel_id"],
            body,
            files,
            flags=flags,
            type=20 if payload["type"] == 2 else 0,
            webhook_id=payload["application_id"],
            application_id=payload["application_id"],
            interaction_metadata=metadata,
        )
        interaction.message_ids.append(message["id"])
        self._dispatch_message("MESSAGE_CREATE", message)
        return message

    def _respond(self, interaction: _Interaction, kind: int, data: JSON, files: list[JSON]) -> JSON:
        """Apply an initial response; returns the callback's `resource`."""
        if kind in (4, 5):
            flags = int(data.get("flags") or 0)
            body, flags = (data, flags) if kind == 4 else ({}, flags & EPHEMERAL | LOADING)
            message = self._interaction_message(interaction, body, files, flags)
            interaction.original_id = message["id"]
            return {"type": kind, "message": message}
        if kind in (6, 7):
            target = self._messages[interaction.payload["message"]["id"]]
            interaction.original_id = target["id"]
            if kind == 7:
                return {"type": kind, "message": self._edit_message(target, data, files)}
        return {"type": kind}

    def _callback_body(self, interaction: _Interaction, resource: JSON) -> JSON:
        summary = {"id": interaction.payload["id"], "type": interaction.payload["type"]}
        if "message" in resource and interaction.response_type in (4, 5):
            flags = resource["message"]["flags"]
            summary["response_message_id"] = resource["message"]["id"]
            summary["response_message_loading"] = bool(flags & LOADING)
            summary["response_message_ephemeral"] = bool(flags & EPHEMERAL)
        return {"interaction": summary, "resource": resource}

    def _webhook_interaction(self, request: web.Request) -> _Interaction | None:
        if request.match_info["app_id"] != str(self.application_id):
            return None
        token = request.match_info["token"]
        return next((i for i in self._interactions.values() if i.payload["token"] == token), None)

    def _webhook_message(self, request: web.Request) -> JSON | web.Response:
        interaction = self._webhook_interaction(request)
        if interaction is None:
            return _error(404, 10015, "Unknown Webhook")
        wanted = request.match_info["message_id"]
        message_id = interaction.original_id if wanted == "@original" else wanted
        own = [interaction.original_id, *interaction.message_ids]
        if message_id is None or message_id not in own or message_id not in self._messages:
            return _error(404, 10008, "Unknown Message")
        return self._messages[message_id]

    # HTTP plumbing

    def _build_app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get("/gateway", self._gateway)
        webhook, commands = "/webhooks/{app_id}/{token}", "/applications/{app_id}"
        routes: list[tuple[str, str, Handler]] = [
            ("GET", "/users/@me", self._get_me),
            ("GET", "/oauth2/applications/@me", self._get_application),
            ("GET", "/gateway/bot", self._get_gateway_bot),
            ("POST", "/users/@me/channels", self._create_dm),
            ("POST", "/channels/{channel_id}/messages", self._create_message),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self._edit_channel_message),
            ("POST", "/channels/{channel_id}/typing", self._trigger_typing),
            ("POST", "/interactions/{interaction_id}/{token}/callback", self._interaction_callback),
            ("POST", webhook, self._execute_webhook),
            ("GET", webhook + "/messages/{message_id}", self._get_webhook_message),
            ("PATCH", webhook + "/messages/{message_id}", self._edit_webhook_message),
            ("PUT", commands + "/commands", self._sync_global_commands),
            ("GET", commands + "/commands", self._get_commands),
            ("PUT", commands + "/guilds/{guild_id}/commands", self._sync_guild_commands),
            ("GET", commands + "/guilds/{guild_id}/commands", self._get_commands),
        ]
        for method, path, handler in routes:
            app.router.add_route(method, API_PREFIX + path, handler)
        app.router.add_get("/attachments/{attachment_id}/{filename}", self._get_attachment)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        return app

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path == "/gateway":
            return await handler(request)
        body, files = await _read_body(request)
        kind = request.match_info.route.handler.__name__.removeprefix("_")
        path = request.path.removeprefix(API_PREFIX)
        record = RecordedRequest(
            request.method, path, dict(request.query), body, time.monotonic(), kind, files
        )
        request[RECORD] = record
        response = self._fault_response(record) or self._auth_failure(request, record)
        if response is None:
            response = await handler(request)
        record.status = response.status
        if (
            isinstance(response, web.Response)
            and isinstance(response.body, bytes)
            and response.body
            and response.content_type == "application/json"
        ):
            record.response = json.loads(response.body)
        await self._requests.add(record)
        return response

    def _fault_response(self, record: RecordedRequest) -> web.Response | None:
        fault = next((fault for fault in self._faults if fault.matches(record)), None)
        if fault is None:
            return None
        fault.remaining -= 1
        if fault.remaining <= 0:
            self._faults.remove(fault)
        if fault.status == 429:
            return _rate_limited(record.kind, fault.retry_after)
        if fault.body is not None:
            return _json(fault.body, fault.status)
        if fault.status == 404 and record.kind == "interaction_callback":
            return _error(404, 10062, "Unknown interaction")
        if fault.status == 404 and record.path.startswith("/webhooks/"):
            return _error(404, 10015, "Unknown Webhook")
        if fault.status == 403:
            return _error(403, 50013, "Missing Permissions")
        return _error(fault.status, 0, f"{fault.status}: {http.HTTPStatus(fault.status).phrase}")

    def _auth_failure(self, request: web.Request, record: RecordedRequest) -> web.Response | None:
        # Webhook and interaction-callback routes are authorised by the token in their path;
        # attachments are public on the CDN.
        if record.kind in ("unknown", "get_attachment") or record.path.startswith(
            ("/webhooks/", "/interactions/")
        ):
            return None
        if request.headers.get("Authorization") == f"Bot {self.token}":
            return None
        return _error(401, 0, "401: Unauthorized")

    # REST handlers; the route kind recorded for each is its name without the underscore.

    async def _get_me(self, request: web.Request) -> web.Response:
        return _json(self.bot_user)

    async def _get_application(self, request: web.Request) -> web.Response:
        application = {"id": str(self.application_id), "name": "FakeBot", "description": ""}
        application |= {"icon": None, "bot_public": True, "bot_require_code_grant": False}
        application |= {"owner": self._users[str(self.admin_id)], "team": None, "flags": 0}
        return _json(application | {"verify_key": "0" * 64, "bot": self.bot_user})

    async def _get_gateway_bot(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        payload = {
            "url": self.gateway_url,
            "shards": self.shard_count,
            "session_start_limit": limit,
        }
        return _json(payload)

    async def _create_dm(self, request: web.Request) -> web.Response:
        recipient_id = str((request[RECORD].body or {}).get("recipient_id"))
        if recipient_id not in self._users:
            return _error(400, 50007, "Cannot send messages to this user")
        return _json(self._dm_channel(recipient_id))

    async def _create_message(self, request: web.Request) -> web.Response:
        record = request[RECORD]
        channel_id = request.match_info["channel_id"]
        if not self._channel_exists(channel_id):
            return _error(404, 10003, "Unknown Channel")
        body = record.body or {}
        if problem := self._check_message(record, body):
            return problem
        message = self._bot_message(channel_id, body, record.files)
        self._dispatch_message("MESSAGE_CREATE", message)
        return _json(message)

    async def _edit_channel_message(self, request: web.Request) -> web.Response:
        """A bot edits a message of its own (Discord refuses others' content: 50005)."""
        record = request[RECORD]
        message = self._messages.get(request.match_info["message_id"])
        if message is None or message["channel_id"] != request.match_info["channel_id"]:
            return _error(404, 10008, "Unknown Message")
        if message["author"]["id"] != self.bot_user["id"]:
            return _error(403, 50005, "Cannot edit a message authored by another user")
        body = record.body or {}
        if problem := self._check_message(record, body, before=message):
            return problem
        return _json(self._edit_message(message, body, record.files))

    async def _trigger_typing(self, request: web.Request) -> web.Response:
        if not self._channel_exists(request.match_info["channel_id"]):
            return _error(404, 10003, "Unknown Channel")
        return web.Response(status=204)

    async def _interaction_callback(self, request: web.Request) -> web.Response:
        record = request[RECORD]
        interaction = self._interactions.get(request.match_info["interaction_id"])
        if interaction is None or interaction.payload["token"] != request.match_info["token"]:
            return _error(404, 10062, "Unknown interaction")
        if time.monotonic() - interaction.created > self.interaction_deadline:
            late = f"first response later than {self.interaction_deadline}s"
            self.limit_violations.append(LimitViolation(record.kind, record.path, "type", late))
            return _error(404, 10062, "Unknown interaction")
        if interaction.response_type is not None:
            return _error(400, 40060, "Interaction has already been acknowledged.")
        body = record.body or {}
        kind, data = body.get("type"), body.get("data") or {}
        allowed = ALLOWED_RESPONSES.get(interaction.payload["type"], set())
        if "message" not in interaction.payload:
            allowed -= {6, 7}
        if kind not in allowed:
            errors = [("type", "INTERACTION_RESPONSE_TYPE_INVALID", f"Invalid type {kind}")]
            return _json(_form_error_body(errors), 400)
        if problem := self._check_response(record, interaction, kind, data):
            return problem
        interaction.response_type = kind
        resource = self._respond(interaction, kind, data, record.files)
        return _json(self._callback_body(interaction, resource))

    def _check_response(
        self, record: RecordedRequest, interaction: _Interaction, kind: int, data: JSON
    ) -> web.Response | None:
        if kind == 4:
            return self._check_message(record, data, "data")
        if kind == 7:
            target = self._messages[interaction.payload["message"]["id"]]
            return self._check_message(record, data, "data", before=target)
        if kind == 8 and (errors := choice_errors(data)):
            return self._invalid_form(record, errors, "data")
        return None

    async def _execute_webhook(self, request: web.Request) -> web.Response:
        record = request[RECORD]
        interaction = self._webhook_interaction(request)
        if interaction is None or interaction.response_type is None:
            return _error(404, 10015, "Unknown Webhook")  # also before the initial response
        body = record.body or {}
        if problem := self._check_message(record, body):
            return problem
        original = self._messages.get(interaction.original_id or "")
        if original is not None and original["flags"] & LOADING:
            # Discord turns the first followup after a deferred response into that response.
            message = self._edit_message(original, body, record.files)
        else:
            flags = int(body.get("flags") or 0)
            message = self._interaction_message(interaction, body, record.files, flags)
        if request.query.get("wait", "").lower() in ("1", "true"):
            return _json(message)
        return web.Response(status=204)

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        message = self._webhook_message(request)
        return message if isinstance(message, web.Response) else _json(message)

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        record = request[RECORD]
        message = self._webhook_message(request)
        if isinstance(message, web.Response):
            return message
        body = record.body or {}
        if problem := self._check_message(record, body, before=message):
            return problem
        return _json(self._edit_message(message, body, record.files))

    async def _sync_global_commands(self, request: web.Request) -> web.Response:
        return self._sync_commands(request, None)

    async def _sync_guild_commands(self, request: web.Request) -> web.Response:
        guild_id = request.match_info["guild_id"]
        if guild_id not in self._guilds:
            return _error(404, 10004, "Unknown Guild")
        return self._sync_commands(request, guild_id)

    def _sync_commands(self, request: web.Request, guild_id: str | None) -> web.Response:
        """Bulk overwrite: commands keep their id when name and type stay the same."""
        record = request[RECORD]
        if request.match_info["app_id"] != str(self.application_id):
            return _error(403, 50001, "Missing Access")
        if not isinstance(record.body, list):
            return _json(_form_error_body([("", "BASE_TYPE_ARRAY", "Must be an array")]), 400)
        previous = {(c["name"], c["type"]): c["id"] for c in self._commands.get(guild_id, [])}
        stored = []
        for command in record.body:
            kind = command.get("type", 1)
            command_id = previous.get((command["name"], kind)) or self._snowflake()
            defaults = {"options": [], "nsfw": False}
            server_side = {"id": command_id, "type": kind, "version": self._snowflake()}
            server_side |= {"application_id": str(self.application_id)}
            if guild_id is not None:
                server_side["guild_id"] = guild_id
            stored.append(defaults | command | server_side | self._permission_string(command))
        self._commands[guild_id] = stored
        return _json(stored)

    @staticmethod
    def _permission_string(command: JSON) -> JSON:
        # discord.py sends the bits as a number; Discord stores and returns them as a string.
        permissions = command.get("default_member_permissions")
        return {"default_member_permissions": None if permissions is None else str(permissions)}

    async def _get_commands(self, request: web.Request) -> web.Response:
        return _json(self._commands.get(request.match_info.get("guild_id"), []))

    async def _get_attachment(self, request: web.Request) -> web.Response:
        upload = self._uploads.get(request.match_info["attachment_id"])
        if upload is None or upload[0]["filename"] != request.match_info["filename"]:
            return _error(404, 0, "Not found")
        return web.Response(body=upload[1], content_type=upload[0]["content_type"])

    async def _unknown(self, request: web.Request) -> web.Response:
        return _error(404, 0, "Unknown route")

    # Gateway

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        connection = _Connection(ws)
        self._connections.add(connection)
        connection.send({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval}})
        try:
            async for frame in ws:
                if frame.type is WSMsgType.TEXT:
                    await self._on_frame(connection, json.loads(frame.data))
        finally:
            self._connections.discard(connection)
            connection.stop()
            self._forget_connection(connection)
        return ws

    def _forget_connection(self, connection: _Connection) -> None:
        session = connection.session
        if session is None or session.connection is not connection:
            return
        session.connection = None
        # A client that closes with 1000/1001 ends its session; other codes keep it resumable.
        if not connection.closed_by_server and connection.ws.close_code in (1000, 1001):
            self.sessions.pop(session.session_id, None)

    async def _on_frame(self, connection: _Connection, frame: JSON) -> None:
        op, data = frame.get("op"), frame.get("d")
        if op == 1:
            connection.send({"op": 11})
        elif op == 2:
            await self._identify(connection, data)
        elif op == 6:
            self._resume(connection, data)
        session = connection.session
        shard_id, session_id = (session.shard_id, session.session_id) if session else (None, None)
        await self._frames.add(GatewayFrame(op, data, session_id, shard_id, time.monotonic()))

    async def _identify(self, connection: _Connection, data: JSON) -> None:
        if data.get("token") != self.token:
            await connection.close(4004)  # Authentication failed
            return
        shard_id, shard_count = data.get("shard") or (0, 1)
        if not 0 <= shard_id < shard_count:
            await connection.close(4010)  # Invalid shard
            return
        session = GatewaySession(uuid.uuid4().hex, shard_id, shard_count, data.get("intents", 0))
        self.sessions[session.session_id] = session
        connection.session, session.connection = session, connection
        guilds = [g for g in self._guilds.values() if shard_of(g.id, shard_count) == shard_id]
        ready = {"v": 10, "user": self.bot_user, "session_id": session.session_id}
        ready |= {"guilds": [{"id": guild.id, "unavailable": True} for guild in guilds]}
        ready |= {"resume_gateway_url": self.gateway_url, "session_type": "normal"}
        ready |= {"application": {"id": str(self.application_id), "flags": 0}}
        ready |= {"private_channels": [], "relationships": []}
        if "shard" in data:
            ready["shard"] = [shard_id, shard_count]
        session.dispatch("READY", ready)
        for guild in guilds:
            session.dispatch("GUILD_CREATE", self._guild_payload(guild, session))

    def _resume(self, connection: _Connection, data: JSON) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != self.token:
            connection.send({"op": 9, "d": False})
            return
        for payload in session.events[int(data.get("seq") or 0) :]:
            connection.send(payload)
        connection.session, session.connection = session, connection
        session.dispatch("RESUMED", {})
