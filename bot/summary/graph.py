"""Sentence similarity, centrality and diverse selection.

- `bm25_similarity`: Barrios et al. (2016), "Variations of the similarity function of TextRank for
  automated summarization": the weight of edge i → j is the BM25 score of sentence j when
  sentence i is the query, computed with the project's own BM25 index over the sentences.
- `pagerank`: TextRank's weighted PageRank (Mihalcea & Tarau 2004), optionally biased towards
  a topic by a personalization vector (Otterbacher et al. 2005, "biased LexRank").
- `mmr`: Maximal Marginal Relevance (Carbonell & Goldstein 1998): greedily take the sentence with
  the best λ·relevance − (1 − λ)·(highest cosine similarity to what is already taken).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Unpack

import numpy as np

from bot.retrieval.bm25 import PostingsIndex, Variant
from bot.summary.greedy import Constraints, greedy


def bm25_similarity(
    token_lists: Sequence[Sequence[str]],
    variant: Variant = "lucene",
    k1: float = 1.2,
    b: float = 0.75,
    index: PostingsIndex | None = None,
) -> np.ndarray:
    """W[i, j] = BM25 score of sentence j for sentence i as the query; zero diagonal."""
    index = index or PostingsIndex.build(token_lists, variant, k1, b)
    n = len(token_lists)
    weights = np.zeros((n, n))
    for i, tokens in enumerate(token_lists):
        if tokens:
            weights[i] = index.scores(list(tokens))
    np.fill_diagonal(weights, 0.0)
    return weights


def tfidf_vectors(token_lists: Sequence[Sequence[str]], index: PostingsIndex) -> np.ndarray:
    """L2-normalized tf × idf rows (idf from the BM25 index); an empty sentence is all zeros."""
    vectors = np.zeros((len(token_lists), len(index.vocabulary)))
    for i, tokens in enumerate(token_lists):
        for term in tokens:
            t = index.vocabulary.get(term)
            if t is not None:
                vectors[i, t] += index.idf[t]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def cosine_matrix(vectors: np.ndarray) -> np.ndarray:
    return np.clip(vectors @ vectors.T, 0.0, 1.0)


def pagerank(
    weights: np.ndarray,
    damping: float = 0.85,
    personalization: np.ndarray | None = None,
    tolerance: float = 1e-10,
    max_iterations: int = 200,
) -> np.ndarray:
    """Stationary scores of a random walk along weights[i, j] (from i to j), summing to 1.

    A row of zeros (a sentence sharing no word with any other) jumps by the personalization
    vector, as does the walk with probability 1 − damping.
    """
    n = len(weights)
    if n == 0:
        return np.zeros(0)
    jump = np.full(n, 1.0 / n) if personalization is None else np.asarray(personalization, float)
    if jump.sum() <= 0:
        jump = np.full(n, 1.0 / n)
    jump = jump / jump.sum()
    totals = weights.sum(axis=1, keepdims=True)
    dangling = totals[:, 0] <= 0
    transition = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)
    rank = jump.copy()
    for _ in range(max_iterations):
        nxt = damping * (rank @ transition + rank[dangling].sum() * jump) + (1 - damping) * jump
        if np.abs(nxt - rank).sum() < tolerance:
            rank = nxt
            break
        rank = nxt
    return rank / rank.sum()


def mmr(
    relevance: np.ndarray,
    similarity: np.ndarray,
    k: int,
    lam: float = 0.7,
    **constraints: Unpack[Constraints],
) -> list[int]:
    """Up to k indices, best first, after those already `chosen` (which stay first).

    relevance should be scaled to [0, 1] like similarity. Never takes a sentence whose similarity
    to one already taken is ≥ max_similarity (a near-duplicate), nor more than max_per_group
    sentences with the same group label, nor a sentence whose `requires` list is non-empty before
    one of those is taken.
    """

    def gain(i: int, closest: np.ndarray) -> float:
        return lam * relevance[i] - (1 - lam) * closest[i]

    return greedy(len(relevance), k, gain, similarity=similarity, **constraints)
