"""The project's bot, connected to a fresh loopback Discord server, for end-to-end tests."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.discord_adapter.client import DiscussionBot, ShardedDiscussionBot
from bot.discord_adapter.endpoints import point_discord_py_at
from bot.engine import Engine, ReloadReport
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


@asynccontextmanager
async def running_bot(
    config: Config,
    *,
    shards: int = 1,
    auto_shard: bool = False,
    prepare: Prepare | None = None,
    corpus: Any = None,
    answer_here: bool = False,
    cluster: Any = None,
    feedback: Any = None,
    server: FakeDiscord | None = None,
    **settings: Any,
) -> AsyncIterator[tuple[FakeDiscord, Any]]:
    """(server, bot): the bot connected and its commands synced.

    The bot is the project's DiscussionBot, or ShardedDiscussionBot when discord.shard_count is
    set (as build_bot picks), minus discord.py's 5 s wait before a second IDENTIFY.
    shards: the server's shard count; above one it is also the configured shard_count.
    auto_shard: no shard_count configured, yet an auto-sharded bot, which asks GET /gateway/bot.
    prepare(server) runs before the bot connects and returns more guild ids to sync commands to.
    answer_here: answer every message in the server's default channel (answer_channels).
    cluster: the cluster settings; by default the corpus watcher is off, so a test's own reload
    is the only one.
    feedback: the feedback settings; by default feedback is off, so no test writes a database
    beside the repository's config.yaml.
    server: a loopback server already running (a second bot after a "restart" sees the same
    messages); by default a fresh one.
    The rest are discord settings; the per-user cooldown is lifted unless given.
    """
    async with AsyncExitStack() as stack:
        if server is None:
            server = await stack.enter_async_context(FakeDiscord(shard_count=shards))
        point_discord_py_at(server.api_base, server.gateway_url)
        try:
            guilds = [server.guild_id, *(await prepare(server) if prepare else ())]
            if answer_here:
                settings["answer_channels"] = (server.channel_id,)
            discord_settings = replace(
                config.discord,
                guild_ids=tuple(guilds),
                cooldown_questions=settings.pop("cooldown_questions", 1000),
                cooldown_seconds=settings.pop("cooldown_seconds", 60.0),
                shard_count=None if auto_shard or shards == 1 else shards,
                **settings,
            )
            cluster = cluster or replace(config.cluster, watch_seconds=0)
            feedback = feedback or replace(config.feedback, enabled=False)
            cfg = replace(
                config,
                discord=discord_settings,
                corpus=corpus or config.corpus,
                cluster=cluster,
                feedback=feedback,
            )
            engine = Engine(cfg)
            sharded = auto_shard or engine.config.discord.shard_count
            bot_class = QuickShardedBot if sharded else QuickBot
            bot = bot_class(engine, guild_ready_timeout=0.05)
            async with server.run_client(bot):
                yield server, bot
        finally:
            point_discord_py_at(None, None)


async def sighup_after_adding_a_comment(bot: DiscussionBot, page: Path, seed: Path) -> ReloadReport:
    """Rewrite the corpus page with one more comment, send this process SIGHUP and wait for the
    bot's reload (its signal handler runs on the event loop)."""
    page.write_text(
        seed.read_text(encoding="utf-8") + "\n  • Zed Jan 1, 2020\n\n    A late comment.\n",
        encoding="utf-8",
    )
    os.kill(os.getpid(), signal.SIGHUP)
    for _ in range(1000):  # yield to the loop until it has run the signal handler
        if bot.signal_reload is not None:
            break
        await asyncio.sleep(0)
    assert bot.signal_reload is not None
    return await bot.signal_reload
