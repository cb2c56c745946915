"""`python -m bot import` as a person runs it, then check and ask on what it wrote."""

from __future__ import annotations

import json
from pathlib import Path

from tests.corpus.importers.helpers import DATA
from tests.helpers import CONFIG, run_bot, write

HOSTILE = DATA / "hostile"


def _config(tmp_path: Path, **imports: int) -> Path:
    """config.yaml with its corpus in tmp_path/corpus (words only, for speed)."""
    text = CONFIG.read_text(encoding="utf-8")
    text = text.replace("corpus: corpus ", f"corpus: {tmp_path / 'corpus'} ", 1)
    text = text.replace("lexicon: lexicon.yaml ", f"lexicon: {CONFIG.parent / 'lexicon.yaml'} ", 1)
    text = text.replace("  semantic_weight: 0.3 ", "  semantic_weight: 0 ", 1)
    for key, value in imports.items():
        text = text.replace(f"  {key}: ", f"  {key}: {value} # was ", 1)
    (tmp_path / "corpus").mkdir(exist_ok=True)
    return write(tmp_path / "config.yaml", text)


def test_import_then_check_and_ask_use_the_document_with_its_threads(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    out = run_bot("--config", str(cfg), "import", str(DATA / "wordpress-1.2.xml"))
    assert out.returncode == 0, out.stderr
    written = tmp_path / "corpus" / "sleep-migraine-what-helps.jsonl"
    assert out.stdout.strip() == (
        f"imported 1 document(s), 5 comments (2 replies) from {DATA / 'wordpress-1.2.xml'} "
        f"(WordPress WXR) into {written}; skipped 7 (in the trash: 1, not approved: 1, "
        "pingback: 1, post is password-protected: 1, post not published: 1, spam: 1, "
        "trackback: 1); 1 reply to a missing or skipped comment made top-level"
    )
    check = run_bot("--config", str(cfg), "check", "--json")
    assert check.returncode == 0, check.stderr
    [doc] = json.loads(check.stdout)["documents"]
    assert doc["title"] == "Sleep & migraine: what helps?"
    assert [(c["id"], c["in_reply_to"], c["depth"]) for c in doc["comments"]] == [
        ("ann-lee-2021-03-01", None, 0),
        ("bob-2021-03-02", "ann-lee-2021-03-01", 1),
        ("ann-lee-2021-03-01-2", "bob-2021-03-02", 2),
        ("dan-2021-03-02", None, 0),
        ("anon-2021-03-02", None, 0),
    ]
    ask = run_bot("--config", str(cfg), "ask", "--json", "does a dark room help with sleep?")
    assert ask.returncode == 0, ask.stderr
    top = json.loads(ask.stdout)["answers"][0]
    assert (top["author"], top["date"], top["comment_id"]) == (
        "Ann Lee",
        "2021-03-01",
        "ann-lee-2021-03-01-2",
    )
    assert top["text"] in "Forgot to say: a dark room really helps."
    assert top["in_reply_to"] == "Bob"


def test_existing_output_is_kept_without_force(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    out_file = tmp_path / "corpus" / "topic.yaml"
    source = str(DATA / "discourse-topic.json")
    first = run_bot("--config", str(cfg), "import", source, "--out", str(out_file))
    assert first.returncode == 0, first.stderr
    before = out_file.read_text(encoding="utf-8")
    assert before.startswith("title: Magnesium for migraine prevention?\n")
    again = run_bot("--config", str(cfg), "import", source, "--out", str(out_file))
    assert again.returncode == 1
    assert again.stderr.strip() == f"error: {out_file}: already exists; use --force to replace it"
    assert out_file.read_text(encoding="utf-8") == before
    forced = run_bot("--config", str(cfg), "import", source, "--out", str(out_file), "--force")
    assert forced.returncode == 0, forced.stderr


def test_hostile_files_exit_non_zero_with_one_line_and_write_nothing(tmp_path: Path) -> None:
    cfg = _config(tmp_path, max_comments=3)
    cases = [
        (HOSTILE / "billion-laughs.xml", ":2: refused a DTD"),
        (HOSTILE / "external-entity.xml", ":2: refused a DTD"),
        (HOSTILE / "malformed.xml", ":8: not well-formed XML"),
        (HOSTILE / "notes.txt", ":1: does not look like"),
        (DATA / "wordpress-1.2.xml", ": more than 3 comments (at comment 104 in item 1"),
        (tmp_path / "missing.xml", "missing.xml: no such file"),
    ]
    for path, expected in cases:
        out = run_bot("--config", str(cfg), "import", str(path))
        assert out.returncode == 1, (path, out.stdout)
        [line] = out.stderr.splitlines()
        assert line.startswith(f"error: {path}") and expected in line, line
        assert out.stdout == ""
    assert list((tmp_path / "corpus").iterdir()) == []


def test_a_bad_imports_setting_is_a_config_error(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    write(cfg, cfg.read_text(encoding="utf-8").replace("  max_depth: 50", "  max_depth: deep"))
    out = run_bot("--config", str(cfg), "import", str(DATA / "disqus.xml"))
    assert out.returncode == 2
    assert "imports.max_depth: expected a whole number from 1 to 1000, got 'deep'" in out.stderr
