"""`eval`: retrieval quality on the labelled questions, or (--summaries) summary quality by ROUGE.

Needs the test extras (sumy, rouge-score, bm25s, ir-measures); they are imported only when run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.cli.common import add_corpus_option, engine


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "eval",
        help="measure retrieval (default) or summaries (--summaries) against labelled data",
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
        help="reference summaries (YAML; repeat for several; default: the tuning references "
        "tests/eval/summaries.yaml and tests/eval/summary_refs_tune.yaml)",
    )
    p.add_argument(
        "--variants",
        action="store_true",
        help="summaries: the project's variants tried while tuning, project only (means)",
    )
    add_corpus_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.summaries:
        from bot.evaluation.retrieval import run_retrieval_eval

        return run_retrieval_eval(args)
    return run_summary_eval(args)


def run_summary_eval(args: argparse.Namespace) -> int:
    try:
        from bot.evaluation import summary_refs as ev
        from bot.evaluation.summary_variants import VARIANTS, variant_table
    except ModuleNotFoundError as exc:  # sumy or rouge-score missing
        print(f"error: {exc.name} is needed: pip install -e '.[test]'", file=sys.stderr)
        return 2
    from bot.summary import summarizer_for

    eng = engine(args)
    references = ev.load_references(args.references or ev.TUNE_REFERENCES)
    snapshot, disclaimer = eng.snapshot, eng.config.disclaimer
    try:
        if args.variants:
            rows = {
                name: ev.compare(summarizer_for(snapshot, disclaimer, settings), references)
                for name, settings in VARIANTS.items()
            }
            print(variant_table(rows))
            return 0
        rows = ev.compare(summarizer_for(snapshot, disclaimer), references)
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
