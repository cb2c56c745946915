"""The cluster section: a Redis URL without a password in the file, the password's variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_config
from bot.errors import ConfigError
from tests.helpers import CONFIG, write


def with_cluster(tmp_path: Path, old: str, new: str) -> Path:
    """config.yaml (the one in tmp_path once written) with one line changed."""
    source = tmp_path / "config.yaml" if (tmp_path / "config.yaml").exists() else CONFIG
    text = source.read_text(encoding="utf-8")
    assert old in text
    return write(tmp_path / "config.yaml", text.replace(old, new, 1))


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_the_defaults_watch_the_corpus_and_use_no_redis(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DISCUSSION_BOT_REDIS_URL", raising=False)
    cluster = load_config(CONFIG).cluster
    assert cluster.watch_seconds == 2 and cluster.redis_url is None
    assert cluster.password_env is None and cluster.ack_seconds == 3


def test_a_redis_url_and_the_name_of_its_password_variable(tmp_path: Path) -> None:
    path = with_cluster(tmp_path, "  redis_url: null", "  redis_url: redis://10.0.0.5:6380/2")
    path = with_cluster(path.parent, "  password_env: null", "  password_env: BOT_REDIS_PASSWORD")
    cluster = load_config(path).cluster
    assert cluster.redis_url == "redis://10.0.0.5:6380/2"
    assert cluster.password_env == "BOT_REDIS_PASSWORD"


def test_a_password_in_the_file_is_refused_with_its_line(tmp_path: Path) -> None:
    path = with_cluster(tmp_path, "  redis_url: null", "  redis_url: redis://:hunter2@cache:6379/0")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.line == line_of(path, "hunter2")
    assert "secrets do not belong in config.yaml" in str(caught.value)
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  redis_url: null", "  redis_url: http://cache:6379/0", "expected redis://HOST:PORT/N"),
        ("  password_env: null", "  password_env: hunter2 x", "NAME of an environment var"),
        ("  watch_seconds: 2 ", "  watch_seconds: -1 ", "cluster.watch_seconds: expected"),
        ("  ack_seconds: 3 ", "  ack_seconds: 0 ", "cluster.ack_seconds: expected"),
    ],
)
def test_bad_cluster_values_name_the_line(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = with_cluster(tmp_path, old, new)
    with pytest.raises(ConfigError, match=expected) as caught:
        load_config(path)
    assert caught.value.line == line_of(path, new.strip().split(":")[0] + ":")
    assert "hunter2" not in str(caught.value)  # a password put where its variable's name goes


def test_the_url_may_come_from_the_environment_with_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DISCUSSION_BOT_REDIS_URL", "redis://:pw@cache:6379/1")
    assert load_config(CONFIG).cluster.redis_url == "redis://:pw@cache:6379/1"
    monkeypatch.setenv("DISCUSSION_BOT_REDIS_URL", "cache:6379 pw")
    with pytest.raises(ConfigError) as caught:
        load_config(CONFIG)
    assert "DISCUSSION_BOT_REDIS_URL" in str(caught.value) and "pw" not in caught.value.message
