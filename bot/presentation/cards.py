"""Replies shaped for a chat card (a Discord embed) inside the platform's size limits.

Pure data, no Discord import: the adapter turns a Card into an embed. Quotes are trimmed only at
sentence boundaries (marked with …), markdown is escaped and mentions are neutralized, so what
people see is exactly what was written and nothing pings anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answer.compose import Quote, Reply
from bot.corpus.model import format_date
from bot.presentation.safety import escape_markdown, neutralize_mentions
from bot.summary.model import Summary

ELLIPSIS = "…"
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
    return neutralize_mentions(escape_markdown(text))


def quote_value(quote: Quote, limit: int = LIMITS["field_value"]) -> str:
    """The quote as a block quote, cut at sentence ends until it fits within `limit`."""
    p = quote.passage
    spans = list(p.sentences) or [(0, len(p.text))]
    for keep in range(len(spans), 0, -1):
        text = p.text[spans[0][0] : spans[keep - 1][1]]
        cut_after = quote.cut_after or keep < len(spans)
        value = _block(text, quote.cut_before, cut_after)
        if len(value) <= limit:
            return value
    # One sentence longer than the limit: cut it at a word boundary, marked all the same.
    words = p.text[spans[0][0] : spans[0][1]]
    while words and len(_block(words, quote.cut_before, True)) > limit:
        words = words[: int(len(words) * 0.9)].rsplit(" ", 1)[0]
    return _block(words, quote.cut_before, True)


def _block(text: str, cut_before: bool, cut_after: bool) -> str:
    body = safe(text)
    body = f"{ELLIPSIS}{body}" if cut_before else body
    body = f"{body}{ELLIPSIS}" if cut_after else body
    return "\n".join(f"> {line}" if line.strip() else ">" for line in body.split("\n"))


def reply_card(reply: Reply) -> Card:
    source = reply.documents[0] if len(reply.documents) == 1 else "the discussions"
    heading = f"From “{source}”" if len(reply.documents) == 1 else f"From {source}"
    title = clip(neutralize_mentions(heading), LIMITS["title"])
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
        name = clip(neutralize_mentions(quote.attribution), LIMITS["field_name"])
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
    """A summary as a card: the overview, then each quoted sentence with its attribution."""
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
    for s in summary.sentences[: LIMITS["fields"]]:
        who = s.document_title if s.kind == "article" else f"{s.author} · {format_date(s.date)}"
        name = clip(neutralize_mentions(who), LIMITS["field_name"])
        value = _block(s.text, False, False)
        if len(value) > LIMITS["field_value"]:
            value = clip(value, LIMITS["field_value"])
        if len(name) + len(value) > budget:
            break
        fields.append(Field(name, value))
        budget -= len(name) + len(value)
    return Card(title, description, tuple(fields), footer)
