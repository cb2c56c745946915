"""Sentence vectors for summaries, borrowed from retrieval: each sentence gets the vector of the
passage that holds it (a passage is one or two whole sentences of the same comment), so nothing
is embedded twice and no model runs when summarizing."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from bot.retrieval.passages import Passage
from bot.summary.candidates import Candidate

# Unit sentence vectors for the candidates, one row each (None: not available).
SentenceVectors = Callable[[Sequence[Candidate]], np.ndarray | None]


def passage_vectors(passages: Sequence[Passage], vectors: np.ndarray) -> SentenceVectors:
    """vectors: one unit row per passage, in passage order (the searcher's)."""
    spans: dict[tuple[str, str | None], list[tuple[int, int, int]]] = {}
    for p in passages:
        spans.setdefault((p.document_id, p.comment_id), []).append((p.start, p.end, p.index))

    def for_candidates(candidates: Sequence[Candidate]) -> np.ndarray | None:
        rows = []
        for c in candidates:
            found = [
                i
                for start, end, i in spans.get((c.document_id, c.comment_id), ())
                if start <= c.start < end
            ]
            if not found:  # passages and sentences disagree: fall back to words alone
                return None
            rows.append(vectors[found[0]])
        return np.asarray(rows)

    return for_candidates
