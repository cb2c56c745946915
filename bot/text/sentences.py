"""Sentence spans: quotes are cut only at these boundaries, so they stay verbatim."""

from __future__ import annotations

import re

Span = tuple[int, int]

# A sentence ends at . ! ? or … (plus closing quotes/brackets) followed by white space, or at a
# line break. Lower-case next words ("appt. with") and titles ("Dr. Mauskop") do not end one.
_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s)|\n")
_ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "prof", "st", "vs", "e.g", "i.e", "etc", "approx", "no"}


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
    following = text[end:].lstrip()
    return not following or not following[0].islower()


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    """Add text[start:end] without its surrounding white space, if anything is left."""
    chunk = text[start:end]
    left = len(chunk) - len(chunk.lstrip())
    right = len(chunk.rstrip())
    if right > left:
        spans.append((start + left, start + right))
