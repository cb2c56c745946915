"""Timestamps from exports as UTC calendar dates."""

from __future__ import annotations

import datetime as dt
import re

# Dates a theme prints when it gives no machine-readable time: "February 17, 2012 at 11:30 pm".
TEXT_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d", "%d/%m/%Y")


def utc_date(value: str) -> dt.date | None:
    """An ISO-8601 timestamp ('…Z', '…+01:00', or without zone: taken as UTC) → its UTC date."""
    try:
        stamp = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC)
    return stamp.date()


def wordpress_stamp(value: str) -> dt.datetime | None:
    """WordPress's 'YYYY-MM-DD HH:MM:SS'; the zeroed '0000-00-00 00:00:00' means unknown."""
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def text_date(value: str) -> dt.date | None:
    """A date as a theme prints it, time of day dropped; None when it is not one we know."""
    text = re.split(r"\s+at\s+|,?\s+\d{1,2}:\d{2}", " ".join(value.split()), maxsplit=1)[0]
    for fmt in TEXT_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return None
