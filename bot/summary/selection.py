"""Choosing the sentences: an objective per kind of summary (objective.py), under the same rules.

Centrality is TextRank (Mihalcea & Tarau 2004) over tf-idf cosine edges — measured ahead of BM25
edges (Barrios et al. 2016), which stay available as `similarity="bm25"` — blended with the
sentence vectors' cosine where the settings say (author summaries). Topic and author summaries
pick central sentences that do not repeat each other with MMR (Carbonell & Goldstein 1998); a
discussion summary by concept coverage (Gillick & Favre 2009). Either way one per comment while
other comments still have something to add, and never a near-duplicate.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from bot.summary.candidates import Candidate
from bot.summary.graph import bm25_similarity, cosine_matrix, pagerank
from bot.summary.model import Kind
from bot.summary.objective import picker
from bot.summary.pools import Pools
from bot.summary.settings import SummarySettings


class Selector:
    def __init__(
        self,
        candidates: Sequence[Candidate],
        pools: Pools,
        settings: SummarySettings,
        sentence_vectors: np.ndarray | None = None,  # one unit row per candidate, or None
    ) -> None:
        self.candidates = candidates
        self.pools = pools
        self.settings = settings
        self.sentence_vectors = sentence_vectors

    def select(
        self,
        pool: Sequence[int],
        n: int,
        topic: dict[int, float] | None = None,
        requires: dict[int, tuple[int, ...]] | None = None,
        quotable: Sequence[int] | None = None,
        spread: bool = False,
        lead: tuple[Sequence[int], int] = ((), 0),
        kind: Kind = "discussion",
    ) -> list[int]:
        """Up to n candidate positions from the pool, best first.

        spread: every comment gets one sentence before any gets a second (author summaries);
        otherwise max_per_comment applies until the comments run out.
        lead: (positions, k): the first k sentences are chosen among those positions.
        topic: topic scores (missing = 0); quotable: the only positions that may be chosen (the
        rest of the pool still counts for centrality); requires: position → positions one of which
        must be chosen first.
        """
        s = self.settings
        requires = requires or {}
        exempt = [i for i in pool if topic and i in topic and i not in requires]
        eligible = drop_repeats(self.pools.usable(pool, n, exempt, kind), self.candidates)
        if len(eligible) > s.max_graph:
            eligible = self._typical(eligible, s.max_graph, topic)
        if not eligible:
            return []
        local = {p: k for k, p in enumerate(eligible)}
        tokens = [self.candidates[i].tokens for i in eligible]
        topic_scores = np.array([topic.get(i, 0.0) for i in eligible]) if topic else None
        centrality = self._centrality(eligible, tokens, topic_scores, kind)
        relevance = centrality / centrality.max() if centrality.max() > 0 else centrality
        if topic_scores is not None:
            relevance = (1 - s.topic_weight) * relevance + s.topic_weight * topic_scores
        exponent = s.length_exponent(kind)
        if exponent:
            lengths = np.array([max(len(t), 1) for t in tokens], dtype=float)
            relevance = relevance * (lengths / lengths.max()) ** exponent
        similarity = self._similarity(eligible, tokens, kind)
        groups = [self.candidates[i].group for i in eligible]
        needs = [tuple(local[r] for r in requires.get(i, ()) if r in local) for i in eligible]
        # A context sentence whose matches all fell out cannot be shown.
        allowed = set(eligible if quotable is None else quotable)
        usable = [
            k for k, i in enumerate(eligible) if i in allowed and (needs[k] or i not in requires)
        ]
        chosen: list[int] = []
        first = [local[i] for i in lead[0] if i in local and i in allowed]
        pick = picker(s, s.objective(kind), relevance, similarity, topic_scores, tokens, groups)
        if first and lead[1] > 0:
            lead_pick = pick
            if s.lead_objective != s.objective(kind):
                lead_pick = picker(
                    s, s.lead_objective, relevance, similarity, topic_scores, tokens, groups
                )
            chosen = lead_pick(min(lead[1], n), eligible=first, max_similarity=s.duplicate)
        cap = 1 if spread else s.max_per_comment
        largest = max(Counter(groups).values())
        while len(chosen) < n:
            before = len(chosen)
            chosen = pick(
                n,
                eligible=usable,
                max_similarity=s.duplicate,
                groups=groups,
                max_per_group=cap,
                chosen=chosen,
                requires=needs,
            )
            if len(chosen) == before and cap >= largest:
                break
            cap += 1
        return drop_repeats([eligible[k] for k in chosen], self.candidates)

    def _similarity(
        self, positions: Sequence[int], tokens: list[tuple[str, ...]], kind: Kind
    ) -> np.ndarray:
        """Cosine of tf-idf rows, blended with the sentence vectors' cosine when set."""
        words = cosine_matrix(self._vectors(tokens))
        w = self.settings.vectors(kind)
        if not w or self.sentence_vectors is None:
            return words
        rows = self.sentence_vectors[list(positions)]
        return (1 - w) * words + w * cosine_matrix(rows)

    def _centrality(
        self,
        positions: Sequence[int],
        tokens: list[tuple[str, ...]],
        topic: np.ndarray | None,
        kind: Kind,
    ) -> np.ndarray:
        s = self.settings
        if s.similarity == "bm25":
            weights = bm25_similarity(tokens, "lucene", s.k1, s.b)
        else:
            weights = self._similarity(positions, tokens, kind)
            np.fill_diagonal(weights, 0.0)
        bias = topic if (topic is not None and s.topic_bias) else None
        return pagerank(weights, s.damping, bias)

    def _vectors(self, tokens: list[tuple[str, ...]]) -> np.ndarray:
        """tf × idf rows over the pool's own terms, idf from the whole corpus; L2-normalized."""
        vocabulary: dict[str, int] = {}
        for ts in tokens:
            for t in ts:
                vocabulary.setdefault(t, len(vocabulary))
        vectors = np.zeros((len(tokens), max(len(vocabulary), 1)))
        for row, ts in enumerate(tokens):
            for t in ts:
                vectors[row, vocabulary[t]] += self.pools.idf(t)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)

    def _typical(self, pool: list[int], k: int, topic: dict[int, float] | None) -> list[int]:
        """The k sentences closest to the pool's centroid (or best for the topic), page order."""
        if topic:
            return sorted(sorted(pool, key=lambda i: (-topic.get(i, 0.0), i))[:k])
        weights = []
        centroid: Counter[str] = Counter()
        for i in pool:
            tf = Counter(self.candidates[i].tokens)
            w = {t: self.pools.idf(t) * f for t, f in tf.items()}
            norm = math.sqrt(sum(v * v for v in w.values())) or 1.0
            w = {t: v / norm for t, v in w.items()}
            weights.append(w)
            centroid.update(w)
        score = [sum(v * centroid[t] for t, v in w.items()) for w in weights]
        keep = sorted(range(len(pool)), key=lambda j: (-score[j], j))[:k]
        return sorted(pool[j] for j in keep)


def drop_repeats(chosen: list[int], candidates: Sequence[Candidate]) -> list[int]:
    """The same words quoted twice (a comment posted twice) show once."""
    seen: set[str] = set()
    out = []
    for i in chosen:
        key = " ".join(candidates[i].text.casefold().split())
        if key not in seen:
            seen.add(key)
            out.append(i)
    return out


def share_out(n: int, sizes: dict[str, int]) -> dict[str, int]:
    """n sentences over documents with sizes > 0: one each (largest first) while n lasts, the
    rest in proportion to size (largest remainder), never more than a document has."""
    ids = sorted((d for d, size in sizes.items() if size > 0), key=lambda d: -sizes[d])
    share = dict.fromkeys(ids[:n], 1)
    left = n - len(share)
    total = sum(sizes[d] for d in share)
    if left > 0 and total:
        exact = {d: left * sizes[d] / total for d in share}
        for d in share:
            share[d] += int(exact[d])
        by_remainder = sorted(share, key=lambda d: (-(exact[d] - int(exact[d])), -sizes[d]))
        for d in by_remainder[: n - sum(share.values())]:
            share[d] += 1
    for d in share:  # a small document cannot give more than it has: pass the rest on
        share[d] = min(share[d], sizes[d])
    spare = n - sum(share.values())
    for d in ids:
        if spare <= 0:
            break
        extra = min(spare, sizes[d] - share.get(d, 0))
        if extra > 0:
            share[d] = share.get(d, 0) + extra
            spare -= extra
    return {d: share[d] for d in sizes if share.get(d)}
