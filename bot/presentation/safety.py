"""Text that goes back to a chat must never ping anyone or smuggle in formatting."""

from __future__ import annotations

import re

ZWSP = "\u200b"
_MENTION = re.compile(r"@(everyone|here)|<(@[!&]?|#)(\d+)>")
_MARKDOWN = re.compile(r"([\\*_~`|>#\-\[\]()])")


def neutralize_mentions(text: str) -> str:
    """Break @everyone, @here and <@id>/<@&id>/<#id> so no client renders them as live mentions."""
    return _MENTION.sub(
        lambda m: m.group(0).replace("@", "@" + ZWSP).replace("<#", "<#" + ZWSP), text
    )


def escape_markdown(text: str) -> str:
    """Backslash-escape Discord markdown so a quote shows exactly the characters people typed."""
    return _MARKDOWN.sub(r"\\\1", text)
