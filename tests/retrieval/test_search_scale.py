"""Searcher.rank at scale: pruned comment ranking and candidate-only fusion give the full answer."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bot.retrieval.search import Hit, Searcher, Semantic
from tools.bench.synthetic import ZipfSource, searcher_for, typo_questions


@pytest.fixture(scope="module")
def searcher() -> Searcher:
    source = ZipfSource.create(vocabulary_size=800, seed=9)
    return searcher_for(source.passages(3000, mean_tokens=20), seed=9)


def questions(count: int) -> list[str]:
    return typo_questions(ZipfSource.create(vocabulary_size=800, seed=9).queries(count, 2, 8), 9)


def every_passage(searcher: Searcher, ranked: np.ndarray, candidates: np.ndarray) -> list[Hit]:
    """The definition: each comment's best candidate passage (the earliest of equal ones),
    comments by (score desc, passage asc), max_hits of them."""
    best: dict[int, tuple[float, int]] = {}
    for i in candidates.tolist():
        c = int(searcher._comment_of[i])
        if c not in best or ranked[i] > best[c][0]:
            best[c] = (float(ranked[i]), i)
    order = sorted(best.values(), key=lambda x: (-x[0], x[1]))[: searcher.settings.max_hits]
    return [Hit(searcher.passages[i], s) for s, i in order]


def test_comment_ranking_is_the_exhaustive_one(searcher: Searcher) -> None:
    typos = 0
    for question in questions(60):
        ranking = searcher.rank(question)
        q = ranking.query
        if not q.own:
            continue
        typos += searcher.settings.typo_weight in q.weights
        scores = searcher.index.scores(q.terms, q.weights)
        expected = every_passage(searcher, scores, searcher.index.matched(q.terms))
        assert list(ranking.hits) == expected, question
        best = float(scores.max())
        assert ranking.covered == (
            bool(expected)
            and best >= searcher.settings.min_score
            and ranking.coverage >= searcher.settings.min_coverage
        )
    assert typos  # the questions exercised typo repair too


def test_coverage_read_from_the_index_is_the_tokenized_one(searcher: Searcher) -> None:
    for question in questions(30):
        ranking = searcher.rank(question)
        for hit in ranking.hits[:3]:
            members = searcher._members[hit.passage.key]
            present = {t for i in members for t in searcher.tokenizer(searcher.passages[i].text)}
            own = ranking.query.own
            idf = {t: searcher.idf(t) for t in own}
            expected = sum(idf[t] for t in own if t in present) / sum(idf.values())
            assert searcher.coverage(ranking.query, hit.passage.key) == pytest.approx(expected)


@pytest.mark.parametrize("max_hits", [5, 50])
def test_fusion_over_candidates_is_the_full_fusion(searcher: Searcher, max_hits: int) -> None:
    rng = np.random.default_rng(3)
    n = len(searcher.passages)
    # Vectors that agree with BM25 a little, so both candidate lists matter.
    vectors = rng.normal(size=(n, 16))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    asked = {}

    def embed(question: str) -> np.ndarray:
        v = asked.setdefault(question, rng.normal(size=16))
        return v / np.linalg.norm(v)

    settings = dataclasses.replace(searcher.settings, max_hits=max_hits)
    fused = Searcher.__new__(Searcher)
    fused.__dict__.update(searcher.__dict__)
    fused.settings = settings
    fused.semantic = Semantic(vectors, embed)
    w = settings.semantic_weight
    for question in questions(25):
        ranking = fused.rank(question)
        q = ranking.query
        if not q.own:
            continue
        scores = fused.index.scores(q.terms, q.weights)
        best = float(scores.max())
        ranked = (1 - w) * scores / (best or 1.0) + w * (vectors @ embed(question))
        assert list(ranking.hits) == every_passage(fused, ranked, np.arange(n)), question


def with_settings(searcher: Searcher, **changes: object) -> Searcher:
    """The same index under other settings (building one again takes seconds)."""
    other = Searcher.__new__(Searcher)
    other.__dict__.update(searcher.__dict__)
    other.settings = dataclasses.replace(searcher.settings, **changes)  # type: ignore[arg-type]
    return other


@pytest.mark.parametrize("path", ["pruned", "every passage"])
def test_a_shallow_ranking_is_the_start_of_the_full_one(searcher: Searcher, path: str) -> None:
    """A reply asks only for the comments its page shows: they must be the full ranking's first,
    with the same scores and the same verdict."""
    if path == "every passage":
        searcher = with_settings(searcher, rest_weight=0.1)
    cut = 0
    for n, question in enumerate(questions(40)):
        full = searcher.rank(question)
        depth = 1 + n % 12
        shallow = searcher.rank(question, depth)
        kept = min(searcher.settings.max_hits, max(depth, searcher.settings.coverage_depth))
        assert shallow.hits == full.hits[:kept], question
        assert (shallow.coverage, shallow.covered, shallow.query) == (
            full.coverage,
            full.covered,
            full.query,
        )
        cut += len(shallow.hits) < len(full.hits)
    assert cut > 20


def test_a_shallow_fused_ranking_is_the_start_of_the_full_one(searcher: Searcher) -> None:
    rng = np.random.default_rng(5)
    vectors = rng.normal(size=(len(searcher.passages), 16))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    asked: dict[str, np.ndarray] = {}

    def embed(question: str) -> np.ndarray:
        v = asked.setdefault(question, rng.normal(size=16))
        return v / np.linalg.norm(v)

    fused = with_settings(searcher)
    fused.semantic = Semantic(vectors, embed)
    for n, question in enumerate(questions(20)):
        full = fused.rank(question)
        shallow = fused.rank(question, 4 + n % 3)
        assert shallow.hits == full.hits[: len(shallow.hits)], question
        assert len(shallow.hits) == min(4 + n % 3, len(full.hits))
        assert shallow.covered == full.covered
