"""Load: 50 users, 1,000 questions (mentions and /ask), every one answered exactly once."""

from __future__ import annotations

import itertools
from collections import Counter

from tests.fakediscord.load import count_replies, reply_key, run_load
from tests.reliability.conftest import Launch


def embed_of(body: dict) -> dict:
    (embed,) = body.get("embeds") or body["data"]["embeds"]
    return embed


async def test_fifty_users_ask_a_thousand_questions_each_answered_once(
    launch: Launch, disclaimer: str
) -> None:
    async with launch() as (server, bot):
        result = await run_load(server, bot, users=50, questions=1000)
        assert result.lost == [] and result.duplicates == []

    # Counted again over everything the server saw until the bot closed, so a late second
    # reply to any question would show here.
    replies = count_replies(server.requests)
    assert Counter(replies[q.key] for q in result.questions) == {1: 1000}
    assert set(replies) == {q.key for q in result.questions}
    assert Counter(q.kind for q in result.questions) == {"mention": 500, "slash": 500}
    assert len({q.user_id for q in result.questions}) == 50
    assert len({r.path for r in server.requests if r.kind == "create_message"}) == 5  # channels
    for question in result.questions:  # each an answer card, not an error or cooldown notice
        (reply,) = question.replies
        assert embed_of(reply.body)["footer"]["text"] == disclaimer
    # Every /ask was acknowledged in time (a late one is recorded as a violation) and nothing
    # broke Discord's limits.
    assert server.limit_violations == []
    assert len(result.latencies_ms) == 1000
    figures = result.figures()
    assert figures["lost"] == 0 and figures["duplicates"] == 0
    assert figures["p50_ms"] <= figures["p99_ms"]


async def test_closed_loop_users_wait_for_each_answer(launch: Launch) -> None:
    async with launch() as (server, bot):
        result = await run_load(server, bot, users=5, questions=40, mode="closed", channels=2)
    assert result.lost == [] and result.duplicates == []
    by_user: dict[int, list] = {}
    for question in result.questions:
        by_user.setdefault(question.user_id, []).append(question)
    for questions in by_user.values():  # each asked only after the previous was answered
        for before, after in itertools.pairwise(questions):
            assert before.replies[0].time <= after.sent_at
    channels = {r.path for r in server.requests if r.kind == "create_message"}
    assert len(channels) == 2


def test_reply_keys() -> None:
    from tests.fakediscord.server import RecordedRequest

    def request(kind: str, path: str, body: dict, status: int = 200) -> RecordedRequest:
        return RecordedRequest("POST", path, {}, body, 0.0, kind, status=status)

    reply = request(
        "create_message", "/channels/1/messages", {"message_reference": {"message_id": 7}}
    )
    assert reply_key(reply) == "message:7"
    assert reply_key(request("create_message", "/channels/1/messages", {"content": "x"})) is None
    followup = request("execute_webhook", "/webhooks/5/tok", {"embeds": []})
    assert reply_key(followup) == "interaction:tok"
    deferred = request("interaction_callback", "/interactions/9/tok/callback", {"type": 5})
    assert reply_key(deferred) is None
    answered = request("interaction_callback", "/interactions/9/tok/callback", {"type": 4})
    assert reply_key(answered) == "interaction:tok"
    refused = request("execute_webhook", "/webhooks/5/tok", {"embeds": []}, status=429)
    assert reply_key(refused) is None
