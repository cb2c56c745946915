"""Typo repair's fast path makes difflib's choice: same word, over any vocabulary."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.retrieval.typos import Vocabulary

letters = st.text(alphabet="abcdeéo'", min_size=1, max_size=9)


def difflib_choice(word: str, words: list[str], cutoff: float) -> str | None:
    found = difflib.get_close_matches(word, words, n=1, cutoff=cutoff)
    return found[0] if found else None


@settings(max_examples=600, deadline=None)
@given(
    words=st.lists(letters, max_size=60),
    word=letters,
    cutoff=st.sampled_from([0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0]),
)
def test_same_choice_as_difflib(words: list[str], word: str, cutoff: float) -> None:
    assert Vocabulary(words).closest(word, cutoff) == difflib_choice(word, words, cutoff)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(letters, min_size=1, max_size=40), data=st.data())
def test_one_letter_off_finds_what_difflib_finds(words: list[str], data: st.DataObject) -> None:
    target = data.draw(st.sampled_from(words))
    at = data.draw(st.integers(0, len(target)))
    word = target[:at] + data.draw(st.sampled_from("abz")) + target[at + 1 :]
    assert Vocabulary(words).closest(word, 0.8) == difflib_choice(word, words, 0.8)


def test_ties_and_edges_as_difflib() -> None:
    words = ["migraine", "migrane", "migrains", "botox", "x" * 300]
    for word in ["migranes", "migraine", "botax", "zzzzzzz", "", "x" * 299, "x" * 301]:
        for cutoff in (0.0, 0.6, 0.8, 1.0):
            assert Vocabulary(words).closest(word, cutoff) == difflib_choice(word, words, cutoff)
    assert Vocabulary([]).closest("botox", 0.8) is None
    # Equal ratios: difflib keeps the greatest word.
    assert Vocabulary(["abcx", "abcy"]).closest("abcz", 0.7) == "abcy"
