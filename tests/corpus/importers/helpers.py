"""Fixtures of real-looking exports and a shortcut to import one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.config import ImportSettings
from bot.corpus.importers import import_export
from bot.corpus.importers.model import ImportedComment, ImportedDocument, ImportResult

DATA = Path(__file__).parent / "data"


def imported(name: str, fmt: str = "auto", **limits: int) -> ImportResult:
    path = DATA / name
    return import_export(path.read_bytes(), str(path), fmt, ImportSettings(**limits))


def rows(doc: ImportedDocument) -> list[tuple[str, str, dt.date | None, str | None, str]]:
    """(id, author, date, reply_to, text) of each comment, in the order written."""
    return [(c.id, c.author, c.date, c.reply_to, c.text) for c in doc.comments]


def by_author(doc: ImportedDocument, author: str) -> list[ImportedComment]:
    return [c for c in doc.comments if c.author == author]
