"""Summarizers over the seed corpus (the real config and lexicon) and over small made-up ones."""

from __future__ import annotations

import datetime as dt

from bot.corpus.model import Comment, Document, comment_ids
from bot.retrieval.tokenize import Tokenizer
from bot.summary import Summarizer

DISCLAIMER = "Not medical advice."


def make_doc(
    doc_id: str,
    comments: list[tuple[str, str, str]],  # (author, "YYYY-MM-DD", text)
    article: str = "An article about migraine treatment and what helps.",
    title: str | None = None,
) -> Document:
    dates = [dt.date.fromisoformat(d) for _, d, _ in comments]
    ids = comment_ids([(a, d) for (a, _, _), d in zip(comments, dates, strict=True)])
    return Document(
        doc_id,
        title or f"Title of {doc_id}",
        article,
        tuple(
            Comment(cid, author, date, text)
            for cid, (author, _, text), date in zip(ids, comments, dates, strict=True)
        ),
    )


def make_summarizer(*docs: Document, **settings: object) -> Summarizer:
    from dataclasses import replace

    from bot.summary import SummarySettings

    return Summarizer(
        docs, Tokenizer(), DISCLAIMER, settings=replace(SummarySettings(), **settings)
    )
