from __future__ import annotations

from bot.corpus.model import Document
from tests.helpers import ROOT
from tools.evaluation.questions import Outcome, Question, evaluate, load_questions

QUESTIONS = load_questions(ROOT / "tests" / "eval" / "questions.yaml")


def test_the_set_meets_the_brief(seed_doc: Document) -> None:
    ids = {c.id for c in seed_doc.comments} | {"article"}
    assert len(QUESTIONS) >= 60
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)
    assert sum(not q.covered for q in QUESTIONS) >= 12
    test = [q for q in QUESTIONS if q.split == "test"]
    # The test split is the newest rounds, written after the ranking was frozen (README),
    # and a third of the set, as the issue asks.
    assert len(test) >= len(QUESTIONS) // 3
    assert sum(not q.covered for q in test) >= 4
    for q in QUESTIONS:
        assert set(q.gold) <= ids, q.id


SET = [
    Question("a", "one", "tune", {"x": 2, "y": 1}),
    Question("b", "two", "tune", {"z": 2}),
    Question("c", "off topic", "tune", {}),
]


def test_a_perfect_system_scores_one() -> None:
    answers = {"one": ["x", "y"], "two": ["z"], "off topic": []}

    def perfect(text: str) -> Outcome:
        docs = answers[text]
        return Outcome([(d, 10.0 - i) for i, d in enumerate(docs)], refused=not docs)

    figures = evaluate(perfect, SET)
    for name in ("S@1", "MRR@5", "nDCG@5", "R@3", "R@5", "not_covered_ok"):
        assert figures[name] == 1.0, name
    assert figures["wrongly_refused"] == 0.0


def test_wrong_order_and_refusals_cost() -> None:
    def poor(text: str) -> Outcome:
        if text == "one":
            return Outcome([("q", 3.0), ("y", 2.0), ("x", 1.0)], refused=True)
        return Outcome([], refused=False)

    figures = evaluate(poor, SET)
    assert figures["S@1"] == 0.0
    assert figures["MRR@5"] == 0.25  # rank 2 for "a" (1/2), nothing for "b" (0)
    assert figures["R@3"] == 0.5
    assert figures["wrongly_refused"] == 0.5
    assert figures["not_covered_ok"] == 0.0
