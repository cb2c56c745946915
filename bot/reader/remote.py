"""A rerank or chat server over HTTP, with one deadline for the whole call (connect, send,
read): aiohttp's total timeout, which a server dripping one byte at a time cannot stretch.

The engine answers in worker threads (the Discord adapter uses asyncio.to_thread), so each call
runs its own short event loop there and never blocks the bot's loop.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Sequence
from typing import Any

import aiohttp

from bot.config import ReaderSettings
from bot.reader.chat import chat_request, parse_chat
from bot.reader.outcome import ReaderFailure, Reading
from bot.reader.rerank import parse_rerank, rerank_request

log = logging.getLogger("bot.reader")
MAX_BODY_BYTES = 2 << 20  # a ranking of 100 candidates is a few kB; more is not a ranking


class RemoteReader:
    def __init__(self, settings: ReaderSettings) -> None:
        if settings.url is None:
            raise ValueError("a remote reader needs reader.url")
        self.settings = settings
        self.url = settings.url
        if settings.api_key_env and not os.environ.get(settings.api_key_env):
            log.warning(
                "reader.api_key_env names %s, which is not set: calling the reader without a key",
                settings.api_key_env,
            )

    def read(self, query: str, documents: Sequence[str]) -> Reading:
        """Score the documents; raises ReaderFailure on any fault, within the timeout."""
        if self.settings.api == "chat":
            body = chat_request(query, documents, self.settings.model)
        else:
            body = rerank_request(query, documents, self.settings.model, len(documents))
        answer = self._post(body)
        if self.settings.api == "chat":
            return parse_chat(answer, len(documents))
        return parse_rerank(answer, len(documents), len(documents))

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        name = self.settings.api_key_env
        key = os.environ.get(name) if name else None
        if key:  # read per call, so a rotated key needs no restart
            headers["Authorization"] = f"Bearer {key}"
        return headers

    def _post(self, body: dict[str, Any]) -> Any:
        try:
            return asyncio.run(self._send(body))
        except TimeoutError:
            raise ReaderFailure(
                "timeout", f"no answer within {self.settings.timeout:g} s"
            ) from None

    async def _send(self, body: dict[str, Any]) -> Any:
        timeout = aiohttp.ClientTimeout(total=self.settings.timeout)
        # wait_for as well: name resolution and closing are outside aiohttp's own timer.
        return await asyncio.wait_for(self._exchange(body, timeout), self.settings.timeout)

    async def _exchange(self, body: dict[str, Any], timeout: aiohttp.ClientTimeout) -> Any:
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                # No redirects: a 3xx is a fault, and the key never follows one elsewhere.
                session.post(
                    self.url, json=body, headers=self._headers(), allow_redirects=False
                ) as response,
            ):
                if not 200 <= response.status < 300:
                    raise ReaderFailure("status", f"HTTP {response.status}")
                raw = await response.content.read(MAX_BODY_BYTES + 1)
        except ReaderFailure:
            raise
        except TimeoutError:
            raise
        except (aiohttp.ClientError, OSError) as exc:
            raise ReaderFailure("connection", type(exc).__name__) from None
        if len(raw) > MAX_BODY_BYTES:
            raise ReaderFailure("invalid", f"response over {MAX_BODY_BYTES} bytes")
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise ReaderFailure("invalid", "response is not JSON") from None
