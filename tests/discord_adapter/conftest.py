"""The real bot, unpatched discord.py, against the loopback Discord server."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator

import pytest_asyncio

from bot.config import Config
from tests.livebot import Launch, running_bot

Start = Launch


@pytest_asyncio.fixture
async def start(config: Config) -> AsyncIterator[Start]:
    """start(**options) → (server, bot); see tests.livebot.running_bot for the options."""
    yield functools.partial(running_bot, config)
