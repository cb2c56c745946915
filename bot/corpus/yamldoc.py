"""A discussion exported from elsewhere, as YAML:

title: …
source: https://…          # optional
article: |
  …
comments:
  - author: helen
    date: 2012-02-17
    reply_to: null         # optional: an earlier comment's id or author
    id: null               # optional: otherwise author slug + date
    text: |
      …
"""

from __future__ import annotations

from bot.corpus.limits import (
    MAX_ARTICLE_CHARS,
    MAX_AUTHOR_CHARS,
    MAX_COMMENT_CHARS,
    MAX_TITLE_CHARS,
    check_length,
)
from bot.corpus.model import Document
from bot.corpus.records import (
    CommentRecord,
    build_document,
    check_keys,
    expect_str,
    parse_date,
)
from bot.errors import CorpusError, SourceError
from bot.text.excerpt import excerpt
from bot.yamlsource import LineMap, load_yaml

DOC_KEYS = {"title", "source", "article", "comments"}
COMMENT_KEYS = {"author", "date", "reply_to", "id", "text"}


def parse_yaml_document(
    text: str, path: str, doc_id: str, problems: list[CorpusError] | None = None
) -> Document:
    """A document from YAML text. With `problems`, a bad comment is reported there and left
    out; without it, the first problem is raised."""
    try:
        data = load_yaml(text, path)
    except SourceError as exc:
        raise CorpusError(exc.path, exc.line, exc.message) from None
    if not isinstance(data, LineMap):
        raise CorpusError(path, 1, "expected a mapping with title, article and comments")
    check_keys(data, DOC_KEYS, path, data.line, "the document")
    title = expect_str(data.get("title"), "'title'", path, data.line_of("title"))
    check_length(title or "", MAX_TITLE_CHARS, "the title", path, data.line_of("title"))
    article = data.get("article", "")
    if not isinstance(article, str):
        raise CorpusError(path, data.line_of("article"), "expected 'article' as text")
    check_length(article, MAX_ARTICLE_CHARS, "the article", path, data.line_of("article"))
    source = expect_str(data.get("source"), "'source'", path, data.line_of("source"), optional=True)
    raw_comments = data.get("comments") or []
    if not isinstance(raw_comments, list):
        raise CorpusError(path, data.line_of("comments"), "expected 'comments' as a list")
    records = []
    for item in raw_comments:
        try:
            records.append(_record(item, path, data.line_of("comments")))
        except CorpusError as exc:
            if problems is None:
                raise
            problems.append(exc)
    if not article.strip() and not records:
        raise CorpusError(path, data.line, "expected an article or at least one comment")
    return build_document(doc_id, title or "", article, source, records, path, problems)


def _record(item: object, path: str, list_line: int) -> CommentRecord:
    if not isinstance(item, LineMap):
        raise CorpusError(
            path, list_line, f"expected each comment as a mapping, got {excerpt(item)}"
        )
    check_keys(item, COMMENT_KEYS, path, item.line, "a comment")
    text = expect_str(item.get("text"), "'text'", path, item.line_of("text")) or ""
    check_length(text, MAX_COMMENT_CHARS, "the comment's text", path, item.line_of("text"))
    author = expect_str(item.get("author"), "'author'", path, item.line_of("author")) or ""
    check_length(author, MAX_AUTHOR_CHARS, "the author", path, item.line_of("author"))
    return CommentRecord(
        author=author,
        date=parse_date(item.get("date"), path, item.line_of("date")),
        text=text,
        reply_to=_opt_text(item, "reply_to", path),
        id=_opt_text(item, "id", path),
        line=item.line,
    )


def _opt_text(item: LineMap, key: str, path: str) -> str | None:
    value = item.get(key)
    if isinstance(value, int | float):  # a bare id like 12 in YAML
        value = str(value)
    return expect_str(value, repr(key), path, item.line_of(key), optional=True)
