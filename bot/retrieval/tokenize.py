"""Every tokenizing choice in one place, for passages and questions alike.

Choices (tuned by `make eval`): case-folding; curly apostrophes and quotes normalized;
"n't" becomes the word "not" so negations survive; possessive/contraction endings dropped;
function words and question filler ("does", "anyone", "what") removed, negations kept;
Snowball (Porter 2) stemming so "injections" and "injected" meet at "inject".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"'})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_CONTRACTION = re.compile(r"'(?:s|ve|re|ll|d|m)$")
_SENTENCE_END = re.compile(r"[.!?:;\n]")

NEGATIONS = frozenset({"no", "not", "nor", "never", "none", "nothing", "without"})

# English function words plus the filler questions are made of. Negations are kept on purpose.
STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any anybody anyone are as at be because been
    before being below between both but by can could did do does doing down during each else ever
    everyone few for from further had has have having he her here hers herself him himself
    his how i if in into is it its itself just let me might more most must my myself of off on once
    only or other our ours ourselves out over own people person same shall she should so some
    somebody someone such than that the their theirs them themselves then there these they this
    those through to too under until up very was we were what when where which while who whom why
    will with would you your yours yourself yourselves also really anything something else u ur
    im ive id ill dont etc tell know think thing things anybody folks guys hi hello thanks please
    """.split()
)

# Words that carry no content in a question (but may in a comment): dropped from questions only.
QUESTION_WORDS = frozenset(
    """
    get got getting gets make makes made go going goes done happen happens happened give given
    else anybody anyone everybody someone people folks guys ok okay mean means like kind sort
    lot lots bit much many thing things way ways actually really
    """.split()
)


@dataclass(frozen=True)
class TokenizerSettings:
    stem: bool = True
    stop_words: bool = True


class Tokenizer:
    def __init__(self, settings: TokenizerSettings | None = None) -> None:
        self.settings = settings or TokenizerSettings()
        self._stemmer = Stemmer.Stemmer("english")
        self._stem = lru_cache(maxsize=200_000)(self._stemmer.stemWord)

    def words(self, text: str) -> list[str]:
        """Normalized words before stop-word removal and stemming."""
        text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
        out: list[str] = []
        for word in _WORD.findall(text):
            if word.endswith("n't"):
                base = word[:-3]
                if base not in {"ca", "wo", "sha", "do", "does", "did", "is", "are", "was"}:
                    out.append(base)
                out.append("not")
                continue
            out.append(_CONTRACTION.sub("", word).replace("'", ""))
        return out

    def names(self, text: str) -> set[str]:
        """Normalized words written with a capital inside a sentence ("does Emgality help?"):
        the asker naming a drug, a place, a person. Nothing when most words are capitalized,
        since shouting and Title Case capitalize everything."""
        text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
        found = list(_WORD.finditer(text))
        if sum(m.group()[0].isupper() for m in found) * 2 > len(found):
            return set()
        names: set[str] = set()
        for i, m in enumerate(found):
            word = m.group()
            starts_sentence = i == 0 or _SENTENCE_END.search(text, found[i - 1].end(), m.start())
            if word[0].isupper() and not starts_sentence and word.split("'")[0] != "I":
                names.update(self.words(word))
        return names

    def __call__(self, text: str) -> list[str]:
        return self.terms(self.words(text))

    def terms(self, words: list[str]) -> list[str]:
        """Index terms from normalized words: stop words out, stems in."""
        if self.settings.stop_words:
            words = [w for w in words if w not in STOP_WORDS]
        if self.settings.stem:
            words = [self._stem(w) for w in words]
        return words

    def stem(self, word: str) -> str:
        """One word stemmed (or not, per the settings), stop word or not."""
        return self._stem(word) if self.settings.stem else word

    def term(self, word: str) -> str:
        """One word as the index stores it (for lexicon entries and typo candidates)."""
        terms = self(word)
        return terms[0] if terms else ""
