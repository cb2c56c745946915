"""A domain lexicon for questions: brand ↔ generic drug names, lay ↔ clinical words.

An admin-editable YAML file of synonym groups. A question that contains one phrase of a group is
also searched for the group's other phrases, weighted below the asker's own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.errors import SourceError
from bot.retrieval.tokenize import NEGATIONS, Tokenizer
from bot.text.excerpt import excerpt
from bot.yamlsource import LineMap, load_yaml, read_settings_file


class LexiconError(SourceError):
    pass


@dataclass(frozen=True)
class Lexicon:
    groups: tuple[tuple[tuple[str, ...], ...], ...] = ()  # groups of phrases, each a term tuple

    def knows(self, term: str) -> bool:
        return any(term in phrase for group in self.groups for phrase in group)

    def matches(self, terms: list[str]) -> list[tuple[int, tuple[str, ...], int]]:
        """(group, phrase, start) of each phrase found in `terms`, longest match first: a phrase
        inside a longer one that matched ("effect" inside "side effects") does not count."""
        found = []
        for g, group in enumerate(self.groups):
            for phrase in group:
                n = len(phrase)
                found.extend(
                    (g, phrase, i)
                    for i in range(len(terms) - n + 1)
                    if tuple(terms[i : i + n]) == phrase
                )

        def inside(m: tuple[int, tuple[str, ...], int]) -> bool:
            _, phrase, start = m
            end = start + len(phrase)
            return any(
                o_start <= start and end <= o_start + len(o_phrase) and len(o_phrase) > len(phrase)
                for _, o_phrase, o_start in found
            )

        return [m for m in found if not inside(m)]

    def expansions(self, terms: list[str]) -> list[str]:
        """Terms of the other phrases in every group a phrase of `terms` belongs to."""
        found: list[str] = []
        for g in dict.fromkeys(g for g, _, _ in self.matches(terms)):
            for phrase in self.groups[g]:
                found.extend(t for t in phrase if t not in terms and t not in found)
        return found

    def stand_ins(self, terms: list[str]) -> dict[str, tuple[str, ...]]:
        """For each term: the synonyms brought in by the phrases of `terms` it is part of."""
        found: dict[str, list[str]] = {t: [] for t in terms}
        for g, phrase, _ in self.matches(terms):
            others = [t for other in self.groups[g] for t in other if other != phrase]
            for t in phrase:
                found[t].extend(o for o in others if o not in phrase)
        return {t: tuple(dict.fromkeys(v)) for t, v in found.items()}


def load_lexicon(path: Path | None, tokenizer: Tokenizer) -> Lexicon:
    if path is None:
        return Lexicon()
    where = str(path)
    try:
        text = read_settings_file(path)
    except SourceError as exc:
        raise LexiconError(exc.path, exc.line, exc.message) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(
            where, None, f"cannot be read: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    try:
        data = load_yaml(text, where)
    except SourceError as exc:
        raise LexiconError(exc.path, exc.line, exc.message) from None
    if not isinstance(data, LineMap) or not isinstance(data.get("groups"), list):
        raise LexiconError(where, 1, "expected a mapping with 'groups': a list of synonym lists")
    groups = []
    for i, group in enumerate(data["groups"]):
        if isinstance(group, list):  # a bare number like 200 is a word too
            group = [str(p) if isinstance(p, int | float) else p for p in group]
        if (
            not isinstance(group, list)
            or len(group) < 2
            or not all(isinstance(p, str) and p.strip() for p in group)
        ):
            raise LexiconError(
                where,
                data["groups"].item_lines[i],
                f"group {i + 1}: expected a list of two or more words or phrases, "
                f"got {excerpt(group)}",
            )
        # A phrase that boils down to a bare negation ("won't do it again" → not) would fire on
        # every negated question: leave it out.
        phrases = tuple(
            t for t in (tuple(tokenizer(p)) for p in group) if t and not set(t) <= NEGATIONS
        )
        if len(phrases) >= 2:
            groups.append(phrases)
    return Lexicon(tuple(groups))
