"""Reload when the corpus on disk changes: processes sharing a folder converge without a bus.

Every `interval` seconds the corpus fingerprint is taken in a worker thread (a stat per file; only
changed files are read) and compared with the fingerprint of the snapshot being served. A change
reloads exactly as /reload does: atomically, the old index kept on error. A fingerprint whose
reload failed is not retried until the files change again, so a broken file is reported once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.engine import Engine, ReloadReport

log = logging.getLogger("bot.cluster.watch")

Reload = Callable[[str], Awaitable[ReloadReport]]


class CorpusWatcher:
    def __init__(self, engine: Engine, interval: float, reload: Reload) -> None:
        self.engine = engine
        self.interval = interval
        self._reload = reload
        self._failed: str | None = None  # the fingerprint whose reload failed
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None and self.interval > 0:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="corpus-watch")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def check(self) -> ReloadReport | None:
        """One look at the disk: reload if the corpus changed; the report, or None."""
        current = await asyncio.to_thread(self.engine.corpus_fingerprint)
        if current in (self.engine.snapshot.fingerprint, self._failed):
            return None
        report = await self._reload(f"corpus changed on disk ({current})")
        self._failed = None if report.ok else current
        return report

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.check()
            except Exception:  # the watcher must outlive any one bad look at the disk
                log.exception("could not check the corpus for changes")
