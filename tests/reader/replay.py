"""Loopback rerank and chat servers that replay the blind second reading
(tests/eval/second_reader.yaml) as their ordering, with switchable faults.

They run an aiohttp web server on 127.0.0.1 (port 0) in a thread of their own, so both the
synchronous engine and the Discord bot's event loop can call them.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.corpus.model import ARTICLE_ID
from bot.retrieval.passages import Passage
from tools.evaluation.questions import Question
from tools.evaluation.reader import Reading

FAULTS = ("slow", "drip", "status500", "not_json", "out_of_range", "duplicate", "nan", "unsorted")
NUMBERED = re.compile(r"^\[(\d+)\] (.*)$")


def flat(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Replay:
    """The second reading, keyed the way a server sees a request: by question and passage text."""

    readings: dict[str, Reading]  # by flattened question text
    comment_of: dict[str, str]  # flattened passage text → comment id (or "article")
    fault: str | None = None
    slow_seconds: float = 1.0
    requests: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def build(
        cls, readings: dict[str, Reading], questions: list[Question], passages: tuple[Passage, ...]
    ) -> Replay:
        by_text = {flat(q.text): readings[q.id] for q in questions if q.id in readings}
        comment_of: dict[str, str] = {}
        for p in passages:
            comment_of.setdefault(flat(p.text), p.comment_id or ARTICLE_ID)
        return cls(by_text, comment_of)

    def scores(self, question: str, documents: list[str]) -> list[float]:
        """Per document: higher for comments the reading ranked higher; 0 for the rest (and
        for every document of a question the reading has not read or found uncovered)."""
        reading = self.readings.get(flat(question))
        ranked = reading.ranked if reading is not None else ()
        out = []
        for text in documents:
            comment = self.comment_of.get(flat(text)[:1200])
            if comment is None:  # the chat prompt cuts passages; match on the prefix
                comment = next(
                    (c for t, c in self.comment_of.items() if t.startswith(flat(text))), None
                )
            out.append(float(len(ranked) - ranked.index(comment)) if comment in ranked else 0.0)
        return out


REPLAY: web.AppKey[Replay] = web.AppKey("replay")


async def _rerank(request: web.Request) -> web.StreamResponse:
    replay: Replay = request.app[REPLAY]
    body = await request.json()
    replay.requests.append(body)
    documents, top_n = body["documents"], body.get("top_n", len(body["documents"]))
    scores = replay.scores(body["query"], documents)
    results = [{"index": i, "relevance_score": s} for i, s in enumerate(scores)]
    fault = replay.fault
    if fault == "slow":
        await asyncio.sleep(replay.slow_seconds)
    if fault == "drip":  # headers at once, then the body a byte at a time: never a whole answer
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        for byte in json.dumps({"results": results}).encode()[:40]:
            await response.write(bytes([byte]))
            await asyncio.sleep(0.05)
        return response
    if fault == "status500":
        return web.Response(status=500, text="internal error")
    if fault == "not_json":
        return web.Response(text="<html>upstream busy</html>", content_type="text/html")
    if fault == "out_of_range":
        results[0]["index"] = len(documents)
    if fault == "duplicate":
        results[-1]["index"] = results[0]["index"]
    if fault == "nan":
        results[0]["relevance_score"] = float("nan")
    if fault != "unsorted":  # unsorted: request order, top_n ignored (old llama.cpp servers)
        results = sorted(results, key=lambda r: -r["relevance_score"])[:top_n]
    # json.dumps writes NaN as the bare token NaN, as servers that send it do.
    return web.Response(text=json.dumps({"results": results}), content_type="application/json")


async def _chat(request: web.Request) -> web.StreamResponse:
    replay: Replay = request.app[REPLAY]
    body = await request.json()
    replay.requests.append(body)
    prompt = body["messages"][-1]["content"]
    question = prompt.split("\n", 1)[0].removeprefix("Question: ")
    documents = [m.group(2) for line in prompt.splitlines() if (m := NUMBERED.match(line))]
    scores = replay.scores(question, documents)
    order = sorted((i for i, s in enumerate(scores) if s > 0), key=lambda i: -scores[i])
    if replay.fault == "slow":
        await asyncio.sleep(replay.slow_seconds)
    if replay.fault == "status500":
        return web.Response(status=500, text="internal error")
    ranking = [i + 1 for i in order]
    if replay.fault == "out_of_range":  # invented and repeated numbers: to be dropped
        ranking = [len(documents) + 5, *ranking, *ranking[:1]]
    verdict = {"ranking": ranking, "covered": bool(ranking)}
    content = f"```json\n{json.dumps(verdict)}\n```"
    if replay.fault == "not_json":
        content = "Passage 3 answers it best, I think."
    answer = {"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}
    return web.json_response(answer)


@contextmanager
def serve(replay: Replay) -> Iterator[str]:
    """Both servers on one loopback port: /v1/rerank and /v1/chat/completions. Yields the base
    address (http://127.0.0.1:PORT)."""
    app = web.Application()
    app[REPLAY] = replay
    app.router.add_post("/v1/rerank", _rerank)
    app.router.add_post("/v1/chat/completions", _chat)
    with serve_app(app) as base:
        yield base


@contextmanager
def serve_app(app: web.Application) -> Iterator[str]:
    """An aiohttp app on a free loopback port, in a thread of its own (sync tests and tools)."""
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
