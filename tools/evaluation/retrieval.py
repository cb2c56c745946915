"""`python -m tools.evaluation`: retrieval quality on the labelled questions, side by side."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.cli.common import engine
from bot.corpus.model import ARTICLE_ID, Document
from bot.engine import Engine
from tools.evaluation.ablation import format_ablation, run_ablation
from tools.evaluation.questions import DEFAULT_SET, Question, System, evaluate, load_questions
from tools.evaluation.reader import DEFAULT_READING, load_readings, reader_system
from tools.evaluation.systems import bm25s_stemmed, project, rank_bm25_readme, with_reader

ROWS = ["S@1", "MRR@5", "nDCG@5", "R@3", "R@5", "not_covered_ok", "wrongly_refused"]
LABELS = {
    "not_covered_ok": "uncovered → not covered",
    "wrongly_refused": "answerable refused",
}


def run_retrieval_eval(args: argparse.Namespace) -> int:
    eng = engine(args)
    questions_path = getattr(args, "questions", None) or DEFAULT_SET
    questions = load_questions(questions_path)
    docs = eng.snapshot.documents
    if getattr(args, "ablation", False):
        split = "tune" if args.split == "all" else args.split
        rows = run_ablation(
            eng.config, docs, [q for q in questions if q.split == split], eng.encoder
        )
        if args.json:
            print(json.dumps({"split": split, "rows": dict(rows)}, indent=2))
        else:
            print(f"split: {split}\n{format_ablation(rows)}")
        return 0
    if getattr(args, "reader", False):
        return reader_eval(args, eng, questions)
    systems = {
        "project": project(eng.snapshot.searcher),
        "rank-bm25 (README)": rank_bm25_readme(docs),
        "bm25s (stem+stop)": bm25s_stemmed(docs),
    }
    splits = ["tune", "test"] if args.split == "all" else [args.split]
    results: dict[str, dict[str, dict[str, float]]] = {}
    for split in splits:
        chosen = [q for q in questions if q.split == split]
        results[split] = {name: evaluate(system, chosen) for name, system in systems.items()}
    # The default reading belongs to the default questions; another set needs its own.
    reading = getattr(args, "reading", None) or (
        DEFAULT_READING if questions_path == DEFAULT_SET else None
    )
    reference = (
        second_reader(reading, questions, docs, systems["project"], splits) if reading else {}
    )
    if args.json:
        print(json.dumps({"splits": results, "second_reader": reference}, indent=2))
    else:
        print(format_tables(results))
        for split, by_system in reference.items():
            n = int(by_system["second reader"]["questions"])
            of = sum(q.split == split for q in questions)
            title = f"{split}: a second, blind reading of {n} of its {of} questions ({reading})"
            print(format_table(title, by_system))
    return 0


def reader_eval(args: argparse.Namespace, eng: Engine, questions: list[Question]) -> int:
    """The configured reader (config.yaml reader:) beside today's ranking, on each split."""
    if eng.reader is None:
        print(
            "error: no reader is on: set reader.url or reader.model_dir in config.yaml "
            "(a reader whose model failed its checks is off; see the log)",
            file=sys.stderr,
        )
        return 2
    searcher = eng.snapshot.searcher
    systems = {
        "project": project(searcher),
        f"with reader ({eng.config.reader.describe()})": with_reader(searcher, eng.reader),
    }
    splits = ["tune", "test"] if args.split == "all" else [args.split]
    results = {
        split: {
            name: evaluate(system, [q for q in questions if q.split == split])
            for name, system in systems.items()
        }
        for split in splits
    }
    if args.json:
        print(json.dumps({"splits": results}, indent=2))
    else:
        print(format_tables(results))
    return 0


def second_reader(
    path: Path,
    questions: list[Question],
    docs: tuple[Document, ...],
    project_system: System,
    splits: list[str],
) -> dict[str, dict[str, dict[str, float]]]:
    """The project and the second reader side by side, on the questions the reader read."""
    passage_ids = {ARTICLE_ID} | {c.id for d in docs for c in d.comments}
    readings = load_readings(path, {q.id for q in questions}, passage_ids)
    reader = reader_system(readings, questions)
    out = {}
    for split in splits:
        read = [q for q in questions if q.split == split and q.id in readings]
        if read:
            out[split] = {
                "project": evaluate(project_system, read),
                "second reader": evaluate(reader, read),
            }
    return out


def format_tables(results: dict[str, dict[str, dict[str, float]]]) -> str:
    tables = []
    for split, by_system in results.items():
        n = int(next(iter(by_system.values()))["questions"])
        tables.append(format_table(f"split: {split} ({n} questions)", by_system))
    return "\n".join(tables)


def format_table(title: str, by_system: dict[str, dict[str, float]]) -> str:
    names = list(by_system)
    out = [title]
    out.append(f"| {'metric':<26} | " + " | ".join(f"{s:>18}" for s in names) + " |")
    out.append(f"|{'-' * 28}|" + "|".join("-" * 20 for _ in names) + "|")
    for row in ROWS:
        cells = " | ".join(f"{by_system[s][row]:>18.3f}" for s in names)
        out.append(f"| {LABELS.get(row, row):<26} | {cells} |")
    out.append("")
    return "\n".join(out)
