"""`python -m bot …`: a thin command line over the core."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.cli import ask, check
from bot.config import ConfigError
from bot.corpus.errors import SourceError
from bot.engine import NoCorpusError

COMMANDS = [ask, check]


def _optional_commands() -> list[object]:
    """Commands whose modules need the test extras or Discord are imported when present."""
    found = []
    for name in ("summary", "evaluate", "bench", "run"):
        try:
            found.append(__import__(f"bot.cli.{name}", fromlist=["add_parser"]))
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith("bot.cli"):
                raise
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Answer questions about a discussion by quoting what people wrote.",
    )
    parser.add_argument(
        "--config", type=Path, default=Path("config.yaml"), help="settings file (config.yaml)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in [*COMMANDS, *_optional_commands()]:
        module.add_parser(sub)  # type: ignore[attr-defined]
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    if hasattr(sys.stdin, "reconfigure"):  # bytes that are not UTF-8 reach the engine as U+FFFD
        sys.stdin.reconfigure(encoding="utf-8", errors="surrogateescape")
    try:
        code = _run(argv)
        sys.stdout.flush()  # a closed pipe shows up here, while it can still be handled
        return code
    except BrokenPipeError:
        # The reader went away (`ask … | head`): stop quietly, as other command-line tools do.
        # stdout now points nowhere, so the interpreter's own flush at exit cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a tool killed by a closed pipe


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (SourceError, NoCorpusError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:  # a file named on the command line (--questions, …)
        print(f"error: {exc.filename or exc}: no such file", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
