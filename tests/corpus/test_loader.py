from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from bot.corpus.loader import load_corpus
from tests.helpers import SEED, write

YAML_DOC = """\
title: Another discussion
source: https://example.org/d
article: |
  An article about sleep and migraine.
comments:
  - author: Ann
    date: 2020-01-02
    text: I sleep more now.
  - author: Bob
    date: "Jan 3, 2020"
    reply_to: Ann
    text: |
      Same here.

      Second paragraph.
  - author: Cy
    date: 2020-01-04
    reply_to: bob-2020-01-03
    text: Me too.
"""


def test_yaml_document_with_replies_by_name_and_id(tmp_path: Path) -> None:
    (tmp_path / "other.yaml").write_text(YAML_DOC, encoding="utf-8")
    loaded = load_corpus(tmp_path)
    assert loaded.errors == ()
    (doc,) = loaded.documents
    assert doc.title == "Another discussion" and doc.source == "https://example.org/d"
    ann, bob, cy = doc.comments
    assert bob.in_reply_to == ann.id and bob.depth == 1
    assert cy.in_reply_to == bob.id and cy.depth == 2
    assert bob.text == "Same here.\n\nSecond paragraph."


def test_a_broken_file_is_reported_and_the_others_still_load(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "seed.txt")
    (tmp_path / "broken.yaml").write_text("title: x\ncomments:\n  - author: A\n    tex: hi\n")
    (tmp_path / "notes.docx").write_bytes(b"PK")
    loaded = load_corpus(tmp_path)
    assert [d.id for d in loaded.documents] == ["seed"]
    messages = sorted(str(e) for e in loaded.errors)
    assert any("broken.yaml:3:" in m and "unknown key 'tex'" in m for m in messages)
    assert any("notes.docx" in m and "unsupported file type" in m for m in messages)


def test_yaml_errors_name_file_line_and_expectation(tmp_path: Path) -> None:
    cases = {
        "syntax.yaml": ("title: [unclosed\n", "not valid YAML"),
        "date.yaml": (
            "title: x\ncomments:\n  - author: A\n    date: someday\n    text: t\n",
            "date",
        ),
        "reply.yaml": (
            "title: x\ncomments:\n  - author: A\n    reply_to: Zed\n    text: t\n",
            "Zed",
        ),
        "list.yaml": ("- just a list\n", "mapping"),
        "utf.yaml": (b"title: caf\xe9\n", "UTF-8"),
    }
    for name, (content, _) in cases.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    loaded = load_corpus(tmp_path)
    # A reply to nobody keeps its comment, as a top-level one; the other files give nothing.
    (reply,) = loaded.documents
    assert reply.id == "reply" and reply.comments[0].in_reply_to is None
    by_file: dict[str, list[str]] = {}
    for e in loaded.errors:
        assert e.line is not None, str(e)
        by_file.setdefault(Path(e.path).name, []).append(str(e))
    assert set(by_file) == set(cases)
    for name, (_, expected) in cases.items():
        assert any(expected in m for m in by_file[name]), by_file[name]


def test_missing_corpus_folder_is_an_error(tmp_path: Path) -> None:
    import pytest

    from bot.errors import CorpusError

    with pytest.raises(CorpusError, match="nothing is there"):
        load_corpus(tmp_path / "nope")


def test_a_big_archive_logs_how_far_it_has_got(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    line = '{"document": "Forum", "author": "Ann", "date": "2020-01-02", "text": "Naps help."}\n'
    write(tmp_path / "archive.jsonl", line * 12_000)
    clock = iter(range(0, 10_000, 3))  # each look at the clock: three seconds later
    monkeypatch.setattr("bot.progress._now", lambda: float(next(clock)))
    with caplog.at_level(logging.INFO, "bot.progress"):
        loaded = load_corpus(tmp_path)  # stderr is not a terminal under pytest: log lines
    assert len(loaded.documents[0].comments) == 12_000
    # Read at clock 3 (5,000 of 12,000 lines), 6 (too soon for a line), 9 (the end), closed at 12.
    assert [r.getMessage() for r in caplog.records] == [
        "loading the corpus: 0.4/1.0 MB (42 %), 0.1 MB/s, about 4 s left",
        "loading the corpus: 1.0/1.0 MB (100 %), 0.1 MB/s, about 0 s left",
        "loading the corpus: done, 1.0 MB in 12 s",
    ]


def test_a_small_corpus_loads_silently(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, "bot.progress"):
        load_corpus(SEED)
    assert caplog.text == ""
