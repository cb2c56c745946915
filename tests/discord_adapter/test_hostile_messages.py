"""Hostile bytes through the real bot and the loopback Discord server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bot.text.clean import BIDI_CONTROLS
from tests.discord_adapter.conftest import Start
from tests.discord_adapter.test_bot import created, embed_of
from tests.helpers import SEED
from tests.test_yamlsource import alias_bomb


async def test_a_message_with_a_lone_surrogate_is_answered(start: Start, disclaimer: str) -> None:
    async with start() as (server, _bot):
        await server.send_message(content="neck pain \ud800 after botox?", mention_bot=True)
        request = await server.wait_for_request(created())
        embed = embed_of(request)
        assert embed["footer"]["text"] == disclaimer and embed["fields"]


async def test_bidi_controls_never_reach_field_names(start: Start, tmp_path: Path) -> None:
    record = {
        "document": "T\u202e",
        "author": "Mallory\u202e2102 ,71 beF",
        "date": "2020-01-02",
        "text": "Botox \u2066helped\u2069 my neck pain a lot.",
    }
    (tmp_path / "forum.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    async with start(corpus=tmp_path) as (server, _bot):
        await server.send_message(content="did botox help neck pain?", mention_bot=True)
        request = await server.wait_for_request(created())
        (field,) = embed_of(request)["fields"]
        assert field["name"].startswith("Mallory2102 ,71 beF · Jan 2, 2020")
        assert not set(json.dumps(request.body, ensure_ascii=False)) & set(BIDI_CONTROLS)


async def test_a_reload_meeting_an_alias_bomb_is_short_and_keeps_the_index(
    start: Start, tmp_path: Path
) -> None:
    shutil.copy(SEED, tmp_path / "seed.txt")
    async with start(corpus=tmp_path) as (server, bot):
        before = bot.engine.snapshot
        (tmp_path / "bomb.yaml").write_text(f"title: {alias_bomb(9)}\n", encoding="utf-8")
        interaction = await server.send_slash("reload", user_id=server.admin_id)
        await server.wait_for_callback(interaction)
        followup = await server.wait_for_request(created("execute_webhook"))
        text = followup.body["content"]
        assert "Reload failed" in text and "bomb.yaml:1: aliases expand to more than" in text
        assert len(text) < 600 and "lol" not in text
        assert bot.engine.snapshot is before
