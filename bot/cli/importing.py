"""`import`: turn a comment export (WordPress, Disqus, Discourse) into a corpus file."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.config import load_config
from bot.corpus.importers import FORMATS, import_into_corpus, read_export


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "import", help="import a WordPress, Disqus or Discourse export into the corpus"
    )
    p.add_argument("source", type=Path, metavar="SOURCE", help="the export file")
    p.add_argument(
        "--format",
        choices=["auto", *FORMATS],
        default="auto",
        help="the export's format (default: recognised from its content)",
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="PATH",
        help="corpus file to write, .jsonl or .yaml (default corpus/<slug>.jsonl)",
    )
    p.add_argument("--force", action="store_true", help="replace --out if it exists")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    data = read_export(args.source, config.imports)
    result, target = import_into_corpus(
        data, str(args.source), args.format, config, args.out, force=args.force
    )
    print(result.summary(str(target)))
    return 0
