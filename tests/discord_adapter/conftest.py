"""The real bot, unpatched discord.py, against the loopback Discord server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import replace
from typing import Any

import pytest
import pytest_asyncio

from bot.config import Config
from bot.discord_adapter.client import build_bot
from bot.discord_adapter.endpoints import point_discord_py_at
from bot.engine import Engine
from tests.fakediscord.server import FakeDiscord

Start = Callable[..., AbstractAsyncContextManager[tuple[FakeDiscord, Any]]]


@pytest_asyncio.fixture
async def start(config: Config) -> AsyncIterator[Start]:
    """start(**discord_settings) → (server, bot), the bot connected and its commands synced."""

    @asynccontextmanager
    async def run(
        shard_count: int = 1, corpus: Any = None, answer_here: bool = False, **settings: Any
    ) -> AsyncIterator[tuple[FakeDiscord, Any]]:
        async with FakeDiscord(shard_count=shard_count) as server:
            point_discord_py_at(server.api_base, server.gateway_url)
            if answer_here:  # answer every message in the server's default channel
                settings["answer_channels"] = (server.channel_id,)
            discord_settings = replace(
                config.discord,
                guild_ids=(server.guild_id,),
                cooldown_questions=settings.pop("cooldown_questions", 1000),
                cooldown_seconds=settings.pop("cooldown_seconds", 60.0),
                **settings,
            )
            cfg = replace(config, discord=discord_settings, corpus=corpus or config.corpus)
            bot = build_bot(Engine(cfg), guild_ready_timeout=0.05)
            try:
                async with server.run_client(bot):
                    yield server, bot
            finally:
                point_discord_py_at(None, None)

    yield run


@pytest.fixture
def disclaimer(config: Config) -> str:
    return config.disclaimer
