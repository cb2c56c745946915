"""The real bot against the loopback Discord server, set up for faults, shards and load."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import replace
from typing import Any

import pytest
import pytest_asyncio

from bot.config import Config
from bot.discord_adapter.client import DiscussionBot, ShardedDiscussionBot
from bot.discord_adapter.endpoints import point_discord_py_at
from bot.engine import Engine
from tests.fakediscord.server import FakeDiscord

Prepare = Callable[[FakeDiscord], Awaitable[Iterable[int]]]
Launch = Callable[..., AbstractAsyncContextManager[tuple[FakeDiscord, Any]]]


class _NoIdentifyWait:
    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py sleeps 5 s before every IDENTIFY but the first, for Discord's identify
        rate limit; the loopback server has none, so re-IDENTIFY and shard 1 go at once."""


class QuickBot(_NoIdentifyWait, DiscussionBot):
    pass


class QuickShardedBot(_NoIdentifyWait, ShardedDiscussionBot):
    pass


@pytest_asyncio.fixture
async def launch(config: Config) -> AsyncIterator[Launch]:
    """launch(...) → (server, bot): the project's bot connected, its commands synced.

    The bot is the project's DiscussionBot, or ShardedDiscussionBot when discord.shard_count
    is set (as build_bot picks), minus discord.py's 5 s wait before a second IDENTIFY.
    shards: the server's shard count; above one it is also the configured shard_count.
    auto_shard: no shard_count configured, yet an auto-sharded bot, which asks GET /gateway/bot.
    prepare(server) runs before the bot connects and returns more guild ids to sync commands
    to. The rest are discord settings; the per-user cooldown is lifted unless given.
    """

    @asynccontextmanager
    async def run(
        *,
        shards: int = 1,
        auto_shard: bool = False,
        prepare: Prepare | None = None,
        corpus: Any = None,
        **settings: Any,
    ) -> AsyncIterator[tuple[FakeDiscord, Any]]:
        async with FakeDiscord(shard_count=shards) as server:
            point_discord_py_at(server.api_base, server.gateway_url)
            try:
                guilds = [server.guild_id, *(await prepare(server) if prepare else ())]
                discord_settings = replace(
                    config.discord,
                    guild_ids=tuple(guilds),
                    cooldown_questions=settings.pop("cooldown_questions", 1000),
                    cooldown_seconds=settings.pop("cooldown_seconds", 60.0),
                    shard_count=None if auto_shard or shards == 1 else shards,
                    **settings,
                )
                cfg = replace(config, discord=discord_settings, corpus=corpus or config.corpus)
                engine = Engine(cfg)
                sharded = auto_shard or engine.config.discord.shard_count
                bot_class = QuickShardedBot if sharded else QuickBot
                bot = bot_class(engine, guild_ready_timeout=0.05)
                async with server.run_client(bot):
                    yield server, bot
            finally:
                point_discord_py_at(None, None)

    yield run


@pytest.fixture
def disclaimer(config: Config) -> str:
    return config.disclaimer


class LogWatch(logging.Handler):
    """Every log record while a test runs, and a way to wait for one (records may come from
    worker threads: reloads and answers run off the event loop)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self._loop = loop
        self._changed = asyncio.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        with contextlib.suppress(RuntimeError):  # the loop is already closed
            self._loop.call_soon_threadsafe(lambda: asyncio.ensure_future(self._notify()))

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def matching(self, text: str, logger: str = "", level: int = logging.DEBUG) -> list[str]:
        return [
            r.getMessage()
            for r in self.records
            if r.name.startswith(logger) and r.levelno >= level and text in r.getMessage()
        ]

    async def wait_for(
        self, text: str, logger: str = "", level: int = logging.DEBUG, timeout: float = 5.0
    ) -> str:
        """The first message containing `text`, already logged or still to come."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: self.matching(text, logger, level)), timeout
            )
        return self.matching(text, logger, level)[0]

    def crashes(self) -> list[str]:
        """Exceptions the bot left to discord.py ("Ignoring exception in on_message", ...)
        and errors from asyncio about tasks nobody awaited."""
        return [
            r.getMessage()
            for r in self.records
            if r.levelno >= logging.ERROR and r.name.startswith(("discord", "asyncio"))
        ]


@pytest_asyncio.fixture
async def logs() -> AsyncIterator[LogWatch]:
    root = logging.getLogger()
    watch = LogWatch(asyncio.get_running_loop())
    previous = root.level
    root.setLevel(logging.INFO)
    root.addHandler(watch)
    try:
        yield watch
    finally:
        root.removeHandler(watch)
        root.setLevel(previous)
