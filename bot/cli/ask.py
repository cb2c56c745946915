"""`ask`: answer a question (or a file of them, or an interactive session) in the terminal."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.cli.common import add_corpus_option, engine, positive_int
from bot.engine import Engine
from bot.presentation.reply_text import render_text, reply_json


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ask")
    p.add_argument("question", nargs="?", help="the question; omit it for an interactive prompt")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--batch", type=Path, metavar="FILE", help="one question per line ('-' for stdin)"
    )
    p.add_argument("--top-k", type=positive_int, metavar="N", help="quotes per answer")
    add_corpus_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.batch and args.question is not None:
        print("error: give a question or --batch FILE, not both", file=sys.stderr)
        return 2
    eng = engine(args)
    if args.batch:
        return _batch(eng, args.batch)
    if args.question is None:
        return _interactive(eng, args.json)
    _print(eng, args.question, args.json)
    return 0


def _print(eng: Engine, question: str, as_json: bool) -> None:
    reply = eng.ask(question)
    if as_json:
        print(json.dumps(reply_json(reply), ensure_ascii=False))
    else:
        print(render_text(reply))


def _batch(eng: Engine, path: Path) -> int:
    try:
        lines = sys.stdin.readlines() if str(path) == "-" else path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: {path}: cannot be read ({exc})", file=sys.stderr)
        return 2
    for line in lines:
        if line.strip():
            _print(eng, line.rstrip("\n"), as_json=True)
    return 0


def _interactive(eng: Engine, as_json: bool) -> int:
    titles = ", ".join(f"“{d.title}”" for d in eng.snapshot.documents)
    if sys.stdin.isatty():
        print(f"Ask about {titles}. One question per line; Ctrl-D or 'quit' to leave.\n")
    while True:
        try:
            line = input("? " if sys.stdin.isatty() else "")
        except EOFError:
            return 0
        if line.strip().casefold() in {"quit", "exit"}:
            return 0
        if line.strip():
            _print(eng, line, as_json)
            print()
