"""Hostile input: random unicode, huge text, control characters, markdown and mention injection.

The parsers may refuse a file only with a CorpusError. Any question gets a card inside Discord's
limits, ending with the disclaimer, with no live @everyone, @here, <@id>, <@&id> or <#id> in it;
and through Discord, every reply allows no mentions at all. (A little over 400 lines: every
hostile-input property is kept in this one place, sharing its strategies.)
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from yaml.reader import Reader

from bot.answer.compose import compose_reply
from bot.config import Config
from bot.corpus.jsonl import parse_jsonl
from bot.corpus.model import Document
from bot.corpus.textpage import parse_text_page
from bot.corpus.yamldoc import parse_yaml_document
from bot.discord_adapter.cards import LIMITS, Card, reply_card, safe
from bot.discord_adapter.embeds import to_embed
from bot.engine import Engine, build_snapshot
from bot.errors import CorpusError, NoCorpusError, SourceError
from bot.presentation.safety import neutralize_mentions
from tests.fakediscord.load import QUESTIONS, ReplyTracker, count_replies
from tests.fakediscord.server import message_errors
from tests.reliability.conftest import Launch

LIVE = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>")
PURE = settings(max_examples=150, deadline=None)

# --- strategies ------------------------------------------------------------------------------

MENTIONS = st.sampled_from(
    [
        "@everyone",
        "@here",
        "<@123456789012345678>",
        "<@!123456789012345678>",
        "<@&42>",
        "<#99>",
        "@@everyone",
        "<<@1>>",
        "@\u200beveryone",
        "＠everyone",
        "everyone@here",
    ]
)
MARKDOWN = st.sampled_from(
    ["**", "__", "~~", "`", "```", "||", "> ", ">>> ", "# ", "-# ", "[a](https://x.test)", "\\"]
)
CONTROL = st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Mn"]), min_size=1, max_size=5)
WORDS = st.sampled_from(
    "botox migraine neck pain injections cost eyesight sudden headache worst ever life "
    "side effects helped shots units doctor pregnant weakness one side arm".split()
)
PIECE = st.one_of(
    st.text(max_size=20), MENTIONS, MARKDOWN, CONTROL, WORDS, st.sampled_from([" ", "\n", "\t"])
)
MIXED = st.lists(PIECE, max_size=40).map("".join)
HUGE = st.builds(lambda piece, times: piece * times, PIECE.filter(bool), st.integers(50, 20_000))
HOSTILE = st.one_of(MIXED, st.text(max_size=300), HUGE)


def card_texts(card: Card) -> list[str]:
    return [card.title, card.description, card.footer] + [
        text for field in card.fields for text in (field.name, field.value)
    ]


def assert_safe_card(card: Card, disclaimer: str) -> None:
    assert card.footer == disclaimer
    assert len(card.title) <= LIMITS["title"]
    assert len(card.description) <= LIMITS["description"]
    assert len(card.footer) <= LIMITS["footer"]
    assert len(card.fields) <= LIMITS["fields"]
    for field in card.fields:
        assert 0 < len(field.name) <= LIMITS["field_name"]
        assert 0 < len(field.value) <= LIMITS["field_value"]
    assert card.size <= LIMITS["total"]
    for text in card_texts(card):
        assert not LIVE.search(text), text
    # The same limits as the loopback server checks them, on the embed the adapter sends.
    assert message_errors({"embeds": [to_embed(card).to_dict()]}) == []


# --- the safety helpers ----------------------------------------------------------------------


@PURE
@given(text=HOSTILE)
def test_neutralized_text_has_no_live_mention(text: str) -> None:
    assert not LIVE.search(neutralize_mentions(text))
    assert not LIVE.search(safe(text))


# --- questions -------------------------------------------------------------------------------


@PURE
@given(
    question=st.one_of(HOSTILE, st.builds("{}{}".format, st.sampled_from(QUESTIONS), MIXED)),
    skip=st.integers(0, 40),
)
def test_any_question_gets_a_card_within_discords_limits(
    engine: Engine, question: str, skip: int
) -> None:
    reply = engine.ask(question, None, skip)
    event(reply.status)
    assert_safe_card(reply_card(reply), engine.config.disclaimer)


@PURE
@given(
    comments=st.lists(
        st.tuples(
            st.one_of(MIXED, MENTIONS, st.text(min_size=1, max_size=40)),  # author
            st.one_of(MIXED, HUGE, st.text(max_size=300)),  # what they wrote
        ),
        min_size=1,
        max_size=4,
    ),
    article=st.one_of(st.just(""), MIXED),
    question=st.one_of(st.just(None), MIXED),
)
def test_hostile_words_in_the_corpus_are_quoted_safely(
    config: Config,
    comments: list[tuple[str, str]],
    article: str,
    question: str | None,
) -> None:
    # JSON Lines carry any text verbatim, titles included.
    title = "A discussion"
    lines = [{"document": title, "article": article}] if article.strip() else []
    comments = [(author.strip() or "Ann", text.strip() or "botox") for author, text in comments]
    lines += [
        {"document": title, "author": author, "date": "2020-01-02", "text": text}
        for author, text in comments
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hostile.jsonl"
        path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
        try:
            snapshot = build_snapshot(config, path)
        except (NoCorpusError, SourceError):
            assume(False)  # e.g. a blank author: refused, with the file and line
    # Ask with the commenters' own words, so that their text is what gets quoted.
    asked = question if question is not None else " ".join(text for _, text in comments)[:1000]
    for skip in (0, 3):
        reply = compose_reply(asked, snapshot.searcher, config, None, skip)
        event(f"skip {skip}: {reply.status}")
        assert_safe_card(reply_card(reply), config.disclaimer)


def test_a_document_title_with_a_mention_is_neutralized(config: Config, tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("Ping @everyone <@&42>\n\nBotox article.\n", encoding="utf-8")
    reply = compose_reply("botox", build_snapshot(config, path).searcher, config)
    assert_safe_card(reply_card(reply), config.disclaimer)


# --- the corpus parsers ----------------------------------------------------------------------

# Mostly real dates, some impossible or malformed ones.
MONTHS = st.sampled_from(["Jan", "Feb", "Mar", "Sept", "Dec", "December", "Feb.", "Foo", "jan"])
DAYS = st.one_of(st.integers(1, 28), st.integers(0, 40))
YEARS = st.one_of(st.integers(1990, 2030), st.integers(0, 9999))
ONE_LINE = MIXED.map(lambda text: " ".join(text.splitlines()))
SOME_TEXT = st.builds("{} {}".format, WORDS, MIXED)  # never blank
AUTHOR = st.one_of(WORDS, MENTIONS, ONE_LINE, st.text(max_size=15))
HEADER = st.builds(
    lambda indent, author, month, day, year: f"{indent}• {author} {month} {day}, {year:04d}",
    st.sampled_from(["", "", " ", "  ", "\t", "    ", "\t  "]),
    AUTHOR,
    MONTHS,
    DAYS,
    YEARS,
)
BODY = st.lists(
    st.builds(lambda indent, text: indent + text, st.sampled_from(["", "  ", "    "]), MIXED),
    min_size=1,
    max_size=4,
).map("\n".join)
ODD_LINE = st.sampled_from(
    [
        "",
        "•",
        " • ",
        "•Ann Jan 1, 2020",
        "Source: https://x.test/a",
        "URL: nope",
        "Leave a Reply",
        "3 comments… add one",
        "Be Sociable, Share!",
        "\ufeff",
        "Amber, I agree",
        "@Ann: same",
    ]
)
PAGE_PART = st.one_of(st.builds("{}\n{}".format, HEADER, BODY), ODD_LINE, MIXED)
PAGE = st.one_of(
    st.text(max_size=2000),
    st.builds(
        lambda title, article, parts: "\n".join([title, article, *parts]),
        st.one_of(ONE_LINE, SOME_TEXT.map(lambda text: " ".join(text.splitlines()))),
        st.one_of(MIXED, SOME_TEXT),
        st.lists(PAGE_PART, max_size=12),
    ),
)


def yaml_quoted(text: str) -> str:
    """`text` as one double-quoted YAML scalar, escapes and all."""
    return yaml.safe_dump(text, default_style='"', width=1 << 30, allow_unicode=True).strip()


def assert_well_formed(document: Document) -> None:
    ids = [comment.id for comment in document.comments]
    assert len(set(ids)) == len(ids)
    assert document.title.strip() == document.title != ""
    for n, comment in enumerate(document.comments):
        assert comment.text.strip() and comment.author.strip()
        assert comment.depth >= 0
        if comment.in_reply_to is not None:
            assert comment.in_reply_to in ids[:n]  # a reply follows what it answers


@PURE
@given(text=PAGE)
def test_a_text_page_parses_or_is_refused_with_a_corpus_error(text: str) -> None:
    assert_parsed_or_refused(parse_text_page, text, "page.txt")


def assert_parsed_or_refused(
    parse: Callable[[str, str, str], Document], text: str, path: str
) -> None:
    """A parser either returns a well-formed document or raises a CorpusError naming the file."""
    try:
        document = parse(text, path, path.split(".")[0])
    except CorpusError as exc:
        assert exc.path == path
        event("refused")
        return
    event("parsed, with comments" if document.comments else "parsed")
    assert_well_formed(document)


TEXT_SCALAR = SOME_TEXT.map(yaml_quoted)
ODD_SCALAR = st.one_of(
    st.sampled_from(["", "~", "null", "yes", "12", "1.5", "[]", "{}", "[a, b]", "{a: 1}"]),
    st.sampled_from(["&a x", "*a", "!!binary Zm9v", "!!str 12", "|\n      block", ">-\n      f"]),
    st.sampled_from(["'unclosed", '"\\q"', "- item", ": colon", "@at", "`tick", "%x"]),
)
YAML_SCALAR = st.one_of(TEXT_SCALAR, TEXT_SCALAR, WORDS, ODD_SCALAR)
# Dates that parse or are refused, quoted or not.
YAML_DATE = st.one_of(
    st.just("2012-02-17"),
    st.sampled_from(["'2012-02-30'", "2012-02-30", "2012-13-01", "Feb 17, 2012", "soon", "[1]"]),
    st.sampled_from(["February 30, 2012", ""]),
)
NOISY_COMMENT = st.builds(
    lambda author, date, text, reply, extra: (
        f"  - author: {author}\n    date: {date}\n    text: {text}\n"
        + (f"    reply_to: {reply}\n" if reply is not None else "")
        + extra
    ),
    YAML_SCALAR,
    YAML_DATE,
    YAML_SCALAR,
    st.one_of(st.none(), YAML_SCALAR, st.sampled_from(["ann", "Ann", "x-2012-02-17"])),
    st.sampled_from(["", "", "    id: x\n", "    likes: 3\n", "  -\n", "    - nested\n"]),
)
CLEAN_COMMENT = st.builds(
    "  - author: {}\n    date: 2012-02-17\n    text: {}\n".format, TEXT_SCALAR, TEXT_SCALAR
)
YAML_COMMENT = st.one_of(CLEAN_COMMENT, CLEAN_COMMENT, CLEAN_COMMENT, NOISY_COMMENT)
YAML_DOCUMENT = st.builds(
    lambda title, article, comments, extra: (
        f"title: {title}\narticle: {article}\n{extra}comments:\n" + "".join(comments)
    ),
    st.one_of(TEXT_SCALAR, YAML_SCALAR),
    st.one_of(TEXT_SCALAR, YAML_SCALAR),
    st.one_of(st.lists(CLEAN_COMMENT, max_size=6), st.lists(YAML_COMMENT, max_size=6)),
    st.sampled_from(["", "", "source: https://x.test\n", "source: 3\n", "tags: [a]\n"]),
)
# Characters YAML does not allow at all are the known bug in
# test_a_character_yaml_forbids_is_a_corpus_error below.
YAML_TEXT = st.text(max_size=1000).map(lambda text: Reader.NON_PRINTABLE.sub("", text))


@PURE
@given(text=st.one_of(YAML_TEXT, YAML_DOCUMENT))
def test_a_yaml_document_parses_or_is_refused_with_a_corpus_error(text: str) -> None:
    assert_parsed_or_refused(parse_yaml_document, text, "doc.yaml")


@pytest.mark.parametrize("date", ["2012-02-30", "2012-13-01", "0000-01-01"])
def test_an_impossible_unquoted_yaml_date_is_a_corpus_error(date: str) -> None:
    text = f"title: T\narticle: A\ncomments:\n  - author: Ann\n    date: {date}\n    text: hi\n"
    with pytest.raises(CorpusError):
        parse_yaml_document(text, "doc.yaml", "doc")


@pytest.mark.parametrize("text", ["\x08", "title: T\x00\narticle: A\n", "title: \x7f"])
def test_a_character_yaml_forbids_is_a_corpus_error(text: str) -> None:
    with pytest.raises(CorpusError):
        parse_yaml_document(text, "doc.yaml", "doc")


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | HOSTILE,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(), children),
    max_leaves=8,
)
ANY_RECORD = st.fixed_dictionaries(
    {},
    optional={
        key: st.one_of(JSON_VALUE, st.sampled_from(["2012-02-17", "Feb 30, 2012", "T", "Ann"]))
        for key in ("document", "author", "date", "reply_to", "id", "text", "article", "source")
    },
)
TITLES = st.sampled_from(["T", "Another", "@everyone"])
COMMENT_RECORD = st.fixed_dictionaries(
    {
        "document": TITLES,
        "author": st.one_of(st.sampled_from(["Ann", "Bob", "@everyone"]), SOME_TEXT),
        "date": st.just("2012-02-17"),
        "text": st.one_of(SOME_TEXT, HUGE.map("botox {}".format)),
    },
    optional={"reply_to": st.sampled_from(["Ann", "bob-2012-02-17", None])},
)
ARTICLE_RECORD = st.fixed_dictionaries(
    {"document": TITLES, "article": HOSTILE}, optional={"source": st.just("https://x.test")}
)
GOOD_LINE = st.one_of(COMMENT_RECORD, COMMENT_RECORD, ARTICLE_RECORD).map(json.dumps)
ANY_LINE = st.one_of(
    GOOD_LINE,
    ANY_RECORD.map(json.dumps),
    JSON_VALUE.map(json.dumps),
    st.text(max_size=80),
    st.sampled_from(["", "  ", "{", "[]", "null", '{"document": "T"}']),
)
JSON_LINES = st.one_of(st.lists(GOOD_LINE, min_size=1, max_size=8), st.lists(ANY_LINE, max_size=12))


@PURE
@given(lines=JSON_LINES)
def test_json_lines_parse_or_are_refused_with_a_corpus_error(lines: list[str]) -> None:
    try:
        documents = parse_jsonl("\n".join(lines), "dump.jsonl", "dump")
    except CorpusError as exc:
        assert exc.path == "dump.jsonl"
        event("refused")
        return
    event("parsed")
    for document in documents:
        assert_well_formed(document)


@pytest.mark.parametrize("parse", [parse_jsonl, parse_yaml_document], ids=["jsonl", "yaml"])
def test_absurdly_nested_input_is_a_corpus_error(parse: Any) -> None:
    with pytest.raises(CorpusError):
        parse("[" * 10_000, "deep", "deep")


# --- through Discord -------------------------------------------------------------------------

KINDS = st.sampled_from(["mention", "slash", "dm"])


def fits(kind: str, text: str) -> str:
    """What Discord lets through: /ask's option takes 1–2,000 characters (the client enforces
    it), a message at most 4,000 (with Nitro)."""
    if kind == "slash":
        return text[:2000] or "?"
    return text[:4000]


def message_bodies(request: Any) -> list[dict]:
    body = request.body if isinstance(request.body, dict) else {}
    if request.kind == "interaction_callback":
        body = body.get("data") or {}
    return [body] if body.get("content") or body.get("embeds") else []


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # `launch` is a factory
)
@given(questions=st.lists(st.tuples(KINDS, HOSTILE), min_size=5, max_size=5))
async def test_hostile_questions_through_discord_ping_nobody(
    launch: Launch, questions: list[tuple[str, str]], disclaimer: str
) -> None:
    async with launch() as (server, _bot), ReplyTracker(server) as tracker:
        asked = [await tracker.ask(kind, fits(kind, text)) for kind, text in questions]
        assert await tracker.all_answered(timeout=10.0) == []

    assert server.limit_violations == []
    replies = count_replies(server.requests)
    assert [replies.get(q.key) for q in asked] == [1] * len(asked)
    sent = [body for request in server.requests for body in message_bodies(request)]
    assert len(sent) >= len(asked)
    for body in sent:
        allowed = body["allowed_mentions"]
        assert allowed["parse"] == [] and not allowed.get("replied_user")
        assert not allowed.get("users") and not allowed.get("roles")
        assert not LIVE.search(json.dumps(body, ensure_ascii=False))
    for question in asked:
        (embed,) = message_bodies(question.replies[0])[0]["embeds"]
        assert embed["footer"]["text"] == disclaimer
