from __future__ import annotations

from bot.text.excerpt import EXCERPT_CHARS, excerpt, redacted


def test_short_values_are_shown_as_they_are() -> None:
    assert excerpt("many") == "'many'"
    assert excerpt(12) == "12"
    assert excerpt(["a", None]) == "['a', None]"


def test_long_values_are_cut_with_their_length() -> None:
    shown = excerpt("x" * 1_000_000)
    assert shown == f"{'x' * EXCERPT_CHARS!r}… (1,000,000 characters)"


def test_containers_are_described_not_walked() -> None:
    shared: list[object] = ["lol"] * 10
    for _ in range(9):  # 10**10 values if anyone printed it
        shared = [shared] * 10
    assert excerpt(shared) == "a list of 10 items"
    assert excerpt({"a": 1}) == "a mapping of 1 item"


def test_redacted_never_shows_a_secret_like_value() -> None:
    token = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123"
    assert redacted(token) == f"text of {len(token)} characters (not shown)"
    assert "abcdefghijklmnop" not in redacted("sk_live_abcdefghijklmnop")
    assert redacted("many") == "'many'"
    assert redacted(11) == "11"
