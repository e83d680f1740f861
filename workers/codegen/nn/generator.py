"""Entry point: ``.tflite`` bytes in, portable C99 files out."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ..tflite_reader import read_tflite
from .emitter import emit_sources
from .errors import CodegenError
from .lowering import LoweredModel, lower_graph
from .planner import BufferRequest, plan_memory, scratch_key

ARENA_ALIGNMENT = 4
_ITEMSIZE = {"int8": 1, "float32": 4}
_PREFIX = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class GeneratedModel:
    """The generated C library of one model and facts about it."""

    prefix: str
    files: dict[str, str]  # file name -> text: <prefix>.h, <prefix>.c, <prefix>_weights.h
    arena_size: int  # bytes of the static activation arena
    weights_bytes: int  # bytes of constant data (weights, biases, requantization constants)
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    input_dtype: str  # "int8" or "float32"
    output_dtype: str
    input_scale: float | None  # None for float tensors
    input_zero_point: int | None
    output_scale: float | None
    output_zero_point: int | None
    operators: tuple[str, ...]  # TFLite operators that became kernel calls, in order
    kernels: tuple[str, ...]  # C kernels pasted into <prefix>.c


def generate_model_c(tflite_bytes: bytes, prefix: str = "tf_model") -> GeneratedModel:
    """Compile a float32 or int8 ``.tflite`` model into plain C99.

    Raises ``UnsupportedOpError`` (naming the operator) or ``CodegenError``
    when the model cannot be generated, ``ModelFormatError`` on bad bytes.
    """
    if not _PREFIX.match(prefix):
        raise CodegenError(f"prefix {prefix!r} is not a C identifier")
    graph = read_tflite(tflite_bytes)
    lowered = lower_graph(graph)
    plan = plan_memory(buffer_requests(lowered), alignment=ARENA_ALIGNMENT)
    sources = emit_sources(lowered, plan, prefix, hashlib.sha256(tflite_bytes).hexdigest())
    x, y = graph.tensors[lowered.input], graph.tensors[lowered.output]
    return GeneratedModel(
        prefix=prefix,
        files=sources.files,
        arena_size=plan.arena_size,
        weights_bytes=sources.weights_bytes,
        input_shape=x.shape,
        output_shape=y.shape,
        input_dtype=x.dtype,
        output_dtype=y.dtype,
        input_scale=float(x.scale[0]) if x.dtype == "int8" else None,
        input_zero_point=int(x.zero_point[0]) if x.dtype == "int8" else None,
        output_scale=float(y.scale[0]) if y.dtype == "int8" else None,
        output_zero_point=int(y.zero_point[0]) if y.dtype == "int8" else None,
        operators=tuple(step.op_name for step in lowered.steps),
        kernels=sources.kernels,
    )


def buffer_requests(model: LoweredModel) -> list[BufferRequest]:
    """Lifetimes of the arena buffers: every activation not held by the caller, and the scratch
    of a kernel call that needs one (live during that call only)."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for position, step in enumerate(model.steps):
        for tensor in (step.call.input, step.call.output):
            root = model.storage[tensor]
            if root in (model.input, model.output):
                continue
            first.setdefault(root, position)
            last[root] = position
    requests = []
    for root in sorted(first):
        tensor = model.graph.tensors[root]
        requests.append(BufferRequest(root, tensor.size * _ITEMSIZE[tensor.dtype], first[root], last[root]))
    for position, step in enumerate(model.steps):
        if step.call.scratch:
            requests.append(BufferRequest(scratch_key(position), step.call.scratch, position, position))
    return requests
