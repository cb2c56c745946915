"""Faults: the gateway drops, REST refuses, interactions expire, reloads and start-ups fail."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import Config
from bot.engine import Engine
from tests.fakediscord.load import Kind, Question, ReplyTracker, count_replies
from tests.fakediscord.server import FakeDiscord, RecordedRequest
from tests.helpers import CONFIG, ROOT, SEED, write
from tests.reliability.conftest import Launch, LogWatch

TEXTS = (
    "How often do people get Botox injections?",
    "did it mess with anyone's eyesight?",
    "how much does it cost if you pay for it yourself?",
    "did anyone's neck get stiff or sore from the shots?",
)
MORE_YAML = (
    "title: Sleep and migraine\narticle: Sleep and migraine.\ncomments:\n"
    "  - author: Ann\n    date: 2020-01-02\n    text: Sleep helped.\n"
)


def mixed(count: int) -> Iterator[tuple[Kind, str]]:
    """Mentions and /ask in turn."""
    for n in range(count):
        yield ("slash" if n % 2 else "mention"), TEXTS[n % len(TEXTS)]


async def ask_all(tracker: ReplyTracker, count: int) -> list[Question]:
    return [await tracker.ask(kind, text) for kind, text in mixed(count)]


def attempts(server: FakeDiscord, question: Question, route: str) -> list[int]:
    """Statuses of the requests on `route` made for `question`, in order."""
    token_or_id = question.key.split(":", 1)[1]

    def for_question(request: RecordedRequest) -> bool:
        reference = (request.body or {}).get("message_reference") or {}
        return token_or_id in request.path or str(reference.get("message_id")) == token_or_id

    return [r.status for r in server.requests if r.kind == route and for_question(r)]


def assert_each_answered_once(server: FakeDiscord, questions: list[Question]) -> None:
    """Over every request the server saw, up to the bot's close."""
    replies = count_replies(server.requests)
    assert [replies.get(q.key, 0) for q in questions] == [1] * len(questions)


# --- the gateway -----------------------------------------------------------------------------


async def test_a_dropped_gateway_resumes_and_each_question_is_answered_once(
    launch: Launch, logs: LogWatch
) -> None:
    async with launch() as (server, bot), ReplyTracker(server) as tracker:
        before = await ask_all(tracker, 10)
        assert await tracker.answered(before[0], 5.0)  # the rest are on their way or queued
        resumed = asyncio.ensure_future(bot.wait_for("resumed", timeout=10.0))
        await server.disconnect()
        during = await ask_all(tracker, 10)  # replayed on RESUME
        await resumed
        after = await ask_all(tracker, 10)
        assert await tracker.all_answered(timeout=10.0) == []

    assert_each_answered_once(server, before + during + after)
    assert [f.op for f in server.gateway_frames if f.op in (2, 6)] == [2, 6]  # resumed
    assert logs.crashes() == []


async def test_an_invalidated_session_identifies_again_and_answers_what_follows(
    launch: Launch, logs: LogWatch
) -> None:
    async with launch() as (server, bot), ReplyTracker(server) as tracker:
        before = await ask_all(tracker, 6)
        assert await tracker.answered(before[0], 5.0)
        ready_again = asyncio.ensure_future(bot.wait_for("ready", timeout=10.0))
        await server.invalidate_session()  # after the questions: they were delivered first
        await ready_again
        after = await ask_all(tracker, 10)
        assert await tracker.all_answered(timeout=10.0) == []

    assert_each_answered_once(server, before + after)
    assert [f.op for f in server.gateway_frames if f.op in (2, 6)] == [2, 2]  # a new session
    assert logs.crashes() == []


# --- REST ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "kind"),
    [
        ("create_message", "mention"),  # the reply to a mention
        ("interaction_callback", "slash"),  # /ask's deferral
        ("execute_webhook", "slash"),  # /ask's answer
    ],
)
async def test_a_rate_limited_send_is_retried_and_arrives_once(
    launch: Launch, logs: LogWatch, route: str, kind: Kind
) -> None:
    async with launch() as (server, _bot), ReplyTracker(server) as tracker:
        server.fail_next(route, status=429, retry_after=0.05)
        question = await tracker.ask(kind, TEXTS[0])
        assert await tracker.answered(question, 5.0)
        following = await tracker.ask(kind, TEXTS[1])
        assert await tracker.answered(following, 5.0)

    assert attempts(server, question, route) == [429, 200]
    assert_each_answered_once(server, [question, following])
    assert logs.crashes() == []


@pytest.mark.parametrize(
    ("route", "kind"), [("create_message", "mention"), ("execute_webhook", "slash")]
)
async def test_a_single_500_is_retried_and_the_reply_arrives_once(
    launch: Launch, logs: LogWatch, route: str, kind: Kind
) -> None:
    # discord.py retries a 500 after 1 s (then 3, 5, 7 s: a persistent 500 would take ~25 s
    # to give up). One 500 shows the retry without doubling the reply; the persistent failure
    # is the next test, with a status discord.py does not retry.
    async with launch() as (server, _bot), ReplyTracker(server) as tracker:
        server.fail_next(route, status=500)
        question = await tracker.ask(kind, TEXTS[0])
        assert await tracker.answered(question, 10.0)

    assert attempts(server, question, route) == [500, 200]
    assert_each_answered_once(server, [question])
    assert logs.crashes() == []


async def test_a_reply_that_cannot_be_sent_is_logged_and_the_bot_goes_on(
    launch: Launch, logs: LogWatch
) -> None:
    # 503 on the reply to one question, however often it is tried. discord.py raises a 503
    # on a channel message at once (it retries only 500, 502, 504 and 524), so this is what
    # a lasting outage looks like to the bot, without the ~25 s of retries a 500 would take.
    # (A webhook followup retries every 5xx for ~25 s, so /ask is not driven through this.)
    doomed: set[str] = set()

    def replies_to_doomed(request: RecordedRequest) -> bool:
        reference = (request.body or {}).get("message_reference") or {}
        return request.kind == "create_message" and str(reference.get("message_id")) in doomed

    async with launch() as (server, _bot), ReplyTracker(server) as tracker:
        server.fail_next(replies_to_doomed, status=503, count=100)
        lost = await tracker.ask("mention", TEXTS[0])
        doomed.add(lost.key.split(":", 1)[1])  # before the loop runs: nothing was sent yet
        await logs.wait_for("could not send a reply (status 503)", logger="bot", level=40)
        following = await tracker.ask("mention", TEXTS[1])
        slash = await tracker.ask("slash", TEXTS[2])
        assert await tracker.all_answered([following, slash], timeout=5.0) == []

    assert attempts(server, lost, "create_message") == [503]  # logged, not retried
    assert lost.replies == []
    assert_each_answered_once(server, [following, slash])
    assert logs.crashes() == []


@pytest.mark.parametrize("status", [403, 503])
async def test_a_refused_typing_indicator_does_not_lose_the_answer(
    launch: Launch, logs: LogWatch, status: int
) -> None:
    async with launch() as (server, _bot), ReplyTracker(server) as tracker:
        server.fail_next("trigger_typing", status=status)
        question = await tracker.ask("mention", TEXTS[0])
        assert await tracker.answered(question, 5.0)

    assert_each_answered_once(server, [question])
    assert logs.matching(f"could not show typing (status {status})", logger="bot")
    assert logs.crashes() == []


async def test_an_expired_interaction_is_logged_and_the_next_question_answered(
    launch: Launch, logs: LogWatch
) -> None:
    expired = {"message": "Unknown interaction", "code": 10062}
    async with launch() as (server, _bot), ReplyTracker(server) as tracker:
        server.fail_next("interaction_callback", status=404, body=expired)
        late = await tracker.ask("slash", TEXTS[0])
        await logs.wait_for("interaction expired before we answered", logger="bot")
        following = await tracker.ask("slash", TEXTS[1])
        assert await tracker.answered(following, 5.0)

    assert attempts(server, late, "interaction_callback") == [404]
    assert attempts(server, late, "execute_webhook") == []  # nothing more sent for it
    assert late.replies == []
    assert_each_answered_once(server, [following])
    assert logs.crashes() == []


async def test_an_expired_followup_token_is_logged_and_the_next_question_answered(
    launch: Launch, logs: LogWatch
) -> None:
    # A followup more than 15 minutes after the interaction: Discord answers 404 Unknown
    # Webhook (10015), to the answer and then to the error message the bot tries instead.
    async with launch() as (server, _bot), ReplyTracker(server) as tracker:
        server.fail_next("execute_webhook", status=404, count=2)
        late = await tracker.ask("slash", TEXTS[0])
        await logs.wait_for("could not answer an expired interaction", logger="bot")
        following = await tracker.ask("slash", TEXTS[1])
        assert await tracker.answered(following, 5.0)

    assert attempts(server, late, "execute_webhook") == [404, 404]
    assert late.replies == []
    assert_each_answered_once(server, [following])
    assert logs.matching("command ask failed", logger="bot", level=40)
    assert logs.crashes() == []


# --- reloads ---------------------------------------------------------------------------------


async def test_a_reload_failing_halfway_keeps_answering_from_the_old_index(
    launch: Launch, logs: LogWatch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SEED, tmp_path / "seed.txt")
    halfway, release = threading.Event(), threading.Event()

    def index_that_breaks(*args: Any, **kwargs: Any) -> Any:
        halfway.set()  # the new corpus is parsed and split; the index is being built
        release.wait(10.0)
        raise RuntimeError("the index build broke halfway")

    async with launch(corpus=tmp_path) as (server, bot), ReplyTracker(server) as tracker:
        old = bot.engine.snapshot
        write(tmp_path / "more.yaml", MORE_YAML)
        monkeypatch.setattr("bot.engine.Searcher", index_that_breaks)
        try:
            reload = await server.send_slash("reload", user_id=server.admin_id)
            assert await asyncio.to_thread(halfway.wait, 10.0)
            during = await tracker.ask("mention", TEXTS[0])
            assert await tracker.answered(during, 5.0)
        finally:
            release.set()
        token = reload["token"]
        report = await server.wait_for_request(
            lambda r: r.kind == "execute_webhook" and token in r.path, timeout=10.0
        )
        assert "Reload failed" in report.body["content"]
        assert "broke halfway" in report.body["content"]
        assert bot.engine.snapshot is old
        after = await tracker.ask("slash", "does sleep help?")
        assert await tracker.answered(after, 5.0)

    for question in (during, after):
        (reply,) = question.replies
        (embed,) = reply.body["embeds"]
        assert "Sleep and migraine" not in str(embed)  # from the old index only
    assert logs.matching("failed, keeping the old index", logger="bot")
    assert logs.crashes() == []


def test_a_reload_with_one_broken_file_applies_none_of_the_new_files(
    config: Config, tmp_path: Path
) -> None:
    shutil.copy(SEED, tmp_path / "seed.txt")
    engine = Engine(config, tmp_path)
    old = engine.snapshot
    write(tmp_path / "more.yaml", MORE_YAML)  # good, sorts before the broken one
    write(tmp_path / "zz-broken.txt", "Title\n\nBody\n  • X Feb 30, 2012\n    hi\n")
    report = engine.reload_now()
    assert not report.ok and "zz-broken.txt:4" in str(report.errors[0])
    assert engine.snapshot is old
    assert [d.title for d in engine.snapshot.documents] == [d.title for d in old.documents]
    assert engine.ask("does sleep help migraine?").documents == tuple(
        d.title for d in old.documents
    )


# --- start-up --------------------------------------------------------------------------------

BROKEN_CORPORA = {
    "empty folder": ({}, "no .txt, .yaml or .jsonl files"),
    "only a broken page": (
        {"broken.txt": "Title\n\nBody\n  • X Feb 30, 2012\n    hi\n"},
        "broken.txt:4: Feb 30, 2012 is not a real date",
    ),
    "only an empty page": ({"empty.txt": ""}, "empty.txt:1: expected the title"),
    "only binary junk": ({"junk.jsonl": b"\xff\xfe\x00junk"}, "junk.jsonl:1:1: expected UTF-8"),
    "no folder at all": (None, "expected a corpus folder or file; nothing is there"),
}


async def run_bot_process(server: FakeDiscord, corpus: Path, token: str) -> Any:
    """`python -m bot run` with discord.py pointed at the loopback server."""
    env = dict(os.environ)
    env.update(
        DISCORD_TOKEN=token,
        DISCORD_API_BASE=server.api_base,
        DISCORD_GATEWAY_URL=server.gateway_url,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    command = ["-m", "bot", "--config", str(CONFIG), "run", "--corpus", str(corpus)]
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *command,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.mark.parametrize("case", list(BROKEN_CORPORA))
async def test_a_bad_corpus_at_start_up_exits_non_zero_before_connecting(
    tmp_path: Path, case: str
) -> None:
    files, expected = BROKEN_CORPORA[case]
    corpus = tmp_path / "corpus"
    if files is not None:
        corpus.mkdir()
        for name, content in files.items():
            path = corpus / name
            path.write_bytes(content) if isinstance(content, bytes) else write(path, content)
    async with FakeDiscord() as server:
        process = await run_bot_process(server, corpus, token="x")
        _stdout, stderr = await asyncio.wait_for(process.communicate(), 30.0)
        assert server.requests == [] and server.gateway_frames == []  # it connected nowhere

    message = stderr.decode()
    assert process.returncode == 1, message
    assert message.startswith("error: ") and expected in message
    assert "Traceback" not in message


async def test_a_good_corpus_at_start_up_does_connect(tmp_path: Path) -> None:
    """The control for the test above: the same command reaches the loopback server."""
    shutil.copy(SEED, tmp_path / "seed.txt")
    async with FakeDiscord() as server:
        process = await run_bot_process(server, tmp_path, token=server.token)
        try:
            identify = await server.wait_for_gateway(lambda frame: frame.op == 2, timeout=30.0)
        finally:
            process.terminate()
            await asyncio.wait_for(process.communicate(), 30.0)
    assert identify.d["token"] == server.token
