"""The neural network of a learning block: its layers, their settings, and the shape of the data
through them, declared once for the API (validation, the estimate before training), the UI (the
layer editor) and the workers (the Keras builder, workers/learn/models.py).

Pure Python (no numpy, no TensorFlow). `trace` mirrors what Keras builds from the same spec: the
output shape and parameter count of every layer (tests/workers/learn/test_network_trace.py builds
the Keras model and compares).

A spec is a list of layer dicts. Order: an optional reshape (first), conv1d or conv2d layers (not
both) with pooling and dropout between them, one flatten, then dense and dropout layers. The
output layer (softmax or linear) is not listed: the trainer adds it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from backend.blocks.params import BlockParamError

LAYER_TYPES = ("reshape", "conv1d", "conv2d", "max_pool", "avg_pool", "dropout", "flatten", "dense")
CONV_TYPES = ("conv1d", "conv2d")
POOL_TYPES = ("max_pool", "avg_pool")
# What the C code generator runs fused into a conv or dense layer (workers/codegen/nn/ops).
ACTIVATIONS = ("relu", "relu6", "none")
MAX_LAYERS = 16

# Per layer type: allowed keys with (kind, default, min, max). Kind "int", "float" or "activation".
# Default None: required. Keys in OPTIONAL are stored only when given (older specs stay as they were).
_CONV_FIELDS: dict[str, tuple[str, Any, float, float]] = {
    "filters": ("int", None, 1, 256),
    "kernel_size": ("int", 3, 1, 64),  # conv2d: a square kernel
    "stride": ("int", 1, 1, 16),
    "activation": ("activation", "relu", 0, 0),
    "pool": ("int", 2, 1, 16),  # max-pool size and stride after the conv ('same'); 1 = no pooling
    "dropout": ("float", 0.0, 0.0, 0.9),
}
_POOL_FIELDS: dict[str, tuple[str, Any, float, float]] = {
    "pool_size": ("int", 2, 1, 64),
    "stride": ("int", 0, 0, 64),  # 0: the pool size (windows side by side)
}
LAYER_FIELDS: dict[str, dict[str, tuple[str, Any, float, float]]] = {
    # rows x columns (conv1d: steps x channels; conv2d: an image of one channel). 0 = the input's
    # own columns: the axes of a raw window, the coefficients per frame of an audio block.
    "reshape": {"columns": ("int", 0, 0, 4096)},
    "conv1d": _CONV_FIELDS,
    "conv2d": _CONV_FIELDS,
    "max_pool": _POOL_FIELDS,
    "avg_pool": _POOL_FIELDS,
    "dropout": {"rate": ("float", 0.25, 0.0, 0.9)},
    "flatten": {},
    "dense": {
        "units": ("int", None, 1, 1024),
        "activation": ("activation", "relu", 0, 0),
        "dropout": ("float", 0.0, 0.0, 0.9),
    },
}
OPTIONAL = frozenset({"stride", "activation"})

# Plain words for the layer editor (layer_catalogue).
LAYER_LABELS = {
    "reshape": ("Reshape", "Cuts the flat input into rows (time steps) of columns for the conv layers."),
    "conv1d": ("1-D convolution", "Filters sliding along the rows (time): finds short patterns in time."),
    "conv2d": ("2-D convolution", "Filters sliding over rows and columns: finds patterns in an image-like input."),
    "max_pool": (
        "Max pooling",
        "Keeps the largest value of each group of rows (and columns): a smaller, coarser output.",
    ),
    "avg_pool": ("Average pooling", "Averages each group of rows (and columns): a smaller, smoother output."),
    "dropout": (
        "Dropout",
        "While training, drops a fraction of the values at random so the network does not memorise.",
    ),
    "flatten": ("Flatten", "Turns the rows and columns into one flat list for the dense layers."),
    "dense": ("Dense", "Every output looks at every input: the classic fully connected layer."),
}
FIELD_LABELS = {
    "columns": ("Columns per row", "0: the input's own (axes of a raw window, coefficients of an audio frame)."),
    "filters": ("Filters", "How many patterns the layer learns; each gives one output channel."),
    "kernel_size": ("Kernel size", "How many rows (conv2d: rows and columns) each filter looks at."),
    "stride": ("Stride", "Rows the filter or pool moves between outputs (pooling: 0 = its size)."),
    "activation": ("Activation", "relu: negative outputs become 0; relu6: also capped at 6; none: linear."),
    "pool": ("Built-in max pooling", "Max-pools the conv's output by this factor (1 = none)."),
    "dropout": ("Built-in dropout", "Fraction dropped after this layer while training (0 = none)."),
    "pool_size": ("Pool size", "How many rows (and columns) are pooled into one."),
    "rate": ("Rate", "Fraction of the values dropped while training."),
    "units": ("Neurons", "How many outputs the layer has."),
}


def layer_catalogue() -> dict[str, Any]:
    """The layer types and their settings, for the UI's layer editor (GET /api/blocks)."""
    return {
        "max_layers": MAX_LAYERS,
        "activations": list(ACTIVATIONS),
        "optional": sorted(OPTIONAL),
        "layers": [
            {
                "type": kind,
                "label": LAYER_LABELS[kind][0],
                "help": LAYER_LABELS[kind][1],
                "fields": [
                    {
                        "name": name,
                        "kind": value_kind,
                        "default": default,
                        "min": lo,
                        "max": hi,
                        "label": FIELD_LABELS[name][0],
                        "help": FIELD_LABELS[name][1],
                    }
                    for name, (value_kind, default, lo, hi) in fields.items()
                ],
            }
            for kind, fields in LAYER_FIELDS.items()
        ],
    }


def _field_value(where: str, name: str, value: Any, kind: str, lo: float, hi: float) -> Any:
    field_name = f"{where}.{name}"
    if kind == "activation":
        if value not in ACTIVATIONS:
            raise BlockParamError(field_name, f"must be one of {', '.join(ACTIVATIONS)}, got {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BlockParamError(field_name, f"must be a number, got {value!r}")
    if kind == "int":
        if float(value) != int(value):
            raise BlockParamError(field_name, f"must be a whole number, got {value!r}")
        value = int(value)
    else:
        value = float(value)
        if value != value:
            raise BlockParamError(field_name, "must be a finite number")
    if value < lo:
        raise BlockParamError(field_name, f"must be at least {lo:g}, got {value}")
    if value > hi:
        raise BlockParamError(field_name, f"must be at most {hi:g}, got {value}")
    return value


def _layer(layer: Any, here: str) -> dict[str, Any]:
    if not isinstance(layer, dict):
        raise BlockParamError(here, "must be an object with a 'type'")
    kind = layer.get("type")
    if kind not in LAYER_TYPES:
        raise BlockParamError(f"{here}.type", f"must be one of {', '.join(LAYER_TYPES)}, got {kind!r}")
    fields = LAYER_FIELDS[kind]
    unknown = sorted(set(layer) - set(fields) - {"type"})
    if unknown:
        raise BlockParamError(f"{here}.{unknown[0]}", f"is not a setting of a {kind} layer")
    norm: dict[str, Any] = {"type": kind}
    for name, (value_kind, default, lo, hi) in fields.items():
        if name in layer:
            norm[name] = _field_value(here, name, layer[name], value_kind, lo, hi)
        elif default is None:
            raise BlockParamError(f"{here}.{name}", f"is required for a {kind} layer")
        elif name not in OPTIONAL:
            norm[name] = default
    return norm


def validate_architecture(value: Any, where: str = "architecture") -> list[dict[str, Any]]:
    """Normalise a list of layer dicts (fill per-layer defaults) or raise BlockParamError naming
    the layer and field. Checks the order of the layers; shapes need the input (see `trace`)."""
    if not isinstance(value, (list, tuple)):
        raise BlockParamError(where, "must be a list of layers")
    if len(value) > MAX_LAYERS:
        raise BlockParamError(where, f"must have at most {MAX_LAYERS} layers, got {len(value)}")
    out: list[dict[str, Any]] = []
    stage = "conv"  # conv -> (flatten) -> dense
    for i, raw in enumerate(value):
        here = f"{where}[{i}]"
        layer = _layer(raw, here)
        kind = layer["type"]
        convs = {x["type"] for x in out if x["type"] in CONV_TYPES}
        if kind == "reshape" and out:
            raise BlockParamError(f"{here}.type", "reshape must be the first layer")
        if kind in CONV_TYPES:
            if stage != "conv":
                raise BlockParamError(f"{here}.type", f"{kind} layers must come before flatten and dense layers")
            if convs - {kind}:
                raise BlockParamError(f"{here}.type", "use either conv1d or conv2d layers, not both")
        if kind in POOL_TYPES and (stage != "conv" or not convs):
            raise BlockParamError(f"{here}.type", "pooling belongs after a conv layer, before flatten")
        if kind == "flatten":
            if stage != "conv" or not convs:
                raise BlockParamError(f"{here}.type", "flatten belongs right after the conv layers")
            stage = "flat"
        if kind == "dense":
            if stage == "conv" and convs:
                raise BlockParamError(f"{here}.type", "add a flatten layer between conv and dense layers")
            if stage == "conv" and out and out[0]["type"] == "reshape":
                raise BlockParamError(
                    f"{where}[0].type", "reshape is for conv layers; dense layers take the flat input"
                )
            stage = "dense"
        out.append(layer)
    if out and stage == "conv" and any(x["type"] in CONV_TYPES for x in out):
        raise BlockParamError(f"{where}[{len(out) - 1}]", "end the conv stack with a flatten layer")
    if out and out[0]["type"] == "reshape" and not any(x["type"] in CONV_TYPES for x in out):
        raise BlockParamError(f"{where}[0].type", "reshape is for conv layers: add conv1d or conv2d layers after it")
    return out


def input_grid(architecture: list[dict[str, Any]], features: int, columns: int | None) -> tuple[int, int]:
    """(rows, columns) the conv layers see: the flat input of `features` values cut into rows.

    columns: the input's own (axes of a raw window, coefficients of an audio frame), used unless
    a reshape layer names its own. Raises ValueError with the reason when it does not divide.
    """
    reshape = architecture[0] if architecture and architecture[0]["type"] == "reshape" else None
    cols = reshape["columns"] if reshape and reshape["columns"] else columns
    if not cols:
        raise ValueError(f"the input of {features} values has no known row length: give the reshape layer its columns")
    if features % cols:
        raise ValueError(f"the input of {features} values does not divide into rows of {cols} columns")
    return features // cols, cols


@dataclass
class LayerTrace:
    """One layer as Keras builds it: its output shape (without the batch), weights and work."""

    index: int  # position in the spec; None for the output layer the trainer adds
    type: str
    output_shape: tuple[int, ...] | None = None
    params: int = 0
    macs: int = 0  # multiply-accumulates per inference
    outputs: int = 0  # values computed by a kernel (conv, dense, pooling), for the cost model
    error_field: str | None = None
    error: str | None = None
    channels: int = 0  # output channels of a conv or dense layer (per-channel quantization)
    buffers: list[int] = field(default_factory=list)  # values of each tensor it computes, in order
    # a conv whose filter is one row high (conv1d, or a 1 x 1 conv2d): (output pixels, inputs per
    # output); the generated int8 code runs it with its own kernel (workers/codegen/nn/ops/conv1d.py)
    row_filter: tuple[int, int] | None = None
    pool_outputs: int = 0  # values of the max pooling it does (a max_pool layer, or a conv's own pool)


def _size(spatial: tuple[int, ...]) -> str:
    if len(spatial) == 1:
        return f"{spatial[0]} row{'s' if spatial[0] != 1 else ''}"
    return " x ".join(str(n) for n in spatial) + " input"


def _conv(layer: dict[str, Any], shape: tuple[int, ...], where: str, t: LayerTrace) -> tuple[int, ...] | None:
    k, s, f = layer["kernel_size"], layer.get("stride", 1), layer["filters"]
    spatial, channels = shape[:-1], shape[-1]
    if any(k > n for n in spatial):
        t.error_field, t.error = (
            f"{where}.kernel_size",
            f"the kernel ({k}) is larger than the {_size(spatial)} it gets: use a kernel of at most "
            f"{min(spatial)} or pool less before it",
        )
        return None
    out = tuple(-(-n // s) for n in spatial)  # 'same' padding: ceil(n / stride)
    per_output = k ** len(spatial) * channels
    t.params = per_output * f + f
    t.macs = math.prod(out) * f * per_output
    t.outputs = math.prod(out) * f
    t.channels = f
    t.buffers = [t.outputs]
    if len(spatial) == 1 or k == 1:
        t.row_filter = (math.prod(out), per_output)
    if layer["pool"] > 1:  # the conv's own max pooling, 'same' padding
        out = tuple(-(-n // layer["pool"]) for n in out)
        t.buffers.append(math.prod(out) * f)
        t.outputs += t.buffers[-1]
        t.pool_outputs = t.buffers[-1]
    return (*out, f)


def _pool(layer: dict[str, Any], shape: tuple[int, ...], where: str, t: LayerTrace) -> tuple[int, ...] | None:
    p = layer["pool_size"]
    s = layer.get("stride") or p
    spatial = shape[:-1]
    if any(p > n for n in spatial):
        t.error_field, t.error = (
            f"{where}.pool_size",
            f"pooling {p} at a time leaves nothing of the {_size(spatial)} it gets: use a pool size of at "
            f"most {min(spatial)}",
        )
        return None
    out = tuple((n - p) // s + 1 for n in spatial)  # 'valid' padding, like Keras' default
    t.outputs = math.prod(out) * shape[-1]
    t.pool_outputs = t.outputs if layer["type"] == "max_pool" else 0
    t.buffers = [t.outputs]
    return (*out, shape[-1])


def _index_of(architecture: list[dict[str, Any]], kind: str) -> int:
    return next(i for i, x in enumerate(architecture) if x["type"] == kind)


def trace(
    architecture: list[dict[str, Any]],
    features: int,
    columns: int | None,
    n_outputs: int | None = None,
    where: str = "architecture",
) -> list[LayerTrace]:
    """Each layer of a normalised spec (validate_architecture) on an input of `features` values,
    and the output layer when `n_outputs` is given. The first layer whose input it cannot take gets
    `error` (and `error_field`, e.g. architecture[2].kernel_size); the layers after it have no shape."""
    shape: tuple[int, ...] | None = (features,)
    conv = next((x["type"] for x in architecture if x["type"] in CONV_TYPES), None)
    out: list[LayerTrace] = []
    grid_error: tuple[int, str, str] | None = None  # (layer, field, message)
    if conv:
        try:
            rows, cols = input_grid(architecture, features, columns)
            shape = (rows, cols) if conv == "conv1d" else (rows, cols, 1)
        except ValueError as e:
            shape = None
            at = 0 if architecture[0]["type"] == "reshape" else _index_of(architecture, conv)
            grid_error = (
                at,
                f"{where}[{at}].{'columns' if at == 0 and architecture[0]['type'] == 'reshape' else 'type'}",
                str(e),
            )
    for i, layer in enumerate(architecture):
        t = LayerTrace(i, layer["type"])
        out.append(t)
        if grid_error and grid_error[0] == i:
            t.error_field, t.error = grid_error[1], grid_error[2]
        if shape is None:
            continue
        here = f"{where}[{i}]"
        kind = layer["type"]
        if kind in CONV_TYPES:
            shape = _conv(layer, shape, here, t)
        elif kind in POOL_TYPES:
            shape = _pool(layer, shape, here, t)
        elif kind == "flatten":
            shape = (math.prod(shape),)
        elif kind == "dense":
            if len(shape) != 1:
                t.error_field, t.error = f"{here}.type", "dense layers take a flat input: add a flatten layer before"
                shape = None
            else:
                t.params = shape[0] * layer["units"] + layer["units"]
                t.macs = shape[0] * layer["units"]
                t.outputs = layer["units"]
                t.channels = layer["units"]
                t.buffers = [t.outputs]
                shape = (layer["units"],)
        t.output_shape = shape
    if n_outputs is not None:
        t = LayerTrace(None, "output")  # type: ignore[arg-type]
        if shape is not None and len(shape) == 1:
            t.params, t.macs, t.outputs, t.channels = (
                shape[0] * n_outputs + n_outputs,
                shape[0] * n_outputs,
                n_outputs,
                n_outputs,
            )
            t.buffers = [n_outputs]
            t.output_shape = (n_outputs,)
        out.append(t)
    return out


def first_error(layers: list[LayerTrace]) -> BlockParamError | None:
    for t in layers:
        if t.error:
            return BlockParamError(t.error_field or "architecture", t.error)
    return None
