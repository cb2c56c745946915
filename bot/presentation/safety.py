"""Text that goes back to a chat must never ping anyone.

discord.py's `escape_mentions` leaves channel mentions (<#id>) live, so this is our own; the
Discord cards add discord.py's `escape_markdown` on top (bot/discord_adapter/cards.py).
"""

from __future__ import annotations

import re

ZWSP = "\u200b"
_MENTION = re.compile(r"@(everyone|here)|<(@[!&]?|#)(\d+)>")


def neutralize_mentions(text: str) -> str:
    """Break @everyone, @here and <@id>/<@&id>/<#id> so no client renders them as live mentions."""
    return _MENTION.sub(
        lambda m: m.group(0).replace("@", "@" + ZWSP).replace("<#", "<#" + ZWSP), text
    )
