"""Questions the discussion cannot answer even when its words match: about people it says
nothing of (a child, a pregnancy) or a drug it never names ("aimovig", in any casing).

A dose or interval quoted for an adult's Botox is no answer to "what dose for my 9 year old" or
"is it safe at 12 weeks pregnant". Searcher.rank asks this module, cheaply: the population
rules run on the question, and on the top passages only when the question names someone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cached_property

from bot.config import NotCovered
from bot.retrieval.phrases import PhraseMatcher
from bot.retrieval.spelling import is_english_word, is_misspelt_english
from bot.retrieval.tokenize import Tokenizer

NAME_MIN_LENGTH = 5  # shorter unknown words are too often chat abbreviations ("idk", "tbh")
NAMES_FROM_PASSAGES = 20_000
_LETTERS = re.compile(r"[^\W\d_]+")
_NAME_PARTS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


# Chat drops apostrophes: "anyones", "doesnt", "youre" are English words run together.
_CONTRACTION_ENDINGS = ("s", "nt", "re", "ve", "ll", "d")
_REPEATED = re.compile(r"(\w{1,3})\1+\w?")  # "hahaha", "lololol", "hehe"


def _chat_english(word: str) -> bool:
    """English as people type it: apostrophes dropped ("anyones", "doesnt"), two words run
    together ("thankyou"), laughter ("hahaha")."""
    if is_english_word(word) or _REPEATED.fullmatch(word):
        return True
    if any(
        word.endswith(end) and len(word) - len(end) >= 2 and is_english_word(word[: -len(end)])
        for end in _CONTRACTION_ENDINGS
    ):
        return True
    return any(
        is_english_word(word[:i]) and is_english_word(word[i:]) for i in range(3, len(word) - 2)
    )


class Scope:
    def __init__(
        self,
        rules: NotCovered,
        tokenizer: Tokenizer,
        authors: Iterable[str] = (),
        texts: Sequence[str] = (),
    ) -> None:
        self.rules = rules
        self.tokenizer = tokenizer
        self.matcher = PhraseMatcher(rules.populations, tokenizer)
        self.drugs = frozenset(rules.drugs)
        # Commenters' names are asked about ("how often does helen…", "betsys neuro"), and
        # the passages (comment texts) need not contain them.
        # Usernames run words together: "ChristinaLCM" is Christina.
        names = {w for a in authors for w in tokenizer.words(" ".join(_NAME_PARTS.findall(a)))}
        names |= {w for a in authors for w in tokenizer.words(a)}
        self.people = frozenset(names | {n + "s" for n in names})
        self._texts = texts

    @cached_property
    def named_people(self) -> frozenset[str]:
        """Commenters, and words the discussion only ever writes with a capital ("Christina",
        "Leonardo"): names. From the first passages only (bounded on a huge corpus)."""
        capitalized: set[str] = set()
        lower: set[str] = set()
        for text in self._texts[:NAMES_FROM_PASSAGES]:
            for word in _LETTERS.findall(text):
                (capitalized if word[0].isupper() else lower).add(word.casefold())
        return self.people | frozenset(w for w in capitalized - lower if len(w) >= 3)

    def is_unknown_name(self, word: str, known: bool, in_corpus: bool) -> bool:
        """A listed drug the corpus never names (even if the lexicon knows it as a kind of
        painkiller: "ibuprofen"), or a word the corpus, the lexicon and typo repair could not
        place and that is not English, which in a health question is a name: "aimovig"."""
        word = word.casefold()
        if word in self.people:
            return False
        if word in self.drugs:
            return not in_corpus
        return (
            not known
            and self.rules.unknown_words
            and len(word) >= NAME_MIN_LENGTH
            and word.isalpha()
            and not _chat_english(word)
            and not is_misspelt_english(word)
        )

    def people_not_covered(self, question: str, passages: Sequence[str]) -> tuple[str, ...]:
        """The populations the question is about that none of the given passages is about."""
        if not self.rules.populations:
            return ()
        asked = self.matcher.fired(question)
        if not asked:
            return ()
        about = [{f.rule.name for f in self.matcher.fired(text)} for text in passages]
        return tuple(f.rule.name for f in asked if not any(f.rule.name in names for names in about))
