"""Ranked hits → a reply: verbatim quotes with who wrote them, notices, and the disclaimer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from bot.config import Config
from bot.retrieval.passages import Passage
from bot.retrieval.search import Ranking, Searcher

MAX_QUESTION_CHARS = 1000
Status = Literal["answered", "not_covered", "empty", "too_long", "no_words"]

EXAMPLE = "How often do people get Botox injections?"
SUGGESTION = (
    "You could ask about what commenters did describe, such as how often they had injections, "
    "side effects, or whether it helped."
)
MESSAGES: dict[Status, str] = {
    "empty": f"Please ask a question about the discussion, for example: “{EXAMPLE}”",
    "too_long": (
        f"That question is too long to search well (over {MAX_QUESTION_CHARS:,} characters). "
        "Please ask it in a sentence or two."
    ),
    "no_words": (
        "I couldn't find any words to search for in that. Please ask in words, for example: "
        f"“{EXAMPLE}”"
    ),
    "not_covered": (
        "The discussion doesn't cover that: nothing people wrote there matches your question "
        f"closely enough to quote. {SUGGESTION}"
    ),
}


@dataclass(frozen=True)
class Quote:
    passage: Passage
    score: float
    text: str  # verbatim: exactly the passage's characters
    document_count: int = 1  # how many documents the corpus holds (then quotes name theirs)

    @property
    def cut_before(self) -> bool:
        return self.passage.start > 0

    @property
    def cut_after(self) -> bool:
        return self.passage.end < self.passage.source_length


@dataclass(frozen=True)
class Reply:
    question: str
    status: Status
    quotes: tuple[Quote, ...]
    notice: str | None
    disclaimer: str
    documents: tuple[str, ...]  # titles of the documents searched
    remaining: int = 0  # further quotable comments beyond these, for "More quotes"
    unknown_names: tuple[str, ...] = ()  # names in the question the discussion never mentions

    @property
    def answered(self) -> bool:
        return self.status == "answered"

    @property
    def explanation(self) -> str | None:
        if self.status == "not_covered" and self.unknown_names:
            names = " or ".join(f"“{n}”" for n in self.unknown_names)
            return f"The discussion never mentions {names}, so it doesn't cover that. {SUGGESTION}"
        return MESSAGES.get(self.status)


def compose_reply(
    question: str,
    searcher: Searcher,
    config: Config,
    top_k: int | None = None,
    skip: int = 0,
) -> Reply:
    k = top_k or config.top_k
    text = question.strip()
    notice = config.urgent_care.notice if text and config.urgent_care.matches(text) else None
    documents = searcher.documents

    def reply(
        status: Status,
        quotes: tuple[Quote, ...] = (),
        remaining: int = 0,
        names: tuple[str, ...] = (),
    ) -> Reply:
        return Reply(
            question, status, quotes, notice, config.disclaimer, documents, remaining, names
        )

    if not text:
        return reply("empty")
    if len(text) > MAX_QUESTION_CHARS:
        return reply("too_long")
    ranking: Ranking = searcher.rank(text)
    if not ranking.query.own:
        return reply("no_words")
    if not ranking.covered:
        return reply("not_covered", names=ranking.query.unknown_names)
    hits = ranking.hits[skip : skip + k]
    quotes = tuple(Quote(h.passage, h.score, h.passage.text, len(documents)) for h in hits)
    return reply("answered", quotes, max(0, len(ranking.hits) - skip - len(hits)))


def iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None
