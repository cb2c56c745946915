"""What every importer produces: raw comments as the export has them, then a result to write.

An importer reads one export into RawDocuments (its own ids, parents as the export names them,
plain text, UTC dates) and counts what it skipped and why; threads.py turns them into documents.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.config import ImportSettings
from bot.errors import SourceError

# Why a comment or a post was left out; the summary line counts each.
PINGBACK = "pingback"
TRACKBACK = "trackback"
SPAM = "spam"
TRASH = "in the trash"
UNAPPROVED = "not approved"
DELETED = "deleted"
HIDDEN = "hidden"
NOT_REGULAR = "not a regular post (moderator or system action, whisper)"
EMPTY = "empty after removing HTML"
NO_THREAD = "its thread is not in the file"
THREAD_DELETED = "its thread is deleted"
NOT_INCLUDED = "listed in post_stream.stream but not in the file"
NOT_PUBLISHED = "post not published"
PROTECTED = "post is password-protected"
OTHER_TYPE = "not a reader comment (another comment type)"
DUPLICATE = "a second comment with the same id"


class ImportFailed(SourceError):
    """An export that cannot be imported: names the file, and the line or item when known."""


@dataclass
class RawComment:
    key: str  # the export's own id for the comment
    parent: str | None  # the export's id of the comment it replies to; None = top level
    author: str
    date: dt.date | None  # UTC calendar date
    text: str  # plain text
    where: str  # how a person finds it in the export, e.g. "comment 42"


@dataclass
class RawDocument:
    title: str
    source: str | None
    article: str
    comments: list[RawComment]
    where: str


@dataclass
class Tally:
    """Counts what was skipped, and enforces the comment cap while the export is read;
    `progress(1)` is told of each comment (a bar or log lines for a big export)."""

    path: str
    limits: ImportSettings
    seen: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    progress: Callable[[int], None] | None = None

    def comment(self, where: str) -> None:
        self.seen += 1
        if self.progress is not None:
            self.progress(1)
        if self.seen > self.limits.max_comments:
            raise ImportFailed(
                self.path,
                None,
                f"more than {self.limits.max_comments} comments (at {where}); "
                "the limit is imports.max_comments in config.yaml",
            )

    def skip(self, reason: str, count: int = 1) -> None:
        if count > 0:
            self.skipped[reason] += count


@dataclass(frozen=True)
class ImportedComment:
    id: str
    author: str
    date: dt.date | None
    text: str
    reply_to: str | None  # the id of an earlier comment in the same document


@dataclass(frozen=True)
class ImportedDocument:
    title: str
    source: str | None
    article: str
    comments: tuple[ImportedComment, ...]


@dataclass(frozen=True)
class ImportResult:
    path: str
    format: str
    documents: tuple[ImportedDocument, ...]
    skipped: dict[str, int]
    orphans: int  # replies whose parent was missing or skipped, now top-level

    @property
    def comments(self) -> int:
        return sum(len(d.comments) for d in self.documents)

    @property
    def replies(self) -> int:
        return sum(1 for d in self.documents for c in d.comments if c.reply_to)

    def summary(self, out: str) -> str:
        """One line: what was imported, where it went, and what was skipped and why."""
        line = (
            f"imported {len(self.documents)} document(s), {self.comments} comments "
            f"({self.replies} replies) from {self.path} ({self.format}) into {out}"
        )
        total = sum(self.skipped.values())
        if total:
            reasons = ", ".join(
                f"{reason}: {count}" for reason, count in sorted(self.skipped.items(), key=_order)
            )
            line += f"; skipped {total} ({reasons})"
        else:
            line += "; skipped nothing"
        if self.orphans:
            line += f"; {self.orphans} repl{'y' if self.orphans == 1 else 'ies'} to a missing or "
            line += "skipped comment made top-level"
        return line


def short(value: object, limit: int = 40) -> str:
    """A bad value for a message: its repr, cut short (it may be huge or hostile)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _order(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])
