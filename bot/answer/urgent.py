"""Is the asker describing an emergency? Signs from config.yaml (`urgent_care.signs`) matched on
normalised words (bot/retrieval/phrases.py), plus optional regular expressions run by RE2.

A sign is weighed in its part of the message (a sentence, or a clause after "but", "anyway"):
people wrap an emergency in chit-chat ("loving it… but just now my face is sliding down… anyway
how long did it take u guys"), so what one part says does not silence another. A sign is
dropped when its part reports what a commenter wrote ("like elaine said"). Unless its part or
the next says it is happening now ("since", "today", "rn", "this time"), it is also dropped
when a joke marker ("lol") in its part comes with a figurative word near it ("hard to swallow
paying 500 pounds lol"), when it is habitual ("when i get a migraine"), long ago ("years
ago"), a question about risks in general ("does botox ever cause…") or has an everyday cause
("the numbing at the dentist"), or when its part or the next says it is over ("went away";
not for `lasting_flags`: a stroke's warning signs that pass are still urgent).
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
REPORT_WINDOW = 6  # words between a commenter's name and a sign that reports what they wrote
_SELF = frozenset("i im me my mine myself".split())
REPORT_OPENING = 3  # a name among a part's first words reports the whole part after it
_NEVER_NEGATED = frozenset({"now", "now_exceptions"})  # "cant keep my eyes open" is one
_NOT_NOW = ("long_ago", "habit", "general", "ordinary")
CUE_WINDOW = 10  # words between a sign and a cue about it (a figurative word, "years ago")
_NEGATION = frozenset({"not", "never", "no"})  # "wont go away" is not over
# "my husband says…", "her mum said…": someone the asker knows, not a commenter.
_POSSESSIVE = frozenset("my our his her their your ur".split())

# "christina said she slurs", "like leonardo described": the question reports what someone in
# the discussion wrote, not what is happening to anyone now. After a commenter's own name the
# plainer verbs count too ("betsy quit topamax", "glenn has…").
REPORTING = frozenset("said says mentioned mentions wrote writes described describes".split())
REPORTING_COMMENTER = REPORTING | frozenset("had has quit got talks talked".split())


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
            "general": _cue("general", care.general_cues),
            "ordinary": _cue("ordinary", care.ordinary_cause_cues),
            "now_exceptions": _cue("now_exceptions", care.now_exceptions),
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
        reported = self._reports(words, named, commenters)

        cues = self._cue_spans(tokens, words)

        def parts(cue: str) -> set[int]:
            return {part_of[s] for s, _ in cues.get(cue, ())}

        # "years ago" is not "20 min ago", "is that just for" not "just now": a now cue inside
        # a not-now cue or an exception does not count.
        not_now_spans = [sp for cue in (*_NOT_NOW, "now_exceptions") for sp in cues.get(cue, ())]
        now_spans = [
            (s, e)
            for s, e in cues.get("now", ())
            if not any(a <= s and e <= b for a, b in not_now_spans)
        ]
        now, jokes = {part_of[s] for s, _ in now_spans}, parts("joke")
        figurative = [s for s, _ in cues.get("figurative", ())] if jokes else []
        over = [s for s, _ in cues.get("over", ())]
        habit = [s for s, _ in cues.get("habit", ())]
        long_ago = [s for s, _ in cues.get("long_ago", ())]
        general = [s for s, _ in cues.get("general", ())]
        ordinary = [s for s, _ in cues.get("ordinary", ())]
        not_now = habit + long_ago + ordinary

        def part_start(i: int) -> int:
            return part_of.index(part_of[i])

        def reports(name: int, i: int) -> bool:
            """Whether word i reports what the commenter at `name` wrote: the words near the name,
            and the rest of a part the name opens ("glenn said he collapses…"); "worst pain of my
            life and ive had migraines since i was 8 like angelette" is the asker's own."""
            if part_of[name] != part_of[i]:
                return False
            if abs(i - name) <= REPORT_WINDOW:
                return True
            opens = name < REPORT_OPENING or part_of[name - REPORT_OPENING] != part_of[name]
            # ... until the asker turns to themself ("…thats happening to me rn too").
            return opens and i > name and not _SELF.intersection(words[name:i])

        def keep(rule: PhraseRule, at: tuple[int, ...]) -> bool:
            where = {part_of[i] for i in at}
            if all(any(reports(r, i) for r in reported) for i in at):
                return False
            # "…when i get a migraine usually, but this time…": the next part may say it too.
            near = range(min(at) - CUE_WINDOW, max(at) + CUE_WINDOW + 1)
            # A question about risks in general: only its own part can say it is happening
            # now ("does botox ever cause double vision? just want to know the risks").
            # A report then a question ("my eyelid droops, can botox do that?") is no general
            # question: after the sign it counts only if the asker has not spoken of themself.
            asks = any(
                s in near
                and part_of[s] in where
                and (s < min(at) or not _SELF.intersection(words[part_start(s) : s]))
                for s in general
            )
            if any(p in now or (p + 1 in now and not asks) for p in where):
                return True
            if where <= jokes and any(f in near for f in figurative):
                return False
            if asks or any(s in near and part_of[s] in where for s in not_now):
                return False
            # "…for a day but it went away": the part after the sign's says so too.
            ended = any(part_of[s] in where or part_of[s] - 1 in where for s in over)
            return rule.name in self._lasting or not ended

        return self.matcher.fired_in(tokens, keep)

    def _cue_spans(self, tokens: list[Token], words: list[str]) -> dict[str, list[tuple[int, int]]]:
        """Where each cue occurs; a negated one ("wont go away") does not count, except a now
        cue or its exceptions."""
        return {
            cue: [
                (s, e)
                for s, e in found
                if cue in _NEVER_NEGATED or not (s and words[s - 1] in _NEGATION)
            ]
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

    def by_example(self, text: str) -> Urgent:
        """The notice given because the text reads like an emergency example: the signs whose
        words it holds anywhere (none: no quote is about the same thing)."""
        rules = tuple(r for r in self.matcher.rules if self.matcher.mentions(text, r))
        return Urgent(("examples",), rules)

    def about_the_same(self, urgent: Urgent, passage: str) -> bool:
        """Whether a passage speaks of what set the notice off (its words, not just the drug)."""
        return any(self.matcher.mentions(passage, rule) for rule in urgent.rules)


@lru_cache(maxsize=8)
def detector_for(care: UrgentCare) -> UrgentDetector:
    """One detector per configuration, built on first use."""
    return UrgentDetector(care)
