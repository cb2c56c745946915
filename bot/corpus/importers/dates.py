"""Timestamps from exports as UTC calendar dates."""

from __future__ import annotations

import datetime as dt
import re

# Dates a theme prints when it gives no machine-readable time, wherever they sit in the text:
# "Wendy on June 2, 2011 at 11:58 pm said:", "2 June 2011", "2011-06-02".
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
TEXT_DATES = (
    (re.compile(rf"\b({_MONTH}) (\d{{1,2}}),? (\d{{4}})\b"), ("month", "day", "year")),
    (re.compile(rf"\b(\d{{1,2}}) ({_MONTH}),? (\d{{4}})\b"), ("day", "month", "year")),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("year", "month", "day")),
)
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def utc_date(value: str) -> dt.date | None:
    """An ISO-8601 timestamp ('…Z', '…+01:00', or without zone: taken as UTC) → its UTC date."""
    try:
        stamp = dt.datetime.fromisoformat(value.strip())
        if stamp.tzinfo is not None:
            stamp = stamp.astimezone(dt.UTC)
    except (ValueError, OverflowError):  # not a timestamp, or one at the calendar's very ends
        return None
    return stamp.date()


def wordpress_stamp(value: str) -> dt.datetime | None:
    """WordPress's 'YYYY-MM-DD HH:MM:SS'; the zeroed '0000-00-00 00:00:00' means unknown."""
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def text_date(value: str) -> dt.date | None:
    """The first date a theme printed in `value`, as written; None when there is none."""
    text = " ".join(value.split())
    for pattern, order in TEXT_DATES:
        for found in pattern.finditer(text):
            parts = dict(zip(order, found.groups(), strict=True))
            month = parts["month"]
            number = int(month) if month.isdigit() else MONTHS.index(month[:3].lower()) + 1
            try:
                return dt.date(int(parts["year"]), number, int(parts["day"]))
            except ValueError:
                continue
    return None
