"""Extractive summaries: the whole discussion, one topic, or one commenter, quoted verbatim.

The core has no Discord import: the CLI (`python -m bot summary`) and the Discord adapter both call
`summarize(snapshot, config, …)` and render the result with `render_text` or `summary_json`.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from bot.summary.model import Summary, SummarySentence
from bot.summary.render import render_text, summary_json
from bot.summary.summarizer import (
    MAX_SENTENCES,
    Summarizer,
    SummaryRequestError,
    SummarySettings,
)
from bot.summary.vectors import passage_vectors

if TYPE_CHECKING:
    from bot.config import Config
    from bot.engine import Snapshot

__all__ = [
    "MAX_SENTENCES",
    "Summarizer",
    "Summary",
    "SummaryRequestError",
    "SummarySentence",
    "SummarySettings",
    "render_text",
    "summarize",
    "summarizer_for",
    "summary_json",
]

# One summarizer per snapshot, dropped with it: a reload builds a fresh one on first use. Keyed
# by identity (hashing a snapshot would hash the whole corpus).
_CACHE: dict[int, tuple[weakref.ref[Snapshot], Summarizer]] = {}


def summarizer_for(
    snapshot: Snapshot, disclaimer: str, settings: SummarySettings | None = None
) -> Summarizer:
    """The snapshot's summarizer, built once (the snapshot's searcher supplies the synonyms)."""
    key = id(snapshot)
    entry = _CACHE.get(key) if settings is None else None
    if entry is not None and entry[0]() is snapshot and entry[1].disclaimer == disclaimer:
        return entry[1]
    searcher = snapshot.searcher

    def own_terms(text: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
        q = searcher.query(text)
        return q.own, q.weights[: len(q.own)]

    made = Summarizer(
        snapshot.documents,
        searcher.tokenizer,
        disclaimer,
        own_terms,
        searcher.lexicon.groups,
        settings,
        passage_vectors(snapshot) if (settings or SummarySettings()).uses_vectors else None,
    )
    if settings is None:
        _CACHE[key] = (weakref.ref(snapshot, lambda _: _CACHE.pop(key, None)), made)
    return made


def summarize(
    snapshot: Snapshot,
    config: Config,
    topic: str | None = None,
    author: str | None = None,
    sentences: int | None = None,
) -> Summary:
    """Raises SummaryRequestError for a length outside 1..MAX_SENTENCES."""
    return summarizer_for(snapshot, config.disclaimer).summarize(topic, author, sentences)
