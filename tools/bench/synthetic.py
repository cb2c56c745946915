"""Synthetic, seeded corpora for the benchmark: token lists with a Zipf-distributed vocabulary.

The passages stand for what the tokenizer hands the index (stems, stop words already gone), so
they are lists of pseudo-words. Word r (1-based rank) is drawn with probability ∝ 1 / r^s, as in
natural text (Zipf's law, s ≈ 1); passage lengths are about 60 tokens. Everything depends only
on the arguments: the same seed gives the same corpus and the same queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

DEFAULT_SEED = 20120217
VOCABULARY_SIZE = 50_000
ZIPF_EXPONENT = 1.0
MEAN_TOKENS = 60
_CHUNK = 10_000  # passages drawn per step, so generation never holds more than one chunk's arrays

_ONSETS = (
    "b c d f g h j k l m n p r s t v w z br ch cl cr dr fl gr kn pl pr sh sl sp st th tr".split()
)
_VOWELS = "a e i o u ai ea ee io oo ou".split()
_CODAS = ["", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ck", "ng"]


def pseudo_words(count: int, seed: int = DEFAULT_SEED) -> list[str]:
    """`count` distinct pronounceable pseudo-words of 1–4 syllables (mostly 1–2, as in English),
    in a seeded order."""
    rng = np.random.default_rng(seed)
    words: dict[str, None] = {}
    while len(words) < count:
        n = count - len(words)
        syllables = rng.choice([1, 2, 3, 4], size=n, p=[0.3, 0.4, 0.2, 0.1])
        onsets = rng.integers(0, len(_ONSETS), size=(n, 4))
        vowels = rng.integers(0, len(_VOWELS), size=(n, 4))
        codas = rng.integers(0, len(_CODAS), size=n)
        for i in range(n):
            parts = [_ONSETS[onsets[i, j]] + _VOWELS[vowels[i, j]] for j in range(syllables[i])]
            words.setdefault("".join(parts) + _CODAS[codas[i]])
    return list(words)[:count]


def zipf_probabilities(size: int, exponent: float = ZIPF_EXPONENT) -> np.ndarray:
    """P(rank r) ∝ 1 / r^exponent for r = 1..size."""
    weights = 1.0 / np.arange(1, size + 1, dtype=np.float64) ** exponent
    return weights / weights.sum()


@dataclass(frozen=True)
class ZipfSource:
    """A seeded word distribution: draws passages and queries from the same vocabulary."""

    words: np.ndarray  # object array of str, most frequent first
    cdf: np.ndarray
    seed: int

    @classmethod
    def create(
        cls,
        vocabulary_size: int = VOCABULARY_SIZE,
        exponent: float = ZIPF_EXPONENT,
        seed: int = DEFAULT_SEED,
    ) -> ZipfSource:
        words = np.empty(vocabulary_size, dtype=object)
        words[:] = pseudo_words(vocabulary_size, seed)
        cdf = np.cumsum(zipf_probabilities(vocabulary_size, exponent))
        cdf[-1] = 1.0
        return cls(words, cdf, seed)

    def draw(self, rng: np.random.Generator, count: int) -> np.ndarray:
        """`count` word ranks (0-based), Zipf-distributed."""
        return np.minimum(
            np.searchsorted(self.cdf, rng.random(count), side="right"), len(self.cdf) - 1
        )

    def passages(self, count: int, mean_tokens: int = MEAN_TOKENS) -> list[list[str]]:
        return list(self.iter_passages(count, mean_tokens))

    def iter_passages(self, count: int, mean_tokens: int = MEAN_TOKENS) -> Iterator[list[str]]:
        """Passages of mean_tokens ± a quarter (normal, clipped to [mean/4, 2 × mean]) tokens."""
        rng = np.random.default_rng([self.seed, 1])
        done = 0
        while done < count:
            n = min(_CHUNK, count - done)
            lengths = rng.normal(mean_tokens, mean_tokens / 4, size=n).round()
            lengths = lengths.clip(max(1, mean_tokens // 4), 2 * mean_tokens).astype(np.int64)
            tokens = self.words[self.draw(rng, int(lengths.sum()))]
            ends = np.cumsum(lengths)
            for start, end in zip((ends - lengths).tolist(), ends.tolist(), strict=True):
                yield tokens[start:end].tolist()
            done += n

    def queries(self, count: int, min_terms: int = 2, max_terms: int = 8) -> list[list[str]]:
        """Queries of min_terms..max_terms words from the same Zipf distribution (so some repeat
        and, on a small corpus, some never occur in it)."""
        rng = np.random.default_rng([self.seed, 2])
        sizes = rng.integers(min_terms, max_terms + 1, size=count)
        return [self.words[self.draw(rng, int(n))].tolist() for n in sizes]


def token_corpus(
    passages: int,
    seed: int = DEFAULT_SEED,
    vocabulary_size: int = VOCABULARY_SIZE,
    mean_tokens: int = MEAN_TOKENS,
) -> list[list[str]]:
    """The benchmark corpus of `passages` token lists (Zipf vocabulary, ~mean_tokens each)."""
    return ZipfSource.create(vocabulary_size, seed=seed).passages(passages, mean_tokens)


def searcher_for(corpus: list[list[str]], variant: str = "lucene", seed: int = DEFAULT_SEED) -> Any:
    """A `Searcher` over passages whose text is each token list's words, in comments of 1–4
    consecutive passages (no lexicon: its synonym groups are about the seed discussion)."""
    from bot.retrieval.lexicon import Lexicon
    from bot.retrieval.passages import Passage
    from bot.retrieval.search import Searcher, SearchSettings
    from bot.retrieval.tokenize import Tokenizer

    rng = np.random.default_rng([seed, 3])
    sizes = rng.integers(1, 5, size=len(corpus) + 1)
    passages, comment, left = [], 0, int(sizes[0])
    for i, tokens in enumerate(corpus):
        if left == 0:
            comment += 1
            left = int(sizes[comment])
        left -= 1
        text = " ".join(tokens) + "."
        passages.append(
            Passage(
                index=i,
                document_id="bench",
                document_title="Synthetic discussion",
                source_url=None,
                kind="comment",
                comment_id=f"c{comment}",
                author=f"reader{comment % 997}",
                date=None,
                in_reply_to=None,
                in_reply_to_id=None,
                text=text,
                start=0,
                end=len(text),
                source_length=len(text),
                sentences=((0, len(text)),),
            )
        )
    settings = SearchSettings(variant=variant)  # type: ignore[arg-type]
    return Searcher(passages, Tokenizer(), Lexicon(), settings)


def typo_questions(queries: list[list[str]], seed: int = DEFAULT_SEED) -> list[str]:
    """The queries as question text; in one of five, a word of 5+ letters has two letters
    swapped, so typo repair searches the vocabulary."""
    rng = np.random.default_rng([seed, 4])
    out = []
    for n, words in enumerate(queries):
        words = list(words)
        long = [i for i, w in enumerate(words) if len(w) >= 5]
        if n % 5 == 4 and long:
            i = long[int(rng.integers(len(long)))]
            w = words[i]
            j = int(rng.integers(1, len(w) - 2))
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        out.append(" ".join(words) + "?")
    return out
