"""👍/👎 through the loopback Discord server: click, change, restart and click again, /feedback."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from bot.config import Config
from tests.fakediscord.server import FakeDiscord
from tests.livebot import running_bot

QUESTION = "botox injections"


def created(kind: str = "create_message"):
    return lambda r: r.kind == kind and r.status < 300


def buttons_of(message: dict) -> dict[str, dict]:
    return {b["custom_id"]: b for row in message["components"] for b in row["components"]}


async def ask(server: FakeDiscord) -> dict:
    question = await server.send_message(content=QUESTION, mention_bot=True)
    request = await server.wait_for_request(created())
    return request.response | {"question_id": question["id"]}


def vote_button(message: dict, vote: str) -> str:
    (custom_id,) = [c for c in buttons_of(message) if c.startswith(f"feedback:{vote}:")]
    return custom_id


async def vote(server: FakeDiscord, message: dict, which: str, user_id: int) -> dict:
    """Click 👍 ("up") or 👎 ("down") under a reply; the acknowledgement's data."""
    custom_id = vote_button(message, which)
    interaction = await server.click_button(message, custom_id, user_id=user_id)
    callback = await server.wait_for_callback(interaction)
    data = callback.body["data"]
    assert data["flags"] & 64, "a vote is acknowledged to the voter only"
    return data


def rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


async def test_click_change_restart_and_click_again(config: Config, tmp_path: Path) -> None:
    db = tmp_path / "feedback.db"
    feedback = replace(config.feedback, enabled=True, path=db)
    async with FakeDiscord() as server:
        async with running_bot(config, feedback=feedback, server=server) as (_, bot):
            message = await ask(server)
            buttons = buttons_of(message)
            key = message["question_id"]  # the reply is stored under the question's id
            assert {f"feedback:up:{key}", f"feedback:down:{key}"} <= set(buttons)
            assert any(b.get("label") == "More quotes" for b in buttons.values())
            assert all(len(custom_id) <= 100 for custom_id in buttons)

            assert "noted" in (await vote(server, message, "up", server.member_id))["content"]
            again = await vote(server, message, "up", server.member_id)
            assert "already" in again["content"]
            changed = await vote(server, message, "down", server.member_id)
            assert "Changed your vote to 👎" in changed["content"]
            assert rows(db, "SELECT vote FROM votes") == [(-1,)]
            reader_on = bot.engine.reader is not None

        # a restart: a new bot process (client, engine, store) against the same database
        async with running_bot(config, feedback=feedback, server=server) as (_, _bot):
            back = await vote(server, message, "up", server.member_id)
            assert "Changed your vote to 👍" in back["content"]
            other = await vote(server, message, "down", server.admin_id)
            assert "noted" in other["content"]

    votes = rows(db, "SELECT vote, guild_id, time FROM votes ORDER BY vote")
    assert [(v, g) for v, g, _ in votes] == [(-1, int(server.guild_id)), (1, int(server.guild_id))]
    ((reply_key, status, reader, question, quotes),) = rows(
        db, "SELECT reply_key, status, reader_on, question, quotes FROM replies"
    )
    assert reply_key == int(key) and status == "answered"
    assert bool(reader) == reader_on and question is None  # log_question_text is off
    assert '"rank": 1' in quotes and '"score"' in quotes
    # no user id in clear: the voter column is a keyed hash
    stored = rows(db, "SELECT voter FROM votes")
    for (voter,) in stored:
        assert str(server.member_id) not in voter and str(server.admin_id) not in voter
        assert len(voter) == 64


async def test_a_broken_store_refuses_the_vote_politely(
    config: Config, tmp_path: Path, caplog
) -> None:
    import logging

    db = tmp_path / "feedback.db"
    db.write_bytes(b"this is not an SQLite database" * 200)
    feedback = replace(config.feedback, enabled=True, path=db)
    with caplog.at_level(logging.INFO, logger="bot.discord.questions"):
        async with running_bot(config, feedback=feedback) as (server, _bot):
            message = await ask(server)  # still answered, with quotes
            assert server.sent_messages() and message["embeds"][0]["fields"]
            refused = await vote(server, message, "up", server.member_id)
            assert "can't record votes right now" in refused["content"]
            # and the bot keeps answering
            second = await ask(server)
            assert second["embeds"][0]["fields"]
    logs = [r.getMessage() for r in caplog.records]
    assert any("feedback store unavailable" in line and "not a database" in line for line in logs)
    assert not any(QUESTION in line for line in logs)


async def test_feedback_report_for_admins(config: Config, tmp_path: Path) -> None:
    loud = replace(config, log_question_text=True)
    feedback = replace(config.feedback, enabled=True, path=tmp_path / "feedback.db")
    async with running_bot(loud, feedback=feedback) as (server, _bot):
        message = await ask(server)
        await vote(server, message, "down", server.member_id)

        refused = await server.send_slash("feedback", user_id=server.member_id)
        answer = await server.wait_for_callback(refused)
        assert "only server admins" in answer.body["data"]["content"]

        interaction = await server.send_slash("feedback", user_id=server.admin_id)
        await server.wait_for_callback(interaction)
        followup = await server.wait_for_request(created("execute_webhook"))
        assert followup.body["flags"] & 64
        text = followup.body["content"]
        assert "1 votes, 100% 👎" in text
        assert f"“{QUESTION}”: 👎 1" in text
        command = next(c for c in server.commands(server.guild_id) if c["name"] == "feedback")
        assert int(command["default_member_permissions"]) == 1 << 5


def stored_bytes(folder: Path) -> bytes:
    """Every byte the store wrote: the database, its WAL and shared-memory files, the key."""
    files = sorted(folder.glob("feedback.db*"))
    assert any(f.name == "feedback.db" for f in files)
    return b"".join(f.read_bytes() for f in files)


async def test_question_text_is_stored_only_when_logging_is_on(
    config: Config, tmp_path: Path
) -> None:
    secret = "botox injections for my neck pain, private note 7f3a"
    for keep in (False, True):
        folder = tmp_path / str(keep)
        feedback = replace(config.feedback, enabled=True, path=folder / "feedback.db")
        cfg = replace(config, log_question_text=keep)
        async with running_bot(cfg, feedback=feedback) as (server, _bot):
            await server.send_message(content=secret, mention_bot=True)
            message = (await server.wait_for_request(created())).response
            await vote(server, message, "down", server.member_id)
            during = stored_bytes(folder)  # while the bot runs, the WAL included
        after = stored_bytes(folder)
        for data in (during, after):
            assert (secret.encode("utf-8") in data) is keep
        assert str(server.member_id).encode() not in after


async def test_more_quotes_carry_votes_ranked_after_the_first(
    config: Config, tmp_path: Path
) -> None:
    db = tmp_path / "feedback.db"
    feedback = replace(config.feedback, enabled=True, path=db)
    async with running_bot(config, feedback=feedback) as (server, _bot):
        first = await ask(server)
        shown = len(first["embeds"][0]["fields"])
        (more_id,) = [c for c, b in buttons_of(first).items() if b.get("label") == "More quotes"]
        click = await server.click_button(first, more_id, user_id=server.member_id)
        await server.wait_for_callback(click)
        await server.wait_for_request(
            lambda r: r.method == "PATCH" and first["id"] in r.path and r.status == 200
        )
        messages = {m["id"]: m for m in server.sent_messages()}
        first, second = messages[first["id"]], server.sent_messages()[-1]
        assert second["id"] != first["id"] and vote_button(second, "up")
        # the first reply's More is spent; its vote buttons still work
        assert buttons_of(first)[more_id]["disabled"] is True
        assert buttons_of(first)[vote_button(first, "up")].get("disabled") is not True
        assert "noted" in (await vote(server, second, "up", server.member_id))["content"]
    key = int(vote_button(second, "up").rsplit(":", 1)[1])  # the More click's interaction id
    ranks = rows(db, f"SELECT quotes FROM replies WHERE reply_key = {key}")
    assert f'"rank": {shown + 1}' in ranks[0][0]


async def test_only_more_quotes_expires() -> None:
    from bot.discord_adapter.cogs.questions import MoreQuotes

    edits: list[object] = []

    class Message:
        async def edit(self, *, view: object) -> None:
            edits.append(view)

    view = MoreQuotes(cog=None, question="q", asker_id=1, shown=3, feedback_key=9)  # type: ignore[arg-type]
    view.message = Message()  # type: ignore[assignment]
    await view.on_timeout()
    disabled = {getattr(i, "custom_id", None): getattr(i, "disabled", False) for i in view.children}
    assert disabled == {view.more.custom_id: True, "feedback:up:9": False, "feedback:down:9": False}
    assert edits == [view]
