"""Permission checks enforced in code: Discord's default_permissions is only a UI hint."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.config import DiscordSettings


class NotAnAdmin(app_commands.CheckFailure):
    """Raised for /reload by someone without Manage Server or a configured admin role/user."""


def is_admin(interaction: discord.Interaction, settings: DiscordSettings) -> bool:
    user = interaction.user
    if user.id in settings.admin_user_ids:
        return True
    if not isinstance(user, discord.Member):  # a DM: no server permissions to speak of
        return False
    if user.guild_permissions.manage_guild:
        return True
    return any(role.id in settings.admin_role_ids for role in user.roles)
