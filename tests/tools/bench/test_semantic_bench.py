from __future__ import annotations

import pytest

from tests.helpers import CONFIG
from tools.bench.semantic import format_semantic, semantic_bench


def test_the_semantic_bench_times_every_step_of_the_real_corpus() -> None:
    r = semantic_bench(CONFIG, ["did it mess with anyone's eyesight?", "neck pain", "cost?"])
    assert r["passages"] == 126 and r["questions"] == 3
    assert all(r[k] > 0 for k in ("verify_s", "load_s", "passages_s", "question_p50_ms"))
    assert r["question_p50_ms"] <= r["question_p99_ms"]
    assert r["ms_per_passage"] * r["passages"] == pytest.approx(r["passages_s"] * 1000)
    assert "126 passages embedded" in format_semantic(r)
