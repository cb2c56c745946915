"""What a summary is: verbatim sentences with who said them and when, plus an overview line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Kind = Literal["discussion", "topic", "author"]


@dataclass(frozen=True)
class SummarySentence:
    document_id: str
    document_title: str
    kind: Literal["comment", "article"]
    comment_id: str | None  # None for a sentence of the article
    author: str | None  # None for a sentence of the article
    date: dt.date | None
    text: str  # a verbatim slice: source[start:end]
    start: int  # offsets in the comment (or article) text
    end: int
    position: int  # discussion order across the corpus: article first, then comments as on the page


@dataclass(frozen=True)
class Theme:
    heading: str  # a word or phrase the quotes share, as commenters wrote it
    comments: int | None  # how many comments of the summarized scope use it (None: no count)
    sentences: tuple[int, ...]  # positions of its quotes, discussion order


@dataclass(frozen=True)
class Summary:
    kind: Kind
    overview: str  # what was summarized: document, counts, dates (empty when nothing matched)
    sentences: tuple[SummarySentence, ...]  # in discussion order
    disclaimer: str
    message: str | None = None  # why nothing (or not everything) was summarized, what to try
    suggestions: tuple[str, ...] = ()  # author names or topics to try instead
    topic: str | None = None
    author: str | None = None
    themes: tuple[Theme, ...] = ()  # the quotes grouped for reading; every quote in exactly one
