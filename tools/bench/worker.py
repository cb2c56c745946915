"""One benchmark measurement in a fresh process, so its peak RSS is its own.

    python -m tools.bench.worker ENGINE PASSAGES QUERIES [--seed N] [--variant V]

ENGINE: project (PostingsIndex.top), project-numpy (the same without numba), searcher (the whole
`Searcher.rank` path on passages made of the same words, as a reply calls it and for all
max_hits comments, and its own index alone), bm25s-numpy, bm25s-numba, rank-bm25.

Generates the seeded synthetic corpus and queries, builds one engine's index, runs every query
once (after a few untimed warm-up queries) and prints one JSON object:
build_s, p50_ms, p95_ms, p99_ms, rss_mb (peak RSS of this process: interpreter, numpy, the
corpus, the index build and the queries), corpus_rss_mb (the peak before the build: interpreter +
corpus), and the top-10 (passage, score) of each query for the parent to compare.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from bot.config import Config
from bot.retrieval.bm25 import PostingsIndex, Variant, reference_model
from tools.bench.synthetic import DEFAULT_SEED, ZipfSource

K = 10
K1, B = 1.2, 0.75  # the project's settings (bot.retrieval.search.SearchSettings)
WARMUP = 5
REPEAT = 1  # set by --repeat
MIN_TERMS = 4  # queries of 4–8 terms drawn from the corpus's own Zipf vocabulary
ENGINES = ("project", "project-numpy", "searcher", "bm25s-numpy", "bm25s-numba", "rank-bm25")
TIE_LIMIT = 1000  # passages tied with the 10th reported at most
# What a first reply asks `Searcher.rank` for: its page (config's top_k) and one comment more.
REPLY_DEPTH = Config.__dataclass_fields__["top_k"].default + 1


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(latencies: Sequence[float]) -> tuple[float, float, float]:
    p50, p95, p99 = np.percentile(np.asarray(latencies) * 1000, [50, 95, 99])
    return float(p50), float(p95), float(p99)


def _timed(
    queries: list[list[str]],
    run: Callable[[list[str]], Any],
    keep: Callable[[list[str], Any], Any] = lambda _, result: result,
) -> tuple[list[Any], list[float]]:
    """Run every query REPEAT times in a row (after WARMUP untimed ones) and keep its fastest
    time: on a shared 2-core machine one run often includes time the process spent waiting for
    a core. keep(query, result), called outside the timed part, reduces each result to what is
    reported."""
    for query in queries[:WARMUP]:
        run(query)
    kept, latencies = [], []
    for query in queries:
        fastest = math.inf
        for _ in range(REPEAT):
            started = time.perf_counter()
            result = run(query)
            fastest = min(fastest, time.perf_counter() - started)
        latencies.append(fastest)
        kept.append(keep(query, result))
    return kept, latencies


def measure_project(
    corpus: list[list[str]], queries: list[list[str]], variant: Variant, engine: str = "auto"
) -> dict[str, Any]:
    started = time.perf_counter()
    index = PostingsIndex.build(corpus, variant, K1, B)
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    index.top(queries[0], K, engine=engine)  # numba: loads (or compiles) the kernel
    first_call_s = time.perf_counter() - started
    tops, latencies = _timed(queries, lambda q: index.top(q, K, engine=engine))
    # Checked outside the timing: the pruned top-10 is the top-10 of every matched passage.
    exact = sum(
        index.top(q, K, engine="exhaustive") == top for q, top in zip(queries, tops, strict=True)
    )
    arrays = (index.offsets, index.doc_ids, index.impacts, index.idf, index.df, index.doc_len)
    arrays += (index.term_max, index.row_of, index.rows)
    return {
        "build_s": build_s,
        "first_call_s": first_call_s,
        "index_mb": sum(a.nbytes for a in arrays) / 2**20,
        "top": [[[i, s] for i, s in top] for top in tops],
        "same_as_exhaustive": exact,
        "latencies": latencies,
    }


def measure_bm25s(
    corpus: list[list[str]], queries: list[list[str]], variant: Variant, backend: str
) -> dict[str, Any]:
    """bm25s with its own Lucene scoring (float32 scores, so its top-10 is not compared), fed
    the same token lists as ids (building the vocabulary is part of its build time, as in the
    project's); queries through its public `retrieve`, one at a time, on one thread."""
    import bm25s

    if variant != "lucene":
        raise SystemExit("bm25s is only run with the lucene variant")
    started = time.perf_counter()
    vocabulary: dict[str, int] = {}
    ids = [[vocabulary.setdefault(t, len(vocabulary)) for t in doc] for doc in corpus]
    model = bm25s.BM25(method="lucene", k1=K1, b=B, backend=backend)
    model.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocabulary), show_progress=False)
    del ids
    build_s = time.perf_counter() - started

    def run(query: list[str]) -> Any:
        known = [vocabulary[t] for t in query if t in vocabulary]
        return model.retrieve([known], k=K, show_progress=False, n_threads=1)

    started = time.perf_counter()
    run(queries[0])
    first_call_s = time.perf_counter() - started
    _, latencies = _timed(queries, run, lambda _, __: None)
    return {"build_s": build_s, "first_call_s": first_call_s, "latencies": latencies}


def measure_searcher(
    corpus: list[list[str]], queries: list[list[str]], variant: Variant, seed: int
) -> dict[str, Any]:
    """`Searcher.rank` (lexicon, typo repair, top comments, coverage gate) on passages whose
    text is the corpus's words, grouped into comments of 1–4 passages; one question in five
    has a misspelt word. Beside it, the same searcher's index alone (top-10 of the question's
    terms), so the ratio says what the rest of the path costs."""
    from tools.bench.synthetic import searcher_for, typo_questions

    started = time.perf_counter()
    searcher = searcher_for(corpus, variant, seed)
    build_s = time.perf_counter() - started
    questions = typo_questions(queries, seed)
    started = time.perf_counter()
    searcher.rank(questions[0])
    first_call_s = time.perf_counter() - started
    # As a reply asks: its page of top_k comments and one more (bot.answer.compose).
    depth = REPLY_DEPTH
    rankings, latencies = _timed(questions, lambda q: searcher.rank(q, depth))
    terms = [(r.query.terms, r.query.weights) for r in rankings]
    index = searcher.index
    _, index_latencies = _timed(terms, lambda q: index.top(q[0], K, q[1]))  # type: ignore[arg-type]
    # Every comment max_hits allows, as `tools.evaluation` and a reader ask.
    full, full_latencies = _timed(questions, searcher.rank)  # type: ignore[arg-type]
    prefix = sum(
        r.hits == f.hits[: len(r.hits)] and r.covered == f.covered
        for r, f in zip(rankings, full, strict=True)
    )
    full_p50, full_p95, _ = percentiles(full_latencies)
    return {
        "build_s": build_s,
        "first_call_s": first_call_s,
        "latencies": latencies,
        "index_latencies": index_latencies,
        "depth": depth,
        "full_hits": searcher.settings.max_hits,
        "full_p50_ms": full_p50,
        "full_p95_ms": full_p95,
        "same_as_full": prefix,
        "covered": sum(r.covered for r in rankings),
        "repaired": sum(searcher.settings.typo_weight in r.query.weights for r in rankings),
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
    parser.add_argument("engine", choices=ENGINES)
    parser.add_argument("passages", type=int)
    parser.add_argument("queries", type=int)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--variant", choices=["lucene", "okapi", "plus"], default="lucene")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each query (the fastest)")
    args = parser.parse_args(argv)
    global REPEAT
    REPEAT = max(1, args.repeat) if args.engine != "rank-bm25" else 1
    source = ZipfSource.create(seed=args.seed)
    corpus = source.passages(args.passages)
    queries = source.queries(args.queries, min_terms=MIN_TERMS)
    corpus_rss_mb = peak_rss_mb()
    if args.engine in ("project", "project-numpy"):
        result = measure_project(corpus, queries, args.variant, args.engine[8:] or "auto")
    elif args.engine.startswith("bm25s-"):
        result = measure_bm25s(corpus, queries, args.variant, args.engine[6:])
    elif args.engine == "searcher":
        result = measure_searcher(corpus, queries, args.variant, args.seed)
        result["index_p50_ms"], result["index_p95_ms"], result["index_p99_ms"] = percentiles(
            result.pop("index_latencies")
        )
    else:
        result = measure_rank_bm25(corpus, queries, args.variant)
    p50, p95, p99 = percentiles(result.pop("latencies"))
    result.update(
        engine=args.engine,
        passages=len(corpus),
        tokens=sum(map(len, corpus)),
        queries=len(queries),
        p50_ms=p50,
        p95_ms=p95,
        p99_ms=p99,
        rss_mb=peak_rss_mb(),
        corpus_rss_mb=corpus_rss_mb,
    )
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
