"""What every reader returns, and how it fails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FailureKind = Literal["timeout", "connection", "status", "invalid"]


class ReaderFailure(Exception):
    """The reader gave nothing usable; the question keeps today's ranking."""

    def __init__(self, kind: FailureKind, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail  # metadata only: never the question or a passage


@dataclass(frozen=True)
class Reading:
    """A reader's judgement of the candidates it was sent (indices into that list)."""

    order: tuple[int, ...]  # candidates the reader placed, best first
    scores: tuple[float, ...]  # one per entry of `order`
    verdict: float  # compared with reader.min_score: below it, "not covered"
