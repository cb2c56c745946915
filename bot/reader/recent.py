"""The last readings, so "More quotes" pages through the same order the first reply used.

A second call for the next page could come back different (a model that is not deterministic,
or a fault this time) and then repeat or skip quotes. Keyed by a digest of the question and the
candidates, never their text; a fault is remembered too (as None: today's order), for as long
as the Discord button lives.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence

from bot.reader.outcome import Reading

KEEP = 256
KEEP_SECONDS = 600.0  # the "More quotes" button's lifetime


class RecentReadings:
    def __init__(
        self,
        size: int = KEEP,
        seconds: float = KEEP_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.size, self.seconds, self.clock = size, seconds, clock
        self._items: OrderedDict[bytes, tuple[float, Reading | None]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(question: str, documents: Sequence[str]) -> bytes:
        digest = hashlib.sha256(question.encode("utf-8"))
        for text in documents:
            digest.update(b"\0" + text.encode("utf-8"))
        return digest.digest()

    def get(self, key: bytes) -> tuple[bool, Reading | None]:
        """(found, reading); a found None means the reader failed for it: today's order."""
        with self._lock:
            item = self._items.get(key)
            if item is None or self.clock() - item[0] > self.seconds:
                return False, None
            self._items.move_to_end(key)
            return True, item[1]

    def put(self, key: bytes, reading: Reading | None) -> None:
        with self._lock:
            self._items[key] = (self.clock(), reading)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
