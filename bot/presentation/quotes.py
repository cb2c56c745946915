"""The pieces every rendering shares: the ellipsis, the quote block, the attribution line.

The terminal text, the JSON "message" and the Discord cards all build on these, so a quote reads
the same everywhere. An article passage is attributed to the article's title, as Discord has
always shown it (the terminal used to say "the article", which names nothing once there are
several documents).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.corpus.model import format_date

if TYPE_CHECKING:  # types only: `ask` should not load the summarizer package
    from bot.answer.compose import Quote
    from bot.summary.model import SummarySentence

ELLIPSIS = "…"  # marks a quote that starts or ends inside its comment, or a gap between sentences


def _plain(text: str) -> str:
    return text


def quote_block(
    text: str,
    cut_before: bool = False,
    cut_after: bool = False,
    escape: Callable[[str], str] = _plain,
) -> str:
    """Text as a block quote, every line behind "> " (a blank line is a bare ">"), with … where
    it was cut. `escape` is applied to the text itself, never to the marks around it."""
    body = escape(text)
    body = f"{ELLIPSIS}{body}" if cut_before else body
    body = f"{body}{ELLIPSIS}" if cut_after else body
    return "\n".join(f"> {line}" if line.strip() else ">" for line in body.split("\n"))


def sentences_block(
    sentences: Sequence[SummarySentence], escape: Callable[[str], str] = _plain
) -> str:
    """Sentences of one comment (or the article) as one block quote, each on its own lines; a
    gap between two that are not next to each other shows as a line of …"""
    lines: list[str] = []
    for i, s in enumerate(sentences):
        if i and s.position != sentences[i - 1].position + 1:
            lines.append(ELLIPSIS)
        lines.append(escape(s.text))
    return quote_block("\n".join(lines))


def attribution(
    kind: str,
    document_title: str,
    author: str | None,
    date: dt.date | None,
    in_reply_to: str | None = None,
    name_document: bool = False,
) -> str:
    """Who said it and when: `helen · Feb 17, 2012 · replying to Barbara`; an article passage
    is attributed to its title. name_document: add `on “title”` (several documents searched)."""
    if kind == "article":
        return document_title
    parts = [author or "anonymous", format_date(date)]
    if in_reply_to:
        parts.append(f"replying to {in_reply_to}")
    if name_document:
        parts.append(f"on “{document_title}”")
    return " · ".join(parts)


def quote_attribution(quote: Quote) -> str:
    p = quote.passage
    several = quote.document_count > 1
    return attribution(p.kind, p.document_title, p.author, p.date, p.in_reply_to, several)


def sentence_attribution(s: SummarySentence) -> str:
    return attribution(s.kind, s.document_title, s.author, s.date)


def source_heading(documents: Sequence[str]) -> str:
    """Where a reply's quotes come from: the one document's title, or the discussions."""
    return f"From “{documents[0]}”" if len(documents) == 1 else "From the discussions"


def sentence_runs(sentences: Sequence[SummarySentence]) -> list[list[SummarySentence]]:
    """Runs of sentences from the same comment (or article), so each gets one attribution."""
    runs: list[list[SummarySentence]] = []
    for s in sentences:
        last = runs[-1][-1] if runs else None
        if last and (last.document_id, last.comment_id) == (s.document_id, s.comment_id):
            runs[-1].append(s)
        else:
            runs.append([s])
    return runs
