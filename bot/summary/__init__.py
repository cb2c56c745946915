"""Extractive summaries: the whole discussion, one topic, or one commenter, quoted verbatim.

Beside `bot.answer`, below the engine: the engine builds one Summarizer per snapshot
(`Engine.summarize`), and `bot.presentation` turns a Summary into text, JSON or a card.
"""

from __future__ import annotations

from bot.summary.model import Summary, SummarySentence
from bot.summary.settings import MAX_SENTENCES, SummaryRequestError, SummarySettings
from bot.summary.summarizer import Summarizer

__all__ = [
    "MAX_SENTENCES",
    "Summarizer",
    "Summary",
    "SummaryRequestError",
    "SummarySentence",
    "SummarySettings",
]
