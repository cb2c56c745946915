"""sumy and ROUGE for the summary evaluation: each piece on its own, with no NLTK data."""

from __future__ import annotations

import argparse

import nltk
import pytest

from tools.evaluation import cli as eval_cli
from tools.evaluation import summaries as ev
from tools.evaluation.cli import build_parser


@pytest.fixture(autouse=True)
def no_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing may reach for NLTK data: there is no network."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("tried to download NLTK data")

    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(nltk.data, "load", refuse)
    monkeypatch.setattr(nltk.data, "find", refuse)


def test_plain_tokenizer_needs_no_nltk() -> None:
    tok = ev.PlainTokenizer()
    assert tok.to_sentences("One here. Two there! Dr. Who stays.") == (
        "One here.",
        "Two there!",
        "Dr. Who stays.",
    )
    assert tok.to_words("It’s 500 pounds, isn't it?") == ("It’s", "500", "pounds", "isn't", "it")


@pytest.mark.parametrize("method", ev.SUMY_METHODS)
def test_each_sumy_method_ranks_every_sentence_once(method: str) -> None:
    texts = [
        "Botox helped my neck pain a lot.",
        "Botox did nothing for my neck pain.",
        "The cost was 500 pounds.",
        "My neck pain went away after botox.",
        "I paid for it myself.",
    ]
    ranked = ev.sumy_ranking(method, texts, ["a", "a", "b", "c", "c"])
    assert sorted(ranked) == list(range(len(texts)))
    assert ev.sumy_ranking(method, [], []) == []


def test_cut_to_words_is_exact_and_in_input_order() -> None:
    texts = ["one two three.", "four five.", "six seven eight nine."]
    # best first: all of the third text (4 words), then the first word of the first
    assert ev.cut_to_words([2, 0, 1], texts, 5) == "one six seven eight nine."
    assert ev.cut_to_words([2, 0, 1], texts, 7) == "one two three. six seven eight nine."
    assert len(ev.rouge_tokens(ev.cut_to_words([1, 2, 0], texts, 4))) == 4
    assert ev.cut_to_words([0], texts, 100) == "one two three."


def test_rouge_scores_identical_text_perfectly() -> None:
    scorer = ev.rouge_scorer()
    same = ev.score(scorer, "Botox helps neck pain.", "Botox helps neck pain.")
    assert same.rouge1 == pytest.approx(1) and same.rouge2 == pytest.approx(1)
    none = ev.score(scorer, "Botox helps neck pain.", "Triptans are quick.")
    assert none.rouge1 == 0 and none.words == 3


def test_eval_without_summaries_runs_the_retrieval_eval(monkeypatch: pytest.MonkeyPatch) -> None:
    import tools.evaluation.retrieval as retrieval

    seen: list[argparse.Namespace] = []
    monkeypatch.setattr(retrieval, "run_retrieval_eval", lambda args: seen.append(args) or 7)
    args = build_parser().parse_args(["--split", "tune", "--json"])
    assert args.func is eval_cli.run and not args.summaries
    assert eval_cli.run(args) == 7
    assert seen[0].split == "tune" and seen[0].json
    assert build_parser().parse_args([]).split == "all"
