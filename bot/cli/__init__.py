"""`python -m bot …`: a thin command line over the core."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.errors import ConfigError, NoCorpusError, SourceError

# name → (module, its line in `--help`). Only the command being run is imported, so `ask` never
# loads the summarizer or discord.py. Developer tools live beside the product: `python -m tools.…`.
COMMANDS = {
    "ask": ("bot.cli.ask", "answer a question by quoting the discussion"),
    "check": ("bot.cli.check", "validate config.yaml and the corpus"),
    "summary": (
        "bot.cli.summary",
        "summarize the discussion, a topic or a commenter by quoting it",
    ),
    "run": ("bot.cli.run", "start the Discord bot (needs DISCORD_TOKEN)"),
    "import": (
        "bot.cli.importing",
        "import a WordPress, Disqus or Discourse export into the corpus",
    ),
    "feedback": ("bot.cli.feedback", "readers' votes on answers: report, or export for review"),
}


def _command_named(argv: Sequence[str]) -> str | None:
    """The command in argv (the first word that names one), before the full parser exists."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--config")
    pre.add_argument("command", nargs="?")
    known, _ = pre.parse_known_args(argv)
    return known.command if known.command in COMMANDS else None


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser; only the command named in argv gets its options (and its module imported)."""
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Answer questions about a discussion by quoting what people wrote.",
    )
    parser.add_argument(
        "--config", type=Path, default=Path("config.yaml"), help="settings file (config.yaml)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    wanted = _command_named(argv)
    for name, (module, help_text) in COMMANDS.items():
        if name == wanted:
            importlib.import_module(module).add_parser(sub)
        else:
            sub.add_parser(name, help=help_text)
    return parser


def _progress_lines() -> None:
    """Long work (embedding a big corpus, loading an archive) reports on a log line every few
    seconds when stderr is not a terminal (CI, a pipe); warnings print as before."""
    logging.basicConfig(format="%(message)s")
    logging.getLogger("bot.progress").setLevel(logging.INFO)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    return run_command(build_parser(argv).parse_args(argv))


def run_command(args: argparse.Namespace) -> int:
    """Run the parsed command (`args.func`); errors a person can fix become a message and an
    exit code. The developer tools (`python -m tools.…`) run their commands through this too."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    if hasattr(sys.stdin, "reconfigure"):  # bytes that are not UTF-8 reach the engine as U+FFFD
        sys.stdin.reconfigure(encoding="utf-8", errors="surrogateescape")
    try:
        code = _call(args)
        sys.stdout.flush()  # a closed pipe shows up here, while it can still be handled
        return code
    except BrokenPipeError:
        # The reader went away (`ask … | head`): stop quietly, as other command-line tools do.
        # stdout now points nowhere, so the interpreter's own flush at exit cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a tool killed by a closed pipe


def _call(args: argparse.Namespace) -> int:
    if getattr(args, "command", None) != "run":  # `run` sets up discord.py's logging
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
