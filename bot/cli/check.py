"""`check`: validate config.yaml and the corpus, and say what loaded."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.cli.common import add_corpus_option, load
from bot.config import Config
from bot.engine import build_snapshot, load_encoder, load_reader
from bot.reader.stage import probe


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check")
    p.add_argument("--json", action="store_true", help="print the parsed corpus as JSON")
    add_corpus_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = load(args)
    encoder = load_encoder(config)
    snap = build_snapshot(config, encoder=encoder)
    if args.json:
        print(
            json.dumps(
                _as_json(snap.documents, len(snap.passages), snap.errors), ensure_ascii=False
            )
        )
    else:
        print(f"config: {config.path} ok")
        for doc in snap.documents:
            replies = sum(1 for c in doc.comments if c.in_reply_to)
            print(f"  {doc.path}: “{doc.title}” — {len(doc.comments)} comments, {replies} replies")
        print(f"loaded {snap.stats.line()} in {snap.seconds:.2f} s")
        if snap.searcher.semantic is not None and encoder is not None:
            print(f"sentence vectors: on ({encoder.runtime})")
        else:
            print("sentence vectors: off (word matching only; see the log)")
    reader_ok = check_reader(config, quiet=args.json)
    for error in snap.errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if snap.errors or not reader_ok else 0


def check_reader(config: Config, quiet: bool = False) -> bool:
    """Say whether the configured reader answers, and how fast; False when it does not."""
    settings = config.reader
    if not settings.enabled:
        if not quiet:
            print("reader: off (today's ranking)")
        return True
    stage = load_reader(config)
    where = settings.url or str(settings.model_dir)
    if stage is None:
        print(f"reader: {settings.describe()} at {where}: refused (see the log)", file=sys.stderr)
        return False
    result = probe(stage.reader)
    if result.reachable:
        if not quiet:
            print(
                f"reader: {settings.describe()} at {where}: reachable, "
                f"one probe took {result.seconds * 1000:.0f} ms"
            )
        return True
    print(
        f"reader: {settings.describe()} at {where}: not reachable ({result.detail}); "
        "questions get today's ranking",
        file=sys.stderr,
    )
    return False


def _as_json(documents: Any, passages: int, errors: Any) -> dict[str, Any]:
    return {
        "documents": [
            {
                "title": d.title,
                "source": d.source,
                "article": d.article,
                "comments": [
                    {
                        "id": c.id,
                        "author": c.author,
                        "date": c.date.isoformat() if c.date else None,
                        "in_reply_to": c.in_reply_to,
                        "depth": c.depth,
                        "text": c.text,
                    }
                    for c in d.comments
                ],
            }
            for d in documents
        ],
        "passages": passages,
        "errors": [str(e) for e in errors],
    }
