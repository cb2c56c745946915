"""The per-user question limit, one budget shared by mentions, DMs and /ask.

discord.py's CooldownMapping keeps a bucket per user and drops every bucket that has been idle for
a whole window, so it holds only the people who asked lately. /ask meets it in an app-command
check that raises discord.py's CommandOnCooldown into the one error handler; a mention gets the
same words as a reply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

if TYPE_CHECKING:
    from bot.discord_adapter.client import DiscussionBot

QuestionCooldown = commands.CooldownMapping[discord.abc.Snowflake]


def _user_id(user: discord.abc.Snowflake) -> int:
    return user.id


def question_cooldown(rate: int, per: float) -> QuestionCooldown | None:
    """`rate` questions per `per` seconds for each user; None (no limit) when per is 0."""
    if per <= 0:
        return None
    return commands.CooldownMapping.from_cooldown(rate, per, _user_id)


def too_quick(retry_after: float) -> str:
    return f"You're asking quickly. Please try again in {retry_after:.0f} s."


def wait_for(
    cooldown: QuestionCooldown | None, user: discord.abc.Snowflake, now: float | None = None
) -> float:
    """Count one question from `user`: 0.0 when allowed, else the seconds until they may ask."""
    if cooldown is None:
        return 0.0
    return cooldown.update_rate_limit(user, now) or 0.0


def within_question_limit() -> app_commands.Check:
    """/ask's check: over the limit it raises CommandOnCooldown for the error handler."""

    async def predicate(interaction: discord.Interaction) -> bool:
        bot: DiscussionBot = interaction.client  # type: ignore[assignment]
        if bot.cooldown is None:
            return True
        bucket = bot.cooldown.get_bucket(interaction.user)
        retry_after = bucket.update_rate_limit() if bucket else None
        if bucket and retry_after:
            raise app_commands.CommandOnCooldown(bucket, retry_after)
        return True

    return app_commands.check(predicate)
