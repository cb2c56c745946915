from __future__ import annotations

import numpy as np

from bot.retrieval.bm25 import PostingsIndex
from bot.summary.graph import bm25_similarity, cosine_matrix, mmr, pagerank, tfidf_vectors

SENTENCES = [
    ["botox", "neck", "pain"],
    ["botox", "neck", "stiff"],
    ["triptan", "relief"],
    ["cost", "pound"],
    [],
]


def test_bm25_edges_are_the_index_scores_with_no_self_loops() -> None:
    weights = bm25_similarity(SENTENCES)
    index = PostingsIndex.build(SENTENCES)
    assert np.allclose(np.diag(weights), 0)
    assert np.allclose(weights[0, 1:], index.scores(SENTENCES[0])[1:])
    assert weights[0, 1] > 0 and weights[0, 2] == 0
    assert not weights[4].any()  # an empty sentence points nowhere


def test_pagerank_is_a_distribution_and_favours_the_connected() -> None:
    weights = bm25_similarity(SENTENCES)
    rank = pagerank(weights)
    assert np.isclose(rank.sum(), 1) and (rank > 0).all()
    assert rank[0] > rank[3] and rank[1] > rank[3]


def test_pagerank_personalization_pulls_towards_the_topic() -> None:
    weights = bm25_similarity(SENTENCES)
    plain = pagerank(weights)
    biased = pagerank(weights, personalization=np.array([0, 0, 0, 1.0, 0]))
    assert biased[3] > plain[3]
    assert pagerank(np.zeros((0, 0))).size == 0


def test_pagerank_on_a_symmetric_ring_is_uniform() -> None:
    ring = np.roll(np.eye(4), 1, axis=1) + np.roll(np.eye(4), -1, axis=1)
    assert np.allclose(pagerank(ring), 0.25)


def test_cosine_of_tfidf_is_one_on_itself_and_zero_apart() -> None:
    index = PostingsIndex.build(SENTENCES)
    sim = cosine_matrix(tfidf_vectors(SENTENCES, index))
    assert np.isclose(sim[0, 0], 1) and sim[0, 2] == 0 and sim[4, 4] == 0
    assert 0 < sim[0, 1] < 1


def test_mmr_skips_near_duplicates_and_respects_group_caps() -> None:
    relevance = np.array([1.0, 0.99, 0.5, 0.4])
    similarity = np.array(
        [[1, 0.95, 0, 0], [0.95, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], dtype=float
    )
    assert mmr(relevance, similarity, 4, lam=1.0, max_similarity=0.9) == [0, 2, 3]
    groups = ["a", "b", "a", "a"]
    assert mmr(relevance, similarity, 4, lam=1.0, groups=groups, max_per_group=1) == [0, 1]


def test_mmr_diversity_trades_relevance_for_novelty() -> None:
    relevance = np.array([1.0, 0.9, 0.6])
    similarity = np.array([[1, 0.8, 0], [0.8, 1, 0], [0, 0, 1]], dtype=float)
    assert mmr(relevance, similarity, 2, lam=1.0) == [0, 1]
    assert mmr(relevance, similarity, 2, lam=0.5) == [0, 2]


def test_mmr_requires_and_chosen() -> None:
    relevance = np.array([0.2, 1.0, 0.5])
    similarity = np.eye(3)
    # 1 may only come after 0 has been taken
    assert mmr(relevance, similarity, 1, lam=1.0, requires=[(), (0,), ()]) == [2]
    assert mmr(relevance, similarity, 3, lam=1.0, requires=[(), (0,), ()]) == [2, 0, 1]
    assert mmr(relevance, similarity, 2, lam=1.0, chosen=[0]) == [0, 1]
