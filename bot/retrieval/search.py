"""Question → ranked hits, one per comment, with a verdict on whether the discussion covers it.

Every knob here was chosen by `python -m tools.evaluation` on the tuning split (README,
Retrieval quality).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np

from bot.config import NotCovered
from bot.retrieval.bm25 import PostingsIndex, Variant
from bot.retrieval.lexicon import Lexicon
from bot.retrieval.passages import Passage
from bot.retrieval.scope import Scope
from bot.retrieval.spelling import is_english_word
from bot.retrieval.tokenize import QUESTION_WORDS, Tokenizer
from bot.retrieval.typos import Vocabulary


@dataclass(frozen=True)
class SearchSettings:
    variant: Variant = "lucene"
    k1: float = 1.2
    b: float = 0.75
    question_words: bool = True  # drop question filler ("anyone else", "get", "happen")
    expansion_weight: float = 0.5  # lexicon synonyms count for less than the asker's own words
    typo_weight: float = 0.7  # a corrected misspelling counts for a little less
    typo_cutoff: float = 0.8  # difflib similarity needed to correct an unknown word
    typo_english: bool = False  # also repair real English words (else they are left alone)
    typo_min_length: int = 5  # shorter words are too often real words the corpus lacks
    rest_weight: float = 0.0  # comment score = best passage + this × its other passages
    thread_weight: float = 0.0  # a reply also gets this share of its parent's score, and back
    # Passage score = (1 - w) × BM25 / the best BM25 + w × cosine with the question, when
    # sentence vectors are given. Ranking only: "not covered" stays a word-matching decision.
    semantic_weight: float = 0.3
    unknown_names: bool = True  # a capitalized name the corpus never uses: not covered
    min_score: float = 1.0  # below this best score: not covered
    min_coverage: float = 0.35  # share of the question's idf mass a top comment must match
    coverage_depth: int = 3  # how many top comments may show that the discussion covers it
    max_hits: int = 50
    # People and drugs the discussion says nothing of (bot/retrieval/scope.py); None = no check.
    scope: NotCovered | None = None


@dataclass(frozen=True)
class Query:
    own: tuple[str, ...]  # the asker's terms (typos corrected), de-duplicated, in order
    terms: tuple[str, ...]  # own + expansions
    weights: tuple[float, ...]
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # own → stand-ins
    # Names the asker capitalized ("Emgality") that neither the corpus nor the lexicon knows,
    # nor typo repair: the discussion never mentions what the question is about.
    unknown_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Semantic:
    """Sentence vectors for meaning-based matching (bot.retrieval.semantic)."""

    vectors: np.ndarray  # one unit vector per passage, in passage order
    embed: Callable[[str], np.ndarray]  # the question's unit vector


class Hit(NamedTuple):  # a NamedTuple: 50 are made per question, 5× faster than a dataclass
    passage: Passage  # the comment's best passage: the one to quote
    score: float  # the comment's score


@dataclass(frozen=True)
class Ranking:
    query: Query
    hits: tuple[Hit, ...]  # one per comment, best first
    coverage: float
    covered: bool
    people: tuple[str, ...] = ()  # populations asked about that the top passages never are


class Searcher:
    def __init__(
        self,
        passages: Sequence[Passage],
        tokenizer: Tokenizer,
        lexicon: Lexicon,
        settings: SearchSettings,
        semantic: Semantic | None = None,
    ) -> None:
        self.passages = list(passages)
        if semantic is not None and semantic.vectors.shape[0] != len(self.passages):
            raise ValueError("one sentence vector per passage is needed")
        self.semantic = semantic
        self.tokenizer = tokenizer
        self.lexicon = lexicon
        self.settings = settings
        authors = {p.author for p in self.passages if p.author}
        texts = [p.text for p in self.passages]
        self.scope = Scope(settings.scope, tokenizer, authors, texts) if settings.scope else None
        vocabulary: set[str] = set()  # surface words, for typo repair
        token_lists = []
        for p in self.passages:
            words = tokenizer.words(p.text)
            vocabulary.update(words)
            token_lists.append(tokenizer.terms(words))
        self.index = PostingsIndex.build(token_lists, settings.variant, settings.k1, settings.b)
        self._words = Vocabulary(w for w in vocabulary if len(w) >= settings.typo_min_length)
        # Passages of one comment are consecutive, so comment numbers never decrease.
        keys = list(dict.fromkeys(p.key for p in self.passages))
        number = {k: i for i, k in enumerate(keys)}
        # Titles of the documents searched, once: a reply names them on every question.
        self.documents = tuple(dict.fromkeys(p.document_title for p in self.passages))
        self._comment_of = np.array([number[p.key] for p in self.passages], dtype=np.int64)
        # Comment c's passages are _comment_first[c] ≤ n < _comment_first[c + 1].
        self._comment_first = np.searchsorted(self._comment_of, np.arange(len(keys) + 1)).tolist()
        self._members: dict[str, list[int]] = defaultdict(list)  # comment key → its passages
        for p in self.passages:
            self._members[p.key].append(p.index)
        parent_of = np.full(len(keys), -1, dtype=np.int64)
        for p in self.passages:
            parent_key = f"{p.document_id}/{p.in_reply_to_id}"
            if p.in_reply_to_id and parent_key in number:
                parent_of[number[p.key]] = number[parent_key]
        self._parent_of = parent_of

    # --- the question -------------------------------------------------------------------
    def query(self, question: str) -> Query:
        # Lexicon phrases are matched on every word, filler included ("give up", "get rid of");
        # the filler itself is then left out of what is searched.
        sequence: list[str] = []
        own: list[str] = []
        weights: dict[str, float] = {}
        names = self.tokenizer.names(question) if self.settings.unknown_names else set()
        unknown: list[str] = []
        for word in self.tokenizer.words(question):
            term = self.tokenizer.term(word)
            if not term:
                continue
            filler = self.settings.question_words and word in QUESTION_WORDS
            weight = 1.0
            in_corpus = bool(self.index.document_frequency(term))
            known = in_corpus or self.lexicon.knows(term)
            if (
                not known
                and not filler
                and self.settings.typo_weight
                and len(word) >= self.settings.typo_min_length
                and (self.settings.typo_english or not is_english_word(word))
            ):
                fixed = self._correct(word)
                if fixed:
                    term, weight, known = fixed, self.settings.typo_weight, True
            if not filler and word not in unknown and self._is_name(word, known, in_corpus, names):
                unknown.append(word)
            sequence.append(term)
            if not filler and term not in weights:
                own.append(term)
                weights[term] = weight
        synonyms = {t: v for t, v in self.lexicon.stand_ins(sequence).items() if t in weights}
        extra = [t for t in self.lexicon.expansions(sequence) if t not in weights]
        all_weights = [weights[t] for t in own] + [self.settings.expansion_weight] * len(extra)
        return Query(tuple(own), tuple(own + extra), tuple(all_weights), synonyms, tuple(unknown))

    def _is_name(self, word: str, known: bool, in_corpus: bool, capitalized: set[str]) -> bool:
        """A name the discussion never uses: capitalized mid-sentence, or (bot/retrieval/scope.py)
        a listed drug the corpus lacks or a word that is not English, in any casing."""
        if not self.settings.unknown_names:
            return False
        if not known and word in capitalized:
            return True
        return self.scope is not None and self.scope.is_unknown_name(word, known, in_corpus)

    def _correct(self, word: str) -> str | None:
        """The corpus term a misspelt word most likely meant ("migranes" → migrain), if any."""
        close = self._words.closest(word, self.settings.typo_cutoff)
        return self.tokenizer.term(close) if close else None

    # --- ranking ------------------------------------------------------------------------
    def rank(self, question: str, depth: int | None = None) -> Ranking:
        """The best `depth` comments (at least coverage_depth, at most max_hits; None: max_hits).
        The ranking is a prefix of the full one: the same hits, scores and order, so a reply asks
        only for the comments it shows (and one more, to know whether there are further ones)."""
        n = self.settings.max_hits
        if depth is not None:
            n = min(n, max(depth, self.settings.coverage_depth, 1))
        query = self.query(question)
        if not query.own:
            return Ranking(query, (), 0.0, False)
        if self.settings.rest_weight or self.settings.thread_weight:
            # Comment scores that add several passages: every matched passage is needed.
            hits, best = self._rank_every_passage(query, n)
        elif self.semantic is not None and self.settings.semantic_weight:
            hits, best = self._rank_fused(query, question, n)
        else:
            # Block-max top-k by comment: only the passages that can still make the list.
            found = self.index.top(query.terms, n, query.weights, groups=self._comment_of)
            hits = tuple(Hit(self.passages[i], score) for i, score in found)
            best = self._best(query, hits)
        coverage = self._best_coverage(query, self._spans(hits[: self.settings.coverage_depth]))
        top = hits[: self.settings.coverage_depth]
        people = (
            self.scope.people_not_covered(question, [h.passage.text for h in top])
            if self.scope
            else ()
        )
        covered = (
            bool(hits)
            and best >= self.settings.min_score
            and coverage >= self.settings.min_coverage
            and not query.unknown_names
            and not people
        )
        return Ranking(query, hits, coverage, covered, people)

    def recheck_people(self, question: str, ranking: Ranking) -> Ranking:
        """After a reader reordered the hits: the people the question asks about (a child, a
        pregnancy) must still be spoken of by one of the new top quotes, or it is not covered."""
        if not ranking.people or self.scope is None:
            return ranking
        top = [h.passage.text for h in ranking.hits[: self.settings.coverage_depth]]
        people = self.scope.people_not_covered(question, top)
        return replace(ranking, people=people, covered=ranking.covered and not people)

    def _best(self, query: Query, hits: Sequence[Hit]) -> float:
        """The best BM25 passage score. A passage without a query word scores BM25Plus's
        per-term addition (0 for the other variants); it can only be the best when every word's
        contribution is negative (BM25Okapi's floor), where a corpus of nothing but matches
        differs from `scores(...).max()`, and neither clears min_score."""
        unmatched = sum(self.index.base_scores(query.terms, query.weights))
        return max(hits[0].score, unmatched) if hits else unmatched if self.passages else 0.0

    def _rank_every_passage(self, query: Query, n: int) -> tuple[tuple[Hit, ...], float]:
        scores = self.index.scores(query.terms, query.weights)
        best = float(scores.max()) if len(scores) else 0.0
        matched = self.index.matched(query.terms)
        return self._comments(scores[matched], matched, n), best

    def _rank_fused(self, query: Query, question: str, n: int) -> tuple[tuple[Hit, ...], float]:
        """Passage score = (1 - w) × BM25 / the best BM25 + w × cosine, ranked exactly but
        computed only for candidates: the c best by BM25 and the c most similar. A passage in
        neither list scores at most (1 - w) × the c-th BM25 / best + w × the c-th cosine; when the
        last hit beats that, no other passage can enter, else c grows (up to every passage)."""
        assert self.semantic is not None
        w = self.settings.semantic_weight
        terms, weights = query.terms, query.weights
        similarity = self.semantic.vectors @ self.semantic.embed(question)
        top1 = self.index.top(terms, 1, weights)
        best = max(top1[0][1], sum(self.index.base_scores(terms, weights))) if top1 else 0.0
        size = len(self.passages)
        c = 4 * self.settings.max_hits  # the first candidate count, whatever the depth asked
        while c < size:
            by_words = self.index.top(terms, c, weights)
            by_meaning = np.argpartition(-similarity, c)[:c]
            candidates = np.union1d(np.array([i for i, _ in by_words], dtype=np.int64), by_meaning)
            words_floor = max(
                by_words[-1][1] if len(by_words) == c else -np.inf,
                sum(self.index.base_scores(terms, weights)),
            )
            bound = (1 - w) * words_floor / (best or 1.0) + w * float(similarity[by_meaning].min())
            scores = self.index.scores_of(terms, candidates, weights)
            ranked = (1 - w) * scores / (best or 1.0) + w * similarity[candidates]
            hits = self._comments(ranked, candidates, n)
            if len(hits) == n and hits[-1].score > bound + 1e-9 * (1 + abs(bound)):
                return hits, best
            c *= 4
        scores = self.index.scores(terms, weights)
        ranked = (1 - w) * scores / (best or 1.0) + w * similarity
        return self._comments(ranked, np.arange(size), n), best

    def _comments(self, cand_scores: np.ndarray, candidates: np.ndarray, n: int) -> tuple[Hit, ...]:
        """The best passage of each comment among the candidates (ascending passage numbers,
        with their scores), comments ranked by score (vectorised: a common word can match most
        of a 100k-passage corpus)."""
        if not len(candidates):
            return ()
        groups = self._comment_of[candidates]
        starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
        best = np.maximum.reduceat(cand_scores, starts)
        group_no = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(candidates)]))
        at_best = np.flatnonzero(cand_scores == best[group_no])
        first = at_best[np.r_[True, group_no[at_best][1:] != group_no[at_best][:-1]]]
        best_passage = candidates[first]  # the earliest passage among a comment's best
        comment = groups[starts]
        score = best.copy()
        if self.settings.rest_weight:
            total = np.add.reduceat(cand_scores, starts)
            score += self.settings.rest_weight * (total - best)
        if self.settings.thread_weight:
            score = self._with_thread(comment, score)
        # Ties at the cut-off go to the earlier passage, as in PostingsIndex.top.
        order = np.lexsort((best_passage, -score))[:n]
        return tuple(Hit(self.passages[int(best_passage[i])], float(score[i])) for i in order)

    def _with_thread(self, comment: np.ndarray, score: np.ndarray) -> np.ndarray:
        """A reply shares context with its parent: each gets a share of the other's score."""
        full = np.zeros(len(self._parent_of))
        full[comment] = score
        out = full.copy()
        child = np.flatnonzero(self._parent_of >= 0)
        parent = self._parent_of[child]
        out[child] += self.settings.thread_weight * full[parent]
        np.add.at(out, parent, self.settings.thread_weight * full[child])
        return out[comment]

    def idf(self, term: str) -> float:
        """Lucene idf from this corpus; a word it has never seen weighs the most."""
        n = self.index.size
        df = self.index.document_frequency(term)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def coverage(self, query: Query, key: str) -> float:
        """Share of the question's idf mass that one comment matches (synonyms count)."""
        members = self._members[key]
        return self._best_coverage(query, [(members[0], members[-1] + 1)])

    def _best_coverage(self, query: Query, spans: Sequence[tuple[int, int]]) -> float:
        """The best coverage among a few comments, each given by its passages first ≤ n < stop
        (a comment's passages are consecutive; the index knows which of them hold a term)."""
        if not spans:
            return 0.0
        first = np.array([a for a, _ in spans], dtype=np.int64)
        stop = np.array([b for _, b in spans], dtype=np.int64)
        matched = np.zeros(len(spans))
        total = 0.0
        for term in query.own:  # each comment's sum in query order, as one at a time would
            weight = self.idf(term)
            total += weight
            found = self.index.occurs_in(term, first, stop)
            for synonym in query.synonyms.get(term, ()):
                found |= self.index.occurs_in(synonym, first, stop)
            matched[found] += weight
        return max(m / total if total else 0.0 for m in matched.tolist())

    def _spans(self, hits: Sequence[Hit]) -> list[tuple[int, int]]:
        """Each hit's comment as its passages first ≤ n < stop."""
        comments = [int(self._comment_of[h.passage.index]) for h in hits]
        return [(self._comment_first[c], self._comment_first[c + 1]) for c in comments]
