"""Render a lowered, planned model into C files, one template per file.

Everything is formatted deterministically (no dates, stable ordering, exact
number formatting) so the same model always yields the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..c_literals import NonFiniteConstantError, c_array, c_double, c_float, c_int
from ..templating import load_template
from .errors import CodegenError
from .kernel_call import ArrayRef, CDouble, CFloat, FieldValue, OnlyIn
from .kernel_sources import render_kernels
from .lowering import LoweredModel
from .planner import MemoryPlan, scratch_key

_CTYPE = {"int8": "int8_t", "float32": "float"}
_ITEMSIZE = {"int8_t": 1, "int32_t": 4, "uint64_t": 8, "float": 4}


@dataclass(frozen=True)
class EmittedSources:
    files: dict[str, str]
    weights_bytes: int
    kernels: tuple[str, ...]


def emit_sources(model: LoweredModel, plan: MemoryPlan, prefix: str, model_sha256: str) -> EmittedSources:
    graph = model.graph
    x, y = graph.tensors[model.input], graph.tensors[model.output]
    io = {
        "prefix": prefix,
        "PREFIX": prefix.upper(),
        "model_sha256": model_sha256,
        "input_ctype": _CTYPE[x.dtype],
        "output_ctype": _CTYPE[y.dtype],
    }
    header = _render_header(model, plan, io)
    arrays, weights_bytes = _render_arrays(model, prefix)
    weights = load_template(__package__, "weights.h.tmpl").substitute(
        prefix=prefix,
        guard=f"{prefix.upper()}_WEIGHTS_H",
        weights_bytes=weights_bytes,
        arrays=arrays,
    )
    kernel_ids = [step.call.kernel for step in model.steps]
    headers, kernel_text = render_kernels(kernel_ids)
    includes = "\n".join(f"#include <{h}>" for h in sorted({"stddef.h", "stdint.h", *headers}))
    source = load_template(__package__, "model.c.tmpl").substitute(
        io,
        layer_summary=_layer_summary(model),
        includes=includes,
        kernels=kernel_text,
        params=_render_params(model, prefix),
        arena=_render_arena(model, plan, prefix),
        body=_render_body(model, plan, prefix),
    )
    files = {f"{prefix}.h": header, f"{prefix}.c": source, f"{prefix}_weights.h": weights}
    return EmittedSources(files=files, weights_bytes=weights_bytes, kernels=tuple(sorted(set(kernel_ids))))


def _render_header(model: LoweredModel, plan: MemoryPlan, io: dict[str, str]) -> str:
    graph = model.graph
    x, y = graph.tensors[model.input], graph.tensors[model.output]

    def quant(tensor) -> tuple[str, str, str]:
        if tensor.dtype == "int8":
            return "1", c_float(float(tensor.scale[0])), str(int(tensor.zero_point[0]))
        return "0", "1.0f", "0"

    in_q, in_scale, in_zp = quant(x)
    out_q, out_scale, out_zp = quant(y)
    return load_template(__package__, "model.h.tmpl").substitute(
        io,
        guard=f"{io['PREFIX']}_H",
        input_dtype=x.dtype,
        input_shape=list(x.shape),
        output_dtype=y.dtype,
        output_shape=list(y.shape),
        input_size=x.size,
        output_size=y.size,
        input_quantized=in_q,
        input_scale=in_scale,
        input_zero_point=in_zp,
        output_quantized=out_q,
        output_scale=out_scale,
        output_zero_point=out_zp,
        arena_size=plan.arena_size,
    )


def _layer_summary(model: LoweredModel) -> str:
    graph = model.graph
    lines = []
    for step in model.steps:
        src, dst = graph.tensors[step.call.input], graph.tensors[step.call.output]
        lines.append(
            f" *   op {step.op_index:<3} {step.op_name:<18} {list(src.shape)} -> {list(dst.shape)}"
            f"  ({step.call.kernel})\n"
        )
    return "".join(lines)


# Preprocessor conditions of the arrays and fields of one kind of build (TF_NN_DSP is defined by
# the kernels' simd_s8 helper, pasted into <prefix>.c before the weights are included).
_BUILD_CONDITION = {"dsp": "#if TF_NN_DSP\n", "portable": "#if !TF_NN_DSP\n"}


def _only_in(build: str, text: str) -> str:
    return f"{_BUILD_CONDITION[build]}{text}#endif\n" if build else text


def _render_arrays(model: LoweredModel, prefix: str) -> tuple[str, int]:
    """The constant arrays and their bytes in the larger of the two kinds of build."""
    chunks, common, only = [], 0, {"dsp": 0, "portable": 0}
    for step in model.steps:
        for array in step.call.arrays:
            if np.asarray(array.values).size == 0:
                raise CodegenError(f"empty constant array {array.name} in operator {step.op_name}")
            size = np.asarray(array.values).size * _ITEMSIZE[array.ctype]
            if array.build:
                only[array.build] += size
            else:
                common += size
            try:
                name = f"{prefix}_op{step.op_index}_{array.name}"
                chunks.append(_only_in(array.build, c_array("static const", array.ctype, name, array.values)))
            except NonFiniteConstantError as exc:
                raise CodegenError(f"operator {step.op_name} has a {exc}") from exc
    return "\n".join(chunks), common + max(only.values())


def _c_field(value: FieldValue, prefix: str, op_index: int) -> str:
    if isinstance(value, OnlyIn):
        return _c_field(value.value, prefix, op_index)
    if value is None:
        return "NULL"
    if isinstance(value, ArrayRef):
        return f"{prefix}_op{op_index}_{value.name}"
    if isinstance(value, CFloat):
        return c_float(value.value)
    if isinstance(value, CDouble):
        return c_double(value.value)
    return c_int(int(value))


def _render_params(model: LoweredModel, prefix: str) -> str:
    blocks = []
    for step in model.steps:
        call = step.call
        fields, build = "", ""
        for name, v in call.fields:  # fields of one kind of build share one #if block
            wanted = v.build if isinstance(v, OnlyIn) else ""
            if wanted != build:
                fields += ("#endif\n" if build else "") + (_BUILD_CONDITION[wanted] if wanted else "")
                build = wanted
            fields += f"    .{name} = {_c_field(v, prefix, step.op_index)},\n"
        fields += "#endif\n" if build else ""
        blocks.append(f"static const tf_nn_{call.kernel}_params_t {prefix}_op{step.op_index} = {{\n{fields}}};\n")
    return "\n".join(blocks)


def _arena_is_float(model: LoweredModel, plan: MemoryPlan) -> bool:
    return any(model.graph.tensors[t].dtype == "float32" for t in plan.offsets if isinstance(t, int))


def _render_arena(model: LoweredModel, plan: MemoryPlan, prefix: str) -> str:
    if plan.arena_size == 0:
        return ""
    # A float array keeps float tensors aligned; int8 views of it are char-typed accesses.
    if _arena_is_float(model, plan):
        return f"static float {prefix}_arena[{plan.arena_size // 4}];\n\n"
    return f"static int8_t {prefix}_arena[{plan.arena_size}];\n\n"


def _pointer(model: LoweredModel, plan: MemoryPlan, tensor_index: int) -> str:
    root = model.storage[tensor_index]
    if root == model.input:
        return "input"
    if root == model.output:
        return "output"
    offset = plan.offsets[root]
    if model.graph.tensors[tensor_index].dtype == "float32":
        return f"(float *)(arena + {offset})"
    return f"arena + {offset}"


def _render_body(model: LoweredModel, plan: MemoryPlan, prefix: str) -> str:
    lines = []
    if plan.arena_size:
        lines.append(f"    int8_t *const arena = (int8_t *){prefix}_arena;\n\n")
    lines.append("    if (input == NULL || output == NULL) {\n        return -1;\n    }\n")
    for position, step in enumerate(model.steps):
        call = step.call
        args = [_pointer(model, plan, call.input), _pointer(model, plan, call.output)]
        if call.scratch:
            args.append(f"arena + {plan.offsets[scratch_key(position)]}")
        lines.append(f"    tf_nn_{call.kernel}(&{prefix}_op{step.op_index}, {', '.join(args)}); /* {step.op_name} */\n")
    lines.append("    return 0;\n")
    return "".join(lines)
