"""A summary as plain text (what the terminal prints) and as JSON."""

from __future__ import annotations

from typing import Any

from bot.presentation.quotes import sentence_attribution, sentence_runs, sentences_block
from bot.presentation.safety import neutralize_mentions
from bot.summary.model import Summary, SummarySentence, Theme


def render_text(summary: Summary) -> str:
    parts: list[str] = []
    if summary.overview:
        parts.append(summary.overview)
    if summary.message:
        parts.append(summary.message)
    if summary.themes:
        parts += [
            "\n\n".join([theme_heading(t), *theme_quotes(summary, t)]) for t in summary.themes
        ]
    else:
        parts += _plain_blocks(summary)
    parts.append(summary.disclaimer)
    return neutralize_mentions("\n\n".join(p for p in parts if p))


def theme_heading(theme: Theme) -> str:
    """ "Topamax (5 comments)": the theme and how many comments of the discussion use its word."""
    if theme.comments is None:
        return theme.heading
    return f"{theme.heading} ({theme.comments} comment{'' if theme.comments == 1 else 's'})"


def theme_sentences(summary: Summary, theme: Theme) -> list[list[SummarySentence]]:
    """The theme's quotes as runs of one comment each, in discussion order."""
    by_position = {s.position: s for s in summary.sentences}
    return sentence_runs([by_position[p] for p in theme.sentences if p in by_position])


def theme_quotes(summary: Summary, theme: Theme) -> list[str]:
    """The theme's quotes, each run of one comment with its attribution."""
    several = len({s.document_id for s in summary.sentences}) > 1
    out = []
    for run in theme_sentences(summary, theme):
        who = sentence_attribution(run[0])
        if several and run[0].kind != "article":
            who += f", on “{run[0].document_title}”"
        out.append(f"{sentences_block(run)}\n— {who}")
    return out


def _plain_blocks(summary: Summary) -> list[str]:
    """A summary without themes (one built by hand): its quotes in discussion order."""
    parts = []
    several = len({s.document_id for s in summary.sentences}) > 1
    shown_doc = None
    for run in sentence_runs(summary.sentences):
        first = run[0]
        if several and first.document_id != shown_doc:
            parts.append(f"From “{first.document_title}”:")
            shown_doc = first.document_id
        parts.append(f"{sentences_block(run)}\n— {sentence_attribution(first)}")
    return parts


def summary_json(summary: Summary) -> dict[str, Any]:
    index = {s.position: i for i, s in enumerate(summary.sentences)}
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
        # The quotes grouped for reading: indices into "sentences", each in exactly one theme.
        "themes": [
            {
                "heading": t.heading,
                "comments": t.comments,
                "sentences": [index[p] for p in t.sentences if p in index],
            }
            for t in summary.themes
        ],
    }
