"""Questions: mentions, DMs, configured channels and /ask, with a "More quotes" button."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.answer.compose import Reply
from bot.discord_adapter.cards import reply_card
from bot.discord_adapter.cooldown import too_quick, wait_for, within_question_limit
from bot.discord_adapter.embeds import to_embed

if TYPE_CHECKING:
    from bot.discord_adapter.client import DiscussionBot

log = logging.getLogger("bot.discord.questions")

MORE_TIMEOUT = 600.0  # the "More quotes" button works for 10 minutes


class MoreQuotes(discord.ui.View):
    """Shows the next quotes for the same question; only the asker may press it."""

    def __init__(self, cog: Questions, question: str, asker_id: int, shown: int) -> None:
        super().__init__(timeout=MORE_TIMEOUT)
        self.cog = cog
        self.question = question
        self.asker_id = asker_id
        self.shown = shown
        self.message: discord.Message | discord.InteractionMessage | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.asker_id:
            await interaction.response.send_message(
                "Only the person who asked can ask for more quotes. Ask your own question "
                "with /ask or by mentioning me.",
                ephemeral=True,
            )
            return False
        return True

    @discord.ui.button(label="More quotes", style=discord.ButtonStyle.secondary)
    async def more(
        self, interaction: discord.Interaction, button: discord.ui.Button[MoreQuotes]
    ) -> None:
        reply = await self.cog.answer(
            self.question, skip=self.shown, source="more", interaction=interaction
        )
        button.disabled = True
        self.stop()
        view = self.cog.view_for(reply, self.question, self.asker_id, self.shown)
        await interaction.response.send_message(
            embed=embed_for(reply), view=view or discord.utils.MISSING
        )
        if view:
            view.message = await interaction.original_response()
        if interaction.message:
            await interaction.message.edit(view=self)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                log.info("could not disable an old More quotes button")


def embed_for(reply: Reply) -> discord.Embed:
    return to_embed(reply_card(reply), urgent=reply.notice is not None)


class Questions(commands.Cog):
    def __init__(self, bot: DiscussionBot) -> None:
        self.bot = bot

    # --- shared -------------------------------------------------------------------------
    async def answer(
        self,
        question: str,
        *,
        skip: int = 0,
        source: str,
        interaction: discord.Interaction | None = None,
        message: discord.Message | None = None,
    ) -> Reply:
        """Ask the core off the event loop and log metadata (the text only when allowed)."""
        started = time.perf_counter()
        reply = await asyncio.to_thread(self.bot.engine.ask, question, None, skip)
        guild = (interaction.guild_id if interaction else None) or (
            message.guild.id if message and message.guild else None
        )
        extra = f" question={question!r}" if self.bot.engine.config.log_question_text else ""
        log.info(
            "answered via=%s guild=%s status=%s quotes=%d latency_ms=%.1f%s",
            source,
            guild,
            reply.status,
            len(reply.quotes),
            (time.perf_counter() - started) * 1000,
            extra,
        )
        return reply

    def view_for(self, reply: Reply, question: str, asker_id: int, shown: int) -> MoreQuotes | None:
        if not reply.answered or reply.remaining <= 0:
            return None
        return MoreQuotes(self, question, asker_id, shown + len(reply.quotes))

    # --- mentions, DMs and configured channels -------------------------------------------
    def question_in(self, message: discord.Message) -> str | None:
        """The question a message asks the bot, or None when it isn't addressed to the bot."""
        me = self.bot.user
        if me is None or message.author.bot:
            return None
        mention = re.compile(rf"<@!?{me.id}>")
        if message.guild is None:
            return mention.sub("", message.content).strip()
        if me in message.mentions or mention.search(message.content):
            return mention.sub("", message.content).strip()
        if message.channel.id in self.bot.engine.config.discord.answer_channels:
            return message.content.strip() or None
        return None

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        question = self.question_in(message)
        if question is None:
            return
        wait = wait_for(self.bot.cooldown, message.author)
        if wait:
            await self._send(message, content=too_quick(wait))
            return
        await self._show_typing(message.channel)
        reply = await self.answer(question, source="message", message=message)
        view = self.view_for(reply, question, message.author.id, 0)
        sent = await self._send(message, embed=embed_for(reply), view=view)
        if view and sent:
            view.message = sent

    async def _show_typing(self, channel: discord.abc.Messageable) -> None:
        """Show "typing…" until the reply arrives (at most 10 s; answers take milliseconds).
        Only cosmetic: when Discord refuses it the question is still answered, where
        `async with channel.typing()` would raise before answering and lose it."""
        try:
            await channel.typing()
        except discord.HTTPException as exc:
            log.warning("could not show typing (status %s): %s", exc.status, exc.text)

    async def _send(self, message: discord.Message, **kwargs: object) -> discord.Message | None:
        try:
            return await message.reply(mention_author=False, **kwargs)  # type: ignore[arg-type]
        except discord.HTTPException as exc:
            log.error("could not send a reply (status %s): %s", exc.status, exc.text)
            return None

    # --- /ask ------------------------------------------------------------------------------
    @app_commands.command(name="ask", description="Ask about the discussion; I answer with quotes.")
    @app_commands.describe(question="Your question, in your own words")
    @within_question_limit()
    async def ask(
        self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 2000]
    ) -> None:
        await interaction.response.defer(thinking=True)  # answer within Discord's 3 seconds
        reply = await self.answer(question, source="slash", interaction=interaction)
        view = self.view_for(reply, question, interaction.user.id, 0)
        sent = await interaction.followup.send(
            embed=embed_for(reply), view=view or discord.utils.MISSING, wait=True
        )
        if view:
            view.message = sent


async def setup(bot: DiscussionBot) -> None:
    await bot.add_cog(Questions(bot))
