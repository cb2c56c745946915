"""Fixtures for several processes serving one bot: a real redis-server per test, the live bot."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import pytest_asyncio

from bot.cluster import Cluster
from bot.config import Config
from bot.engine import Engine, ReloadReport
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


@asynccontextmanager
async def started_cluster(
    engine: Engine, shards: tuple[int, ...], process: str
) -> AsyncIterator[Cluster]:
    """A Cluster over this engine that reloads it, started and subscribed to the bus."""

    async def reload(reason: str) -> ReloadReport:
        return await engine.reload()

    cluster = Cluster(engine, reload, shards, process=process)
    await cluster.start()
    try:
        assert cluster.bus is not None
        await asyncio.wait_for(cluster.bus.subscribed.wait(), 5.0)
        yield cluster
    finally:
        await cluster.close()
