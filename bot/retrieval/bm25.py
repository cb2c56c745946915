"""BM25 over passages: rank-bm25 defines the scores, an inverted index computes them fast.

rank-bm25's `get_scores` walks every passage in Python for every query term. `PostingsIndex`
precomputes each (term, passage) contribution — idf × saturated tf, from the same statistics and
formula — into numpy postings, so a query only touches the passages that contain its terms, and
`top` only the blocks of passages that can still enter the top k (bot.retrieval.topk). Tests check
both agree with rank-bm25 to 1e-9 on random corpora.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Literal

import numpy as np
import rank_bm25

from bot.retrieval import topk

Variant = Literal["lucene", "okapi", "plus"]


class BM25Lucene(rank_bm25.BM25):
    """Okapi scoring with Lucene's idf, ln(1 + (N − n + 0.5)/(n + 0.5)): never negative, so a
    word found in most passages of one small discussion cannot go negative or be floored oddly
    (rank-bm25's BM25Okapi epsilon floor; see shared/notes/retrieval.md)."""

    def __init__(self, corpus: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        super().__init__(corpus)

    def _calc_idf(self, nd: dict[str, int]) -> None:
        for word, freq in nd.items():
            self.idf[word] = math.log(1 + (self.corpus_size - freq + 0.5) / (freq + 0.5))

    def get_scores(self, query: Sequence[str]) -> np.ndarray:
        score = np.zeros(self.corpus_size)
        doc_len = np.array(self.doc_len)
        for q in query:
            q_freq = np.array([(doc.get(q) or 0) for doc in self.doc_freqs])
            score += (self.idf.get(q) or 0) * (
                q_freq
                * (self.k1 + 1)
                / (q_freq + self.k1 * (1 - self.b + self.b * doc_len / self.avgdl))
            )
        return score


def reference_model(
    corpus: Sequence[Sequence[str]], variant: Variant, k1: float, b: float
) -> rank_bm25.BM25:
    """The rank-bm25 object whose scores the fast index must reproduce."""
    if variant == "lucene":
        return BM25Lucene(corpus, k1=k1, b=b)
    if variant == "okapi":
        return rank_bm25.BM25Okapi(corpus, k1=k1, b=b)
    return rank_bm25.BM25Plus(corpus, k1=k1, b=b)


def idf_values(df: np.ndarray, n_docs: int, variant: Variant, epsilon: float = 0.25) -> np.ndarray:
    """The idf of each term (in vocabulary order), exactly as that rank-bm25 class computes it."""
    df = df.astype(np.float64)
    if variant == "lucene":
        return np.log(1 + (n_docs - df + 0.5) / (df + 0.5))
    if variant == "plus":
        return np.log((n_docs + 1) / df)
    idf = np.log(n_docs - df + 0.5) - np.log(df + 0.5)
    if not len(idf):
        return idf
    # BM25Okapi floors negative idfs at epsilon × the mean idf, summed in first-seen order as here.
    floor = epsilon * (sum(idf.tolist()) / len(idf))
    return np.where(idf < 0, floor, idf)


@dataclass
class PostingsIndex:
    vocabulary: dict[str, int]
    offsets: np.ndarray  # term t's postings are [offsets[t], offsets[t + 1])
    doc_ids: np.ndarray  # int32 passage numbers, ascending within a term
    impacts: np.ndarray  # float64 idf × saturated tf, the whole score contribution
    idf: np.ndarray
    df: np.ndarray
    doc_len: np.ndarray
    avgdl: float
    variant: Variant
    k1: float
    b: float
    # Block-max pruning (bot.retrieval.topk): the per-block maximum impact of frequent terms.
    term_max: np.ndarray = field(default_factory=lambda: np.empty(0))  # largest impact per term
    row_of: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    rows: np.ndarray = field(default_factory=lambda: np.empty((0, 0), dtype=np.float32))
    shift: int = topk.BLOCK_SHIFT
    delta: float = 1.0  # BM25Plus's lower bound on the tf part

    @property
    def size(self) -> int:
        return len(self.doc_len)

    @property
    def n_docs(self) -> int:
        return len(self.doc_len)

    @classmethod
    def build(
        cls,
        corpus: Sequence[Sequence[str]],
        variant: Variant = "lucene",
        k1: float = 1.2,
        b: float = 0.75,
        block_shift: int = topk.BLOCK_SHIFT,
    ) -> PostingsIndex:
        n_docs = len(corpus)
        doc_len = np.fromiter(map(len, corpus), dtype=np.int64, count=n_docs)
        total = int(doc_len.sum())
        # Terms are numbered in order of first appearance, like rank-bm25's document-frequency
        # dict (BM25Okapi's epsilon floor averages the idfs in that order).
        vocabulary = {t: i for i, t in enumerate(dict.fromkeys(chain.from_iterable(corpus)))}
        # One key per token, term × n_docs + passage: sorted, equal keys are one posting and
        # their count is the tf. Built in place to keep the peak memory down (at 100k passages
        # of 60 tokens, each temporary array is 48 MB).
        keys = np.fromiter(
            map(vocabulary.__getitem__, chain.from_iterable(corpus)), dtype=np.int64, count=total
        )
        stride = max(n_docs, 1)
        keys *= stride
        keys += np.repeat(np.arange(n_docs, dtype=np.int64), doc_len)
        keys.sort()
        first = np.ones(total, dtype=bool)
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        del first
        pairs = keys[starts]
        del keys
        tf = np.diff(starts, append=total).astype(np.float64)
        del starts
        pair_terms = pairs // stride
        pairs -= pair_terms * stride
        doc_ids = pairs.astype(np.int32)
        del pairs
        df = np.bincount(pair_terms, minlength=len(vocabulary))
        offsets = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        np.cumsum(df, out=offsets[1:])
        avgdl = total / n_docs if n_docs else 0.0
        idf = idf_values(df, n_docs, variant)
        # rank-bm25: idf × tf × (k1 + 1) / (tf + k1 × (1 − b + b × dl / avgdl)), the same
        # operations in the same order, in place.
        norm = doc_len.astype(np.float64)[doc_ids]
        norm *= b
        norm /= avgdl or 1.0
        norm += 1 - b
        norm *= k1
        norm += tf
        impacts = tf
        impacts *= k1 + 1
        impacts /= norm
        del norm
        impacts *= idf[pair_terms]
        del pair_terms
        row_of, rows = topk.block_maxima(offsets, doc_ids, impacts, n_docs, block_shift)
        return cls(
            vocabulary, offsets, doc_ids, impacts, idf, df, doc_len, avgdl, variant, k1, b,
            topk.term_maxima(offsets, impacts), row_of, rows, block_shift,
        )  # fmt: skip

    def scores(self, query: Sequence[str], weights: Sequence[float] | None = None) -> np.ndarray:
        """Scores of every passage; equal to rank-bm25's get_scores for unit weights."""
        _check_query(query)
        scores = np.zeros(self.size)
        for i, term in enumerate(query):
            w = 1.0 if weights is None else weights[i]
            t = self.vocabulary.get(term)
            if t is None:
                continue
            if self.variant == "plus":
                # BM25Plus gives every passage idf × delta for a known term, matched or not.
                scores += w * self.idf[t] * self.delta
            lo, hi = self.offsets[t], self.offsets[t + 1]
            impacts = self.impacts[lo:hi]
            scores[self.doc_ids[lo:hi]] += impacts if w == 1.0 else w * impacts
        return scores

    def matched(self, query: Sequence[str]) -> np.ndarray:
        """Passages containing at least one query term, ascending."""
        _check_query(query)
        mask = np.zeros(self.size, dtype=bool)
        for term in set(query):
            t = self.vocabulary.get(term)
            if t is not None:
                mask[self.doc_ids[self.offsets[t] : self.offsets[t + 1]]] = True
        return np.flatnonzero(mask)

    def occurs_in(self, term: str, first: np.ndarray, stop: np.ndarray) -> np.ndarray:
        """For each range first[i] ≤ n < stop[i], whether a passage in it contains the term."""
        t = self.vocabulary.get(term)
        if t is None:
            return np.zeros(len(first), dtype=bool)
        ids = self.doc_ids[int(self.offsets[t]) : int(self.offsets[t + 1])]
        at = np.searchsorted(ids, first.astype(ids.dtype))  # needles in the postings' dtype
        found = at < len(ids)
        found[found] = ids[at[found]] < stop[found]
        return found

    def document_frequency(self, term: str) -> int:
        t = self.vocabulary.get(term)
        return int(self.df[t]) if t is not None else 0

    def scores_of(
        self, query: Sequence[str], docs: np.ndarray, weights: Sequence[float] | None = None
    ) -> np.ndarray:
        """`scores(query, weights)[docs]` for ascending passage numbers, touching only those."""
        _check_query(query)
        docs = np.asarray(docs, dtype=np.int64)
        needles = docs.astype(self.doc_ids.dtype)  # the postings' dtype: no int64 copy of them
        out = np.zeros(len(docs))
        for i, term in enumerate(query):
            w = 1.0 if weights is None else weights[i]
            t = self.vocabulary.get(term)
            if t is None:
                continue
            if self.variant == "plus":
                out += w * self.idf[t] * self.delta
            lo, hi = self.offsets[t], self.offsets[t + 1]
            ids = self.doc_ids[lo:hi]
            at = np.minimum(np.searchsorted(ids, needles), len(ids) - 1)
            found = ids[at] == docs
            impacts = self.impacts[lo:hi][at[found]]
            out[found] += impacts if w == 1.0 else w * impacts
        return out

    def top(
        self,
        query: Sequence[str],
        k: int,
        weights: Sequence[float] | None = None,
        groups: np.ndarray | None = None,
        engine: Literal["auto", "numba", "numpy", "exhaustive"] = "auto",
    ) -> list[tuple[int, float]]:
        """The k best passages containing at least one query term, best first; equal scores in
        passage order (also at the cut-off: of several passages tied for k-th, the earliest).
        With `groups` (passage → group number, e.g. its comment), only the best passage of each
        group counts (the earliest of equal ones) and k counts groups. Scores are those of
        `scores`; `engine` picks the implementation (all give the same result)."""
        _check_query(query)
        if k <= 0:
            return []
        terms, w, bases = self._query_arrays(query, weights)
        if engine == "exhaustive" or (len(w) and not (np.isfinite(w).all() and (w >= 0).all())):
            return self._top_exhaustive(query, k, weights, groups)
        if engine == "auto":
            engine = "numba" if topk.HAVE_NUMBA else "numpy"
        run = topk.top_numba if engine == "numba" else topk.top_numpy
        scores, docs = run(self, terms, w, bases, k, groups)
        return list(zip(docs.tolist(), scores.tolist(), strict=True))

    def base_scores(
        self, query: Sequence[str], weights: Sequence[float] | None = None
    ) -> list[float]:
        """What each known query term adds to every passage, matched or not: BM25Plus's
        idf × delta (weighted), 0 for the other variants."""
        return self._query_arrays(query, weights)[2].tolist()

    def _query_arrays(
        self, query: Sequence[str], weights: Sequence[float] | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Known terms in query order (repeats kept), their weights, and BM25Plus's per-term
        addition to every passage (0 for the other variants)."""
        terms, ws, bases = [], [], []
        for i, term in enumerate(query):
            t = self.vocabulary.get(term)
            if t is None:
                continue
            w = 1.0 if weights is None else float(weights[i])
            terms.append(t)
            ws.append(w)
            bases.append(w * self.idf[t] * self.delta if self.variant == "plus" else 0.0)
        return np.array(terms, dtype=np.int64), np.array(ws), np.array(bases, dtype=np.float64)

    def _top_exhaustive(
        self,
        query: Sequence[str],
        k: int,
        weights: Sequence[float] | None,
        groups: np.ndarray | None,
    ) -> list[tuple[int, float]]:
        """Every matched passage scored: for any weights, and the reference in tests."""
        matched = self.matched(query)
        scores = self.scores_of(query, matched, weights)
        scores, matched = topk.compact(scores, matched, groups, k)
        return list(zip(matched.tolist(), scores.tolist(), strict=True))


def _check_query(query: Sequence[str]) -> None:
    # rank-bm25 silently scores a string as its characters (all zero); say what went wrong.
    if isinstance(query, str):
        raise TypeError("expected the query as a list of tokens, got a string")
