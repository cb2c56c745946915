"""Split the article and each comment into passages short enough to quote.

A passage is a run of whole sentences inside one comment (or the article): it never crosses a
comment boundary, and its text is a slice of the source, so quoting it is verbatim by construction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot.corpus.model import ARTICLE_ID, Document
from bot.text.sentences import Span, sentence_spans

DEFAULT_MAX_CHARS = 250
DEFAULT_MAX_SENTENCES = 2


@dataclass(frozen=True)
class Passage:
    index: int  # position in the corpus-wide passage list (= the index's document number)
    document_id: str
    document_title: str
    source_url: str | None
    kind: Literal["comment", "article"]
    comment_id: str | None
    author: str | None
    date: dt.date | None
    in_reply_to: str | None  # the parent comment's author
    in_reply_to_id: str | None
    text: str
    start: int  # offsets in the comment (or article) text
    end: int
    source_length: int
    sentences: tuple[Span, ...]  # relative to `text`

    @property
    def key(self) -> str:
        """What answers are de-duplicated by: one quote per comment (or per article)."""
        return f"{self.document_id}/{self.comment_id or ARTICLE_ID}"


def group_sentences(
    spans: list[Span], max_chars: int, max_sentences: int
) -> list[tuple[int, int, list[Span]]]:
    """Greedy runs of whole sentences, each at most max_chars long unless one sentence is longer."""
    groups: list[tuple[int, int, list[Span]]] = []
    run: list[Span] = []
    for span in spans:
        if run and (span[1] - run[0][0] > max_chars or len(run) >= max_sentences):
            groups.append((run[0][0], run[-1][1], run))
            run = []
        run.append(span)
    if run:
        groups.append((run[0][0], run[-1][1], run))
    return groups


def split_passages(
    documents: tuple[Document, ...] | list[Document],
    max_chars: int = DEFAULT_MAX_CHARS,
    max_sentences: int = DEFAULT_MAX_SENTENCES,
    progress: Callable[[int], None] | None = None,
) -> list[Passage]:
    """progress(n): n more comments (an article counts as one) split, document by document."""
    passages: list[Passage] = []

    def add(doc: Document, text: str, **who: object) -> None:
        for start, end, run in group_sentences(sentence_spans(text), max_chars, max_sentences):
            passages.append(
                Passage(
                    index=len(passages),
                    document_id=doc.id,
                    document_title=doc.title,
                    source_url=doc.source,
                    text=text[start:end],
                    start=start,
                    end=end,
                    source_length=len(text),
                    sentences=tuple((s - start, e - start) for s, e in run),
                    **who,  # type: ignore[arg-type]
                )
            )

    for doc in documents:
        add(
            doc,
            doc.article,
            kind="article",
            comment_id=None,
            author=None,
            date=None,
            in_reply_to=None,
            in_reply_to_id=None,
        )
        for c in doc.comments:
            add(
                doc,
                c.text,
                kind="comment",
                comment_id=c.id,
                author=c.author,
                date=c.date,
                in_reply_to=doc.parent_author(c),
                in_reply_to_id=c.in_reply_to,
            )
        if progress is not None:
            progress(1 + len(doc.comments))
    return passages
