"""A topic that asks a question of time matches the sentences that say when."""

from __future__ import annotations

import pytest

from bot.summary.asks import TIME, asked_kinds, has_kind
from bot.summary.topics import topic_query
from tests.summary.conftest import make_doc, make_summarizer


@pytest.mark.parametrize(
    ("topic", "words"),
    [
        ("how long until it works", ("long",)),
        ("How soon does it help?", ("soon",)),
        ("when does Botox kick in", ("when",)),
        ("time to work", ("time",)),
        ("Until it kicks in", ("until",)),
        ("the time it takes", ("time",)),
        ("how many weeks before relief", ()),
    ],
)
def test_questions_of_time_ask_for_time_and_name_their_question_words(
    topic: str, words: tuple[str, ...]
) -> None:
    assert asked_kinds(topic) == ((TIME,), words)


@pytest.mark.parametrize(
    "topic",
    [
        "side effects",
        "cost and insurance",
        "long term",
        "neck",
        "side effects when pregnant",  # "when" inside a topic is a condition, not a question
        "what to do until the pharmacy opens",
        "time to switch doctors",
    ],
)
def test_other_topics_ask_for_nothing_beyond_their_words(topic: str) -> None:
    assert asked_kinds(topic) == ((), ())


@pytest.mark.parametrize(
    "text",
    [
        "Within a couple of weeks I felt the same.",
        "After about 5-6 weeks I noticed a change.",
        "About a month after the first treatment it dropped.",
        "Three days ago I tried it.",
        "I had NO relief thus far from 1st set.",
        "My doc had me try at least 3 rounds before deciding.",
        "I couldn't report in till mid March.",
        "It took effect slowly.",
    ],
)
def test_durations_courses_and_time_words_are_time(text: str) -> None:
    assert has_kind(text, TIME)


@pytest.mark.parametrize(
    "text",
    [
        "I get Botox injections every 3 months.",
        "I get 15 migraines a month.",
        "The pain level varies from a 3 to 6.",
        "It has decreased the severity of the pain.",
    ],
)
def test_rates_and_plain_statements_are_not_time(text: str) -> None:
    assert not has_kind(text, TIME)


def test_an_asked_kind_is_required_and_weighs_as_much_as_the_words() -> None:
    q = topic_query(["work"], [1.0], kinds=(TIME,))

    def idf(term: str) -> float:
        return 2.0

    assert q.coverage({"work"}, idf) == 0.0  # no time expression: no match
    assert q.coverage({"month"}, idf, frozenset({TIME})) == 0.5
    assert q.coverage({"work"}, idf, frozenset({TIME})) == 1.0
    assert topic_query([], [], kinds=(TIME,)).coverage(set(), idf, frozenset({TIME})) == 1.0


def _timing_doc():
    return make_doc(
        "d",
        [
            (
                "Ann",
                "2020-01-01",
                "Within a couple of weeks the attacks were blocked. I love cats.",
            ),
            ("Bob", "2020-01-02", "It worked wonders for my neck pain."),
            ("Cy", "2020-01-03", "After the second round it finally started to work for me."),
            ("Di", "2020-01-04", "My dog is long and lazy."),
        ],
    )


def test_a_question_of_time_quotes_sentences_that_say_when() -> None:
    summary = make_summarizer(_timing_doc()).summarize(topic="how long until it works")
    quoted = {s.text for s in summary.sentences}
    assert "Within a couple of weeks the attacks were blocked." in quoted
    assert "After the second round it finally started to work for me." in quoted
    # "long" was the question, not the subject; a sentence with no time in it does not match
    assert "My dog is long and lazy." not in quoted
    assert "It worked wonders for my neck pain." not in quoted


def test_without_topic_kinds_the_question_word_is_searched_as_written() -> None:
    summarizer = make_summarizer(_timing_doc(), topic_kinds=False)
    summary = summarizer.summarize(topic="how long until it works")
    assert "Within a couple of weeks the attacks were blocked." not in {
        s.text for s in summary.sentences
    }


def test_a_topic_that_is_only_a_question_of_time_still_finds_its_sentences() -> None:
    summary = make_summarizer(_timing_doc()).summarize(topic="how long")
    quoted = {s.text for s in summary.sentences}
    assert "Within a couple of weeks the attacks were blocked." in quoted
    assert "After the second round it finally started to work for me." in quoted
    assert "My dog is long and lazy." not in quoted
