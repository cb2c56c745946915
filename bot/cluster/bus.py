"""Reload broadcasts over Redis: every process reloads and says how it went.

- Each process renews a heartbeat key (`PREFIX:process:HOST:PID`, its shard ids and the corpus
  fingerprint it serves) with a time-to-live of three heartbeats: the live keys are the processes
  a broadcast expects to hear from. A killed process drops out when its key expires.
- A reload is a message on the `PREFIX:reload` channel. Every other process reloads and pushes an
  acknowledgement (shards, fingerprint, the figures or the error) onto `PREFIX:acks:ID`, which the
  sender reads until everyone expected has answered or `ack_seconds` have passed.
- Redis down: the bot keeps answering (nothing here is on its path), a broadcast says it failed,
  and the listener reconnects with growing pauses, logging the change once each way.

Everything read from Redis is checked (size, shape) before use: another client may write there.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import RedisError

from bot.cluster.watcher import Reload
from bot.config import ClusterSettings
from bot.engine import Engine, ReloadReport

log = logging.getLogger("bot.cluster.redis")

MAX_MESSAGE = 16_384  # bytes of one message, heartbeat or acknowledgement read from Redis
MAX_PROCESSES = 1_000  # heartbeats read for one broadcast
MAX_TEXT = 300  # characters of a reason or an error carried in a message
ACK_KEEP_SECONDS = 60
BACKOFF_FIRST, BACKOFF_MAX = 0.5, 10.0
REQUEST_ID = re.compile(r"[0-9a-f]{32}")
FINGERPRINT = re.compile(r"[0-9a-f]{1,64}")
Errors = (RedisError, OSError, TimeoutError)


@dataclass(frozen=True)
class Member:
    """A process serving the bot: its name (host:pid), its shards (None: all of them) and the
    fingerprint of the corpus it serves."""

    process: str
    shards: tuple[int, ...] | None
    fingerprint: str

    def label(self, word: str = "process") -> str:
        if self.shards is None:
            return f"{word} {self.process} (all shards)"
        shards = ", ".join(str(s) for s in self.shards)
        return f"{word} {self.process} (shard{'s' if len(self.shards) != 1 else ''} {shards})"


@dataclass(frozen=True)
class Ack:
    member: Member  # as it stands after the reload
    ok: bool
    detail: str  # the corpus figures, or why the reload failed


@dataclass(frozen=True)
class Propagation:
    peers: tuple[Member, ...]  # the other live processes when the reload was sent
    acks: tuple[Ack, ...]  # answers within ack_seconds (a process started meanwhile included)
    error: str | None = None  # the reload could not be sent at all

    @property
    def missing(self) -> tuple[Member, ...]:
        answered = {ack.member.process for ack in self.acks}
        return tuple(p for p in self.peers if p.process not in answered)

    @property
    def failed(self) -> tuple[Ack, ...]:
        return tuple(ack for ack in self.acks if not ack.ok)


def redact(url: str) -> str:
    """The URL without user name or password, for logs and replies."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "?"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "redis://?"
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _short(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _decode(raw: Any) -> dict[str, Any] | None:
    if isinstance(raw, bytes) and len(raw) <= MAX_MESSAGE:
        with contextlib.suppress(ValueError, UnicodeDecodeError):
            value = json.loads(raw.decode("utf-8"))
            if isinstance(value, dict):
                return value
    return None


def member_from(data: dict[str, Any] | None) -> Member | None:
    if data is None:
        return None
    process, shards, fingerprint = data.get("process"), data.get("shards"), data.get("fp")
    if not isinstance(process, str) or not 0 < len(process) <= 200:
        return None
    if not isinstance(fingerprint, str) or not FINGERPRINT.fullmatch(fingerprint):
        return None
    if shards is not None and not (
        isinstance(shards, list)
        and len(shards) <= 10_000
        and all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in shards)
    ):
        return None
    return Member(process, tuple(shards) if shards is not None else None, fingerprint)


def ack_from(raw: Any) -> Ack | None:
    data = _decode(raw)
    member = member_from(data)
    if data is None or member is None or not isinstance(data.get("ok"), bool):
        return None
    detail = data.get("detail")
    return Ack(member, data["ok"], _short(detail) if isinstance(detail, str) else "")


def _member_json(member: Member, **more: Any) -> str:
    shards = list(member.shards) if member.shards is not None else None
    return json.dumps(
        {"process": member.process, "shards": shards, "fp": member.fingerprint} | more
    )


class RedisBus:
    def __init__(
        self,
        settings: ClusterSettings,
        process: str,
        shards: tuple[int, ...] | None,
        engine: Engine,
        reload: Reload,
    ) -> None:
        assert settings.redis_url is not None
        self.settings = settings
        self.process = process
        self.shards = shards
        self.engine = engine
        self._reload = reload
        self.where = redact(settings.redis_url)
        password = os.environ.get(settings.password_env) if settings.password_env else None
        self._client = redis.Redis.from_url(
            settings.redis_url,
            password=password or None,  # a password in the URL (from the environment) stays
            socket_connect_timeout=2.0,
            socket_timeout=settings.ack_seconds + 5.0,  # above the longest BLPOP
            retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 1),
        )
        prefix = settings.key_prefix
        self.channel = f"{prefix}:reload"
        self._heartbeat_key = f"{prefix}:process:{process}"
        self._process_pattern = re.sub(r"([*?\[\]\\])", r"\\\1", prefix) + ":process:*"
        self._acks = f"{prefix}:acks:"
        self._reachable: bool | None = None
        self.subscribed = asyncio.Event()  # set while the listener is subscribed
        self._tasks: list[asyncio.Task[None]] = []

    def me(self) -> Member:
        return Member(self.process, self.shards, self.engine.snapshot.fingerprint)

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._listen(), name="cluster-listen"),
            loop.create_task(self._heartbeats(), name="cluster-heartbeat"),
        ]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        with contextlib.suppress(*Errors):
            async with asyncio.timeout(1.0):
                await self._client.delete(self._heartbeat_key)  # leave at once, not at expiry
        with contextlib.suppress(*Errors):
            await self._client.aclose()

    # Sending

    async def broadcast(self, reason: str) -> Propagation:
        """Ask every other process to reload; their answers within ack_seconds."""
        request_id = uuid.uuid4().hex
        peers: tuple[Member, ...] = ()
        try:
            async with asyncio.timeout(self.settings.ack_seconds + 5.0):
                peers = tuple(m for m in await self.members() if m.process != self.process)
                message = {"id": request_id, "origin": self.process, "reason": _short(reason)}
                await self._client.publish(self.channel, json.dumps(message))
                acks = await self._collect(request_id, peers)
        except Errors as exc:
            self._went_down(exc)
            return Propagation(peers, (), f"Redis at {self.where} did not answer ({_why(exc)})")
        return Propagation(peers, acks)

    async def members(self) -> list[Member]:
        """The processes with a live heartbeat, this one included once it has written its own."""
        keys: list[bytes] = []
        async for key in self._client.scan_iter(match=self._process_pattern, count=200):
            keys.append(key)
            if len(keys) >= MAX_PROCESSES:
                break
        if not keys:
            return []
        values = await self._client.mget(keys)
        found = (member_from(_decode(v)) for v in values)
        return sorted((m for m in found if m is not None), key=lambda m: m.process)

    async def _collect(self, request_id: str, peers: tuple[Member, ...]) -> tuple[Ack, ...]:
        deadline = time.monotonic() + self.settings.ack_seconds
        waiting = {p.process for p in peers}
        acks: dict[str, Ack] = {}
        while waiting and (left := deadline - time.monotonic()) > 0:
            popped = await self._client.blpop([self._acks + request_id], timeout=max(left, 0.01))
            if popped is None:
                break
            ack = ack_from(popped[1])
            if ack is None or ack.member.process == self.process:
                continue
            acks[ack.member.process] = ack
            waiting.discard(ack.member.process)
        return tuple(acks[p] for p in sorted(acks))

    # Receiving

    async def _listen(self) -> None:
        pause = BACKOFF_FIRST
        while True:
            try:
                async with self._client.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self.channel)
                    await self._beat()  # be counted as soon as we listen
                    self._came_back()
                    self.subscribed.set()
                    pause = BACKOFF_FIRST
                    while True:
                        message = await pubsub.get_message(timeout=1.0)
                        if message is not None:
                            await self._handle(message.get("data"))
            except Errors as exc:
                self.subscribed.clear()
                self._went_down(exc, retry_in=pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, BACKOFF_MAX)

    async def _handle(self, raw: Any) -> None:
        try:
            await self._on_request(raw)
        except Errors:
            raise  # the connection: reconnect
        except Exception:  # one bad request must not stop the listener
            log.exception("could not handle a reload request")

    async def _on_request(self, raw: Any) -> None:
        data = _decode(raw)
        if data is None:
            return
        request_id, origin, reason = data.get("id"), data.get("origin"), data.get("reason")
        if not isinstance(request_id, str) or not REQUEST_ID.fullmatch(request_id):
            return
        if not isinstance(origin, str) or origin == self.process:
            return  # the sender reloaded itself already
        reason = _short(reason) if isinstance(reason, str) else "?"
        report = await self._reload(f"broadcast from {_short(origin)}: {reason}")
        await self._acknowledge(request_id, report)

    async def _acknowledge(self, request_id: str, report: ReloadReport) -> None:
        detail = report.after.line() if report.ok else _short(str(report.errors[0]))
        key = self._acks + request_id
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.rpush(key, _member_json(self.me(), ok=report.ok, detail=detail))
            pipe.expire(key, ACK_KEEP_SECONDS)
            await pipe.execute()
        await self._beat()  # the fingerprint may have changed

    async def _heartbeats(self) -> None:
        while True:
            await asyncio.sleep(self.settings.heartbeat_seconds)
            with contextlib.suppress(*Errors):  # the listener reports and retries
                await self._beat()

    async def _beat(self) -> None:
        ttl_ms = int(self.settings.heartbeat_seconds * 3000)
        await self._client.set(self._heartbeat_key, _member_json(self.me()), px=ttl_ms)

    # Reachability, logged once each way

    def _went_down(self, exc: BaseException, retry_in: float | None = None) -> None:
        if self._reachable is not False:
            again = f"; reconnecting, first in {retry_in:.1f} s" if retry_in else ""
            log.warning(
                "Redis at %s is unreachable (%s): reloads reach this process only%s",
                self.where,
                _why(exc),
                again,
            )
        self._reachable = False

    def _came_back(self) -> None:
        if self._reachable is False:
            log.info("Redis at %s is reachable again: reloads reach every process", self.where)
        elif self._reachable is None:
            log.info("listening for reloads on Redis at %s", self.where)
        self._reachable = True


def _why(exc: BaseException) -> str:
    """A short reason; exception text can carry the URL, so only its type and errno words."""
    text = str(exc).split("\n")[0]
    if "@" in text or "redis://" in text or "rediss://" in text:
        text = ""
    return _short(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)
