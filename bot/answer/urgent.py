"""Is the asker describing an emergency? Signs from config.yaml (`urgent_care.signs`) matched on
normalised words (bot/retrieval/phrases.py), plus optional regular expressions run by RE2."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.config import PhraseRule, UrgentCare
from bot.retrieval.phrases import PhraseMatcher
from bot.retrieval.tokenize import Tokenizer

# "christina said she slurs", "like leonardo described": the question reports what someone in
# the discussion wrote, not what is happening to anyone now. After a commenter's own name the
# plainer verbs count too ("betsy quit topamax", "glenn has…").
REPORTING = frozenset("said says mentioned mentions wrote writes described describes".split())
REPORTING_COMMENTER = REPORTING | frozenset("had has quit got".split())


@dataclass(frozen=True)
class Urgent:
    flags: tuple[str, ...]  # the signs (or "pattern") the question set off
    rules: tuple[PhraseRule, ...]  # the signs, to tell which quotes are about the same thing


class UrgentDetector:
    def __init__(self, care: UrgentCare, tokenizer: Tokenizer | None = None) -> None:
        self.care = care
        self.matcher = PhraseMatcher(care.signs, tokenizer or Tokenizer())

    def detect(
        self,
        text: str,
        named: frozenset[str] = frozenset(),
        commenters: frozenset[str] = frozenset(),
    ) -> Urgent | None:
        """The signs the text describes. named: names the discussion uses (commenters and whom
        they address); a question reporting what one wrote describes no one's emergency, so
        the signs are not looked for."""
        reports = (named or commenters) and self._reports(text, named | commenters, commenters)
        fired = [] if reports else self.matcher.fired(text)
        # RE2 takes UTF-8: a lone surrogate (from a broken terminal or client) becomes "?".
        raw = text.encode("utf-8", "replace").decode("utf-8")
        flags = [f.rule.name for f in fired]
        if any(p.search(raw) for p in self.care.patterns):
            flags.append("pattern")
        if not flags:
            return None
        return Urgent(tuple(dict.fromkeys(flags)), tuple(f.rule for f in fired))

    def _reports(self, text: str, named: frozenset[str], commenters: frozenset[str]) -> bool:
        words = [t.surface for t in self.matcher.tokens(text)]
        for i, word in enumerate(words):
            if word not in named:
                continue
            verbs = REPORTING_COMMENTER if word in commenters else REPORTING
            if (i and words[i - 1] == "like") or verbs & set(words[i + 1 : i + 3]):
                return True
        return False

    def about_the_same(self, urgent: Urgent, passage: str) -> bool:
        """Whether a passage speaks of what set the notice off (its words, not just the drug)."""
        return any(self.matcher.mentions(passage, rule) for rule in urgent.rules)


@lru_cache(maxsize=8)
def detector_for(care: UrgentCare) -> UrgentDetector:
    """One detector per configuration, built on first use."""
    return UrgentDetector(care)
