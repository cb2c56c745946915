"""`python -m tools.evaluation --summaries`: references in both shapes, broken files, and the real
run at every length."""

from __future__ import annotations

import json
from pathlib import Path

import nltk
import pytest

from bot.engine import Engine
from bot.errors import SourceError
from tests.helpers import run_bot
from tools.evaluation import summary_refs as ev
from tools.evaluation.summaries import SUMY_METHODS, Score

TUNE = Path(__file__).resolve().parents[2] / "eval" / "summary_refs_tune.yaml"


@pytest.fixture(autouse=True)
def no_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("tried to reach for NLTK data")

    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(nltk.data, "load", refuse)


def test_both_shapes_load_and_ids_stay_distinct() -> None:
    refs = ev.load_references(ev.TUNE_REFERENCES)
    kinds = {k: [r for r in refs if r.kind == k] for k in ("whole", "topic", "author")}
    assert len(kinds["whole"]) == 7 and len(kinds["topic"]) == 14 and len(kinds["author"]) == 8
    assert len({r.id for r in refs}) == len(refs)
    assert {r.author for r in kinds["author"]} == {"Elaine", "Betsy", "Julie", "Glenn"}
    assert all(r.topic for r in kinds["topic"]) and all(r.source for r in refs)
    # The same file twice: every reference kept, told apart by the file's name.
    twice = ev.load_references([TUNE, TUNE])
    assert len(twice) == 2 * len(ev.load_references([TUNE])) == len({r.id for r in twice})


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("whole:\n  - {id: a}\n", 2, "text"),
        ("whole:\n  - {id: a, text: x}\nextra: []\n", 3, "whole, topics or authors"),
        ("topics:\n  - {id: t, text: some words}\n", 2, "topic"),
        ("authors: 5\n", 1, "list"),
        ("- {kind: essay, text: hi}\n", 1, "kind"),
        ("whole: [\n", None, "YAML"),
        ("just a sentence\n", 1, "whole"),
    ],
)
def test_a_broken_file_names_the_line_and_what_was_expected(
    tmp_path: Path, text: str, line: int | None, expected: str
) -> None:
    path = tmp_path / "refs.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        ev.load_references([path])
    if line is not None:
        assert err.value.line == line
    assert expected in str(err.value) and str(path) in str(err.value)


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("whole: []\n" + "#" * ev.MAX_FILE_BYTES, encoding="utf-8")
    with pytest.raises(SourceError, match="bytes"):
        ev.load_references([path])


def test_the_real_run_every_length_every_method(engine: Engine) -> None:
    refs = ev.load_references([TUNE])
    rows = ev.compare(engine.summarizer(), refs)
    whole = [r for r in rows if r.kind == "whole"]
    assert [r.sentences for r in whole] == list(ev.LENGTHS)
    ids = {r.id for r in refs if r.kind == "whole"}
    for row in rows:
        assert list(row.methods) == [ev.PROJECT, *SUMY_METHODS]
        ours = row.methods[ev.PROJECT]
        assert ours.words > 0
        for method in SUMY_METHODS:  # the same length in words
            assert row.methods[method].words == ours.words
        if row.kind == "whole":
            assert set(ours.per_reference) == ids
        else:  # a topic or author summary is scored against its own reference only
            assert len(ours.per_reference) == 1
        r1, r2 = ours.mean()
        scores = list(ours.per_reference.values())
        assert r1 == pytest.approx(sum(s.rouge1 for s in scores) / len(scores))
        assert 0 <= r2 <= r1 <= 1
    # Longer summaries say more: word counts grow with the number of sentences.
    words = [r.methods[ev.PROJECT].words for r in whole]
    assert words == sorted(words) and words[0] < words[-1]
    assert {r.label for r in rows if r.kind == "author"} == {"Elaine", "Betsy", "Julie", "Glenn"}
    text = ev.table(rows, refs)
    assert all(m in text for m in SUMY_METHODS) and "whole-250" in text and "Glenn" in text


def _row(kind: str, ours: tuple[float, float], **others: tuple[float, float]) -> ev.Row:
    row = ev.Row(kind, "x", 4, 10)
    for name, (r1, r2) in {ev.PROJECT: ours, **others}.items():
        row.methods[name] = ev.Cell(50, {"ref": Score(r1, r2, 50)})
    return row


def test_behind_names_every_missed_target() -> None:
    rows = [
        _row("whole", (0.40, 0.10), KL=(0.30, 0.05), TextRank=(0.41, 0.02)),
        _row("topic", (0.30, 0.10), KL=(0.20, 0.10), LexRank=(0.9, 0.9)),
    ]
    missed = ev.behind(rows)
    assert any("TextRank 0.410 ≥ 0.400" in m and "ROUGE-1" in m for m in missed)
    # topics answer to KL-Sum only; a tie is not ahead
    assert any(m.startswith("topic x ROUGE-2: KL") for m in missed)
    assert not any("LexRank" in m for m in missed)
    assert any(m.startswith("topic mean ROUGE-2") for m in missed)
    assert ev.behind([_row("whole", (0.5, 0.2), KL=(0.4, 0.1))]) == []


def test_cli_takes_a_references_file_and_prints_json(tmp_path: Path) -> None:
    path = tmp_path / "heldout.yaml"
    path.write_text(
        "whole:\n"
        '  - {id: w1, text: "Readers disagree about Botox for migraine: some had fewer attacks,'
        ' others felt worse or saw no change."}\n'
        "authors:\n"
        '  - {id: a1, author: Glenn, text: "Glenn says Botox did not help his migraines."}\n',
        encoding="utf-8",
    )
    result = run_bot("--summaries", "--references", str(path), "--json", module="tools.evaluation")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [r["id"] for r in data["references"]] == ["w1", "a1"]
    whole = [r for r in data["rows"] if r["kind"] == "whole"]
    assert [r["sentences"] for r in whole] == list(ev.LENGTHS)
    for row in data["rows"]:
        assert set(row["methods"]) == {ev.PROJECT, *SUMY_METHODS}
        cell = row["methods"][ev.PROJECT]
        assert set(cell["per_reference"]) == ({"w1"} if row["kind"] == "whole" else {"a1"})
    assert isinstance(data["project_behind"], list)


def test_cli_reports_a_missing_references_file() -> None:
    done = run_bot("--summaries", "--references", "no/such/refs.yaml", module="tools.evaluation")
    assert done.returncode == 2
    assert "error: no/such/refs.yaml: no such file" in done.stderr
    assert "Traceback" not in done.stderr
