"""Question → ranked hits, one per comment, with a verdict on whether the discussion covers it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.retrieval.bm25 import PostingsIndex, Variant
from bot.retrieval.lexicon import Lexicon
from bot.retrieval.passages import Passage
from bot.retrieval.tokenize import Tokenizer


@dataclass(frozen=True)
class SearchSettings:
    variant: Variant = "lucene"
    k1: float = 1.2
    b: float = 0.75
    expansion_weight: float = 0.5  # lexicon synonyms count for less than the asker's own words
    min_score: float = 1.0  # below this best score: not covered
    min_coverage: float = 0.3  # share of the question's idf mass the best passage must match
    max_hits: int = 50


@dataclass(frozen=True)
class Query:
    own: tuple[str, ...]  # the asker's terms, de-duplicated, in order
    terms: tuple[str, ...]  # own + expansions
    weights: tuple[float, ...]
    synonyms: dict[str, tuple[str, ...]]  # own term → lexicon terms that stand in for it


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float


@dataclass(frozen=True)
class Ranking:
    query: Query
    hits: tuple[Hit, ...]  # best passage per comment, best first
    coverage: float
    covered: bool


class Searcher:
    def __init__(
        self,
        passages: Sequence[Passage],
        tokenizer: Tokenizer,
        lexicon: Lexicon,
        settings: SearchSettings,
    ) -> None:
        self.passages = list(passages)
        self.tokenizer = tokenizer
        self.lexicon = lexicon
        self.settings = settings
        self.index = PostingsIndex.build(
            [tokenizer(p.text) for p in self.passages], settings.variant, settings.k1, settings.b
        )

    def query(self, question: str) -> Query:
        own = list(dict.fromkeys(self.tokenizer(question)))
        synonyms = {t: tuple(self.lexicon.expansions([t])) for t in own}
        extra = [t for t in self.lexicon.expansions(own) if t not in own]
        weights = [1.0] * len(own) + [self.settings.expansion_weight] * len(extra)
        return Query(tuple(own), tuple(own + extra), tuple(weights), synonyms)

    def rank(self, question: str) -> Ranking:
        query = self.query(question)
        if not query.own:
            return Ranking(query, (), 0.0, False)
        scores = self.index.scores(query.terms, query.weights)
        candidates = self.index.matched(query.terms)
        order = candidates[np.lexsort((candidates, -scores[candidates]))]
        hits: list[Hit] = []
        seen: set[str] = set()
        for i in order.tolist():
            passage = self.passages[i]
            if passage.key in seen:
                continue
            seen.add(passage.key)
            hits.append(Hit(passage, float(scores[i])))
            if len(hits) >= self.settings.max_hits:
                break
        coverage = self.coverage(query, hits[0].passage) if hits else 0.0
        covered = bool(hits) and (
            hits[0].score >= self.settings.min_score and coverage >= self.settings.min_coverage
        )
        return Ranking(query, tuple(hits), coverage, covered)

    def idf(self, term: str) -> float:
        """Lucene idf from this corpus; a word it has never seen weighs the most."""
        n = self.index.size
        df = self.index.document_frequency(term)
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    def coverage(self, query: Query, passage: Passage) -> float:
        """Share of the question's idf mass that the passage matches (synonyms count)."""
        present = set(self.tokenizer(passage.text))
        total = matched = 0.0
        for term in query.own:
            weight = self.idf(term)
            total += weight
            if term in present or present.intersection(query.synonyms.get(term, ())):
                matched += weight
        return matched / total if total else 0.0
