"""`check`: validate config.yaml and the corpus, and say what loaded."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.cli.common import add_corpus_option, load
from bot.engine import build_snapshot, load_encoder


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check")
    p.add_argument("--json", action="store_true", help="print the parsed corpus as JSON")
    add_corpus_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = load(args)
    snap = build_snapshot(config, encoder=load_encoder(config))
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
        on = snap.searcher.semantic is not None
        print(f"sentence vectors: {'on' if on else 'off (word matching only; see the log)'}")
    for error in snap.errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if snap.errors else 0


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
