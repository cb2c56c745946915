"""`python -m tools.bench`: the index against rank-bm25 on synthetic corpora, `check` on a large
corpus, the bot through the loopback Discord server, the sentence model.

python -m tools.bench [--json] [--sizes 1000,10000,100000] [--queries N]
python -m tools.bench --check-corpus [--check-passages 100000] [--sizes '']
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from bot.cli import run_command
from tools.bench import runner
from tools.bench.runner import (
    OTHER_ENGINES,
    TARGET_SIZE,
    format_check,
    format_runs,
    run_benchmark,
    runs_json,
    target_lines,
    time_check,
)
from tools.bench.synthetic import DEFAULT_SEED


def sizes(text: str) -> list[int]:
    try:
        values = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected passage counts like 1000,10000,100000, got {text!r}"
        ) from None
    if any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive passage counts, got {text!r}")
    return values


def engine_list(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [n for n in names if n not in OTHER_ENGINES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"expected engines among {','.join(OTHER_ENGINES)}, got {','.join(unknown)[:80]!r}"
        )
    return names


def count(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m tools.bench",
        description="Builds seeded synthetic corpora (Zipf vocabulary, ~60 tokens a passage, "
        "queries of 4-8 words) and reports, for the project's index, Searcher.rank, bm25s "
        "(numpy and numba backends), the index without numba and rank-bm25's get_top_n "
        "(extrapolated above 100k passages): build time, peak RSS, p50/p95/p99 query latency, "
        "the ratios and whether the top-10 lists agree. Each engine and size runs in its own "
        "process.",
    )
    p.add_argument(
        "--config", type=Path, default=Path("config.yaml"), help="settings file (config.yaml)"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--sizes",
        type=sizes,
        default=None,
        metavar="N,N,…",
        help="corpus sizes in passages (default 1000,10000,100000 when no other section is "
        "asked for; '' for none)",
    )
    p.add_argument(
        "--queries", type=count, default=200, metavar="N", help="queries per size (default 200)"
    )
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=argparse.SUPPRESS)
    p.add_argument(
        "--repeat",
        type=count,
        default=3,
        metavar="N",
        help="runs of each query, the fastest kept, so a wait for a busy core is not counted "
        "(default 3; rank-bm25 runs each once)",
    )
    p.add_argument(
        "--engines",
        type=engine_list,
        default=list(OTHER_ENGINES),
        metavar="E,E,…",
        help="engines beside the project's index and rank-bm25 (default "
        f"{','.join(OTHER_ENGINES)}; '' for none)",
    )
    p.add_argument(
        "--variant",
        choices=["lucene", "okapi", "plus"],
        default="lucene",
        help="BM25 variant (default lucene, the one the bot uses)",
    )
    p.add_argument(
        "--check-corpus",
        action="store_true",
        help="also write a synthetic forum archive as JSONL and time `python -m bot check` on it",
    )
    p.add_argument(
        "--check-passages",
        type=count,
        default=TARGET_SIZE,
        metavar="N",
        help=f"passages in that archive (default {TARGET_SIZE})",
    )
    p.add_argument(
        "--corpus-dir",
        type=Path,
        metavar="DIR",
        help="write the archive here and keep it (default: a temporary folder)",
    )
    p.add_argument(
        "--discord",
        action="store_true",
        help="answer questions through the real bot and the loopback Discord server (from a "
        "repository checkout): throughput and p50/p99 latency from the event to the reply",
    )
    p.add_argument(
        "--semantic",
        action="store_true",
        help="time the sentence-vector model in numpy and onnxruntime: loading it, embedding "
        "passages and the evaluation questions, how far their vectors differ, and engine.ask",
    )
    p.add_argument(
        "--semantic-passages",
        type=count,
        default=None,
        metavar="N",
        help="embed N passages (the corpus's own, repeated) instead of the corpus once "
        "(--semantic)",
    )
    p.add_argument(
        "--reader",
        action="store_true",
        help="time the reader stage: the local cross-encoder at 10, 20 and 40 candidates, and "
        "what a remote reader on a loopback server adds to a question (p50/p95)",
    )
    p.add_argument(
        "--feedback",
        action="store_true",
        help="time the vote store: storing a reply, recording a vote (p50/p99)",
    )
    p.add_argument("--users", type=count, default=50, help="simulated users (--discord)")
    p.add_argument(
        "--discord-questions", type=count, default=1000, metavar="N", help="questions (--discord)"
    )
    p.set_defaults(func=run)
    return p


# Optional sections after the index runs: (enabled?, JSON key, measure, text). Each measure
# returns (figures for the JSON report, lines for the text report).
Section = tuple[
    Callable[[argparse.Namespace], bool],
    str,
    Callable[[argparse.Namespace], tuple[Any, str]],
]


def _check(args: argparse.Namespace) -> tuple[Any, str]:
    result = time_check(
        args.check_passages, args.config, args.seed, args.corpus_dir, progress=_progress
    )
    return result, format_check(result)


def _discord(args: argparse.Namespace) -> tuple[Any, str]:
    from tools.bench.discord_load import discord_bench

    _progress(
        f"discord: {args.discord_questions} questions from {args.users} users through the "
        "loopback server …"
    )
    r = discord_bench(args.users, args.discord_questions, args.config)
    text = (
        f"discord: {r['questions']} questions from {r['users']} users (mentions and /ask mixed) "
        f"in {r['seconds']:.2f} s: {r['throughput_qps']:.0f} questions/s, event → reply "
        f"p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms; lost {r['lost']}, "
        f"answered twice {r['duplicates']}"
    )
    return r, text


def _semantic(args: argparse.Namespace) -> tuple[Any, str]:
    from tools.bench.semantic import format_semantic, semantic_bench
    from tools.evaluation.questions import load_questions

    _progress(
        "semantic: embedding passages and the evaluation questions in numpy and onnxruntime, "
        "then asking the engine …"
    )
    questions = [q.text for q in load_questions()]
    r = semantic_bench(args.config, questions, args.semantic_passages or 0)
    return r, format_semantic(r)


def _reader(args: argparse.Namespace) -> tuple[Any, str]:
    from bot.config import load_config
    from tools.bench.reader import format_reader, reader_bench
    from tools.evaluation.questions import load_questions

    _progress("reader: the cross-encoder at 10, 20, 40 candidates; a loopback reader server …")
    r = reader_bench(load_config(args.config), [q.text for q in load_questions()])
    return r, format_reader(r)


def _feedback(args: argparse.Namespace) -> tuple[Any, str]:
    from tools.bench.feedback import feedback_bench, format_feedback

    _progress("feedback: storing replies and votes in a fresh SQLite file …")
    r = feedback_bench()
    return r, format_feedback(r)


SECTIONS: list[Section] = [
    (lambda args: bool(args.check_corpus), "check", _check),
    (lambda args: bool(args.discord), "discord", _discord),
    (lambda args: bool(args.semantic), "semantic", _semantic),
    (lambda args: bool(args.reader), "reader", _reader),
    (lambda args: bool(args.feedback), "feedback", _feedback),
]


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    sections = any(enabled(args) for enabled, _, _ in SECTIONS)
    if args.sizes is None:
        args.sizes = [] if sections else [1_000, 10_000, 100_000]
    if not args.sizes and not sections:
        print(
            "error: nothing to measure: give --sizes, --check-corpus, --discord, --semantic, "
            "--reader or --feedback",
            file=sys.stderr,
        )
        return 2
    runner.REPEAT = args.repeat
    runs = run_benchmark(
        args.sizes, args.queries, args.seed, args.variant, progress=_progress, engines=args.engines
    )
    report: dict[str, Any] = {"runs": runs_json(runs)}
    texts = [format_runs(runs)] if runs else []
    extra: dict[str, Any] = {}
    for enabled, key, measure in SECTIONS:
        if enabled(args):
            figures, text = measure(args)
            extra[key] = figures
            report[key] = asdict(figures) if is_dataclass(figures) else figures
            texts.append(text)
    if args.json:
        print(json.dumps(report))
    else:
        verdicts = target_lines(runs, extra.get("check"))
        print("\n\n".join(texts + (["\n".join(verdicts)] if verdicts else [])))
    # Timings are too noisy to fail on; a ranking that differs from rank-bm25's is a bug.
    lost = extra.get("discord", {})
    if lost and (lost["lost"] or lost["duplicates"]):
        return 1  # a question without exactly one reply is a bug, not noise
    return 0 if all(r.same_top10 for r in runs) else 1


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(build_parser().parse_args(argv))
