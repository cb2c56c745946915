"""Is the asker describing an emergency? Signs from config.yaml (`urgent_care.signs`) matched on
normalised words (bot/retrieval/phrases.py), plus optional regular expressions run by RE2.

A sign is weighed in its part of the message (a sentence, or a clause after "but", "anyway"):
people wrap an emergency in chit-chat ("loving it… but just now my face is sliding down… anyway
how long did it take u guys"), so what one part says does not silence another. A sign is
dropped when its part reports what a commenter wrote ("like elaine said"). Unless its part or
the next says it is happening now ("since", "today", "rn", "this time"), it is also dropped
when a joke marker ("lol") in its part comes with a figurative word near it ("hard to swallow
paying 500 pounds lol"), when it is habitual ("when i get a migraine") or long ago ("years
ago"), or when its part or the next says it is over ("went away"; not for `lasting_flags`: a
stroke's warning signs that pass are still urgent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.config import PhraseRule, UrgentCare
from bot.retrieval.phrases import Fired, PhraseMatcher, Token
from bot.retrieval.tokenize import Tokenizer

# Where a message turns to something else: end of a sentence, a new line, or a word that
# changes the subject. Fixed and linear (no nested repetition).
_PART_BREAK = re.compile(
    r"[.!?;]+(?=\s|$)|\n|\b(?=(?:but|anyway|anyways|anyhow|however|tho|though|although|btw)\b)",
    re.IGNORECASE,
)
CUE_WINDOW = 10  # words between a sign and a cue about it (a figurative word, "years ago")
_NEGATION = frozenset({"not", "never", "no"})  # "wont go away" is not over
# "my husband says…", "her mum said…": someone the asker knows, not a commenter.
_POSSESSIVE = frozenset("my our his her their your ur".split())

# "christina said she slurs", "like leonardo described": the question reports what someone in
# the discussion wrote, not what is happening to anyone now. After a commenter's own name the
# plainer verbs count too ("betsy quit topamax", "glenn has…").
REPORTING = frozenset("said says mentioned mentions wrote writes described describes".split())
REPORTING_COMMENTER = REPORTING | frozenset("had has quit got".split())


@dataclass(frozen=True)
class Urgent:
    flags: tuple[str, ...]  # the signs (or "pattern") the question set off
    rules: tuple[PhraseRule, ...]  # the signs, to tell which quotes are about the same thing


def _cue(name: str, phrases: tuple[str, ...]) -> PhraseRule:
    return PhraseRule(name, (phrases,) if phrases else ())


class UrgentDetector:
    def __init__(self, care: UrgentCare, tokenizer: Tokenizer | None = None) -> None:
        self.care = care
        tokenizer = tokenizer or Tokenizer()
        self.matcher = PhraseMatcher(care.signs, tokenizer)
        self._cues = {
            "now": _cue("now", care.now_cues),
            "over": _cue("over", care.over_cues),
            "long_ago": _cue("long_ago", care.long_ago_cues),
            "habit": _cue("habit", care.habit_cues),
            "joke": _cue("joke", care.joke_cues),
            "figurative": _cue("figurative", care.figurative_cues),
        }
        self._cue_matcher = PhraseMatcher(tuple(self._cues.values()), tokenizer)
        self._lasting = frozenset(care.lasting_flags)

    def detect(
        self,
        text: str,
        named: frozenset[str] = frozenset(),
        commenters: frozenset[str] = frozenset(),
    ) -> Urgent | None:
        """The signs the text describes. named: names the discussion uses (commenters and whom
        they address); a part of the question reporting what one wrote describes no one's
        emergency, so signs there do not count."""
        fired = self._signs(text, named | commenters, commenters)
        # RE2 takes UTF-8: a lone surrogate (from a broken terminal or client) becomes "?".
        raw = text.encode("utf-8", "replace").decode("utf-8")
        flags = [f.rule.name for f in fired]
        if any(p.search(raw) for p in self.care.patterns):
            flags.append("pattern")
        if not flags:
            return None
        return Urgent(tuple(dict.fromkeys(flags)), tuple(f.rule for f in fired))

    def _signs(self, text: str, named: frozenset[str], commenters: frozenset[str]) -> list[Fired]:
        tokens: list[Token] = []
        part_of: list[int] = []
        for part, piece in enumerate(p for p in _PART_BREAK.split(text) if p and p.strip()):
            found = self.matcher.tokens(piece)
            tokens += found
            part_of += [part] * len(found)
        words = [t.surface for t in tokens]
        reported = {part_of[i] for i in self._reports(words, named, commenters)}

        cues = self._cue_spans(tokens, words)

        def parts(cue: str) -> set[int]:
            return {part_of[s] for s, _ in cues.get(cue, ())}

        now, jokes = parts("now"), parts("joke")
        figurative = [s for s, _ in cues.get("figurative", ())] if jokes else []
        over = [s for s, _ in cues.get("over", ())]
        habit = [s for s, _ in cues.get("habit", ())]
        long_ago = [s for s, _ in cues.get("long_ago", ())]

        def keep(rule: PhraseRule, at: tuple[int, ...]) -> bool:
            where = {part_of[i] for i in at}
            if where <= reported:
                return False
            # "…when i get a migraine usually, but this time…": the next part may say it too.
            if any(p in now or p + 1 in now for p in where):
                return True
            near = range(min(at) - CUE_WINDOW, max(at) + CUE_WINDOW + 1)
            if where <= jokes and any(f in near for f in figurative):
                return False
            if any(s in near and part_of[s] in where for s in habit + long_ago):
                return False
            # "…for a day but it went away": the part after the sign's says so too.
            ended = any(part_of[s] in where or part_of[s] - 1 in where for s in over)
            return rule.name in self._lasting or not ended

        return self.matcher.fired_in(tokens, keep)

    def _cue_spans(self, tokens: list[Token], words: list[str]) -> dict[str, list[tuple[int, int]]]:
        """Where each cue occurs; a negated one ("wont go away") does not count, except "now"."""
        return {
            cue: [(s, e) for s, e in found if cue == "now" or not (s and words[s - 1] in _NEGATION)]
            for cue, found in self._cue_matcher.spans(tokens).items()
        }

    @staticmethod
    def _reports(words: list[str], named: frozenset[str], commenters: frozenset[str]) -> list[int]:
        """Positions of names the question reports as having written something."""
        out = []
        for i, word in enumerate(words):
            if word not in named or (i and words[i - 1] in _POSSESSIVE):
                continue
            verbs = REPORTING_COMMENTER if word in commenters else REPORTING
            if (i and words[i - 1] == "like") or verbs & set(words[i + 1 : i + 3]):
                out.append(i)
        return out

    def about_the_same(self, urgent: Urgent, passage: str) -> bool:
        """Whether a passage speaks of what set the notice off (its words, not just the drug)."""
        return any(self.matcher.mentions(passage, rule) for rule in urgent.rules)


@lru_cache(maxsize=8)
def detector_for(care: UrgentCare) -> UrgentDetector:
    """One detector per configuration, built on first use."""
    return UrgentDetector(care)
