"""One benchmark measurement in a fresh process, so its peak RSS is its own.

    python -m tools.bench.worker {project|rank-bm25} PASSAGES QUERIES [--seed N] [--variant V]

Generates the seeded synthetic corpus and queries, builds one engine's index, runs every query
once (after a few untimed warm-up queries) and prints one JSON object:
build_s, p50_ms, p95_ms, rss_mb (peak RSS of this process: interpreter, numpy, the corpus, the
index build and the queries), corpus_rss_mb (the peak before the build: interpreter + corpus),
and the top-10 (passage, score) of each query for the parent to compare.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from bot.retrieval.bm25 import PostingsIndex, Variant, reference_model
from tools.bench.synthetic import DEFAULT_SEED, ZipfSource

K = 10
K1, B = 1.2, 0.75  # the project's settings (bot.retrieval.search.SearchSettings)
WARMUP = 5
TIE_LIMIT = 1000  # passages tied with the 10th reported at most


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(latencies: Sequence[float]) -> tuple[float, float]:
    p50, p95 = np.percentile(np.asarray(latencies) * 1000, [50, 95])
    return float(p50), float(p95)


def _timed(
    queries: list[list[str]],
    run: Callable[[list[str]], Any],
    keep: Callable[[list[str], Any], Any] = lambda _, result: result,
) -> tuple[list[Any], list[float]]:
    """Run every query once (after WARMUP untimed ones); keep(query, result), called outside
    the timed part, reduces each result to what is reported."""
    for query in queries[:WARMUP]:
        run(query)
    kept, latencies = [], []
    for query in queries:
        started = time.perf_counter()
        result = run(query)
        latencies.append(time.perf_counter() - started)
        kept.append(keep(query, result))
    return kept, latencies


def measure_project(
    corpus: list[list[str]], queries: list[list[str]], variant: Variant
) -> dict[str, Any]:
    started = time.perf_counter()
    index = PostingsIndex.build(corpus, variant, K1, B)
    build_s = time.perf_counter() - started
    tops, latencies = _timed(queries, lambda q: index.top(q, K))
    arrays = (index.offsets, index.doc_ids, index.impacts, index.idf, index.df, index.doc_len)
    return {
        "build_s": build_s,
        "index_mb": sum(a.nbytes for a in arrays) / 2**20,
        "top": [[[i, s] for i, s in top] for top in tops],
        "latencies": latencies,
    }


def measure_rank_bm25(
    corpus: list[list[str]], queries: list[list[str]], variant: Variant
) -> dict[str, Any]:
    started = time.perf_counter()
    model = reference_model(corpus, variant, K1, B)
    build_s = time.perf_counter() - started
    documents = list(range(len(corpus)))
    # get_top_n returns passages only; keep the scores it computed (costs one list append).
    last: list[np.ndarray] = []
    get_scores = model.get_scores

    def recording(query: list[str]) -> np.ndarray:
        last.append(scores := get_scores(query))
        return scores

    def keep(query: list[str], ids: list[int]) -> tuple[list[list[float]], list[int]]:
        scores = last.pop()
        last.clear()
        terms = set(query)
        # get_top_n always returns n passages: keep those that contain a query term.
        top = [[i, float(scores[i])] for i in ids if terms.intersection(corpus[i])]
        tied: list[int] = []
        if len(top) == K:  # every passage tied with the 10th, for a tie-aware comparison
            score = top[-1][1]
            near = np.abs(scores - score) <= 1e-9 * max(abs(score), 1e-300)
            tied = np.flatnonzero(near)[:TIE_LIMIT].tolist()
        return top, tied

    model.get_scores = recording  # type: ignore[method-assign]
    kept, latencies = _timed(queries, lambda q: model.get_top_n(q, documents, n=K), keep)
    return {
        "build_s": build_s,
        "top": [top for top, _ in kept],
        "ties": [tied for _, tied in kept],
        "latencies": latencies,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench.worker")
    parser.add_argument("engine", choices=["project", "rank-bm25"])
    parser.add_argument("passages", type=int)
    parser.add_argument("queries", type=int)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--variant", choices=["lucene", "okapi", "plus"], default="lucene")
    args = parser.parse_args(argv)
    source = ZipfSource.create(seed=args.seed)
    corpus = source.passages(args.passages)
    queries = source.queries(args.queries)
    corpus_rss_mb = peak_rss_mb()
    measure = measure_project if args.engine == "project" else measure_rank_bm25
    result = measure(corpus, queries, args.variant)
    p50, p95 = percentiles(result.pop("latencies"))
    result.update(
        engine=args.engine,
        passages=len(corpus),
        tokens=sum(map(len, corpus)),
        queries=len(queries),
        p50_ms=p50,
        p95_ms=p95,
        rss_mb=peak_rss_mb(),
        corpus_rss_mb=corpus_rss_mb,
    )
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
