"""Questions: mentions, DMs, configured channels and /ask, with a "More quotes" button and the
👍/👎 feedback buttons (persistent: they work after a restart, from the stored reply)."""

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
from bot.feedback import FeedbackUnavailable, QuotedComment, ReplyRecord

if TYPE_CHECKING:
    from bot.discord_adapter.client import DiscussionBot

log = logging.getLogger("bot.discord.questions")

MORE_TIMEOUT = 600.0  # the "More quotes" button works for 10 minutes


VOTES = {"up": 1, "down": -1}
VOTE_EMOJI = {1: "👍", -1: "👎"}
FEEDBACK_STATUSES = ("answered", "not_covered")  # replies a reader can judge


def feedback_button(vote: str, key: int) -> discord.ui.Button[discord.ui.View]:
    """The button as sent. Its custom id (≤ 100 characters) carries the vote and the key the
    reply's details were stored under just before sending: a click needs nothing in memory."""
    emoji = VOTE_EMOJI[VOTES[vote]]
    return discord.ui.Button(
        emoji=emoji, style=discord.ButtonStyle.secondary, custom_id=f"feedback:{vote}:{key}"
    )


class MoreQuotes(discord.ui.View):
    """Shows the next quotes for the same question (only the asker may press it), beside the
    feedback buttons when feedback is on. The feedback buttons are plain here: clicks reach
    FeedbackVote, which needs no view, so they keep working after this view expires."""

    def __init__(
        self,
        cog: Questions,
        question: str,
        asker_id: int,
        shown: int,
        *,
        more: bool = True,
        feedback_key: int | None = None,
    ) -> None:
        super().__init__(timeout=MORE_TIMEOUT)
        self.cog = cog
        self.question = question
        self.asker_id = asker_id
        self.shown = shown
        self.message: discord.Message | discord.InteractionMessage | None = None
        if not more:
            self.remove_item(self.more)
        if feedback_key is not None:
            for vote in VOTES:
                self.add_item(feedback_button(vote, feedback_key))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        data = interaction.data or {}
        if data.get("custom_id") != self.more.custom_id:
            return True  # a vote: FeedbackVote answers it
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
        view = await self.cog.reply_view(
            reply, self.question, self.asker_id, self.shown, interaction.id, interaction.guild_id
        )
        await interaction.response.send_message(
            embed=embed_for(reply), view=view or discord.utils.MISSING
        )
        if view:
            view.message = await interaction.original_response()
        if interaction.message:
            await interaction.message.edit(view=self)

    async def on_timeout(self) -> None:
        if self.more not in self.children:
            return  # only feedback buttons: they never expire
        self.more.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                log.info("could not disable an old More quotes button")


class FeedbackVote(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"feedback:(?P<vote>up|down):(?P<key>[0-9]{1,20})",
):
    """A 👍/👎 click on any answer, sent before or after a restart: one vote per person per
    reply (a second click changes it), acknowledged only to the voter."""

    def __init__(self, vote: str, key: int) -> None:
        super().__init__(feedback_button(vote, key))
        self.vote = VOTES[vote]
        self.key = key

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Button[discord.ui.View],
        match: re.Match[str],
    ) -> FeedbackVote:
        return cls(match["vote"], int(match["key"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        store = getattr(interaction.client, "feedback", None)
        if store is None:
            await _tell(interaction, "Feedback is turned off on this bot.")
            return
        try:
            result = await asyncio.to_thread(
                store.vote,
                self.key,
                interaction.user.id,
                self.vote,
                interaction.guild_id,
            )
        except FeedbackUnavailable as exc:
            log.error("vote not recorded: feedback store unavailable: %s", exc)
            await _tell(
                interaction,
                "Sorry, I can't record votes right now. Thank you for trying; the answer "
                "itself is unaffected.",
            )
            return
        emoji = VOTE_EMOJI[self.vote]
        log.info("vote %s guild=%s result=%s", emoji, interaction.guild_id, result)
        await _tell(
            interaction,
            {
                "recorded": f"Thanks, your {emoji} is noted.",
                "changed": f"Changed your vote to {emoji}.",
                "unchanged": f"You already voted {emoji} on this answer.",
                "unknown_reply": "Sorry, votes can't be taken on this answer.",
            }[result],
        )


async def _tell(interaction: discord.Interaction, text: str) -> None:
    try:
        await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException as exc:
        log.warning("could not acknowledge a vote (status %s)", exc.status)


def embed_for(reply: Reply) -> discord.Embed:
    return to_embed(reply_card(reply), urgent=reply.notice is not None)


class Questions(commands.Cog):
    def __init__(self, bot: DiscussionBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(FeedbackVote)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(FeedbackVote)

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

    async def reply_view(
        self,
        reply: Reply,
        question: str,
        asker_id: int,
        shown: int,
        key: int,
        guild_id: int | None,
    ) -> MoreQuotes | None:
        """The buttons under a reply: More quotes while there are more, 👍/👎 when feedback is
        on. The reply's details are stored under `key` first, so no click can arrive before
        them; a store failure is logged and the vote is refused politely when it comes."""
        more = reply.answered and reply.remaining > 0
        feedback = self.bot.feedback is not None and reply.status in FEEDBACK_STATUSES
        if feedback:
            await self.remember(key, reply, shown, question, guild_id)
        if not more and not feedback:
            return None
        return MoreQuotes(
            self,
            question,
            asker_id,
            shown + len(reply.quotes),
            more=more,
            feedback_key=key if feedback else None,
        )

    async def remember(
        self, key: int, reply: Reply, shown: int, question: str, guild_id: int | None
    ) -> None:
        """Keep what a vote on this reply needs (off the event loop); the question's text only
        when log_question_text is on."""
        store = self.bot.feedback
        if store is None:
            return
        record = ReplyRecord(
            reply_key=key,
            guild_id=guild_id,
            status=reply.status,
            reader_on=self.bot.engine.reader is not None,
            quotes=tuple(
                QuotedComment(q.passage.comment_id or "article", q.score, shown + rank)
                for rank, q in enumerate(reply.quotes, 1)
            ),
            question=question if self.bot.engine.config.log_question_text else None,
        )
        try:
            await asyncio.to_thread(store.record_reply, record)
        except FeedbackUnavailable as exc:
            log.error("feedback store unavailable, votes on this reply will be refused: %s", exc)

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
        guild_id = message.guild.id if message.guild else None
        view = await self.reply_view(reply, question, message.author.id, 0, message.id, guild_id)
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
        view = await self.reply_view(
            reply, question, interaction.user.id, 0, interaction.id, interaction.guild_id
        )
        sent = await interaction.followup.send(
            embed=embed_for(reply), view=view or discord.utils.MISSING, wait=True
        )
        if view:
            view.message = sent


async def setup(bot: DiscussionBot) -> None:
    await bot.add_cog(Questions(bot))
