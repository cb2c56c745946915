"""The reader: section of config.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from tests.helpers import CONFIG, write


def with_reader(tmp_path: Path, lines: str) -> Path:
    text = CONFIG.read_text(encoding="utf-8")
    start = text.index("\nreader:")
    end = text.index("\n\n", start + 1) if "\n\n" in text[start + 1 :] else len(text)
    return write(tmp_path / "config.yaml", text[:start] + "\nreader:\n" + lines + text[end:])


def test_the_shipped_config_has_no_reader() -> None:
    reader = load_config(CONFIG).reader
    assert not reader.enabled and reader.describe() == "off"
    assert (reader.api, reader.timeout, reader.candidates, reader.min_score) == (
        "rerank",
        2.0,
        20,
        None,
    )


def test_every_documented_key_is_read(tmp_path: Path) -> None:
    path = with_reader(
        tmp_path,
        "  api: chat\n  url: http://127.0.0.1:11434/v1/chat/completions\n  model: llama3.1\n"
        "  api_key_env: READER_KEY\n  timeout: 4.5\n  candidates: 12\n  min_score: 0.5\n",
    )
    reader = load_config(path).reader
    assert reader.enabled and reader.api == "chat" and reader.model == "llama3.1"
    assert reader.url == "http://127.0.0.1:11434/v1/chat/completions"
    assert (reader.api_key_env, reader.timeout, reader.candidates, reader.min_score) == (
        "READER_KEY",
        4.5,
        12,
        0.5,
    )
    assert reader.describe() == "chat server, model llama3.1"


def test_model_dir_is_relative_to_the_config(tmp_path: Path) -> None:
    reader = load_config(with_reader(tmp_path, "  model_dir: models/ce\n")).reader
    assert reader.model_dir == tmp_path / "models/ce" and reader.enabled


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("  api: cohere\n", "reader.api: expected rerank or chat"),
        ("  url: 127.0.0.1:8080\n", "reader.url: expected an http:// or https:// address"),
        ("  timeout: 0\n", "reader.timeout: expected a number from 0.05 to 120"),
        ("  candidates: 0\n", "reader.candidates: expected a whole number from 1 to 100"),
        ("  min_score: high\n", "reader.min_score: expected a number"),
        ("  url: http://x/v1/rerank\n  model_dir: m\n", "one at a time"),
        ("  api_key: sk-abc\n", "put the key in an environment variable"),
        ("  colour: blue\n", "unknown key 'reader.colour'"),
    ],
)
def test_bad_reader_settings_name_the_line(tmp_path: Path, lines: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(with_reader(tmp_path, lines))
    assert expected in str(info.value) and info.value.line is not None


def test_a_key_in_api_key_env_is_refused_without_echoing_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(with_reader(tmp_path, "  api_key_env: sk-live-0123456789abcdef\n"))
    assert "NAME of an environment variable" in str(info.value)
    assert "sk-live" not in str(info.value)
