"""Which words are ordinary English, so typo repair leaves them alone.

A question's word the corpus never uses is either a real word the commenters happened not to use
("kicked", "drink") or a misspelling ("botax"). Only the second should be repaired: turning
"drink" into the corpus's "drunk" changes the question. pyspellchecker's English word-frequency
list (OpenSubtitles-derived, maintained) tells them apart; loaded once, on first use.
"""

from __future__ import annotations

from functools import lru_cache

from spellchecker import SpellChecker


@lru_cache(maxsize=1)
def _english() -> SpellChecker:
    return SpellChecker(language="en", distance=1)


def is_english_word(word: str) -> bool:
    """True for a word in the English dictionary (case-insensitive)."""
    return word.casefold() in _english()


def english_frequency(word: str) -> int:
    """How often the word occurs in the list's English text (0 if it is not English)."""
    return int(_english().word_frequency[word.casefold()])
