"""The reader through the command line, as an admin runs it: ask, check, and
`python -m tools.evaluation --reader`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bot.engine import Engine
from tests.helpers import CONFIG, ROOT, run_bot, write
from tests.reader.replay import Replay
from tools.evaluation.questions import Question


def config_with_reader(tmp_path: Path, reader: str) -> Path:
    # config.yaml keeps the corpus and the vector cache inside its own folder: copies of both
    # (the cache saves embedding the corpus again).
    text = CONFIG.read_text(encoding="utf-8")
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    if (ROOT / ".cache").is_dir():
        shutil.copytree(ROOT / ".cache", tmp_path / ".cache")
    text = text.replace("lexicon: lexicon.yaml ", f"lexicon: {ROOT / 'lexicon.yaml'} ", 1)
    assert "examples: urgent_examples.yaml\n" in text
    text = text.replace(
        "examples: urgent_examples.yaml\n", f"examples: {ROOT / 'urgent_examples.yaml'}\n", 1
    )
    start = text.index("\nreader:")
    return write(tmp_path / "config.yaml", text[:start] + "\nreader:\n" + reader)


def first_reader_pick(replay: Replay, questions: list[Question], engine: Engine) -> Question:
    for q in questions:
        reading = replay.readings.get(" ".join(q.text.split()))
        if q.split == "test" and reading and reading.covered:
            ids = [h.passage.comment_id for h in engine.snapshot.searcher.rank(q.text).hits]
            if ids and ids[0] != reading.ranked[0] and reading.ranked[0] in ids[:20]:
                return q
    raise AssertionError("no question where the reader changes the first quote")


def test_ask_quotes_the_readers_pick(
    tmp_path: Path, base_url: str, replay: Replay, questions: list[Question], engine: Engine
) -> None:
    question = first_reader_pick(replay, questions, engine)
    config = config_with_reader(tmp_path, f"  url: {base_url}/v1/rerank\n  timeout: 5\n")
    out = run_bot("--config", str(config), "ask", "--json", question.text)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    reading = replay.readings[" ".join(question.text.split())]
    assert data["answered"] and data["answers"][0]["comment_id"] == reading.ranked[0]
    assert len(replay.requests) == 1


def test_check_reports_a_reachable_reader(tmp_path: Path, base_url: str, replay: Replay) -> None:
    config = config_with_reader(
        tmp_path, f"  api: chat\n  url: {base_url}/v1/chat/completions\n  model: llama3.1\n"
    )
    out = run_bot("--config", str(config), "check")
    assert out.returncode == 0, out.stderr
    assert "reader: chat server, model llama3.1" in out.stdout
    assert "reachable, one probe took" in out.stdout and " ms" in out.stdout


def test_check_fails_for_an_unreachable_reader(tmp_path: Path, base_url: str) -> None:
    config = config_with_reader(tmp_path, f"  url: {base_url}/no/such/route\n  timeout: 1\n")
    out = run_bot("--config", str(config), "check")
    assert out.returncode == 1
    assert "not reachable (status: HTTP 404)" in out.stderr


def test_check_says_when_no_reader_is_on() -> None:
    out = run_bot("check")
    assert "reader: off" in out.stdout


def test_eval_reader_scores_the_reader_beside_todays_ranking(tmp_path: Path, base_url: str) -> None:
    config = config_with_reader(
        tmp_path,
        f"  url: {base_url}/v1/rerank\n  timeout: 5\n  candidates: 40\n  min_score: 0.5\n",
    )
    # One split keeps the run short; both are scored without --split.
    out = run_bot(
        "--config", str(config), "--reader", "--split", "test", "--json", module="tools.evaluation"
    )
    assert out.returncode == 0, out.stderr
    splits = json.loads(out.stdout)["splits"]
    assert set(splits) == {"test"}
    test = splits["test"]
    (with_reader,) = [name for name in test if name.startswith("with reader")]
    # The replay has read all of test: far ahead of today's ranking there.
    assert test[with_reader]["S@1"] > test["project"]["S@1"] + 0.3


def test_eval_reader_without_a_reader_is_a_clear_error() -> None:
    out = run_bot("--reader", module="tools.evaluation")
    assert out.returncode == 2 and "no reader is on" in out.stderr
