"""/summary: the whole discussion, a topic, or one commenter (author names autocomplete)."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_adapter.cards import summary_card
from bot.discord_adapter.embeds import to_embed
from bot.summary import MAX_SENTENCES, SummaryRequestError

if TYPE_CHECKING:
    from bot.discord_adapter.client import DiscussionBot

log = logging.getLogger("bot.discord.summaries")


class Summaries(commands.Cog):
    def __init__(self, bot: DiscussionBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="summary", description="Sum up the discussion in people's own words."
    )
    @app_commands.describe(
        topic="Only what was said about this (e.g. side effects, cost)",
        author="Only what this commenter said",
        sentences=f"How many sentences (1–{MAX_SENTENCES})",
    )
    async def summary(
        self,
        interaction: discord.Interaction,
        topic: app_commands.Range[str, 1, 200] | None = None,
        author: app_commands.Range[str, 1, 100] | None = None,
        sentences: app_commands.Range[int, 1, MAX_SENTENCES] | None = None,
    ) -> None:
        await interaction.response.defer(thinking=True)
        started = time.perf_counter()
        engine = self.bot.engine
        try:
            result = await asyncio.to_thread(engine.summarize, topic, author, sentences)
        except SummaryRequestError as exc:
            await interaction.followup.send(str(exc), ephemeral=True)
            return
        log.info(
            "summary guild=%s kind=%s sentences=%d latency_ms=%.1f",
            interaction.guild_id,
            result.kind,
            len(result.sentences),
            (time.perf_counter() - started) * 1000,
        )
        await interaction.followup.send(embed=to_embed(summary_card(result)))

    @summary.autocomplete("author")
    async def author_names(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        names = sorted(
            {c.author for d in self.bot.engine.snapshot.documents for c in d.comments},
            key=str.casefold,
        )
        wanted = current.casefold().strip()
        starts = [n for n in names if n.casefold().startswith(wanted)]
        contains = [n for n in names if wanted in n.casefold() and n not in starts]
        return [app_commands.Choice(name=n[:100], value=n[:100]) for n in (starts + contains)[:25]]


async def setup(bot: DiscussionBot) -> None:
    await bot.add_cog(Summaries(bot))
