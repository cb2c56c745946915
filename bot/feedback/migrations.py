"""The feedback schema, one step per version (PRAGMA user_version counts the steps applied)."""

from __future__ import annotations

import sqlite3

# Append only: a released step is never edited, a change is a new step.
STEPS: tuple[str, ...] = (
    # 1: a reply's details, kept just before it is sent under its key (the snowflake of the
    # question's message or interaction, which the buttons' custom ids carry beside the vote),
    # and one vote per voter per reply.
    """
    CREATE TABLE replies (
        reply_key INTEGER PRIMARY KEY,
        created REAL NOT NULL,
        guild_id INTEGER,
        status TEXT NOT NULL,
        reader_on INTEGER NOT NULL,
        question TEXT,
        quotes TEXT NOT NULL
    );
    CREATE TABLE votes (
        reply_key INTEGER NOT NULL REFERENCES replies(reply_key),
        voter TEXT NOT NULL,
        vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        time REAL NOT NULL,
        guild_id INTEGER,
        PRIMARY KEY (reply_key, voter)
    );
    CREATE INDEX votes_by_time ON votes(time);
    """,
    # 2: replies are deleted by age (feedback.keep_days).
    """
    CREATE INDEX replies_by_created ON replies(created);
    """,
)
VERSION = len(STEPS)


class NewerSchema(sqlite3.DatabaseError):
    """The file was written by a newer version of the bot: leave it alone."""


def migrate(connection: sqlite3.Connection) -> None:
    """Bring the schema up to VERSION inside one write transaction: with several processes, the
    first one migrates and the others, waiting on the lock, then find nothing left to do."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version == VERSION:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > VERSION:
            raise NewerSchema(f"schema version {version} is newer than this bot's {VERSION}")
        for step in STEPS[version:]:
            for statement in filter(str.strip, step.split(";")):
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
