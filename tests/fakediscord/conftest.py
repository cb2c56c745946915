"""Fixtures for tests that run a real discord.py client against FakeDiscord."""

from collections.abc import AsyncIterator

import pytest_asyncio

from bot.discord_adapter.endpoints import point_discord_py_at

from .server import FakeDiscord


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord with discord.py pointed at it; Discord's own URLs come back after."""
    async with FakeDiscord() as server:
        point_discord_py_at(server.api_base, server.gateway_url)
        try:
            yield server
        finally:
            point_discord_py_at(None, None)
