"""Reload broadcasts over a real redis-server, between clusters in this test process (each with
its own engine and corpus folder, so only a broadcast can bring a change to the other)."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import replace
from pathlib import Path

import pytest
import redis.asyncio as redis

from bot.cluster import Cluster
from bot.cluster.bus import redact
from bot.config import Config
from bot.engine import Engine, ReloadReport
from tests.cluster.conftest import started_cluster
from tests.cluster.redisserver import RedisServer, free_port
from tests.helpers import SEED, write

NEW = (
    "title: Ferrets\narticle: Notes on ferrets.\ncomments:\n"
    "  - author: Quill\n    date: 2021-03-04\n"
    "    text: My ferret Zanzibar sleeps eighteen hours a day in a hammock.\n"
)
BROKEN = "title: Broken\narticle: [unclosed\n"
Member = Callable[..., AbstractAsyncContextManager[Cluster]]


def settings_for(config: Config, url: str, **more: object) -> Config:
    options = {"watch_seconds": 0.0, "ack_seconds": 2.0, "heartbeat_seconds": 0.5}
    options |= {"key_prefix": "test-bot"}  # only broadcasts reload here: no watcher
    cluster = replace(config.cluster, redis_url=url, **(options | more))
    retrieval = replace(config.retrieval, semantic_weight=0.0)
    return replace(config, cluster=cluster, retrieval=retrieval)


@pytest.fixture
def member(tmp_path: Path, config: Config) -> Member:
    """member(name, shards, url=…) → a started Cluster over its own copy of the corpus."""

    @asynccontextmanager
    async def start(
        name: str, shards: tuple[int, ...], url: str, **more: object
    ) -> AsyncIterator[Cluster]:
        folder = tmp_path / name
        folder.mkdir()
        shutil.copy(SEED, folder / "seed.txt")
        engine = Engine(replace(settings_for(config, url, **more), corpus=folder))
        async with started_cluster(engine, shards, name) as cluster:
            yield cluster

    return start


def folder_of(cluster: Cluster) -> Path:
    return cluster.engine.corpus


async def test_a_reload_reaches_the_other_process_and_it_answers(
    member: Member, redis_server: RedisServer
) -> None:
    async with (
        member("one", (0,), redis_server.url) as one,
        member("two", (1,), redis_server.url) as two,
    ):
        write(folder_of(one) / "ferrets.yaml", NEW)
        write(folder_of(two) / "ferrets.yaml", NEW)
        result = await one.broadcast_reload("test")
        assert result.local.ok and result.propagation is not None
        assert result.propagation.error is None and result.propagation.missing == ()
        assert (result.reloaded, result.processes) == (2, 2)
        (ack,) = result.propagation.acks
        assert ack.ok and ack.member.process == "two" and ack.member.shards == (1,)
        assert ack.member.fingerprint == result.me.fingerprint == two.engine.snapshot.fingerprint
        assert "2 document(s)" in ack.detail
        assert two.engine.snapshot.stats.documents == 2


async def test_a_failed_reload_elsewhere_names_the_file_and_line(
    member: Member, redis_server: RedisServer
) -> None:
    async with (
        member("one", (0,), redis_server.url) as one,
        member("two", (1,), redis_server.url) as two,
    ):
        before = two.engine.snapshot
        write(folder_of(two) / "broken.yaml", BROKEN)
        result = await one.broadcast_reload("test")
        assert result.propagation is not None
        (failed,) = result.propagation.failed
        assert failed.member.process == "two" and "broken.yaml:3: not valid YAML" in failed.detail
        assert failed.member.fingerprint == before.fingerprint  # still serving the old one
        assert two.engine.snapshot is before
        assert (result.reloaded, result.processes) == (1, 2)


async def test_a_process_that_stopped_answering_is_named(
    member: Member, redis_server: RedisServer
) -> None:
    async with member("one", (0,), redis_server.url) as one:
        client = redis.Redis.from_url(redis_server.url)
        ghost = {"process": "ghost:1", "shards": [1], "fp": "abc123"}
        await client.set("test-bot:process:ghost:1", json.dumps(ghost), px=30_000)
        await client.aclose()
        result = await one.broadcast_reload("test")
        assert result.propagation is not None
        (missing,) = result.propagation.missing
        assert missing.process == "ghost:1" and missing.label() == "process ghost:1 (shard 1)"
        assert (result.reloaded, result.processes) == (1, 2)


async def test_a_closed_process_leaves_at_once(member: Member, redis_server: RedisServer) -> None:
    async with member("one", (0,), redis_server.url) as one:
        async with member("two", (1,), redis_server.url):
            assert [m.process for m in await one.bus.members()] == ["one", "two"]  # type: ignore[union-attr]
        result = await one.broadcast_reload("test")
        assert result.propagation is not None and result.propagation.peers == ()
        assert (result.reloaded, result.processes) == (1, 1)


async def test_garbage_on_the_channel_is_ignored(member: Member, redis_server: RedisServer) -> None:
    async with (
        member("one", (0,), redis_server.url) as one,
        member("two", (1,), redis_server.url) as two,
    ):
        client = redis.Redis.from_url(redis_server.url)
        for junk in (b"\xff\xfe", b"[1, 2]", b"x" * 100_000, b'{"id": "../../etc", "origin": "x"}'):
            await client.publish("test-bot:reload", junk)
        await client.set("test-bot:process:junk", b"not json")
        await client.aclose()
        write(folder_of(two) / "ferrets.yaml", NEW)
        result = await one.broadcast_reload("test")
        assert result.propagation is not None and [a.ok for a in result.propagation.acks] == [True]
        assert two.engine.snapshot.stats.documents == 2


async def test_redis_down_the_sender_is_told_and_nothing_raises(
    member: Member, config: Config, tmp_path: Path
) -> None:
    nobody = f"redis://127.0.0.1:{free_port()}/0"
    folder = tmp_path / "alone"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    engine = Engine(replace(settings_for(config, nobody), corpus=folder))

    async def reload(reason: str) -> ReloadReport:
        return await engine.reload()

    cluster = Cluster(engine, reload, (0,), process="alone")
    await cluster.start()
    try:
        result = await asyncio.wait_for(cluster.broadcast_reload("test"), 10.0)
        assert result.local.ok  # this process reloaded all the same
        assert result.propagation is not None and result.propagation.error
        assert redact(nobody) in result.propagation.error
        assert engine.ask("How often do people get Botox injections?").answered
    finally:
        await cluster.close()


async def test_after_redis_comes_back_broadcasts_reach_everyone_again(
    member: Member, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.cluster")
    async with (
        member("one", (0,), redis_server.url) as one,
        member("two", (1,), redis_server.url) as two,
    ):
        redis_server.stop()
        down = await one.broadcast_reload("test")
        assert down.propagation is not None and down.propagation.error
        redis_server.start()
        assert one.bus is not None and two.bus is not None
        for bus in (one.bus, two.bus):  # the listeners reconnect by themselves
            await asyncio.wait_for(bus.subscribed.wait(), 15.0)
        write(folder_of(two) / "ferrets.yaml", NEW)
        up = await one.broadcast_reload("test")
        assert up.propagation is not None and up.propagation.error is None
        assert (up.reloaded, up.processes) == (2, 2)
    messages = [r.getMessage() for r in caplog.records]
    assert any("unreachable" in m for m in messages)
    assert any("reachable again" in m for m in messages)


async def test_a_password_from_the_environment_is_used_and_never_logged(
    member: Member,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "s3cret-redis-pass"
    server = RedisServer(tmp_path_factory.mktemp("redis-auth"), password=secret)
    server.start()
    monkeypatch.setenv("TEST_REDIS_PASSWORD", secret)
    try:
        async with (
            member("one", (0,), server.url, password_env="TEST_REDIS_PASSWORD") as one,
            member("two", (1,), server.url, password_env="TEST_REDIS_PASSWORD"),
        ):
            result = await one.broadcast_reload("test")
            assert (result.reloaded, result.processes) == (2, 2)
            server.stop()
            failed = await one.broadcast_reload("test")
            assert failed.propagation is not None and failed.propagation.error
            assert secret not in failed.propagation.error
    finally:
        server.stop()
    assert not [r for r in caplog.records if secret in r.getMessage()]


def test_redact_drops_the_user_and_password() -> None:
    assert redact("redis://user:pw@10.0.0.5:6380/2") == "redis://10.0.0.5:6380/2"
    assert redact("rediss://:pw@cache.example/0") == "rediss://cache.example/0"


async def test_a_key_prefix_with_glob_characters_counts_only_its_own_processes(
    member: Member, redis_server: RedisServer
) -> None:
    async with member("one", (0,), redis_server.url, key_prefix="bot[1]*") as one:
        client = redis.Redis.from_url(redis_server.url)
        other = {"process": "stranger:9", "shards": [0], "fp": "abc"}
        await client.set("bot1x:process:stranger:9", json.dumps(other), px=30_000)
        await client.aclose()
        assert one.bus is not None
        assert [m.process for m in await one.bus.members()] == ["one"]
