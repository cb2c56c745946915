"""Without redis-server the Redis tests fail in CI and are skipped elsewhere, saying why."""

from __future__ import annotations

import shutil

import pytest

from tests.cluster import redisserver


def test_missing_redis_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="redis-server is not installed"):
        redisserver.redis_binary()


def test_missing_redis_is_skipped_with_the_reason_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install redis-server"):
        redisserver.redis_binary()
