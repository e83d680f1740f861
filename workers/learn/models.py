"""Build Keras models from a learning block's architecture spec.

Every layer gets a fixed name so the converted tflite model (whose tensor names come from the
layer names) is byte-identical from run to run in the same process.
"""

from __future__ import annotations

from typing import Any, Literal

import keras

from backend.blocks.learning import validate_architecture

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

    Dense layers use ReLU. With conv1d layers the input is a raw window stored interleaved
    (x0, y0, z0, x1, ...); the model reshapes it to [input_size / axes, axes] itself so the
    tflite input stays flat. Conv1d uses 'same' padding and ReLU, followed by max pooling.
    """
    layers = validate_architecture(architecture)
    inputs = keras.Input(shape=(input_size,), name="input")
    x = inputs
    if any(layer["type"] == "conv1d" for layer in layers):
        if not axes or input_size % axes:
            raise ValueError(
                f"conv1d layers need the number of axes of the raw window ({input_size} values, axes={axes})"
            )
        x = keras.layers.Reshape((input_size // axes, axes), name="window")(x)
    for i, layer in enumerate(layers):
        if layer["type"] == "conv1d":
            x = keras.layers.Conv1D(
                layer["filters"], layer["kernel_size"], padding="same", activation="relu", name=f"conv1d_{i}"
            )(x)
            if layer["pool"] > 1:
                x = keras.layers.MaxPooling1D(layer["pool"], layer["pool"], padding="same", name=f"pool_{i}")(x)
        elif layer["type"] == "flatten":
            x = keras.layers.Flatten(name=f"flatten_{i}")(x)
        else:
            x = keras.layers.Dense(layer["units"], activation="relu", name=f"dense_{i}")(x)
        if layer.get("dropout"):
            x = keras.layers.Dropout(layer["dropout"], name=f"dropout_{i}")(x)
    activation = "softmax" if head == "softmax" else None
    outputs = keras.layers.Dense(n_outputs, activation=activation, name="output")(x)
    return keras.Model(inputs, outputs, name="classifier" if head == "softmax" else "regressor")
