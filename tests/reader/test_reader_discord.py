"""The reader through Discord: the real bot against the loopback Discord server, with the
replayed second reading behind a loopback rerank server."""

from __future__ import annotations

import time
from dataclasses import replace

from bot.config import Config, ReaderSettings
from bot.engine import Engine
from bot.presentation.quotes import quote_attribution
from tests.livebot import running_bot
from tests.reader.replay import Replay
from tests.reader.test_reader_cli import first_reader_pick
from tools.evaluation.questions import Question


def created(request) -> bool:
    return request.kind == "create_message" and request.status < 300


def with_reader(config: Config, base_url: str, **settings: object) -> Config:
    reader = ReaderSettings(url=f"{base_url}/v1/rerank", **settings)  # type: ignore[arg-type]
    return replace(config, reader=reader)


async def test_a_mention_is_answered_with_the_readers_pick(
    config: Config, base_url: str, replay: Replay, questions: list[Question], engine: Engine
) -> None:
    question = first_reader_pick(replay, questions, engine)
    reading = replay.readings[" ".join(question.text.split())]
    expected = next(
        h.passage
        for h in engine.snapshot.searcher.rank(question.text).hits
        if h.passage.comment_id == reading.ranked[0]
    )
    async with running_bot(with_reader(config, base_url, timeout=5.0)) as (server, _bot):
        await server.send_message(content=question.text, mention_bot=True)
        request = await server.wait_for_request(created)
    (embed,) = request.body["embeds"]
    assert embed["fields"][0]["name"].startswith(f"{expected.author} · ")
    assert embed["footer"]["text"] == config.disclaimer
    assert len(replay.requests) == 1


async def test_a_slow_reader_neither_blocks_the_bot_nor_misses_the_reply(
    config: Config, base_url: str, replay: Replay, questions: list[Question], engine: Engine
) -> None:
    question = first_reader_pick(replay, questions, engine)
    today = engine.ask(question.text).quotes[0]
    replay.fault, replay.slow_seconds = "slow", 3.0
    timeout = 0.8
    async with running_bot(with_reader(config, base_url, timeout=timeout)) as (server, _bot):
        started = time.monotonic()
        await server.send_message(content=question.text, mention_bot=True)
        interaction = await server.send_slash("about")
        about = await server.wait_for_callback(interaction)
        about_at = time.monotonic() - started
        request = await server.wait_for_request(created)
        reply_at = time.monotonic() - started
    # /about was answered while the reader call was still waiting: the loop was free.
    assert about_at < reply_at
    assert reply_at < timeout + 0.5 + 1.0  # the reader's deadline, the 0.5 s, Discord
    (embed,) = request.body["embeds"]
    assert embed["fields"][0]["name"] == quote_attribution(today)
    reader_field = next(
        f for f in about.body["data"]["embeds"][0]["fields"] if f["name"] == "Reader"
    )
    assert reader_field["value"].startswith("On:") and "sent to it" in reader_field["value"]


async def test_about_says_when_no_reader_is_on(config: Config) -> None:
    async with running_bot(config) as (server, _bot):
        interaction = await server.send_slash("about")
        callback = await server.wait_for_callback(interaction)
    fields = callback.body["data"]["embeds"][0]["fields"]
    assert next(f for f in fields if f["name"] == "Reader")["value"].startswith("Off:")
