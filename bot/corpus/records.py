"""Structured documents (YAML, JSONL): validate plain records and build a Document from them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.corpus.model import Comment, Document, comment_ids, slug
from bot.errors import CorpusError
from bot.text.clean import clean_text
from bot.text.excerpt import excerpt


@dataclass
class CommentRecord:
    author: str
    date: dt.date | None
    text: str
    reply_to: str | None
    id: str | None
    line: int


def expect_str(
    value: Any, what: str, path: str, line: int, *, optional: bool = False
) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise CorpusError(path, line, f"expected {what} as non-empty text, got {excerpt(value)}")
    return value


def parse_date(value: Any, path: str, line: int) -> dt.date | None:
    """Dates come as YAML dates, 'YYYY-MM-DD' or 'Mon D, YYYY'."""
    if isinstance(value, dt.datetime):
        return value.date()
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for fmt in ("%Y-%m-%d", "%b %d, %Y", "%B %d, %Y"):
            try:
                return dt.datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                pass
    raise CorpusError(
        path, line, f"expected a date like 2012-02-17 or 'Feb 17, 2012', got {excerpt(value)}"
    )


def check_keys(record: dict[str, Any], allowed: set[str], path: str, line: int, what: str) -> None:
    unknown = sorted(set(record) - allowed)
    if unknown:
        raise CorpusError(
            path,
            line,
            f"unknown key {excerpt(unknown[0])} in {what}; expected one of {sorted(allowed)}",
        )


def build_document(
    doc_id: str,
    title: str,
    article: str,
    source: str | None,
    records: list[CommentRecord],
    path: str,
    problems: list[CorpusError] | None = None,
) -> Document:
    """Give comments ids, resolve reply_to (an id or an earlier author's name) and depths.

    With `problems`, a bad comment does not sink the document: a reply to no earlier comment is
    kept as a top-level comment and a repeated id is left out, each reported there. Without it,
    the first problem is raised. Text is cleaned of lone surrogates and bidi controls here, so
    nothing later (hashing, the tokenizer, a terminal, Discord) meets them."""

    def problem(error: CorpusError) -> None:
        if problems is None:
            raise error
        problems.append(error)

    generated = comment_ids([(r.author, r.date) for r in records])
    comments: list[Comment] = []
    by_id: dict[str, Comment] = {}
    latest_by_author: dict[str, str] = {}  # casefolded author → id of their latest comment so far
    for record, generated_id in zip(records, generated, strict=True):
        cid = slug(record.id) if record.id else generated_id
        if cid in by_id:
            problem(CorpusError(path, record.line, f"comment id {excerpt(cid)} is used twice"))
            continue
        try:
            parent = _resolve_reply(record, by_id, latest_by_author, path)
        except CorpusError as exc:
            if problems is None:
                raise
            problems.append(CorpusError(path, exc.line, f"{exc.message}; kept as top-level"))
            parent = None
        depth = by_id[parent].depth + 1 if parent else 0
        author = clean_text(record.author).strip()
        comment = Comment(
            cid, author, record.date, clean_text(record.text).strip(), depth, parent, record.line
        )
        comments.append(comment)
        by_id[cid] = comment
        latest_by_author[record.author.strip().casefold()] = cid
    return Document(
        doc_id,
        clean_text(title).strip(),
        clean_text(article).strip(),
        tuple(comments),
        source,
        path,
    )


def _resolve_reply(
    record: CommentRecord, by_id: dict[str, Comment], latest_by_author: dict[str, str], path: str
) -> str | None:
    """An earlier comment's id, or the latest earlier comment by an author of that name."""
    if not record.reply_to:
        return None
    wanted = record.reply_to.strip()
    for candidate in (wanted, slug(wanted)):
        if candidate in by_id:
            return candidate
    if wanted.casefold() in latest_by_author:
        return latest_by_author[wanted.casefold()]
    raise CorpusError(
        path,
        record.line,
        f"reply_to {excerpt(wanted)} names no earlier comment; "
        "expected the id or author of one above it",
    )
