from __future__ import annotations

import datetime as dt
import json

from bot.corpus.model import format_date
from bot.presentation.summary_text import render_text, summary_json
from bot.summary import Summarizer, Summary, SummarySentence
from tests.summary.conftest import DISCLAIMER, make_doc, make_summarizer


def sentence(position: int, text: str, comment: str | None = "c1", author: str | None = "Ann"):
    return SummarySentence(
        document_id="d",
        document_title="Doc",
        kind="comment" if comment else "article",
        comment_id=comment,
        author=author if comment else None,
        date=dt.date(2012, 2, 17) if comment else None,
        text=text,
        start=0,
        end=len(text),
        position=position,
    )


def test_text_quotes_each_sentence_with_author_and_date_and_ends_with_the_disclaimer() -> None:
    summary = Summary(
        "discussion",
        "Overview line.",
        (
            sentence(0, "The article says this.", comment=None),
            sentence(3, "First.", "c1"),
            sentence(4, "Second.", "c1"),
            sentence(9, "Later.", "c1"),
            sentence(12, "Other\nlines.", "c2", "Bo"),
        ),
        DISCLAIMER,
    )
    text = render_text(summary)
    assert text.startswith("Overview line.\n\n")
    assert text.endswith(DISCLAIMER)
    assert "> The article says this.\n— Doc" in text  # the title, as on Discord
    # consecutive sentences of one comment share one attribution; a gap shows as …
    assert "> First.\n> Second.\n> …\n> Later.\n— Ann · Feb 17, 2012" in text
    assert "> Other\n> lines.\n— Bo · Feb 17, 2012" in text
    assert text.count("— Ann") == 1


def test_mentions_are_neutralized() -> None:
    doc = make_doc(
        "d", [("Ann", "2020-01-01", "Botox helped me a lot, @everyone should try it <@123>.")]
    )
    text = render_text(make_summarizer(doc).summarize(author="Ann"))
    assert "@everyone" not in text and "<@123>" not in text
    assert "@\u200beveryone" in text


def test_messages_come_before_the_quotes() -> None:
    summary = Summary("author", "Who.", (sentence(1, "Quote."),), DISCLAIMER, "A note.")
    text = render_text(summary)
    assert text.index("A note.") < text.index("> Quote.") < text.index(DISCLAIMER)


def test_several_documents_get_headings() -> None:
    a = sentence(1, "In a.")
    b = SummarySentence("e", "Other doc", "comment", "c9", "Bo", None, "In b.", 0, 5, 7)
    text = render_text(Summary("discussion", "", (a, b), DISCLAIMER))
    assert "From “Doc”:" in text and "From “Other doc”:" in text
    assert "— Bo · undated" in text


def test_json_shape(seed_summarizer: Summarizer) -> None:
    for summary in (
        seed_summarizer.summarize(),
        seed_summarizer.summarize(topic="cost"),
        seed_summarizer.summarize(author="Elaine"),
        seed_summarizer.summarize(author="Nobody"),
    ):
        data = json.loads(json.dumps(summary_json(summary)))
        assert {"kind", "overview", "sentences", "disclaimer", "message"} <= set(data)
        assert data["kind"] in {"discussion", "topic", "author"}
        assert isinstance(data["overview"], str) and data["disclaimer"]
        assert data["note"] is None or isinstance(data["note"], str)
        for s, original in zip(data["sentences"], summary.sentences, strict=True):
            assert {"author", "date", "comment_id", "text"} <= set(s)
            assert s["text"] == original.text and s["comment_id"] == original.comment_id
            assert s["date"] == (original.date.isoformat() if original.date else None)
        assert data["message"] == render_text(summary)
    nobody = summary_json(seed_summarizer.summarize(author="Nobody"))
    assert nobody["sentences"] == [] and nobody["note"] and nobody["suggestions"]


def test_attribution_uses_the_project_date_format(seed_summarizer: Summarizer) -> None:
    summary = seed_summarizer.summarize(author="glenn")
    text = render_text(summary)
    for s in summary.sentences:
        assert f"— Glenn · {format_date(s.date)}" in text
