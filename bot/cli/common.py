"""Options and loading shared by the commands."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from bot.config import Config, load_config
from bot.engine import Engine


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= 10:
        raise argparse.ArgumentTypeError(f"expected a number from 1 to 10, got {value}")
    return value


def add_corpus_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, help="corpus folder or file (overrides config.yaml)")


def load(args: argparse.Namespace) -> Config:
    config = load_config(args.config)
    if getattr(args, "corpus", None):
        config = replace(config, corpus=args.corpus)
    if getattr(args, "top_k", None):
        config = replace(config, top_k=args.top_k)
    return config


def engine(args: argparse.Namespace) -> Engine:
    """An engine for the command; files that failed to parse are reported, the rest still load."""
    eng = Engine(load(args))
    for error in eng.snapshot.errors:
        print(f"warning: skipped {error}", file=sys.stderr)
    return eng
