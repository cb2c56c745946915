"""Raw comments → documents: parents resolved, orphans made top-level, depth capped, replies
placed under their parents, and ids given the corpus's own way (author slug + date, -2 …)."""

from __future__ import annotations

from bot.corpus.importers.model import (
    DUPLICATE,
    ImportedComment,
    ImportedDocument,
    ImportFailed,
    RawComment,
    RawDocument,
    Tally,
)
from bot.corpus.model import comment_ids, slug

ANONYMOUS = "Anonymous"


def build_documents(raws: list[RawDocument], tally: Tally) -> tuple[list[ImportedDocument], int]:
    """Documents with at least one comment, titles made unique; and how many orphans there were."""
    documents, orphans, used = [], 0, set()
    for raw in raws:
        if not raw.comments:
            continue
        comments, lost = _thread(raw, tally)
        orphans += lost
        title = _unique(raw.title.strip() or raw.source or "Untitled", used)
        documents.append(ImportedDocument(title, raw.source, raw.article.strip(), comments))
    return documents, orphans


def _unique(title: str, used: set[str]) -> str:
    """Documents in one corpus file are told apart by their title's slug."""
    candidate, n = title, 1
    while slug(candidate) in used:
        n += 1
        candidate = f"{title} ({n})"
    used.add(slug(candidate))
    return candidate


def _thread(raw: RawDocument, tally: Tally) -> tuple[tuple[ImportedComment, ...], int]:
    by_key: dict[str, RawComment] = {}
    for comment in raw.comments:
        by_key.setdefault(comment.key, comment)  # a repeated id: the first one stands
    if len(by_key) < len(raw.comments):
        tally.skip(DUPLICATE, len(raw.comments) - len(by_key))
    kept = list(by_key.values())
    # Depth-first, replies right after their parent, each level in export order.
    children: dict[str | None, list[RawComment]] = {}
    orphans = 0
    for comment in kept:
        parent = comment.parent if comment.parent in by_key else None
        if comment.parent is not None and parent is None:
            orphans += 1
        children.setdefault(parent, []).append(comment)
    ordered: list[tuple[RawComment, RawComment | None, int]] = []
    placed: set[str] = set()

    def walk(roots: list[RawComment]) -> None:
        stack: list[tuple[RawComment, RawComment | None, int]] = [
            (root, None, 0) for root in reversed(roots)
        ]
        while stack:
            comment, parent, depth = stack.pop()
            if comment.key in placed:
                continue
            if depth > tally.limits.max_depth:
                raise ImportFailed(
                    tally.path,
                    None,
                    f"{comment.where} in “{raw.title[:60]}” is a reply {depth} levels deep; "
                    f"the limit is imports.max_depth ({tally.limits.max_depth}) in config.yaml",
                )
            placed.add(comment.key)
            ordered.append((comment, parent, depth))
            stack.extend(
                (child, comment, depth + 1) for child in reversed(children.get(comment.key, []))
            )

    walk(children.get(None, []))
    for comment in kept:  # left over: a loop of parents in a hostile file; cut at its first
        if comment.key not in placed:
            orphans += 1
            walk([comment])
    authors = [c.author.strip() or ANONYMOUS for c, _, _ in ordered]
    ids = comment_ids([(a, c.date) for a, (c, _, _) in zip(authors, ordered, strict=True)])
    id_of = {c.key: cid for (c, _, _), cid in zip(ordered, ids, strict=True)}
    comments = tuple(
        ImportedComment(id_of[c.key], author, c.date, c.text.strip(), id_of[p.key] if p else None)
        for (c, p, _), author in zip(ordered, authors, strict=True)
    )
    return comments, orphans
