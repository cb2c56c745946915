from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.retrieval.lexicon import LexiconError, load_lexicon
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
