"""Keras model -> tflite flatbuffer, float32 or full-integer int8.

Both take the model with a dynamic batch dimension (shape signature [-1, n]; the tensor's
default shape is [1, n], what a microcontroller runs). Same model and data give the same bytes.
"""

from __future__ import annotations

import contextlib
import io
import warnings

import keras
import numpy as np
import tensorflow as tf

# Calibration sees every training window (a fixed sample beyond this many): a few hundred rows
# missed the extremes of small classes, and their clipped activations cost int8 accuracy.
REPRESENTATIVE_ROWS = 50_000
CALIBRATION_BATCH = 256  # rows per calibration step; min/max ranges do not depend on it


def representative_rows(x: np.ndarray, max_rows: int = REPRESENTATIVE_ROWS) -> np.ndarray:
    """Up to max_rows rows of x, picked deterministically (fixed seed), in their original order."""
    x = np.asarray(x, dtype=np.float32)
    if len(x) <= max_rows:
        return x
    pick = np.sort(np.random.default_rng(0).choice(len(x), size=max_rows, replace=False))
    return x[pick]


def _converter(model: keras.Model) -> tf.lite.TFLiteConverter:
    # from_keras_model exports a SavedModel first, which freezes the weights into constants.
    with contextlib.redirect_stdout(io.StringIO()):
        return tf.lite.TFLiteConverter.from_keras_model(model)


def _convert(converter: tf.lite.TFLiteConverter) -> bytes:
    # The converter chats on stdout/stderr and warns about input statistics; none of it is actionable.
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return bytes(converter.convert())


def to_tflite_float32(model: keras.Model) -> bytes:
    """Float32 tflite model, same math as the Keras model."""
    return _convert(_converter(model))


def to_tflite_int8(model: keras.Model, representative: np.ndarray) -> bytes:
    """Full-integer model: int8 weights and activations, int8 input and output tensors.

    representative: the model's training inputs [windows, n] (normalised features); all of them
    (up to REPRESENTATIVE_ROWS) calibrate the activation ranges. Input/output scale and zero point are in the model (see evaluate.io_details).
    """
    rows = representative_rows(representative)
    if len(rows) == 0:
        raise ValueError("int8 quantization needs representative data (the training features)")

    def dataset():
        for i in range(0, len(rows), CALIBRATION_BATCH):
            yield [rows[i : i + CALIBRATION_BATCH]]

    converter = _converter(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = dataset
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.int8
    converter.inference_output_type = tf.int8
    return _convert(converter)
