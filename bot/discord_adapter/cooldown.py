"""A per-user sliding-window cooldown for questions (no Discord import: plain and testable)."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable


class UserCooldown:
    def __init__(self, rate: int, per: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.per = per
        self._clock = clock
        self._recent: dict[int, deque[float]] = defaultdict(deque)

    def hit(self, user_id: int) -> float:
        """Count one question; 0.0 when allowed, else seconds until the user may ask again."""
        if self.per <= 0:
            return 0.0
        now = self._clock()
        recent = self._recent[user_id]
        while recent and now - recent[0] >= self.per:
            recent.popleft()
        if len(recent) >= self.rate:
            return self.per - (now - recent[0])
        recent.append(now)
        return 0.0
