"""What /feedback and `python -m bot feedback report` show: votes by day, the share of 👎, the
comments most often voted down, and the worst-rated questions when their text is kept."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from bot.feedback.store import Vote

TOP = 5  # rows per list


@dataclass(frozen=True)
class Day:
    day: str  # YYYY-MM-DD, UTC
    up: int
    down: int


@dataclass(frozen=True)
class Rated:
    name: str  # a comment id, or a question's text
    up: int
    down: int


@dataclass(frozen=True)
class Report:
    votes: int
    down_share: float  # 0..1; 0 with no votes
    days: tuple[Day, ...]
    comments_voted_down: tuple[Rated, ...]
    worst_questions: tuple[Rated, ...]  # empty unless question text is kept

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def build_report(votes: Sequence[Vote], top: int = TOP) -> Report:
    days: dict[str, Counter[int]] = defaultdict(Counter)
    comments: dict[str, Counter[int]] = defaultdict(Counter)
    questions: dict[str, Counter[int]] = defaultdict(Counter)
    for v in votes:
        day = dt.datetime.fromtimestamp(v.time, dt.UTC).date().isoformat()
        days[day][v.vote] += 1
        for quote in v.quotes:
            comments[quote.comment][v.vote] += 1
        if v.question:
            questions[v.question][v.vote] += 1
    down = sum(1 for v in votes if v.vote < 0)

    def rated(table: dict[str, Counter[int]]) -> tuple[Rated, ...]:
        worst = sorted(
            (Rated(name, c[1], c[-1]) for name, c in table.items() if c[-1]),
            key=lambda r: (-r.down, -(r.down / (r.up + r.down)), r.name),
        )
        return tuple(worst[:top])

    return Report(
        votes=len(votes),
        down_share=down / len(votes) if votes else 0.0,
        days=tuple(Day(d, c[1], c[-1]) for d, c in sorted(days.items())),
        comments_voted_down=rated(comments),
        worst_questions=rated(questions),
    )


def report_lines(report: Report, text_kept: bool) -> list[str]:
    """The report as plain lines (Discord shows them as they are)."""
    if not report.votes:
        return ["No votes yet."]
    lines = [f"{report.votes} votes, {report.down_share:.0%} 👎", "", "By day (UTC):"]
    lines += [f"  {d.day}: 👍 {d.up} · 👎 {d.down}" for d in report.days]
    lines += ["", "Comments most often voted down:"]
    lines += [f"  {c.name}: 👎 {c.down} · 👍 {c.up}" for c in report.comments_voted_down] or [
        "  none"
    ]
    lines += ["", "Worst-rated questions:"]
    if not text_kept and not report.worst_questions:
        lines.append("  question text is not kept (log_question_text: false)")
    else:
        lines += [
            f"  “{q.name[:120]}”: 👎 {q.down} · 👍 {q.up}" for q in report.worst_questions
        ] or ["  none"]
    return lines
