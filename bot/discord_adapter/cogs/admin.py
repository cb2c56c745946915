"""Admin: /reload (Manage Server or a configured role/user) and /about (anyone)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cluster import ClusterReload
from bot.discord_adapter.cards import LIMITS, clip, safe
from bot.discord_adapter.checks import NotAnAdmin, is_admin
from bot.engine import CorpusStats, ReloadReport

if TYPE_CHECKING:
    from bot.discord_adapter.client import DiscussionBot


def admin_only() -> app_commands.Check:
    """The real check behind /reload's default_permissions hint."""

    async def predicate(interaction: discord.Interaction) -> bool:
        bot: DiscussionBot = interaction.client  # type: ignore[assignment]
        if not is_admin(interaction, bot.engine.config.discord):
            raise NotAnAdmin()
        return True

    return app_commands.check(predicate)


def describe_reload(report: ReloadReport) -> str:
    if not report.ok:
        errors = "\n".join(f"• {safe(str(e))}" for e in report.errors[:5])
        return clip(
            f"Reload failed after {report.seconds:.2f} s, so I'm still answering from the "
            f"previous index ({report.before.line()}).\n{errors}",
            LIMITS["content"],
        )

    def change(name: str, before: int, after: int) -> str:
        return f"{name} {before} → {after}"

    b, a = report.before, report.after
    return (
        f"Reloaded in {report.seconds:.2f} s: "
        + ", ".join(
            [
                change("documents", b.documents, a.documents),
                change("comments", b.comments, a.comments),
                change("passages", b.passages, a.passages),
            ]
        )
        + "."
    )


def reader_line(bot: DiscussionBot) -> str:
    """Whether a reader is on: people should know their question leaves this bot."""
    if bot.engine.reader is None:
        return "Off: quotes are ranked by matching words and sentence meaning here."
    kind = "this bot's own cross-encoder" if bot.engine.config.reader.model_dir else "a server"
    where = (
        ""
        if bot.engine.config.reader.model_dir
        else " Your question and those passages are sent to it."
    )
    return f"On: {kind} reads the best candidate passages and reorders them.{where}"


def describe_processes(result: ClusterReload) -> str:
    """The other processes' side of a reload: how many answered, what they serve, who did not."""
    propagation = result.propagation
    if propagation is None:
        return ""
    if propagation.error:
        return safe(
            "Propagation failed: only this process reloaded; the other processes did not get the "
            f"reload. {propagation.error}. They still pick up changed files on disk by themselves."
        )
    fingerprints = {result.me.fingerprint} | {a.member.fingerprint for a in propagation.acks}
    corpus = (
        f"corpus {result.me.fingerprint}"
        if len(fingerprints) == 1
        else "different corpora: "
        + ", ".join(
            f"{m.fingerprint} on {m.label()}"
            for m in (result.me, *(a.member for a in propagation.acks))
        )
    )
    lines = [f"{result.reloaded}/{result.processes} processes reloaded, {corpus}."]
    lines += [f"No answer within the time allowed from {m.label()}." for m in propagation.missing]
    lines += [
        f"{a.member.label('Process')} failed and kept its old index: {a.detail}"
        for a in propagation.failed
    ]
    return safe("\n".join(lines))  # names and errors come from other processes


def describe_cluster_reload(result: ClusterReload) -> str:
    return clip(
        "\n".join(t for t in (describe_reload(result.local), describe_processes(result)) if t),
        LIMITS["content"],
    )


def about_embed(bot: DiscussionBot) -> discord.Embed:
    snap = bot.engine.snapshot
    stats: CorpusStats = snap.stats
    titles = "\n".join(f"• {clip(safe(d.title), 200)}" for d in snap.documents[:20])
    embed = discord.Embed(
        title="About this bot",
        description=clip(
            "I answer questions about an online discussion by quoting what people actually "
            "wrote there, with who said it and when. I never give medical advice of my own; "
            "when the discussion doesn't cover something, I say so.\n\n"
            "Ask by mentioning me or with /ask; /summary sums up the discussion, a topic or "
            "one commenter.",
            LIMITS["description"],
        ),
        colour=discord.Colour.blurple(),
    )
    embed.add_field(name="What I index", value=clip(titles or "nothing yet", 1024), inline=False)
    embed.add_field(name="Corpus", value=stats.line(), inline=False)
    embed.add_field(name="Reader", value=reader_line(bot), inline=False)

    corpus = f"{stats.line()}; fingerprint {snap.fingerprint}" if snap.fingerprint else stats.line()
    embed.add_field(name="Corpus", value=corpus, inline=False)
    embed.set_footer(text=clip(bot.engine.config.disclaimer, LIMITS["footer"]))
    return embed


class Admin(commands.Cog):
    def __init__(self, bot: DiscussionBot) -> None:
        self.bot = bot

    @app_commands.command(name="reload", description="Reload the discussions from disk (admins).")
    @app_commands.default_permissions(manage_guild=True)
    @admin_only()
    async def reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.bot.broadcast_reload(f"/reload by {interaction.user.id}")
        await interaction.followup.send(describe_cluster_reload(result), ephemeral=True)

    @app_commands.command(name="about", description="What this bot is and what it indexes.")
    async def about(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=about_embed(self.bot), ephemeral=True)


async def setup(bot: DiscussionBot) -> None:
    await bot.add_cog(Admin(bot))
