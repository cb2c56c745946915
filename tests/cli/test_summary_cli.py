"""`python -m bot summary` as a person runs it: a real subprocess, real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_bot, write

bot = run_bot


def test_summary_of_the_whole_discussion() -> None:
    out = bot("summary")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0].startswith("“Botox for Migraine")
    assert "not medical advice" in lines[-1]
    assert out.stdout.count("\n— ") >= 4
    assert "> " in out.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--topic", "side effects"], "“side effects” in “"),
        (["--topic", "cost"], "“cost” in “"),
        (["--author", "Elaine"], "Elaine Axten"),  # the namesake is named
        (["--author", "glenn"], "Glenn wrote 2 comments"),
    ],
)
def test_topic_and_author_summaries(args: list[str], expected: str) -> None:
    out = bot("summary", *args)
    assert out.returncode == 0, out.stderr
    assert expected in out.stdout
    assert out.stdout.count("\n— ") >= 2
    assert "not medical advice" in out.stdout.strip().splitlines()[-1]


def test_unknown_author_gets_suggestions() -> None:
    out = bot("summary", "--author", "Glnn")
    assert out.returncode == 0
    assert "No commenter is called “Glnn”" in out.stdout and "Glenn" in out.stdout
    assert "\n— " not in out.stdout


def test_json_shape_and_sentence_count() -> None:
    out = bot("summary", "--json", "--topic", "cost", "--sentences", "3")
    data = json.loads(out.stdout)
    assert data["kind"] == "topic" and len(data["sentences"]) == 3
    assert {"kind", "overview", "sentences", "disclaimer", "message"} <= set(data)
    for s in data["sentences"]:
        assert {"author", "date", "comment_id", "text"} <= set(s)
    whole = json.loads(bot("summary", "--json").stdout)
    assert whole["kind"] == "discussion" and whole["note"] is None
    assert whole["message"].endswith(whole["disclaimer"])


@pytest.mark.parametrize("n", ["0", "-3", "26", "three"])
def test_bad_sentence_counts_are_refused(n: str) -> None:
    out = bot("summary", "--sentences", n)
    assert out.returncode == 2
    assert "--sentences" in out.stderr and out.stdout == ""


@pytest.mark.parametrize("args", [["--topic", "  "], ["--author", ""]])
def test_empty_topic_or_author_is_refused(args: list[str]) -> None:
    out = bot("summary", *args)
    assert out.returncode == 2 and "error:" in out.stderr


def test_corpus_override(tmp_path: Path) -> None:
    corpus = write(
        tmp_path / "one.yaml",
        "title: A tiny thread\n"
        "article: Does acupuncture help migraine?\n"
        "comments:\n"
        "  - author: Ann\n    date: 2020-01-02\n"
        "    text: Acupuncture helped my migraines a lot. @everyone should try it.\n",
    )
    out = bot("summary", "--corpus", str(corpus), "--author", "ann")
    assert out.returncode == 0, out.stderr
    assert "Ann wrote 1 comment on “A tiny thread”, Jan 2, 2020." in out.stdout
    assert "@everyone" not in out.stdout
