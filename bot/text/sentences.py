"""Sentence spans: quotes are cut only at these boundaries, so they stay verbatim (a run-on
"sentence" over MAX_SENTENCE_CHARS is split at word boundaries into spans no longer)."""

from __future__ import annotations

import re

Span = tuple[int, int]

# A sentence ends at . ! ? or … (plus closing quotes/brackets) followed by white space, or at a
# line break. Lower-case next words ("appt. with") and titles ("Dr. Mauskop") do not end one.
_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s)|\n")
_ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "prof", "st", "vs", "e.g", "i.e", "etc", "approx", "no"}
# A "sentence" longer than this (a pasted page with no full stops) is cut at word boundaries into
# pieces no longer, so no passage, quote or summary line grows with the input. Above the seed
# corpus's longest real sentence (538 characters).
MAX_SENTENCE_CHARS = 1000
_SPACE = re.compile(r"\s*")


def sentence_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if m.group() != "\n" and not _ends_sentence(text, m.start(), end):
            continue
        _add(spans, text, start, end)
        start = end
    _add(spans, text, start, len(text))
    return spans


def _ends_sentence(text: str, stop: int, end: int) -> bool:
    word = re.search(r"([\w.]+)$", text[max(0, stop - 20) : stop])  # a bounded look-back
    if word and word.group(1).casefold() in _ABBREVIATIONS and text[stop] == ".":
        return False
    after = _SPACE.match(text, end).end()  # type: ignore[union-attr]
    return after == len(text) or not text[after].islower()


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    """Add text[start:end] without its surrounding white space, if anything is left."""
    chunk = text[start:end]
    left = len(chunk) - len(chunk.lstrip())
    right = len(chunk.rstrip())
    start, end = start + left, start + right
    while end - start > MAX_SENTENCE_CHARS:
        cut = _word_break(text, start, start + MAX_SENTENCE_CHARS)
        spans.append((start, cut))
        start = _SPACE.match(text, cut, end).end()  # type: ignore[union-attr]
    if end > start:
        spans.append((start, end))


def _word_break(text: str, start: int, limit: int) -> int:
    """Where to end a piece of text[start:limit]: after its last word that fits, or at the limit
    when there is no space at all (one enormous "word")."""
    space = max(text.rfind(" ", start, limit + 1), text.rfind("\n", start, limit + 1))
    if space <= start:
        return limit
    return len(text[start:space].rstrip()) + start  # a slice of at most MAX_SENTENCE_CHARS
