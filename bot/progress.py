"""Long work says what it is doing: a progress bar on a terminal, a log line every few seconds
otherwise (the Discord bot's log, CI), and nothing at all for work that ends within a second.

Embedding a large corpus or loading a big archive can take minutes; silence for that long looks
like a hang. tqdm draws the bar (counts, rate, time left). The clock is injectable so tests can
check the quiet second and the log cadence without sleeping.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import IO, Any

log = logging.getLogger("bot.progress")

QUIET_SECONDS = 1.0  # work that ends sooner shows nothing
LOG_EVERY_SECONDS = 5.0  # without a terminal: one line this often


def _now() -> float:
    return time.monotonic()  # looked up on each call, so a test can stand in a clock


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream: treat as a log
        return False


class Progress:
    """Counts units of work done out of `total` (None when unknown); unit "B" shows megabytes.

    with Progress("embedding passages", len(texts), "passages") as progress:
        for batch in batches: ...; progress.update(len(batch))
    """

    def __init__(
        self,
        what: str,
        total: int | None,
        unit: str = "items",
        *,
        stream: IO[str] | None = None,
        terminal: bool | None = None,
        clock: Callable[[], float] | None = None,
        quiet: float = QUIET_SECONDS,
        every: float = LOG_EVERY_SECONDS,
        logger: logging.Logger = log,
    ) -> None:
        self.what = what
        self.total = total
        self.unit = unit
        self._bytes = unit == "B"  # counts shown in MB
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._terminal = _is_terminal(self._stream) if terminal is None else terminal
        self._clock = clock or _now
        self._quiet = quiet
        self._every = every
        self._log = logger
        self._started = self._clock()
        self._last_line: float | None = None  # when the last log line was written
        self._bar: Any = None  # the tqdm bar, once the work has outlasted the quiet second
        self.shown = False  # whether anything was written at all

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close(failed=kind is not None)

    def update(self, count: int = 1) -> None:
        self.done += count
        now = self._clock()
        elapsed = now - self._started
        if elapsed < self._quiet:
            return
        if self._terminal:
            self._draw(count)
        elif self._last_line is None or now - self._last_line >= self._every:
            self._last_line = now
            self._line(elapsed)

    def _draw(self, count: int) -> None:
        if self._bar is None:
            from tqdm import tqdm  # only when a bar is actually drawn

            self._bar = tqdm(
                total=self.total,
                initial=self.done,
                desc=self.what,
                unit="B" if self._bytes else f" {self.unit}",
                unit_scale=self._bytes,
                unit_divisor=1024,
                file=self._stream,
                leave=True,
                dynamic_ncols=True,
            )
            self.shown = True
        else:
            self._bar.update(count)

    def _count(self, value: float) -> str:
        return f"{value / 1e6:,.1f}" if self._bytes else f"{value:,.0f}"

    def _line(self, elapsed: float) -> None:
        rate = self.done / elapsed if elapsed > 0 else 0.0
        unit = "MB" if self._bytes else self.unit
        counts = f"{self._count(self.done)}"
        eta = ""
        if self.total:
            counts += f"/{self._count(self.total)} {unit} ({100 * self.done / self.total:.0f} %)"
            if rate > 0:
                eta = f", about {_duration((self.total - self.done) / rate)} left"
        else:
            counts += f" {unit}"
        self._log.info("%s: %s, %s %s/s%s", self.what, counts, self._count(rate), unit, eta)
        self.shown = True

    def close(self, failed: bool = False) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
            return
        if self.shown and not self._terminal and not failed:
            elapsed = self._clock() - self._started
            unit = "MB" if self._bytes else self.unit
            self._log.info(
                "%s: done, %s %s in %s", self.what, self._count(self.done), unit, _duration(elapsed)
            )


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
