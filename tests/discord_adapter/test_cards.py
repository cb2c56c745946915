from __future__ import annotations

import re
from dataclasses import replace

from bot.answer.compose import Quote, Reply
from bot.discord_adapter.cards import LIMITS, Card, quote_value, reply_card, safe, summary_card
from bot.engine import Engine
from bot.presentation.quotes import sentence_attribution
from bot.presentation.summary_text import render_text as render_summary
from bot.presentation.summary_text import theme_sentences
from bot.retrieval.passages import Passage

LONG = " ".join(f"Sentence number {i} says something about botox and neck pain." for i in range(60))


def passage(text: str, **changes: object) -> Passage:
    from bot.text.sentences import sentence_spans

    base = Passage(
        index=0,
        document_id="d",
        document_title="Doc",
        source_url="https://example.org/d",
        kind="comment",
        comment_id="ann-2020-01-01",
        author="Ann",
        date=None,
        in_reply_to=None,
        in_reply_to_id=None,
        text=text,
        start=0,
        end=len(text),
        source_length=len(text),
        sentences=tuple(sentence_spans(text)),
    )
    return replace(base, **changes)


def unquote(value: str) -> str:
    body = "\n".join(line[2:] if line.startswith("> ") else "" for line in value.split("\n"))
    return body.strip("…").replace("\\", "")


def within_limits(card: Card) -> bool:
    return (
        len(card.title) <= LIMITS["title"]
        and len(card.description) <= LIMITS["description"]
        and len(card.fields) <= LIMITS["fields"]
        and all(len(f.name) <= 256 and len(f.value) <= 1024 for f in card.fields)
        and len(card.footer) <= LIMITS["footer"]
        and card.size <= LIMITS["total"]
    )


def test_long_quotes_are_cut_at_sentence_ends_and_marked() -> None:
    p = passage(LONG)
    value = quote_value(Quote(p, 1.0, p.text))
    assert len(value) <= 1024
    assert value.endswith("…")
    text = unquote(value)
    assert LONG.startswith(text) and text.endswith(".")


def test_markdown_and_mentions_are_made_harmless() -> None:
    p = passage("**Bold** claim @everyone <@123> _here_.")
    value = quote_value(Quote(p, 1.0, p.text))
    assert "\\*\\*Bold\\*\\*" in value and "\\_here\\_" in value
    assert "@everyone" not in value and "<@123>" not in value


def test_many_long_quotes_fit_in_one_embed() -> None:
    quotes = tuple(
        Quote(passage(LONG, comment_id=f"c{i}", author=f"Person {i}"), 1.0, LONG) for i in range(30)
    )
    reply = Reply("q", "answered", quotes, "NOTICE " * 300, "D" * 3000, ("Doc",))
    card = reply_card(reply)
    assert within_limits(card)
    assert card.fields and card.description.startswith("**NOTICE")
    assert card.url == "https://example.org/d"


def test_real_replies_fit_and_keep_the_disclaimer(engine: Engine) -> None:
    for question in ["botox injections", "What is the capital of France?", ""]:
        card = reply_card(engine.ask(question))
        assert within_limits(card)
        assert card.footer == engine.config.disclaimer


def test_links_keep_their_underscores_and_the_rest_is_escaped() -> None:
    url = "https://example.org/botox_for_migraine?dose_units=155"
    p = passage(f"See {url} for *dosing* and __units__, not `code` or ~~this~~.")
    value = quote_value(Quote(p, 1.0, p.text))
    assert url in value  # a link stays clickable
    assert "\\*dosing\\*" in value and "\\_\\_units\\_\\_" in value
    assert "\\`code\\`" in value and "\\~\\~this\\~\\~" in value
    assert safe("a_b c_d") == "a\\_b c\\_d"


def test_channel_and_role_mentions_are_broken_too() -> None:
    text = safe("ask in <#123> or ping <@&456> or <@!789> @here")
    assert not re.search(r"<#\d+>|<@[!&]?\d+>|@here", text)


def test_a_summary_card_quotes_each_comment_once_with_the_terminal_attribution(
    engine: Engine,
) -> None:
    summary = engine.summarize(author="Elaine", sentences=6)
    card = summary_card(summary)
    text = render_summary(summary)
    runs = [run for t in summary.themes for run in theme_sentences(summary, t)]
    lines = [line for f in card.fields for line in f.value.split("\n") if line.startswith("— ")]
    assert lines == [f"— {sentence_attribution(r[0])}" for r in runs]
    for line in lines:
        assert line in text


def test_article_quotes_name_the_title_everywhere(engine: Engine) -> None:
    summary = engine.summarize(sentences=8)
    article = [s for s in summary.sentences if s.kind == "article"]
    assert article, "the seed summary opens with the article"
    title = article[0].document_title
    assert f"— {title}" in render_summary(summary)
    assert any(f"— {title}" in f.value for f in summary_card(summary).fields)
    assert "— the article" not in render_summary(summary)


def test_the_note_before_quotes_beside_the_urgent_notice(engine: Engine) -> None:
    reply = engine.ask("My speech is slurred since this morning")
    assert reply.notice and reply.quotes and reply.note
    card = reply_card(reply)
    assert reply.note in card.description
    assert card.description.index("emergency") < card.description.index(reply.note)
