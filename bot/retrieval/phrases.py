"""Phrase rules matched on normalised words, the way people actually type.

Used for the urgent-care signs and for the people a discussion says nothing of (config.yaml,
`urgent_care.signs`, `not_covered.populations`). A question and every phrase go through the same
steps as retrieval (bot/retrieval/tokenize.py: case-folding, apostrophes, "n't" → "not",
Snowball stems, so "drooping" meets "droop"), plus chat slang ("cant" → "not", "rn" → "now") and
typo repair towards the rules' own words ("hedache" → "headache"), for words that are not
English (bot/retrieval/spelling.py), so "breath" is never turned into something else.

A phrase word may end in `*` (any word starting so: `paraly*`) or be `<N` / `>N` (a number
below or above N: `<18 year old`). A rule fires when the question holds a phrase of every group
within `within` words and no `unless` phrase.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.config import PhraseRule
from bot.retrieval.spelling import is_english_word
from bot.retrieval.tokenize import Tokenizer

# Chat spellings of the words rules are written with. "can't" already becomes "not".
SLANG = {
    "cant": "not",
    "cannot": "not",
    "cnt": "not",
    "couldnt": "not",
    "wont": "not",
    "dont": "not",
    "didnt": "not",
    "isnt": "not",
    "doesnt": "not",
    "aint": "not",
    "havent": "not",
    "hasnt": "not",
    "hadnt": "not",
    "wasnt": "not",
    "werent": "not",
    "rn": "now",
    "atm": "now",
    "u": "you",
    "ur": "your",
    "im": "i",
    "ive": "i",
    "ppl": "people",
    "yo": "year old",  # "9 yo", "9yo"
    "yr": "year",
    "yrs": "year",
    "y": "year",  # "9 y/o"
    "o": "old",
    "outta": "out of",
    "gonna": "going to",
    "wanna": "want to",
    "wks": "week",
    "wk": "week",
    "bc": "because",
    "cuz": "because",
    "preggo": "pregnant",
    "preggers": "pregnant",
}
_NUMBER_WORD = re.compile(r"^(\d+)([^\W\d_]+)$")  # "9yo", "12weeks"
REPAIR_MIN_LENGTH = 4
REPAIR_CUTOFF = 0.8  # difflib similarity: one slip in a five-letter word ("breth")


@dataclass(frozen=True)
class Token:
    surface: str  # the normalised word ("drooping"), or what its typo was repaired to
    stem: str  # as the index would store it ("droop")


@dataclass(frozen=True)
class _Word:
    """One word of a configured phrase."""

    surface: str
    stem: str
    prefix: bool = False  # `paraly*`
    below: int | None = None  # `<18`
    above: int | None = None  # `>74`

    def matches(self, token: Token) -> bool:
        if self.below is not None or self.above is not None:
            if not token.surface.isdecimal() or len(token.surface) > 9:
                return False
            number = int(token.surface)
            if self.below is not None:
                return number < self.below
            return self.above is not None and number > self.above
        if self.prefix:
            return token.surface.startswith(self.surface)
        return token.stem == self.stem or token.surface == self.surface


Phrase = tuple[_Word, ...]


@dataclass(frozen=True)
class Fired:
    rule: PhraseRule
    words: tuple[str, ...]  # the question's words that matched, as repaired
    at: tuple[int, ...] = ()  # their positions among the question's tokens


# Whether a match (the rule, the positions of its words) counts; see PhraseMatcher.fired.
Keep = Callable[[PhraseRule, tuple[int, ...]], bool]


@dataclass(frozen=True)
class _Compiled:
    rule: PhraseRule
    groups: tuple[tuple[Phrase, ...], ...]
    unless: tuple[Phrase, ...]


class PhraseMatcher:
    def __init__(self, rules: Sequence[PhraseRule], tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self._compiled = tuple(
            _Compiled(
                rule,
                tuple(tuple(self._phrase(p) for p in group) for group in rule.groups),
                tuple(self._phrase(p) for p in rule.unless),
            )
            for rule in rules
        )
        words = {
            w.surface
            for c in self._compiled
            for group in c.groups
            for phrase in group
            for w in phrase
            if not w.prefix and w.surface.isalpha()
        }
        self._vocabulary = sorted(w for w in words if len(w) >= REPAIR_MIN_LENGTH)
        self._known = frozenset(words)
        self._stems = {tokenizer.term(w) or w: w for w in self._vocabulary}
        self._repair = lru_cache(maxsize=4096)(self._repair_uncached)

    @property
    def rules(self) -> tuple[PhraseRule, ...]:
        return tuple(c.rule for c in self._compiled)

    # --- normalising ------------------------------------------------------------------
    def _words(self, text: str) -> list[str]:
        out: list[str] = []
        for word in self.tokenizer.words(text):
            split = _NUMBER_WORD.match(word)
            parts = [split.group(1), split.group(2)] if split else [word]
            for part in parts:
                out.extend(SLANG.get(part, part).split())
        return out

    def _stem(self, word: str) -> str:
        # Stop words are kept here: "one side", "can not" and "my kid" need them.
        return self.tokenizer.stem(word)

    def _phrase(self, text: str) -> Phrase:
        out = []
        for raw in str(text).casefold().split():
            if raw[:1] in "<>" and raw[1:].isdecimal() and len(raw) < 10:
                limit = int(raw[1:])
                if raw[0] == "<":
                    out.append(_Word(raw, raw, below=limit))
                else:
                    out.append(_Word(raw, raw, above=limit))
            elif raw.endswith("*") and len(raw) > 1:
                stem = raw[:-1]
                out.append(_Word(stem, stem, prefix=True))
            else:
                out.extend(_Word(w, self._stem(w)) for w in self._words(raw))
        return tuple(out)

    def tokens(self, text: str) -> list[Token]:
        """The question's words, normalised and with typos repaired towards the rules' words."""
        return [self._repair(w) for w in self._words(text)]

    def _repair_uncached(self, word: str) -> Token:
        stem = self._stem(word)
        if (
            len(word) < REPAIR_MIN_LENGTH
            or not word.isalpha()
            or word in self._known
            or stem in self._stems
            or is_english_word(word)
        ):
            return Token(word, stem)
        close = difflib.get_close_matches(word, self._vocabulary, n=1, cutoff=REPAIR_CUTOFF)
        if not close:
            close = [
                self._stems[s]
                for s in difflib.get_close_matches(stem, self._stems, n=1, cutoff=REPAIR_CUTOFF)
            ]
        return Token(close[0], self._stem(close[0])) if close else Token(word, stem)

    # --- matching ---------------------------------------------------------------------
    def fired(self, text: str) -> list[Fired]:
        """Every rule the text sets off, in configured order."""
        return self.fired_in(self.tokens(text))

    def fired_in(self, tokens: list[Token], keep: Keep | None = None) -> list[Fired]:
        """Every rule the tokens set off; with keep, only matches it accepts count (another
        place in the question may still set the rule off)."""
        indexed = _Tokens(tokens)
        out = []
        for c in self._compiled:
            at = _match(c, indexed, keep)
            if at is not None:
                out.append(Fired(c.rule, tuple(tokens[i].surface for i in at), at))
        return out

    def spans(self, tokens: list[Token]) -> dict[str, list[tuple[int, int]]]:
        """Where each rule's phrases (any group) occur among the tokens: (start, end) by name."""
        indexed = _Tokens(tokens)
        return {
            c.rule.name: sorted(
                (i, i + len(p)) for g in c.groups for p in g for i in _occurrences(p, indexed)
            )
            for c in self._compiled
        }

    def mentions(self, text: str, rule: PhraseRule) -> bool:
        """Whether the text holds a phrase of every group of the rule, anywhere, ignoring
        `unless`: a passage about the same thing, even if it is not an emergency itself."""
        tokens = _Tokens(self.tokens(text))
        compiled = next(c for c in self._compiled if c.rule is rule)
        return all(any(_occurrences(p, tokens) for p in group) for group in compiled.groups)


class _Tokens:
    """A question's tokens with the positions of each word, so a phrase is only tried where
    its first word occurs (hundreds of phrases, most absent from any one question)."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.at: dict[str, list[int]] = {}
        for i, t in enumerate(tokens):
            self.at.setdefault(t.stem, []).append(i)
            if t.surface != t.stem:
                self.at.setdefault(t.surface, []).append(i)

    def starts(self, first: _Word) -> Iterable[int]:
        if first.prefix:
            return sorted(
                {i for w, at in self.at.items() if w.startswith(first.surface) for i in at}
            )
        if first.below is not None or first.above is not None:
            return range(len(self.tokens))
        if first.stem == first.surface:
            return self.at.get(first.stem, ())
        return sorted(set(self.at.get(first.stem, ())) | set(self.at.get(first.surface, ())))


def _occurrences(phrase: Phrase, tokens: _Tokens) -> list[int]:
    n = len(phrase)
    if not n:
        return []
    words = tokens.tokens
    return [
        i
        for i in tokens.starts(phrase[0])
        if i + n <= len(words) and all(w.matches(words[i + j]) for j, w in enumerate(phrase))
    ]


def _match(c: _Compiled, tokens: _Tokens, keep: Keep | None = None) -> tuple[int, ...] | None:
    """The positions of the matched words when every group has a phrase inside one window (and
    keep accepts them), else None."""
    if any(_occurrences(p, tokens) for p in c.unless):
        return None
    spans: list[list[tuple[int, int]]] = []
    for group in c.groups:
        found = [(i, i + len(p)) for p in group for i in _occurrences(p, tokens)]
        if not found:
            return None
        spans.append(sorted(found))
    if len(spans) == 1:
        for s, e in spans[0]:
            at = tuple(range(s, e))
            if keep is None or keep(c.rule, at):
                return at
        return None
    for start in sorted({s for found in spans for s, _ in found}):
        end = start + max(c.rule.within, 1)
        chosen = [
            next((sp for sp in found if sp[0] >= start and sp[1] <= end), None) for found in spans
        ]
        if all(chosen):
            at = tuple(i for s, e in sorted(sp for sp in chosen if sp) for i in range(s, e))
            if keep is None or keep(c.rule, at):
                return at
    return None
