"""Extractive summaries: the whole discussion, one topic, or one commenter, quoted verbatim.

Beside `bot.answer`, below the engine: the engine builds one Summarizer per snapshot
(`Engine.summarize`), and `bot.presentation` turns a Summary into text, JSON or a card.
"""

from __future__ import annotations

from bot.summary.model import Summary, SummarySentence
from bot.summary.summarizer import (
    MAX_SENTENCES,
    Summarizer,
    SummaryRequestError,
    SummarySettings,
)

__all__ = [
    "MAX_SENTENCES",
    "Summarizer",
    "Summary",
    "SummaryRequestError",
    "SummarySentence",
    "SummarySettings",
]
