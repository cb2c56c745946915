"""The SQLite feedback store: votes, schema versions, several processes, broken files."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.feedback import FeedbackStore, FeedbackUnavailable, QuotedComment, ReplyRecord
from bot.feedback.migrations import VERSION
from tests.helpers import ROOT

QUOTES = (QuotedComment("helen-2012-02-17", 7.5, 1), QuotedComment("article", 3.25, 2))


def reply(message_id: int, question: str | None = None) -> ReplyRecord:
    return ReplyRecord(message_id, 42, "answered", False, QUOTES, question)


def test_one_vote_per_person_per_reply(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "sub" / "feedback.db")
    store.record_reply(reply(1))
    assert store.vote(1, 7, 1) == "recorded"
    assert store.vote(1, 7, 1) == "unchanged"
    assert store.vote(1, 7, -1) == "changed"
    assert store.vote(1, 8, 1) == "recorded"
    assert store.vote(2, 7, 1) == "unknown_reply"
    votes = store.votes()
    assert sorted(v.vote for v in votes) == [-1, 1]
    assert votes[0].quotes == QUOTES and votes[0].guild_id is None


def test_created_on_first_use_in_wal_mode_at_the_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "data" / "feedback.db"
    store = FeedbackStore(path)
    assert not path.exists()
    store.check()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA user_version").fetchone()[0] == VERSION
    FeedbackStore(path).check()  # a second process finds it migrated


def test_a_newer_schema_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "feedback.db"
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {VERSION + 1}")
    with pytest.raises(FeedbackUnavailable, match="newer"):
        FeedbackStore(path).record_reply(reply(1))


def test_the_generated_voter_key_is_private_and_stable(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("DISCUSSION_BOT_FEEDBACK_KEY", raising=False)
    path = tmp_path / "feedback.db"
    first = FeedbackStore(path).voter(1, 7)
    key = tmp_path / "feedback.db.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert FeedbackStore(path).voter(1, 7) == first  # the same key after a restart
    assert FeedbackStore(path).voter(2, 7) != first  # not linkable across replies
    monkeypatch.setenv("DISCUSSION_BOT_FEEDBACK_KEY", "a secret from the environment")
    assert FeedbackStore(path).voter(1, 7) != first


def test_a_corrupt_file_refuses_votes_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "feedback.db"
    path.write_bytes(b"garbage, not SQLite " * 500)
    store = FeedbackStore(path)
    with pytest.raises(FeedbackUnavailable, match="not a database"):
        store.record_reply(reply(1))
    with pytest.raises(FeedbackUnavailable):
        store.vote(1, 7, 1)


def test_a_locked_database_refuses_after_the_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "feedback.db"
    store = FeedbackStore(path, busy_timeout=0.05)
    store.record_reply(reply(1))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of a write
    try:
        with pytest.raises(FeedbackUnavailable, match="locked"):
            store.vote(1, 7, 1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.vote(1, 7, 1) == "recorded"  # and works again once the lock is gone


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """The file made read-only for this process: chmod, or for root (whom modes do not bind)
    the immutable attribute."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        yield
        path.chmod(0o644)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode:
        pytest.skip("running as root without chattr +i: cannot make a file read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_file_refuses_votes(tmp_path: Path) -> None:
    path = tmp_path / "feedback.db"
    FeedbackStore(path).record_reply(reply(1))
    with (
        read_only(path),
        pytest.raises(FeedbackUnavailable, match=r"readonly|read-only|unable to open"),
    ):
        FeedbackStore(path).vote(1, 7, 1)
    assert FeedbackStore(path).votes() == []


class RefusesWalTwice(sqlite3.Connection):
    """What two bots starting together meet: SQLite answers "database is locked" to the switch
    to WAL at once, without calling its busy handler, while the other is switching the file."""

    refusals = 2

    def execute(self, sql: str, *args):  # type: ignore[override]
        if sql.startswith("PRAGMA journal_mode") and RefusesWalTwice.refusals:
            RefusesWalTwice.refusals -= 1
            busy = sqlite3.OperationalError("database is locked")
            busy.sqlite_errorcode = sqlite3.SQLITE_BUSY  # as SQLite's own error carries it
            raise busy
        return super().execute(sql, *args)


def test_switching_to_wal_retries_while_another_process_holds_the_file(
    tmp_path: Path, monkeypatch
) -> None:
    real_connect = sqlite3.connect
    monkeypatch.setattr(
        sqlite3, "connect", lambda *a, **k: real_connect(*a, factory=RefusesWalTwice, **k)
    )
    store = FeedbackStore(tmp_path / "feedback.db", busy_timeout=5)
    store.record_reply(reply(1))
    assert RefusesWalTwice.refusals == 0
    assert store.vote(1, 7, 1) == "recorded"
    monkeypatch.undo()
    with contextlib.closing(sqlite3.connect(tmp_path / "feedback.db")) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


WORKER = """
import sys, time
from pathlib import Path
from bot.feedback import FeedbackStore, QuotedComment, ReplyRecord
path, me, start = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
store = FeedbackStore(path, busy_timeout=30)
while time.time() < start:  # both open the new file in the same instant, as bots started together
    pass
quotes = (QuotedComment("article", 1.0, 1),)
for message_id in (1, 2):
    store.record_reply(ReplyRecord(message_id, None, "answered", False, quotes))
for user in range(60):
    store.vote(1, user, 1 if me else -1)  # the same people as the other process
    store.vote(2, me * 1000 + user, 1)  # people of its own
print("done")
"""


def test_two_processes_vote_at_once(tmp_path: Path, monkeypatch) -> None:
    """Both create the database, the schema and the voter key on first use, at the same time."""
    monkeypatch.delenv("DISCUSSION_BOT_FEEDBACK_KEY", raising=False)
    path = tmp_path / "feedback.db"
    start = time.time() + 3  # after both have imported the bot
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), str(me), str(start)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for me in (0, 1)
    ]
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0 and out.strip() == "done", err[-2000:]
    with sqlite3.connect(path) as connection:
        counts = dict(
            connection.execute("SELECT reply_key, count(*) FROM votes GROUP BY reply_key")
        )
    assert counts == {1: 60, 2: 120}  # one key for both: the same person counted once


FULL_DISK = """
import resource, signal, sys
from pathlib import Path
from bot.feedback import FeedbackStore, FeedbackUnavailable, QuotedComment, ReplyRecord
store = FeedbackStore(Path(sys.argv[1]))
store.check()
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))  # the disk is full at 200 kB
quotes = (QuotedComment("article", 1.0, 1),)
try:
    for key in range(10_000):
        store.record_reply(ReplyRecord(key, None, "answered", False, quotes, "x" * 2000))
except FeedbackUnavailable as exc:
    print("refused:", exc)
else:
    print("never full")
"""


def test_a_full_disk_refuses_instead_of_failing(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(tmp_path / "feedback.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("refused:"), done.stdout
    assert "full" in done.stdout or "disk I/O" in done.stdout


DAY = 86400.0
SECRET = "my daughter is 7 and has migraines, can she get botox"


def file_bytes(path: Path) -> bytes:
    """The database and whatever SQLite keeps beside it."""
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file())


def test_expired_replies_and_their_votes_are_deleted_with_their_text(tmp_path: Path) -> None:
    path = tmp_path / "feedback.db"
    now = time.time()
    earlier = FeedbackStore(path)  # a process that kept everything, a month ago
    earlier.record_reply(ReplyRecord(1, 42, "answered", False, QUOTES, SECRET, now - 31 * DAY))
    earlier.vote(1, 7, -1)
    earlier.record_reply(ReplyRecord(2, 42, "answered", False, QUOTES, "still fresh", now - DAY))
    store = FeedbackStore(path, keep_days=30)
    assert store.vote(2, 7, 1) == "recorded"
    assert [v.question for v in store.votes()] == ["still fresh"]  # expired: left out already
    assert store.vote(1, 8, 1) == "unknown_reply"
    assert SECRET.encode() in file_bytes(path)
    assert store.purge() == 1
    assert store.purge() == 0
    with contextlib.closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT reply_key FROM replies").fetchall() == [(2,)]
        assert connection.execute("SELECT reply_key FROM votes").fetchall() == [(2,)]
    assert SECRET.encode() not in file_bytes(path)  # overwritten, and the WAL emptied
    assert b"still fresh" in file_bytes(path)


def test_storing_a_reply_deletes_expired_ones_at_most_hourly(tmp_path: Path) -> None:
    path = tmp_path / "feedback.db"
    now = time.time()
    old = FeedbackStore(path)  # keeps everything
    old.record_reply(ReplyRecord(1, None, "answered", False, QUOTES, None, now - 200 * DAY))
    store = FeedbackStore(path, keep_days=180)
    store.record_reply(reply(2))  # the first reply stored by a process deletes the expired
    old.record_reply(ReplyRecord(3, None, "answered", False, QUOTES, None, now - 200 * DAY))
    store.record_reply(reply(4))  # within the hour: not again
    with contextlib.closing(sqlite3.connect(path)) as connection:
        kept = [k for (k,) in connection.execute("SELECT reply_key FROM replies ORDER BY 1")]
    assert kept == [2, 3, 4]


def test_keep_days_zero_keeps_everything(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.db", keep_days=0)
    store.record_reply(ReplyRecord(1, None, "answered", False, QUOTES, None, 1.0))  # 1970
    assert store.purge() == 0
    assert store.vote(1, 7, 1) == "recorded"
    assert len(store.votes()) == 1


def test_a_version_1_file_gains_the_age_index(tmp_path: Path) -> None:
    from bot.feedback.migrations import STEPS

    path = tmp_path / "feedback.db"
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.executescript(STEPS[0] + "PRAGMA user_version = 1;")
        connection.execute(
            "INSERT INTO replies VALUES (1, ?, NULL, 'answered', 0, NULL, '[]')", (time.time(),)
        )
    store = FeedbackStore(path, keep_days=1)
    assert store.vote(1, 7, 1) == "recorded"  # the old data is kept
    with contextlib.closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == VERSION == 2
        plan = connection.execute(
            "EXPLAIN QUERY PLAN DELETE FROM replies WHERE created < 0"
        ).fetchall()
    assert "replies_by_created" in str(plan)
