from __future__ import annotations

import io
import logging

import pytest

from bot.progress import Progress


class FakeClock:
    """Time that moves only when the test says so: no sleeping."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_work_under_a_second_shows_nothing(caplog: pytest.LogCaptureFixture) -> None:
    clock, stream = FakeClock(), io.StringIO()
    for terminal in (True, False):
        with (
            caplog.at_level(logging.INFO, "bot.progress"),
            Progress(
                "embedding passages", 500, "passages", stream=stream, terminal=terminal, clock=clock
            ) as progress,
        ):
            for _ in range(5):
                clock.now += 0.19
                progress.update(100)
        assert not progress.shown
    assert stream.getvalue() == "" and caplog.text == ""


def test_without_a_terminal_a_log_line_every_few_seconds(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock, stream = FakeClock(), io.StringIO()
    with (
        caplog.at_level(logging.INFO, "bot.progress"),
        Progress(
            "embedding passages",
            1000,
            "passages",
            stream=stream,
            terminal=False,
            clock=clock,
            every=5.0,
        ) as progress,
    ):
        for _ in range(10):  # 100 passages a second, for 10 seconds
            clock.now += 1.0
            progress.update(100)
    lines = [r.getMessage() for r in caplog.records]
    # At 1 s (past the quiet second), then 5 s later, then 5 s after that; then a summary.
    assert lines == [
        "embedding passages: 100/1,000 passages (10 %), 100 passages/s, about 9 s left",
        "embedding passages: 600/1,000 passages (60 %), 100 passages/s, about 4 s left",
        "embedding passages: done, 1,000 passages in 10 s",
    ]
    assert stream.getvalue() == ""  # log lines go to the log, never the terminal stream


def test_on_a_terminal_a_bar_with_counts(caplog: pytest.LogCaptureFixture) -> None:
    clock, stream = FakeClock(), io.StringIO()
    with (
        caplog.at_level(logging.INFO, "bot.progress"),
        Progress(
            "embedding passages", 300, "passages", stream=stream, terminal=True, clock=clock
        ) as progress,
    ):
        for _ in range(3):
            clock.now += 0.8
            progress.update(100)
    assert progress.shown and caplog.text == ""
    assert "embedding passages" in stream.getvalue() and "300/300" in stream.getvalue()


def test_an_unknown_total_still_counts(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    with caplog.at_level(logging.INFO, "bot.progress"):
        progress = Progress(
            "reading the archive", None, "files", stream=io.StringIO(), terminal=False, clock=clock
        )
        clock.now += 2.0
        progress.update(3)
    assert caplog.records[0].getMessage() == "reading the archive: 3 files, 2 files/s"


def test_bytes_are_counted_in_megabytes(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    with (
        caplog.at_level(logging.INFO, "bot.progress"),
        Progress(
            "loading the corpus", 20_000_000, "B", stream=io.StringIO(), terminal=False, clock=clock
        ) as progress,
    ):
        clock.now += 2.0
        progress.update(5_000_000)
    assert [r.getMessage() for r in caplog.records] == [
        "loading the corpus: 5.0/20.0 MB (25 %), 2.5 MB/s, about 6 s left",
        "loading the corpus: done, 5.0 MB in 2 s",
    ]
