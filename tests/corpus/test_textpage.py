from __future__ import annotations

import datetime as dt

import pytest

from bot.corpus.model import Document
from bot.corpus.textpage import parse_text_page
from bot.errors import CorpusError

# (author, date, parent id or None), in page order, read off the page by hand.
EXPECTED = [
    ("helen", "2012-02-17", None),
    ("Elaine", "2012-02-19", None),
    ("Melissa", "2012-02-21", None),
    ("Alexis", "2012-02-22", None),
    ("Veronika", "2012-02-27", None),
    ("Angelette", "2012-03-04", None),
    ("Mark", "2012-03-17", None),
    ("Barbara", "2012-03-21", None),
    ("Elaine", "2012-03-22", "barbara-2012-03-21"),
    ("Betsy", "2013-02-21", "barbara-2012-03-21"),
    ("ChristinaLCM", "2015-06-24", "barbara-2012-03-21"),
    ("Leonardo", "2012-04-29", None),
    ("Maureen", "2012-05-17", None),
    ("Julie", "2012-10-22", None),
    ("Laura K", "2012-11-25", None),
    ("Cat", "2012-12-14", None),
    ("Andrea Gehrke", "2012-12-14", None),
    ("Patti", "2012-12-14", None),
    ("Elaine Axten", "2012-12-15", None),
    ("Glenn", "2012-12-17", None),
    ("Susan", "2012-12-17", None),
    ("Julie", "2012-12-17", None),
    ("Betsy", "2013-02-21", None),
    ("Judy", "2015-06-01", None),
    ("Kayleen", "2015-06-01", None),
    ("Mimi", "2015-07-28", None),
    ("Lisa", "2016-06-17", None),
    ("Amber", "2017-02-26", None),
    ("Laura Krome", "2017-03-08", None),
    ("Glenn", "2017-03-10", "amber-2017-02-26"),
]


def test_seed_has_title_article_and_all_30_comments(seed_doc: Document) -> None:
    assert seed_doc.title == "Botox for Migraine – how does it actually work?"
    assert seed_doc.article.startswith("Botox, or onabotulinumtoxinA, is an emerging")
    got = [
        (c.author, c.date.isoformat() if c.date else "", c.in_reply_to) for c in seed_doc.comments
    ]
    assert got == EXPECTED


def test_ids_are_unique_and_stable_even_for_same_author_and_day(seed_doc: Document) -> None:
    ids = [c.id for c in seed_doc.comments]
    assert len(set(ids)) == 30
    betsy = [c for c in seed_doc.comments if c.author == "Betsy"]
    assert [c.id for c in betsy] == ["betsy-2013-02-21", "betsy-2013-02-21-2"]
    assert betsy[0].text.startswith("The loss of words")


def test_depths_follow_indentation_and_addressed_replies(seed_doc: Document) -> None:
    depth = {c.id: c.depth for c in seed_doc.comments}
    assert depth["barbara-2012-03-21"] == 0
    assert depth["elaine-2012-03-22"] == 1
    assert depth["glenn-2017-03-10"] == 1
    assert sum(1 for c in seed_doc.comments if c.in_reply_to) == 4


def test_boilerplate_is_not_content(seed_doc: Document) -> None:
    everything = seed_doc.article + "".join(c.text for c in seed_doc.comments)
    assert "Be Sociable" not in everything
    assert "add one" not in everything


def test_text_keeps_its_characters_and_paragraphs(seed_doc: Document, seed_text: str) -> None:
    alexis = seed_doc.comment("alexis-2012-02-22")
    assert alexis.text.endswith("🙂")
    veronika = seed_doc.comment("veronika-2012-02-27")
    assert "\n\n" in veronika.text  # two paragraphs
    for c in seed_doc.comments:
        for line in c.text.split("\n"):
            assert line in seed_text  # every line is verbatim from the page


def test_addressing_an_unknown_name_is_not_a_reply() -> None:
    page = "T\n\nBody.\n  • Ann Jan 1, 2020\n\n    Bob, hi there.\n"
    doc = parse_text_page(page, "p.txt", "p")
    assert doc.comments[0].in_reply_to is None


def test_deeper_nesting_replies_to_nearest_shallower_comment() -> None:
    page = (
        "T\n\nBody.\n"
        "  • A Jan 1, 2020\n    a\n"
        "    • B Jan 2, 2020\n      b\n"
        "      • C Jan 3, 2020\n        c\n"
        "    • D Jan 4, 2020\n      d\n"
        "  • E Jan 5, 2020\n    e\n"
    )
    doc = parse_text_page(page, "p.txt", "p")
    parents = {c.author: c.in_reply_to for c in doc.comments}
    assert parents == {
        "A": None,
        "B": "a-2020-01-01",
        "C": "b-2020-01-02",
        "D": "a-2020-01-01",
        "E": None,
    }
    assert [c.depth for c in doc.comments] == [0, 1, 2, 1, 0]
    assert doc.comments[0].date == dt.date(2020, 1, 1)


def test_source_line_is_read() -> None:
    doc = parse_text_page("T\nSource: https://example.org/x\n\nBody.\n", "p.txt", "p")
    assert doc.source == "https://example.org/x"
    assert doc.article == "Body."


@pytest.mark.parametrize(
    ("page", "line", "expected"),
    [
        ("", 1, "title"),
        ("T\n\nBody\n  • Ann Feb 30, 2012\n    hi\n", 4, "not a real date"),
        ("T\n\nBody\n  • Ann yesterday\n    hi\n", 4, "comment header like"),
        ("T\n\nBody\n  • Ann Jan 1, 2012\n\n  • Bob Jan 2, 2012\n    hi\n", 4, "text of Ann"),
        ("T\n  • Ann Jan 1, 2012\n    hi\n", 2, "article"),
    ],
)
def test_errors_name_the_line_and_what_was_expected(page: str, line: int, expected: str) -> None:
    with pytest.raises(CorpusError) as info:
        parse_text_page(page, "bad.txt", "bad")
    assert info.value.line == line
    assert expected in str(info.value)
    assert str(info.value).startswith(f"bad.txt:{line}:")
