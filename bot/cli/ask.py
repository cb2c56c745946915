"""`ask`: answer a question (or a file of them, or an interactive session) in the terminal."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from bot.cli.common import add_corpus_option, engine, positive_int
from bot.engine import Engine
from bot.presentation.reply_text import render_text, reply_json

# Questions over 1,000 characters are refused anyway (compose.MAX_QUESTION_CHARS); a batch line
# is read up to this many bytes, so a file with no line breaks cannot fill memory.
MAX_BATCH_LINE_BYTES = 64_000


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
    """One JSON object per non-blank line. Each line stands alone: bytes that are not UTF-8
    are replaced (and reported on stderr) and an over-long line is skipped, never the lines
    after it."""
    try:
        handle = sys.stdin.buffer if str(path) == "-" else path.open("rb")
    except OSError as exc:
        print(f"error: {path}: cannot be read ({exc.strerror or exc})", file=sys.stderr)
        return 2
    where = "stdin" if str(path) == "-" else str(path)
    try:
        for lineno, raw in enumerate(_bounded_lines(handle), start=1):
            if raw is None:
                print(
                    f"warning: {where}:{lineno}: over {MAX_BATCH_LINE_BYTES:,} bytes; skipped",
                    file=sys.stderr,
                )
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                print(
                    f"warning: {where}:{lineno}:{exc.start + 1}: not valid UTF-8; "
                    "the bad bytes were replaced with �",
                    file=sys.stderr,
                )
                line = raw.decode("utf-8", errors="replace")
            if line.strip():
                _print(eng, line.rstrip("\r\n"), as_json=True)
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()
    return 0


def _bounded_lines(handle: IO[bytes]) -> Iterator[bytes | None]:
    """Lines of at most MAX_BATCH_LINE_BYTES; None for a longer one, which is not kept."""
    while raw := handle.readline(MAX_BATCH_LINE_BYTES + 1):
        if len(raw) > MAX_BATCH_LINE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = handle.readline(1 << 16)
            yield None
        else:
            yield raw


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
