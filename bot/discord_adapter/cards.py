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
from bot.presentation.summary_text import theme_heading, theme_sentences
from bot.summary.model import Summary, SummarySentence

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
    """A summary as a card: the overview, then one field per theme (its heading and how many
    comments use it) holding its quotes, each with author and date; a theme too long for one
    field continues in the next. Whatever does not fit Discord's limits is left out and said so."""
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
    groups = _theme_groups(summary)
    # Room for a closing field saying how many quotes were left out, should any be.
    reserve = len(LEFT_OUT_NAME) + len(_left_out(MAX_SUMMARY_QUOTES))
    budget = LIMITS["total"] - len(title) - len(description) - len(footer) - reserve
    fields: list[Field] = []
    shown = 0
    for heading, quotes in groups:
        name = clip(neutralize_mentions(heading), LIMITS["field_name"])
        value = ""
        for quote in quotes:
            joined = f"{value}\n\n{quote}" if value else quote
            if len(joined) <= LIMITS["field_value"]:
                value = joined
                continue
            if value:  # this field is full: close it, the theme continues in the next
                if not _room(fields, name, value, budget):
                    break
                fields.append(Field(name, value))
                budget -= len(name) + len(value)
                shown += value.count(_QUOTE_MARK)
                name = clip(neutralize_mentions(f"{heading} (continued)"), LIMITS["field_name"])
            value = quote
        if value and _room(fields, name, value, budget):
            fields.append(Field(name, value))
            budget -= len(name) + len(value)
            shown += value.count(_QUOTE_MARK)
    missing = sum(len(quotes) for _, quotes in groups) - shown
    if missing > 0:
        fields.append(Field(LEFT_OUT_NAME, _left_out(missing)))
    return Card(title, description, tuple(fields), footer)


_QUOTE_MARK = "\n— "  # one per quote block: the line that attributes it
LEFT_OUT_NAME = "More"
MAX_SUMMARY_QUOTES = 25


def _left_out(n: int) -> str:
    return f"{n} more quote{'' if n == 1 else 's'} did not fit here: ask for fewer sentences."


def _room(fields: list[Field], name: str, value: str, budget: int) -> bool:
    return len(fields) < LIMITS["fields"] - 1 and len(name) + len(value) <= budget


def _theme_groups(summary: Summary) -> list[tuple[str, list[str]]]:
    """(heading, quote blocks with their attribution) per theme; a summary without themes is one
    group of its quotes in discussion order."""
    themes = [(theme_heading(t), theme_sentences(summary, t)) for t in summary.themes] or [
        ("Quotes", sentence_runs(summary.sentences))
    ]
    several = len({s.document_id for s in summary.sentences}) > 1
    out = []
    for heading, runs in themes:
        quotes = []
        for run in runs:
            who = sentence_attribution(run[0])
            if several and run[0].kind != "article":
                who += f", on “{run[0].document_title}”"
            who = clip(neutralize_mentions(who), 200)
            room = LIMITS["field_value"] - len(_QUOTE_MARK) - len(who)
            quotes.append(f"{_fitted_block(run, room)}{_QUOTE_MARK}{who}")
        out.append((heading, quotes))
    return out


def _fitted_block(run: list[SummarySentence], limit: int) -> str:
    """Sentences of one comment as a block quote, cut at sentence ends (then at a word, marked
    with …) to fit `limit`."""
    for keep in range(len(run), 0, -1):
        text = sentences_block(run[:keep], safe)
        if keep < len(run):
            text += f"\n> {ELLIPSIS}"
        if len(text) <= limit:
            return text
    words = run[0].text
    while words and len(quote_block(words, cut_after=True, escape=safe)) > limit:
        words = words[: int(len(words) * 0.9)].rsplit(" ", 1)[0]
    return quote_block(words, cut_after=True, escape=safe)
