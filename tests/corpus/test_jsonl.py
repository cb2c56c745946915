"""The JSONL corpus format: one comment (or article) per line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bot.corpus.jsonl import parse_jsonl
from bot.corpus.loader import load_corpus
from bot.errors import CorpusError
from tests.helpers import write


def lines(*records: object) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n"


def comment(document: str, author: str, text: str, **extra: object) -> dict[str, object]:
    return {"document": document, "author": author, "date": "2012-02-17", "text": text, **extra}


def error(text: str) -> str:
    with pytest.raises(CorpusError) as caught:
        parse_jsonl(text, "archive.jsonl", "archive")
    return str(caught.value)


def test_several_documents_in_one_file_in_order_of_first_appearance() -> None:
    text = lines(
        comment("Botox for migraine", "helen", "It helped."),
        comment("Sleep and aura", "bob", "I sleep more."),
        comment("Botox for migraine", "sam", "Not for me."),
    )
    docs = parse_jsonl(text, "archive.jsonl", "archive")
    assert [d.id for d in docs] == ["archive:botox-for-migraine", "archive:sleep-and-aura"]
    assert [d.title for d in docs] == ["Botox for migraine", "Sleep and aura"]
    assert [[c.author for c in d.comments] for d in docs] == [["helen", "sam"], ["bob"]]
    assert [c.line for c in docs[0].comments] == [1, 3]
    assert all(d.path == "archive.jsonl" for d in docs)


def test_one_document_keeps_the_file_id() -> None:
    (doc,) = parse_jsonl(lines(comment("Botox", "helen", "Hi.")), "f.jsonl", "f")
    assert doc.id == "f"
    (c,) = doc.comments
    assert (c.id, c.author, c.date, c.text, c.depth) == (
        "helen-2012-02-17",
        "helen",
        dt.date(2012, 2, 17),
        "Hi.",
        0,
    )


def test_article_lines() -> None:
    text = lines(
        {"document": "Botox", "article": "Botox is approved.", "source": "https://example.org/b"},
        comment("Botox", "helen", "It helped."),
        {"document": "Aura", "article": "Only an article."},
    )
    botox, aura = parse_jsonl(text, "a.jsonl", "a")
    assert (botox.article, botox.source) == ("Botox is approved.", "https://example.org/b")
    assert (aura.article, aura.source, aura.comments) == ("Only an article.", None, ())
    (doc,) = parse_jsonl(lines(comment("T", "helen", "Hi.")), "a.jsonl", "a")
    assert (doc.article, doc.source) == ("", None)


def test_reply_to_by_id_or_by_author() -> None:
    text = lines(
        comment("T", "helen", "First.", id="c1"),
        comment("T", "bob", "Second.", id=2),
        comment("T", "sam", "To helen by id.", reply_to="c1"),
        comment("T", "amy", "To bob by numeric id.", reply_to=2),
        comment("T", "lee", "To sam by name, any case.", reply_to="SAM"),
        comment("T", "kim", "Top level.", reply_to=None),
    )
    (doc,) = parse_jsonl(text, "t.jsonl", "t")
    by_author = {c.author: c for c in doc.comments}
    assert by_author["bob"].id == "2"
    assert by_author["sam"].in_reply_to == "c1"
    assert by_author["amy"].in_reply_to == "2"
    assert by_author["lee"].in_reply_to == by_author["sam"].id
    assert [by_author[a].depth for a in ("helen", "sam", "lee", "kim")] == [0, 1, 2, 0]
    assert by_author["kim"].in_reply_to is None
    assert doc.parent_author(by_author["lee"]) == "sam"


def test_dates_in_either_form_or_none() -> None:
    text = lines(
        comment("T", "a", "One.", date="Feb 17, 2012"),
        comment("T", "b", "Two.", date="February 18, 2012"),
        comment("T", "c", "Three.", date=None),
        {"document": "T", "author": "d", "text": "Four."},
    )
    (doc,) = parse_jsonl(text, "t.jsonl", "t")
    assert [c.date for c in doc.comments] == [
        dt.date(2012, 2, 17),
        dt.date(2012, 2, 18),
        None,
        None,
    ]


def test_blank_lines_are_ignored_and_lines_still_counted() -> None:
    text = (
        "\n  \n" + lines(comment("T", "helen", "Hi.")) + "\n\n" + lines(comment("T", "bob", "Yo."))
    )
    (doc,) = parse_jsonl(text, "t.jsonl", "t")
    assert [c.line for c in doc.comments] == [3, 6]
    assert error("\n\n" + lines("{not json")).startswith(
        "archive.jsonl:3:2: expected a JSON object"
    )


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("{not json", "archive.jsonl:2:2: expected a JSON object"),
        ("[1, 2]", "archive.jsonl:2: expected a JSON object on each line"),
        (
            {"document": "T", "date": "2012-02-17", "text": "x"},
            "archive.jsonl:2: expected 'author'",
        ),
        ({"document": "T", "author": " ", "text": "x"}, "archive.jsonl:2: expected 'author'"),
        ({"document": "T", "author": "a"}, "archive.jsonl:2: expected 'text'"),
        ({"author": "a", "text": "x"}, "archive.jsonl:2: expected 'document'"),
        (
            {"document": "T", "author": "a", "text": "x", "colour": 1},
            "archive.jsonl:2: unknown key 'colour'",
        ),
        ({"document": "T", "article": "x", "author": "a"}, "archive.jsonl:2: unknown key 'author'"),
        ({"document": "T", "article": 3}, "archive.jsonl:2: expected 'article' as text"),
        (comment("T", "a", "x", date="17/02/2012"), "archive.jsonl:2: expected a date"),
        (comment("T", "a", "x", date=20120217), "archive.jsonl:2: expected a date"),
        (comment("T", "a", "x", reply_to="nobody"), "archive.jsonl:2: reply_to 'nobody'"),
        (comment("T", "a", "x", id="c1"), "archive.jsonl:2: comment id 'c1' is used twice"),
    ],
)
def test_errors_name_the_file_and_line(record: object, message: str) -> None:
    first = comment("T", "helen", "Hi.", id="c1")
    assert error(lines(first, record)).startswith(message)


def test_an_empty_file_is_an_error() -> None:
    assert error("\n  \n") == "archive.jsonl:1: expected at least one JSON line"


def test_the_loader_reads_jsonl_files(tmp_path: Path) -> None:
    write(tmp_path / "forum.jsonl", lines(comment("A", "helen", "Hi."), comment("B", "bob", "Yo.")))
    write(tmp_path / "broken.jsonl", lines(comment("A", "helen", "Hi."), "{oops"))
    loaded = load_corpus(tmp_path)
    assert [d.id for d in loaded.documents] == ["broken", "forum:a", "forum:b"]
    (problem,) = loaded.errors
    assert str(problem).startswith(f"{tmp_path / 'broken.jsonl'}:2:2: expected a JSON object")


def test_many_bad_lines_are_listed_up_to_a_cap_and_the_good_one_loads(tmp_path: Path) -> None:
    write(tmp_path / "dump.jsonl", "{oops\n" * 100 + lines(comment("T", "helen", "Hi.")))
    loaded = load_corpus(tmp_path)
    (doc,) = loaded.documents
    assert [c.author for c in doc.comments] == ["helen"]
    assert [e.line for e in loaded.errors[:20]] == list(range(1, 21))
    assert str(loaded.errors[20]).endswith("dump.jsonl: 80 more problems not listed")
    assert len(loaded.errors) == 21


def test_an_overlong_line_is_skipped_without_losing_the_next(tmp_path: Path) -> None:
    long_text = "x" * 1_100_000
    write(
        tmp_path / "dump.jsonl",
        lines(
            comment("T", "ann", long_text),
            comment("T", "bob", "Yo."),
            comment("T", "cy", "y" * 20_001),
        ),
    )
    loaded = load_corpus(tmp_path)
    (doc,) = loaded.documents
    assert [c.author for c in doc.comments] == ["bob"]
    first, third = (str(e) for e in loaded.errors)
    assert ":1: line is 1,100,0" in first and "expected at most 1,000,000" in first
    assert ":3: the comment's text is 20,001 characters; expected at most 20,000" in third


def test_overlong_titles_and_author_names_are_refused() -> None:
    assert error(lines(comment("T" * 301, "helen", "Hi."))).startswith(
        "archive.jsonl:1: the document's title is 301 characters; expected at most 300"
    )
    assert error(lines(comment("T", "h" * 101, "Hi."))).startswith(
        "archive.jsonl:1: the author is 101 characters; expected at most 100"
    )
