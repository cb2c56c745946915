"""`bench --semantic`: what sentence vectors cost — loading the model, embedding passages (once,
then cached on disk) and embedding a question (every new question)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from bot.config import load_config
from bot.corpus.loader import load_corpus
from bot.retrieval.passages import split_passages
from bot.retrieval.semantic import Encoder, find_model, verify


def semantic_bench(config_path: Path, questions: list[str]) -> dict[str, Any]:
    config = load_config(config_path)
    folder = find_model(config.retrieval.semantic_model)
    started = time.perf_counter()
    verify(folder)
    verify_s = time.perf_counter() - started
    started = time.perf_counter()
    encoder = Encoder(folder)  # not the process-wide copy: the load itself is measured
    load_s = time.perf_counter() - started
    passages = [p.text for p in split_passages(list(load_corpus(config.corpus).documents))]
    started = time.perf_counter()
    encoder.encode(passages)
    passages_s = time.perf_counter() - started
    per_question = []
    for q in questions:
        started = time.perf_counter()
        encoder.embed(q)
        per_question.append((time.perf_counter() - started) * 1000)
    per_question.sort()
    return {
        "verify_s": verify_s,
        "load_s": load_s,
        "passages": len(passages),
        "passages_s": passages_s,
        "ms_per_passage": passages_s * 1000 / max(len(passages), 1),
        "questions": len(questions),
        "question_p50_ms": statistics.median(per_question),
        "question_p99_ms": per_question[min(len(per_question) - 1, int(0.99 * len(per_question)))],
    }


def format_semantic(r: dict[str, Any]) -> str:
    return (
        f"semantic: model checked against its pinned SHA-256 in {r['verify_s']:.2f} s, loaded in "
        f"{r['load_s']:.2f} s; {r['passages']} passages embedded in {r['passages_s']:.2f} s "
        f"({r['ms_per_passage']:.1f} ms each, once: then cached on disk); a question "
        f"p50 {r['question_p50_ms']:.1f} ms, p99 {r['question_p99_ms']:.1f} ms "
        f"({r['questions']} questions)"
    )
