"""`python -m tools.evaluation`: retrieval quality on the labelled questions, or (--summaries)
summary quality by ROUGE.

Needs the test extras (sumy, rouge-score, bm25s, ir-measures); they are imported only when run.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.cli import run_command
from bot.cli.common import add_corpus_option, engine


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m tools.evaluation",
        description="measure retrieval (default) or summaries (--summaries) against labelled data",
    )
    p.add_argument(
        "--config", type=Path, default=Path("config.yaml"), help="settings file (config.yaml)"
    )
    p.add_argument(
        "--summaries",
        action="store_true",
        help="compare the summaries with sumy's by ROUGE against the human references",
    )
    p.add_argument(
        "--ablation",
        action="store_true",
        help="retrieval: the final ranking against one change at a time, on the tune split",
    )
    p.add_argument(
        "--urgent",
        action="store_true",
        help="the urgent-care notice: recall per flag and false alarms (--questions FILE: a "
        "file with emergency: and ordinary: lists; default tests/eval/urgent_tune.yaml)",
    )
    p.add_argument(
        "--near-miss",
        action="store_true",
        help="questions about people or drugs the discussion never mentions: not-covered rate "
        "and controls answered (--questions FILE with a near_miss: list)",
    )
    p.add_argument(
        "--reader",
        action="store_true",
        help="retrieval: the configured reader (config.yaml reader:) beside today's ranking",
    )
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument(
        "--split",
        choices=["tune", "test", "all"],
        default="all",
        help="which labelled questions to score (retrieval only; default: all)",
    )
    p.add_argument("--questions", type=Path, metavar="FILE", help="labelled questions (YAML)")
    p.add_argument(
        "--reading",
        type=Path,
        metavar="FILE",
        help="a second reader's rankings of some questions, scored beside the project "
        "(default: tests/eval/second_reader.yaml with the default questions)",
    )
    p.add_argument(
        "--references",
        type=Path,
        metavar="FILE",
        action="append",
        help="reference summaries (YAML; repeat for several; default: every tuning reference, "
        "tests/eval/summaries.yaml, summary_refs_tune.yaml and summary_refs_test.yaml)",
    )
    p.add_argument(
        "--variants",
        action="store_true",
        help="summaries: every setting tried while tuning, means and margin over sumy",
    )
    add_corpus_option(p)
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    if args.urgent or args.near_miss:
        return run_safety_eval(args)
    if not args.summaries:
        from tools.evaluation.retrieval import run_retrieval_eval

        return run_retrieval_eval(args)
    return run_summary_eval(args)


def run_summary_eval(args: argparse.Namespace) -> int:
    try:
        from tools.evaluation import summary_refs as ev
        from tools.evaluation.summary_variants import VARIANTS, variant_table
    except ModuleNotFoundError as exc:  # sumy or rouge-score missing
        print(f"error: {exc.name} is needed: pip install -e '.[test]'", file=sys.stderr)
        return 2
    from bot.engine import build_summarizer

    eng = engine(args)
    references = ev.load_references(args.references or ev.TUNE_REFERENCES)
    snapshot, disclaimer = eng.snapshot, eng.config.disclaimer
    try:
        if args.variants:
            rows = {
                name: ev.compare(build_summarizer(snapshot, disclaimer, settings), references)
                for name, settings in VARIANTS.items()
            }
            print(variant_table(rows))
            return 0
        rows = ev.compare(eng.summarizer(), references)
    except ModuleNotFoundError as exc:
        print(f"error: {exc.name} is needed: pip install -e '.[test]'", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(ev.as_json(rows, references), ensure_ascii=False, indent=2))
    else:
        print(ev.table(rows, references))
        missed = ev.behind(rows)
        print()
        if missed:
            print("The project is not ahead in:", *missed, sep="\n  ")
        else:
            print("The project is ahead everywhere the targets ask.")
    return 0


def run_safety_eval(args: argparse.Namespace) -> int:
    from tools.evaluation import safety as ev

    path = args.questions or ev.DEFAULT_SAFETY_SET
    if not path.is_file():
        print(f"error: {path}: no such file", file=sys.stderr)
        return 2
    eng = engine(args)
    results: dict[str, object] = {"file": str(path)}
    texts = []
    if args.urgent:
        figures = ev.urgent_figures(
            eng.ask, ev.load_safety_set(path, "emergency"), ev.load_safety_set(path, "ordinary")
        )
        results["urgent"] = figures
        texts.append(ev.format_urgent(path, figures))
    if args.near_miss:
        figures = ev.near_miss_figures(eng.ask, ev.load_safety_set(path, "near_miss"))
        results["near_miss"] = figures
        texts.append(ev.format_near_miss(path, figures))
    print(json.dumps(results, ensure_ascii=False, indent=2) if args.json else "\n\n".join(texts))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(build_parser().parse_args(argv))
