from __future__ import annotations

from bot.summary.authors import closest_names, distinct_names, match_authors

NAMES = [
    "helen",
    "Elaine",
    "Laura K",
    "Elaine Axten",
    "Laura Krome",
    "ChristinaLCM",
    "Glenn",
    "Elaine",
    "glenn",
]


def test_names_are_distinct_case_insensitively_in_page_order() -> None:
    assert distinct_names(NAMES) == [
        "helen",
        "Elaine",
        "Laura K",
        "Elaine Axten",
        "Laura Krome",
        "ChristinaLCM",
        "Glenn",
    ]


def test_exact_name_wins_and_names_its_namesakes() -> None:
    m = match_authors("elaine", NAMES)
    assert (m.people, m.how, m.namesakes) == (("Elaine",), "name", ("Elaine Axten",))
    m = match_authors("  ELAINE   axten ", NAMES)
    assert (m.people, m.how, m.namesakes) == (("Elaine Axten",), "name", ())
    assert match_authors("@Glenn", NAMES).people == ("Glenn",)
    assert match_authors("laura-k", NAMES).people == ("Laura K",)


def test_a_shared_first_name_matches_everyone_who_has_it() -> None:
    m = match_authors("Laura", NAMES)
    assert (m.people, m.how) == (("Laura K", "Laura Krome"), "first name")


def test_other_parts_and_starts_of_names() -> None:
    m = match_authors("axten", NAMES)
    assert (m.people, m.how) == (("Elaine Axten",), "part of the name")
    m = match_authors("christina", NAMES)
    assert (m.people, m.how) == (("ChristinaLCM",), "start of the name")
    assert match_authors("he", NAMES).people == ()  # too short to be a start


def test_unknown_names_get_close_spellings_only() -> None:
    assert match_authors("Glen", NAMES).people == ("Glenn",)  # the start of a name
    m = match_authors("Glnn", NAMES)
    assert m.people == () and m.how is None and m.suggestions[0] == "Glenn"
    assert "Elaine" in match_authors("Elane", NAMES).suggestions
    assert match_authors("Zzyzx", NAMES).suggestions == ()
    assert match_authors("   ", NAMES).people == ()
    assert closest_names("lora", NAMES)[:2] == ["Laura K", "Laura Krome"]


def test_an_author_with_nothing_quotable_is_told_so() -> None:
    """Found by the property test: a commenter whose only comment is "the" got an empty
    summary with no message at all."""
    import datetime as dt

    from bot.corpus.model import Comment, Document
    from tests.summary.conftest import make_summarizer

    doc = Document("d0", "Doc 0", "x", (Comment("c0", "ann", dt.date(2020, 1, 1), "the"),))
    summary = make_summarizer(doc).summarize(None, "ann", 1)
    assert not summary.sentences
    assert summary.message and "ann" in summary.message
