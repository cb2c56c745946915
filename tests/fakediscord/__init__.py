"""A Discord-compatible loopback server for end-to-end tests of discord.py bots."""

from .server import FakeDiscord, GatewayFrame, GatewaySession, LimitViolation, RecordedRequest

__all__ = ["FakeDiscord", "GatewayFrame", "GatewaySession", "LimitViolation", "RecordedRequest"]
