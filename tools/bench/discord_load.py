"""`python -m tools.bench --discord`: the real bot under load through the loopback Discord server.

The server (tests/fakediscord/server.py) and the load driver (tests/fakediscord/load.py) are the
reliability tests' harness; a developer tool may use it, the product (`bot/`) never does. The
server and bot share one event loop and process, so the figures are for the whole stack on this
machine, without Discord's own rate limits (about 5 messages per 5 s in a channel), which a real
deployment meets first.
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from bot.config import Config, load_config
from bot.discord_adapter.client import build_bot
from bot.discord_adapter.endpoints import point_discord_py_at
from bot.engine import Engine

try:
    from tests.fakediscord.load import LoadResult, run_load
    from tests.fakediscord.server import FakeDiscord
except ModuleNotFoundError as exc:  # the test extras are not installed
    if exc.name != "aiohttp":
        raise
    raise RuntimeError(
        "bench --discord needs aiohttp for the loopback Discord server: install the test extras "
        "(pip install -e '.[test]')"
    ) from exc

ROOT = Path(__file__).resolve().parents[2]


def _bench_config(config: Config | Path | None, questions: int) -> Config:
    if not isinstance(config, Config):
        config = load_config(config or ROOT / "config.yaml")
    # Every simulated user asks far more often than the real per-user cooldown allows.
    discord = replace(config.discord, cooldown_questions=questions, cooldown_seconds=60.0)
    return replace(config, discord=discord)


async def _bench(users: int, questions: int, config: Config, **load: Any) -> LoadResult:
    with tempfile.TemporaryDirectory() as scratch:
        # Replies are stored for votes as in production, in a store that is thrown away.
        feedback = replace(config.feedback, path=Path(scratch) / "feedback.db")
        return await _bench_with(users, questions, replace(config, feedback=feedback), **load)


async def _bench_with(users: int, questions: int, config: Config, **load: Any) -> LoadResult:
    async with FakeDiscord() as server:
        point_discord_py_at(server.api_base, server.gateway_url)
        try:
            # Commands synced to the server's guild are usable at once (global ones are too).
            settings = replace(config.discord, guild_ids=(server.guild_id,))
            bot = build_bot(Engine(replace(config, discord=settings)), guild_ready_timeout=0.05)
            async with server.run_client(bot):
                return await run_load(server, bot, users, questions, **load)
        finally:
            point_discord_py_at(None, None)


def discord_bench(
    users: int = 50,
    questions: int = 1000,
    config: Config | Path | None = None,
    *,
    mode: Literal["burst", "closed"] = "burst",
    channels: int = 5,
) -> dict[str, Any]:
    """Run the load (see `run_load`) against the real bot, built from `config` (a Config, a
    config file, or the repository's config.yaml) with the per-user cooldown lifted, through
    the loopback server; the figures: users, questions, seconds, throughput_qps, p50_ms,
    p99_ms, lost, duplicates."""
    cfg = _bench_config(config, questions)
    result = asyncio.run(_bench(users, questions, cfg, mode=mode, channels=channels))
    return result.figures()
