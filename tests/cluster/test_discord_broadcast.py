"""/import and SIGHUP broadcast a reload: the real bot on the loopback server, and a second
process's cluster (in this test process) over the same corpus folder, both on a real Redis."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from bot.cluster import Cluster
from bot.config import ClusterSettings, Config
from bot.engine import Engine
from tests.cluster.conftest import started_cluster
from tests.cluster.redisserver import RedisServer
from tests.corpus.importers.helpers import DATA
from tests.discord_adapter.test_import import _import
from tests.helpers import SEED
from tests.livebot import Launch as Start
from tests.livebot import sighup_after_adding_a_comment


def cluster_settings(url: str) -> ClusterSettings:
    return ClusterSettings(
        watch_seconds=0.0, redis_url=url, key_prefix="test-bot", heartbeat_seconds=0.5
    )


@asynccontextmanager
async def peer(config: Config, corpus: Path, url: str) -> AsyncIterator[Cluster]:
    """Another process's cluster on shard 1 over the same folder; no watcher."""
    retrieval = replace(config.retrieval, semantic_weight=0.0)
    engine = Engine(
        replace(config, corpus=corpus, retrieval=retrieval, cluster=cluster_settings(url))
    )
    async with started_cluster(engine, (1,), "peer:1") as cluster:
        yield cluster


async def test_import_reaches_the_other_process(
    start: Start, config: Config, tmp_path: Path, redis_server: RedisServer
) -> None:
    shutil.copy(SEED, tmp_path / "seed.txt")
    async with (
        peer(config, tmp_path, redis_server.url) as other,
        start(corpus=tmp_path, cluster=cluster_settings(redis_server.url)) as (server, _bot),
    ):
        text = await _import(server, "disqus.xml", (DATA / "disqus.xml").read_bytes())
        assert "documents 1 → 2" in text
        assert "2/2 processes reloaded, corpus " in text
        titles = [d.title for d in other.engine.snapshot.documents]
        assert "Cold weather & migraines" in titles


async def test_sighup_reaches_the_other_process(
    start: Start, config: Config, tmp_path: Path, redis_server: RedisServer
) -> None:
    shutil.copy(SEED, tmp_path / "seed.txt")
    async with (
        peer(config, tmp_path, redis_server.url) as other,
        start(corpus=tmp_path, cluster=cluster_settings(redis_server.url)) as (_server, bot),
    ):
        report = await sighup_after_adding_a_comment(bot, tmp_path / "seed.txt", SEED)
        assert report.ok and report.after.comments == 31
        assert other.engine.snapshot.stats.comments == 31  # acknowledged before it returned
        assert other.engine.snapshot.fingerprint == bot.engine.snapshot.fingerprint
