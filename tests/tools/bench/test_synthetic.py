"""The benchmark's synthetic corpora and its report (nothing here is timed)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from bot.config import Config
from bot.corpus.loader import load_corpus
from bot.engine import build_snapshot
from bot.retrieval.passages import split_passages
from tests.helpers import CONFIG
from tools.bench import runner
from tools.bench.cli import main
from tools.bench.forum import write_forum
from tools.bench.runner import same_top, time_check
from tools.bench.synthetic import ZipfSource, pseudo_words, token_corpus, typo_questions


def test_the_same_seed_gives_the_same_corpus_and_queries() -> None:
    assert token_corpus(300, seed=5) == token_corpus(300, seed=5)
    assert token_corpus(300, seed=5) != token_corpus(300, seed=6)
    one, two = ZipfSource.create(seed=5), ZipfSource.create(seed=5)
    assert one.queries(50) == two.queries(50)
    assert pseudo_words(1000, 1) == pseudo_words(1000, 1)
    assert len(set(pseudo_words(1000, 1))) == 1000


def test_passages_are_about_60_tokens() -> None:
    lengths = [len(p) for p in token_corpus(2000)]
    assert 57 <= np.mean(lengths) <= 63
    assert min(lengths) >= 15
    assert max(lengths) <= 120


def test_word_frequencies_follow_zipf() -> None:
    counts = Counter(t for p in token_corpus(2000) for t in p)
    freq = np.array(sorted(counts.values(), reverse=True)[:200], dtype=float)
    slope = np.polyfit(np.log(np.arange(1, 201)), np.log(freq), 1)[0]
    assert -1.15 <= slope <= -0.85  # frequency ∝ 1 / rank
    assert 1.5 <= freq[0] / freq[1] <= 2.5
    assert len(counts) > 10_000  # a long tail: most of the 50k words are rare


def test_queries_have_2_to_8_terms() -> None:
    qs = ZipfSource.create().queries(200)
    assert len(qs) == 200
    assert {len(q) for q in qs} == set(range(2, 9))
    assert all(isinstance(t, str) for q in qs for t in q)


def test_same_top_allows_only_ties_to_differ() -> None:
    a = [[1, 3.0], [2, 2.0], [3, 1.0]]
    assert same_top(a, [[1, 3.0], [2, 2.0], [3, 1.0 + 1e-13]], [], k=3)
    assert not same_top(a, [[1, 3.0], [2, 2.0], [4, 1.0]], [], k=3)
    assert same_top(a, [[1, 3.0], [2, 2.0], [4, 1.0]], [3, 4, 9], k=3)  # tied at the cut-off
    assert same_top([[2, 2.0], [1, 2.0]], [[1, 2.0], [2, 2.0]], [], k=3)  # order within a tie
    assert not same_top(a, a[:2], [], k=3)
    assert not same_top(a, [[1, 3.0], [2, 2.5], [3, 1.0]], [], k=3)
    assert not same_top(a[:2], [[1, 3.0], [5, 2.0]], [2, 5], k=3)  # not cut off: all of them


def test_bench_json_on_a_tiny_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json", "--sizes", "200", "--queries", "20"]) == 0
    report = json.loads(capsys.readouterr().out)
    (run,) = report["runs"]
    for key in ("passages", "build_s", "rss_mb", "p50_ms", "p95_ms", "baseline_p50_ms"):
        assert key in run
    assert run["passages"] == 200
    assert run["queries"] == 20
    assert run["same_top10"] is True
    assert run["mismatched_queries"] == 0
    assert 0 <= run["build_s"] < 60
    assert 10 < run["rss_mb"] < 2000
    assert 10 < run["baseline_rss_mb"] < 2000
    assert 0 < run["p50_ms"] <= run["p95_ms"]
    assert 0 < run["baseline_p50_ms"] <= run["baseline_p95_ms"]
    assert run["speedup"] == pytest.approx(run["baseline_p50_ms"] / run["p50_ms"])
    assert "check" not in report


def test_bench_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--sizes", "100", "--queries", "10"]) == 0
    out = capsys.readouterr().out
    assert "rank-bm25" in out
    assert "same" in out


def test_forum_archive_loads_with_the_passages_it_promises(tmp_path: Path, config: Config) -> None:
    summary = write_forum(tmp_path / "a", 400, seed=3, threads_per_file=1)
    again = write_forum(tmp_path / "b", 400, seed=3, threads_per_file=1)
    assert summary == again
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert all(
        (tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes() for n in names
    )
    assert summary.files >= 2
    loaded = load_corpus(tmp_path / "a")
    assert loaded.errors == ()
    assert len(loaded.documents) == summary.documents
    comments = [c for d in loaded.documents for c in d.comments]
    assert len(comments) == summary.comments
    assert sum(1 for c in comments if c.in_reply_to) == summary.replies > 0
    passages = split_passages(loaded.documents)
    assert len(passages) == summary.passages >= 400
    words = [len(p.text.split()) for p in passages]
    assert 15 <= np.mean(words) <= 70  # a few sentences, as real passages
    snapshot = build_snapshot(config, tmp_path / "a")
    assert snapshot.stats.passages == summary.passages


def test_check_timing_runs_the_real_command() -> None:
    result = time_check(300, CONFIG)
    assert result.exit_code == 0
    assert result.passages >= 300
    assert result.load_index_s is not None
    assert result.seconds > 0
    assert result.rss_mb > 10
    assert "check --corpus" in result.command


def test_bench_reports_every_engine_and_extrapolates_rank_bm25(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(runner, "RANK_BM25_LIMIT", 150)
    engines = "searcher,bm25s-numpy,project-numpy"
    assert main(["--json", "--sizes", "120,300", "--queries", "12", "--engines", engines]) == 0
    small, large = json.loads(capsys.readouterr().out)["runs"]
    assert not small["baseline_extrapolated"] and large["baseline_extrapolated"]
    # Above the limit rank-bm25 is not run: its p50 is the measured one per passage, scaled.
    per_passage = small["baseline_p50_ms"] / small["passages"]
    assert large["baseline_p50_ms"] == pytest.approx(per_passage * large["passages"])
    for run in (small, large):
        assert set(run["engines"]) == {"searcher", "bm25s-numpy", "project-numpy"}
        assert run["same_as_exhaustive"] == run["queries"] == 12
        for figures in run["engines"].values():
            assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"]
            assert figures["build_s"] > 0 and figures["rss_mb"] > 10
        searcher = run["engines"]["searcher"]
        assert searcher["index_p50_ms"] > 0 and 0 <= searcher["repaired"] <= 12
        # Timed as a reply asks (top_k 3 and one more), checked against all max_hits comments.
        assert (searcher["depth"], searcher["full_hits"]) == (4, 50)
        assert searcher["same_as_full"] == 12 and searcher["full_p50_ms"] > 0


def test_typo_questions_misspell_one_word_in_five() -> None:
    queries = [["brainstorm", "neck", "migraine"]] * 10
    questions = typo_questions(queries, seed=1)
    changed = [q for q in questions if q != "brainstorm neck migraine?"]
    assert len(changed) == 2
    for q in changed:
        words = q.rstrip("?").split()
        differ = [(a, b) for a, b in zip(words, queries[0], strict=True) if a != b]
        assert len(differ) == 1  # one long word, its letters swapped, not a short one
        ((typo, word),) = differ
        assert len(word) >= 5 and sorted(typo) == sorted(word)
    assert questions == typo_questions(queries, seed=1)


def test_bench_rejects_unknown_engines(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--sizes", "100", "--engines", "lucene-in-a-box"])
    assert "expected engines among" in capsys.readouterr().err
