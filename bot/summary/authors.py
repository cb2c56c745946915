"""Who `--author NAME` means: full name, first name, another part of the name, or its start.

Case-insensitive. Several commenters may share a first name ("Elaine" and "Elaine Axten"): an
exact full-name match wins and the namesakes are named; without one, everyone who matches is
summarized together and listed, so the reader can ask for one of them by full name.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.corpus.model import slug

How = Literal["name", "first name", "part of the name", "start of the name"]


@dataclass(frozen=True)
class AuthorMatch:
    query: str
    people: tuple[str, ...]  # matched names as written, in order of first appearance
    how: How | None  # None: nobody matched
    namesakes: tuple[str, ...] = ()  # others sharing the first name of an exact match
    suggestions: tuple[str, ...] = ()  # names spelled like the query, when nobody matched


def normalize_name(name: str) -> str:
    return " ".join(name.strip().lstrip("@").casefold().split())


def distinct_names(authors: Sequence[str]) -> list[str]:
    """Author names in order of first appearance, one per case-insensitive spelling."""
    seen: dict[str, str] = {}
    for author in authors:
        seen.setdefault(normalize_name(author), author)
    return list(seen.values())


def match_authors(query: str, authors: Sequence[str], suggestions: int = 5) -> AuthorMatch:
    names = distinct_names(authors)
    q = normalize_name(query)
    if not q:
        return AuthorMatch(query, (), None)
    words = q.split()

    exact = [n for n in names if normalize_name(n) == q or slug(n) == slug(q)]
    if exact:
        namesakes = ()
        if len(words) == 1:
            namesakes = tuple(
                n for n in names if n not in exact and normalize_name(n).split()[0] == q
            )
        return AuthorMatch(query, tuple(exact), "name", namesakes)
    tiers: list[tuple[How, list[str]]] = [
        ("first name", [n for n in names if normalize_name(n).split()[: len(words)] == words]),
        ("part of the name", [n for n in names if _has_run(normalize_name(n).split(), words)]),
        (
            "start of the name",
            [n for n in names if len(q) >= 3 and _starts(normalize_name(n), q)],
        ),
    ]
    for how, people in tiers:
        if people:
            return AuthorMatch(query, tuple(people), how)
    return AuthorMatch(query, (), None, suggestions=tuple(closest_names(q, names, suggestions)))


def closest_names(query: str, names: Sequence[str], k: int = 5, cutoff: float = 0.5) -> list[str]:
    """Names like the query (whole name or any part of it), most alike first."""
    q = normalize_name(query)

    def likeness(name: str) -> float:
        full = normalize_name(name)
        parts = [full, *full.split()]
        return max(difflib.SequenceMatcher(None, q, p).ratio() for p in parts)

    scored = sorted(((likeness(n), i, n) for i, n in enumerate(names)), key=lambda t: (-t[0], t[1]))
    return [n for score, _, n in scored if score >= cutoff][:k]


def _has_run(parts: list[str], words: list[str]) -> bool:
    n = len(words)
    return any(parts[i : i + n] == words for i in range(len(parts) - n + 1))


def _starts(name: str, q: str) -> bool:
    return name.startswith(q) or any(part.startswith(q) for part in name.split())
