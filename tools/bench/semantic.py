"""`bench --semantic`: what sentence vectors cost, in each runtime — loading the model, embedding
passages (passages per second, once: then cached on disk), embedding a new question — how far
the runtimes' vectors are apart, and mention → reply through the engine with vectors on.

Wall times include waiting for the CPU on a shared machine; the CPU figures (this thread's time)
are what the work itself costs. Everything runs on one thread, as in the bot."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from bot.config import load_config
from bot.corpus.loader import load_corpus
from bot.engine import Engine
from bot.retrieval.passages import split_passages
from bot.retrieval.semantic import RUNTIMES, Encoder, ModelError, find_model, verify


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _runtime(
    folder: Path, runtime: str, passages: list[str], questions: list[str]
) -> tuple[dict[str, Any], np.ndarray, np.ndarray]:
    started = time.perf_counter()
    encoder = Encoder(folder, runtime)  # not the process-wide copy: the load itself is measured
    load_s = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.thread_time()
    passage_vectors = encoder.encode(passages)
    passages_s = time.perf_counter() - started
    passages_cpu_s = time.thread_time() - cpu
    per_question, per_question_cpu, question_vectors = [], [], []
    for q in questions:
        started, cpu = time.perf_counter(), time.thread_time()
        question_vectors.append(encoder.embed(q))
        per_question.append((time.perf_counter() - started) * 1000)
        per_question_cpu.append((time.thread_time() - cpu) * 1000)
    figures = {
        "load_s": load_s,
        "passages_s": passages_s,
        "passages_per_s": len(passages) / passages_s if passages_s else 0.0,
        "passages_per_cpu_s": len(passages) / passages_cpu_s if passages_cpu_s else 0.0,
        "ms_per_passage": passages_s * 1000 / max(len(passages), 1),
        "question_p50_ms": statistics.median(per_question),
        "question_p99_ms": _percentile(per_question, 0.99),
        "question_cpu_p50_ms": statistics.median(per_question_cpu),
    }
    return figures, passage_vectors, np.stack(question_vectors)


def _replies(config_path: Path, questions: list[str]) -> dict[str, Any]:
    """Mention → reply through the engine, warm (model loaded, passages embedded), each
    question new to it: the work the Discord adapter does for a mention, minus the network."""
    engine = Engine(load_config(config_path))
    engine.ask("warm-up question about injections")
    times, cpu_times = [], []
    for q in questions:
        started, cpu = time.perf_counter(), time.thread_time()
        engine.ask(q)
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.thread_time() - cpu) * 1000)
    return {
        "runtime": engine.encoder.runtime if engine.encoder else "off",
        "reply_p50_ms": statistics.median(times),
        "reply_p95_ms": _percentile(times, 0.95),
        "reply_cpu_p50_ms": statistics.median(cpu_times),
    }


def semantic_bench(config_path: Path, questions: list[str], passages: int = 0) -> dict[str, Any]:
    """passages: embed this many (the corpus's own, repeated) instead of the corpus once."""
    config = load_config(config_path)
    folder = find_model(config.retrieval.semantic_model)
    started = time.perf_counter()
    verify(folder)
    verify_s = time.perf_counter() - started
    texts = [p.text for p in split_passages(list(load_corpus(config.corpus).documents))]
    if passages:
        texts = [texts[i % len(texts)] for i in range(passages)]
    report: dict[str, Any] = {
        "verify_s": verify_s,
        "passages": len(texts),
        "questions": len(questions),
        "runtimes": {},
    }
    vectors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for runtime in RUNTIMES[1:]:
        try:
            figures, p_vectors, q_vectors = _runtime(folder, runtime, texts, questions)
        except ModelError as exc:
            report["runtimes"][runtime] = {"error": str(exc)}
            continue
        report["runtimes"][runtime] = figures
        vectors[runtime] = (p_vectors, q_vectors)
    if len(vectors) == 2:
        (p_a, q_a), (p_b, q_b) = vectors["numpy"], vectors["onnxruntime"]
        both = np.concatenate([p_a, q_a]), np.concatenate([p_b, q_b])
        report["max_abs_difference"] = float(np.abs(both[0] - both[1]).max())
        report["min_cosine"] = float((both[0] * both[1]).sum(1).min())
        # Compared by text: with --semantic-passages the corpus repeats, and a tie between two
        # copies of one passage is not a different answer.
        top_a = [texts[i] for i in (p_a @ q_a.T).argmax(0)]
        top_b = [texts[i] for i in (p_b @ q_b.T).argmax(0)]
        report["same_top_passage"] = sum(a == b for a, b in zip(top_a, top_b, strict=True))
    report.update(_replies(config_path, questions))
    return report


def format_semantic(r: dict[str, Any]) -> str:
    lines = [
        f"semantic: model checked against its pinned SHA-256 in {r['verify_s']:.2f} s; "
        f"{r['passages']} passages, {r['questions']} questions, one thread"
    ]
    for runtime, f in r["runtimes"].items():
        if "error" in f:
            lines.append(f"  {runtime}: not measured ({f['error']})")
            continue
        lines.append(
            f"  {runtime}: loaded in {f['load_s']:.2f} s; passages {f['ms_per_passage']:.1f} ms "
            f"each, {f['passages_per_s']:.0f}/s ({f['passages_per_cpu_s']:.0f} per CPU second); "
            f"a question p50 {f['question_p50_ms']:.1f} ms (CPU {f['question_cpu_p50_ms']:.1f}), "
            f"p99 {f['question_p99_ms']:.1f} ms"
        )
    if "max_abs_difference" in r:
        lines.append(
            f"  numpy vs onnxruntime: max |difference| {r['max_abs_difference']:.1e}, lowest "
            f"cosine {r['min_cosine']:.7f}, same top passage for {r['same_top_passage']} of "
            f"{r['questions']} questions"
        )
    lines.append(
        f"  engine.ask with vectors on ({r['runtime']}), each question new: "
        f"p50 {r['reply_p50_ms']:.1f} ms (CPU {r['reply_cpu_p50_ms']:.1f}), "
        f"p95 {r['reply_p95_ms']:.1f} ms"
    )
    return "\n".join(lines)
