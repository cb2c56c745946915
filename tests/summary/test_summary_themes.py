"""Theme headings: drawn from the discussion, counted over it, every quote under exactly one."""

from __future__ import annotations

from bot.retrieval.tokenize import Tokenizer
from bot.summary import Summarizer
from bot.summary.themes import ARTICLE, OTHER, themes
from tests.summary.conftest import make_doc, make_summarizer

FILLER = "Botox was given to me and I will see how it goes this year."


def test_headings_are_shared_rare_words_and_common_ones_are_not() -> None:
    comments = [
        ("Ann", "2020-01-01", "Acupuncture helped my Botox work. " + FILLER),
        ("Bo", "2020-01-02", "I tried acupuncture with Botox too. " + FILLER),
        ("Cy", "2020-01-03", "Acupuncture did little for me. " + FILLER),
        ("Di", "2020-01-04", "Topamax made me lose words. " + FILLER),
        ("Ed", "2020-01-05", "Topamax fog is real with Botox. " + FILLER),
        ("Flo", "2020-01-06", "Botox worked in the first year. " + FILLER),
        *[(f"P{i}", f"2020-02-{i + 1:02d}", FILLER) for i in range(8)],
    ]
    summarizer = make_summarizer(make_doc("d", comments))
    everything = [c for c in summarizer.candidates]
    quoted = [c for c in everything if c.text.startswith(("Acupuncture helped", "Topamax made"))]
    quoted += [c for c in everything if c.text.startswith("Botox worked")]
    found = themes(quoted, everything, Tokenizer().term)
    by_heading = {t.heading: t for t in found}
    assert by_heading["Acupuncture"].comments == 3
    assert by_heading["Topamax"].comments == 2
    assert "Botox" not in by_heading  # in every comment: it would head everything
    assert len(by_heading[OTHER].sentences) == 1 and found[-1].heading == OTHER
    assert sorted(p for t in found for p in t.sentences) == sorted(c.position for c in quoted)


def test_the_seed_discussion_by_theme(seed_summarizer: Summarizer) -> None:
    comments = [c for d in seed_summarizer.documents for c in d.comments]
    tokenizer = seed_summarizer.tokenizer
    for summary in (
        seed_summarizer.summarize(sentences=14),
        seed_summarizer.summarize(topic="neck and shoulders"),
        seed_summarizer.summarize(author="Elaine"),
    ):
        positions = [s.position for s in summary.sentences]
        assert sorted(p for t in summary.themes for p in t.sentences) == positions
        by_position = {s.position: s for s in summary.sentences}
        for theme in summary.themes:
            quotes = [by_position[p] for p in theme.sentences]
            if theme.heading == ARTICLE:
                assert summary.themes[0] is theme and all(q.kind == "article" for q in quotes)
                continue
            assert all(q.kind == "comment" for q in quotes)
            if theme.heading == OTHER:
                continue
            # Drawn from the discussion: comments use it, and the count says how many (a lexicon
            # heading also counts its synonyms), never most of the discussion.
            words = set(tokenizer(theme.heading))
            using = [c for c in comments if words <= set(tokenizer(c.text))]
            assert theme.comments is not None and 2 <= theme.comments <= len(comments) // 4
            assert theme.comments >= len(using) >= 1
        # A comment's quotes are never split between headings.
        home = {}
        for theme in summary.themes:
            for p in theme.sentences:
                home.setdefault(by_position[p].comment_id, set()).add(theme.heading)
        assert all(len(h) == 1 for c, h in home.items() if c is not None)


def test_a_topic_is_not_its_own_heading(seed_summarizer: Summarizer) -> None:
    summary = seed_summarizer.summarize(topic="Topamax")
    assert len(summary.sentences) >= 3
    assert all(t.heading.casefold() != "topamax" for t in summary.themes)
    # …but what several of its quotes share is ("Dopamax", as two commenters call it)
    assert any(len(t.sentences) >= 2 and t.comments for t in summary.themes)
