"""Two real bot processes (`python -m bot run`) owning one shard each of a bot on the loopback
Discord server, sharing one corpus folder: a changed corpus and an admin's /reload reach both.

The server routes each guild's events to the process whose IDENTIFY carried its shard
((guild_id >> 22) % 2), as Discord does; a guild on each shard is asked in turn.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cluster.redisserver import RedisServer
from tests.fakediscord.load import reply_key
from tests.fakediscord.server import FakeDiscord, shard_of
from tests.helpers import CONFIG, ROOT, SEED, write

GUILDS = {0: 2000 << 22, 1: 2001 << 22}  # a guild on each shard
NEW = (
    "title: Ferrets\narticle: Notes on ferrets.\ncomments:\n"
    "  - author: Quill\n    date: 2021-03-04\n"
    "    text: My ferret Zanzibar sleeps eighteen hours a day in a hammock.\n"
)
QUESTION = "How long does the ferret Zanzibar sleep?"
SEEN_IN_NEW = "hammock"
STARTUP = 60.0  # generous: two interpreters starting on a shared, busy machine


class BotProcess:
    def __init__(self, shard: int, config: Path, server: FakeDiscord, log: Path) -> None:
        self.shard = shard
        self.log = log
        env = {k: v for k, v in os.environ.items() if k != "DISCUSSION_BOT_REDIS_URL"}
        env |= {"DISCORD_TOKEN": server.token, "DISCORD_API_BASE": server.api_base}
        env |= {"DISCORD_GATEWAY_URL": server.gateway_url, "PYTHONUNBUFFERED": "1"}
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "--config", str(config), "run"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGINT)  # as Ctrl-C: discord.py closes cleanly
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def write_config(folder: Path, cluster: dict[str, Any]) -> Path:
    """The project's config.yaml, words-only ranking (fast start), sharded, with `cluster`."""
    settings = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    settings["corpus"] = str(folder / "corpus")
    settings["lexicon"] = str(ROOT / "lexicon.yaml")
    settings["retrieval"] |= {"semantic_weight": 0, "semantic_cache": None}
    settings["discord"] |= {"guild_ids": list(GUILDS.values()), "shard_count": 2}
    settings["discord"] |= {"cooldown_questions": 1000}
    settings["cluster"] = cluster
    configs = []
    for shard in GUILDS:
        settings["discord"]["shard_ids"] = [shard]
        path = folder / f"config-{shard}.yaml"
        path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
        configs.append(path)
    return folder


async def ask(server: FakeDiscord, shard: int, question: str = QUESTION) -> str:
    """Mention the bot in the guild on `shard`; the text of the reply (its embed included)."""
    guild = GUILDS[shard]
    message = await server.send_message(channel_id=guild + 1, content=question, mention_bot=True)
    reply = await server.wait_for_request(
        lambda r: reply_key(r) == f"message:{message['id']}", timeout=15.0
    )
    return json.dumps(reply.body, ensure_ascii=False)


async def reload_in(server: FakeDiscord, shard: int) -> str:
    """An admin's /reload in the guild on `shard`; the reply's text."""
    guild = GUILDS[shard]
    interaction = await server.send_slash(
        "reload", user_id=server.admin_id, guild_id=guild, channel_id=guild + 1
    )
    token = interaction["token"]
    reply = await server.wait_for_request(
        lambda r: reply_key(r) == f"interaction:{token}", timeout=30.0
    )
    return str(reply.body["content"])


@asynccontextmanager
async def two_processes(
    tmp_path: Path, cluster: dict[str, Any]
) -> AsyncIterator[tuple[FakeDiscord, Path, list[BotProcess]]]:
    """(server, corpus folder, [process on shard 0, process on shard 1]), both answering."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / "seed.txt")
    write_config(tmp_path, cluster)
    async with FakeDiscord(shard_count=2) as server:
        for shard, guild in GUILDS.items():
            assert shard_of(guild, 2) == shard
            await server.add_guild(guild, f"shard {shard}")
            await server.add_channel(guild, guild + 1, "general")
            await server.add_member(guild, server.member_id)
        processes = [
            BotProcess(shard, tmp_path / f"config-{shard}.yaml", server, tmp_path / f"{shard}.log")
            for shard in GUILDS
        ]
        try:
            for bot in processes:
                try:
                    await server.wait_for_gateway(
                        lambda f, s=bot.shard: f.op == 2 and f.d.get("shard") == [s, 2],
                        timeout=STARTUP,
                    )
                except TimeoutError:
                    pytest.fail(f"shard {bot.shard} never connected:\n{bot.output()[-3000:]}")
            for bot in processes:  # each answers in its own guild before the test begins
                assert "never mentions" in await ask(server, bot.shard)
            yield server, corpus, processes
        finally:
            for bot in processes:
                bot.stop()


def unescaped(reply: str) -> str:
    """The reply as Discord shows it: markdown escapes (\\( for a parenthesis) removed."""
    return reply.replace("\\", "")


def crashed(bot: BotProcess) -> list[str]:
    return [line for line in bot.output().splitlines() if "Traceback" in line]


async def until_both_serve_the_new_file(server: FakeDiscord, since: float) -> None:
    for shard in GUILDS:
        while SEEN_IN_NEW not in await ask(server, shard):
            assert time.monotonic() - since < 5.0, f"shard {shard}: not served within 5 s"
            await asyncio.sleep(0.1)


async def test_a_file_changed_on_disk_is_served_by_both_within_five_seconds(
    tmp_path: Path,
) -> None:
    async with two_processes(tmp_path, {"watch_seconds": 1}) as (server, corpus, bots):
        written = time.monotonic()
        write(corpus / "ferrets.yaml", NEW)
        await until_both_serve_the_new_file(server, written)
        assert [crashed(bot) for bot in bots] == [[], []]


async def test_reload_in_one_process_reaches_the_other_and_a_broken_file_keeps_both_old(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    cluster = {"redis_url": redis_server.url, "watch_seconds": 0, "heartbeat_seconds": 1}
    async with two_processes(tmp_path, cluster) as (server, corpus, bots):
        write(corpus / "ferrets.yaml", NEW)
        assert SEEN_IN_NEW not in await ask(server, 1)  # no watcher: nothing moves by itself
        reply = await reload_in(server, 0)
        assert "documents 1 → 2" in reply and "2/2 processes reloaded, corpus " in reply
        assert SEEN_IN_NEW in await ask(server, 1)  # the other process, the other shard

        write(corpus / "broken.yaml", "title: Broken\narticle: [unclosed\n")
        reply = await reload_in(server, 1)
        assert "Reload failed" in reply and "broken.yaml:3" in reply
        assert "0/2 processes reloaded" in reply
        name = f"{os.uname().nodename}:{bots[0].process.pid}"
        assert f"Process {name} (shard 0) failed" in unescaped(reply)
        for shard in GUILDS:  # both still answer, from the index they had
            assert SEEN_IN_NEW in await ask(server, shard)
        assert [crashed(bot) for bot in bots] == [[], []]


async def test_a_killed_process_is_reported_missing(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    # Heartbeats live 3 × 5 s: the killed process is still expected when /reload runs.
    cluster = {"redis_url": redis_server.url, "watch_seconds": 0, "heartbeat_seconds": 5}
    cluster |= {"ack_seconds": 2}
    async with two_processes(tmp_path, cluster) as (server, _corpus, bots):
        bots[1].process.kill()
        bots[1].process.wait()
        reply = await reload_in(server, 0)
        assert "1/2 processes reloaded" in reply
        name = f"{os.uname().nodename}:{bots[1].process.pid}"
        assert f"No answer within the time allowed from process {name} (shard 1)" in unescaped(
            reply
        )


async def test_redis_stopped_mid_run_answers_go_on_and_the_admin_is_told(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    cluster = {"redis_url": redis_server.url, "watch_seconds": 0, "heartbeat_seconds": 1}
    async with two_processes(tmp_path, cluster) as (server, _corpus, bots):
        redis_server.stop()
        for shard in GUILDS:
            assert "never mentions" in await ask(server, shard)
        reply = await reload_in(server, 0)
        assert "Reloaded in" in reply  # this process did
        assert "Propagation failed" in reply and redis_server.url in reply
        for shard in GUILDS:
            assert "never mentions" in await ask(server, shard)
        assert all(bot.alive() for bot in bots)
        assert [crashed(bot) for bot in bots] == [[], []]
