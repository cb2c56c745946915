"""End-to-end tests of FakeDiscord with the real, unpatched discord.py client."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
import pytest
from discord import app_commands

from .server import FakeDiscord, RecordedRequest, message_errors

TIMEOUT = 5.0


def intents(*, message_content: bool = False) -> discord.Intents:
    chosen = discord.Intents.default()
    chosen.message_content = message_content
    return chosen


class Collecting:
    """Queues the messages other users post, and connects without discord.py's waits."""

    def __init__(self, *, intents: discord.Intents | None = None, **options: Any) -> None:
        # on_ready otherwise waits 2 s after the last GUILD_CREATE.
        options.setdefault("guild_ready_timeout", 0.05)
        super().__init__(intents=intents or discord.Intents.default(), **options)
        self.messages: asyncio.Queue[discord.Message] = asyncio.Queue()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py sleeps 5 s before every IDENTIFY but the first; no rate limit here."""

    async def on_message(self, message: discord.Message) -> None:
        if message.author.id != self.user.id:
            await self.messages.put(message)

    async def next_message(self) -> discord.Message:
        return await asyncio.wait_for(self.messages.get(), TIMEOUT)


class Client(Collecting, discord.Client):
    pass


class ShardedClient(Collecting, discord.AutoShardedClient):
    pass


class MentionBot(Client):
    """Replies to mentions; `!button` gets a message with a button."""

    async def on_message(self, message: discord.Message) -> None:
        await super().on_message(message)
        if self.user not in message.mentions:
            return
        if message.content.endswith("!button"):
            await message.channel.send("press it", view=ClickView())
        else:
            await message.reply(f"pong: {message.content}")


class ClickView(discord.ui.View):
    @discord.ui.button(label="Click", custom_id="click")
    async def click(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(content="clicked", view=None)


class SlashBot(Client):
    """Guild slash commands, synced in setup_hook as the project's bot does."""

    def __init__(self, guild_id: int) -> None:
        super().__init__()
        self.tree = app_commands.CommandTree(self)
        self.guild = discord.Object(guild_id)
        self._add_commands()

    async def setup_hook(self) -> None:
        await self.tree.sync(guild=self.guild)

    def _add_commands(self) -> None:
        @self.tree.command(guild=self.guild, description="Repeat some text")
        async def echo(interaction: discord.Interaction, text: str, times: int = 1) -> None:
            await interaction.response.send_message(text * times)

        @echo.autocomplete("text")
        async def complete(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            words = ("apple", "apricot", "banana")
            return [app_commands.Choice(name=w, value=w) for w in words if w.startswith(current)]

        @self.tree.command(guild=self.guild, description="Answer after thinking")
        async def slow(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.followup.send("done")

        @self.tree.command(guild=self.guild, description="Only for server managers")
        @app_commands.default_permissions(manage_guild=True)
        @app_commands.checks.has_permissions(manage_guild=True)
        async def manage(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("allowed", ephemeral=True)

        @self.tree.command(guild=self.guild, description="Read an attached file")
        async def upload(interaction: discord.Interaction, file: discord.Attachment) -> None:
            data = await file.read()
            await interaction.response.send_message(f"{file.filename} {file.size} {data!r}")

        @manage.error
        async def refuse(interaction: discord.Interaction, _: Exception) -> None:
            await interaction.response.send_message("refused", ephemeral=True)


def kind_is(kind: str, status: int | None = None) -> Any:
    def matches(request: RecordedRequest) -> bool:
        return request.kind == kind and (status is None or request.status == status)

    return matches


@pytest.mark.asyncio
async def test_connects_and_replies_to_a_mention(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run_client(MentionBot()) as client:
        assert client.user is not None and client.user.id == fake_discord.bot_id
        guild = client.get_guild(fake_discord.guild_id)
        assert guild is not None and guild.me is not None
        assert guild.get_channel(fake_discord.channel_id) is not None

        sent = await fake_discord.send_message(content="ping", mention_bot=True)
        request = await fake_discord.wait_for_request(kind_is("create_message"))

    assert request.path == f"/channels/{fake_discord.channel_id}/messages"
    assert request.body["content"] == f"pong: <@{fake_discord.bot_id}> ping"
    assert request.body["message_reference"]["message_id"] == int(sent["id"])
    assert [m["content"] for m in fake_discord.sent_messages()] == [request.body["content"]]
    assert not fake_discord.limit_violations


@pytest.mark.asyncio
async def test_content_is_hidden_without_the_intent_unless_mentioned_or_in_a_dm(
    fake_discord: FakeDiscord,
) -> None:
    async with fake_discord.run_client(Client(intents=intents())) as client:
        await fake_discord.send_message(content="plain")
        assert (await client.next_message()).content == ""

        await fake_discord.send_message(content="hello", mention_bot=True)
        assert (await client.next_message()).content == f"<@{fake_discord.bot_id}> hello"

        await fake_discord.send_dm(fake_discord.member_id, "private")
        dm = await client.next_message()
        assert dm.content == "private" and isinstance(dm.channel, discord.DMChannel)
        await dm.channel.send("dm reply")

    [reply] = fake_discord.sent_messages(dm.channel.id)
    assert reply["content"] == "dm reply"


@pytest.mark.asyncio
async def test_content_is_visible_with_the_intent(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run_client(Client(intents=intents(message_content=True))) as client:
        await fake_discord.send_message(content="plain")
        assert (await client.next_message()).content == "plain"


@pytest.mark.asyncio
async def test_slash_command_synced_in_setup_hook_is_answered(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run_client(SlashBot(fake_discord.guild_id)):
        synced = {c["name"]: c for c in fake_discord.commands(fake_discord.guild_id)}
        assert set(synced) == {"echo", "slow", "manage", "upload"}
        assert synced["manage"]["default_member_permissions"] == str(1 << 5)

        interaction = await fake_discord.send_slash("echo", {"text": "hi", "times": 2})
        callback = await fake_discord.wait_for_callback(interaction)

    assert [o["type"] for o in interaction["data"]["options"]] == [3, 4]
    assert callback.body["type"] == 4 and callback.body["data"]["content"] == "hihi"
    assert callback.response["resource"]["message"]["content"] == "hihi"
    assert [m["content"] for m in fake_discord.sent_messages()] == ["hihi"]


@pytest.mark.asyncio
async def test_attachment_options_are_resolved_and_served(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run_client(SlashBot(fake_discord.guild_id)):
        upload = fake_discord.add_attachment("notes.txt", b"hello")
        interaction = await fake_discord.send_slash("upload", {"file": upload["id"]})
        callback = await fake_discord.wait_for_callback(interaction)

    [option] = interaction["data"]["options"]
    assert option == {"name": "file", "type": 11, "value": upload["id"]}
    assert interaction["data"]["resolved"]["attachments"][upload["id"]]["size"] == 5
    assert callback.body["data"]["content"] == "notes.txt 5 b'hello'"
    [download] = [r for r in fake_discord.requests if r.kind == "get_attachment"]
    assert download.path == f"/attachments/{upload['id']}/notes.txt" and download.status == 200


@pytest.mark.asyncio
async def test_deferred_answer_arrives_as_the_first_followup(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run_client(SlashBot(fake_discord.guild_id)):
        interaction = await fake_discord.send_slash("slow")
        callback = await fake_discord.wait_for_callback(interaction)
        followup = await fake_discord.wait_for_request(kind_is("execute_webhook"))

    assert callback.body["type"] == 5
    assert followup.query["wait"] == "1" and followup.status == 200
    [answer] = fake_discord.sent_messages()
    assert (
        answer["content"] == "done"
        and answer["id"] == callback.response["resource"]["message"]["id"]
    )


@pytest.mark.asyncio
async def test_permission_checks_see_the_member_permissions(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run_client(SlashBot(fake_discord.guild_id)):
        refused = await fake_discord.send_slash("manage", user_id=fake_discord.member_id)
        allowed = await fake_discord.send_slash("manage", user_id=fake_discord.admin_id)
        answers = [await fake_discord.wait_for_callback(i) for i in (refused, allowed)]

    assert [a.body["data"]["content"] for a in answers] == ["refused", "allowed"]
    assert all(a.body["data"]["flags"] == 64 for a in answers)


@pytest.mark.asyncio
async def test_autocomplete_gets_choices(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run_client(SlashBot(fake_discord.guild_id)):
        interaction = await fake_discord.send_autocomplete("echo", {"text": "ap"}, focused="text")
        callback = await fake_discord.wait_for_callback(interaction)

    assert callback.body["type"] == 8
    assert [c["value"] for c in callback.body["data"]["choices"]] == ["apple", "apricot"]


@pytest.mark.asyncio
async def test_button_click_updates_the_message(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run_client(MentionBot()):
        await fake_discord.send_message(content="!button", mention_bot=True)
        await fake_discord.wait_for_request(kind_is("create_message"))
        [message] = fake_discord.sent_messages()
        interaction = await fake_discord.click_button(message, "click")
        callback = await fake_discord.wait_for_callback(interaction)

    assert callback.body["type"] == 7
    assert fake_discord.sent_messages()[0]["content"] == "clicked"
    assert fake_discord.sent_messages()[0]["components"] == []


@pytest.mark.asyncio
async def test_rate_limited_message_is_retried_and_sent_once(fake_discord: FakeDiscord) -> None:
    fake_discord.fail_next("create_message", status=429, retry_after=0.05)
    async with fake_discord.run_client(MentionBot()):
        await fake_discord.send_message(content="ping", mention_bot=True)
        await fake_discord.wait_for_request(kind_is("create_message", status=200))

    attempts = [r.status for r in fake_discord.requests if r.kind == "create_message"]
    assert attempts == [429, 200]
    assert len(fake_discord.sent_messages()) == 1


@pytest.mark.asyncio
async def test_expired_interaction_is_reported_to_the_bot(fake_discord: FakeDiscord) -> None:
    fake_discord.fail_next("interaction_callback", status=404)
    async with fake_discord.run_client(SlashBot(fake_discord.guild_id)):
        await fake_discord.send_slash("echo", {"text": "hi"})
        failed = await fake_discord.wait_for_request(kind_is("interaction_callback"))

    assert failed.status == 404 and failed.response["code"] == 10062
    assert fake_discord.sent_messages() == []


@pytest.mark.asyncio
async def test_messages_over_discord_limits_are_rejected(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run_client(Client()) as client:
        channel = client.get_channel(fake_discord.channel_id)
        assert isinstance(channel, discord.TextChannel)
        with pytest.raises(discord.HTTPException) as rejected:
            await channel.send("x" * 2001)

    assert rejected.value.status == 400 and rejected.value.code == 50035
    assert [v.field for v in fake_discord.limit_violations] == ["content"]
    assert fake_discord.sent_messages() == []


def test_embed_limits_follow_the_documentation() -> None:
    fields = [{"name": "n" * 257, "value": "v" * 1025}] + [{"name": "n", "value": "v"}] * 25
    embed = {"title": "t" * 257, "description": "d" * 4097, "fields": fields}
    embed |= {"footer": {"text": "f" * 2049}, "author": {"name": "a" * 257}}
    paths = [path for path, _, _ in message_errors({"embeds": [embed] * 11})]
    expected = ["title", "description", "footer.text", "author.name"]
    expected += ["fields.0.name", "fields.0.value", "fields"]
    assert paths[0] == "embeds" and paths[-1] == "embeds"
    assert paths[1:8] == [f"embeds.0.{path}" for path in expected]
    assert message_errors({"content": "x" * 2000, "embeds": [{"description": "d" * 4096}]}) == []


@pytest.mark.asyncio
async def test_unknown_routes_are_recorded_and_answered_404(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run_client(Client()) as client:
        channel = client.get_channel(fake_discord.channel_id)
        assert isinstance(channel, discord.TextChannel)
        with pytest.raises(discord.NotFound):
            await channel.fetch_message(1)

    assert [r.kind for r in fake_discord.requests if r.status == 404] == ["unknown"]


@pytest.mark.asyncio
async def test_disconnect_resumes_and_replays_missed_events(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run_client(Client(intents=intents(message_content=True))) as client:
        resumed = asyncio.ensure_future(client.wait_for("resumed", timeout=TIMEOUT))
        await fake_discord.disconnect(shard_id=0)
        await fake_discord.send_message(content="while away")
        await resumed
        resume = await fake_discord.wait_for_gateway(lambda frame: frame.op == 6)
        assert resume.session_id is not None and resume.d["seq"] > 0
        assert (await client.next_message()).content == "while away"

        await fake_discord.send_message(content="after")
        assert (await client.next_message()).content == "after"

    assert [f.op for f in fake_discord.gateway_frames if f.op in (2, 6)] == [2, 6]


@pytest.mark.asyncio
async def test_invalid_session_makes_the_client_identify_again(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run_client(Client(intents=intents(message_content=True))) as client:
        ready_again = asyncio.ensure_future(client.wait_for("ready", timeout=TIMEOUT))
        await fake_discord.invalidate_session()
        await ready_again
        await fake_discord.send_message(content="new session")
        assert (await client.next_message()).content == "new session"

    assert [f.op for f in fake_discord.gateway_frames if f.op in (2, 6)] == [2, 2]


@pytest.mark.asyncio
async def test_each_shard_gets_only_its_guilds_events(fake_discord: FakeDiscord) -> None:
    fake_discord.shard_count = 2
    channels = {}
    for shard_id in (0, 1):
        guild = await fake_discord.add_guild((1000 + shard_id) << 22, f"shard {shard_id}")
        channels[shard_id] = await fake_discord.add_channel(guild["id"], name="general")

    async with fake_discord.run_client(
        ShardedClient(intents=intents(message_content=True))
    ) as client:
        assert client.shard_count == 2
        for shard_id, channel in channels.items():
            await fake_discord.send_message(channel["id"], content=f"to shard {shard_id}")
        received = {
            m.content: m.guild.shard_id
            for m in [await client.next_message() for _ in channels]
            if m.guild
        }
        sessions = list(fake_discord.sessions.values())

    assert received == {"to shard 0": 0, "to shard 1": 1}
    delivered = {
        s.shard_id: [e["d"]["content"] for e in s.events if e["t"] == "MESSAGE_CREATE"]
        for s in sessions
    }
    assert delivered == {0: ["to shard 0"], 1: ["to shard 1"]}
