"""Large imports as JSON Lines: one comment per line (YAML is slow to parse at this size).

    {"document": "Title", "article": "…", "source": "https://…"}        ← optional, the article
    {"document": "Title", "author": "helen", "date": "2012-02-17", "reply_to": null, "text": "…"}

Lines are grouped into documents by their "document" title, in order of first appearance.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from bot.corpus.model import Document, slug
from bot.corpus.records import (
    CommentRecord,
    build_document,
    check_keys,
    expect_str,
    parse_date,
)
from bot.errors import CorpusError

ARTICLE_KEYS = {"document", "article", "source"}
COMMENT_KEYS = {"document", "author", "date", "reply_to", "id", "text"}


PROGRESS_LINES = 5000  # how often a big file reports how far it has got


def parse_jsonl(
    text: str, path: str, doc_id: str, progress: Callable[[int], None] | None = None
) -> list[Document]:
    """progress(n): n more characters read, every few thousand lines (a big archive)."""
    articles: dict[str, tuple[str, str | None]] = {}
    comments: dict[str, list[CommentRecord]] = {}
    unreported = 0
    for lineno, line in enumerate(text.splitlines(), start=1):
        unreported += len(line) + 1
        if progress is not None and lineno % PROGRESS_LINES == 0:
            progress(unreported)
            unreported = 0
        if not line.strip():
            continue
        try:
            record: Any = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(path, lineno, f"expected a JSON object: {exc.msg}") from None
        except RecursionError:
            raise CorpusError(path, lineno, "expected a JSON object: nested too deeply") from None
        if not isinstance(record, dict):
            raise CorpusError(path, lineno, "expected a JSON object on each line")
        title = expect_str(record.get("document"), "'document' (its title)", path, lineno) or ""
        comments.setdefault(title, [])
        if "article" in record:
            check_keys(record, ARTICLE_KEYS, path, lineno, "an article line")
            article = record["article"]
            if not isinstance(article, str):
                raise CorpusError(path, lineno, "expected 'article' as text")
            source = expect_str(record.get("source"), "'source'", path, lineno, optional=True)
            articles[title] = (article, source)
            continue
        check_keys(record, COMMENT_KEYS, path, lineno, "a comment line")
        comments[title].append(_record(record, path, lineno))
    if not comments:
        raise CorpusError(path, 1, "expected at least one JSON line")
    many = len(comments) > 1
    return [
        build_document(
            f"{doc_id}:{slug(title)}" if many else doc_id,
            title,
            articles.get(title, ("", None))[0],
            articles.get(title, ("", None))[1],
            records,
            path,
        )
        for title, records in comments.items()
    ]


def _record(record: dict[str, Any], path: str, lineno: int) -> CommentRecord:
    def opt(key: str) -> str | None:
        value = record.get(key)
        return expect_str(
            str(value) if isinstance(value, int) and not isinstance(value, bool) else value,
            repr(key),
            path,
            lineno,
            optional=True,
        )

    return CommentRecord(
        author=expect_str(record.get("author"), "'author'", path, lineno) or "",
        date=parse_date(record.get("date"), path, lineno),
        text=expect_str(record.get("text"), "'text'", path, lineno) or "",
        reply_to=opt("reply_to"),
        id=opt("id"),
        line=lineno,
    )
