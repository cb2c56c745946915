"""The de-facto rerank API (Cohere/Jina-compatible: llama.cpp, vLLM, Infinity, LocalAI).

POST {"model", "query", "documents": [str], "top_n"} → {"results": [{"index",
"relevance_score"}]}. Servers are known to return results unsorted, to ignore top_n, and to
send NaN for empty documents: every entry is checked, and one bad entry discards the response.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from bot.reader.outcome import ReaderFailure, Reading


def rerank_request(
    query: str, documents: Sequence[str], model: str | None, top_n: int
) -> dict[str, Any]:
    body: dict[str, Any] = {"query": query, "documents": list(documents), "top_n": top_n}
    if model:
        body["model"] = model
    return body


def parse_rerank(body: Any, count: int, top_n: int) -> Reading:
    """Validate a response for `count` documents; sort by score (ties keep the order sent, which
    is today's ranking) and keep the best `top_n`."""
    results = body.get("results") if isinstance(body, dict) else None
    if not isinstance(results, list) or not results:
        raise ReaderFailure("invalid", "expected a non-empty 'results' list")
    if len(results) > count:
        raise ReaderFailure("invalid", f"{len(results)} results for {count} documents")
    seen: set[int] = set()
    scored: list[tuple[float, int]] = []
    for position, item in enumerate(results):
        if not isinstance(item, dict):
            raise ReaderFailure("invalid", f"result {position}: expected an object")
        index, score = item.get("index"), item.get("relevance_score")
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < count:
            raise ReaderFailure("invalid", f"result {position}: index out of range or not whole")
        if index in seen:
            raise ReaderFailure("invalid", f"result {position}: index {index} repeated")
        if (
            isinstance(score, bool)
            or not isinstance(score, int | float)
            or not math.isfinite(score)
        ):
            raise ReaderFailure("invalid", f"result {position}: score is not a finite number")
        seen.add(index)
        scored.append((float(score), index))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    kept = scored[:top_n]
    return Reading(
        order=tuple(i for _, i in kept),
        scores=tuple(s for s, _ in kept),
        verdict=kept[0][0],
    )
