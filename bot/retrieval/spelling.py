"""Which words are ordinary English, so typo repair leaves them alone.

A question's word the corpus never uses is either a real word the commenters happened not to use
("kicked", "drink") or a misspelling ("botax"). Only the second should be repaired: turning
"drink" into the corpus's "drunk" changes the question. pyspellchecker's English word-frequency
list (OpenSubtitles-derived, maintained) tells them apart. It takes ~0.15 s to load, once: the
engine loads it at start-up so that the first question does not pay for it.
"""

from __future__ import annotations

from functools import lru_cache

from spellchecker import SpellChecker


@lru_cache(maxsize=1)
def _english() -> SpellChecker:
    return SpellChecker(language="en", distance=1)


def load_english_words() -> None:
    """Load the word list now (it is loaded on first use otherwise)."""
    _english()


def is_english_word(word: str) -> bool:
    """True for a word in the English dictionary (case-insensitive)."""
    return word.casefold() in _english()


def english_frequency(word: str) -> int:
    """How often the word occurs in the list's English text (0 if it is not English)."""
    return int(_english().word_frequency[word.casefold()])


def _single_letters(word: str) -> str:
    return "".join(c for i, c in enumerate(word) if i == 0 or c != word[i - 1])


@lru_cache(maxsize=1)
def _english_single_letters() -> frozenset[str]:
    """English words with doubled letters written once: "reccomend" and "recommend" meet."""
    return frozenset(_single_letters(w) for w in _english().word_frequency.dictionary)


def load_misspelling_index() -> None:
    """Build the doubled-letter index now (~0.5 s; built on the first name-like word otherwise).
    A long-running bot does this at start; a one-question command may never need it."""
    _english_single_letters()


def is_misspelt_english(word: str) -> bool:
    """True for a slip of an English word: one edit away ("exaustion"), or doubled letters
    wrong ("reccomend"). Names like "aimovig" are neither."""
    word = word.casefold()
    if _single_letters(word) in _english_single_letters():
        return True
    return bool(_english().known(_english().edit_distance_1(word)))
