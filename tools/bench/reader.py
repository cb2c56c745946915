"""`bench --reader`: what the reader stage costs a question.

- The local cross-encoder at 10, 20 and 40 candidates, in one batch each: the model in
  reader.model_dir, or, when none is configured, a randomly initialised model of
  ms-marco-MiniLM-L-6-v2's shape (6 layers, 384 wide, 12 heads) with the sentence model's BERT
  tokenizer. Weights do not change the arithmetic, so the timing holds for the real model.
- A remote reader on a loopback server that answers at once: what the stage itself adds to a
  question (HTTP, JSON, validation, reordering), p50 and p95, for the rerank and chat APIs.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import numpy as np
from aiohttp import web

from bot.config import Config, ReaderSettings
from bot.engine import Engine
from bot.reader.local import CrossEncoder, pair_tokenizer
from bot.reader.remote import RemoteReader
from bot.reader.stage import ReaderStage
from bot.retrieval.bert import BertShape
from bot.retrieval.semantic import find_model
from tests.reader.replay import serve_app  # tools may use the tests' harness; bot/ may not

CANDIDATES = (10, 20, 40)
LOCAL_QUESTIONS = 20  # ~2 s of CPU a question at 20 candidates: enough for a median
MINILM_L6 = BertShape(layers=6, heads=12, hidden=384, eps=1e-12)


def random_cross_encoder(seed: int = 0) -> CrossEncoder:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(find_model(None) / "tokenizer.json"))
    rng = np.random.default_rng(seed)
    h, inner, vocab = MINILM_L6.hidden, 4 * MINILM_L6.hidden, tokenizer.get_vocab_size()

    def r(*shape: int) -> np.ndarray:
        return rng.normal(0, 0.02, shape).astype(np.float32)

    w = {
        "bert.embeddings.word_embeddings.weight": r(vocab, h),
        "bert.embeddings.position_embeddings.weight": r(512, h),
        "bert.embeddings.token_type_embeddings.weight": r(2, h),
        "bert.embeddings.LayerNorm.weight": np.ones(h, np.float32),
        "bert.embeddings.LayerNorm.bias": np.zeros(h, np.float32),
        "bert.pooler.dense.weight": r(h, h),
        "bert.pooler.dense.bias": r(h),
        "classifier.weight": r(1, h),
        "classifier.bias": r(1),
    }
    for layer in range(MINILM_L6.layers):
        p = f"bert.encoder.layer.{layer}."
        for name in ("attention.self.query", "attention.self.key", "attention.self.value"):
            w[f"{p}{name}.weight"], w[f"{p}{name}.bias"] = r(h, h), r(h)
        w[f"{p}attention.output.dense.weight"] = r(h, h)
        w[f"{p}attention.output.dense.bias"] = r(h)
        w[f"{p}intermediate.dense.weight"], w[f"{p}intermediate.dense.bias"] = r(inner, h), r(inner)
        w[f"{p}output.dense.weight"], w[f"{p}output.dense.bias"] = r(h, inner), r(h)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            w[f"{p}{norm}.weight"] = np.ones(h, np.float32)
            w[f"{p}{norm}.bias"] = np.zeros(h, np.float32)
    return CrossEncoder(w, MINILM_L6, pair_tokenizer(tokenizer))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def local_bench(engine: Engine, questions: list[str]) -> dict[str, Any]:
    settings = engine.config.reader
    model = CrossEncoder.load(settings.model_dir) if settings.model_dir else random_cross_encoder()
    figures: dict[str, Any] = {
        "model": str(settings.model_dir) if settings.model_dir else "random, MiniLM-L6 shape",
        "questions": len(questions),
    }
    for n in CANDIDATES:
        times, cpu = [], []
        for q in questions:
            texts = [h.passage.text for h in engine.snapshot.searcher.rank(q).hits[:n]]
            texts = (texts * (n // max(len(texts), 1) + 1))[:n]  # a small corpus: repeat
            started, started_cpu = time.perf_counter(), time.process_time()
            model.read(q, texts)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        figures[f"p50_ms_{n}"] = statistics.median(times)
        figures[f"p95_ms_{n}"] = percentile(times, 0.95)
        # CPU time too: on a shared machine the wall clock mostly measures the neighbours.
        figures[f"cpu_p50_ms_{n}"] = statistics.median(cpu)
    return figures


async def _instant_rerank(request: web.Request) -> web.StreamResponse:
    body = await request.json()
    results = [{"index": i, "relevance_score": -i / 10} for i in range(len(body["documents"]))]
    return web.json_response({"results": results[::-1]})  # unsorted, as some servers send


async def _instant_chat(request: web.Request) -> web.StreamResponse:
    verdict = json.dumps({"ranking": [2, 1, 3], "covered": True})
    return web.json_response({"choices": [{"message": {"role": "assistant", "content": verdict}}]})


@contextmanager
def loopback_server() -> Iterator[str]:
    app = web.Application()
    app.router.add_post("/v1/rerank", _instant_rerank)
    app.router.add_post("/v1/chat/completions", _instant_chat)
    with serve_app(app) as base:
        yield base


def remote_bench(config: Config, engine: Engine, questions: list[str]) -> dict[str, Any]:
    figures: dict[str, Any] = {"questions": len(questions)}
    rankings = [(q, engine.snapshot.searcher.rank(q)) for q in questions]
    with loopback_server() as base:
        for api, path in (("rerank", "/v1/rerank"), ("chat", "/v1/chat/completions")):
            settings = ReaderSettings(api=api, url=base + path, timeout=5.0)
            stage = ReaderStage(settings, RemoteReader(settings))
            times, skipped = [], 0
            for q, ranking in rankings:
                skipped += not ranking.hits or not ranking.query.own
                started = time.perf_counter()
                stage(q, replace(ranking, covered=True))
                times.append((time.perf_counter() - started) * 1000)
            figures[f"{api}_p50_ms"] = statistics.median(times)
            figures[f"{api}_p95_ms"] = percentile(times, 0.95)
            figures[f"{api}_failures"] = stage.failures
            figures[f"{api}_calls"] = len(rankings) - skipped
    return figures


def reader_bench(config: Config, questions: list[str]) -> dict[str, Any]:
    engine = Engine(replace(config, reader=replace(config.reader, url=None)))
    engine.config = config  # local_bench reads model_dir from the configured reader
    return {
        "local": local_bench(engine, questions[:LOCAL_QUESTIONS]),
        "remote": remote_bench(config, engine, questions),
    }


def format_reader(r: dict[str, Any]) -> str:
    local, remote = r["local"], r["remote"]
    per = ", ".join(
        f"{n} candidates p50 {local[f'p50_ms_{n}']:.0f} ms (p95 {local[f'p95_ms_{n}']:.0f}, "
        f"CPU p50 {local[f'cpu_p50_ms_{n}']:.0f})"
        for n in CANDIDATES
    )
    return (
        f"reader, local cross-encoder ({local['model']}), {local['questions']} questions: {per}\n"
        f"reader, remote stage against a loopback server that answers at once "
        f"({remote['rerank_calls']} questions, 20 candidates): rerank p50 "
        f"{remote['rerank_p50_ms']:.1f} ms, p95 {remote['rerank_p95_ms']:.1f} ms; chat p50 "
        f"{remote['chat_p50_ms']:.1f} ms, p95 {remote['chat_p95_ms']:.1f} ms"
    )
