"""Two shards: GET /gateway/bot says 2, each shard IDENTIFYs, each guild's events go to its shard
and both shards answer."""

from __future__ import annotations

import asyncio

import pytest

from bot.discord_adapter.client import ShardedDiscussionBot
from tests.fakediscord.load import Question, ReplyTracker, count_replies
from tests.fakediscord.server import FakeDiscord, shard_of
from tests.reliability.conftest import Launch, LogWatch

GUILDS = {0: 1000 << 22, 1: 1001 << 22}  # a guild on each of two shards
QUESTION = "How often do people get Botox injections?"


async def two_guilds(server: FakeDiscord) -> list[int]:
    """A guild per shard, each with a channel and the test member in it."""
    for shard_id, guild_id in GUILDS.items():
        assert shard_of(guild_id, 2) == shard_id
        await server.add_guild(guild_id, f"shard {shard_id}")
        await server.add_channel(guild_id, guild_id + 1, "general")
        await server.add_member(guild_id, server.member_id)
    return list(GUILDS.values())


async def ask_in_each_guild(tracker: ReplyTracker) -> dict[int, list[Question]]:
    asked: dict[int, list[Question]] = {}
    for shard_id, guild_id in GUILDS.items():
        mention = await tracker.ask("mention", QUESTION, channel_id=guild_id + 1)
        slash = await tracker.ask("slash", QUESTION, guild_id=guild_id, channel_id=guild_id + 1)
        asked[shard_id] = [mention, slash]
    return asked


def delivered_to(server: FakeDiscord) -> dict[int, set[str]]:
    """Per shard, the guilds whose questions (messages and interactions) its sessions carried."""
    carried: dict[int, set[str]] = {0: set(), 1: set()}
    for session in server.sessions.values():
        for event in session.events:
            if event["t"] in ("MESSAGE_CREATE", "INTERACTION_CREATE") and "guild_id" in event["d"]:
                author = (event["d"].get("author") or {}).get("id")
                if author != str(server.bot_id):  # not the bot's own replies
                    carried[session.shard_id].add(event["d"]["guild_id"])
    return carried


@pytest.mark.parametrize("auto_shard", [False, True], ids=["configured", "from-gateway-bot"])
async def test_each_guild_is_served_by_its_shard_and_both_shards_answer(
    launch: Launch, logs: LogWatch, auto_shard: bool
) -> None:
    async with (
        launch(shards=2, auto_shard=auto_shard, prepare=two_guilds) as (server, bot),
        ReplyTracker(server) as tracker,
    ):
        assert isinstance(bot, ShardedDiscussionBot)
        assert bot.shard_count == 2 and sorted(bot.shards) == [0, 1]
        for shard_id, guild_id in GUILDS.items():
            guild = bot.get_guild(guild_id)
            assert guild is not None and guild.shard_id == shard_id
        asked = await ask_in_each_guild(tracker)
        dm = await tracker.ask("dm", QUESTION)  # DMs come on shard 0
        assert await tracker.all_answered(timeout=10.0) == []
        carried = delivered_to(server)  # sessions end when the bot closes

    identified = sorted(tuple(f.d["shard"]) for f in server.gateway_frames if f.op == 2)
    assert identified == [(0, 2), (1, 2)]
    asked_gateway = [r for r in server.requests if r.kind == "get_gateway_bot"]
    assert len(asked_gateway) == (1 if auto_shard else 0)  # configured: no need to ask
    assert carried == {0: {str(GUILDS[0])}, 1: {str(GUILDS[1])}}
    replies = count_replies(server.requests)
    questions = [*asked[0], *asked[1], dm]
    assert [replies.get(q.key) for q in questions] == [1] * len(questions)
    assert logs.crashes() == []


async def test_gateway_bot_answers_two_shards(launch: Launch) -> None:
    async with launch(shards=2, auto_shard=True) as (_server, bot):
        shards, url, limits = await bot.http.get_bot_gateway()
    assert shards == 2 and url.startswith("ws://127.0.0.1:")
    assert limits["max_concurrency"] >= 1


async def test_one_shard_dropping_resumes_alone_and_each_question_is_answered_once(
    launch: Launch, logs: LogWatch
) -> None:
    async with (
        launch(shards=2, prepare=two_guilds) as (server, bot),
        ReplyTracker(server) as tracker,
    ):
        resumed = asyncio.ensure_future(bot.wait_for("shard_resumed", timeout=10.0))
        await server.disconnect(shard_id=1)
        asked = await ask_in_each_guild(tracker)  # shard 1's are replayed when it resumes
        assert await resumed == 1
        assert await tracker.all_answered(timeout=10.0) == []

    replies = count_replies(server.requests)
    assert [replies.get(q.key) for q in asked[0] + asked[1]] == [1] * 4
    resumes = [f.shard_id for f in server.gateway_frames if f.op == 6]
    assert resumes == [1]
    assert logs.crashes() == []
