from __future__ import annotations

from dataclasses import replace

from bot.config import Config
from tests.helpers import ROOT
from tools.bench.reader import CANDIDATES, format_reader, reader_bench

TINY = ROOT / "tests" / "reader" / "data" / "tiny-cross-encoder"


def test_the_reader_bench_times_each_candidate_count_and_the_remote_stage(
    config: Config,
) -> None:
    questions = ["did it mess with anyone's eyesight?", "neck pain", "cost?"]
    tiny = replace(config, reader=replace(config.reader, model_dir=TINY))
    r = reader_bench(tiny, questions)
    local, remote = r["local"], r["remote"]
    assert local["model"] == str(TINY) and local["questions"] == 3
    assert all(0 < local[f"p50_ms_{n}"] <= local[f"p95_ms_{n}"] for n in CANDIDATES)
    # The loopback server answers every call well: no fault may hide in the timing.
    assert remote["rerank_failures"] == 0 and remote["chat_failures"] == 0
    assert 0 < remote["rerank_p50_ms"] <= remote["rerank_p95_ms"]
    text = format_reader(r)
    assert "10 candidates" in text and "40 candidates" in text and "rerank p50" in text
