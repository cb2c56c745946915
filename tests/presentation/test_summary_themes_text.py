"""A summary by theme in the terminal and in JSON: headings, counts, every quote once."""

from __future__ import annotations

import json

from bot.presentation.summary_text import render_text, summary_json
from bot.summary import Summarizer


def test_text_puts_each_quote_under_its_heading(seed_summarizer: Summarizer) -> None:
    summary = seed_summarizer.summarize(topic="Topamax")
    text = render_text(summary)
    assert text.endswith(summary.disclaimer)
    starts = []
    for theme in summary.themes:
        heading = (
            theme.heading
            if theme.comments is None
            else (f"{theme.heading} ({theme.comments} comments)")
        )
        at = text.index(f"\n\n{heading}\n\n")
        starts.append(at)
        for p in theme.sentences:
            quote = next(s for s in summary.sentences if s.position == p)
            where = text.index(f"> {quote.text.splitlines()[0]}")
            assert where > at  # under its own heading…
            nxt = [s for s in starts if s > at]
            assert not nxt or where < min(nxt)
    assert starts == sorted(starts)  # …and headings in the summary's order
    for s in summary.sentences:  # still attributed
        assert f"— {s.author} · " in text


def test_json_themes_index_every_sentence_once(seed_summarizer: Summarizer) -> None:
    for summary in (
        seed_summarizer.summarize(),
        seed_summarizer.summarize(author="Betsy"),
        seed_summarizer.summarize(author="Nobody"),
    ):
        data = json.loads(json.dumps(summary_json(summary)))
        indices = sorted(i for t in data["themes"] for i in t["sentences"])
        assert indices == list(range(len(data["sentences"])))
        for theme in data["themes"]:
            assert theme["heading"] and (theme["comments"] is None or theme["comments"] >= 2)
