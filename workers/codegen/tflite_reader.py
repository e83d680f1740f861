"""Read a ``.tflite`` flatbuffer into a plain Python graph.

The graph keeps only what the C code generator needs: tensors (shape, dtype,
per-tensor or per-channel quantization, constant data as numpy arrays) and
operators (builtin name, tensor indices, options as a snake_case dict).

The flatbuffer schema bindings come from ``ai_edge_litert`` (small, no
TensorFlow import); TensorFlow's copy is the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

try:  # LiteRT ships the generated schema without pulling in TensorFlow.
    from ai_edge_litert import schema_py_generated as _schema
except ImportError:  # pragma: no cover - exercised only in TF-only workers
    from tensorflow.lite.python import schema_py_generated as _schema


class ModelFormatError(ValueError):
    """The bytes are not a TFLite model this reader understands."""


_TFLITE_IDENTIFIER = b"TFL3"

_DTYPES: dict[int, tuple[str, Any]] = {
    _schema.TensorType.FLOAT32: ("float32", np.float32),
    _schema.TensorType.INT32: ("int32", np.int32),
    _schema.TensorType.UINT8: ("uint8", np.uint8),
    _schema.TensorType.INT64: ("int64", np.int64),
    _schema.TensorType.INT16: ("int16", np.int16),
    _schema.TensorType.INT8: ("int8", np.int8),
    _schema.TensorType.BOOL: ("bool", np.bool_),
    _schema.TensorType.FLOAT16: ("float16", np.float16),
    _schema.TensorType.FLOAT64: ("float64", np.float64),
}

_OPERATOR_NAMES = {value: name for name, value in vars(_schema.BuiltinOperator).items() if not name.startswith("_")}
_ACTIVATION_NAMES = {
    value: name for name, value in vars(_schema.ActivationFunctionType).items() if not name.startswith("_")
}
_PADDING_NAMES = {value: name for name, value in vars(_schema.Padding).items() if not name.startswith("_")}


@dataclass(frozen=True)
class Tensor:
    """One tensor of the graph; ``data`` is set for constants only."""

    index: int
    name: str
    shape: tuple[int, ...]
    dtype: str
    scale: np.ndarray | None = None  # float32, one value or one per channel
    zero_point: np.ndarray | None = None  # int64, same length as scale
    quantized_dimension: int = 0
    data: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def is_constant(self) -> bool:
        return self.data is not None

    @property
    def is_quantized(self) -> bool:
        return self.scale is not None and len(self.scale) > 0

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64)) if self.shape else 1


@dataclass(frozen=True)
class Operator:
    """One operator: builtin name (``CONV_2D``), tensor indices (-1 = absent), options."""

    index: int
    name: str
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    options: dict[str, Any]


@dataclass(frozen=True)
class Graph:
    """The main subgraph of a model, in execution order."""

    tensors: tuple[Tensor, ...]
    operators: tuple[Operator, ...]
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    subgraph_count: int = 1
    description: str = ""


def read_tflite(model: bytes) -> Graph:
    """Parse ``.tflite`` bytes into a :class:`Graph` (the first subgraph)."""
    if len(model) < 8 or model[4:8] != _TFLITE_IDENTIFIER:
        raise ModelFormatError("not a TFLite model (missing the TFL3 file identifier)")
    try:
        root = _schema.ModelT.InitFromPackedBuf(bytearray(model), 0)
    except Exception as exc:  # the flatbuffers runtime raises bare errors on corrupt input
        raise ModelFormatError(f"corrupt TFLite flatbuffer: {exc}") from exc
    if not root.subgraphs:
        raise ModelFormatError("the model has no subgraph")
    subgraph = root.subgraphs[0]
    buffers = [_buffer_bytes(buffer, model) for buffer in (root.buffers or [])]
    tensors = tuple(_read_tensor(i, t, buffers) for i, t in enumerate(subgraph.tensors or []))
    operators = tuple(_read_operator(i, op, root.operatorCodes or []) for i, op in enumerate(subgraph.operators or []))
    return Graph(
        tensors=tensors,
        operators=operators,
        inputs=tuple(int(i) for i in _as_list(subgraph.inputs)),
        outputs=tuple(int(i) for i in _as_list(subgraph.outputs)),
        subgraph_count=len(root.subgraphs),
        description=_text(root.description),
    )


def _buffer_bytes(buffer: Any, model: bytes) -> bytes | None:
    if buffer is None:
        return None
    if buffer.data is not None and len(buffer.data) > 0:
        return np.asarray(buffer.data, dtype=np.uint8).tobytes()
    # Models over 2 GB keep data after the flatbuffer, addressed by offset/size.
    if buffer.offset and buffer.size:
        return model[buffer.offset : buffer.offset + buffer.size]
    return None


def _read_tensor(index: int, raw: Any, buffers: list[bytes | None]) -> Tensor:
    dtype_name, np_dtype = _DTYPES.get(raw.type, (f"type{raw.type}", None))
    shape = tuple(int(d) for d in _as_list(raw.shape))
    data = None
    raw_bytes = buffers[raw.buffer] if 0 < raw.buffer < len(buffers) else None
    if raw_bytes is not None:
        if np_dtype is None:
            raise ModelFormatError(f"tensor {_text(raw.name)!r} holds constant data of unsupported type {raw.type}")
        data = np.frombuffer(raw_bytes, dtype=np.dtype(np_dtype).newbyteorder("<")).astype(np_dtype)
        data = data.reshape(shape) if shape else data.reshape(())
    scale = zero_point = None
    quantized_dimension = 0
    q = raw.quantization
    if q is not None and q.scale is not None and len(q.scale) > 0:
        scale = np.asarray(q.scale, dtype=np.float32)
        zps = q.zeroPoint if q.zeroPoint is not None else np.zeros(len(scale))
        zero_point = np.asarray(zps, dtype=np.int64)
        quantized_dimension = int(q.quantizedDimension)
    return Tensor(
        index=index,
        name=_text(raw.name),
        shape=shape,
        dtype=dtype_name,
        scale=scale,
        zero_point=zero_point,
        quantized_dimension=quantized_dimension,
        data=data,
    )


def _read_operator(index: int, raw: Any, codes: list[Any]) -> Operator:
    code = codes[raw.opcodeIndex]
    builtin = max(int(code.builtinCode), int(code.deprecatedBuiltinCode))
    if builtin == _schema.BuiltinOperator.CUSTOM:
        name = f"CUSTOM:{_text(code.customCode)}"
    else:
        name = _OPERATOR_NAMES.get(builtin, f"BUILTIN_{builtin}")
    return Operator(
        index=index,
        name=name,
        inputs=tuple(int(i) for i in _as_list(raw.inputs)),
        outputs=tuple(int(i) for i in _as_list(raw.outputs)),
        options=_read_options(raw.builtinOptions),
    )


def _read_options(options: Any) -> dict[str, Any]:
    if options is None:
        return {}
    result: dict[str, Any] = {}
    for key, value in sorted(vars(options).items()):
        name = _snake_case(key)
        if name == "fused_activation_function":
            result["fused_activation"] = _ACTIVATION_NAMES.get(value, f"ACTIVATION_{value}")
        elif name == "padding":
            result["padding"] = _PADDING_NAMES.get(value, f"PADDING_{value}")
        elif isinstance(value, np.ndarray):
            result[name] = tuple(value.tolist())
        elif isinstance(value, (int, float, bool)) or value is None:
            result[name] = value
        # Nested tables (e.g. quant specs) are not needed by the code generator.
    return result


def _snake_case(name: str) -> str:
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)  # dilationHFactor -> dilationH_Factor
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def _as_list(values: Any) -> list[Any]:
    return [] if values is None else list(values)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
