"""The Discord client: intents, cogs, command sync, reload on SIGHUP, one error handler."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cluster import Cluster, ClusterReload
from bot.discord_adapter.checks import NotAnAdmin
from bot.discord_adapter.cooldown import QuestionCooldown, question_cooldown, too_quick
from bot.engine import Engine, ReloadReport
from bot.feedback import FeedbackStore

log = logging.getLogger("bot.discord")

EXTENSIONS = (
    "bot.discord_adapter.cogs.questions",
    "bot.discord_adapter.cogs.summaries",
    "bot.discord_adapter.cogs.admin",
    "bot.discord_adapter.cogs.importer",
    "bot.discord_adapter.cogs.feedback",
)


def intents_for(engine: Engine) -> discord.Intents:
    """Only what the bot uses. Message content is privileged: asked for only when channels are
    configured to be answered without a mention (mentions and DMs carry content anyway)."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = bool(engine.config.discord.answer_channels)
    return intents


def shards_of(engine: Engine) -> tuple[int, ...] | None:
    """The shards this process runs, as configured; None: all (one process, or Discord picks)."""
    settings = engine.config.discord
    if settings.shard_ids is not None:
        return settings.shard_ids
    return tuple(range(settings.shard_count)) if settings.shard_count else None


def result_line(result: ClusterReload) -> str:
    """For the log: how many processes reloaded and what they serve."""
    if result.propagation is None:
        return f"this process only, corpus {result.me.fingerprint}"
    if result.propagation.error:
        return f"this process only: {result.propagation.error}"
    return f"{result.reloaded}/{result.processes} processes, corpus {result.me.fingerprint}"


def feedback_store(engine: Engine) -> FeedbackStore | None:
    """The vote store when feedback is on (the file is only created when first used)."""
    settings = engine.config.feedback
    if not settings.enabled or settings.path is None:
        return None
    return FeedbackStore(settings.path, settings.busy_timeout, settings.keep_days)


class _DiscussionBot:
    """Behaviour shared by the plain and the auto-sharded bot."""

    engine: Engine
    cooldown: QuestionCooldown | None
    feedback: FeedbackStore | None
    tree: app_commands.CommandTree[Any]

    def _init(self, engine: Engine) -> None:
        self.engine = engine
        self.signal_reload: asyncio.Task[ReloadReport] | None = None  # the latest SIGHUP reload
        settings = engine.config.discord
        self.cooldown = question_cooldown(settings.cooldown_questions, settings.cooldown_seconds)
        self.cluster = Cluster(engine, self.reload_corpus, shards_of(engine))
        self.feedback = feedback_store(engine)

    async def setup_hook(self) -> None:
        # What a first question would wait for (the typo index, the urgent-care examples)
        # loads before the bot takes questions, off the event loop.
        await asyncio.to_thread(self.engine.warm_up)
        for extension in EXTENSIONS:
            try:
                await self.load_extension(extension)  # type: ignore[attr-defined]
            except Exception:
                log.exception("could not load %s", extension)
                raise
        self.tree.on_error = self.on_app_command_error
        await self.sync_commands()
        await self.cluster.start()
        self._install_sighup()

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: questions are handled by the questions cog's listener."""

    async def sync_commands(self) -> None:
        guild_ids = self.engine.config.discord.guild_ids
        if not guild_ids:
            synced = await self.tree.sync()
            log.info("synced %d global commands", len(synced))
            return
        for guild_id in guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), guild_id)

    def _install_sighup(self) -> None:
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self._on_sighup)
        except (NotImplementedError, RuntimeError, ValueError):
            log.info("SIGHUP reload is not available here")

    def _on_sighup(self) -> None:
        log.info("SIGHUP: reloading the corpus")
        self.signal_reload = asyncio.get_running_loop().create_task(self._sighup_reload())

    async def _sighup_reload(self) -> ReloadReport:
        result = await self.broadcast_reload("SIGHUP")
        log.info("SIGHUP reload: %s", result_line(result))
        return result.local

    async def broadcast_reload(self, reason: str, *, send_on_failure: bool = True) -> ClusterReload:
        """Reload this process, then every other one when Redis is configured (/reload, /import
        and SIGHUP call this); the answers are in the result."""
        return await self.cluster.broadcast_reload(reason, send_on_failure=send_on_failure)

    async def reload_corpus(self, reason: str) -> ReloadReport:
        """Reload this process only (the watcher and broadcasts from other processes)."""
        report = await self.engine.reload()
        if report.ok:
            log.info(
                "reload (%s): %d → %d passages in %.2f s",
                reason,
                report.before.passages,
                report.after.passages,
                report.seconds,
            )
        else:
            log.error("reload (%s) failed, keeping the old index: %s", reason, report.errors[0])
        return report

    async def close(self) -> None:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
        await self.cluster.close()
        await super().close()  # type: ignore[misc]

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """The one error handler for slash commands: short ephemeral words, never a traceback."""
        if isinstance(error, app_commands.CommandOnCooldown):
            text = too_quick(error.retry_after)
        elif isinstance(error, NotAnAdmin):
            text = "Sorry, only server admins can do that."
        elif isinstance(error, app_commands.CheckFailure):
            text = "Sorry, you can't use that command here."
        else:
            original = getattr(error, "original", error)
            if isinstance(original, discord.NotFound) and original.code == 10062:
                log.warning("interaction expired before we answered (%s)", interaction.command)
                return
            log.error(
                "command %s failed",
                interaction.command.name if interaction.command else "?",
                exc_info=original,
            )
            text = "Something went wrong on my side. Please try again in a moment."
        await send_ephemeral(interaction, text)


async def send_ephemeral(interaction: discord.Interaction, text: str) -> None:
    """Answer or follow up, whichever the interaction still allows; an expired one is let go."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.NotFound:
        log.warning("could not answer an expired interaction")
    except discord.HTTPException:
        log.exception("could not send an error message")


class DiscussionBot(_DiscussionBot, commands.Bot):
    def __init__(self, engine: Engine, **options: Any) -> None:
        self._init(engine)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents_for(engine),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            **options,
        )


class ShardedDiscussionBot(_DiscussionBot, commands.AutoShardedBot):
    def __init__(self, engine: Engine, **options: Any) -> None:
        self._init(engine)
        settings = engine.config.discord
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents_for(engine),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            shard_count=settings.shard_count,
            shard_ids=list(settings.shard_ids) if settings.shard_ids is not None else None,
            **options,
        )


def build_bot(engine: Engine, **options: Any) -> commands.Bot:
    """The bot for this config; `options` are discord.py client options (e.g. timeouts)."""
    if engine.config.discord.shard_count:
        return ShardedDiscussionBot(engine, **options)
    return DiscussionBot(engine, **options)
