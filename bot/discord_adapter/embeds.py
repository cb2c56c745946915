"""Cards from the core → discord.Embed."""

from __future__ import annotations

import discord

from bot.discord_adapter.cards import Card

COLOUR = discord.Colour.blurple()
URGENT = discord.Colour.red()


def to_embed(card: Card, urgent: bool = False) -> discord.Embed:
    embed = discord.Embed(
        title=card.title,
        description=card.description or None,
        url=card.url,
        colour=URGENT if urgent else COLOUR,
    )
    for field in card.fields:
        embed.add_field(name=field.name, value=field.value, inline=False)
    embed.set_footer(text=card.footer)
    return embed
