"""The hand-labelled question set (tests/eval/questions.yaml) and the metrics over it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import ir_measures
from ir_measures import RR, R, Success, nDCG

from bot.errors import SourceError
from bot.yamlsource import LineMap, load_yaml

DEFAULT_SET = Path("tests/eval/questions.yaml")
METRICS = {"S@1": Success @ 1, "MRR@5": RR @ 5, "nDCG@5": nDCG @ 5, "R@3": R @ 3, "R@5": R @ 5}


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    split: str
    gold: dict[str, int]  # comment id (or "article") → 2 answers it, 1 relevant

    @property
    def covered(self) -> bool:
        return bool(self.gold)


@dataclass(frozen=True)
class Outcome:
    ranking: list[tuple[str, float]]  # (comment id or "article", score), best first
    refused: bool  # the system would answer "not covered"


System = Callable[[str], Outcome]


def load_questions(path: Path = DEFAULT_SET) -> list[Question]:
    data = load_yaml(path.read_text(encoding="utf-8"), str(path))
    if not isinstance(data, list):
        raise SourceError(str(path), 1, "expected a list of questions")
    questions = []
    for item in data:
        if not isinstance(item, LineMap) or not {"id", "question", "split", "gold"} <= set(item):
            raise SourceError(
                str(path), getattr(item, "line", None), "expected id, question, split, gold"
            )
        if item["split"] not in {"tune", "test"}:
            raise SourceError(str(path), item.line_of("split"), "expected split: tune or test")
        gold = dict(item["gold"] or {})
        if not all(g in (1, 2) for g in gold.values()):
            raise SourceError(str(path), item.line_of("gold"), "expected grades 1 or 2")
        questions.append(Question(str(item["id"]), str(item["question"]), item["split"], gold))
    return questions


def evaluate(system: System, questions: Sequence[Question]) -> dict[str, float]:
    """Ranking metrics over the answerable questions, and refusal rates over both kinds."""
    qrels = [ir_measures.Qrel(q.id, doc, grade) for q in questions for doc, grade in q.gold.items()]
    run = []
    refused_covered = refused_uncovered = 0
    for q in questions:
        outcome = system(q.text)
        if q.covered:
            seen: set[str] = set()
            for doc, score in outcome.ranking:
                if doc not in seen:  # metrics count distinct comments
                    seen.add(doc)
                    run.append(ir_measures.ScoredDoc(q.id, doc, score))
            refused_covered += outcome.refused
        else:
            refused_uncovered += outcome.refused
    covered = [q for q in questions if q.covered]
    uncovered = [q for q in questions if not q.covered]
    scores = ir_measures.calc_aggregate(list(METRICS.values()), qrels, run) if covered else {}
    figures = {name: float(scores.get(m, 0.0)) for name, m in METRICS.items()}
    figures["not_covered_ok"] = refused_uncovered / len(uncovered) if uncovered else 1.0
    figures["wrongly_refused"] = refused_covered / len(covered) if covered else 0.0
    figures["questions"] = float(len(questions))
    return figures
