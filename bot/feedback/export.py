"""Voted questions → candidate evaluation questions, in the format of tests/eval/questions.yaml.

Only replies whose question text was kept can be exported. A comment quoted in 👍 replies more
than in 👎 ones becomes candidate gold (grade 2); one voted down more is listed under `not_gold`.
Every entry is marked `reviewed: false`: a maintainer reads the discussion, fixes the grades and
only then adds the entries as a new held-out round (README, "Feedback").
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.feedback.store import Vote

HEADER = """\
# Questions readers voted on (python -m bot feedback export), NOT REVIEWED.
# gold: comments quoted in replies voted 👍 more often than 👎 (candidate grade 2);
# not_gold: comments voted 👎 more often. A question with empty gold was never voted up.
# Before use: read the discussion, set the grades, give new ids and split "test",
# remove `reviewed: false` and `not_gold`, and add the entries as a new held-out round.
"""


@dataclass
class _Tally:
    up: int = 0
    down: int = 0
    statuses: set[str] = field(default_factory=set)
    comments: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))


def candidates(votes: Sequence[Vote]) -> list[dict[str, object]]:
    """One entry per distinct question text, in the order first voted on."""
    tallies: dict[str, _Tally] = {}
    for v in votes:
        if not v.question:
            continue
        tally = tallies.setdefault(v.question, _Tally())
        tally.up += v.vote > 0
        tally.down += v.vote < 0
        tally.statuses.add(v.status)
        for quote in v.quotes:
            tally.comments[quote.comment][v.vote] += 1
    entries = []
    for number, (question, tally) in enumerate(tallies.items(), 1):
        gold = {c: 2 for c, n in tally.comments.items() if n[1] > n[-1]}
        not_gold = sorted(c for c, n in tally.comments.items() if n[-1] > n[1])
        replies = "/".join(sorted(tally.statuses))
        entries.append(
            {
                "id": f"fb{number:03d}",
                "question": question,
                "split": "test",
                "gold": gold,
                "not_gold": not_gold,
                "reviewed": False,
                "note": f"feedback: {tally.up} up, {tally.down} down; reply {replies}",
            }
        )
    return entries


def to_yaml(entries: Sequence[dict[str, object]]) -> str:
    """The entries in the questions.yaml style: JSON scalars are valid YAML and need no escaping
    rules of their own, so any question text round-trips."""
    parts = [HEADER.rstrip()]
    for entry in entries:
        parts.append("")
        first = True
        for key, value in entry.items():
            lead = "- " if first else "  "
            parts.append(f"{lead}{key}: {json.dumps(value, ensure_ascii=False)}")
            first = False
    return "\n".join(parts) + "\n"
