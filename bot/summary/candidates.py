"""Candidate sentences: verbatim slices of the article and of each comment, in discussion order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.corpus.model import Document
from bot.summary.model import SummarySentence
from bot.text.sentences import sentence_spans

Tokenize = Callable[[str], list[str]]


@dataclass(frozen=True)
class Candidate:
    position: int  # index in the corpus-wide candidate list = discussion order
    document_id: str
    document_title: str
    kind: Literal["comment", "article"]
    comment_id: str | None
    author: str | None
    date: dt.date | None
    text: str
    start: int
    end: int
    tokens: tuple[str, ...]  # index terms (stop words out, stemmed)
    words: int  # running-text words, for lengths

    @property
    def group(self) -> str:
        """The comment (or article) the sentence belongs to."""
        return f"{self.document_id}/{self.comment_id or 'article'}"

    def quote(self) -> SummarySentence:
        return SummarySentence(
            document_id=self.document_id,
            document_title=self.document_title,
            kind=self.kind,
            comment_id=self.comment_id,
            author=self.author,
            date=self.date,
            text=self.text,
            start=self.start,
            end=self.end,
            position=self.position,
        )


def word_count(text: str) -> int:
    return len(text.split())


def build_candidates(documents: Sequence[Document], tokenize: Tokenize) -> list[Candidate]:
    """Every sentence of every article and comment, page order, document after document."""
    out: list[Candidate] = []

    def add(doc: Document, text: str, kind: Literal["comment", "article"], **who: object) -> None:
        for start, end in sentence_spans(text):
            sentence = text[start:end]
            out.append(
                Candidate(
                    position=len(out),
                    document_id=doc.id,
                    document_title=doc.title,
                    kind=kind,
                    text=sentence,
                    start=start,
                    end=end,
                    tokens=tuple(tokenize(sentence)),
                    words=word_count(sentence),
                    **who,  # type: ignore[arg-type]
                )
            )

    for doc in documents:
        add(doc, doc.article, "article", comment_id=None, author=None, date=None)
        for c in doc.comments:
            add(doc, c.text, "comment", comment_id=c.id, author=c.author, date=c.date)
    return out
