"""Point discord.py at another Discord-compatible host, such as the loopback test server."""

from __future__ import annotations

import discord.gateway
import discord.http
import yarl

# discord.py has no public setting for the API host or the gateway URL, so this overrides two
# private class attributes, checked against discord.py==2.7.1 (pinned in pyproject.toml):
# - Route.BASE builds every REST URL. Webhook followups and interaction callbacks use the same
#   Route class (discord/webhook/async_.py imports it from discord.http), so they follow it too.
# - DiscordWebSocket.DEFAULT_GATEWAY is where a plain Client connects, and where every client
#   goes back to after an INVALID_SESSION; only AutoShardedClient asks GET /gateway/bot.
# Keep every override of them in this one function.
_DISCORD_API_BASE: str = discord.http.Route.BASE
_DISCORD_GATEWAY: yarl.URL = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


def point_discord_py_at(api_base: str | None, gateway_url: str | None) -> None:
    """Send discord.py's REST calls to `api_base` and its gateway connections to `gateway_url`.

    `api_base` includes the version, e.g. "http://127.0.0.1:8080/api/v10". None restores
    Discord's own endpoint, so calling this with unset settings is always safe.
    """
    discord.http.Route.BASE = api_base.rstrip("/") if api_base else _DISCORD_API_BASE
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = (
        yarl.URL(gateway_url) if gateway_url else _DISCORD_GATEWAY
    )


def pointed_api_base() -> str | None:
    """The Discord-compatible REST base discord.py was pointed at; None when it is Discord's own."""
    base = discord.http.Route.BASE
    return None if base == _DISCORD_API_BASE else base
