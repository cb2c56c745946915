"""`python -m tools.bench --discord`: the real bot through the loopback server, figures out."""

from __future__ import annotations

from tools.bench.discord_load import discord_bench


def test_discord_bench_reports_the_figures() -> None:
    figures = discord_bench(users=4, questions=20)
    assert set(figures) == {
        "users",
        "questions",
        "seconds",
        "throughput_qps",
        "p50_ms",
        "p99_ms",
        "lost",
        "duplicates",
    }
    assert (figures["users"], figures["questions"]) == (4, 20)
    assert (figures["lost"], figures["duplicates"]) == (0, 0)
    assert figures["throughput_qps"] > 0 and 0 < figures["p50_ms"] <= figures["p99_ms"]
