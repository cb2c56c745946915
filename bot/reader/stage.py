"""The reader stage between retrieval and the reply: today's ranking in, the best candidates
reordered by the reader out, and, when `reader.min_score` is set, the reader's verdict on
"not covered" in place of the word-based one.

Any reader fault leaves that question with today's ranking. A reader that keeps failing is
skipped for a while (circuit breaker), and each kind of fault is logged once a minute, with
metadata only: the question and passages never reach the log.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from typing import Protocol

from bot.config import ReaderSettings
from bot.reader.breaker import CircuitBreaker, WarningLimiter
from bot.reader.outcome import ReaderFailure, Reading
from bot.reader.recent import RecentReadings
from bot.retrieval.search import Hit, Ranking

log = logging.getLogger("bot.reader")


class Reader(Protocol):
    def read(self, query: str, documents: list[str]) -> Reading: ...


class ReaderStage:
    def __init__(
        self,
        settings: ReaderSettings,
        reader: Reader,
        breaker: CircuitBreaker | None = None,
        warnings: WarningLimiter | None = None,
    ) -> None:
        self.settings = settings
        self.reader = reader
        self.breaker = breaker or CircuitBreaker()
        self.warnings = warnings or WarningLimiter()
        self.failures = 0  # since start, for bench and tests
        self.recent = RecentReadings()

    def __call__(self, question: str, ranking: Ranking) -> Ranking:
        if not ranking.hits or not ranking.query.own:
            return ranking
        if self.settings.min_score is None and not ranking.covered:
            return ranking  # today's gate refuses it: nothing the reader says would be shown
        candidates = ranking.hits[: self.settings.candidates]
        texts = [h.passage.text for h in candidates]
        key = self.recent.key(question, texts)
        found, reading = self.recent.get(key)  # "More quotes": the first page's order
        if not found:
            reading = self._read(question, texts)
            self.recent.put(key, reading)
        if reading is None:
            return ranking
        return reordered(ranking, candidates, reading, self.settings.min_score)

    def _read(self, question: str, texts: list[str]) -> Reading | None:
        """The reader's judgement, or None (skipped by the breaker, or failed: logged)."""
        if not self.breaker.allow():
            return None
        started = time.perf_counter()
        try:
            reading = self.reader.read(question, texts)
        except ReaderFailure as failure:
            self._failed(failure, len(texts), time.perf_counter() - started)
            return None
        except Exception as exc:  # a bug or a broken model must not cost the reply
            failure = ReaderFailure("invalid", type(exc).__name__)
            self._failed(failure, len(texts), time.perf_counter() - started)
            return None
        self.breaker.success()
        return reading

    def _failed(self, failure: ReaderFailure, sent: int, seconds: float) -> None:
        self.failures += 1
        opened = self.breaker.failure()
        if self.warnings.should_warn(failure.kind):
            log.warning(
                "reader %s (%s) after %.0f ms with %d candidates; answering with today's ranking",
                failure.kind,
                failure.detail,
                seconds * 1000,
                sent,
            )
        if opened:
            log.warning(
                "reader failed %d times in a row: skipped for %.0f s",
                self.breaker.failures_to_open,
                self.breaker.seconds,
            )


@dataclass(frozen=True)
class Probe:
    reachable: bool
    seconds: float
    detail: str  # "ok", or what went wrong (metadata only)


def probe(reader: Reader) -> Probe:
    """One real call with a harmless question, timed (for `check`)."""
    started = time.perf_counter()
    try:
        reader.read("Does this reader answer?", ["A short test passage.", "Another one."])
    except ReaderFailure as exc:
        return Probe(False, time.perf_counter() - started, str(exc))
    except Exception as exc:  # a broken local model: report it, do not crash check
        return Probe(False, time.perf_counter() - started, type(exc).__name__)
    return Probe(True, time.perf_counter() - started, "ok")


def reordered(
    ranking: Ranking, candidates: tuple[Hit, ...], reading: Reading, min_score: float | None
) -> Ranking:
    """The candidates the reader placed, in its order with its scores; then the candidates it
    left out and every hit past the cut, in today's order. Quotes stay the corpus's passages."""
    placed = [
        Hit(candidates[i].passage, score)
        for i, score in zip(reading.order, reading.scores, strict=True)
    ]
    chosen = set(reading.order)
    rest = [h for i, h in enumerate(candidates) if i not in chosen]
    hits = (*placed, *rest, *ranking.hits[len(candidates) :])
    if min_score is None:
        covered = ranking.covered
    else:
        # The reader replaces the word-based gate, never the safety rules: a drug the
        # discussion never names, or a child's or a pregnancy's question, stays not covered.
        covered = (
            reading.verdict >= min_score and not ranking.query.unknown_names and not ranking.people
        )
    return replace(ranking, hits=hits, covered=covered)
