"""A reply as plain text (what the terminal prints and the JSON "message" holds) and as JSON."""

from __future__ import annotations

from typing import Any

from bot.answer.compose import Reply, iso
from bot.presentation.quotes import quote_attribution, quote_block, source_heading
from bot.presentation.safety import neutralize_mentions


def render_text(reply: Reply) -> str:
    parts: list[str] = []
    if reply.notice:
        parts.append(reply.notice)
    if reply.note:
        parts.append(reply.note)
    if reply.answered:
        parts.append(f"{source_heading(reply.documents)}:")
        for q in reply.quotes:
            block = quote_block(q.text, q.cut_before, q.cut_after)
            parts.append(f"{block}\n— {quote_attribution(q)}")
    else:
        parts.append(reply.explanation or "")
    parts.append(reply.disclaimer)
    return neutralize_mentions("\n\n".join(parts))


def reply_json(reply: Reply) -> dict[str, Any]:
    """The reply as data; every text in it is mention-neutralized like the printed reply, so
    piping it into a chat cannot ping anyone either."""

    def text(value: str | None) -> str | None:
        return neutralize_mentions(value) if value is not None else None

    return {
        "question": text(reply.question),
        "answered": reply.answered,
        "answers": [
            {
                "author": text(q.passage.author),
                "date": iso(q.passage.date),
                "kind": q.passage.kind,
                "text": text(q.text),
                "score": round(q.score, 4),
                "document": text(q.passage.document_title),
                "comment_id": q.passage.comment_id,
                "in_reply_to": text(q.passage.in_reply_to),
            }
            for q in reply.quotes
        ],
        "notice": text(reply.notice),
        "disclaimer": reply.disclaimer,
        "message": render_text(reply),
    }
