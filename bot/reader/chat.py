"""A chat model as the reader (OpenAI-compatible chat completions: Ollama, llama.cpp, vLLM,
LM Studio). A listwise prompt numbers the candidates; the model answers with JSON naming the
helpful ones, best first, and whether any answers the question. Only that ordering and verdict
are used: the model's words never reach anyone. Malformed output is discarded whole; numbers
that were not offered, or are repeated, are dropped (small models do both).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.reader.outcome import ReaderFailure, Reading

SYSTEM = (
    "You judge passages from an online discussion. You never answer the question yourself. "
    "Reply with one JSON object and nothing else."
)
INSTRUCTIONS = (
    'Reply with JSON: {"ranking": [the numbers of the passages that help answer the question, '
    'most helpful first], "covered": true if at least one passage answers the question, '
    "else false}. Use only the numbers shown above; leave out passages that do not help."
)
MAX_PASSAGE_CHARS = 1200  # keeps the prompt within small models' context


def chat_request(
    query: str, documents: Sequence[str], model: str | None, max_tokens: int = 300
) -> dict[str, Any]:
    numbered = "\n".join(
        f"[{i}] {' '.join(text.split())[:MAX_PASSAGE_CHARS]}" for i, text in enumerate(documents, 1)
    )
    prompt = f"Question: {' '.join(query.split())}\n\nPassages:\n{numbered}\n\n{INSTRUCTIONS}"
    body: dict[str, Any] = {
        "messages": [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": prompt},
        ],
        "temperature": 0,
        "max_tokens": max_tokens,
        "stream": False,
    }
    if model:
        body["model"] = model
    return body


def parse_chat(body: Any, count: int) -> Reading:
    """A chat completion → the candidates' order (0-based) and the covered verdict (1 or 0)."""
    try:
        content = body["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise ReaderFailure("invalid", "expected choices[0].message.content") from None
    if not isinstance(content, str):
        raise ReaderFailure("invalid", "message content is not text")
    verdict = _json_object(content)
    ranking, covered = verdict.get("ranking"), verdict.get("covered")
    if not isinstance(ranking, list) or not isinstance(covered, bool):
        raise ReaderFailure("invalid", "expected 'ranking' (a list) and 'covered' (true/false)")
    order: list[int] = []
    for number in ranking:
        if isinstance(number, bool) or not isinstance(number, int):
            raise ReaderFailure("invalid", "ranking holds something other than whole numbers")
        if 1 <= number <= count and number - 1 not in order:  # invented or repeated: dropped
            order.append(number - 1)
    if covered and not order:
        raise ReaderFailure("invalid", "covered, yet no offered passage ranked")
    n = len(order)
    return Reading(
        order=tuple(order),
        scores=tuple(float(n - i) for i in range(n)),
        verdict=1.0 if covered else 0.0,
    )


def _json_object(content: str) -> dict[str, Any]:
    """The first JSON object in the reply (models wrap it in ``` fences or a sentence)."""
    start = content.find("{")
    if start < 0:
        raise ReaderFailure("invalid", "no JSON object in the reply")
    try:
        value, _ = json.JSONDecoder().raw_decode(content, start)
    except ValueError:
        raise ReaderFailure("invalid", "the reply's JSON does not parse") from None
    if not isinstance(value, dict):
        raise ReaderFailure("invalid", "expected a JSON object")
    return value
