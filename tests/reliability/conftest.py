"""The real bot against the loopback Discord server, set up for faults, shards and load."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator

import pytest_asyncio

from bot.config import Config
from tests.livebot import Launch, running_bot


@pytest_asyncio.fixture
async def launch(config: Config) -> AsyncIterator[Launch]:
    """launch(...) → (server, bot); see tests.livebot.running_bot for the options."""
    yield functools.partial(running_bot, config)


class LogWatch(logging.Handler):
    """Every log record while a test runs, and a way to wait for one (records may come from
    worker threads: reloads and answers run off the event loop)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self._loop = loop
        self._changed = asyncio.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        with contextlib.suppress(RuntimeError):  # the loop is already closed
            self._loop.call_soon_threadsafe(lambda: asyncio.ensure_future(self._notify()))

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def matching(self, text: str, logger: str = "", level: int = logging.DEBUG) -> list[str]:
        return [
            r.getMessage()
            for r in self.records
            if r.name.startswith(logger) and r.levelno >= level and text in r.getMessage()
        ]

    async def wait_for(
        self, text: str, logger: str = "", level: int = logging.DEBUG, timeout: float = 5.0
    ) -> str:
        """The first message containing `text`, already logged or still to come."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: self.matching(text, logger, level)), timeout
            )
        return self.matching(text, logger, level)[0]

    def crashes(self) -> list[str]:
        """Exceptions the bot left to discord.py ("Ignoring exception in on_message", ...)
        and errors from asyncio about tasks nobody awaited."""
        return [
            r.getMessage()
            for r in self.records
            if r.levelno >= logging.ERROR and r.name.startswith(("discord", "asyncio"))
        ]


@pytest_asyncio.fixture
async def logs() -> AsyncIterator[LogWatch]:
    root = logging.getLogger()
    watch = LogWatch(asyncio.get_running_loop())
    previous = root.level
    root.setLevel(logging.INFO)
    root.addHandler(watch)
    try:
        yield watch
    finally:
        root.removeHandler(watch)
        root.setLevel(previous)
