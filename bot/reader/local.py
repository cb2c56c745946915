"""A local cross-encoder as the reader: a BERT-family sequence-classification model (the layout
of ms-marco-MiniLM cross-encoders) in a folder, run by the project's numpy BERT encoder, all
candidates in one batch.

Its files are checked like the sentence model's: every one must match the SHA-256 listed in the
folder's SHA256SUMS (the format `sha256sum` writes), so a changed or half-copied file is refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bot.reader.outcome import ReaderFailure, Reading
from bot.retrieval.bert import BertShape, encode
from bot.retrieval.semantic import ModelError, sha256_of

MANIFEST = "SHA256SUMS"
FILES = ("config.json", "tokenizer.json", "model.safetensors")
MAX_TOKENS = 512
LINE = re.compile(r"([0-9a-fA-F]{64}) [ *]([^\s/\\]+)")


def read_manifest(folder: Path) -> dict[str, str]:
    path = folder / MANIFEST
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(
            f"{path}: cannot be read ({type(exc).__name__}); expected the SHA-256 of "
            f"{', '.join(FILES)}, as `sha256sum {' '.join(FILES)} > {MANIFEST}` writes it"
        ) from None
    digests: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        match = LINE.fullmatch(line.strip())
        if not match:
            raise ModelError(f"{path}:{number}: expected '<64 hex digits>  <file name>'")
        digests[match.group(2)] = match.group(1).lower()
    return digests


def verify_folder(folder: Path) -> None:
    digests = read_manifest(folder)
    for name in FILES:
        if name not in digests:
            raise ModelError(f"{folder / MANIFEST}: no SHA-256 listed for {name}")
        path = folder / name
        if not path.is_file():
            raise ModelError(f"{path}: missing (expected the cross-encoder's {name})")
        actual = sha256_of(path)
        if actual != digests[name]:
            raise ModelError(
                f"{path}: SHA-256 {actual} is not the {digests[name]} listed in {MANIFEST}; "
                "refusing a changed model file"
            )


def pair_tokenizer(tokenizer: Any, max_positions: int = MAX_TOKENS) -> Any:
    """Question and passage as one input, padded to the longest pair, cut as BERT's own
    tokenizer cuts (the longer side first)."""
    tokenizer.enable_truncation(min(MAX_TOKENS, max_positions))
    pad = tokenizer.token_to_id("[PAD]")
    tokenizer.enable_padding(pad_id=0 if pad is None else pad, pad_token="[PAD]")
    return tokenizer


class CrossEncoder:
    """(question, passage) pairs → relevance logits, as transformers'
    BertForSequenceClassification computes them."""

    def __init__(self, weights: dict[str, np.ndarray], shape: BertShape, tokenizer: Any) -> None:
        """From weights already checked: use CrossEncoder.load(folder) for a model on disk."""
        self._w, self._shape, self._tokenizer = weights, shape, tokenizer
        self._prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""

    @classmethod
    def load(cls, folder: Path) -> CrossEncoder:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        if not folder.is_dir():
            raise ModelError(f"{folder}: no such folder (expected a cross-encoder)")
        verify_folder(folder)
        try:
            config = json.loads((folder / "config.json").read_text("utf-8"))
            shape = BertShape.from_config(config)
            labels = int(config.get("num_labels", len(config.get("id2label") or {0: 0})))
            max_positions = int(config.get("max_position_embeddings", MAX_TOKENS))
            weights = load_file(str(folder / "model.safetensors"))
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"{folder}: cannot read the cross-encoder ({exc})") from exc
        if config.get("model_type", "bert") != "bert":
            raise ModelError(f"{folder}: model_type {config.get('model_type')!r} is not bert")
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
        needed = [f"{prefix}pooler.dense.weight", "classifier.weight", "classifier.bias"]
        missing = [k for k in needed if k not in weights]
        if missing:
            raise ModelError(f"{folder}: not a sequence-classification model (no {missing[0]})")
        if labels != 1 or weights["classifier.weight"].shape[0] != 1:
            raise ModelError(f"{folder}: expected one relevance output, found {labels}")
        return cls(weights, shape, pair_tokenizer(tokenizer, max_positions))

    def scores(self, query: str, documents: Sequence[str]) -> np.ndarray:
        if not documents:
            return np.zeros(0, dtype=np.float32)
        pairs = self._tokenizer.encode_batch([(query, d) for d in documents])
        ids = np.array([e.ids for e in pairs], dtype=np.int64)
        types = np.array([e.type_ids for e in pairs], dtype=np.int64)
        mask = np.array([e.attention_mask for e in pairs], dtype=np.int64)
        w, p = self._w, self._prefix
        hidden = encode(w, self._shape, ids, types, mask, p)
        pooled = np.tanh(hidden[:, 0] @ w[f"{p}pooler.dense.weight"].T + w[f"{p}pooler.dense.bias"])
        return (pooled @ w["classifier.weight"].T + w["classifier.bias"])[:, 0]

    def read(self, query: str, documents: Sequence[str]) -> Reading:
        scores = self.scores(query, documents)
        if not np.all(np.isfinite(scores)):
            raise ReaderFailure("invalid", "the model gave a non-finite score")
        order = sorted(range(len(documents)), key=lambda i: (-float(scores[i]), i))
        return Reading(
            order=tuple(order),
            scores=tuple(float(scores[i]) for i in order),
            verdict=float(scores[order[0]]) if order else float("-inf"),
        )
