"""/feedback (admins): what readers' 👍/👎 say, the same report as `python -m bot feedback report`.
The buttons themselves live beside More quotes (cogs/questions.py)."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_adapter.cards import LIMITS, clip, safe
from bot.discord_adapter.cogs.admin import admin_only
from bot.feedback import FeedbackUnavailable
from bot.feedback.report import build_report, report_lines

if TYPE_CHECKING:
    from bot.discord_adapter.client import DiscussionBot

log = logging.getLogger("bot.discord.feedback")


class Feedback(commands.Cog):
    def __init__(self, bot: DiscussionBot) -> None:
        self.bot = bot

    @app_commands.command(name="feedback", description="Readers' votes on answers (admins).")
    @app_commands.default_permissions(manage_guild=True)
    @admin_only()
    async def feedback(self, interaction: discord.Interaction) -> None:
        store = self.bot.feedback
        if store is None:
            await interaction.response.send_message(
                "Feedback is turned off (feedback.enabled in config.yaml).", ephemeral=True
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            votes = await asyncio.to_thread(store.votes)
        except FeedbackUnavailable as exc:
            log.error("feedback report unavailable: %s", exc)
            await interaction.followup.send(
                "The feedback store can't be read right now; the log says why.", ephemeral=True
            )
            return
        kept = self.bot.engine.config.log_question_text
        text = "\n".join(report_lines(build_report(votes), kept))
        await interaction.followup.send(clip(safe(text), LIMITS["content"]), ephemeral=True)


async def setup(bot: DiscussionBot) -> None:
    await bot.add_cog(Feedback(bot))
