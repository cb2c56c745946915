"""Replies and summaries shaped for a Discord embed, inside Discord's size limits.

A Card is plain data (`embeds.to_embed` makes the embed); it is built from the same quote block and
attribution as the terminal text (bot/presentation/quotes.py). Quotes are trimmed only at sentence
boundaries (marked with …); markdown is escaped with discord.py's `escape_markdown` (which leaves
links whole) and mentions are neutralized, so what people see is exactly what was written and
nothing pings anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.answer.compose import Quote, Reply
from bot.presentation.quotes import (
    ELLIPSIS,
    quote_attribution,
    quote_block,
    sentence_attribution,
    sentence_runs,
    sentences_block,
    source_heading,
)
from bot.presentation.safety import neutralize_mentions
from bot.summary.model import Summary

LIMITS = {
    "content": 2000,
    "title": 256,
    "description": 4096,
    "fields": 25,
    "field_name": 256,
    "field_value": 1024,
    "footer": 2048,
    "total": 6000,
}


@dataclass(frozen=True)
class Field:
    name: str
    value: str


@dataclass(frozen=True)
class Card:
    title: str
    description: str
    fields: tuple[Field, ...]
    footer: str
    url: str | None = None

    @property
    def size(self) -> int:
        """Characters Discord counts towards its 6,000 total for one embed."""
        return (
            len(self.title)
            + len(self.description)
            + len(self.footer)
            + sum(len(f.name) + len(f.value) for f in self.fields)
        )


def clip(text: str, limit: int) -> str:
    """Shorten plain text (titles, names) at a word boundary."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut + ELLIPSIS


def safe(text: str) -> str:
    """Shown as typed: markdown escaped (links left whole), mentions broken."""
    return neutralize_mentions(discord.utils.escape_markdown(text))


def quote_value(quote: Quote, limit: int = LIMITS["field_value"]) -> str:
    """The quote as a block quote, cut at sentence ends until it fits within `limit`."""
    p = quote.passage
    spans = list(p.sentences) or [(0, len(p.text))]
    for keep in range(len(spans), 0, -1):
        text = p.text[spans[0][0] : spans[keep - 1][1]]
        cut_after = quote.cut_after or keep < len(spans)
        value = quote_block(text, quote.cut_before, cut_after, safe)
        if len(value) <= limit:
            return value
    # One sentence longer than the limit: cut it at a word boundary, marked all the same.
    words = p.text[spans[0][0] : spans[0][1]]
    while words and len(quote_block(words, quote.cut_before, True, safe)) > limit:
        words = words[: int(len(words) * 0.9)].rsplit(" ", 1)[0]
    return quote_block(words, quote.cut_before, True, safe)


def reply_card(reply: Reply) -> Card:
    title = clip(neutralize_mentions(source_heading(reply.documents)), LIMITS["title"])
    description_parts = []
    if reply.notice:
        description_parts.append(f"**{safe(reply.notice)}**")
    if reply.note:
        description_parts.append(safe(reply.note))
    if not reply.answered:
        description_parts.append(safe(reply.explanation or ""))
    description = clip("\n\n".join(description_parts), LIMITS["description"])
    footer = clip(reply.disclaimer, LIMITS["footer"])
    budget = LIMITS["total"] - len(title) - len(description) - len(footer)
    fields: list[Field] = []
    for quote in reply.quotes[: LIMITS["fields"]]:
        name = clip(neutralize_mentions(quote_attribution(quote)), LIMITS["field_name"])
        room = min(LIMITS["field_value"], budget - len(name))
        if room < 40:  # no room left for a meaningful quote
            break
        value = quote_value(quote, room)
        fields.append(Field(name, value))
        budget -= len(name) + len(value)
    urls = {q.passage.source_url for q in reply.quotes} - {None}
    url = next(iter(urls)) if len(urls) == 1 else None
    return Card(title, description, tuple(fields), footer, url)


def summary_card(summary: Summary) -> Card:
    """A summary as a card: the overview, then the quotes, one field per comment (as in the
    terminal: consecutive sentences of one comment share their attribution)."""
    titles = {"discussion": "Summary of the discussion", "topic": "Summary", "author": "Summary"}
    if summary.kind == "topic" and summary.topic:
        titles["topic"] = f"What people said about “{summary.topic}”"
    if summary.kind == "author" and summary.author:
        titles["author"] = f"What {summary.author} said"
    title = clip(neutralize_mentions(titles[summary.kind]), LIMITS["title"])
    description = clip(
        safe("\n\n".join(p for p in (summary.overview, summary.message or "") if p)),
        LIMITS["description"],
    )
    footer = clip(summary.disclaimer, LIMITS["footer"])
    budget = LIMITS["total"] - len(title) - len(description) - len(footer)
    fields: list[Field] = []
    for run in sentence_runs(summary.sentences)[: LIMITS["fields"]]:
        name = clip(neutralize_mentions(sentence_attribution(run[0])), LIMITS["field_name"])
        value = sentences_block(run, safe)
        if len(value) > LIMITS["field_value"]:
            value = clip(value, LIMITS["field_value"])
        if len(name) + len(value) > budget:
            break
        fields.append(Field(name, value))
        budget -= len(name) + len(value)
    return Card(title, description, tuple(fields), footer)
