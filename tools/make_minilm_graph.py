"""Write bot/data/minilm-l6-v2.onnx: the all-MiniLM-L6-v2 encoder as an ONNX graph, no weights.

    python -m tools.make_minilm_graph          # needs the test extras (onnx)

The six BERT layers of bot.retrieval.semantic's numpy forward pass, written with onnx's helper
API. Every weight is declared as external data: bot.retrieval.onnxgraph hands ONNX Runtime the
arrays read from the hash-pinned model.safetensors, so the shipped file is only the graph and the
bot never imports onnx. tests/retrieval/test_semantic.py checks the shipped file is what this
writes.
"""

from __future__ import annotations

import math
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from bot.retrieval.bert import BertShape
from bot.retrieval.onnxgraph import GRAPH, TRANSPOSED, initializers
from bot.retrieval.semantic import find_model, read_shape, verify

OPSET = 17  # LayerNormalization arrived in opset 17


def _external(name: str, value: np.ndarray) -> onnx.TensorProto:
    """A weight the graph declares (name, type, shape) and the runtime supplies."""
    tensor = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=value.shape)
    tensor.data_location = TensorProto.EXTERNAL
    entry = tensor.external_data.add()
    entry.key, entry.value = "location", "supplied-by-bot.retrieval.onnxgraph"
    return tensor


class _Graph:
    """Collects nodes and initializers; each helper returns the name of its output."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers = [_external(n, v) for n, v in arrays.items()]
        self._count = 0

    def op(self, kind: str, *inputs: str, **attrs: object) -> str:
        self._count += 1
        out = f"{kind.lower()}_{self._count}"
        self.nodes.append(helper.make_node(kind, list(inputs), [out], **attrs))
        return out

    def const(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def dense(self, x: str, prefix: str) -> str:
        product = self.op("MatMul", x, f"{prefix}.weight{TRANSPOSED}")
        return self.op("Add", product, f"{prefix}.bias")

    def layer_norm(self, x: str, prefix: str, eps: float) -> str:
        return self.op(
            "LayerNormalization", x, f"{prefix}.weight", f"{prefix}.bias", axis=-1, epsilon=eps
        )


def build_model(arrays: dict[str, np.ndarray], shape: BertShape) -> onnx.ModelProto:
    """ids, attention_mask (batch, tokens) int64 → pooled (batch, hidden): the mask-weighted mean
    of the last layer, not yet unit length."""
    g = _Graph(arrays)
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
    g.const("axis_2", np.array([2], dtype=np.int64))
    g.const("axes_1_2", np.array([1, 2], dtype=np.int64))

    # Embeddings: word + position (the first `tokens` rows) + token type 0.
    length = g.op("Gather", g.op("Shape", "input_ids"), "one_i", axis=0)
    positions = g.op("Slice", "embeddings.position_embeddings.weight", "zero_i", length, "zero_i")
    words = g.op("Gather", "embeddings.word_embeddings.weight", "input_ids", axis=0)
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

    weighted = g.op("Mul", x, g.op("Unsqueeze", keep, "axis_2"))
    total = g.op("ReduceSum", weighted, "axis_1", keepdims=0)
    count = g.op("ReduceSum", keep, "axis_1", keepdims=1)
    g.nodes.append(helper.make_node("Div", [total, count], ["pooled"]))

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
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="discussion-bot"
    )
    return model  # (onnx.checker would look for the weights' file; ONNX Runtime checks it)


def graph_bytes() -> bytes:
    """The graph for the pinned model files, serialised."""
    from safetensors.numpy import load_file

    folder = find_model()
    verify(folder)
    shape = read_shape(folder)
    weights = load_file(str(folder / "model.safetensors"))
    return build_model(initializers(weights, shape), shape).SerializeToString()


def main() -> int:
    data = graph_bytes()
    GRAPH.write_bytes(data)
    print(f"wrote {GRAPH} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
