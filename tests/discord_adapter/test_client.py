from __future__ import annotations

from dataclasses import replace

import discord

from bot.config import Config
from bot.discord_adapter.client import DiscussionBot, ShardedDiscussionBot, build_bot
from bot.engine import Engine


def engine_with(config: Config, **discord_settings: object) -> Engine:
    return Engine(replace(config, discord=replace(config.discord, **discord_settings)))


async def test_plain_bot_asks_for_no_privileged_intent_and_pings_nobody(config: Config) -> None:
    bot = build_bot(engine_with(config))
    assert type(bot) is DiscussionBot
    assert not bot.intents.message_content and not bot.intents.members
    assert bot.intents.guild_messages and bot.intents.dm_messages
    mentions = bot.allowed_mentions
    assert mentions is not None
    assert (mentions.everyone, mentions.users, mentions.roles, mentions.replied_user) == (
        False,
        False,
        False,
        False,
    )


async def test_answer_channels_request_message_content(config: Config) -> None:
    bot = build_bot(engine_with(config, answer_channels=(42,)))
    assert bot.intents.message_content


async def test_shard_settings_make_an_auto_sharded_bot(config: Config) -> None:
    bot = build_bot(engine_with(config, shard_count=4, shard_ids=(2, 3)))
    assert isinstance(bot, ShardedDiscussionBot)
    assert isinstance(bot, discord.AutoShardedClient)
    assert bot.shard_count == 4 and bot.shard_ids == [2, 3]
