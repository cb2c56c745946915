"""A second, blind reading of some evaluation questions (tests/eval/second_reader.yaml).

Scored against the same gold as the systems, it shows what a reader who understands the
comments reaches on these labels: the gap between it and the project is what word and
sentence-vector matching miss, not noise in the labels.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.errors import SourceError
from bot.yamlsource import LineMap, load_yaml
from tools.evaluation.questions import Outcome, Question, System

DEFAULT_READING = Path("tests/eval/second_reader.yaml")
FIELDS = {"id", "covered", "ranked", "grades"}


@dataclass(frozen=True)
class Reading:
    question_id: str
    ranked: tuple[str, ...]  # passage ids, best first
    covered: bool  # False: the reader found nothing in the discussion on it


def load_readings(
    path: Path, question_ids: Collection[str], passage_ids: Collection[str]
) -> dict[str, Reading]:
    """The readings by question id. Every id must name a known question and known passages."""
    where = str(path)
    data = load_yaml(path.read_text(encoding="utf-8"), where)
    if not isinstance(data, list):
        raise SourceError(where, 1, "expected a list of readings")
    readings: dict[str, Reading] = {}
    for item in data:
        if not isinstance(item, LineMap) or not set(item) >= FIELDS:
            raise SourceError(
                where, getattr(item, "line", None), "expected id, covered, ranked, grades"
            )
        qid = str(item["id"])
        if qid not in question_ids:
            raise SourceError(where, item.line_of("id"), f"expected a question id, got {qid!r}")
        if qid in readings:
            raise SourceError(where, item.line_of("id"), f"{qid} is read twice")
        ranked, grades = item["ranked"] or [], item["grades"] or []
        if not isinstance(ranked, list) or not isinstance(grades, list):
            raise SourceError(where, item.line_of("ranked"), "expected lists for ranked, grades")
        if len(ranked) != len(grades) or not all(g in (1, 2) for g in grades):
            raise SourceError(where, item.line_of("grades"), "expected one grade, 1 or 2, each")
        unknown = [p for p in ranked if p not in passage_ids]
        if unknown:
            raise SourceError(
                where, item.line_of("ranked"), f"expected passage ids, got {unknown[0]!r}"
            )
        if not isinstance(item["covered"], bool) or (not item["covered"] and ranked):
            raise SourceError(
                where, item.line_of("covered"), "expected covered: true, or false with ranked: []"
            )
        readings[qid] = Reading(qid, tuple(str(p) for p in ranked), item["covered"])
    return readings


def reader_system(readings: dict[str, Reading], questions: Sequence[Question]) -> System:
    """The readings as a system, for the questions they cover (others raise KeyError)."""
    by_text = {q.text: readings[q.id] for q in questions if q.id in readings}

    def run(question: str) -> Outcome:
        reading = by_text[question]
        n = len(reading.ranked)
        ranking = [(p, float(n - i)) for i, p in enumerate(reading.ranked)]
        return Outcome(ranking, refused=not reading.covered)

    return run
