"""The per-user question limit (discord.py's CooldownMapping), with explicit times."""

from __future__ import annotations

from dataclasses import dataclass

from bot.discord_adapter.cooldown import question_cooldown, too_quick, wait_for


@dataclass(frozen=True)
class User:
    id: int


def test_allows_rate_questions_per_window_per_user() -> None:
    cooldown = question_cooldown(2, 30.0)
    ann, bo = User(1), User(2)
    assert wait_for(cooldown, ann, 100.0) == 0.0 and wait_for(cooldown, ann, 100.0) == 0.0
    assert wait_for(cooldown, ann, 100.0) == 30.0
    assert wait_for(cooldown, bo, 100.0) == 0.0  # other users are not affected
    assert wait_for(cooldown, ann, 129.0) == 1.0
    assert wait_for(cooldown, ann, 130.5) == 0.0  # the window has passed
    assert too_quick(1.2) == "You're asking quickly. Please try again in 1 s."


def test_idle_users_are_forgotten() -> None:
    cooldown = question_cooldown(3, 30.0)
    assert cooldown is not None
    for n in range(1000):
        wait_for(cooldown, User(n), 100.0 + n * 0.01)
    # Everyone above asked within the last 30 s; one question a minute later clears them out.
    assert wait_for(cooldown, User(5000), 200.0) == 0.0
    assert len(cooldown._cache) == 1  # discord.py's own map of buckets, one per recent user


def test_zero_seconds_turns_it_off() -> None:
    cooldown = question_cooldown(1, 0.0)
    assert cooldown is None
    assert all(wait_for(cooldown, User(1)) == 0.0 for _ in range(5))
