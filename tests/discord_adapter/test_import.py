"""/import end to end: the real bot, a file attached to the slash command on the loopback server."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.corpus.importers.helpers import DATA
from tests.discord_adapter.conftest import Start
from tests.fakediscord.server import FakeDiscord, RecordedRequest
from tests.helpers import SEED

EPHEMERAL = 64


def followups(r: RecordedRequest) -> bool:
    return r.kind == "execute_webhook" and r.status < 300


def unescaped(text: str) -> str:
    """The text as Discord shows it: markdown escapes in names (wordpress\\-1.2.xml) removed."""
    return re.sub(r"\\(.)", r"\1", text)


def downloads(server: FakeDiscord) -> list[RecordedRequest]:
    return [r for r in server.requests if r.kind == "get_attachment"]


async def _import(server: FakeDiscord, name: str, data: bytes, **options: object) -> str:
    """An admin runs /import with the file attached; returns the bot's ephemeral answer."""
    upload = server.add_attachment(name, data, **options.pop("upload", {}))  # type: ignore[arg-type]
    interaction = await server.send_slash(
        "import", {"file": upload["id"], **options}, user_id=server.admin_id
    )
    callback = await server.wait_for_callback(interaction)
    if callback.body["type"] == 4:  # refused at once
        assert callback.body["data"]["flags"] & EPHEMERAL
        return unescaped(callback.body["data"]["content"])
    assert callback.body["type"] == 5 and callback.body["data"]["flags"] & EPHEMERAL
    path = f"/webhooks/{interaction['application_id']}/{interaction['token']}"
    followup = await server.wait_for_request(lambda r: followups(r) and r.path == path, 30)
    assert followup.body["flags"] & EPHEMERAL
    return unescaped(followup.body["content"])


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    shutil.copy(SEED, tmp_path / "seed.txt")
    return tmp_path


@pytest.mark.parametrize(
    ("export", "written", "title", "comments"),
    [
        (
            "wordpress-1.2.xml",
            "sleep-migraine-what-helps.jsonl",
            "Sleep & migraine: what helps?",
            5,
        ),
        ("disqus.xml", "cold-weather-migraines.jsonl", "Cold weather & migraines", 4),
        (
            "wordpress-page-twentytwentyone.html",
            "cluster-headaches-at-night.jsonl",
            "Cluster headaches at night",
            4,
        ),
        (
            "discourse-topic.json",
            "magnesium-for-migraine-prevention.jsonl",
            "Magnesium for migraine prevention?",
            4,
        ),
    ],
)
async def test_an_admin_imports_each_format_and_the_corpus_reloads(
    start: Start, corpus: Path, export: str, written: str, title: str, comments: int
) -> None:
    async with start(corpus=corpus) as (server, bot):
        text = await _import(server, export, (DATA / export).read_bytes())
        assert text.startswith(f"Imported 1 document(s), {comments} comments ")
        assert f"from {export} (" in text and f"into the corpus as {written}" in text
        assert "Reloaded in " in text and "documents 1 → 2" in text
        assert (corpus / written).is_file()
        [doc] = [d for d in bot.engine.snapshot.documents if d.title == title]
        assert len(doc.comments) == comments
        assert len(downloads(server)) == 1


async def test_imported_threads_answer_questions_with_their_replies(
    start: Start, corpus: Path
) -> None:
    async with start(corpus=corpus) as (server, _bot):
        text = await _import(server, "export.xml", (DATA / "wordpress-1.2.xml").read_bytes())
        assert "skipped 7 (" in text and "pingback: 1" in text and "spam: 1" in text
        interaction = await server.send_slash(
            "ask", {"question": "does a dark room help with sleep?"}, user_id=server.member_id
        )
        await server.wait_for_callback(interaction)
        path = f"/webhooks/{interaction['application_id']}/{interaction['token']}"
        answer = await server.wait_for_request(lambda r: followups(r) and r.path == path, 30)
        [first, *_] = answer.body["embeds"][0]["fields"]
        assert first["name"] == (
            "Ann Lee · Mar 1, 2021 · replying to Bob · on “Sleep & migraine: what helps?”"
        )
        assert "dark room" in first["value"]


async def test_a_member_gets_the_polite_refusal_and_nothing_is_downloaded(
    start: Start, corpus: Path
) -> None:
    async with start(corpus=corpus) as (server, bot):
        before = bot.engine.snapshot
        upload = server.add_attachment("disqus.xml", (DATA / "disqus.xml").read_bytes())
        interaction = await server.send_slash(
            "import", {"file": upload["id"]}, user_id=server.member_id
        )
        callback = await server.wait_for_callback(interaction)
        assert callback.body["data"]["content"] == "Sorry, only server admins can do that."
        assert callback.body["data"]["flags"] & EPHEMERAL
        assert downloads(server) == [] and bot.engine.snapshot is before
        assert sorted(p.name for p in corpus.iterdir()) == ["seed.txt"]
        command = next(c for c in server.commands(server.guild_id) if c["name"] == "import")
        assert int(command["default_member_permissions"]) == 1 << 5  # Manage Server


async def test_size_is_checked_from_the_metadata_before_any_download(
    start: Start, corpus: Path
) -> None:
    async with start(corpus=corpus) as (server, _bot):
        text = await _import(server, "big.xml", b"<rss/>", upload={"size": 25_000_000})
        assert text == (
            "Import refused: big.xml is 25,000,000 bytes, more than imports.max_bytes (20,000,000)."
        )
        assert downloads(server) == []


async def test_only_discord_attachment_urls_are_downloaded(start: Start, corpus: Path) -> None:
    async with start(corpus=corpus) as (server, _bot):
        for url in (
            "https://attacker.example/export.xml",
            "http://cdn.discordapp.com/attachments/1/2/export.xml",  # not https
            "http://127.0.0.1:9/attachments/1/export.xml",  # loopback, but not the API host
            "file:///etc/passwd",
        ):
            text = await _import(server, "export.xml", b"<rss/>", upload={"url": url})
            assert text == "Import refused: export.xml is not a Discord upload."
        assert downloads(server) == []


async def test_a_download_longer_than_announced_is_refused(start: Start, corpus: Path) -> None:
    async with start(corpus=corpus) as (server, _bot):
        data = (DATA / "disqus.xml").read_bytes()
        text = await _import(server, "disqus.xml", data, upload={"size": 100})
        assert text.startswith(f"Import failed: disqus.xml arrived as {len(data):,} bytes, not")
        assert sorted(p.name for p in corpus.iterdir()) == ["seed.txt"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("billion-laughs.xml", "billion-laughs.xml:2: refused a DTD"),
        ("external-entity.xml", "external-entity.xml:2: refused a DTD"),
        ("malformed.xml", "malformed.xml:8: not well-formed XML"),
        ("notes.txt", "notes.txt:1: does not look like a WordPress export"),
    ],
)
async def test_a_hostile_export_is_refused_and_the_old_index_kept(
    start: Start, corpus: Path, name: str, expected: str
) -> None:
    async with start(corpus=corpus) as (server, bot):
        before = bot.engine.snapshot
        text = await _import(server, name, (DATA / "hostile" / name).read_bytes())
        assert text.startswith("Import failed, nothing was written: ") and expected in text
        assert bot.engine.snapshot is before
        assert sorted(p.name for p in corpus.iterdir()) == ["seed.txt"]


async def test_an_existing_file_is_replaced_only_when_asked(start: Start, corpus: Path) -> None:
    async with start(corpus=corpus) as (server, _bot):
        data = (DATA / "discourse-topic.json").read_bytes()
        assert (await _import(server, "t.json", data)).startswith("Imported")
        again = await _import(server, "t.json", data)
        assert again == (
            "Import failed, nothing was written: magnesium-for-migraine-prevention.jsonl: "
            "is already in the corpus; run /import with replace: True"
        )
        replaced = await _import(server, "t.json", data, replace=True)
        assert replaced.startswith("Imported") and "documents 2 → 2" in replaced


async def test_a_failed_reload_takes_the_import_out_and_keeps_the_old_index(
    start: Start, corpus: Path
) -> None:
    async with start(corpus=corpus) as (server, bot):
        before = bot.engine.snapshot
        (corpus / "broken.txt").write_text("Title\n\nBody\n  • X Feb 30, 2012\n    hi\n")
        text = await _import(server, "disqus.xml", (DATA / "disqus.xml").read_bytes())
        assert text.startswith("Reload failed") and "broken.txt:4" in text
        assert text.endswith("The imported file was taken out again.")
        assert bot.engine.snapshot is before
        assert sorted(p.name for p in corpus.iterdir()) == ["broken.txt", "seed.txt"]
