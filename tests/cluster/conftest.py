"""Fixtures for several processes serving one bot: a real redis-server per test, the live bot."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.config import Config
from tests.cluster.redisserver import RedisServer
from tests.helpers import SEED
from tests.livebot import Launch, running_bot


@pytest.fixture
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest_asyncio.fixture
async def start(config: Config) -> AsyncIterator[Launch]:
    """start(**options) → (server, bot); see tests.livebot.running_bot for the options."""
    yield functools.partial(running_bot, config)
