"""Short excerpts of bad values for error messages.

An error must say what was wrong without echoing what was there in full: a value can be a 351 MB
expansion of a YAML alias bomb, or a secret pasted into the wrong setting.
"""

from __future__ import annotations

import re
from typing import Any

from bot.text.clean import clean_text

EXCERPT_CHARS = 40  # how much of a bad value an error message may show
# Something shaped like a credential: a long run of letters and digits with no spaces
# (Discord tokens, API keys). Such a value is described, never shown.
_SECRET_LIKE = re.compile(r"[A-Za-z0-9_\-.+/=]{20,}")


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """repr() of a value, cut to `limit` characters (with its full length) when longer.

    Containers are described by type and size instead of being walked: an aliased structure may
    be enormous when expanded even though it is small in memory.
    """
    if isinstance(value, dict | list | tuple | set) and not _flat_and_small(value):
        return f"a {_kind(value)} of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, str):
        text = clean_text(value)
        if len(text) <= limit:
            return repr(text)
        return f"{text[:limit]!r}… ({len(text):,} characters)"
    text = clean_text(repr(value))
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def redacted(value: Any, limit: int = 24) -> str:
    """For settings files: short plain values are shown, anything long or secret-like is only
    described, so a token pasted into the wrong key never reaches a terminal or a log."""
    if isinstance(value, str) and (len(value) > limit or _SECRET_LIKE.search(value)):
        return f"text of {len(value):,} characters (not shown)"
    return excerpt(value, limit)


def _flat_and_small(value: Any) -> bool:
    """A short list of plain values: cheap to show, and clearer shown than described."""
    return (
        isinstance(value, list | tuple)
        and len(value) <= 5
        and all(isinstance(v, str | int | float | bool) or v is None for v in value)
    )


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "mapping"
    return "set" if isinstance(value, set) else "list"
