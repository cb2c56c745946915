"""The greedy loop every way of picking sentences shares (MMR, concept coverage, submodular
coverage): each step takes the eligible sentence with the best gain, under the same rules —
never a near-duplicate of one already taken, at most max_per_group from one comment, and a
context sentence only after one of the sentences it `requires`. What differs is the gain, and
what taking a sentence changes for the next step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypedDict

import numpy as np

# gain(j, closest): how much sentence j adds now; closest[j] is its highest similarity to what
# is already taken (zeros without a similarity).
Gain = Callable[[int, np.ndarray], float]
Take = Callable[[int], None]


class Constraints(TypedDict, total=False):
    """What every objective hands on to `greedy` unchanged (see greedy's docstring)."""

    eligible: Sequence[int] | None
    max_similarity: float
    groups: Sequence[str] | None
    max_per_group: int | None
    chosen: Sequence[int]
    requires: Sequence[Sequence[int]] | None


def greedy(
    n: int,
    k: int,
    gain: Gain,
    take: Take | None = None,
    similarity: np.ndarray | None = None,
    eligible: Sequence[int] | None = None,
    max_similarity: float = 1.0,
    groups: Sequence[str] | None = None,
    max_per_group: int | None = None,
    chosen: Sequence[int] = (),
    requires: Sequence[Sequence[int]] | None = None,
) -> list[int]:
    """Up to k of n indices, best first, after those already `chosen` (which stay first and are
    handed to `take` before the first step). Ties go to the earlier index in `eligible`."""
    pool = list(range(n) if eligible is None else eligible)
    chosen = list(chosen)
    per_group: dict[str, int] = {}
    closest = np.zeros(n)

    def record(j: int) -> None:
        nonlocal closest
        if groups is not None:
            per_group[groups[j]] = per_group.get(groups[j], 0) + 1
        if similarity is not None:
            closest = np.maximum(closest, similarity[j])
        if take is not None:
            take(j)

    for j in chosen:
        record(j)
    while len(chosen) < k:
        best, best_gain = -1, -np.inf
        for j in pool:
            if j in chosen or closest[j] >= max_similarity:
                continue
            if requires is not None and requires[j] and not any(r in chosen for r in requires[j]):
                continue
            if (
                groups is not None
                and max_per_group is not None
                and per_group.get(groups[j], 0) >= max_per_group
            ):
                continue
            value = gain(j, closest)
            if value > best_gain:
                best, best_gain = j, value
        if best < 0:
            break
        chosen.append(best)
        record(best)
    return chosen
