"""/summary as a Discord card: themes as fields, author and date on every quote, within limits."""

from __future__ import annotations

import re

from bot.discord_adapter.cards import LIMITS, summary_card
from bot.summary import Summarizer
from tests.summary.conftest import make_doc, make_summarizer

ATTRIBUTION = re.compile(r"^— (.+) · (\w{3} \d{1,2}, \d{4}|undated)$", re.MULTILINE)


def test_each_theme_is_a_field_with_its_count_and_every_quote_is_attributed(
    seed_summarizer: Summarizer,
) -> None:
    summary = seed_summarizer.summarize(sentences=14)
    card = summary_card(summary)
    names = [f.name for f in card.fields]
    assert names[0] == "The article"
    counted = [t for t in summary.themes if t.comments is not None]
    assert counted and all(f"{t.heading} ({t.comments} comments)" in names for t in counted)
    assert card.footer == summary.disclaimer
    for field, theme in zip(card.fields[1:], summary.themes[1:], strict=True):
        # one attribution line per comment quoted under the theme, naming its author
        authors = {s.author for s in summary.sentences if s.position in theme.sentences}
        found = ATTRIBUTION.findall(field.value)
        assert {who for who, _ in found} == authors
    assert card.size <= LIMITS["total"]


def test_a_summary_too_long_for_one_card_says_what_was_left_out() -> None:
    long = " ".join(["Botox eased my neck and shoulder pain within weeks of the first round"] * 3)
    comments = [
        (f"Person{i}", f"2020-01-{i + 1:02d}", f"{long} number {i}. " * 2) for i in range(25)
    ]
    summarizer = make_summarizer(make_doc("d", comments), max_words=200)
    summary = summarizer.summarize(sentences=25)
    card = summary_card(summary)
    assert card.size <= LIMITS["total"] and len(card.fields) <= LIMITS["fields"]
    assert all(len(f.value) <= LIMITS["field_value"] for f in card.fields)
    assert all(len(f.name) <= LIMITS["field_name"] for f in card.fields)
    # one attribution line per quoted comment (or the article)
    shown = sum(line.startswith("— ") for f in card.fields for line in f.value.split("\n"))
    quoted = len({s.comment_id for s in summary.sentences})
    assert shown < quoted
    assert card.fields[-1].name == "More"
    assert shown + int(card.fields[-1].value.split()[0]) == quoted
    assert "fewer sentences" in card.fields[-1].value


def test_markdown_and_mentions_in_quotes_are_made_harmless() -> None:
    doc = make_doc(
        "d",
        [
            ("Ann", "2020-01-01", "Topamax made **everything** foggy, @everyone knows it."),
            ("Bo", "2020-01-02", "Topamax fog for me too <@123>."),
        ],
    )
    card = summary_card(make_summarizer(doc).summarize(author="Ann"))
    text = "\n".join(f.value for f in card.fields)
    assert "\\*\\*everything\\*\\*" in text and "@everyone" not in text
