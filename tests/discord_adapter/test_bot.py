"""End-to-end: the real bot against the loopback Discord server, through REST and the gateway."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.discord_adapter.conftest import Start
from tests.fakediscord.server import RecordedRequest
from tests.helpers import SEED
from tests.livebot import sighup_after_adding_a_comment

ATTRIBUTION = re.compile(r"^.+ · [A-Z][a-z]{2} \d{1,2}, \d{4}( · replying to .+)?$")
LIVE = re.compile(r"@(everyone|here)\b|<@[!&]?\d+>")


def created(kind: str = "create_message"):
    return lambda r: r.kind == kind and r.status < 300


def embed_of(request: RecordedRequest) -> dict:
    (embed,) = request.body["embeds"]
    return embed


def assert_pings_nobody(body: dict) -> None:
    allowed = body["allowed_mentions"]
    assert allowed["parse"] == [] and not allowed.get("replied_user")
    assert not allowed.get("users") and not allowed.get("roles")


def assert_quotes(embed: dict, disclaimer: str, minimum: int = 1) -> None:
    assert embed["footer"]["text"] == disclaimer
    assert len(embed["fields"]) >= minimum
    for field in embed["fields"]:
        assert ATTRIBUTION.match(field["name"]) or field["name"].startswith("Botox for Migraine")
        assert field["value"].startswith("> ")


async def test_a_mention_gets_a_reply_with_quotes(start: Start, disclaimer: str) -> None:
    async with start() as (server, _bot):
        sent = await server.send_message(
            content="How often do people get Botox injections?", mention_bot=True
        )
        request = await server.wait_for_request(created())
        assert request.body["message_reference"]["message_id"] in (sent["id"], int(sent["id"]))
        assert_pings_nobody(request.body)
        assert_quotes(embed_of(request), disclaimer, minimum=2)
        assert server.limit_violations == []


async def test_a_dm_is_answered(start: Start, disclaimer: str) -> None:
    async with start() as (server, _bot):
        await server.send_dm(server.member_id, "did it help anyone's neck pain?")
        request = await server.wait_for_request(created())
        assert_quotes(embed_of(request), disclaimer)


async def test_slash_ask_is_acknowledged_within_three_seconds(
    start: Start, disclaimer: str
) -> None:
    async with start() as (server, _bot):
        interaction = await server.send_slash("ask", {"question": "how much does it cost?"})
        callback = await server.wait_for_callback(interaction, timeout=3.0)
        assert callback.body["type"] in (4, 5)
        followup = await server.wait_for_request(created("execute_webhook"), timeout=5.0)
        embed = embed_of(followup)
        assert_quotes(embed, disclaimer)
        assert any("pound" in f["value"] or "pocket" in f["value"] for f in embed["fields"])


async def test_commands_are_synced_to_the_configured_guild(start: Start) -> None:
    async with start() as (server, _bot):
        names = {c["name"] for c in server.commands(server.guild_id)}
        assert {"ask", "summary", "reload", "about"} <= names
        reload = next(c for c in server.commands(server.guild_id) if c["name"] == "reload")
        assert int(reload["default_member_permissions"]) == 1 << 5  # Manage Server


async def test_summary_and_author_autocomplete(start: Start, disclaimer: str) -> None:
    async with start() as (server, _bot):
        ac = await server.send_autocomplete("summary", {"author": "el"}, focused="author")
        answer = await server.wait_for_callback(ac)
        choices = [c["value"] for c in answer.body["data"]["choices"]]
        assert choices[:2] == ["Elaine", "Elaine Axten"]
        assert "Angelette" in choices  # "el" inside the name comes after names starting with it
        interaction = await server.send_slash("summary", {"topic": "cost", "sentences": 3})
        await server.wait_for_callback(interaction)
        followup = await server.wait_for_request(created("execute_webhook"))
        embed = embed_of(followup)
        assert embed["footer"]["text"] == disclaimer
        assert 1 <= len(embed["fields"]) <= 3
        assert server.limit_violations == []


async def test_a_long_summary_by_theme_stays_inside_discords_limits(
    start: Start, disclaimer: str
) -> None:
    async with start() as (server, _bot):
        interaction = await server.send_slash("summary", {"sentences": 25})
        await server.wait_for_callback(interaction)
        followup = await server.wait_for_request(created("execute_webhook"))
        embed = embed_of(followup)
        assert server.limit_violations == []
        assert embed["footer"]["text"] == disclaimer
        names = [f["name"] for f in embed["fields"]]
        assert names[0] == "The article"
        assert any(re.fullmatch(r".+ \(\d+ comments\)", n) for n in names)
        for field in embed["fields"]:
            if field["name"] == "More":  # quotes that did not fit are counted, never cut off
                assert "fewer sentences" in field["value"]
                continue
            blocks = field["value"].split("\n\n")
            # every quote block ends with who wrote it and when (the article: its title)
            assert all(b.startswith("> ") and "\n— " in b for b in blocks)
            for block in blocks:
                who = block.rsplit("\n— ", 1)[1]
                assert ATTRIBUTION.match(who) or who.startswith("Botox for Migraine")
        assert_pings_nobody(followup.body)


async def test_reload_by_an_admin_reports_the_change(start: Start, tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "seed.txt")
    async with start(corpus=tmp_path) as (server, bot):
        (tmp_path / "more.yaml").write_text(
            "title: More\narticle: Sleep and migraine.\ncomments:\n"
            "  - author: Ann\n    date: 2020-01-02\n    text: Sleep helped.\n",
            encoding="utf-8",
        )
        interaction = await server.send_slash("reload", user_id=server.admin_id)
        await server.wait_for_callback(interaction)
        followup = await server.wait_for_request(created("execute_webhook"))
        text = followup.body["content"]
        assert "documents 1 → 2" in text and "comments 30 → 31" in text
        assert followup.body["flags"] & 64  # ephemeral
        assert len(bot.engine.snapshot.documents) == 2


async def test_a_failed_reload_keeps_the_old_index(start: Start, tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "seed.txt")
    async with start(corpus=tmp_path) as (server, bot):
        before = bot.engine.snapshot
        (tmp_path / "broken.txt").write_text("Title\n\nBody\n  • X Feb 30, 2012\n    hi\n")
        interaction = await server.send_slash("reload", user_id=server.admin_id)
        await server.wait_for_callback(interaction)
        followup = await server.wait_for_request(created("execute_webhook"))
        assert "Reload failed" in followup.body["content"]
        assert "broken.txt:4" in followup.body["content"]
        assert bot.engine.snapshot is before


async def test_reload_is_refused_for_a_non_admin(start: Start) -> None:
    async with start() as (server, bot):
        before = bot.engine.snapshot
        interaction = await server.send_slash("reload", user_id=server.member_id)
        callback = await server.wait_for_callback(interaction)
        assert callback.body["type"] == 4
        assert callback.body["data"]["flags"] & 64
        assert "only server admins" in callback.body["data"]["content"]
        assert bot.engine.snapshot is before


async def test_cooldown_gives_a_friendly_ephemeral_message(start: Start) -> None:
    async with start(cooldown_questions=1, cooldown_seconds=300) as (server, _bot):
        first = await server.send_slash("ask", {"question": "neck pain?"})
        await server.wait_for_callback(first)
        second = await server.send_slash("ask", {"question": "neck pain again?"})
        callback = await server.wait_for_callback(second)
        assert callback.body["data"]["flags"] & 64
        assert "asking quickly" in callback.body["data"]["content"]


async def test_mentions_and_ask_share_one_limit(start: Start) -> None:
    async with start(cooldown_questions=1, cooldown_seconds=300) as (server, _bot):
        await server.send_message(content="neck pain?", mention_bot=True)
        await server.wait_for_request(created())
        second = await server.send_message(content="neck pain again?", mention_bot=True)
        notice = await server.wait_for_request(
            lambda r: created()(r) and "asking quickly" in str(r.body.get("content"))
        )
        assert notice.body["message_reference"]["message_id"] in (second["id"], int(second["id"]))
        assert "embeds" not in notice.body or not notice.body["embeds"]
        ask = await server.send_slash("ask", {"question": "and now?"})
        callback = await server.wait_for_callback(ask)
        assert callback.body["data"]["flags"] & 64
        assert "asking quickly" in callback.body["data"]["content"]


async def test_a_3000_character_question(start: Start, disclaimer: str) -> None:
    async with start() as (server, _bot):
        await server.send_message(content="neck " * 600, mention_bot=True)
        request = await server.wait_for_request(created())
        embed = embed_of(request)
        assert embed["footer"]["text"] == disclaimer
        assert "too long" in embed["description"]
        assert server.limit_violations == []


async def test_everyone_in_a_question_pings_nobody(start: Start) -> None:
    async with start() as (server, _bot):
        await server.send_message(
            content="@everyone <@123> does botox help neck pain?", mention_bot=True
        )
        request = await server.wait_for_request(created())
        assert_pings_nobody(request.body)
        assert not LIVE.search(str(request.body))


async def test_without_the_intent_only_mentions_are_answered(start: Start) -> None:
    async with start() as (server, bot):
        assert not bot.intents.message_content
        await server.send_message(content="neck pain? (no mention)")
        second = await server.send_message(content="neck pain?", mention_bot=True)
        request = await server.wait_for_request(created())
        assert str(request.body["message_reference"]["message_id"]) == second["id"]
        assert len([r for r in server.requests if r.kind == "create_message"]) == 1


async def test_answer_channels_need_and_get_the_intent(start: Start) -> None:
    async with start(answer_here=True) as (server, bot):
        assert bot.intents.message_content
        sent = await server.send_message(content="did it help anyone's neck pain?")
        request = await server.wait_for_request(created())
        assert str(request.body["message_reference"]["message_id"]) == sent["id"]


def button_of(message: dict) -> str:
    (row,) = message["components"]
    (button,) = row["components"]
    assert button["label"] == "More quotes"
    return button["custom_id"]


async def test_more_quotes_for_the_asker_only(start: Start, disclaimer: str) -> None:
    async with start() as (server, _bot):
        await server.send_message(content="botox injections", mention_bot=True)
        first = await server.wait_for_request(created())
        message = first.response
        shown = {f["name"] for f in embed_of(first)["fields"]}
        custom_id = button_of(message)

        other = await server.click_button(message, custom_id, user_id=server.admin_id)
        refused = await server.wait_for_callback(other)
        assert refused.body["data"]["flags"] & 64
        assert "Only the person who asked" in refused.body["data"]["content"]

        mine = await server.click_button(message, custom_id, user_id=server.member_id)
        more = await server.wait_for_callback(mine)
        embed = more.body["data"]["embeds"][0]
        assert embed["footer"]["text"] == disclaimer
        names = {f["name"] for f in embed["fields"]}
        assert names and not names & shown  # the next comments, none repeated
        edited = await server.wait_for_request(
            lambda r: r.method == "PATCH" and str(message["id"]) in r.path
        )
        assert edited.body["components"][0]["components"][0]["disabled"] is True


async def test_typing_is_shown_while_answering(start: Start) -> None:
    async with start() as (server, _bot):
        await server.send_message(content="neck pain?", mention_bot=True)
        await server.wait_for_request(created())
        assert any(r.path.endswith("/typing") for r in server.requests)


async def test_sighup_reloads_the_corpus(start: Start, tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "seed.txt")
    async with start(corpus=tmp_path) as (_server, bot):
        report = await sighup_after_adding_a_comment(bot, tmp_path / "seed.txt", SEED)
        assert report.ok and report.after.comments == 31
        assert bot.engine.snapshot.stats.comments == 31


async def test_about_describes_the_corpus(start: Start, disclaimer: str) -> None:
    async with start() as (server, bot):
        interaction = await server.send_slash("about")
        callback = await server.wait_for_callback(interaction)
        embed = callback.body["data"]["embeds"][0]
        assert embed["footer"]["text"] == disclaimer
        text = str(embed)
        assert "Botox for Migraine" in text and "30 comments" in text
        assert f"fingerprint {bot.engine.snapshot.fingerprint}" in text  # what /reload reports


async def test_more_quotes_button_expires_after_ten_minutes() -> None:
    from bot.discord_adapter.cogs.questions import MORE_TIMEOUT, MoreQuotes

    edits: list[object] = []

    class Message:
        async def edit(self, *, view: object) -> None:
            edits.append(view)

    view = MoreQuotes(cog=None, question="q", asker_id=1, shown=3)  # type: ignore[arg-type]
    assert view.timeout == MORE_TIMEOUT == 600
    view.message = Message()  # type: ignore[assignment]
    await view.on_timeout()  # what discord.py calls when the 10 minutes are up
    assert edits == [view]
    assert all(getattr(item, "disabled", False) for item in view.children)


async def test_logs_carry_metadata_not_the_question(start: Start, caplog) -> None:
    import logging

    secret = "my private migraine question about neck pain"
    with caplog.at_level(logging.INFO, logger="bot.discord.questions"):
        async with start() as (server, _bot):
            await server.send_message(content=secret, mention_bot=True)
            await server.wait_for_request(created())
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.discord.questions"]
    assert any("answered via=message" in line and "quotes=" in line for line in lines)
    assert not any(secret in r.getMessage() for r in caplog.records)


async def test_question_text_is_logged_only_when_turned_on(start: Start, caplog, config) -> None:
    import logging
    from dataclasses import replace

    import tests.livebot as livebot

    secret = "neck pain question to log"
    loud = replace(config, log_question_text=True)
    with caplog.at_level(logging.INFO, logger="bot.discord.questions"):
        async with livebot.running_bot(loud) as (server, _bot):
            await server.send_message(content=secret, mention_bot=True)
            await server.wait_for_request(created())
    assert any(secret in r.getMessage() for r in caplog.records)
