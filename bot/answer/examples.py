"""Urgent-care examples compared by meaning: a second detector beside the phrase rules, and a veto
on rule hits that read as ordinary.

The phrase rules (bot/answer/urgent.py) know the wordings they were tuned on; on each new blind
set a quarter or more of the ordinary look-alikes set them off ("my laptop had a seizure lol").
A bank of example messages (config.yaml `urgent_care.examples`: emergencies, and ordinary
messages that share their words) is embedded with the retrieval's sentence model. When the rules
fire but the whole message and every clause of it sit at least `veto_margin` closer (cosine) to
an ordinary example than to any emergency example, the notice is not given. Long messages are
split into clauses because an emergency is often one clause in chit-chat; an emergency
example is stored whole and as the clauses the rules fire on alone, so its chit-chat does not
count as an emergency. When the rules do not fire but some clause (or the whole message) is at
least `match_similarity` (cosine) close to an emergency example and `match_margin` nearer to it
than to any ordinary example, the notice is given all the same: the rules miss wordings they were
never shown, and a missed emergency costs more than a notice too many. Without sentence vectors
the rules decide alone.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.errors import SourceError
from bot.text.excerpt import excerpt
from bot.yamlsource import LineMap, load_yaml, read_settings_file

MAX_EXAMPLES = 5_000  # per list
MAX_EXAMPLE_CHARS = 1_000  # a question's own cap
MIN_CLAUSE_WORDS = 2
# More clauses than this (a 1,000-character question can hold hundreds) are not weighed: the
# notice stands rather than embed them all.
MAX_CLAUSES = 32
# Clause breaks: a sentence end, a comma, a new line, or a word that turns to something else.
# Fixed alternatives only (linear time).
_CLAUSE_BREAK = re.compile(
    r"[.!?;,]+(?=\s|$)|\n|\b(?=(?:but|anyway|anyways|however|tho|though|btw|and then|so)\b)",
    re.IGNORECASE,
)
Embed = Callable[[Sequence[str]], np.ndarray]  # texts → unit vectors, one row each


class ExamplesError(SourceError):
    """A broken entry in the urgent-care examples file."""


@dataclass(frozen=True)
class Examples:
    emergency: tuple[str, ...] = ()
    ordinary: tuple[str, ...] = ()


def clauses(text: str) -> list[str]:
    """The message itself, then each clause of two words or more that is not the whole."""
    whole = text.strip()
    parts = [
        p.strip() for p in _CLAUSE_BREAK.split(text) if p and len(p.split()) >= MIN_CLAUSE_WORDS
    ]
    return [whole, *dict.fromkeys(p for p in parts if p != whole)]


def load_examples(path: Path) -> tuple[Examples, list[SourceError]]:
    """The examples, and each entry refused (with its line). An unreadable file or one not in
    the expected shape is one error and no examples: the rules then decide alone."""
    where = str(path)
    try:
        data = load_yaml(read_settings_file(path), where)
    except SourceError as exc:
        return Examples(), [ExamplesError(exc.path, exc.line, exc.message)]
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)[:200]
        return Examples(), [ExamplesError(where, None, f"cannot be read: {reason}")]
    if not isinstance(data, LineMap):
        return Examples(), [
            ExamplesError(where, 1, "expected a mapping with 'emergency:' and 'ordinary:' lists")
        ]
    errors: list[SourceError] = []
    found: dict[str, tuple[str, ...]] = {}
    for section in ("emergency", "ordinary"):
        raw = data.get(section)
        if not isinstance(raw, list) or not raw:
            errors.append(
                ExamplesError(
                    where,
                    data.line_of(section) if section in data else 1,
                    f"'{section}:' expected a non-empty list of messages",
                )
            )
            continue
        lines = getattr(raw, "item_lines", [data.line_of(section)] * len(raw))
        if len(raw) > MAX_EXAMPLES:
            errors.append(
                ExamplesError(
                    where,
                    lines[MAX_EXAMPLES],
                    f"'{section}:' more than {MAX_EXAMPLES} examples; the rest are left out",
                )
            )
        kept = []
        for entry, line in zip(raw[:MAX_EXAMPLES], lines[:MAX_EXAMPLES], strict=True):
            if not isinstance(entry, str) or not entry.strip():
                errors.append(
                    ExamplesError(where, line, f"expected a message as text, got {excerpt(entry)}")
                )
            elif len(entry) > MAX_EXAMPLE_CHARS:
                errors.append(
                    ExamplesError(
                        where, line, f"expected at most {MAX_EXAMPLE_CHARS} characters per message"
                    )
                )
            else:
                kept.append(entry)
        found[section] = tuple(kept)
    examples = Examples(found.get("emergency", ()), found.get("ordinary", ()))
    if not examples.emergency or not examples.ordinary:  # one side alone cannot weigh anything
        return Examples(), errors
    return examples, errors


class ExampleBank:
    """The examples, embedded on first use (with match_similarity None, a one-question command
    that sets off no sign never pays for it) or by ready(). Safe across threads."""

    def __init__(
        self,
        examples: Examples,
        fires: Callable[[str], bool],
        embed_examples: Embed,
        embed: Embed,
        veto_margin: float,
        match_similarity: float | None = None,
        match_margin: float = 0.0,
        embed_message: Callable[[str], np.ndarray] | None = None,
    ) -> None:
        """fires(text): whether the rules set the notice off on a text alone, to keep the
        clauses of an emergency example that hold it. embed_examples: for the bank (it may
        cache them); embed: for a question's clauses, in one batch. embed_message: the whole
        question's unit vector, when retrieval embeds it too (the same vector, computed once);
        None: embedded with the clauses. match_similarity None: the examples never give the
        notice themselves, they only veto."""
        self.examples = examples
        self.veto_margin = veto_margin
        self.match_similarity = match_similarity
        self.match_margin = match_margin
        self._fires = fires
        self._embed_examples = embed_examples
        self._embed = embed
        self._embed_message = embed_message
        self._lock = threading.Lock()
        self._vectors: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def is_ready(self) -> bool:
        return self._vectors is not None

    def ready(self) -> tuple[np.ndarray, np.ndarray]:
        """The emergency and the ordinary examples' vectors (rows are unit vectors)."""
        with self._lock:
            if self._vectors is None:
                emergency: list[str] = []
                for text in self.examples.emergency:
                    whole, *parts = clauses(text)
                    emergency += [whole, *(p for p in parts if self._fires(p))]
                ordinary = [c for text in self.examples.ordinary for c in clauses(text)]
                emergency, ordinary = list(dict.fromkeys(emergency)), list(dict.fromkeys(ordinary))
                vectors = self._embed_examples(emergency + ordinary)
                self._vectors = (vectors[: len(emergency)], vectors[len(emergency) :])
            return self._vectors

    def _nearest(self, parts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """For each text (the whole message first, as clauses() gives them), its cosine to the
        nearest emergency and the nearest ordinary example."""
        emergency, ordinary = self.ready()
        vectors = self._vectors_of(parts)
        return (vectors @ emergency.T).max(axis=1), (vectors @ ordinary.T).max(axis=1)

    def _vectors_of(self, parts: Sequence[str]) -> np.ndarray:
        if self._embed_message is None or not parts:
            return self._embed(parts)
        # The whole message is the question retrieval embeds: ask for it by the shared route
        # (cached there), and only the clauses here, in one batch.
        whole = self._embed_message(parts[0])[None, :]
        return np.vstack([whole, self._embed(parts[1:])]) if len(parts) > 1 else whole

    def reads_as_ordinary(self, text: str) -> bool:
        """Whether the message and every clause of it are nearer an ordinary example than any
        emergency example, by at least veto_margin."""
        parts = clauses(text)
        if len(parts) > MAX_CLAUSES:
            return False
        to_emergency, to_ordinary = self._nearest(parts)
        return bool(np.all(to_ordinary - to_emergency >= self.veto_margin))

    def reads_as_emergency(self, text: str) -> bool:
        """Whether the message or one of its clauses is at least match_similarity close to an
        emergency example and match_margin nearer to it than to any ordinary example. Past
        MAX_CLAUSES only the whole message and the first clauses are weighed."""
        if self.match_similarity is None:
            return False
        to_emergency, to_ordinary = self._nearest(clauses(text)[:MAX_CLAUSES])
        close = to_emergency >= self.match_similarity
        return bool(np.any(close & (to_emergency - to_ordinary >= self.match_margin)))


def build_bank(
    examples: Examples,
    fires: Callable[[str], bool],
    embed: Embed,
    veto_margin: float,
    embed_examples: Embed | None = None,
    match_similarity: float | None = None,
    match_margin: float = 0.0,
    embed_message: Callable[[str], np.ndarray] | None = None,
) -> ExampleBank | None:
    """A bank of these examples, or None when a list is empty (one side alone weighs nothing)."""
    if not examples.emergency or not examples.ordinary:
        return None
    return ExampleBank(
        examples,
        fires,
        embed_examples or embed,
        embed,
        veto_margin,
        match_similarity,
        match_margin,
        embed_message,
    )
