"""Build Keras models from a learning block's architecture spec.

Every layer gets a fixed name so the converted tflite model (whose tensor names come from the
layer names) is byte-identical from run to run in the same process.
"""

from __future__ import annotations

from typing import Any, Literal

import keras

from backend.blocks.learning import CONV_TYPES, input_grid, validate_architecture

Head = Literal["softmax", "linear"]


def build_model(
    architecture: list[dict[str, Any]],
    input_size: int,
    n_outputs: int,
    *,
    axes: int | None = None,
    head: Head = "softmax",
) -> keras.Model:
    """A model with a flat float input [input_size] and n_outputs outputs.

    Dense layers use ReLU. With conv layers the flat input is framed: rows stored one after the
    other (a raw window interleaved x0, y0, z0, x1, ...; audio frame after frame). The model
    reshapes it itself, so the tflite input stays flat: to [rows, columns] for conv1d and to
    [rows, columns, 1] for conv2d, where columns = `axes` (the input's own: axes of a raw window,
    coefficients of an audio frame) unless a reshape layer names its own. Convs use 'same'
    padding and ReLU, each followed by max pooling.
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
    for i, layer in enumerate(layers):
        if layer["type"] in CONV_TYPES:
            conv_layer, pool_layer = (
                (keras.layers.Conv1D, keras.layers.MaxPooling1D)
                if layer["type"] == "conv1d"
                else (keras.layers.Conv2D, keras.layers.MaxPooling2D)
            )
            x = conv_layer(
                layer["filters"], layer["kernel_size"], padding="same", activation="relu", name=f"{layer['type']}_{i}"
            )(x)
            if layer["pool"] > 1:
                x = pool_layer(layer["pool"], layer["pool"], padding="same", name=f"pool_{i}")(x)
        elif layer["type"] == "flatten":
            x = keras.layers.Flatten(name=f"flatten_{i}")(x)
        elif layer["type"] == "dense":
            x = keras.layers.Dense(layer["units"], activation="relu", name=f"dense_{i}")(x)
        if layer.get("dropout"):
            x = keras.layers.Dropout(layer["dropout"], name=f"dropout_{i}")(x)
    activation = "softmax" if head == "softmax" else None
    outputs = keras.layers.Dense(n_outputs, activation=activation, name="output")(x)
    return keras.Model(inputs, outputs, name="classifier" if head == "softmax" else "regressor")
