"""Large imports as JSON Lines: one comment per line (YAML is slow to parse at this size).

    {"document": "Title", "article": "…", "source": "https://…"}        ← optional, the article
    {"document": "Title", "author": "helen", "date": "2012-02-17", "reply_to": null, "text": "…"}

Lines are grouped into documents by their "document" title, in order of first appearance. A file
is read one line at a time, so a 200 MB export never sits in memory as one string, and one bad
line is reported with its line and column while every good line beside it is kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from bot.corpus.limits import (
    MAX_ARTICLE_CHARS,
    MAX_AUTHOR_CHARS,
    MAX_COMMENT_CHARS,
    MAX_LINE_BYTES,
    MAX_TITLE_CHARS,
    check_length,
)
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

Line = tuple[int, str | CorpusError]  # line number, and its text or why it could not be read

PROGRESS_LINES = 5000  # how often a big file reports how far it has got


def read_jsonl(
    path: Path,
    doc_id: str,
    problems: list[CorpusError],
    progress: Callable[[int], None] | None = None,
) -> list[Document]:
    """Stream a JSONL file; bad lines go to `problems`, the documents hold every good one.
    progress(n): n more bytes read, every few thousand lines (a big archive)."""
    with path.open("rb") as handle:
        lines = _lines(handle, str(path), progress)
        return parse_jsonl_lines(lines, str(path), doc_id, problems)


def parse_jsonl(
    text: str, path: str, doc_id: str, problems: list[CorpusError] | None = None
) -> list[Document]:
    """The same from text in memory; without `problems` the first bad line is raised."""
    return parse_jsonl_lines(enumerate(text.splitlines(), start=1), path, doc_id, problems)


def parse_jsonl_lines(
    lines: Iterable[Line], path: str, doc_id: str, problems: list[CorpusError] | None = None
) -> list[Document]:
    articles: dict[str, tuple[str, str | None]] = {}
    comments: dict[str, list[CommentRecord]] = {}
    good = bad = 0
    for lineno, line in lines:
        try:
            if isinstance(line, CorpusError):
                raise line
            if not line.strip():
                continue
            _add_line(line, path, lineno, articles, comments)
            good += 1
        except CorpusError as exc:
            if problems is None:
                raise
            problems.append(exc)
            bad += 1
    if not good and not bad:
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
            problems,
        )
        for title, records in comments.items()
    ]


def _add_line(
    line: str,
    path: str,
    lineno: int,
    articles: dict[str, tuple[str, str | None]],
    comments: dict[str, list[CommentRecord]],
) -> None:
    try:
        record: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorpusError(path, lineno, f"expected a JSON object: {exc.msg}", exc.colno) from None
    except RecursionError:
        raise CorpusError(path, lineno, "expected a JSON object: nested too deeply") from None
    if not isinstance(record, dict):
        raise CorpusError(path, lineno, "expected a JSON object on each line")
    title = expect_str(record.get("document"), "'document' (its title)", path, lineno) or ""
    check_length(title, MAX_TITLE_CHARS, "the document's title", path, lineno)
    if "article" in record:
        check_keys(record, ARTICLE_KEYS, path, lineno, "an article line")
        article = record["article"]
        if not isinstance(article, str):
            raise CorpusError(path, lineno, "expected 'article' as text")
        check_length(article, MAX_ARTICLE_CHARS, "the article", path, lineno)
        source = expect_str(record.get("source"), "'source'", path, lineno, optional=True)
        comments.setdefault(title, [])
        articles[title] = (article, source)
        return
    check_keys(record, COMMENT_KEYS, path, lineno, "a comment line")
    parsed = _record(record, path, lineno)
    comments.setdefault(title, []).append(parsed)


def _lines(
    handle: IO[bytes], path: str, progress: Callable[[int], None] | None = None
) -> Iterator[Line]:
    """Numbered, decoded lines; a line over MAX_LINE_BYTES is skipped without being held whole,
    and a line that is not UTF-8 is reported with the column of its first bad byte."""
    lineno = unreported = 0
    while True:
        raw = handle.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        lineno += 1
        unreported += len(raw)
        if progress is not None and lineno % PROGRESS_LINES == 0:
            progress(unreported)
            unreported = 0
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            size = len(raw)
            while raw and not raw.endswith(b"\n"):  # drain the rest of the line in chunks
                raw = handle.readline(1 << 20)
                size += len(raw)
            yield (
                lineno,
                CorpusError(
                    path, lineno, f"line is {size:,} bytes; expected at most {MAX_LINE_BYTES:,}"
                ),
            )
            continue
        try:
            yield lineno, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield lineno, CorpusError(path, lineno, "expected UTF-8 text", exc.start + 1)


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

    text = expect_str(record.get("text"), "'text'", path, lineno) or ""
    check_length(text, MAX_COMMENT_CHARS, "the comment's text", path, lineno)
    author = expect_str(record.get("author"), "'author'", path, lineno) or ""
    check_length(author, MAX_AUTHOR_CHARS, "the author", path, lineno)
    return CommentRecord(
        author=author,
        date=parse_date(record.get("date"), path, lineno),
        text=text,
        reply_to=opt("reply_to"),
        id=opt("id"),
        line=lineno,
    )
