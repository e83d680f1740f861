"""Turn a TFLite graph into a straight-line list of kernel calls.

Shape-only ops (RESHAPE, EXPAND_DIMS, SQUEEZE) become aliases of their input,
the constant shape computations feeding them are dropped, and every other live
operator is lowered through the registry in ``ops``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..tflite_reader import Graph, Operator
from .errors import CodegenError, UnsupportedOpError
from .kernel_call import KernelCall
from .ops import LOWERINGS, RESHAPE_OPS

_IO_DTYPES = ("int8", "float32")


@dataclass(frozen=True)
class Step:
    """One kernel call, with the operator it came from (for comments and reports)."""

    op_index: int
    op_name: str
    call: KernelCall


@dataclass(frozen=True)
class LoweredModel:
    graph: Graph
    steps: tuple[Step, ...]
    storage: dict[int, int]  # activation tensor index -> tensor whose bytes it uses
    input: int
    output: int


def lower_graph(graph: Graph) -> LoweredModel:
    """Lower the live operators of ``graph`` to kernel calls, in execution order."""
    if len(graph.inputs) != 1 or len(graph.outputs) != 1:
        raise CodegenError(
            f"the model has {len(graph.inputs)} inputs and {len(graph.outputs)} outputs; "
            "the code generator supports exactly one of each"
        )
    model_input, model_output = graph.inputs[0], graph.outputs[0]
    for role, index in (("input", model_input), ("output", model_output)):
        dtype = graph.tensors[index].dtype
        if dtype not in _IO_DTYPES:
            raise CodegenError(f"the model {role} is {dtype}; only int8 and float32 are supported")
    live = _live_operators(graph)
    for op in live:  # report an unsupported op before anything else goes wrong
        if op.name not in LOWERINGS and op.name not in RESHAPE_OPS:
            raise UnsupportedOpError(op.name)

    storage: dict[int, int] = {model_input: model_input}
    steps: list[Step] = []
    for op in live:
        source = op.inputs[0]
        if source not in storage and not graph.tensors[source].is_constant:
            raise CodegenError(f"operator {op.name} reads tensor {source} before it is computed")
        if op.name in RESHAPE_OPS:
            steps.extend(_lower_reshape(graph, op, storage, model_output))
            continue
        call = LOWERINGS[op.name](graph, op)
        if graph.tensors[call.input].is_constant:
            raise UnsupportedOpError(op.name, "a constant activation input")
        storage[call.output] = call.output
        steps.append(Step(op.index, op.name, call))
    if model_output not in storage:
        raise CodegenError("the model output is not computed by any operator")
    return LoweredModel(graph, tuple(steps), storage, model_input, model_output)


def _live_operators(graph: Graph) -> list[Operator]:
    needed = set(graph.outputs)
    live: list[Operator] = []
    for op in reversed(graph.operators):
        if not needed.intersection(op.outputs):
            continue
        live.append(op)
        data_inputs = op.inputs[:1] if op.name in RESHAPE_OPS else op.inputs
        needed.update(i for i in data_inputs if i >= 0)
    return live[::-1]


def _lower_reshape(graph: Graph, op: Operator, storage: dict[int, int], model_output: int) -> list[Step]:
    source, target = op.inputs[0], op.outputs[0]
    src, dst = graph.tensors[source], graph.tensors[target]
    if src.size != dst.size or src.dtype != dst.dtype:
        raise UnsupportedOpError(op.name, f"shape {list(src.shape)} to {list(dst.shape)}")
    if target != model_output:
        storage[target] = storage[source]
        return []
    # The caller's output buffer must receive the bytes: copy instead of aliasing.
    storage[target] = target
    itemsize = 4 if dst.dtype == "float32" else 1
    call = KernelCall(kernel="copy", input=source, output=target, fields=(("bytes", dst.size * itemsize),))
    return [Step(op.index, op.name, call)]
