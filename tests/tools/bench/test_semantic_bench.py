from __future__ import annotations

from tests.helpers import CONFIG
from tools.bench.semantic import format_semantic, semantic_bench


def test_the_semantic_bench_compares_the_runtimes_on_the_real_corpus() -> None:
    questions = ["did it mess with anyone's eyesight?", "neck pain", "cost?"]
    r = semantic_bench(CONFIG, questions, passages=40)
    assert r["passages"] == 40 and r["questions"] == 3
    for runtime in ("numpy", "onnxruntime"):
        figures = r["runtimes"][runtime]
        assert figures["passages_per_s"] > 0 and figures["question_p50_ms"] > 0
    # Same vectors from both runtimes: the figure the README quotes is checked, not just printed.
    assert r["max_abs_difference"] < 1e-5 and r["min_cosine"] > 0.999
    assert r["same_top_passage"] == 3 and r["runtime"] == "onnxruntime"
    text = format_semantic(r)
    assert "numpy vs onnxruntime" in text and "engine.ask with vectors on" in text
