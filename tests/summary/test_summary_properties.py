"""Made-up discussions of every shape: no exceptions, and the promises hold."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.corpus.model import Comment, Document
from bot.discord_adapter.cards import LIMITS, summary_card
from bot.summary import MAX_SENTENCES, SummaryRequestError
from bot.summary.selection import share_out
from tests.summary.conftest import make_summarizer

WORDS = ["Botox", "neck", "pain", "cost", "paid", "side", "effects", "relief", "the", "and", "🙂"]
SEPARATORS = [" ", ". ", "! ", "? ", "\n", "… ", ", "]
NAMES = ["Ann", "ann", "Ann Lee", "Bo", "Cy Dee", "@here"]

text = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=25).map(
    lambda parts: "".join(w + s for w, s in parts).strip()
)
comment = st.tuples(st.sampled_from(NAMES), st.integers(1, 28), text)


@st.composite
def documents(draw: st.DrawFn) -> tuple[Document, ...]:
    docs = []
    for d in range(draw(st.integers(0, 2))):
        raw = draw(st.lists(comment, max_size=6))
        comments = tuple(
            Comment(f"c{i}", name, dt.date(2020, 1, day), body)
            for i, (name, day, body) in enumerate(raw)
            if body
        )
        docs.append(Document(f"d{d}", f"Doc {d}", draw(text), comments))
    return tuple(docs)


@settings(max_examples=60, deadline=None)
@given(
    docs=documents(),
    n=st.integers(-2, MAX_SENTENCES + 2),
    topic=st.none() | st.sampled_from(["cost", "side effects", "the", "🙂", "neck pain", "zzz"]),
    author=st.none() | st.sampled_from(["ann", "Ann Lee", "bo", "Nobody", "  "]),
)
def test_any_discussion_summarizes_without_error(
    docs: tuple[Document, ...], n: int, topic: str | None, author: str | None
) -> None:
    summarizer = make_summarizer(*docs)
    if not 1 <= n <= MAX_SENTENCES:
        try:
            summarizer.summarize(topic, author, n)
        except SummaryRequestError:
            return
        raise AssertionError("a bad length was accepted")
    summary = summarizer.summarize(topic, author, n)
    assert len(summary.sentences) <= n
    assert summary.sentences or summary.message
    positions = [s.position for s in summary.sentences]
    assert positions == sorted(set(positions))
    by_id = {d.id: d for d in docs}
    for s in summary.sentences:
        doc = by_id[s.document_id]
        source = doc.article if s.comment_id is None else doc.comment(s.comment_id).text
        assert source[s.start : s.end] == s.text
        if author is not None and s.author is not None:
            assert s.author.casefold().startswith(author.strip().casefold().split()[0])
    # Themes only group the quotes: each quote under exactly one heading, none invented.
    grouped = [p for theme in summary.themes for p in theme.sentences]
    assert sorted(grouped) == positions
    assert all(theme.heading.strip() for theme in summary.themes)
    card = summary_card(summary)
    assert card.size <= LIMITS["total"] and len(card.fields) <= LIMITS["fields"]
    assert all(len(f.value) <= LIMITS["field_value"] for f in card.fields)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 30), sizes=st.lists(st.integers(0, 12), max_size=6))
def test_sentences_are_shared_out_fairly(n: int, sizes: list[int]) -> None:
    named = {f"d{i}": size for i, size in enumerate(sizes)}
    share = share_out(n, named)
    assert sum(share.values()) == min(n, sum(sizes))
    assert all(0 < k <= named[d] for d, k in share.items())
    if n >= sum(1 for size in sizes if size):
        assert set(share) == {d for d, size in named.items() if size}
