"""PostingsIndex computes rank-bm25's scores: same top-10 passages, scores within 1e-9."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest
import rank_bm25
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.retrieval.bm25 import BM25Lucene, PostingsIndex, Variant, reference_model

VARIANTS: tuple[Variant, ...] = ("lucene", "okapi", "plus")
REL = 1e-9
ABS = 1e-12  # for scores that are 0, or sums of signed okapi terms that nearly cancel


def close(a: float, b: float) -> bool:
    return abs(a - b) <= max(REL * max(abs(a), abs(b)), ABS)


def assert_scores_equal(index: PostingsIndex, model: rank_bm25.BM25, query: list[str]) -> None:
    ours, ref = index.scores(query), model.get_scores(query)
    assert ours.shape == ref.shape
    bad = [(i, a, b) for i, (a, b) in enumerate(zip(ours, ref, strict=True)) if not close(a, b)]
    assert not bad, f"query {query}: (passage, ours, rank-bm25) {bad[:5]}"


def assert_same_top(
    index: PostingsIndex,
    model: rank_bm25.BM25,
    corpus: Sequence[Sequence[str]],
    query: list[str],
    k: int = 10,
) -> None:
    """index.top(query, k) is rank-bm25's ranking of the passages that contain a query term:
    rank by rank the same score, and the same passage unless the two are tied; for the pruned
    top-k (numba and numpy) and the exhaustive one alike."""
    ref = model.get_scores(query)
    terms = set(query)
    matched = {i for i, doc in enumerate(corpus) if terms.intersection(doc)}
    expected = sorted(matched, key=lambda i: (-ref[i], i))[:k]
    got = index.top(query, k)
    for engine in ("numba", "numpy", "exhaustive"):
        assert index.top(query, k, engine=engine) == got, engine  # type: ignore[arg-type]
    assert len(got) == len(expected), query
    assert len({i for i, _ in got}) == len(got)
    for rank, ((i, score), j) in enumerate(zip(got, expected, strict=True)):
        assert i in matched
        assert close(score, ref[i]), (query, rank, i, score, ref[i])  # its rank-bm25 score
        assert close(score, ref[j]), (query, rank, j, score, ref[j])  # the score at this rank
        assert i == j or close(ref[i], ref[j]), (query, rank, i, j)  # the passage, or a tie


def zipf_corpus(
    rng: np.random.Generator, passages: int, vocabulary: int, mean: int, empty: float = 0.0
) -> list[list[str]]:
    p = 1 / np.arange(1, vocabulary + 1)
    p /= p.sum()
    corpus = []
    for _ in range(passages):
        n = 0 if rng.random() < empty else int(rng.integers(1, 2 * mean))
        corpus.append([f"w{i}" for i in rng.choice(vocabulary, size=n, p=p)])
    return corpus


def queries(rng: np.random.Generator, vocabulary: int, count: int) -> list[list[str]]:
    """2–8 terms, Zipf-ish, with repeats; some unknown to the corpus."""
    out = []
    for _ in range(count):
        n = int(rng.integers(2, 9))
        ranks = np.minimum(rng.zipf(1.3, size=n) - 1, vocabulary + 5)
        out.append([f"w{r}" for r in ranks])
    return out


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize(
    ("passages", "vocabulary", "mean", "k1", "b"),
    [
        (50, 20, 8, 1.2, 0.75),
        (300, 200, 30, 1.5, 0.75),
        (1000, 3000, 60, 0.9, 0.4),
        (200, 50, 20, 1.2, 0.0),
        (200, 50, 20, 2.0, 1.0),
    ],
)
def test_random_corpora_match_rank_bm25(
    variant: Variant, passages: int, vocabulary: int, mean: int, k1: float, b: float
) -> None:
    rng = np.random.default_rng([passages, vocabulary, mean])
    corpus = zipf_corpus(rng, passages, vocabulary, mean)
    model = reference_model(corpus, variant, k1, b)
    index = PostingsIndex.build(corpus, variant, k1, b)
    assert index.size == passages
    for query in queries(rng, vocabulary, 60):
        assert_scores_equal(index, model, query)
        assert_same_top(index, model, corpus, query)


tokens = st.sampled_from("abcdefghij")


@settings(max_examples=300, deadline=None)
@given(
    corpus=st.lists(st.lists(tokens, max_size=12), min_size=1, max_size=30).filter(any),
    query=st.lists(st.sampled_from("abcdefghijxyz"), max_size=8),
    variant=st.sampled_from(VARIANTS),
    k1=st.floats(0.1, 3.0),
    b=st.floats(0.0, 0.99),
    k=st.integers(1, 12),
)
def test_any_corpus_and_query_match_rank_bm25(
    corpus: list[list[str]], query: list[str], variant: Variant, k1: float, b: float, k: int
) -> None:
    # (b < 1: with b = 1 an empty passage makes rank-bm25 divide 0 by 0 and score NaN.)
    model = reference_model(corpus, variant, k1, b)
    index = PostingsIndex.build(corpus, variant, k1, b)
    assert_scores_equal(index, model, query)
    assert_same_top(index, model, corpus, query, k)


@pytest.mark.parametrize("variant", VARIANTS)
def test_duplicate_query_terms_count_twice(variant: Variant) -> None:
    corpus = [["neck", "pain", "botox"], ["neck", "neck"], ["sleep"], ["pain"]]
    model = reference_model(corpus, variant, 1.2, 0.75)
    index = PostingsIndex.build(corpus, variant)
    assert_scores_equal(index, model, ["neck", "neck", "pain"])
    once, twice = index.scores(["neck"]), index.scores(["neck", "neck"])
    assert np.allclose(twice, 2 * once, rtol=REL)


@pytest.mark.parametrize("variant", VARIANTS)
def test_unknown_terms_and_empty_queries_score_nothing(variant: Variant) -> None:
    corpus = [["neck", "pain"], ["sleep"]]
    model = reference_model(corpus, variant, 1.2, 0.75)
    index = PostingsIndex.build(corpus, variant)
    for query in ([], ["unheard"], ["unheard", "unheard"]):
        assert_scores_equal(index, model, query)
        assert not index.scores(query).any()
        assert index.matched(query).tolist() == []
        assert index.top(query, 10) == []
    assert_scores_equal(index, model, ["unheard", "sleep"])
    assert index.top(["unheard", "sleep"], 10) == [
        (1, pytest.approx(model.get_scores(["sleep"])[1]))
    ]


@pytest.mark.parametrize("variant", VARIANTS)
def test_empty_passages(variant: Variant) -> None:
    corpus = [[], ["neck", "pain"], [], ["pain", "pain", "sleep"], []]
    model = reference_model(corpus, variant, 1.2, 0.75)
    index = PostingsIndex.build(corpus, variant)
    assert index.doc_len.tolist() == [0, 2, 0, 3, 0]
    assert index.avgdl == model.avgdl
    for query in (["pain"], ["neck", "sleep"], ["pain", "x"]):
        assert_scores_equal(index, model, query)
        assert_same_top(index, model, corpus, query)
        assert all(i in (1, 3) for i, _ in index.top(query, 10))


def test_okapi_term_in_exactly_half_the_passages_scores_zero() -> None:
    """rank-bm25 issue #39: idf = ln(N − n + 0.5) − ln(n + 0.5) = 0 when n = N/2."""
    corpus = [["botox", "neck"], ["botox"], ["sleep"], ["aura"]]
    model = rank_bm25.BM25Okapi(corpus, k1=1.2, b=0.75)
    index = PostingsIndex.build(corpus, "okapi")
    assert model.idf["botox"] == 0.0
    assert index.idf[index.vocabulary["botox"]] == 0.0
    assert_scores_equal(index, model, ["botox"])
    assert not index.scores(["botox"]).any()
    # top lists passages that contain a query term, even when their score is 0.
    assert index.top(["botox"], 10) == [(0, 0.0), (1, 0.0)]


def test_okapi_floors_negative_idf_at_epsilon_times_the_average() -> None:
    corpus = [["pain", "neck"], ["pain"], ["pain", "aura"], ["sleep"]]
    model = rank_bm25.BM25Okapi(corpus, k1=1.2, b=0.75)
    index = PostingsIndex.build(corpus, "okapi")
    assert model.idf["pain"] == pytest.approx(0.25 * model.average_idf)
    assert close(index.idf[index.vocabulary["pain"]], model.idf["pain"])
    assert_scores_equal(index, model, ["pain", "neck"])


def test_lucene_idf_and_the_reference_classes() -> None:
    corpus = [["a", "b"], ["a"], ["c"]]
    model = BM25Lucene(corpus)
    assert (model.k1, model.b) == (1.2, 0.75)
    assert model.idf["a"] == pytest.approx(math.log(1 + (3 - 2 + 0.5) / (2 + 0.5)))
    assert isinstance(reference_model(corpus, "lucene", 1.2, 0.75), BM25Lucene)
    assert type(reference_model(corpus, "okapi", 1.2, 0.75)) is rank_bm25.BM25Okapi
    assert type(reference_model(corpus, "plus", 1.2, 0.75)) is rank_bm25.BM25Plus


def test_defaults_are_lucene_k1_1_2_b_0_75() -> None:
    corpus = [["neck", "pain"], ["pain"], ["sleep", "sleep"]]
    index = PostingsIndex.build(corpus)
    assert (index.variant, index.k1, index.b) == ("lucene", 1.2, 0.75)
    assert_scores_equal(index, BM25Lucene(corpus), ["pain", "sleep"])


def test_weights_scale_each_terms_contribution() -> None:
    rng = np.random.default_rng(7)
    corpus = zipf_corpus(rng, 100, 40, 10)
    for variant in VARIANTS:
        index = PostingsIndex.build(corpus, variant)
        terms, weights = ["w0", "w3", "w7"], [1.0, 0.5, 2.0]
        expected = sum(w * index.scores([t]) for t, w in zip(terms, weights, strict=True))
        assert np.allclose(index.scores(terms, weights), expected, rtol=REL, atol=ABS)
        ranked = index.top(terms, 5, weights)
        assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)


def test_ties_go_to_the_earlier_passage_also_at_the_cut_off() -> None:
    corpus = [["other"]] * 3 + [["neck", "pain"]] * 30
    index = PostingsIndex.build(corpus)
    top = index.top(["neck"], 10)
    assert [i for i, _ in top] == list(range(3, 13))
    assert len({s for _, s in top}) == 1
    corpus = [["neck"] * 5 + ["x"] * 5, *([["neck", "y"]] * 20), ["neck"] * 10]
    top = PostingsIndex.build(corpus).top(["neck"], 3)
    assert [i for i, _ in top] == [21, 0, 1]


def test_matched_document_frequency_and_size() -> None:
    corpus = [["neck", "pain", "neck"], [], ["pain"], ["sleep"]]
    index = PostingsIndex.build(corpus)
    assert index.size == 4
    assert index.matched(["pain", "neck", "pain"]).tolist() == [0, 2]
    assert index.document_frequency("neck") == 1
    assert index.document_frequency("pain") == 2
    assert index.document_frequency("nothing") == 0
    assert index.top(["pain"], 0) == []


def test_a_string_query_is_an_error() -> None:
    """rank-bm25 scores a string as its characters, all zero, without a word."""
    index = PostingsIndex.build([["neck"]])
    with pytest.raises(TypeError):
        index.scores("neck")
    with pytest.raises(TypeError):
        index.matched("neck")


def test_empty_corpora_build() -> None:
    for corpus in ([], [[], []]):
        index = PostingsIndex.build(corpus)
        assert index.size == len(corpus)
        assert index.scores(["neck"]).tolist() == [0.0] * len(corpus)
        assert index.top(["neck"], 10) == []
        assert index.document_frequency("neck") == 0


@settings(max_examples=200, deadline=None)
@given(
    corpus=st.lists(st.lists(st.sampled_from("abcde"), max_size=4), min_size=1, max_size=30),
    ranges=st.lists(st.tuples(st.integers(0, 31), st.integers(0, 4)), max_size=6),
    term=st.sampled_from("abcdex"),
)
def test_occurs_in_says_which_ranges_hold_the_term(
    corpus: list[list[str]], ranges: list[tuple[int, int]], term: str
) -> None:
    index = PostingsIndex.build(corpus)
    first = np.array([a for a, _ in ranges], dtype=np.int64)
    stop = np.array([a + n for a, n in ranges], dtype=np.int64)
    expected = [
        any(term in corpus[i] for i in range(a, min(a + n, len(corpus)))) for a, n in ranges
    ]
    assert index.occurs_in(term, first, stop).tolist() == expected
