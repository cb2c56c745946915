from __future__ import annotations

from bot.discord_adapter.cooldown import UserCooldown


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_allows_rate_questions_per_window_per_user() -> None:
    clock = Clock()
    cooldown = UserCooldown(2, 30.0, clock)
    assert cooldown.hit(1) == 0.0 and cooldown.hit(1) == 0.0
    assert cooldown.hit(1) == 30.0
    assert cooldown.hit(2) == 0.0  # other users are not affected
    clock.now = 29.0
    assert cooldown.hit(1) == 1.0
    clock.now = 30.0
    assert cooldown.hit(1) == 0.0  # the first question left the window


def test_zero_seconds_turns_it_off() -> None:
    cooldown = UserCooldown(1, 0.0)
    assert all(cooldown.hit(1) == 0.0 for _ in range(5))
