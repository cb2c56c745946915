"""Several processes serving one bot (shards split across processes) serve the same corpus.

- Always: a CorpusWatcher reloads this process when the files on disk change.
- With `cluster.redis_url`: a RedisBus carries /reload, /import and SIGHUP to every process and
  brings back their answers.
The engine stays the one façade for reloading: both call the adapter's reload, which calls it.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass

from bot.cluster.bus import Ack, Member, Propagation, RedisBus
from bot.cluster.watcher import CorpusWatcher, Reload
from bot.engine import Engine, ReloadReport

log = logging.getLogger("bot.cluster")

__all__ = ["Ack", "Cluster", "ClusterReload", "Member", "Propagation"]


@dataclass(frozen=True)
class ClusterReload:
    me: Member  # this process, after its own reload
    local: ReloadReport
    propagation: Propagation | None  # None: no Redis configured, or nothing was sent

    @property
    def processes(self) -> int:
        """Processes expected to answer: this one, the live ones, any that answered anyway."""
        if self.propagation is None:
            return 1
        peers = {p.process for p in self.propagation.peers}
        return 1 + len(peers | {a.member.process for a in self.propagation.acks})

    @property
    def reloaded(self) -> int:
        done = [a for a in self.propagation.acks if a.ok] if self.propagation else []
        return int(self.local.ok) + len(done)


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Cluster:
    def __init__(
        self,
        engine: Engine,
        reload: Reload,
        shards: tuple[int, ...] | None,
        process: str | None = None,  # the name other processes know it by; host:pid by default
    ) -> None:
        settings = engine.config.cluster
        self.engine = engine
        self.process = process or process_name()
        self.shards = shards
        self._reload = reload
        self.watcher = CorpusWatcher(engine, settings.watch_seconds, reload)
        self.bus = (
            RedisBus(settings, self.process, shards, engine, reload) if settings.redis_url else None
        )

    async def start(self) -> None:
        every = self.engine.config.cluster.watch_seconds
        log.info(
            "%s serves corpus %s; %s",
            self.me().label(),
            self.engine.snapshot.fingerprint,
            f"checking it for changes every {every:g} s" if every else "not watching for changes",
        )
        self.watcher.start()
        if self.bus is not None:
            await self.bus.start()

    async def close(self) -> None:
        await self.watcher.stop()
        if self.bus is not None:
            await self.bus.close()

    def me(self) -> Member:
        return Member(self.process, self.shards, self.engine.snapshot.fingerprint)

    async def broadcast_reload(self, reason: str, *, send_on_failure: bool = True) -> ClusterReload:
        """Reload here, then (with Redis) everywhere else. send_on_failure=False keeps a failed
        local reload to this process (an /import taken back out)."""
        local = await self._reload(reason)
        propagation = None
        if self.bus is not None and (local.ok or send_on_failure):
            propagation = await self.bus.broadcast(reason)
        return ClusterReload(self.me(), local, propagation)
