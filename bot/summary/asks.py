"""What a topic asks about beyond its words: a topic phrased as a question of time ("how long
until it works", "how soon", "when does it kick in") is about the sentences that say when — "within
a couple of weeks", "after the first round", "three days ago", "until the dose was doubled" — more
than about the word "long" or "soon". Such a topic gets an expression kind, matched by pattern,
that stands in for its question words (see `TopicQuery.kinds`).

English only, by pattern: a duration with its amount, a numbered or counted course of treatment,
and words that place something in time. Rates ("every 3 months", "15 migraines a month") are not
durations and do not count.
"""

from __future__ import annotations

import re

TIME = "time"

_NUMBER = (
    r"(?:\d+(?:\s*[-–]\s*\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|a\s+few|few|a\s+couple\s+of|couple\s+of|several)"
)
_UNIT = r"(?:day|week|month|year|yr)s?"
_COURSE = r"(?:round|set|treatment|injection|session|series|shot|cycle|dose)s?"
_ORDINAL = r"(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|next|each|one\s+more)"

_TIME_PATTERNS = (
    # an amount of time: "5-6 weeks", "three days", "a couple of weeks" (not "every 3 months")
    rf"(?<!every\s)\b{_NUMBER}\s+(?:more\s+)?{_UNIT}\b",
    # "a month" after a word that makes it a span, not a rate ("15 migraines a month")
    rf"\b(?:for|after|within|in|about|around|over|nearly|almost|until|till)\s+an?\s+{_UNIT}\b",
    # a course of treatment counted or numbered: "after the first round", "3 rounds", "1st set"
    rf"\b(?:{_ORDINAL}|{_NUMBER})\s+(?:more\s+)?{_COURSE}\b",
    # words that place a change in time
    r"\b(?:so\s+far|thus\s+far|initially|at\s+first|until|till|within|ago|kick(?:ed|s)?\s+in"
    r"|t(?:ook|ake|akes)\s+effect|time\s+to\s+work)\b",
    # part of a month: "mid-March", "early June"
    r"\b(?:mid|early|late)[-\s](?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
)
_TIME = re.compile("|".join(f"(?:{p})" for p in _TIME_PATTERNS), re.IGNORECASE)

# A topic that asks about time, and the words of that question ("long" in "how long"). "When"
# and "until" only open such a question ("when does it kick in"); inside a topic they set a
# condition instead ("side effects when pregnant").
_ASKS_TIME = re.compile(
    r"\bhow\s+(?P<how>long|soon|quickly|fast)\b|\b(?P<word>timing|timeline)\b"
    r"|^\W*(?P<opening>when|until|till)\b"
    r"|\b(?P<time>time)\s+(?:to|before|until|till)\s+(?:it\s+)?(?:work|help|kick|take|see|notice"
    r"|feel|start|show)|\b(?P<takes>time)\s+it\s+takes\b"
    r"|\bhow\s+many\s+(?:days|weeks|months|rounds|sessions|treatments)\b",
    re.IGNORECASE,
)
_QUESTION_WORDS = ("how", "word", "opening", "time", "takes")

MAX_TOPIC_CHARS = 500  # a topic is a few words; longer text is not searched for a question


def asked_kinds(topic: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(kinds, question words): the expression kinds a topic asks about and the words of the
    question itself, which the kind replaces as search words."""
    found = list(_ASKS_TIME.finditer(topic[:MAX_TOPIC_CHARS]))
    if not found:
        return (), ()
    words = [w for m in found for w in (m.group(g) for g in _QUESTION_WORDS) if w]
    return (TIME,), tuple(dict.fromkeys(w.casefold() for w in words))


def has_kind(text: str, kind: str) -> bool:
    if kind == TIME:
        return _TIME.search(text) is not None
    return False
