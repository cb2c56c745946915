"""The command line as a person runs it: a real subprocess, real files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.helpers import CONFIG, SEED, run_bot, write

bot = run_bot


def test_ask_prints_quotes_and_disclaimer() -> None:
    out = bot("ask", "How often do people get Botox injections?")
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("\n— ") >= 2
    assert "not medical advice" in out.stdout.strip().splitlines()[-1]


def test_ask_json_and_top_k() -> None:
    out = bot("ask", "--json", "--top-k", "2", "did it mess with anyone's eyesight?")
    data = json.loads(out.stdout)
    assert data["answered"] is True and len(data["answers"]) == 2
    assert data["question"] == "did it mess with anyone's eyesight?"


def test_batch_prints_one_object_per_line(tmp_path: Path) -> None:
    questions = write(
        tmp_path / "q.txt", "neck pain?\n\nWhat is the capital of France?\n@everyone\n"
    )
    out = bot("ask", "--batch", str(questions))
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["question"] for r in rows] == [
        "neck pain?",
        "What is the capital of France?",
        "@\u200beveryone",  # echoed neutralized, like everything the bot prints
    ]
    assert [r["answered"] for r in rows] == [True, False, False]


def test_interactive_answers_line_by_line() -> None:
    out = bot("ask", stdin="neck pain?\nWhat is the capital of France?\n")
    assert out.returncode == 0
    assert out.stdout.count("not medical advice") == 2
    assert "doesn't cover" in out.stdout


def test_check_reports_what_loaded() -> None:
    out = bot("check")
    assert out.returncode == 0, out.stderr
    assert "30 comments (4 replies)" in out.stdout and "passages" in out.stdout
    assert "sentence vectors: on (onnxruntime)" in out.stdout


def test_check_says_when_sentence_vectors_are_off(tmp_path: Path) -> None:
    text = CONFIG.read_text(encoding="utf-8")
    off = text.replace("  semantic_weight: 0.3 ", "  semantic_weight: 0 ", 1)
    off = off.replace("lexicon: lexicon.yaml ", f"lexicon: {CONFIG.parent / 'lexicon.yaml'} ", 1)
    assert off.count(str(CONFIG.parent)) == 1 and "semantic_weight: 0 " in off
    # config.yaml may not point the corpus outside its own folder; --corpus may.
    config = str(write(tmp_path / "config.yaml", off))
    out = bot("--config", config, "check", "--corpus", str(CONFIG.parent / "corpus"))
    assert out.returncode == 0, out.stderr
    assert "sentence vectors: off (word matching only" in out.stdout


def test_check_json_shape() -> None:
    data = json.loads(bot("check", "--json").stdout)
    (doc,) = data["documents"]
    assert set(doc) == {"title", "source", "article", "comments"}
    assert len(doc["comments"]) == 30 and data["passages"] > 30
    assert set(doc["comments"][0]) == {"id", "author", "date", "in_reply_to", "depth", "text"}


def test_broken_corpus_file_is_reported_with_line_and_exit_code(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "seed.txt")
    write(tmp_path / "bad.txt", "Title\n\nBody\n  • Someone Feb 31, 2012\n    hi\n")
    out = bot("check", "--corpus", str(tmp_path))
    assert out.returncode == 1
    assert "bad.txt:4:" in out.stderr and "not a real date" in out.stderr
    # the good document still loads and answers
    ask = bot("ask", "--corpus", str(tmp_path), "neck pain?")
    assert ask.returncode == 0 and "— " in ask.stdout and "bad.txt:4" in ask.stderr


def test_bad_config_gives_a_clear_error(tmp_path: Path) -> None:
    text = CONFIG.read_text(encoding="utf-8").replace("top_k: 3 ", "top_k: many ")
    cfg = write(tmp_path / "config.yaml", text)
    out = bot("--config", str(cfg), "ask", "neck pain?")
    assert out.returncode == 2
    assert "top_k: expected a whole number" in out.stderr and "Traceback" not in out.stderr
    missing = bot("--config", str(tmp_path / "nope.yaml"), "check")
    assert missing.returncode == 2 and "not found" in missing.stderr


def test_empty_corpus_is_an_error(tmp_path: Path) -> None:
    out = bot("check", "--corpus", str(tmp_path))
    assert out.returncode == 1 and "no documents could be loaded" in out.stderr


def test_bad_arguments() -> None:
    out = bot("ask", "--top-k", "0", "x")
    assert out.returncode == 2 and "from 1 to 10" in out.stderr


def test_run_without_a_token_stops_with_a_clear_message() -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    out = bot("run", env=env)
    assert out.returncode == 2
    assert "DISCORD_TOKEN is not set" in out.stderr and "Traceback" not in out.stderr


def test_a_catastrophic_urgent_pattern_cannot_hang_ask(tmp_path: Path) -> None:
    """Issue 14: `(a+)+$` passed `check` and took 20 s on 28 characters; RE2 runs it in linear
    time, and a pattern RE2 cannot run is refused at start-up with its line."""
    shutil.copy(CONFIG.parent / "lexicon.yaml", tmp_path / "lexicon.yaml")
    words_only = CONFIG.read_text(encoding="utf-8").replace(
        "semantic_weight: 0.3", "semantic_weight: 0"
    )
    config = write(
        tmp_path / "config.yaml", words_only.replace("  patterns: []", '  patterns: ["(a+)+$"]')
    )
    corpus = str(SEED.parent)
    out = bot("--config", str(config), "ask", "--corpus", corpus, "a" * 28 + "!")
    assert out.returncode == 0, out.stderr
    assert "emergency" not in out.stdout  # no match, and no hang (run_bot's timeout is 60 s)
    hit = bot("--config", str(config), "ask", "--corpus", corpus, "aaaa")
    assert "emergency" in hit.stdout

    broken = write(
        tmp_path / "broken.yaml",
        words_only.replace("  patterns: []", '  patterns: ["(a)\\\\1"]'),
    )
    line = next(i for i, t in enumerate(broken.read_text().splitlines(), 1) if "(a)" in t)
    out = bot("--config", str(broken), "check", "--corpus", corpus)
    assert out.returncode == 2
    assert f"{broken}:{line}: urgent_care.patterns:" in out.stderr
    assert "Traceback" not in out.stderr
