"""Keeps a dead reader from costing every reply its timeout, and the log from filling up."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

FAILURES_TO_OPEN = 3  # consecutive failures before the reader is skipped
OPEN_SECONDS = 30.0  # how long it is skipped; then one question tries it again
WARN_EVERY = 60.0  # one warning per kind of failure per this many seconds


class CircuitBreaker:
    def __init__(
        self,
        failures: int = FAILURES_TO_OPEN,
        seconds: float = OPEN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failures_to_open, self.seconds, self.clock = failures, seconds, clock
        self._failures = 0
        self._open_until: float | None = None
        self._trial = False  # one question is trying the reader again
        self._lock = threading.Lock()

    def allow(self) -> bool:
        with self._lock:
            if self._open_until is None:
                return True
            if self.clock() < self._open_until or self._trial:
                return False
            self._trial = True  # half-open: this caller tries; others keep skipping
            return True

    def success(self) -> None:
        with self._lock:
            self._failures, self._open_until, self._trial = 0, None, False

    def failure(self) -> bool:
        """Count a failure; True when this one opened the breaker."""
        with self._lock:
            self._failures += 1
            was_closed = self._open_until is None
            if self._trial or self._failures >= self.failures_to_open:
                self._open_until = self.clock() + self.seconds
                self._trial = False
                return was_closed
            return False

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._open_until is not None and self.clock() < self._open_until


class WarningLimiter:
    """True at most once per key per `every` seconds."""

    def __init__(self, every: float = WARN_EVERY, clock: Callable[[], float] = time.monotonic):
        self.every, self.clock = every, clock
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def should_warn(self, key: str) -> bool:
        with self._lock:
            now = self.clock()
            last = self._last.get(key)
            if last is not None and now - last < self.every:
                return False
            self._last[key] = now
            return True
