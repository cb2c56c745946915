"""`python -m tools.bench --feedback`: what the vote store costs — storing a reply (done before
every answer with buttons is sent) and recording a vote — into a fresh file in a temporary folder,
kept open per thread as the bot does, and closed after every write for comparison."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.feedback import FeedbackStore, QuotedComment, ReplyRecord

QUOTES = tuple(QuotedComment(f"commenter-2012-01-{i:02d}", 5.0 - i, i) for i in range(1, 4))


def _times(operation: Any, count: int) -> list[float]:
    times = []
    for n in range(count):
        started = time.perf_counter()
        operation(n)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": statistics.median(ordered),
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
    }


def feedback_bench(count: int = 300) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        store = FeedbackStore(Path(scratch) / "feedback.db")
        store.check()
        record = _times(
            lambda n: store.record_reply(ReplyRecord(n, 1, "answered", False, QUOTES)), count
        )
        vote = _times(lambda n: store.vote(n, 7, 1, 1), count)

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "feedback.db"
        FeedbackStore(path).check()

        def closing(n: int) -> None:
            # a store used once: its connection, the file's only one, closes after the write,
            # which checkpoints the WAL
            FeedbackStore(path).record_reply(ReplyRecord(n, 1, "answered", False, QUOTES))

        reopened = _times(closing, min(count, 100))
    return {
        "count": count,
        "record_reply": _summary(record),
        "vote": _summary(vote),
        "record_reply_reopening": _summary(reopened),
    }


def format_feedback(r: dict[str, Any]) -> str:
    def line(name: str, key: str) -> str:
        return f"  {name}: p50 {r[key]['p50_ms']:.2f} ms, p99 {r[key]['p99_ms']:.2f} ms"

    return "\n".join(
        [
            f"feedback store ({r['count']} writes each, a fresh SQLite file in WAL mode):",
            line("store a reply", "record_reply"),
            line("record a vote", "vote"),
            line("store a reply, connection closed after it", "record_reply_reopening"),
        ]
    )
