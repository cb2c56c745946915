from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from bot.config import ImportSettings
from bot.corpus.importers import import_export
from bot.corpus.importers.writer import render, write_corpus_file
from bot.corpus.loader import load_file
from tests.corpus.importers.helpers import DATA, imported, rows

D = dt.date


def test_wxr_1_2_imports_approved_comments_with_authors_dates_parents_and_text() -> None:
    result = imported("wordpress-1.2.xml")
    assert result.format == "WordPress WXR"
    [doc] = result.documents  # the page without comments, the draft and the protected post: none
    assert doc.title == "Sleep & migraine: what helps?"
    assert doc.source == "https://headaches.example.org/2021/03/sleep-and-migraine/"
    assert doc.article == (
        "Poor sleep is one of the most common migraine triggers.\n\n"
        "We asked readers what helps them — here is what they said."
    )
    assert rows(doc) == [
        (
            "ann-lee-2021-03-01",
            "Ann Lee",
            D(2021, 3, 1),  # 23:30 GMT, though 01:30 on the 2nd on the site's clock
            None,
            "Going to bed at the same time every night made the biggest difference for me.\n\n"
            "Café after 2pm is out & so is wine <3\nStill working on the screens.",
        ),
        (
            "bob-2021-03-02",
            "Bob",
            D(2021, 3, 2),
            "ann-lee-2021-03-01",
            "Same here 😀 — a sleep routine helped more than any pill.",
        ),
        (
            "ann-lee-2021-03-01-2",  # her second comment that (UTC) day
            "Ann Lee",
            D(2021, 3, 1),
            "bob-2021-03-02",
            "Forgot to say: a dark room really helps.",
        ),
        # Dan replied to Carol's unapproved comment: he stays, at the top level.
        ("dan-2021-03-02", "Dan", D(2021, 3, 2), None, "Melatonin was fine for me, at a low dose."),
        # No GMT date: site-local 01:15 on the 3rd, two hours ahead of UTC (from the post's dates).
        (
            "anon-2021-03-02",
            "محمد",
            D(2021, 3, 2),
            None,
            "النوم المنتظم ساعدني كثيراً، شكراً على المقال.",
        ),
    ]
    assert result.skipped == {
        "pingback": 1,
        "trackback": 1,
        "spam": 1,
        "in the trash": 1,
        "not approved": 1,
        "post not published": 1,
        "post is password-protected": 1,
    }
    assert result.orphans == 1


def test_wxr_1_0_with_https_namespace_and_a_parent_never_exported() -> None:
    result = imported("wordpress-1.0-https.xml", fmt="wxr")
    [doc] = result.documents
    assert doc.article == "First paragraph of the post.\n\nSecond paragraph,\nwith a line break."
    assert rows(doc) == [
        ("gail-2009-12-01", "Gail", D(2009, 12, 1), None, "Ice packs on the neck, every time."),
        (
            "hal-2009-12-01",
            "Hal",
            D(2009, 12, 1),
            None,
            "Replying to a comment that was never exported.",
        ),
    ]
    assert result.orphans == 1
    assert result.skipped == {}


def test_summary_line_counts_what_was_skipped_by_reason() -> None:
    line = imported("wordpress-1.2.xml").summary("corpus/sleep.jsonl")
    assert line.startswith("imported 1 document(s), 5 comments (2 replies) from ")
    assert "(WordPress WXR) into corpus/sleep.jsonl" in line
    assert "skipped 7 (" in line
    for part in ("pingback: 1", "trackback: 1", "spam: 1", "in the trash: 1", "not approved: 1"):
        assert part in line
    assert line.endswith("1 reply to a missing or skipped comment made top-level")


def test_posts_with_the_same_title_stay_separate_documents(tmp_path: Path) -> None:
    item = (DATA / "wordpress-1.0-https.xml").read_text(encoding="utf-8")
    start, end = item.index("<item>"), item.index("</item>") + len("</item>")
    twice = item[:end] + item[start:end].replace("<wp:comment_id>", "<wp:comment_id>9") + item[end:]
    result = import_export(twice.encode(), "two.xml", "auto", ImportSettings())
    assert [d.title for d in result.documents] == [
        "Cold hands, warm head",
        "Cold hands, warm head (2)",
    ]
    out = tmp_path / "two.jsonl"
    write_corpus_file(render(result.documents, out), out, force=False)
    loaded = load_file(out)
    assert [(d.id, len(d.comments)) for d in loaded] == [
        ("two:cold-hands-warm-head", 2),
        ("two:cold-hands-warm-head-2", 2),
    ]


def test_a_big_export_logs_how_many_comments_it_has_read(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from tools.make_wxr import wxr

    clock = iter(range(0, 100_000, 1))  # each look at the clock: a second later
    monkeypatch.setattr("bot.progress._now", lambda: float(next(clock)))
    data = wxr(2, 6).encode("utf-8")
    with caplog.at_level(logging.INFO, "bot.progress"):
        result = import_export(data, "big.xml", "auto", ImportSettings())
    lines = [r.getMessage() for r in caplog.records]
    # Clock read at the start (0), at each of the 12 comments (1…12, a line every 5 s), at the end.
    assert sum(len(d.comments) for d in result.documents) == 12
    assert lines == [
        "importing WordPress WXR: 1 comments, 1 comments/s",
        "importing WordPress WXR: 6 comments, 1 comments/s",
        "importing WordPress WXR: 11 comments, 1 comments/s",
        "importing WordPress WXR: done, 12 comments in 13 s",
    ]


def test_a_small_export_imports_silently(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, "bot.progress"):
        imported("wordpress-1.2.xml")
    assert caplog.text == ""
