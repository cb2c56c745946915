"""The BERT encoder's forward pass in numpy, shared by the sentence model (its fallback when ONNX
Runtime is missing) and the cross-encoder.

Batched with an attention mask, so passages of different lengths are embedded together and a
cross-encoder scores all of a question's candidates at once; a single unpadded text is a batch of
one with nothing masked. Everything stays float32: a float64 scalar
(np.sqrt of a Python number) would promote every array after it under NumPy 2 and halve the
speed; tests/retrieval/test_semantic.py checks the dtype of every layer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

SQRT_HALF = math.sqrt(0.5)  # a Python float: NumPy 2 keeps float32 arrays float32 with it


@dataclass(frozen=True)
class BertShape:
    layers: int
    heads: int
    hidden: int
    eps: float

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> BertShape:
        return cls(
            int(config["num_hidden_layers"]),
            int(config["num_attention_heads"]),
            int(config["hidden_size"]),
            float(config["layer_norm_eps"]),
        )


def erf(x: np.ndarray) -> np.ndarray:
    # numpy has no erf; Abramowitz & Stegun 7.1.26, absolute error below 1.5e-7.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = (((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t
    poly = poly + 0.254829592
    return sign * (1.0 - poly * t * np.exp(-a * a))


def layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(-1, keepdims=True)
    return centred / np.sqrt(var + eps) * gain + bias


def encode(
    w: Mapping[str, np.ndarray],
    shape: BertShape,
    ids: np.ndarray,
    token_types: np.ndarray | None = None,
    mask: np.ndarray | None = None,
    prefix: str = "",
) -> np.ndarray:
    """Token ids (batch, n) → last hidden states (batch, n, hidden), float32. `prefix` is
    "bert." for a transformers checkpoint with a task head, "" for a bare encoder."""
    batch, n = ids.shape
    heads = shape.heads
    size = shape.hidden // heads
    scale = 1.0 / math.sqrt(size)  # a Python float, not a float64 numpy scalar
    types = np.zeros_like(ids) if token_types is None else token_types
    x = (
        w[f"{prefix}embeddings.word_embeddings.weight"][ids]
        + w[f"{prefix}embeddings.position_embeddings.weight"][:n][None]
        + w[f"{prefix}embeddings.token_type_embeddings.weight"][types]
    )
    x = layer_norm(
        x,
        w[f"{prefix}embeddings.LayerNorm.weight"],
        w[f"{prefix}embeddings.LayerNorm.bias"],
        shape.eps,
    )
    # Padding gets a large negative bias so no real token attends to it.
    bias = None if mask is None else np.where(mask[:, None, None, :] > 0, 0.0, -1e9).astype(x.dtype)
    for layer in range(shape.layers):
        p = f"{prefix}encoder.layer.{layer}."

        def dense(h: np.ndarray, name: str, p: str = p) -> np.ndarray:
            return h @ w[f"{p}{name}.weight"].T + w[f"{p}{name}.bias"]

        def split(h: np.ndarray) -> np.ndarray:  # (b, n, hidden) → (b, heads, n, size)
            return h.reshape(batch, n, heads, size).transpose(0, 2, 1, 3)

        q = split(dense(x, "attention.self.query") * scale)
        k = split(dense(x, "attention.self.key"))
        v = split(dense(x, "attention.self.value"))
        att = q @ k.transpose(0, 1, 3, 2)
        if bias is not None:
            att = att + bias
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        context = (att @ v).transpose(0, 2, 1, 3).reshape(batch, n, shape.hidden)
        x = layer_norm(
            dense(context, "attention.output.dense") + x,
            w[f"{p}attention.output.LayerNorm.weight"],
            w[f"{p}attention.output.LayerNorm.bias"],
            shape.eps,
        )
        h = dense(x, "intermediate.dense")
        h = 0.5 * h * (1.0 + erf(h * SQRT_HALF))  # exact (erf) GELU, as BERT uses
        x = layer_norm(
            dense(h, "output.dense") + x,
            w[f"{p}output.LayerNorm.weight"],
            w[f"{p}output.LayerNorm.bias"],
            shape.eps,
        )
    return x
