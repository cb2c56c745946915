"""The words around the quotes: overview lines, notes about names, counts and dates."""

from __future__ import annotations

from collections.abc import Sequence

from bot.corpus.model import Comment, Document, format_date
from bot.summary.authors import AuthorMatch, distinct_names, normalize_name


def document_line(doc: Document) -> str:
    if not doc.comments:
        return f"“{doc.title}”: the article, no comments yet."
    names = distinct_names([c.author for c in doc.comments])
    return (
        f"“{doc.title}”: the article and {count(len(doc.comments), 'comment')}"
        f"{from_commenters(len(names))}{date_span(doc.comments)}."
    )


def person_line(
    person: str, theirs: list[tuple[Document, Comment]], documents: Sequence[Document]
) -> str:
    mine = [(d, c) for d, c in theirs if normalize_name(c.author) == normalize_name(person)]
    parts = []
    for doc in documents:
        dates = [dated(c, doc) for d, c in mine if d is doc]
        if dates:
            parts.append(f"on “{doc.title}”, {join(dates)}")
    return f"{person} wrote {count(len(mine), 'comment')} {'; '.join(parts)}."


def author_note(match: AuthorMatch, comments: list[tuple[Document, Comment]]) -> str | None:
    asked = " ".join(match.query.split())
    if match.namesakes:
        described = []
        for name in match.namesakes:
            theirs = [c for _, c in comments if normalize_name(c.author) == normalize_name(name)]
            dates = join([format_date(c.date) for c in theirs])
            described.append(f"{name} ({count(len(theirs), 'comment')}, {dates})")
        others = join([f"“{n}”" for n in match.namesakes], "or")
        return (
            f"Only “{match.people[0]}” is shown. Also called {match.people[0].split()[0]}: "
            f"{join(described)}; "
            f"ask for {others} to see theirs."
        )
    if len(match.people) > 1:
        return (
            f"“{asked}” matches {len(match.people)} commenters by {match.how}: "
            f"{join(list(match.people))}. They are shown together, each quote with its name; "
            "ask for a full name to see one of them."
        )
    if match.how != "name":
        return f"“{asked}” matches {match.people[0]} by {match.how}."
    return None


def date_span(comments: Sequence[Comment]) -> str:
    dates = sorted(c.date for c in comments if c.date)
    if not dates:
        return ""
    first, last = format_date(dates[0]), format_date(dates[-1])
    return f", {first}" if first == last else f", {first} – {last}"


def dated(comment: Comment, doc: Document) -> str:
    parent = doc.parent_author(comment)
    reply = f" (replying to {parent})" if parent else ""
    return f"{format_date(comment.date)}{reply}"


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def from_commenters(n: int) -> str:
    return f" from {count(n, 'commenter')}" if n else ""


def join(items: list[str], last: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"
