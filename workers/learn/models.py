"""Build Keras models from a learning block's architecture spec.

Every layer gets a fixed name so the converted tflite model (whose tensor names come from the
layer names) is byte-identical from run to run in the same process.
"""

from __future__ import annotations

from typing import Any, Literal

import keras

from backend.blocks.network import CONV_TYPES, POOL_TYPES, input_grid, validate_architecture

Head = Literal["softmax", "linear"]
_POOLS = {
    "max_pool": {1: keras.layers.MaxPooling1D, 2: keras.layers.MaxPooling2D},
    "avg_pool": {1: keras.layers.AveragePooling1D, 2: keras.layers.AveragePooling2D},
}


def _activation(layer: dict[str, Any]) -> str | None:
    act = layer.get("activation", "relu")
    return None if act == "none" else act


def build_model(
    architecture: list[dict[str, Any]],
    input_size: int,
    n_outputs: int,
    *,
    axes: int | None = None,
    head: Head = "softmax",
) -> keras.Model:
    """A model with a flat float input [input_size] and n_outputs outputs.

    Conv and dense layers use ReLU unless their `activation` says otherwise. With conv layers the
    flat input is framed: rows stored one after the other (a raw window interleaved x0, y0, z0, x1, ...; audio frame after frame). The model
    reshapes it itself, so the tflite input stays flat: to [rows, columns] for conv1d and to
    [rows, columns, 1] for conv2d, where columns = `axes` (the input's own: axes of a raw window,
    coefficients of an audio frame) unless a reshape layer names its own. Convs use 'same'
    padding (their `pool` max-pools with 'same' padding); pooling layers use 'valid' padding, as
    network.trace assumes.
    """
    layers = validate_architecture(architecture)
    inputs = keras.Input(shape=(input_size,), name="input")
    x = inputs
    conv = next((layer["type"] for layer in layers if layer["type"] in CONV_TYPES), None)
    if conv:
        try:
            rows, cols = input_grid(layers, input_size, axes)
        except ValueError as e:
            raise ValueError(f"conv layers need framed input: {e}") from None
        shape = (rows, cols) if conv == "conv1d" else (rows, cols, 1)
        x = keras.layers.Reshape(shape, name="window")(x)
    dims = 1 if conv == "conv1d" else 2
    for i, layer in enumerate(layers):
        kind = layer["type"]
        if kind in CONV_TYPES:
            conv_layer, pool_layer = (
                (keras.layers.Conv1D, keras.layers.MaxPooling1D)
                if kind == "conv1d"
                else (keras.layers.Conv2D, keras.layers.MaxPooling2D)
            )
            x = conv_layer(
                layer["filters"],
                layer["kernel_size"],
                strides=layer.get("stride", 1),
                padding="same",
                activation=_activation(layer),
                name=f"{kind}_{i}",
            )(x)
            if layer["pool"] > 1:
                x = pool_layer(layer["pool"], layer["pool"], padding="same", name=f"pool_{i}")(x)
        elif kind in POOL_TYPES:
            pool_layer = _POOLS[kind][dims]
            size = layer["pool_size"]
            x = pool_layer(size, layer.get("stride") or size, padding="valid", name=f"{kind}_{i}")(x)
        elif kind == "dropout":
            x = keras.layers.Dropout(layer["rate"], name=f"dropout_{i}")(x)
        elif kind == "flatten":
            x = keras.layers.Flatten(name=f"flatten_{i}")(x)
        elif kind == "dense":
            x = keras.layers.Dense(layer["units"], activation=_activation(layer), name=f"dense_{i}")(x)
        if layer.get("dropout"):
            x = keras.layers.Dropout(layer["dropout"], name=f"dropout_{i}")(x)
    activation = "softmax" if head == "softmax" else None
    outputs = keras.layers.Dense(n_outputs, activation=activation, name="output")(x)
    return keras.Model(inputs, outputs, name="classifier" if head == "softmax" else "regressor")
