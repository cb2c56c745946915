"""Typo repair over a large vocabulary: difflib's choice, found without scanning every word.

`difflib.get_close_matches(word, words, n=1, cutoff)` compares the word with every vocabulary
word in Python (28 ms at 100k passages). Its ratio, 2 × M / (len(a) + len(b)), counts in M the
characters of matching blocks: a common subsequence, so M is at most the longest common
subsequence (rapidfuzz's Indel ratio), which is at most the number of characters the two words
share counted with multiplicity. Two filters that never drop a word difflib would accept — the
shared-character count (numpy, over the words of a possible length), then rapidfuzz's ratio —
leave a handful of words, and difflib picks among them exactly as it would among all.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable

import numpy as np
from rapidfuzz import fuzz, process


class Vocabulary:
    def __init__(self, words: Iterable[str]) -> None:
        unique = set(words)
        # Words over 255 characters (hostile input) skip the count filter: always candidates.
        self.long_words = sorted(w for w in unique if len(w) > 255)
        by_length = sorted((w for w in unique if len(w) <= 255), key=lambda w: (len(w), w))
        self.words = by_length
        self.lengths = np.array([len(w) for w in by_length], dtype=np.int64)
        alphabet = sorted({c for w in by_length for c in w})
        self.column = {c: i for i, c in enumerate(alphabet)}
        counts = np.zeros((len(by_length), len(alphabet)), dtype=np.uint8)
        for row, word in enumerate(by_length):
            for c in word:
                counts[row, self.column[c]] += 1
        self.counts = np.ascontiguousarray(
            counts.T
        )  # letter × word: one letter's row is contiguous

    def closest(self, word: str, cutoff: float) -> str | None:
        """difflib.get_close_matches(word, words, n=1, cutoff)[0], or None."""
        if not 0 < cutoff <= 1 or len(word) > 255:
            found = difflib.get_close_matches(
                word, self.words + self.long_words, n=1, cutoff=cutoff
            )
            return found[0] if found else None
        n = len(word)
        # 2 × min(n, m) / (n + m) ≥ cutoff bounds the other word's length m.
        lo = int(np.searchsorted(self.lengths, n * cutoff / (2 - cutoff) - 1e-9, side="left"))
        hi = int(np.searchsorted(self.lengths, n * (2 - cutoff) / cutoff + 1e-9, side="right"))
        # Characters shared with each word, with multiplicity; only the word's own letters count.
        shared = np.zeros(hi - lo, dtype=np.int16)
        for c, times in Counter(word).items():
            i = self.column.get(c)
            if i is not None:
                shared += np.minimum(self.counts[i, lo:hi], times)
        need = cutoff * (n + self.lengths[lo:hi]) / 2 - 1e-9
        rows = np.flatnonzero(shared >= need) + lo
        candidates = [self.words[i] for i in rows.tolist()] + self.long_words
        if not candidates:
            return None
        near = process.extract(
            word, candidates, scorer=fuzz.ratio, score_cutoff=cutoff * 100 - 1e-6, limit=None
        )
        found = difflib.get_close_matches(word, [w for w, _, _ in near], n=1, cutoff=cutoff)
        return found[0] if found else None
