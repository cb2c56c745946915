"""Exact top-k over BM25 postings without scoring every passage: block-max pruning.

Passages are cut into blocks of 2^shift consecutive numbers. For each block a query's upper bound
is the sum, term by term in query order, of each term's largest contribution inside that block
(stored per block for frequent terms, computed from the postings for rare ones). Blocks are scored
best bound first; once k results are held, a block whose bound is below the k-th score cannot
change them and the search stops. Inside a block, scores are summed exactly as
`PostingsIndex.scores` sums them (same terms, same order, same operations), so the results are the
same floats; floating-point addition and multiplication by a weight ≥ 0 are monotone, so the
bound computed the same way is never below a passage's score.

Results are by (score descending, passage ascending); with `groups` (passage → comment number) only
the best passage of each group counts, the earliest of equal ones, as `Searcher` wants.

Two implementations give identical results: a numba kernel (compiled on first use, cached on
disk) and a numpy one used when numba is missing. Both are tested against each other and against
rank-bm25.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

try:  # numba is a dependency; the numpy path keeps the bot working where it cannot be imported.
    import numba
except ImportError:  # pragma: no cover - exercised by forcing the numpy path in tests
    numba = None

HAVE_NUMBA = numba is not None
BLOCK_SHIFT = 9  # 512 passages a block: measured best of 8–11 at 100k and 1M (README, Scale)
NEG_INF = -math.inf


def term_maxima(offsets: np.ndarray, impacts: np.ndarray) -> np.ndarray:
    """The largest impact of each term (every term has at least one posting)."""
    if len(offsets) < 2:
        return np.empty(0)
    return (
        np.maximum.reduceat(impacts, offsets[:-1]) if len(impacts) else np.zeros(len(offsets) - 1)
    )


def block_maxima(
    offsets: np.ndarray, doc_ids: np.ndarray, impacts: np.ndarray, n_docs: int, shift: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per-block maximum impact of every term with at least one posting per block on average
    (rarer terms are cheaper to bound from their postings at query time). Returns the row of each
    term (-1: none) and the rows as float32 rounded up, -inf where the term is absent."""
    n_blocks = ((n_docs - 1) >> shift) + 1 if n_docs else 0
    df = np.diff(offsets)
    dense = np.flatnonzero(df >= max(n_blocks, 1))
    row_of = np.full(len(df), -1, dtype=np.int32)
    row_of[dense] = np.arange(len(dense), dtype=np.int32)
    rows = np.full((len(dense), n_blocks), NEG_INF, dtype=np.float32)
    for r, t in enumerate(dense.tolist()):
        lo, hi = int(offsets[t]), int(offsets[t + 1])
        blocks = doc_ids[lo:hi] >> shift
        starts = np.flatnonzero(np.r_[True, blocks[1:] != blocks[:-1]])
        best = np.maximum.reduceat(impacts[lo:hi], starts)
        rounded = best.astype(np.float32)
        low = rounded.astype(np.float64) < best
        rounded[low] = np.nextafter(rounded[low], np.float32(np.inf))
        rows[r, blocks[starts]] = rounded
    return row_of, rows


# --- numpy ----------------------------------------------------------------------------------
def _bounds_numpy(ix: Any, terms: np.ndarray, weights: np.ndarray, bases: np.ndarray) -> tuple:
    n_blocks = ((ix.n_docs - 1) >> ix.shift) + 1
    ub = np.zeros(n_blocks)
    has = np.zeros(n_blocks, dtype=bool)
    for t, w, base in zip(terms.tolist(), weights.tolist(), bases.tolist(), strict=True):
        if base != 0.0:
            ub += base
        r = ix.row_of[t]
        if r >= 0:
            row = ix.rows[r]
            present = row != NEG_INF
            ub += w * np.maximum(row.astype(np.float64), 0.0)
            has |= present
            continue
        lo, hi = int(ix.offsets[t]), int(ix.offsets[t + 1])
        if lo == hi:
            continue
        blocks = ix.doc_ids[lo:hi] >> ix.shift
        starts = np.flatnonzero(np.r_[True, blocks[1:] != blocks[:-1]])
        best = np.maximum.reduceat(ix.impacts[lo:hi], starts)
        ub[blocks[starts]] += w * np.maximum(best, 0.0)
        has[blocks[starts]] = True
    return ub, has


def compact(
    s: np.ndarray, d: np.ndarray, groups: np.ndarray | None, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The k best (score, passage) pairs, best first, ties by passage, one per group."""
    order = np.lexsort((d, -s))
    s, d = s[order], d[order]
    if groups is not None:
        _, first = np.unique(groups[d], return_index=True)
        keep = np.sort(first)
        s, d = s[keep], d[keep]
    return s[:k], d[:k]


def top_numpy(
    ix: Any,
    terms: np.ndarray,
    weights: np.ndarray,
    bases: np.ndarray,
    k: int,
    groups: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    if ix.n_docs == 0 or k <= 0 or not len(terms):
        return np.empty(0), np.empty(0, dtype=np.int64)
    ub, has = _bounds_numpy(ix, terms, weights, bases)
    blocks = np.flatnonzero(has)
    blocks = blocks[np.argsort(-ub[blocks], kind="stable")]
    size = 1 << ix.shift
    held_s, held_d = np.empty(0), np.empty(0, dtype=np.int64)
    kth = NEG_INF
    for blk in blocks.tolist():
        if len(held_s) >= k and ub[blk] < kth:
            break
        start = blk << ix.shift
        end = min(start + size, ix.n_docs)
        local = np.zeros(end - start)
        touched = np.zeros(end - start, dtype=bool)
        for t, w, base in zip(terms.tolist(), weights.tolist(), bases.tolist(), strict=True):
            if base != 0.0:
                local += base
            lo, hi = int(ix.offsets[t]), int(ix.offsets[t + 1])
            ids = ix.doc_ids[lo:hi]
            a, b = np.searchsorted(ids, np.array([start, end], dtype=ids.dtype))
            if a == b:
                continue
            at = ids[a:b].astype(np.int64) - start
            local[at] += w * ix.impacts[lo + a : lo + b]
            touched[at] = True
        at = np.flatnonzero(touched)
        scores = local[at]
        keep = scores >= kth
        held_s = np.concatenate((held_s, scores[keep]))
        held_d = np.concatenate((held_d, at[keep] + start))
        if len(held_s) >= k:
            held_s, held_d = compact(held_s, held_d, groups, k)
            if len(held_s) >= k:
                kth = held_s[k - 1]
    return compact(held_s, held_d, groups, k)


# --- numba ----------------------------------------------------------------------------------
def _seek(doc_ids: np.ndarray, p: int, hi: int, target: int) -> int:
    """First posting at or after p whose passage is ≥ target (galloping, then binary search)."""
    if p >= hi or doc_ids[p] >= target:
        return p
    step = 1
    lo = p
    while lo + step < hi and doc_ids[lo + step] < target:
        lo += step
        step *= 2
    top = min(lo + step, hi)
    lo += 1
    while lo < top:
        mid = (lo + top) >> 1
        if doc_ids[mid] < target:
            lo = mid + 1
        else:
            top = mid
    return lo


def _top_kernel(
    offsets: np.ndarray,
    doc_ids: np.ndarray,
    impacts: np.ndarray,
    term_max: np.ndarray,
    row_of: np.ndarray,
    rows: np.ndarray,
    shift: int,
    n_docs: int,
    terms: np.ndarray,
    weights: np.ndarray,
    bases: np.ndarray,
    k: int,
    groups: np.ndarray,
    grouped: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """MaxScore, passage at a time, with block-max bounds. Terms whose summed maxima cannot
    reach the k-th score (non-essential) are only looked up for passages the others bring in,
    and only while the passage's bound in its block still reaches it; blocks whose bound is below
    it are jumped over."""
    nt = len(terms)
    n_blocks = ((n_docs - 1) >> shift) + 1
    ub = np.zeros(n_blocks)
    bm = np.zeros((n_blocks, nt))  # each term's largest weighted contribution per block
    for j in range(nt):
        t = terms[j]
        w = weights[j]
        r = row_of[t]
        if r >= 0:
            for blk in range(n_blocks):
                bm[blk, j] = w * max(np.float64(rows[r, blk]), 0.0)
        else:
            for p in range(offsets[t], offsets[t + 1]):
                blk = doc_ids[p] >> shift
                v = w * max(impacts[p], 0.0)
                if v > bm[blk, j]:
                    bm[blk, j] = v
        for blk in range(n_blocks):
            ub[blk] += bases[j]
            ub[blk] += bm[blk, j]
    # Terms by their largest contribution, ascending; prefix[x] bounds terms 0..x together.
    most = np.empty(nt)
    base_total = 0.0
    for j in range(nt):
        most[j] = weights[j] * max(term_max[terms[j]], 0.0)
        base_total += bases[j]
    perm = np.empty(nt, dtype=np.int64)
    for j in range(nt):  # insertion sort, stable: a handful of terms
        z = j
        while z > 0 and most[perm[z - 1]] > most[j]:
            perm[z] = perm[z - 1]
            z -= 1
        perm[z] = j
    prefix = np.empty(nt)
    acc = base_total
    for x in range(nt):
        acc += most[perm[x]]
        prefix[x] = acc
    # Rounding differs between sums taken in different orders: prune only clearly below.
    slack = 1e-9 * (1.0 + abs(acc) + abs(base_total))
    cur = np.empty(nt, dtype=np.int64)
    end = np.empty(nt, dtype=np.int64)
    for j in range(nt):
        cur[j] = offsets[terms[j]]
        end[j] = offsets[terms[j] + 1]
    contrib = np.zeros(nt)
    present = np.zeros(nt, dtype=np.bool_)
    cap = k + 16
    held_s = np.empty(cap)
    held_d = np.empty(cap, dtype=np.int64)
    count = 0
    full = False
    kth = -np.inf
    ne = 0  # perm[:ne] are the non-essential terms
    big = n_docs + 1
    # A head start: when no contribution is negative, k passages of different groups whose
    # contribution from one (rare) term alone is at least v score at least v, so nothing below
    # the k-th such contribution can make the list.
    start = -np.inf
    for j in range(nt):
        if term_max[terms[j]] < 0.0:
            start = np.inf
    if start == -np.inf and k <= 64:
        largest = np.empty(k)
        owner = np.empty(k, dtype=np.int64)  # the group (passage) of each of the k largest
        for j in range(nt):
            df = end[j] - cur[j]
            if not k <= df <= 4096:
                continue
            n = 0  # the k largest contributions of distinct groups, descending
            for p in range(cur[j], end[j]):
                v = weights[j] * impacts[p]
                if n == k and v <= largest[k - 1]:
                    continue
                g = groups[doc_ids[p]] if grouped else doc_ids[p]
                z = n
                for y in range(n):
                    if owner[y] == g:
                        z = y
                        break
                if z < n and v <= largest[z]:
                    continue
                if z == n:
                    z = min(n, k - 1)
                    n = min(n + 1, k)
                while z > 0 and largest[z - 1] < v:
                    largest[z] = largest[z - 1]
                    owner[z] = owner[z - 1]
                    z -= 1
                largest[z] = v
                owner[z] = g
            if n == k:
                start = max(start, largest[k - 1])
    if -np.inf < start < np.inf:
        full = True
        kth = base_total + start - slack
        while ne < nt and prefix[ne] + slack < kth:
            ne += 1
    while True:
        d = big
        for x in range(ne, nt):
            j = perm[x]
            if cur[j] < end[j] and doc_ids[cur[j]] < d:
                d = doc_ids[cur[j]]
        if d == big:
            break
        blk = d >> shift
        if full and ub[blk] + slack < kth:
            nxt = (blk + 1) << shift
            for x in range(ne, nt):
                j = perm[x]
                cur[j] = _seek(doc_ids, cur[j], end[j], nxt)
            continue
        partial = base_total
        for x in range(ne, nt):
            j = perm[x]
            if cur[j] < end[j] and doc_ids[cur[j]] == d:
                contrib[j] = weights[j] * impacts[cur[j]]
                present[j] = True
                partial += contrib[j]
                cur[j] += 1
        rest = 0.0  # bound on the non-essential terms inside this block
        for x in range(ne):
            rest += bm[blk, perm[x]]
        alive = True
        for x in range(ne - 1, -1, -1):
            if full and partial + rest + slack < kth:
                alive = False
                break
            j = perm[x]
            rest -= bm[blk, j]
            cur[j] = _seek(doc_ids, cur[j], end[j], d)
            if cur[j] < end[j] and doc_ids[cur[j]] == d:
                contrib[j] = weights[j] * impacts[cur[j]]
                present[j] = True
                partial += contrib[j]
        if alive:
            # The exact score: the same sum, in query order, as PostingsIndex.scores.
            s = 0.0
            for j in range(nt):
                if bases[j] != 0.0:
                    s += bases[j]
                if present[j]:
                    s += contrib[j]
            if s >= kth:
                held_s[count] = s
                held_d[count] = d
                count += 1
                if count == cap:
                    count = _compact_kernel(held_s, held_d, count, groups, grouped, k)
                    if count >= k:
                        full = True
                        kth = held_s[k - 1]
                        while ne < nt and prefix[ne] + slack < kth:
                            ne += 1
        for j in range(nt):
            present[j] = False
    count = _compact_kernel(held_s, held_d, count, groups, grouped, k)
    return held_s[:count].copy(), held_d[:count].copy()


def _compact_kernel(
    held_s: np.ndarray, held_d: np.ndarray, count: int, groups: np.ndarray, grouped: bool, k: int
) -> int:
    """Sort the held results by (score desc, passage asc), keep each group's first, then k."""
    s = held_s[:count].copy()
    d = held_d[:count].copy()
    # Insertion sort: a few dozen entries, and numba's sorts take seconds more to compile.
    order = np.empty(count, dtype=np.int64)
    for x in range(count):
        z = x
        while z > 0 and (
            s[order[z - 1]] < s[x] or (s[order[z - 1]] == s[x] and d[order[z - 1]] > d[x])
        ):
            order[z] = order[z - 1]
            z -= 1
        order[z] = x
    kept = 0
    for x in range(count):
        y = order[x]
        if grouped:
            # Linear: at most k + 16 are held, and a typed set would slow compiling ten-fold.
            g = groups[d[y]]
            again = False
            for z in range(kept):
                if groups[held_d[z]] == g:
                    again = True
                    break
            if again:
                continue
        held_s[kept] = s[y]
        held_d[kept] = d[y]
        kept += 1
        if kept == k:
            break
    return kept


if HAVE_NUMBA:
    _seek = numba.njit(cache=True)(_seek)  # type: ignore[assignment]
    _compact_kernel = numba.njit(cache=True)(_compact_kernel)  # type: ignore[assignment]
    _top_kernel = numba.njit(cache=True)(_top_kernel)  # type: ignore[assignment]

_NO_GROUPS = np.zeros(1, dtype=np.int64)


def top_numba(
    ix: Any,
    terms: np.ndarray,
    weights: np.ndarray,
    bases: np.ndarray,
    k: int,
    groups: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    if ix.n_docs == 0 or k <= 0 or not len(terms):
        return np.empty(0), np.empty(0, dtype=np.int64)
    return _top_kernel(  # type: ignore[no-any-return]
        ix.offsets,
        ix.doc_ids,
        ix.impacts,
        ix.term_max,
        ix.row_of,
        ix.rows,
        ix.shift,
        ix.n_docs,
        terms,
        weights,
        bases,
        k,
        _NO_GROUPS if groups is None else groups,
        groups is not None,
    )
