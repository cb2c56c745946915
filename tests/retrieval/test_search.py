from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.engine import Engine
from bot.retrieval.lexicon import LexiconError, load_lexicon
from bot.retrieval.search import Searcher, Semantic
from bot.retrieval.tokenize import Tokenizer
from tests.helpers import write


def test_lexicon_expands_below_the_askers_words(engine: Engine) -> None:
    searcher = engine.snapshot.searcher
    query = searcher.query("does zolmitriptan hurt your heart")
    weights = dict(zip(query.terms, query.weights, strict=True))
    assert weights["zolmitriptan"] == 1.0
    assert weights["zomig"] == searcher.settings.expansion_weight < 1.0
    top = searcher.rank("does zolmitriptan hurt your heart").hits[0]
    assert top.passage.comment_id == "mimi-2015-07-28"  # she wrote "zomig", never the generic


def test_typos_in_rare_words_are_repaired(engine: Engine) -> None:
    searcher = engine.snapshot.searcher
    clean = searcher.rank("topamax word loss")
    typo = searcher.rank("topamaxx wrod loss")
    assert "topamax" in typo.query.own
    assert typo.hits[0].passage.key == clean.hits[0].passage.key


def test_one_hit_per_comment_best_first(engine: Engine) -> None:
    ranking = engine.snapshot.searcher.rank("botox injections migraine neck pain")
    keys = [h.passage.key for h in ranking.hits]
    assert len(keys) == len(set(keys))
    scores = [h.score for h in ranking.hits]
    assert scores == sorted(scores, reverse=True)


def test_coverage_separates_unknown_topics(engine: Engine) -> None:
    searcher = engine.snapshot.searcher
    assert searcher.rank("does botox help with hair loss and dandruff").covered is False
    assert searcher.rank("did it help with neck pain").covered is True


def test_bad_lexicon_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "lexicon.yaml", "groups:\n  # brands\n  - [a, b]\n  - [lonely]\n")
    with pytest.raises(LexiconError) as info:
        load_lexicon(path, Tokenizer())
    assert info.value.line == 4 and "two or more" in str(info.value)


def test_a_one_letter_slip_in_a_short_word_is_repaired(engine: Engine) -> None:
    searcher = engine.snapshot.searcher
    query = searcher.query("how often do you go back for botax injections")
    assert "botox" in query.own and "botax" not in query.own


def test_real_english_words_are_not_repaired_into_corpus_words(engine: Engine) -> None:
    # "drink" is one letter from the corpus's "drunk": repairing it would change the question.
    searcher = engine.snapshot.searcher
    assert searcher.index.document_frequency("drunk")
    assert not searcher.index.document_frequency("drink")
    query = searcher.query("is it ok to drink after the injections")
    assert "drink" in query.own and "drunk" not in query.own


def test_a_name_the_discussion_never_mentions_is_not_covered(engine: Engine) -> None:
    searcher = engine.snapshot.searcher
    named = searcher.rank("does Emgality or Ajovy work better than Botox for migraines?")
    assert named.query.unknown_names == ("emgality", "ajovy")
    assert named.covered is False
    # The same words with names the discussion does use are covered.
    known = searcher.rank("does Topamax or Imitrex work better than Botox for migraines?")
    assert known.query.unknown_names == () and known.covered is True


def test_sentence_starts_and_shouting_are_not_names(engine: Engine) -> None:
    searcher = engine.snapshot.searcher
    assert searcher.query("Kicked in yet? Mine took weeks").unknown_names == ()
    assert searcher.query("DID IT MESS WITH ANYONE'S EYESIGHT").unknown_names == ()
    assert searcher.query("Did It Mess With Anyone's Eyesight").unknown_names == ()


def _stub_semantic(searcher: Searcher, near: str) -> Semantic:
    """Sentence vectors where only passages containing `near` point the question's way."""
    vectors = np.array(
        [[1.0, 0.0] if near in p.text else [0.0, 1.0] for p in searcher.passages], dtype=np.float32
    )
    return Semantic(vectors, lambda question: np.array([1.0, 0.0], dtype=np.float32))


def test_sentence_vectors_lift_a_passage_that_shares_no_word(engine: Engine) -> None:
    real = engine.snapshot.searcher
    plain = Searcher(real.passages, real.tokenizer, real.lexicon, real.settings)  # words only
    question = "did it make anyone feel drained"
    target = "theory is plausible"  # helen: nothing about feeling drained
    assert not any(target in h.passage.text for h in plain.rank(question).hits[:1])
    heavy = replace(plain.settings, semantic_weight=0.8)  # the vectors outweigh every word score
    fused = Searcher(
        plain.passages, plain.tokenizer, plain.lexicon, heavy, _stub_semantic(plain, target)
    )
    ranking = fused.rank(question)
    assert target in ranking.hits[0].passage.text
    # "Not covered" stays a word-matching decision: vectors only reorder.
    assert ranking.covered == plain.rank(question).covered
    off = Searcher(
        plain.passages,
        plain.tokenizer,
        plain.lexicon,
        replace(plain.settings, semantic_weight=0.0),
        _stub_semantic(plain, target),
    )
    assert [h.passage.key for h in off.rank(question).hits] == [
        h.passage.key for h in plain.rank(question).hits
    ]


def test_sentence_vectors_must_match_the_passages(engine: Engine) -> None:
    plain = engine.snapshot.searcher
    wrong = Semantic(np.zeros((3, 2), dtype=np.float32), lambda q: np.zeros(2, dtype=np.float32))
    with pytest.raises(ValueError, match="one sentence vector per passage"):
        Searcher(plain.passages, plain.tokenizer, plain.lexicon, plain.settings, wrong)
