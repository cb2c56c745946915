"""Readers' 👍/👎 on answers: an SQLite store, the report behind /feedback, and the export that
turns voted questions into unreviewed evaluation questions."""

from bot.feedback.store import (
    FeedbackStore,
    FeedbackUnavailable,
    QuotedComment,
    ReplyRecord,
    Vote,
)

__all__ = ["FeedbackStore", "FeedbackUnavailable", "QuotedComment", "ReplyRecord", "Vote"]
