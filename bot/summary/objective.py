"""How sentences are picked, beside `graph.mmr`: two coverage objectives.

`concept_select` — Gillick & Favre (2009): the summary should mention what many comments mention;
each concept (index term or pair of terms) counts once, weighted by how many comments use it, and a
sentence's gain is divided by its length ** concept_length_exponent (budgeted coverage).

`coverage_select` — a monotone submodular objective, coverage of the pool plus diversity.

Lin & Bilmes (2011), "A Class of Submodular Functions for Document Summarization":

    F(S) = Σ_i q_i · min(C_i(S), α · C_i(V))  +  λ · Σ_k sqrt(Σ_{j ∈ S ∩ P_k} r_j)

C_i(S) = Σ_{j ∈ S} w_ij is how well the chosen sentences S cover sentence i (w = cosine
similarity, V the whole pool), saturating at a share α of what the pool could give it, so a
second sentence on a theme already covered adds little. q_i weighs what deserves covering
(uniform for the whole discussion, the topic score for a topic). The diversity term rewards
taking from parts P_k not yet drawn on — here the comments — by r_j, a sentence's mean
similarity to the pool. Greedy selection is within (1 − 1/e) of the best for such functions.

All three run the same greedy loop (`greedy.py`) under the same constraints, so they are
interchangeable in the summarizer: near-duplicates, a cap per comment, and context sentences that
need their match first; only the gain differs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Unpack

import numpy as np

from bot.summary.graph import mmr
from bot.summary.greedy import Constraints, greedy

if TYPE_CHECKING:
    from bot.summary.settings import Objective, SummarySettings


def picker(
    settings: SummarySettings,
    objective: Objective,
    relevance: np.ndarray,
    similarity: np.ndarray,
    topic: np.ndarray | None,
    tokens: Sequence[Sequence[str]],
    groups: Sequence[str],
) -> Callable[..., list[int]]:
    """The selection step for an objective, as f(k, eligible=…, max_similarity=…, groups=…,
    max_per_group=…, chosen=…, requires=…): all three take the same constraints.

    relevance: centrality (blended with the topic score for a topic), scaled to [0, 1];
    similarity: sentence cosine; topic: topic scores or None; groups: each sentence's comment.
    """
    s = settings
    if objective == "concepts":
        concepts = [ngrams(t, s.concept_ngrams) for t in tokens]
        return functools.partial(
            concept_select,
            concepts,
            weights=concept_weights(concepts, groups, s.concept_min_comments),
            similarity=similarity,
            prior=relevance,
            prior_weight=s.prior_weight,
            lengths=[len(t) for t in tokens],
            length_exponent=s.concept_length_exponent,
        )
    if objective == "coverage":
        weights = topic if topic is not None and topic.max() > 0 else None
        return functools.partial(
            coverage_select,
            similarity,
            weights=weights,
            saturation=s.saturation,
            diversity=s.diversity,
            prior=relevance,
            prior_weight=s.prior_weight,
        )
    return functools.partial(mmr, relevance, similarity, lam=s.mmr_lambda)


def ngrams(tokens: Sequence[str], most: int) -> list[str]:
    """Runs of 1 to `most` index terms, as concepts ("neck", "neck pain")."""
    return [
        " ".join(tokens[i : i + k]) for k in range(1, most + 1) for i in range(len(tokens) - k + 1)
    ]


def coverage_select(
    similarity: np.ndarray,
    k: int,
    weights: np.ndarray | None = None,
    saturation: float = 5.0,
    diversity: float = 6.0,
    prior: np.ndarray | None = None,
    prior_weight: float = 0.0,
    **constraints: Unpack[Constraints],
) -> list[int]:
    """Up to k indices, best first, after those already `chosen` (which stay first).

    similarity: (n, n) in [0, 1]; weights: q_i (default uniform, scaled to mean 1); prior: an
    extra per-sentence score added to its gain times prior_weight (e.g. centrality). The defaults
    are Lin & Bilmes's (α = 5/N, λ = 6).
    """
    n = len(similarity)
    if n == 0:
        return list(constraints.get("chosen", ()))
    w = np.asarray(similarity, dtype=float)
    q = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    q = q * n / q.sum() if q.sum() > 0 else np.ones(n)  # mean 1
    cap = min(1.0, saturation / n) * w.sum(axis=1)  # α · C_i(V), α = saturation / N
    reward = w.mean(axis=0)  # r_j: how typical sentence j is of the pool
    extra = np.zeros(n) if prior is None else prior_weight * np.asarray(prior, dtype=float)
    groups = constraints.get("groups")
    label = list(groups) if groups is not None else [str(i) for i in range(n)]
    covered = np.zeros(n)  # C_i(S)
    drawn: dict[str, float] = {}  # Σ r_j per part
    base = 0.0  # F's coverage term for what is taken

    def gain(j: int, closest: np.ndarray) -> float:
        cover = float(q @ np.minimum(covered + w[:, j], cap)) - base
        part = drawn.get(label[j], 0.0)
        spread = np.sqrt(part + reward[j]) - np.sqrt(part)
        return cover + diversity * spread + extra[j]

    def take(j: int) -> None:
        nonlocal covered, base
        covered = covered + w[:, j]
        drawn[label[j]] = drawn.get(label[j], 0.0) + reward[j]
        base = float(q @ np.minimum(covered, cap))

    return greedy(n, k, gain, take, similarity=w, **constraints)


def concept_weights(
    concepts: Sequence[Sequence[str]], groups: Sequence[str], min_groups: int = 2
) -> dict[str, float]:
    """A concept's weight: how many comments (groups) use it, if at least min_groups do.

    Gillick & Favre (2009), "A Scalable Global Model for Summarization": what many documents
    mention is what a summary should mention, each concept counted once however often quoted.
    """
    users: dict[str, set[str]] = {}
    for found, group in zip(concepts, groups, strict=True):
        for c in set(found):
            users.setdefault(c, set()).add(group)
    return {c: float(len(g)) for c, g in users.items() if len(g) >= min_groups}


def concept_select(
    concepts: Sequence[Sequence[str]],
    k: int,
    weights: dict[str, float],
    similarity: np.ndarray | None = None,
    prior: np.ndarray | None = None,
    prior_weight: float = 0.0,
    lengths: Sequence[int] | None = None,
    length_exponent: float = 0.0,
    **constraints: Unpack[Constraints],
) -> list[int]:
    """Greedy concept coverage: each step takes the sentence adding the most weight of concepts
    not yet covered (plus prior_weight × its prior), divided by its length ** length_exponent,
    under the same constraints as `mmr`."""
    n = len(concepts)
    own = [set(c) & weights.keys() for c in concepts]
    total = sum(weights.values()) or 1.0
    extra = np.zeros(n) if prior is None else prior_weight * np.asarray(prior, dtype=float)
    covered: set[str] = set()

    def gain(j: int, closest: np.ndarray) -> float:
        value = sum(weights[c] for c in own[j] - covered) / total + extra[j]
        if lengths is not None and length_exponent:
            value /= max(lengths[j], 1) ** length_exponent
        return value

    def take(j: int) -> None:
        covered.update(own[j])

    return greedy(n, k, gain, take, similarity=similarity, **constraints)
