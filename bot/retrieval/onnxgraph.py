"""The all-MiniLM-L6-v2 encoder as an ONNX Runtime graph, built in memory from the shipped weights.

No model is downloaded or exported: the same BERT layers as the numpy forward pass
(bot.retrieval.semantic) are written out with onnx's helper API and given the weights read from
the pinned model.safetensors. ONNX Runtime then runs them about three times faster than numpy on
one thread (README, Scale); tests/retrieval/test_semantic.py checks both against the reference
vectors.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

if TYPE_CHECKING:
    from bot.retrieval.semantic import _Shape

OPSET = 17  # LayerNormalization arrived in opset 17


class _Graph:
    """Collects nodes and initializers; each helper returns the name of its output."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.weights = weights
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._count = 0

    def op(self, kind: str, *inputs: str, **attrs: object) -> str:
        self._count += 1
        out = f"{kind.lower()}_{self._count}"
        self.nodes.append(helper.make_node(kind, list(inputs), [out], **attrs))
        return out

    def const(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def weight(self, name: str, transpose: bool = False) -> str:
        value = self.weights[name].astype(np.float32)
        return self.const(name, np.ascontiguousarray(value.T if transpose else value))

    def dense(self, x: str, prefix: str) -> str:
        product = self.op("MatMul", x, self.weight(f"{prefix}.weight", transpose=True))
        return self.op("Add", product, self.weight(f"{prefix}.bias"))

    def layer_norm(self, x: str, prefix: str, eps: float) -> str:
        return self.op(
            "LayerNormalization",
            x,
            self.weight(f"{prefix}.weight"),
            self.weight(f"{prefix}.bias"),
            axis=-1,
            epsilon=eps,
        )


def build_model(weights: dict[str, np.ndarray], shape: _Shape) -> onnx.ModelProto:
    """ids, attention_mask (batch, tokens) int64 → pooled (batch, hidden): the mask-weighted mean
    of the last layer, not yet unit length."""
    g = _Graph(weights)
    heads, hidden = shape.heads, shape.hidden
    size = hidden // heads
    g.const("split_shape", np.array([0, 0, heads, size], dtype=np.int64))
    g.const("merge_shape", np.array([0, 0, hidden], dtype=np.int64))
    g.const("scale", np.array(1.0 / math.sqrt(size), dtype=np.float32))
    g.const("sqrt_half", np.array(math.sqrt(0.5), dtype=np.float32))
    g.const("one", np.array(1.0, dtype=np.float32))
    g.const("half", np.array(0.5, dtype=np.float32))
    g.const("minus_big", np.array(-1e9, dtype=np.float32))
    g.const("zero_i", np.array([0], dtype=np.int64))
    g.const("one_i", np.array([1], dtype=np.int64))
    g.const("axis_1", np.array([1], dtype=np.int64))
    g.const("axes_1_2", np.array([1, 2], dtype=np.int64))
    g.const("type_row", weights["embeddings.token_type_embeddings.weight"][0].astype(np.float32))

    # Embeddings: word + position (the first `tokens` rows) + token type 0.
    length = g.op("Gather", g.op("Shape", "input_ids"), "one_i", axis=0)
    positions = g.op(
        "Slice", g.weight("embeddings.position_embeddings.weight"), "zero_i", length, "zero_i"
    )
    words = g.op("Gather", g.weight("embeddings.word_embeddings.weight"), "input_ids", axis=0)
    x = g.op("Add", g.op("Add", words, positions), "type_row")
    x = g.layer_norm(x, "embeddings.LayerNorm", shape.eps)

    # Padding is never attended to: -1e9 added to its scores before the softmax.
    keep = g.op("Cast", "attention_mask", to=TensorProto.FLOAT)
    bias = g.op("Mul", g.op("Sub", "one", keep), "minus_big")
    bias = g.op("Unsqueeze", bias, "axes_1_2")  # (b, 1, 1, n)

    for layer in range(shape.layers):
        p = f"encoder.layer.{layer}"

        def split(h: str) -> str:  # (b, n, hidden) → (b, heads, n, size)
            return g.op("Transpose", g.op("Reshape", h, "split_shape"), perm=[0, 2, 1, 3])

        q = split(g.op("Mul", g.dense(x, f"{p}.attention.self.query"), "scale"))
        k = g.op(
            "Transpose",
            g.op("Reshape", g.dense(x, f"{p}.attention.self.key"), "split_shape"),
            perm=[0, 2, 3, 1],
        )
        v = split(g.dense(x, f"{p}.attention.self.value"))
        att = g.op("Softmax", g.op("Add", g.op("MatMul", q, k), bias), axis=-1)
        context = g.op("Transpose", g.op("MatMul", att, v), perm=[0, 2, 1, 3])
        context = g.op("Reshape", context, "merge_shape")
        out = g.op("Add", g.dense(context, f"{p}.attention.output.dense"), x)
        x = g.layer_norm(out, f"{p}.attention.output.LayerNorm", shape.eps)
        h = g.dense(x, f"{p}.intermediate.dense")
        gelu = g.op("Add", "one", g.op("Erf", g.op("Mul", h, "sqrt_half")))
        h = g.op("Mul", g.op("Mul", h, gelu), "half")  # exact (erf) GELU, as BERT uses
        out = g.op("Add", g.dense(h, f"{p}.output.dense"), x)
        x = g.layer_norm(out, f"{p}.output.LayerNorm", shape.eps)

    weighted = g.op(
        "Mul", x, g.op("Unsqueeze", keep, g.const("axis_2", np.array([2], dtype=np.int64)))
    )
    total = g.op("ReduceSum", weighted, "axis_1", keepdims=0)
    count = g.op("ReduceSum", keep, "axis_1", keepdims=1)
    pooled = g.op("Div", total, count)
    g.nodes.append(helper.make_node("Identity", [pooled], ["pooled"]))

    graph = helper.make_graph(
        g.nodes,
        "all-MiniLM-L6-v2",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", hidden])],
        g.initializers,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])


class OnnxForward:
    """Runs the graph on one thread per call, like numpy's BLAS (bot/__init__.py): the bot embeds
    questions from several threads at once and the machine may have two cores."""

    name = "onnxruntime"

    def __init__(self, weights: dict[str, np.ndarray], shape: _Shape) -> None:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # warnings about unused initializers are not news
        model = build_model(weights, shape).SerializeToString()
        self._session = onnxruntime.InferenceSession(
            model, options, providers=["CPUExecutionProvider"]
        )

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        (pooled,) = self._session.run(["pooled"], {"input_ids": ids, "attention_mask": mask})
        return pooled
