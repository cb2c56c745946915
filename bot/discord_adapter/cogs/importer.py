"""/import (admins): a comment export attached to the command becomes a corpus file, then the
corpus is reloaded. The same importer as `python -m bot import`, run off the event loop."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot.corpus.importers import FORMATS, default_output, import_export
from bot.corpus.importers.model import ImportFailed, ImportResult
from bot.corpus.importers.writer import render, replace_file, write_corpus_file
from bot.discord_adapter.cards import LIMITS, clip, safe
from bot.discord_adapter.client import send_ephemeral
from bot.discord_adapter.cogs.admin import admin_only, describe_processes, describe_reload
from bot.discord_adapter.endpoints import pointed_api_base

if TYPE_CHECKING:
    from bot.discord_adapter.client import DiscussionBot

log = logging.getLogger("bot.discord.import")

# Where Discord serves attachments. Nothing else is downloaded, whatever the payload says.
DISCORD_CDN_HOSTS = {"cdn.discordapp.com", "media.discordapp.net"}
FORMAT_CHOICES = [app_commands.Choice(name="recognise it", value="auto")] + [
    app_commands.Choice(name=label, value=key) for key, (label, _) in FORMATS.items()
]


def attachment_url_allowed(url: str, api_base: str | None) -> bool:
    """Discord's CDN over https; or the Discord-compatible host the bot is pointed at
    (discord.api_base: a proxy, or the loopback test server), which serves attachments too."""
    try:
        parsed = yarl.URL(url)
    except (ValueError, TypeError):
        return False
    if parsed.scheme == "https" and parsed.host in DISCORD_CDN_HOSTS:
        return True
    if not api_base:
        return False
    base = yarl.URL(api_base)
    return (parsed.scheme, parsed.host, parsed.port) == (base.scheme, base.host, base.port)


@dataclass(frozen=True)
class Written:
    result: ImportResult
    target: Path
    previous: bytes | None  # what the file held before, if it was replaced


def failure(text: str) -> str:
    return clip(safe(text), LIMITS["content"])


class Importer(commands.Cog):
    def __init__(self, bot: DiscussionBot) -> None:
        self.bot = bot
        self._one_at_a_time = asyncio.Lock()  # two imports never race for one corpus file

    @app_commands.command(
        name="import",
        description="Import a WordPress, Disqus or Discourse export into the discussions (admins).",
    )
    @app_commands.describe(
        file="the export: WordPress WXR, Disqus XML, a saved WordPress page or Discourse JSON",
        format="the export's format (recognised from its content unless chosen)",
        replace="replace the corpus file of the same name if there is one",
    )
    @app_commands.choices(format=FORMAT_CHOICES)
    @app_commands.default_permissions(manage_guild=True)
    @admin_only()
    async def import_(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment,
        format: str = "auto",
        replace: bool = False,
    ) -> None:
        config = self.bot.engine.config
        limit = config.imports.max_bytes
        if file.size > limit:  # from the metadata: nothing is downloaded
            await send_ephemeral(
                interaction,
                failure(
                    f"Import refused: {file.filename} is {file.size:,} bytes, more than "
                    f"imports.max_bytes ({limit:,})."
                ),
            )
            return
        if not attachment_url_allowed(file.url, pointed_api_base()):
            log.warning("/import: attachment URL not on Discord's CDN; not downloaded")
            await send_ephemeral(
                interaction, failure(f"Import refused: {file.filename} is not a Discord upload.")
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self._one_at_a_time:
            text = await self._run(file, format, replace, interaction.user.id)
        await interaction.followup.send(text, ephemeral=True)

    async def _run(self, file: discord.Attachment, fmt: str, replace: bool, user_id: int) -> str:
        try:
            data = await file.read()
        except discord.HTTPException as exc:
            return failure(
                f"Import failed: {file.filename} could not be downloaded ({exc.status})."
            )
        if len(data) != file.size:  # the download is not what the metadata announced
            return failure(
                f"Import failed: {file.filename} arrived as {len(data):,} bytes, "
                f"not the {file.size:,} Discord announced. Nothing was written."
            )
        try:
            written = await asyncio.to_thread(self._write, data, file.filename, fmt, replace)
        except ImportFailed as exc:
            return failure(f"Import failed, nothing was written: {exc}")
        # The other processes are told only once this one has the file in its index.
        result = await self.bot.broadcast_reload(f"/import by {user_id}", send_on_failure=False)
        report = result.local
        if not report.ok:
            await asyncio.to_thread(self._undo, written)
            return describe_reload(report) + "\nThe imported file was taken out again."
        summary = written.result.summary(f"the corpus as {written.target.name}")
        text = safe(f"{summary[0].upper()}{summary[1:]}.\n{describe_reload(report)}")
        processes = describe_processes(result)  # already made safe where it quotes others
        return clip(f"{text}\n{processes}" if processes else text, LIMITS["content"])

    def _write(self, data: bytes, name: str, fmt: str, replace: bool) -> Written:
        result = import_export(data, name, fmt, self.bot.engine.config.imports)
        target = default_output(self.bot.engine.corpus, result)
        previous = target.read_bytes() if replace and target.exists() else None
        if target.exists() and not replace:
            raise ImportFailed(
                target.name, None, "is already in the corpus; run /import with replace: True"
            )
        write_corpus_file(render(result.documents, target), target, force=replace)
        return Written(result, target, previous)

    @staticmethod
    def _undo(written: Written) -> None:
        if written.previous is None:
            written.target.unlink(missing_ok=True)
        else:
            replace_file(written.target, written.previous)


async def setup(bot: DiscussionBot) -> None:
    await bot.add_cog(Importer(bot))
