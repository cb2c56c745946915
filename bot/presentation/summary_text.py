"""A summary as plain text (what the terminal prints) and as JSON."""

from __future__ import annotations

from typing import Any

from bot.corpus.model import format_date
from bot.presentation.safety import neutralize_mentions
from bot.summary.model import Summary, SummarySentence

ELLIPSIS = "…"


def attribution(s: SummarySentence) -> str:
    if s.kind == "article":
        return "the article"
    return f"{s.author} · {format_date(s.date)}"


def _blocks(summary: Summary) -> list[list[SummarySentence]]:
    """Runs of sentences from the same comment (or article), so each gets one attribution."""
    blocks: list[list[SummarySentence]] = []
    for s in summary.sentences:
        last = blocks[-1][-1] if blocks else None
        if last and (last.document_id, last.comment_id) == (s.document_id, s.comment_id):
            blocks[-1].append(s)
        else:
            blocks.append([s])
    return blocks


def _quote(block: list[SummarySentence]) -> str:
    """Each sentence on its own quoted line; a gap between two sentences of a comment is …"""
    lines: list[str] = []
    for i, s in enumerate(block):
        if i and s.position != block[i - 1].position + 1:
            lines.append(ELLIPSIS)
        lines.extend(s.text.split("\n"))
    return "\n".join(f"> {line}" if line.strip() else ">" for line in lines)


def render_text(summary: Summary) -> str:
    parts: list[str] = []
    if summary.overview:
        parts.append(summary.overview)
    if summary.message:
        parts.append(summary.message)
    several = len({s.document_id for s in summary.sentences}) > 1
    shown_doc = None
    for block in _blocks(summary):
        first = block[0]
        if several and first.document_id != shown_doc:
            parts.append(f"From “{first.document_title}”:")
            shown_doc = first.document_id
        parts.append(f"{_quote(block)}\n— {attribution(first)}")
    parts.append(summary.disclaimer)
    return neutralize_mentions("\n\n".join(p for p in parts if p))


def summary_json(summary: Summary) -> dict[str, Any]:
    return {
        "kind": summary.kind,
        "overview": summary.overview,
        "sentences": [
            {
                "kind": s.kind,  # "comment", or "article" (then author and date are null)
                "author": s.author,
                "date": s.date.isoformat() if s.date else None,
                "comment_id": s.comment_id,
                "text": s.text,
                "document": s.document_title,
                "document_id": s.document_id,
            }
            for s in summary.sentences
        ],
        "disclaimer": summary.disclaimer,
        # As in `ask --json`: "message" is the whole summary as the bot would post it.
        "message": render_text(summary),
        "note": summary.message,  # why nothing (or not everything) was summarized, if so
        "suggestions": list(summary.suggestions),
        "topic": summary.topic,
        "author": summary.author,
    }
