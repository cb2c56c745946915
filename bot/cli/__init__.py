"""`python -m bot …`: a thin command line over the core."""

from __future__ import annotations

import argparse
import logging
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


def _progress_lines() -> None:
    """Long work (embedding a big corpus, loading an archive) reports on a log line every few
    seconds when stderr is not a terminal (CI, a pipe); warnings print as before."""
    logging.basicConfig(format="%(message)s")
    logging.getLogger("bot.progress").setLevel(logging.INFO)


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command != "run":  # `run` sets up discord.py's logging, INFO and up
        _progress_lines()
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
