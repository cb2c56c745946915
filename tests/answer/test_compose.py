from __future__ import annotations

import re

import pytest

from bot.answer.compose import MAX_QUESTION_CHARS
from bot.corpus.model import format_date
from bot.engine import Engine
from bot.presentation.quotes import quote_attribution
from bot.presentation.reply_text import render_text, reply_json

QUESTIONS = [
    "How often do people get Botox injections?",
    "did it mess with anyone's eyesight?",
    "Does botox help with neck pain?",
    "how much does it cost?",
    "did it stop working for anyone?",
    "what did the FDA warn about?",
    "loss of words topamax",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_quotes_are_verbatim_and_correctly_attributed(engine: Engine, question: str) -> None:
    reply = engine.ask(question)
    assert reply.answered
    docs = {d.id: d for d in engine.snapshot.documents}
    keys = [q.passage.key for q in reply.quotes]
    assert len(keys) == len(set(keys)), "at most one quote per comment"
    assert 1 <= len(reply.quotes) <= engine.config.top_k
    message = render_text(reply)
    for q in reply.quotes:
        doc = docs[q.passage.document_id]
        if q.passage.kind == "article":
            assert q.text in doc.article
            assert quote_attribution(q) == doc.title
        else:
            comment = doc.comment(q.passage.comment_id or "")
            assert q.text in comment.text
            assert q.passage.author == comment.author and q.passage.date == comment.date
            assert quote_attribution(q).startswith(
                f"{comment.author} · {format_date(comment.date)}"
            )
            parent = doc.parent_author(comment)
            assert (f"replying to {parent}" in quote_attribution(q)) == (parent is not None)
        assert quote_attribution(q) in message
        for line in q.text.split("\n"):
            assert line in message


def test_scores_are_best_first(engine: Engine) -> None:
    reply = engine.ask("How often do people get Botox injections?")
    scores = [q.score for q in reply.quotes]
    assert scores == sorted(scores, reverse=True)


def test_main_example_quotes_several_commenters_with_dates(engine: Engine) -> None:
    reply = engine.ask("How often do people get Botox injections?")
    authors = {q.passage.author for q in reply.quotes if q.passage.kind == "comment"}
    assert len(authors) >= 2
    assert render_text(reply).endswith(engine.config.disclaimer)


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of France?",
        "How do I bake sourdough bread?",
        "who won the football world cup",
    ],
)
def test_off_topic_questions_are_not_covered(engine: Engine, question: str) -> None:
    reply = engine.ask(question)
    assert reply.status == "not_covered"
    assert reply.quotes == ()
    message = render_text(reply)
    assert "doesn't cover" in message and message.endswith(engine.config.disclaimer)


def test_not_covered_names_what_the_discussion_never_mentions(engine: Engine) -> None:
    reply = engine.ask("Has anyone switched from Botox to Nurtec?")
    assert reply.status == "not_covered" and reply.quotes == ()
    message = render_text(reply)
    assert "never mentions “nurtec”" in message and message.endswith(engine.config.disclaimer)


@pytest.mark.parametrize(
    "question",
    [
        "I suddenly have the worst headache of my life, is that botox?",
        "my arm is weak and numb on one side after the injection",
        "My speech is slurred since this morning",
        "I have a fever and a stiff neck",
        "I fainted after my shots",
        "had a seizure yesterday",
        "I lost my vision in one eye",
    ],
)
def test_emergency_signs_put_the_urgent_notice_first(engine: Engine, question: str) -> None:
    reply = engine.ask(question)
    assert reply.notice == engine.config.urgent_care.notice
    message = render_text(reply)
    assert message.startswith(engine.config.urgent_care.notice)
    assert message.endswith(engine.config.disclaimer)


@pytest.mark.parametrize(
    "question", ["How often do people get injections?", "did it help with neck pain?", "hello"]
)
def test_no_urgent_notice_for_ordinary_questions(engine: Engine, question: str) -> None:
    assert engine.ask(question).notice is None


LIVE_MENTION = re.compile(r"@(everyone|here)\b|<@[!&]?\d+>|<#\d+>")

BAD_QUESTIONS = [
    "",
    "   \n\t ",
    "x" * 5000,
    "botox " * 900,
    "?!?!...,,,;;",
    "🙂🙂🤔💉",
    "@everyone does botox help?",
    "@here <@123> <@!456> <@&789> <#42> neck pain?",
    "**bold** __under__ `code` > quote ||spoiler|| [link](http://x.y) neck pain",
    "\x00\x07 control \u202e characters",
]


@pytest.mark.parametrize("question", BAD_QUESTIONS)
def test_bad_questions_get_a_clear_reply(engine: Engine, question: str) -> None:
    reply = engine.ask(question)
    message = render_text(reply)
    assert message.endswith(engine.config.disclaimer)
    assert not LIVE_MENTION.search(message)
    if not reply.answered:
        assert reply.explanation and reply.explanation in message
    data = reply_json(reply)
    assert data["message"] == message and data["answered"] == reply.answered


def test_specific_statuses(engine: Engine) -> None:
    assert engine.ask("").status == "empty"
    assert engine.ask("   ").status == "empty"
    assert engine.ask("x" * (MAX_QUESTION_CHARS + 1)).status == "too_long"
    assert engine.ask("?!?!").status == "no_words"
    assert engine.ask("🙂🙂").status == "no_words"


def test_mentions_in_the_corpus_are_neutralized_too(tmp_path, config) -> None:
    from dataclasses import replace

    (tmp_path / "d.yaml").write_text(
        "title: T\narticle: About sleep.\ncomments:\n"
        "  - author: Ann\n    date: 2020-01-01\n    text: '@everyone naps helped <@123> a lot.'\n"
        + "".join(
            f"  - author: P{i}\n    date: 2020-01-0{i}\n    text: Coffee and tea, item {i}.\n"
            for i in range(2, 8)
        ),
        encoding="utf-8",
    )
    eng = Engine(replace(config, corpus=tmp_path))
    reply = eng.ask("did naps help?")
    assert reply.answered
    assert not LIVE_MENTION.search(render_text(reply))


def test_json_shape(engine: Engine) -> None:
    data = reply_json(engine.ask("did it mess with anyone's eyesight?"))
    assert set(data) == {"question", "answered", "answers", "notice", "disclaimer", "message"}
    for a in data["answers"]:
        assert set(a) == {
            "author",
            "date",
            "kind",
            "text",
            "score",
            "document",
            "comment_id",
            "in_reply_to",
        }
        assert a["kind"] in {"comment", "article"}
        assert isinstance(a["score"], float)
        assert a["date"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", a["date"])


def test_with_several_documents_each_quote_names_its_own(tmp_path, config) -> None:
    import shutil
    from dataclasses import replace

    from tests.helpers import SEED

    shutil.copy(SEED, tmp_path / "seed.txt")
    (tmp_path / "other.yaml").write_text(
        "title: Nerve blocks\narticle: About occipital nerve blocks for migraine.\ncomments:\n"
        "  - author: Ann\n    date: 2020-01-01\n    text: The nerve block eased my neck pain.\n",
        encoding="utf-8",
    )
    eng = Engine(replace(config, corpus=tmp_path))
    reply = eng.ask("did a nerve block ease anyone's neck pain?")
    assert reply.answered and len(reply.quotes) >= 2
    for q in reply.quotes:
        if q.passage.kind == "comment":
            assert quote_attribution(q).endswith(f"on “{q.passage.document_title}”")
        else:
            assert quote_attribution(q) == q.passage.document_title
    assert {q.passage.document_title for q in reply.quotes} >= {"Nerve blocks"}


def test_beside_the_notice_only_quotes_about_the_same_signs(engine: Engine) -> None:
    reply = engine.ask("i think im having a stroke rn")
    assert reply.notice == engine.config.urgent_care.notice
    message = render_text(reply)
    assert "I too have had headaches all of my life" not in message
    if reply.quotes:  # then each speaks of a stroke, and the reply says what they are
        assert all("stroke" in q.text.casefold() for q in reply.quotes)
        assert reply.note == engine.config.urgent_care.quotes_note
        assert message.index(reply.notice) < message.index(reply.note) < message.index("> ")
    else:
        assert reply.status == "urgent_no_quotes" and reply.explanation in message


def test_with_nothing_about_the_signs_the_notice_comes_alone(engine: Engine) -> None:
    reply = engine.ask("worst hedache of my life")
    assert reply.notice and reply.quotes == ()
    message = render_text(reply)
    assert message.startswith(reply.notice)
    assert "no quotes are shown" in message and message.endswith(engine.config.disclaimer)


NEAR_MISSES = {
    "what dose of botox is ok for my 9 year old kid": "children or teenagers",
    "is botox safe during pregnancy? im 12 weeks": "pregnancy",
    "can i have botox while im breastfeeding": "breastfeeding",
    "my dog has headaches, would botox help him?": "animals",
}


@pytest.mark.parametrize(("question", "who"), NEAR_MISSES.items())
def test_questions_about_someone_the_discussion_never_covers(
    engine: Engine, question: str, who: str
) -> None:
    reply = engine.ask(question)
    assert reply.status == "not_covered" and reply.quotes == ()
    assert who in reply.people
    message = render_text(reply)
    assert f"nobody there wrote about {who}" in message
    assert "200 units" not in message and "every 12 weeks" not in message


@pytest.mark.parametrize(
    "question",
    ["has anyone tried aimovig", "emgality vs botox?", "AJOVY or botox", "is ibuprofen ok after"],
)
def test_drugs_the_discussion_never_names_in_any_casing(engine: Engine, question: str) -> None:
    reply = engine.ask(question)
    assert reply.status == "not_covered"
    assert reply.unknown_names and "never mentions" in render_text(reply)


@pytest.mark.parametrize(
    "question",
    [
        "did anyone start getting migraines as a kid?",  # their own childhood: covered
        "did botox make anyones migraines worse?",  # "anyones" is English without apostrophe
        "does topamax cause loss of words?",  # a drug the discussion names
        "how many units did betsys neuro use?",  # a commenter's name
        "hahaha does botox help with neck pain?",  # laughter is no drug name
        "thankyou! how often do people get botox injections?",  # two words run together
    ],
)
def test_look_alike_questions_are_still_answered(engine: Engine, question: str) -> None:
    assert engine.ask(question).answered


def test_each_page_is_the_full_rankings_slice(engine: Engine) -> None:
    """A reply ranks only its page and one comment more; "More quotes" asks again with skip.
    The pages must be those of one full ranking, on the hand-labelled questions."""
    from tools.evaluation.questions import load_questions

    searcher, k = engine.snapshot.searcher, engine.config.top_k
    answered = 0
    for question in load_questions()[::4]:
        full = searcher.rank(question.text)
        for skip in (0, k):
            reply = engine.ask(question.text, None, skip)
            if reply.notice or reply.status != "answered":
                assert reply.notice or not full.covered or reply.status == "urgent_no_quotes"
                continue
            answered += 1
            expected = full.hits[skip : skip + k]
            assert [(q.passage, q.score) for q in reply.quotes] == list(expected), question.id
            assert (reply.remaining > 0) == (len(full.hits) > skip + k), question.id
    assert answered > 50
