"""The feedback store: SQLite (WAL, a busy timeout) at `feedback.path`, created on first use.

Each call opens its own connection, so several threads and several bot processes on one host can
vote at once; SQLite's locks serialise the writes. Any failure (a full disk, a locked, corrupt or
read-only file) becomes FeedbackUnavailable with a short reason: callers refuse the vote politely
and keep answering. No question text is stored unless the store is told to keep it, and with
`keep_days` a reply and its votes are deleted (overwritten, WAL emptied) that many days later.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.feedback.migrations import migrate

KEY_ENV = "DISCUSSION_BOT_FEEDBACK_KEY"  # the secret for voters' keyed hashes, if set
PURGE_EVERY = 3600.0  # seconds between two automatic deletions of expired replies
DAY = 86400.0
log = logging.getLogger("bot.feedback")
MAX_QUOTES = 20  # a reply quotes a handful; more is a bug, not data to keep
MAX_QUESTION_CHARS = 2000
VoteResult = Literal["recorded", "changed", "unchanged", "unknown_reply"]


class FeedbackUnavailable(Exception):
    """The store cannot be used right now; the message says why (never any question text)."""


@dataclass(frozen=True)
class QuotedComment:
    comment: str  # comment id, or "article"
    score: float
    rank: int  # 1 = the best quote of the question (More quotes continue the count)


@dataclass(frozen=True)
class ReplyRecord:
    reply_key: int  # the question's message or interaction id (unique, known before sending)
    guild_id: int | None
    status: str  # the reply's status: answered, not_covered, …
    reader_on: bool
    quotes: tuple[QuotedComment, ...]
    question: str | None = None  # only when log_question_text is on
    created: float = 0.0  # time.time(); 0 = now


@dataclass(frozen=True)
class Vote:
    """One vote with the reply it is about (what the report and the export read)."""

    time: float
    guild_id: int | None
    vote: int  # +1 👍, -1 👎
    status: str
    reader_on: bool
    quotes: tuple[QuotedComment, ...]
    question: str | None


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "…"


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    # the extended code's low byte is the primary code (BUSY, or LOCKED within one connection)
    return exc.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class FeedbackStore:
    def __init__(self, path: Path, busy_timeout: float = 5.0, keep_days: int = 0) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self.keep_days = keep_days  # 0: keep everything
        self._purged_at: float | None = None  # time.monotonic() of the last deletion by age
        self._ready = False
        self._key: bytes | None = None
        self._local = threading.local()  # one connection per thread: sqlite3 wants that

    # --- connections ----------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            # WAL with NORMAL sync never corrupts the file; a power cut may lose the last votes.
            connection.execute("PRAGMA synchronous = NORMAL")
            # deleted rows (a question's text) are overwritten, not left in free pages
            connection.execute("PRAGMA secure_delete = ON")
            if not self._ready:
                self._use_wal(connection)
                migrate(connection)
                self._ready = True
        except BaseException:
            connection.close()
            raise
        return connection

    def _use_wal(self, connection: sqlite3.Connection) -> None:
        """Switch the file to WAL. SQLite answers "database is locked" at once, without calling
        the busy handler, when another process is switching or creating the same file at that
        moment (two bots starting together): retry with backoff up to the busy timeout."""
        deadline = time.monotonic() + self.busy_timeout
        pause = 0.005
        while True:
            try:
                mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                break
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() + pause > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.1)
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"cannot use WAL mode (got {mode})")

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection, kept open between calls (closing the last connection
        checkpoints the WAL: ~15 ms a write here); every failure → FeedbackUnavailable and a
        fresh connection next time."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        try:
            if connection is None:
                connection = self._open()
                self._local.connection = connection
            yield connection
        except (sqlite3.Error, OSError) as exc:
            self._ready = False  # check again next time: the file may have been repaired
            self._local.connection = None
            if connection is not None:
                connection.close()
            raise FeedbackUnavailable(_reason(exc)) from exc

    def check(self) -> None:
        """Open (creating it if needed) and migrate; raises FeedbackUnavailable."""
        with self._connect() as connection:
            connection.execute("SELECT count(*) FROM replies").fetchone()

    # --- voters ------------------------------------------------------------------------------
    def _secret(self) -> bytes:
        """The HMAC key: from the environment, else a random one kept beside the database
        (mode 0600), made once; the first process to create it wins, the others read it."""
        if self._key is not None:
            return self._key
        from_env = os.environ.get(KEY_ENV, "")
        if from_env:
            self._key = from_env.encode("utf-8")
            return self._key
        key_path = self.path.with_name(self.path.name + ".key")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not key_path.exists():
                draft = key_path.with_name(f"{key_path.name}.{os.getpid()}.{secrets.token_hex(4)}")
                fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w", encoding="ascii") as out:
                    out.write(secrets.token_hex(32))
                try:
                    os.link(draft, key_path)  # atomic: never a half-written key
                except FileExistsError:
                    pass
                finally:
                    draft.unlink()
            key = key_path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise FeedbackUnavailable(f"voter key {key_path.name}: {_reason(exc)}") from exc
        if len(key) < 32:
            raise FeedbackUnavailable(f"voter key {key_path.name} is too short")
        self._key = key.encode("ascii")
        return self._key

    def voter(self, reply_key: int, user_id: int) -> str:
        """A keyed hash of who voted on which reply: enough to keep one vote per person per
        reply, useless for telling who it was or linking one person's votes across replies."""
        message = f"{reply_key}:{user_id}".encode("ascii")
        return hmac.new(self._secret(), message, hashlib.sha256).hexdigest()

    # --- writes -------------------------------------------------------------------------------
    def record_reply(self, reply: ReplyRecord) -> None:
        quotes = json.dumps(
            [
                {"comment": q.comment, "score": round(q.score, 6), "rank": q.rank}
                for q in reply.quotes[:MAX_QUOTES]
            ]
        )
        question = reply.question[:MAX_QUESTION_CHARS] if reply.question else None
        with self._connect() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO replies (reply_key, created, guild_id, status, reader_on,"
                " question, quotes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    reply.reply_key,
                    reply.created or time.time(),
                    reply.guild_id,
                    reply.status,
                    int(reply.reader_on),
                    question,
                    quotes,
                ),
            )
        if self.keep_days and (
            self._purged_at is None or time.monotonic() - self._purged_at >= PURGE_EVERY
        ):
            try:
                self.purge()
            except FeedbackUnavailable as exc:  # the reply is stored; try again in an hour
                log.warning("feedback: deleting expired replies failed: %s", exc)

    def _cutoff(self, now: float | None = None) -> float:
        """Replies created before this time have expired (-inf when everything is kept)."""
        if not self.keep_days:
            return float("-inf")
        return (time.time() if now is None else now) - self.keep_days * DAY

    def purge(self, now: float | None = None) -> int:
        """Delete the replies older than keep_days with their votes, and leave no copy of
        them in the WAL; returns how many replies went. Runs on its own at most hourly, from
        the next reply stored."""
        self._purged_at = time.monotonic()
        if not self.keep_days:
            return 0
        cutoff = self._cutoff(now)
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute(
                    "DELETE FROM votes WHERE reply_key IN"
                    " (SELECT reply_key FROM replies WHERE created < ?)",
                    (cutoff,),
                )
                gone = connection.execute(
                    "DELETE FROM replies WHERE created < ?", (cutoff,)
                ).rowcount
                connection.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("ROLLBACK")
                raise
            if gone:
                # copy the WAL into the file and empty it; a reader elsewhere may delay that
                # to the next checkpoint, which secure_delete makes as clean
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return gone

    def vote(
        self, reply_key: int, user_id: int, vote: int, guild_id: int | None = None
    ) -> VoteResult:
        """Record or change one person's vote on one reply."""
        if vote not in (-1, 1):
            raise ValueError("a vote is +1 or -1")
        voter = self.voter(reply_key, user_id)
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                known = connection.execute(
                    "SELECT 1 FROM replies WHERE reply_key = ? AND created >= ?",
                    (reply_key, self._cutoff()),
                ).fetchone()
                if known is None:
                    connection.execute("ROLLBACK")
                    return "unknown_reply"
                before = connection.execute(
                    "SELECT vote FROM votes WHERE reply_key = ? AND voter = ?",
                    (reply_key, voter),
                ).fetchone()
                connection.execute(
                    "INSERT INTO votes (reply_key, voter, vote, time, guild_id)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (reply_key, voter)"
                    " DO UPDATE SET vote = excluded.vote, time = excluded.time",
                    (reply_key, voter, vote, time.time(), guild_id),
                )
                connection.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("ROLLBACK")
                raise
        if before is None:
            return "recorded"
        return "unchanged" if before[0] == vote else "changed"

    # --- reads --------------------------------------------------------------------------------
    def votes(self) -> list[Vote]:
        """Every vote with its reply, oldest first; expired replies' votes are left out even
        before they are deleted."""
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT v.time, v.guild_id, v.vote, r.status, r.reader_on, r.quotes, r.question"
                " FROM votes v JOIN replies r USING (reply_key) WHERE r.created >= ?"
                " ORDER BY v.time",
                (self._cutoff(),),
            ).fetchall()
        return [
            Vote(
                time=row[0],
                guild_id=row[1],
                vote=row[2],
                status=row[3],
                reader_on=bool(row[4]),
                quotes=_quotes(row[5]),
                question=row[6],
            )
            for row in rows
        ]


def _quotes(text: str) -> tuple[QuotedComment, ...]:
    try:
        items = json.loads(text)
        return tuple(
            QuotedComment(str(i["comment"]), float(i["score"]), int(i["rank"]))
            for i in items[:MAX_QUOTES]
        )
    except (ValueError, TypeError, KeyError):
        return ()  # a damaged row: the vote still counts, its quotes are lost
