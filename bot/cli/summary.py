"""`summary`: summarize the discussion, one topic, or one commenter, quoting it verbatim."""

from __future__ import annotations

import argparse
import json
import sys

from bot.cli.common import add_corpus_option, engine
from bot.presentation.summary_text import render_text, summary_json
from bot.summary import MAX_SENTENCES, SummaryRequestError, SummarySettings


def sentence_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= MAX_SENTENCES:
        raise argparse.ArgumentTypeError(
            f"expected a number of sentences from 1 to {MAX_SENTENCES}, got {value}"
        )
    return value


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "summary",
        description=(
            "Quote the sentences that best sum up the whole discussion, what it says about a "
            "topic, or what one commenter wrote; in discussion order, with author and date."
        ),
    )
    p.add_argument("--topic", metavar="TEXT", help="only what the discussion says about this")
    p.add_argument(
        "--author", metavar="NAME", help="only this commenter (full or first name, any case)"
    )
    p.add_argument(
        "--sentences",
        type=sentence_count,
        metavar="N",
        help=(
            f"how many sentences to quote, 1 to {MAX_SENTENCES} (default: "
            f"{SummarySettings.sentences} for the discussion, {SummarySettings.topic_sentences} "
            f"for a topic, {SummarySettings.author_sentences} for a commenter)"
        ),
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_corpus_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    topic = args.topic
    if topic is not None and not topic.strip():
        print('error: --topic needs some words, e.g. --topic "side effects"', file=sys.stderr)
        return 2
    author = args.author
    if author is not None and not author.strip():
        print("error: --author needs a name, e.g. --author Elaine", file=sys.stderr)
        return 2
    eng = engine(args)
    try:
        result = eng.summarize(topic, author, args.sentences)
    except SummaryRequestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(summary_json(result), ensure_ascii=False))
    else:
        print(render_text(result))
    return 0
