"""Behaviour of the three kinds of summary, on the seed discussion and on odd made-up ones."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Config
from bot.corpus.model import Document, format_date
from bot.engine import Engine
from bot.retrieval.tokenize import Tokenizer
from bot.summary import MAX_SENTENCES, Summarizer, Summary, SummaryRequestError
from tests.helpers import write
from tests.summary.conftest import make_doc, make_summarizer

TOKENIZE = Tokenizer()


def assert_verbatim_and_attributed(summary: Summary, documents: tuple[Document, ...]) -> None:
    by_id = {d.id: d for d in documents}
    for s in summary.sentences:
        doc = by_id[s.document_id]
        assert s.document_title == doc.title
        if s.kind == "article":
            assert s.comment_id is None and s.author is None and s.date is None
            assert doc.article[s.start : s.end] == s.text
        else:
            comment = doc.comment(s.comment_id or "")
            assert comment.text[s.start : s.end] == s.text
            assert (s.author, s.date) == (comment.author, comment.date)


def page_order(summary: Summary, documents: tuple[Document, ...]) -> list[tuple[int, int, int]]:
    doc_index = {d.id: i for i, d in enumerate(documents)}
    keys = []
    for s in summary.sentences:
        doc = documents[doc_index[s.document_id]]
        where = -1 if s.comment_id is None else [c.id for c in doc.comments].index(s.comment_id)
        keys.append((doc_index[s.document_id], where, s.start))
    return keys


def assert_no_near_duplicates(summary: Summary) -> None:
    texts = [" ".join(s.text.casefold().split()) for s in summary.sentences]
    assert len(set(texts)) == len(texts)
    for a, b in itertools.combinations(summary.sentences, 2):
        ta, tb = set(TOKENIZE(a.text)), set(TOKENIZE(b.text))
        if ta and tb:
            assert len(ta & tb) / len(ta | tb) < 0.8, (a.text, b.text)


# -- the whole discussion -----------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 3, 8, 15])
def test_discussion_summary_quotes_n_sentences_verbatim_in_page_order(
    seed_summarizer: Summarizer, n: int
) -> None:
    summary = seed_summarizer.summarize(sentences=n)
    docs = seed_summarizer.documents
    assert summary.kind == "discussion" and len(summary.sentences) == n
    assert_verbatim_and_attributed(summary, docs)
    order = page_order(summary, docs)
    assert order == sorted(order) and len(set(order)) == n
    assert_no_near_duplicates(summary)
    assert summary.disclaimer and summary.message is None


def test_discussion_overview_names_the_document_counts_and_dates(
    seed_summarizer: Summarizer,
) -> None:
    (doc,) = seed_summarizer.documents
    overview = seed_summarizer.summarize().overview
    dates = sorted(c.date for c in doc.comments if c.date)
    commenters = {c.author.casefold() for c in doc.comments}
    assert doc.title in overview
    assert f"{len(doc.comments)} comments from {len(commenters)} commenters" in overview
    assert format_date(dates[0]) in overview and format_date(dates[-1]) in overview


def test_discussion_summary_hears_from_many_commenters(seed_summarizer: Summarizer) -> None:
    summary = seed_summarizer.summarize(sentences=10)
    comments = [s.comment_id for s in summary.sentences if s.comment_id]
    assert len(set(comments)) == len(comments)  # one sentence per comment while others remain


def test_default_lengths_come_from_the_settings(seed_summarizer: Summarizer) -> None:
    s = seed_summarizer.settings
    assert len(seed_summarizer.summarize().sentences) == s.sentences
    assert len(seed_summarizer.summarize(author="Glenn").sentences) == s.author_sentences


@pytest.mark.parametrize("n", [0, -1, MAX_SENTENCES + 1, 2.5, True, "3"])
def test_bad_lengths_are_refused_clearly(seed_summarizer: Summarizer, n: object) -> None:
    with pytest.raises(SummaryRequestError, match=f"from 1 to {MAX_SENTENCES}"):
        seed_summarizer.summarize(sentences=n)  # type: ignore[arg-type]


def test_more_sentences_than_there_are_gives_them_all() -> None:
    doc = make_doc("d", [("Ann", "2020-01-01", "Botox helped my neck pain a lot.")], article="")
    summary = make_summarizer(doc).summarize(sentences=MAX_SENTENCES)
    assert [s.text for s in summary.sentences] == ["Botox helped my neck pain a lot."]


def test_a_repeated_comment_is_quoted_once() -> None:
    same = "Botox gave me terrible neck pain for weeks afterwards."
    doc = make_doc(
        "d",
        [
            ("Ann", "2020-01-01", same),
            ("Bo", "2020-01-02", same),
            ("Cy", "2020-01-03", f"{same} Then the neck pain went away."),
            ("Di", "2020-01-04", "Triptans work better for me since the injections."),
        ],
    )
    summary = make_summarizer(doc).summarize(sentences=5)
    assert [s.text for s in summary.sentences].count(same) == 1
    assert_no_near_duplicates(summary)


def test_the_article_leads_a_discussion_summary_but_not_alone() -> None:
    article = (
        "Botox relaxes muscles. It also blocks pain messages to the brain. Studies are needed."
    )
    comments = [
        (f"P{i}", f"2020-01-{i + 1:02d}", f"Botox and pain messages, comment {i} says relief.")
        for i in range(6)
    ]
    summarizer = make_summarizer(make_doc("d", comments, article=article))
    kinds = [s.kind for s in summarizer.summarize(sentences=4).sentences]
    assert kinds.count("article") == 3  # up to article_sentences, at most three quarters
    assert kinds[:3] == ["article", "article", "article"]
    two = [s.kind for s in summarizer.summarize(sentences=2).sentences]
    assert two == ["article", "comment"]


# -- topics ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("topic", ["side effects", "cost", "neck pain", "topamax", "blurry vision"])
def test_topic_summaries_quote_only_matches_and_their_neighbours(
    seed_summarizer: Summarizer, topic: str
) -> None:
    summary = seed_summarizer.summarize(topic=topic)
    assert summary.kind == "topic" and summary.topic == topic and summary.sentences
    assert_verbatim_and_attributed(summary, seed_summarizer.documents)
    assert_no_near_duplicates(summary)
    terms = set(seed_summarizer.query(topic).terms)
    shown = {(s.comment_id, s.position): s for s in summary.sentences}
    matching = {k for k, s in shown.items() if terms & set(TOKENIZE(s.text))}
    assert matching
    for (comment, position), s in shown.items():
        if (comment, position) in matching:
            continue
        # a context sentence: right next to a matching one of the same comment, shown too
        assert (comment, position - 1) in matching or (comment, position + 1) in matching, s.text
    order = page_order(summary, seed_summarizer.documents)
    assert order == sorted(order)


def test_a_topic_found_through_synonyms(seed_summarizer: Summarizer) -> None:
    summary = seed_summarizer.summarize(topic="cost")
    joined = " ".join(s.text for s in summary.sentences).casefold()
    assert "pay" in joined or "paid" in joined  # lexicon: cost ↔ pay, paid, self-paid
    assert "cost" in joined


def test_topic_overview_counts_the_matches(seed_summarizer: Summarizer) -> None:
    summary = seed_summarizer.summarize(topic="cost", sentences=2)
    assert len(summary.sentences) == 2
    assert summary.overview.startswith("“cost” in “")
    assert "match" in summary.overview


@pytest.mark.parametrize("topic", ["the and of", "🙂🙂", "   ?!  ", "what is it"])
def test_a_topic_with_nothing_to_search_for_gets_suggestions(
    seed_summarizer: Summarizer, topic: str
) -> None:
    summary = seed_summarizer.summarize(topic=topic)
    assert summary.sentences == () and summary.message
    assert "no words to search for" in summary.message
    assert "Try one of these topics:" in summary.message and summary.suggestions


def test_a_topic_nobody_mentions_gets_suggestions_that_work(seed_summarizer: Summarizer) -> None:
    summary = seed_summarizer.summarize(topic="insulin pump")
    assert summary.sentences == () and summary.kind == "topic"
    assert "Nothing in the discussion matches “insulin pump”" in (summary.message or "")
    assert len(summary.suggestions) >= 3
    for suggestion in summary.suggestions:
        assert seed_summarizer.summarize(topic=suggestion).sentences, suggestion


def test_a_misspelt_topic_gets_a_did_you_mean() -> None:
    doc = make_doc("d", [("Ann", "2020-01-01", "The acupuncture sessions helped my migraines.")])
    summary = make_summarizer(doc).summarize(topic="acupunctre")
    assert "Did you mean “acupuncture”?" in (summary.message or "")


# -- one commenter --------------------------------------------------------------------------------


def test_author_summary_is_only_theirs_and_dates_every_comment(
    seed_summarizer: Summarizer,
) -> None:
    (doc,) = seed_summarizer.documents
    summary = seed_summarizer.summarize(author="glenn")
    theirs = [c for c in doc.comments if c.author.casefold() == "glenn"]
    assert len(theirs) == 2
    assert summary.kind == "author" and summary.sentences
    assert {s.author for s in summary.sentences} == {"Glenn"}
    assert {s.comment_id for s in summary.sentences} == {c.id for c in theirs}  # both comments
    for c in theirs:
        assert format_date(c.date) in summary.overview
    assert_verbatim_and_attributed(summary, seed_summarizer.documents)
    assert page_order(summary, seed_summarizer.documents) == sorted(
        page_order(summary, seed_summarizer.documents)
    )


def test_an_author_summary_leaves_out_sentences_too_short_to_say_much() -> None:
    doc = make_doc(
        "d",
        [
            ("Ann", "2020-01-01", "It didn't help. My neck pain eased after the injections."),
            ("Ann", "2020-02-01", "Botox lowered my migraine days from twenty to eight."),
            ("Bo", "2020-01-02", "Nothing here."),
        ],
    )
    quoted = {s.text for s in make_summarizer(doc).summarize(author="Ann", sentences=2).sentences}
    assert quoted == {
        "My neck pain eased after the injections.",
        "Botox lowered my migraine days from twenty to eight.",
    }

    def pool(summarizer: Summarizer) -> set[str]:
        return {summarizer.candidates[i].text for i in summarizer.author_pool("Ann", 2)}

    assert "It didn't help." not in pool(make_summarizer(doc))
    # two index terms are enough where the settings say so, and when nothing longer is left
    assert "It didn't help." in pool(make_summarizer(doc, author_min_terms=2))
    everything = make_summarizer(doc).summarize(author="Ann", sentences=3)
    assert "It didn't help." in {s.text for s in everything.sentences}


def test_an_exact_name_is_shown_and_namesakes_are_named(seed_summarizer: Summarizer) -> None:
    summary = seed_summarizer.summarize(author="Elaine")
    assert {s.author for s in summary.sentences} == {"Elaine"}
    assert "Elaine Axten" in (summary.message or "")
    assert "Elaine Axten" not in summary.overview
    axten = seed_summarizer.summarize(author="elaine axten")
    assert {s.author for s in axten.sentences} == {"Elaine Axten"} and axten.message is None


def test_a_shared_first_name_shows_everyone_and_says_so(seed_summarizer: Summarizer) -> None:
    summary = seed_summarizer.summarize(author="laura", sentences=10)
    assert {s.author for s in summary.sentences} == {"Laura K", "Laura Krome"}
    assert "Laura K" in summary.overview and "Laura Krome" in summary.overview
    assert "matches 2 commenters" in (summary.message or "")


def test_an_unknown_author_gets_the_closest_names(seed_summarizer: Summarizer) -> None:
    summary = seed_summarizer.summarize(author="Glnn")
    assert summary.sentences == () and summary.suggestions[0] == "Glenn"
    assert "No commenter is called “Glnn”" in (summary.message or "")
    nobody = seed_summarizer.summarize(author="Nobody")
    assert nobody.sentences == () and nobody.suggestions  # some names to try anyway
    names = {c.author for c in seed_summarizer.documents[0].comments}
    assert set(nobody.suggestions) <= names


def test_author_and_topic_together(seed_summarizer: Summarizer) -> None:
    summary = seed_summarizer.summarize(author="Elaine", topic="topamax")
    assert summary.kind == "author" and summary.sentences
    assert {s.author for s in summary.sentences} == {"Elaine"}
    assert any("topamax" in s.text.casefold() for s in summary.sentences)
    none = seed_summarizer.summarize(author="Kayleen", topic="cost")
    assert none.sentences == () and "Kayleen" in (none.message or "")


# -- odd corpora ----------------------------------------------------------------------------------


def test_a_document_without_comments() -> None:
    doc = make_doc("d", [], article="Botox is a treatment. Some find relief. Others do not.")
    s = make_summarizer(doc)
    summary = s.summarize(sentences=5)
    assert "no comments yet" in summary.overview
    assert [x.kind for x in summary.sentences] == ["article"] * 3
    assert s.summarize(topic="relief").sentences
    nobody = s.summarize(author="Ann")
    assert nobody.sentences == () and "Nobody has commented yet" in (nobody.message or "")


def test_nothing_at_all() -> None:
    s = make_summarizer()
    assert s.summarize().sentences == () and s.summarize().message
    assert s.summarize(topic="cost").sentences == ()
    assert s.summarize(author="Ann").sentences == ()


def test_sentences_without_words_are_never_quoted() -> None:
    doc = make_doc("d", [("Ann", "2020-01-01", "🙂"), ("Bo", "2020-01-02", "!!!")], article="")
    s = make_summarizer(doc)
    assert s.summarize(sentences=5).sentences == ()
    assert s.summarize(author="Ann").sentences == ()


def test_several_documents_are_named_and_kept_apart(
    tmp_path: Path, config: Config, seed_text: str
) -> None:
    write(tmp_path / "botox.txt", seed_text)
    write(
        tmp_path / "cgrp.yaml",
        "title: CGRP injections\n"
        "article: CGRP antibodies are a newer preventive treatment.\n"
        "comments:\n"
        "  - author: Elaine\n    date: 2020-05-01\n"
        "    text: Aimovig cost me a lot but my migraines dropped by half.\n"
        "  - author: Sam\n    date: 2020-05-02\n"
        "    text: Constipation was a side effect for me on Aimovig.\n",
    )
    eng = Engine(replace(config, corpus=tmp_path))
    docs = eng.snapshot.documents
    assert len(docs) == 2
    summary = eng.summarize(sentences=12)
    for d in docs:
        assert d.title in summary.overview
    assert {s.document_id for s in summary.sentences} == {d.id for d in docs}
    assert_verbatim_and_attributed(summary, docs)
    order = page_order(summary, docs)
    assert order == sorted(order)
    cost = eng.summarize(topic="cost")
    assert_verbatim_and_attributed(cost, docs)
    assert "Aimovig cost me a lot but my migraines dropped by half." in [
        s.text for s in cost.sentences
    ]
    elaine = eng.summarize(author="Elaine", sentences=25)
    assert {s.document_id for s in elaine.sentences} == {d.id for d in docs}
    assert "CGRP injections" in elaine.overview and docs[0].title in elaine.overview
