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
from bot.presentation.summary_text import theme_heading
from bot.summary.model import Summary, SummarySentence

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
    reserve = len(_LEFT_OUT_NAME) + len(_left_out(MAX_SUMMARY_QUOTES))
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
        fields.append(Field(_LEFT_OUT_NAME, _left_out(missing)))
    return Card(title, description, tuple(fields), footer)


_QUOTE_MARK = "\n— "  # one per quote block: the line that attributes it
_LEFT_OUT_NAME = "More"
MAX_SUMMARY_QUOTES = 25


def _left_out(n: int) -> str:
    return f"{n} more quote{'' if n == 1 else 's'} did not fit here: ask for fewer sentences."


def _room(fields: list[Field], name: str, value: str, budget: int) -> bool:
    return len(fields) < LIMITS["fields"] - 1 and len(name) + len(value) <= budget


def _theme_groups(summary: Summary) -> list[tuple[str, list[str]]]:
    """(heading, quote blocks) per theme; a summary without themes is one untitled group."""
    by_position = {s.position: s for s in summary.sentences}
    themes = [
        (theme_heading(t), [by_position[p] for p in t.sentences if p in by_position])
        for t in summary.themes
    ] or [("Quotes", list(summary.sentences))]
    several = len({s.document_id for s in summary.sentences}) > 1
    out = []
    for heading, sentences in themes:
        blocks: list[list[SummarySentence]] = []
        for s in sentences:
            last = blocks[-1][-1] if blocks else None
            if last and (last.document_id, last.comment_id) == (s.document_id, s.comment_id):
                blocks[-1].append(s)
            else:
                blocks.append([s])
        quotes = []
        for block in blocks:
            first = block[0]
            who = (
                first.document_title
                if first.kind == "article"
                else (f"{first.author} · {format_date(first.date)}")
            )
            if several and first.kind != "article":
                who += f", on “{first.document_title}”"
            who = clip(neutralize_mentions(who), 200)
            room = LIMITS["field_value"] - len(_QUOTE_MARK) - len(who)
            quotes.append(f"{_summary_block(block, room)}{_QUOTE_MARK}{who}")
        out.append((heading, quotes))
    return out


def _summary_block(block: list[SummarySentence], limit: int) -> str:
    """Sentences of one comment as a block quote; a gap between them is …; cut at sentence ends
    (then at a word) to fit `limit`."""
    for keep in range(len(block), 0, -1):
        lines: list[str] = []
        for i, s in enumerate(block[:keep]):
            if i and s.position != block[i - 1].position + 1:
                lines.append(ELLIPSIS)
            lines.extend(safe(s.text).split("\n"))
        if keep < len(block):
            lines.append(ELLIPSIS)
        text = "\n".join(f"> {line}" if line.strip() else ">" for line in lines)
        if len(text) <= limit:
            return text
    words = safe(block[0].text)
    while words and len(f"> {words}{ELLIPSIS}") > limit:
        words = words[: int(len(words) * 0.9)].rsplit(" ", 1)[0]
    return f"> {words}{ELLIPSIS}"
