from __future__ import annotations

import pytest

from bot.retrieval.spelling import is_english_word


@pytest.mark.parametrize("word", ["drink", "change", "Kicked", "wrinkles"])
def test_english_words_are_known(word: str) -> None:
    assert is_english_word(word)


@pytest.mark.parametrize("word", ["botax", "injectons", "migrane", "emgality"])
def test_misspellings_and_brand_names_are_not(word: str) -> None:
    assert not is_english_word(word)
