"""`run`: start the Discord bot (token from DISCORD_TOKEN, never from config.yaml)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys

from bot.cli.common import add_corpus_option, load
from bot.engine import Engine

log = logging.getLogger("bot")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("run")
    add_corpus_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import aiohttp
    import discord

    from bot.discord_adapter.client import build_bot
    from bot.discord_adapter.endpoints import point_discord_py_at

    config = load(args)  # validated before anything connects
    token = os.environ.get("DISCORD_TOKEN", "").strip()
    if not token:
        print(
            "error: DISCORD_TOKEN is not set. Put the bot token from the Discord developer "
            "portal in the environment: DISCORD_TOKEN=… make run",
            file=sys.stderr,
        )
        return 2
    discord.utils.setup_logging(level=logging.INFO)
    engine = Engine(config)
    for error in engine.snapshot.errors:
        log.warning("skipped %s", error)
    log.info("loaded %s", engine.snapshot.stats.line())
    point_discord_py_at(config.discord.api_base, config.discord.gateway_url)
    bot = build_bot(engine)
    try:
        asyncio.run(_serve(bot, token))
    except discord.LoginFailure:
        print("error: Discord refused the token in DISCORD_TOKEN", file=sys.stderr)
        return 2
    except (OSError, TimeoutError, aiohttp.ClientError) as exc:  # no route, refused, DNS, TLS
        print(
            f"error: cannot reach Discord at {discord.http.Route.BASE}: {_reason(exc)}",
            file=sys.stderr,
        )
        return 3
    except discord.HTTPException as exc:  # e.g. a 5xx while logging in
        print(
            f"error: Discord answered {exc.status} while logging in at "
            f"{discord.http.Route.BASE}; try again later",
            file=sys.stderr,
        )
        return 3
    except discord.PrivilegedIntentsRequired:
        print(
            "error: answer_channels needs the Message Content intent: enable it for the bot in "
            "the Discord developer portal, or empty discord.answer_channels",
            file=sys.stderr,
        )
        return 2
    return 0


def _reason(exc: BaseException) -> str:
    """One short line: aiohttp's messages name the host and the OS error; some are empty."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


async def _serve(bot: object, token: str) -> None:
    async with bot:  # type: ignore[attr-defined]
        await bot.start(token)  # type: ignore[attr-defined]
