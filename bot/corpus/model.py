"""The parsed discussion: plain, immutable data shared by every later step."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

ARTICLE_ID = "article"


@dataclass(frozen=True)
class Comment:
    id: str  # stable within its document: author slug + date (+ "-2" for a second one that day)
    author: str
    date: dt.date | None
    text: str
    depth: int = 0
    in_reply_to: str | None = None  # id of the parent comment
    line: int = 0  # where the comment starts in its file, for messages


@dataclass(frozen=True)
class Document:
    id: str  # the file's stem: unique in a corpus folder
    title: str
    article: str
    comments: tuple[Comment, ...] = ()
    source: str | None = None  # URL of the original page, when known
    path: str = ""
    _by_id: dict[str, Comment] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update((c.id, c) for c in self.comments)

    def comment(self, comment_id: str) -> Comment:
        return self._by_id[comment_id]

    def parent_author(self, comment: Comment) -> str | None:
        parent = self._by_id.get(comment.in_reply_to) if comment.in_reply_to else None
        return parent.author if parent else None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "anon"


def comment_ids(keys: list[tuple[str, dt.date | None]]) -> list[str]:
    """Stable ids from (author, date), in page order; repeats of a pair get -2, -3, …"""
    seen: dict[str, int] = {}
    ids = []
    for author, date in keys:
        base = f"{slug(author)}-{date.isoformat() if date else 'undated'}"
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def format_date(date: dt.date | None) -> str:
    return f"{date:%b} {date.day}, {date.year}" if date else "undated"
