"""Which sentences a summary may quote: all of them, one person's, or those about a topic.

A topic retrieves its sentences with BM25 over sentences (lexicon synonyms included, enough of the
topic's own words required) and lets the sentence either side of a match join it as context. A
topic that asks a question of time (asks.py) needs a time expression in each match, which scores
like one more query word (Lucene's idf of the sentences that have one).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.retrieval.bm25 import PostingsIndex
from bot.summary.asks import has_kind
from bot.summary.authors import normalize_name
from bot.summary.candidates import Candidate
from bot.summary.model import Kind
from bot.summary.settings import SummarySettings
from bot.summary.topics import TopicQuery


@dataclass(frozen=True)
class TopicPool:
    matched: list[int]  # sentences that match the topic
    quotable: list[int]  # matches and their context: what a topic summary may quote
    comments: list[int]  # every sentence of the comments with a match: the graph's nodes
    relevance: dict[int, float]  # topic score in [0, 1]
    requires: dict[int, tuple[int, ...]] = field(default_factory=dict)  # context → its matches


class Pools:
    def __init__(
        self, candidates: Sequence[Candidate], index: PostingsIndex, settings: SummarySettings
    ) -> None:
        self.candidates = candidates
        self.index = index
        self.settings = settings
        self._group_span: dict[str, tuple[int, int]] = {}  # comment → its positions [a, b)
        for c in candidates:
            a, _ = self._group_span.get(c.group, (c.position, c.position))
            self._group_span[c.group] = (a, c.position + 1)
        self._everything: list[int] | None = None
        self._everything_set: set[int] = set()
        self._kind_hits: dict[str, np.ndarray] = {}  # kind → which candidates have one

    def base(self, people: Sequence[str] | None = None) -> list[int]:
        """Sentences a summary may quote: the article's too unless it is about people."""
        if people is None and self._everything is not None:
            return self._everything
        if people is not None:
            return [
                c.position
                for c in self.candidates
                if c.kind == "comment" and normalize_name(c.author or "") in people
            ]
        self._everything = [
            c.position
            for c in self.candidates
            if c.kind == "comment" or self.settings.include_article
        ]
        self._everything_set = set(self._everything)
        return self._everything

    def topic_pool(self, query: TopicQuery, base: Sequence[int]) -> TopicPool:
        """BM25 over sentences; a match needs topic_min_coverage of the topic's idf mass."""
        s = self.settings
        scores, found = self._scores(query)
        allowed = self._everything_set if base is self._everything else set(base)
        matched = [
            i
            for i in found
            if i in allowed and scores[i] > 0 and self._covers(query, i) >= s.topic_min_coverage
        ]
        if not matched:
            return TopicPool([], [], [], {})
        best = float(scores[matched].max())
        relevance = {i: float(scores[i]) / best for i in matched}
        matched_set = set(matched)
        requires: dict[int, list[int]] = {}
        before, after = s.topic_context
        for m in matched:
            near = [(m - d, d) for d in range(1, before + 1)] + [
                (m + d, d) for d in range(1, after + 1)
            ]
            for j, d in near:
                if j in matched_set or j not in allowed:
                    continue
                if self.candidates[j].group != self.candidates[m].group:
                    continue
                # Its own (partial) match plus a share of its match's score.
                near_score = float(scores[j]) / best + s.context_weight * relevance[m] / d
                relevance[j] = min(1.0, max(relevance.get(j, 0.0), near_score))
                requires.setdefault(j, []).append(m)
        groups = {self.candidates[m].group for m in matched}
        comments = [
            i
            for g in sorted({self._group_span[g] for g in groups})
            for i in range(*g)
            if i in allowed
        ]
        return TopicPool(
            matched,
            sorted(relevance),
            comments,
            relevance,
            {j: tuple(r) for j, r in requires.items()},
        )

    def matches_anything(self, query: TopicQuery) -> bool:
        self.base()
        _, found = self._scores(query)
        return any(
            i in self._everything_set and self._covers(query, i) >= self.settings.topic_min_coverage
            for i in found
        )

    def _scores(self, query: TopicQuery) -> tuple[np.ndarray, list[int]]:
        """BM25 of every candidate for the topic's words plus its kinds; the candidates with any."""
        scores = self.index.scores(query.terms, query.weights)
        mask = np.zeros(len(scores), dtype=bool)
        mask[self.index.matched(query.terms)] = True
        for kind in query.kinds:
            hits = self.kind_hits(kind)
            n, df = len(hits), int(hits.sum())
            scores = scores + hits * math.log(1 + (n - df + 0.5) / (df + 0.5))
            mask |= hits
        return scores, np.flatnonzero(mask).tolist()

    def _covers(self, query: TopicQuery, i: int) -> float:
        c = self.candidates[i]
        kinds = frozenset(k for k in query.kinds if self.kind_hits(k)[i])
        return query.coverage(set(c.tokens), self.idf, kinds)

    def kind_hits(self, kind: str) -> np.ndarray:
        """Which candidates have an expression of the kind, computed once per kind."""
        if kind not in self._kind_hits:
            self._kind_hits[kind] = np.array(
                [has_kind(c.text, kind) for c in self.candidates], dtype=bool
            )
        return self._kind_hits[kind]

    def usable(
        self, pool: Sequence[int], n: int, exempt: Sequence[int] = (), kind: Kind = "discussion"
    ) -> list[int]:
        """Quotable sentences; short or run-on ones too when there are fewer than n."""
        s = self.settings
        keep = set(exempt)
        fewest = s.min_terms_for(kind)
        eligible = [
            i
            for i in pool
            if self.candidates[i].words <= s.max_words
            and (i in keep or len(self.candidates[i].tokens) >= fewest)
        ]
        if len(eligible) < n:
            eligible = [i for i in pool if self.candidates[i].tokens]
        return eligible

    def idf(self, term: str) -> float:
        t = self.index.vocabulary.get(term)
        return float(self.index.idf[t]) if t is not None else 1.0
