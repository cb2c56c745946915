"""A summary as plain text (what the terminal prints) and as JSON."""

from __future__ import annotations

from typing import Any

from bot.presentation.quotes import sentence_attribution, sentence_runs, sentences_block
from bot.presentation.safety import neutralize_mentions
from bot.summary.model import Summary


def render_text(summary: Summary) -> str:
    parts: list[str] = []
    if summary.overview:
        parts.append(summary.overview)
    if summary.message:
        parts.append(summary.message)
    several = len({s.document_id for s in summary.sentences}) > 1
    shown_doc = None
    for run in sentence_runs(summary.sentences):
        first = run[0]
        if several and first.document_id != shown_doc:
            parts.append(f"From “{first.document_title}”:")
            shown_doc = first.document_id
        parts.append(f"{sentences_block(run)}\n— {sentence_attribution(first)}")
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
