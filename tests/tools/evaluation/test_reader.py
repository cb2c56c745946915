from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

import tools.evaluation.retrieval as retrieval
from bot.corpus.model import Document
from bot.engine import Engine
from bot.errors import SourceError
from tests.helpers import ROOT, write
from tools.evaluation.questions import Question, evaluate, load_questions
from tools.evaluation.reader import load_readings, reader_system

QUESTIONS = load_questions(ROOT / "tests" / "eval" / "questions.yaml")
READING = ROOT / "tests" / "eval" / "second_reader.yaml"


def test_the_shipped_reading_names_real_questions_and_comments(seed_doc: Document) -> None:
    passages = {c.id for c in seed_doc.comments} | {"article"}
    readings = load_readings(READING, {q.id for q in QUESTIONS}, passages)
    test = {q.id for q in QUESTIONS if q.split == "test"}
    assert test <= set(readings)  # the whole held-out split was read
    assert all(len(r.ranked) <= 5 for r in readings.values())


SET = [Question("a", "one", "tune", {"x": 2, "y": 1}), Question("b", "off", "tune", {})]


def test_a_reading_is_scored_as_a_system(tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.yaml",
        '- id: "a"\n  covered: true\n  ranked: ["y", "x"]\n  grades: [1, 2]\n'
        '- id: "b"\n  covered: false\n  ranked: []\n  grades: []\n',
    )
    reader = reader_system(load_readings(path, {"a", "b"}, {"x", "y"}), SET)
    assert reader("one").ranking[0][0] == "y" and not reader("one").refused
    assert reader("off").refused
    figures = evaluate(reader, SET)
    assert figures["S@1"] == 1.0 and figures["not_covered_ok"] == 1.0
    assert figures["nDCG@5"] < 1.0  # the grade-1 comment was put first


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ('- id: "zz"\n  covered: true\n  ranked: []\n  grades: []\n', 1, "question id"),
        ('- id: "a"\n  covered: true\n  ranked: ["x"]\n  grades: [1, 2]\n', 4, "one grade"),
        ('- id: "a"\n  covered: true\n  ranked: ["nobody"]\n  grades: [2]\n', 3, "passage ids"),
        ('- id: "a"\n  covered: false\n  ranked: ["x"]\n  grades: [2]\n', 2, "covered"),
        ('- id: "a"\n  ranked: []\n', 1, "expected id, covered"),
        (
            '- id: "a"\n  covered: false\n  ranked: []\n  grades: []\n'
            '- id: "a"\n  covered: false\n  ranked: []\n  grades: []\n',
            5,
            "read twice",
        ),
    ],
)
def test_a_broken_reading_names_file_and_line(
    tmp_path: Path, text: str, line: int, expected: str
) -> None:
    path = write(tmp_path / "r.yaml", text)
    with pytest.raises(SourceError) as caught:
        load_readings(path, {"a"}, {"x"})
    assert caught.value.path == str(path) and caught.value.line == line
    assert expected in caught.value.message


def _eval_json(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    engine: Engine,
    questions: Path | None,
) -> dict[str, dict[str, dict[str, dict[str, float]]]]:
    monkeypatch.setattr(retrieval, "engine", lambda args: engine)
    args = argparse.Namespace(split="test", json=True, ablation=False, questions=questions)
    assert retrieval.run_retrieval_eval(args) == 0
    return json.loads(capsys.readouterr().out)


def test_eval_scores_the_reader_beside_the_project(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], engine: Engine
) -> None:
    data = _eval_json(monkeypatch, capsys, engine, None)
    reference = data["second_reader"]["test"]
    test = [q for q in QUESTIONS if q.split == "test"]
    assert reference["second reader"]["questions"] == len(test)
    # The reader read every test question, so the project's row is the main table's.
    assert reference["project"] == data["splits"]["test"]["project"]


def test_another_question_set_has_no_default_reading(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    engine: Engine,
    tmp_path: Path,
) -> None:
    own = write(
        tmp_path / "q.yaml",
        '- id: "mine"\n  question: "how often are the shots?"\n  split: "test"\n'
        '  gold: {"helen-2012-02-17": 2}\n',
    )
    data = _eval_json(monkeypatch, capsys, engine, own)
    assert data["second_reader"] == {}
    assert data["splits"]["test"]["project"]["questions"] == 1
