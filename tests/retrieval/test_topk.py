"""Pruned top-k (bot.retrieval.topk): numba and numpy give the exhaustive answer, always."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.retrieval import topk
from bot.retrieval.bm25 import PostingsIndex, Variant, reference_model

ENGINES = ("numba", "numpy")
VARIANTS: tuple[Variant, ...] = ("lucene", "okapi", "plus")


def exhaustive(
    index: PostingsIndex,
    query: list[str],
    k: int,
    weights: list[float] | None = None,
    groups: np.ndarray | None = None,
) -> list[tuple[int, float]]:
    """The definition, written out: every matched passage scored by `scores`, by (score desc,
    passage asc), the first passage of each group, k of them."""
    scores = index.scores(query, weights)
    matched = sorted(index.matched(query).tolist(), key=lambda i: (-scores[i], i))
    out, seen = [], set()
    for i in matched:
        group = i if groups is None else int(groups[i])
        if group not in seen:
            seen.add(group)
            out.append((i, float(scores[i])))
    return out[:k]


words = st.sampled_from("abcdefgh")


@settings(max_examples=400, deadline=None)
@given(
    corpus=st.lists(st.lists(words, max_size=10), min_size=1, max_size=60),
    query=st.lists(st.sampled_from("abcdefghxy"), max_size=8),  # repeats and unknown words
    weights=st.lists(st.sampled_from([0.0, 0.5, 0.7, 1.0, 2.0]), min_size=8, max_size=8),
    variant=st.sampled_from(VARIANTS),
    k=st.integers(1, 70),  # also more than the passages that match
    shift=st.integers(0, 4),  # blocks of 1–16 passages: many blocks even on small corpora
    group_sizes=st.lists(st.integers(1, 4), min_size=60, max_size=60),
    grouped=st.booleans(),
)
def test_pruned_top_k_is_the_exhaustive_one(
    corpus: list[list[str]],
    query: list[str],
    weights: list[float],
    variant: Variant,
    k: int,
    shift: int,
    group_sizes: list[int],
    grouped: bool,
) -> None:
    index = PostingsIndex.build(corpus, variant, 1.2, 0.75, block_shift=shift)
    w = weights[: len(query)]
    groups = np.repeat(np.arange(60), group_sizes)[: len(corpus)] if grouped else None
    expected = exhaustive(index, query, k, w, groups)
    for engine in ENGINES:
        assert index.top(query, k, w, groups, engine=engine) == expected, engine
    assert index.top(query, k, w, groups, engine="exhaustive") == expected


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("variant", VARIANTS)
def test_larger_zipf_corpora_with_many_blocks(engine: str, variant: Variant) -> None:
    rng = np.random.default_rng(11)
    p = 1 / np.arange(1, 400)
    p /= p.sum()
    corpus = [
        [f"w{i}" for i in rng.choice(399, size=rng.integers(1, 40), p=p)] for _ in range(3000)
    ]
    index = PostingsIndex.build(corpus, variant, block_shift=5)
    model = reference_model(corpus, variant, 1.2, 0.75)
    groups = np.cumsum(rng.random(3000) < 0.4)
    for _ in range(40):
        query = [f"w{r}" for r in np.minimum(rng.zipf(1.3, size=rng.integers(2, 9)), 420)]
        for k, g in ((10, None), (50, groups), (500, None)):
            got = index.top(query, k, groups=g, engine=engine)
            assert got == exhaustive(index, query, k, None, g)
            ref = model.get_scores(query)
            assert all(abs(s - ref[i]) <= 1e-9 * max(abs(ref[i]), 1) for i, s in got)


@pytest.mark.parametrize("engine", ENGINES)
def test_ties_go_to_the_earliest_passage_and_group(engine: str) -> None:
    corpus = [["other"]] * 3 + [["neck", "pain"]] * 40
    index = PostingsIndex.build(corpus, block_shift=2)
    assert [i for i, _ in index.top(["neck"], 10, engine=engine)] == list(range(3, 13))
    groups = np.arange(43) // 4  # passages 3, 4–7, 8–11, … are one comment each
    top = index.top(["neck"], 5, groups=groups, engine=engine)
    assert [i for i, _ in top] == [3, 4, 8, 12, 16]
    assert len({s for _, s in top}) == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_empty_results(engine: str) -> None:
    index = PostingsIndex.build([["neck"], [], ["pain"]], block_shift=0)
    for query in ([], ["unheard"], ["unheard", "unheard"]):
        assert index.top(query, 5, engine=engine) == []
    assert index.top(["neck"], 0, engine=engine) == []
    assert PostingsIndex.build([]).top(["neck"], 3, engine=engine) == []


def test_negative_weights_fall_back_to_scoring_every_match() -> None:
    corpus = [["neck", "pain"], ["neck"], ["pain", "pain"]]
    index = PostingsIndex.build(corpus, block_shift=0)
    assert index.top(["neck", "pain"], 3, [1.0, -1.0]) == exhaustive(
        index, ["neck", "pain"], 3, [1.0, -1.0]
    )


def test_auto_uses_numpy_without_numba(monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = [["neck", "pain"], ["neck"], ["pain", "sleep"]] * 20
    index = PostingsIndex.build(corpus, block_shift=2)
    expected = index.top(["neck", "sleep"], 7)

    def unavailable(*_: object) -> None:
        raise AssertionError("numba kernel called")

    monkeypatch.setattr(topk, "HAVE_NUMBA", False)
    monkeypatch.setattr(topk, "top_numba", unavailable)
    assert index.top(["neck", "sleep"], 7) == expected


def test_the_bot_ranks_without_numba_installed() -> None:
    """A process where numba cannot be imported still builds and ranks, with the same result."""
    script = """
import json, sys
sys.modules["numba"] = None  # import numba now raises ImportError
from bot.retrieval import topk
from bot.retrieval.bm25 import PostingsIndex
corpus = [["neck", "pain"], ["neck"], ["pain", "sleep"], ["aura"]] * 50
index = PostingsIndex.build(corpus, block_shift=3)
print(json.dumps([topk.HAVE_NUMBA, index.top(["neck", "sleep", "neck"], 9)]))
"""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=root, check=True
    )
    have, top = json.loads(done.stdout)
    assert have is False
    corpus = [["neck", "pain"], ["neck"], ["pain", "sleep"], ["aura"]] * 50
    index = PostingsIndex.build(corpus, block_shift=3)
    assert [tuple(x) for x in top] == exhaustive(index, ["neck", "sleep", "neck"], 9)
    assert topk.HAVE_NUMBA  # installed here, so both paths are tested


def test_block_maxima_bound_every_impact() -> None:
    rng = np.random.default_rng(5)
    corpus = [[f"w{i}" for i in rng.integers(0, 30, size=rng.integers(1, 20))] for _ in range(500)]
    index = PostingsIndex.build(corpus, block_shift=4)
    assert len(index.rows) > 0  # frequent terms have rows
    for t in range(len(index.df)):
        lo, hi = index.offsets[t], index.offsets[t + 1]
        assert index.term_max[t] == index.impacts[lo:hi].max()
        r = index.row_of[t]
        if r < 0:
            continue
        blocks = index.doc_ids[lo:hi] >> 4
        for blk in range(index.rows.shape[1]):
            inside = index.impacts[lo:hi][blocks == blk]
            if len(inside):
                assert float(index.rows[r, blk]) >= inside.max()
            else:
                assert index.rows[r, blk] == -np.inf
