"""Ranked hits → a reply: verbatim quotes with who wrote them, notices, and the disclaimer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot.answer.examples import ExampleBank
from bot.answer.urgent import detector_for
from bot.config import Config
from bot.retrieval.passages import Passage
from bot.retrieval.search import Ranking, Searcher

MAX_QUESTION_CHARS = 1000
# The reader stage (bot/reader/), given by the engine: reorders a ranking, may decide coverage.
ReadStage = Callable[[str, Ranking], Ranking]
Status = Literal["answered", "not_covered", "urgent_no_quotes", "empty", "too_long", "no_words"]

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
    "urgent_no_quotes": (
        "Nothing people wrote in the discussion is about what you describe, so no quotes are shown."
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
    # Further quotable comments beyond these, for "More quotes": at least this many (a reply
    # ranks one comment beyond its page, so usually 1 or 0).
    remaining: int = 0
    unknown_names: tuple[str, ...] = ()  # names in the question the discussion never mentions
    people: tuple[str, ...] = ()  # people asked about whom the discussion says nothing of
    note: str | None = None  # said before quotes that follow the urgent-care notice

    @property
    def answered(self) -> bool:
        return self.status == "answered"

    @property
    def explanation(self) -> str | None:
        if self.status == "not_covered" and self.unknown_names:
            names = " or ".join(f"“{n}”" for n in self.unknown_names)
            return f"The discussion never mentions {names}, so it doesn't cover that. {SUGGESTION}"
        if self.status == "not_covered" and self.people:
            who = " or ".join(self.people)
            return (
                f"The discussion doesn't cover that: nobody there wrote about {who}. Doses and "
                "timings in it are what adults wrote about their own treatment, not an answer "
                f"for anyone else. {SUGGESTION}"
            )
        return MESSAGES.get(self.status)


def compose_reply(
    question: str,
    searcher: Searcher,
    config: Config,
    top_k: int | None = None,
    skip: int = 0,
    reader: ReadStage | None = None,
    examples: ExampleBank | None = None,
) -> Reply:
    k = top_k or config.top_k
    text = question.strip()
    detector = detector_for(config.urgent_care)
    scope = searcher.scope
    named, commenters = (scope.named_people, scope.people) if scope else (frozenset(), frozenset())
    urgent = (
        detector.detect(text, named, commenters) if 0 < len(text) <= MAX_QUESTION_CHARS else None
    )
    if urgent and examples is not None and "pattern" not in urgent.flags:
        # Nearer ordinary examples than emergencies in every clause: a joke, a general
        # question (README, "Safety"). An administrator's own pattern is never vetoed.
        urgent = None if examples.reads_as_ordinary(text) else urgent
    elif urgent is None and examples is not None and 0 < len(text) <= MAX_QUESTION_CHARS:
        # A wording the rules were never shown may still read like an emergency example.
        urgent = detector.by_example(text) if examples.reads_as_emergency(text) else None
    notice = config.urgent_care.notice if urgent else None
    documents = searcher.documents

    def reply(
        status: Status,
        quotes: tuple[Quote, ...] = (),
        remaining: int = 0,
        names: tuple[str, ...] = (),
        people: tuple[str, ...] = (),
    ) -> Reply:
        note = config.urgent_care.quotes_note if notice and quotes else None
        return Reply(
            question,
            status,
            quotes,
            notice,
            config.disclaimer,
            documents,
            remaining,
            names,
            people,
            note,
        )

    if not text:
        return reply("empty")
    if len(text) > MAX_QUESTION_CHARS:
        return reply("too_long")
    # Only the comments this page shows and one more (are there further ones?): "More quotes"
    # asks again with skip, and a ranking is a prefix of the full one, so the pages are the
    # same as from one full ranking. A reader reorders its candidates and the urgent filter
    # drops hits: both need the full list.
    depth = None if reader is not None or urgent else skip + k + 1
    ranking: Ranking = searcher.rank(text, depth)
    if not ranking.query.own:
        return reply("no_words")
    if reader is not None:
        ranking = searcher.recheck_people(text, reader(text, ranking))
    if not ranking.covered:
        return reply("not_covered", names=ranking.query.unknown_names, people=ranking.people)
    found = ranking.hits
    if urgent:
        # Beside the notice, quote only what speaks of the same signs: a comment about
        # lifelong headaches is no answer to "i think im having a stroke".
        found = tuple(h for h in found if detector.about_the_same(urgent, h.passage.text))
        if not found:
            return reply("urgent_no_quotes")
    hits = found[skip : skip + k]
    quotes = tuple(Quote(h.passage, h.score, h.passage.text, len(documents)) for h in hits)
    return reply("answered", quotes, max(0, len(found) - skip - len(hits)))


def iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None
