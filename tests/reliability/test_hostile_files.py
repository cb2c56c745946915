"""Hostile files and bytes (issue 14, part 3), end to end through the command line.

Each case ends in a clear message naming the file and line, in bounded time and memory, with
the good data beside it kept and no traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.corpus.limits import MAX_FILE_BYTES
from bot.text.clean import BIDI_CONTROLS
from tests.helpers import CONFIG, ROOT, SEED, run_bot, write


def comment(author: str, text: str, **extra: object) -> str:
    record = {"document": "T", "author": author, "date": "2020-01-02", "text": text, **extra}
    return json.dumps(record)


def words_only_config(folder: Path) -> Path:
    """The shipped settings without sentence vectors (embedding a long page takes a while)."""
    shutil.copy(ROOT / "lexicon.yaml", folder / "lexicon.yaml")
    text = CONFIG.read_text("utf-8").replace("  semantic_weight: 0.3 ", "  semantic_weight: 0 ")
    return write(folder / "config.yaml", text)


def test_one_broken_jsonl_line_keeps_the_good_comments(tmp_path: Path) -> None:
    lines = [
        comment("Ann", "Botox helped my neck pain a lot."),
        '{"document": "T", "author": "Bob", "text": oops}',
        comment("Cy", "Replying to nobody about injections.", reply_to="Zed"),
        comment("Dee", "Botox made my eyelid droop for a week."),
    ]
    write(tmp_path / "forum.jsonl", "\n".join(lines) + "\n")
    out = run_bot("check", "--json", "--corpus", str(tmp_path))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    data = json.loads(out.stdout)
    (doc,) = data["documents"]
    assert [c["author"] for c in doc["comments"]] == ["Ann", "Cy", "Dee"]
    assert [c["in_reply_to"] for c in doc["comments"]] == [None, None, None]
    where = tmp_path / "forum.jsonl"
    column = lines[1].index("oops") + 1
    assert f"{where}:2:{column}: expected a JSON object" in out.stderr
    assert f"{where}:3: reply_to 'Zed' names no earlier comment" in out.stderr
    assert "kept as top-level" in out.stderr


def test_a_huge_single_line_page_is_refused_at_once(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "seed.txt")
    with (tmp_path / "huge.txt").open("w", encoding="utf-8") as handle:
        handle.write("A huge page\n")
        handle.write("lorem ipsum dolor " * (MAX_FILE_BYTES // 18 + 1))
    out = run_bot("check", "--corpus", str(tmp_path))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert (
        f"{tmp_path / 'huge.txt'}: is 10,000,0" in out.stderr and "expected at most" in out.stderr
    )
    assert len(out.stderr) < 1000
    assert "30 comments" in out.stdout  # the seed document still loads


def test_a_long_article_gives_bounded_passages_and_quotes(tmp_path: Path) -> None:
    words = [f"word{i}" for i in range(20_000)]  # ~190,000 characters with no full stop
    words[10_000:10_000] = ["zebra", "needles", "hurt", "less"]
    article = " ".join(words)
    corpus = write(tmp_path / "corpus" / "long.txt", f"A long page\n{article}\n").parent
    config = words_only_config(tmp_path)
    out = run_bot(
        "--config", str(config), "ask", "--json", "--corpus", str(corpus), "zebra needles hurt?"
    )
    assert out.returncode == 0, out.stderr
    reply = json.loads(out.stdout)
    assert reply["answers"]
    for answer in reply["answers"]:
        assert 0 < len(answer["text"]) <= 1000
        assert answer["text"] in article  # still a verbatim slice
    assert "…" in reply["message"]  # cut quotes are marked


def test_a_symlink_out_of_the_corpus_is_skipped(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / "seed.txt")
    secret = write(tmp_path / "outside" / "secret.txt", "Secret title\nroot:x:0:0:hunter2\n")
    (corpus / "passwd.txt").symlink_to(secret)
    (corpus / "again.txt").symlink_to(corpus / "seed.txt")  # inside the folder: fine
    out = run_bot("check", "--json", "--corpus", str(corpus))
    assert "hunter2" not in out.stdout
    assert f"{corpus / 'passwd.txt'}: is a link to a file outside the corpus folder" in out.stderr
    titles = [d["title"] for d in json.loads(out.stdout)["documents"]]
    assert len(titles) == 2 and "Secret title" not in titles


def test_config_may_not_point_the_corpus_outside_its_folder(tmp_path: Path) -> None:
    text = CONFIG.read_text("utf-8").replace("corpus: corpus ", "corpus: /etc ", 1)
    config = write(tmp_path / "config.yaml", text)
    out = run_bot("--config", str(config), "check")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"{config}:4: corpus: expected a path inside {tmp_path.resolve()}" in out.stderr
    up = write(
        tmp_path / "c2.yaml", CONFIG.read_text("utf-8").replace("corpus: corpus ", "corpus: ../x ")
    )
    assert run_bot("--config", str(up), "check").returncode == 2


def test_a_secret_pasted_into_a_setting_is_not_echoed(tmp_path: Path) -> None:
    token = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123"
    text = CONFIG.read_text("utf-8").replace("top_k: 3 ", f"top_k: {token} ", 1)
    out = run_bot("--config", str(write(tmp_path / "config.yaml", text)), "check")
    assert out.returncode == 2
    assert "top_k: expected a whole number from 1 to 10, got text of" in out.stderr
    assert token[:10] not in out.stderr + out.stdout


def test_undecodable_bytes_in_a_question_are_answered(tmp_path: Path) -> None:
    # argv: what a shell passes for bytes that are not UTF-8 (Python holds them as surrogates)
    question = b"neck pain \xff\xfe after botox?"
    out = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", os.fsdecode(question)],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    assert out.returncode == 0 and b"Traceback" not in out.stderr
    reply = json.loads(out.stdout)
    assert reply["question"] == "neck pain \ufffd\ufffd after botox?" and reply["answered"]


def test_a_bad_batch_line_does_not_drop_the_lines_after_it(tmp_path: Path) -> None:
    batch = tmp_path / "questions.txt"
    batch.write_bytes(
        b"how often are injections?\nneck pain \xff?\n" + b"x" * 70_000 + b"\ncost?\n"
    )
    for source, stdin in ((str(batch), None), ("-", batch.read_bytes())):
        out = subprocess.run(
            [sys.executable, "-m", "bot", "ask", "--batch", source],
            cwd=ROOT,
            input=stdin,
            capture_output=True,
            timeout=60,
        )
        assert out.returncode == 0 and b"Traceback" not in out.stderr
        questions = [json.loads(line)["question"] for line in out.stdout.splitlines()]
        assert questions == ["how often are injections?", "neck pain \ufffd?", "cost?"]
        stderr = out.stderr.decode()
        assert ":2:11: not valid UTF-8" in stderr and ":3: over 64,000 bytes; skipped" in stderr


def test_ask_json_neutralizes_mentions_and_bidi_controls_in_the_question() -> None:
    out = run_bot("ask", "--json", "@everyone <@&42> neck pain\u202e?")
    reply = json.loads(out.stdout)
    assert "@everyone" not in reply["question"] and "<@&42>" not in reply["question"]
    assert not set(out.stdout) & set(BIDI_CONTROLS)


def test_bidi_controls_in_names_never_reach_the_output(tmp_path: Path) -> None:
    evil = comment("Mallory\u202e2102 ,71 beF", "Botox\u2066 helped my neck pain\u2069 a lot.")
    write(tmp_path / "forum.jsonl", evil + "\n")
    write(
        tmp_path / "page.txt", "Title \u202eevil\nArticle.\n• Eve\u202e Feb 1, 2020\n  neck pain\n"
    )
    for args in (("ask", "neck pain botox"), ("ask", "--json", "neck pain"), ("check", "--json")):
        out = run_bot(*args, "--corpus", str(tmp_path))
        assert out.returncode == 0, out.stderr
        assert not set(out.stdout) & set(BIDI_CONTROLS), args
    assert "Mallory2102 ,71 beF" in run_bot("check", "--json", "--corpus", str(tmp_path)).stdout


def test_a_closed_pipe_ends_quietly() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "neck pain?"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.close()  # like `| head` that has already left: every write now fails
    _, stderr = process.communicate(timeout=60)
    assert b"Traceback" not in stderr and b"BrokenPipe" not in stderr, stderr.decode()
    assert process.returncode == 141


def test_run_with_discord_unreachable_is_one_clear_line() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ)
    env.update(
        DISCORD_TOKEN="not-a-real-token",
        DISCORD_API_BASE=f"http://127.0.0.1:{port}/api/v10",
        DISCORD_GATEWAY_URL=f"ws://127.0.0.1:{port}/",
    )
    out = run_bot("run", env=env)
    assert out.returncode == 3
    assert "Traceback" not in out.stderr
    errors = [line for line in out.stderr.splitlines() if line.startswith("error:")]
    (error,) = errors  # one line; its tail is aiohttp's wording, which names the address
    assert error.startswith(f"error: cannot reach Discord at http://127.0.0.1:{port}/api/v10: ")
    assert f"127.0.0.1:{port}" in error.split(": ", 2)[2] and len(error) < 300


@pytest.mark.parametrize(
    ("name", "repeated"), [("config.yaml", "top_k: 4\n"), ("lexicon.yaml", "groups: []\n")]
)
def test_settings_files_refuse_a_key_given_twice(tmp_path: Path, name: str, repeated: str) -> None:
    shutil.copy(CONFIG, tmp_path / "config.yaml")
    shutil.copy(ROOT / "lexicon.yaml", tmp_path / "lexicon.yaml")
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    target = tmp_path / name
    target.write_text(target.read_text("utf-8") + repeated, "utf-8")
    out = run_bot("--config", str(tmp_path / "config.yaml"), "check")
    assert out.returncode in (1, 2) and "Traceback" not in out.stderr
    assert f"{target}:" in out.stderr and "is given twice (lines" in out.stderr


def test_undecodable_bytes_at_the_interactive_prompt_are_answered() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bot", "ask"],
        cwd=ROOT,
        input=b"neck pain \xff after botox?\nhow often are injections?\n",
        capture_output=True,
        timeout=60,
    )
    assert out.returncode == 0 and b"Traceback" not in out.stderr, out.stderr.decode()
    assert out.stdout.decode().count("This is what people wrote") == 2  # two replies
