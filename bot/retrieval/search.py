"""Question → ranked hits, one per comment, with a verdict on whether the discussion covers it.

Every knob here was chosen by `python -m bot eval` on the tuning split (README, Retrieval quality).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.retrieval.bm25 import PostingsIndex, Variant
from bot.retrieval.lexicon import Lexicon
from bot.retrieval.passages import Passage
from bot.retrieval.tokenize import QUESTION_WORDS, Tokenizer


@dataclass(frozen=True)
class SearchSettings:
    variant: Variant = "lucene"
    k1: float = 1.2
    b: float = 0.75
    question_words: bool = True  # drop question filler ("anyone else", "get", "happen")
    expansion_weight: float = 0.5  # lexicon synonyms count for less than the asker's own words
    typo_weight: float = 0.7  # a corrected misspelling counts for a little less
    typo_cutoff: float = 0.85  # difflib similarity needed to correct an unknown word
    typo_min_length: int = 5  # shorter words are too often real words the corpus lacks
    rest_weight: float = 0.0  # comment score = best passage + this × its other passages
    thread_weight: float = 0.0  # a reply also gets this share of its parent's score, and back
    min_score: float = 1.0  # below this best score: not covered
    min_coverage: float = 0.33  # share of the question's idf mass the best passage must match
    max_hits: int = 50


@dataclass(frozen=True)
class Query:
    own: tuple[str, ...]  # the asker's terms (typos corrected), de-duplicated, in order
    terms: tuple[str, ...]  # own + expansions
    weights: tuple[float, ...]
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # own → stand-ins


@dataclass(frozen=True)
class Hit:
    passage: Passage  # the comment's best passage: the one to quote
    score: float  # the comment's score


@dataclass(frozen=True)
class Ranking:
    query: Query
    hits: tuple[Hit, ...]  # one per comment, best first
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
        self._words: list[str] | None = None  # surface words of the corpus, for typo repair
        self._keys = [p.key for p in self.passages]
        parents = {p.key: f"{p.document_id}/{p.in_reply_to_id}" for p in self.passages}
        self._parent = {k: v for k, v in parents.items() if not v.endswith("/None")}

    # --- the question -------------------------------------------------------------------
    def query(self, question: str) -> Query:
        words = self.tokenizer.words(question)
        if self.settings.question_words:
            words = [w for w in words if w not in QUESTION_WORDS]
        own: list[str] = []
        weights: dict[str, float] = {}
        for word in words:
            term = self.tokenizer.term(word)
            if not term:
                continue
            weight = 1.0
            if (
                self.settings.typo_weight
                and len(word) >= self.settings.typo_min_length
                and not self.index.document_frequency(term)
                and not self.lexicon.knows(term)
            ):
                fixed = self._correct(word)
                if fixed:
                    term, weight = fixed, self.settings.typo_weight
            if term not in weights:
                own.append(term)
                weights[term] = weight
        synonyms = self.lexicon.stand_ins(own)
        extra = [t for t in self.lexicon.expansions(own) if t not in weights]
        all_weights = [weights[t] for t in own] + [self.settings.expansion_weight] * len(extra)
        return Query(tuple(own), tuple(own + extra), tuple(all_weights), synonyms)

    def _correct(self, word: str) -> str | None:
        """The corpus term a misspelt word most likely meant ("migrane" → migrain), if any."""
        if self._words is None:
            found = {
                w
                for p in self.passages
                for w in self.tokenizer.words(p.text)
                if len(w) >= self.settings.typo_min_length
            }
            self._words = sorted(found)
        close = difflib.get_close_matches(word, self._words, n=1, cutoff=self.settings.typo_cutoff)
        return self.tokenizer.term(close[0]) if close else None

    # --- ranking ------------------------------------------------------------------------
    def rank(self, question: str) -> Ranking:
        query = self.query(question)
        if not query.own:
            return Ranking(query, (), 0.0, False)
        scores = self.index.scores(query.terms, query.weights)
        candidates = self.index.matched(query.terms)
        order = candidates[np.lexsort((candidates, -scores[candidates]))].tolist()
        best: dict[str, int] = {}
        total: dict[str, float] = defaultdict(float)
        for i in order:
            best.setdefault(self._keys[i], i)
            total[self._keys[i]] += float(scores[i])
        comment_score = {
            k: float(scores[i]) + self.settings.rest_weight * (total[k] - float(scores[i]))
            for k, i in best.items()
        }
        if self.settings.thread_weight:
            comment_score = self._with_thread(comment_score)
        ranked = sorted(best, key=lambda k: (-comment_score[k], best[k]))[: self.settings.max_hits]
        hits = tuple(Hit(self.passages[best[k]], comment_score[k]) for k in ranked)
        top_passage = self.passages[order[0]] if order else None
        coverage = self.coverage(query, top_passage) if top_passage else 0.0
        covered = bool(hits) and (
            float(scores[order[0]]) >= self.settings.min_score
            and coverage >= self.settings.min_coverage
        )
        return Ranking(query, hits, coverage, covered)

    def _with_thread(self, score: dict[str, float]) -> dict[str, float]:
        """A reply shares context with its parent: each gets a share of the other's score."""
        out = dict(score)
        for child, parent in self._parent.items():
            if child in score or parent in score:
                out[child] = out.get(child, 0.0) + self.settings.thread_weight * score.get(
                    parent, 0.0
                )
                if child in score:
                    out[parent] = out.get(parent, 0.0) + self.settings.thread_weight * score[child]
        return {k: v for k, v in out.items() if k in score}

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
