"""all-MiniLM-L6-v2 on ONNX Runtime: the shipped graph, given the pinned weights at load time.

No model is downloaded or exported. bot/data/minilm-l6-v2.onnx holds only the graph (22 KB: the
same BERT layers as the numpy forward pass in bot.retrieval.semantic), written by
tools/make_minilm_graph.py with onnx's helper API; its weights are declared external and handed
over here, read from the hash-pinned model.safetensors. So the bot needs onnxruntime but not the
onnx package (whose import alone takes over a second). ONNX Runtime runs the encoder about
three times faster than numpy on one thread (README, Scale); tests/retrieval/test_semantic.py
checks both against the reference vectors and the shipped graph against the tool's output.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import onnxruntime

if TYPE_CHECKING:
    from bot.retrieval.bert import BertShape

GRAPH = Path(__file__).resolve().parents[1] / "data" / "minilm-l6-v2.onnx"
EMBEDDINGS = (
    "embeddings.word_embeddings.weight",
    "embeddings.position_embeddings.weight",
    "embeddings.LayerNorm.weight",
    "embeddings.LayerNorm.bias",
)
TRANSPOSED = ":T"  # suffix of a dense layer's matrix stored transposed (x @ W.T becomes x @ W:T)


def initializers(weights: dict[str, np.ndarray], shape: BertShape) -> dict[str, np.ndarray]:
    """The named float32 arrays the graph takes: every safetensors weight, dense matrices
    transposed, and token type 0's embedding row."""
    out: dict[str, np.ndarray] = {}
    used = EMBEDDINGS + tuple(n for n in weights if n.startswith("encoder."))
    for name in used:
        value = np.asarray(weights[name], dtype=np.float32)
        if name.startswith("encoder.") and value.ndim == 2:
            out[name + TRANSPOSED] = np.ascontiguousarray(value.T)
        else:
            out[name] = np.ascontiguousarray(value)
    out["type_row"] = np.ascontiguousarray(weights["embeddings.token_type_embeddings.weight"][0])
    return out


class OnnxForward:
    """Runs the graph on one thread per call, like numpy's BLAS (bot/__init__.py): the bot embeds
    questions from several threads at once and the machine may have two cores."""

    name = "onnxruntime"

    def __init__(self, weights: dict[str, np.ndarray], shape: BertShape) -> None:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # warnings about unused initializers are not news
        # Kept on self: the session reads these arrays in place, it does not copy them.
        self._arrays = initializers(weights, shape)
        names = list(self._arrays)
        options.add_external_initializers(
            names, [onnxruntime.OrtValue.ortvalue_from_numpy(self._arrays[n]) for n in names]
        )
        self._session = onnxruntime.InferenceSession(
            GRAPH.read_bytes(), options, providers=["CPUExecutionProvider"]
        )

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        (pooled,) = self._session.run(["pooled"], {"input_ids": ids, "attention_mask": mask})
        return pooled
