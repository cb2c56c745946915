"""The vector cache writes only a file the bot wrote itself, and only where config allows."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from bot.config import ConfigError, load_config
from bot.retrieval.semantic import CACHE_FORMAT, VectorCache
from tests.helpers import CONFIG, write


class TinyEncoder:
    dimensions = 2

    def encode(self, texts: list[str], progress: object = None) -> np.ndarray:
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def fill_and_save(path: Path) -> None:
    cache = VectorCache(path)
    cache.vectors(["alpha"], TinyEncoder())  # type: ignore[arg-type]
    cache.save(["alpha"])


@pytest.mark.parametrize(
    "content",
    [b"precious notes\n", b"PK\x03\x04 a zip of something else"],
    ids=["text", "zip"],
)
def test_another_file_at_the_cache_path_is_never_overwritten(
    tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "notes.npz"
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING, "bot.semantic"):
        fill_and_save(path)
    assert path.read_bytes() == content
    assert "left alone" in caplog.text
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind either


def test_an_npz_of_other_arrays_is_not_taken_for_a_cache(tmp_path: Path) -> None:
    path = tmp_path / "data.npz"
    np.savez(path, weights=np.arange(3))
    before = path.read_bytes()
    fill_and_save(path)
    assert path.read_bytes() == before


def test_a_link_at_the_cache_path_is_not_followed(tmp_path: Path) -> None:
    target = write(tmp_path / "elsewhere.txt", "do not touch\n")
    link = tmp_path / "vectors.npz"
    link.symlink_to(target)
    fill_and_save(link)
    assert link.is_symlink() and target.read_text() == "do not touch\n"


def test_the_bots_own_cache_is_marked_and_updated(tmp_path: Path) -> None:
    path = tmp_path / ".cache" / "vectors.npz"
    fill_and_save(path)
    with np.load(path) as data:
        assert str(data["format"]) == CACHE_FORMAT
    cache = VectorCache(path)
    cache.vectors(["alpha", "beta"], TinyEncoder())  # type: ignore[arg-type]
    cache.save(["alpha", "beta"])
    with np.load(path) as data:
        assert len(data["keys"]) == 2


@pytest.mark.parametrize("where", ["/tmp/x/vectors.npz", "../vectors.npz"])
def test_config_keeps_the_cache_inside_the_project(tmp_path: Path, where: str) -> None:
    text = CONFIG.read_text("utf-8").replace(".cache/passage-vectors.npz", where, 1)
    config = write(tmp_path / "project" / "config.yaml", text)
    with pytest.raises(ConfigError, match=r"retrieval\.semantic_cache: expected a path inside"):
        load_config(config)


def test_a_cache_from_before_the_marker_is_still_the_bots_own(tmp_path: Path) -> None:
    path = tmp_path / "vectors.npz"
    np.savez(path, model=np.array("old model"), keys=np.array([]), vectors=np.zeros((0, 0)))
    fill_and_save(path)
    with np.load(path) as data:
        assert str(data["format"]) == CACHE_FORMAT and len(data["keys"]) == 1
