"""Generated C against LiteRT's reference kernels, on real Keras models.

int8 models must match BUILTIN_REF bit for bit; float32 models within 1e-5.
"""

from __future__ import annotations

import functools
import os

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
tf = pytest.importorskip("tensorflow")
litert = pytest.importorskip("ai_edge_litert.interpreter")

from workers.codegen.nn import generate_model_c  # noqa: E402
from workers.codegen.nn.host_runner import run_on_host  # noqa: E402

keras = tf.keras
layers = keras.layers
SAMPLES = 300


def dense_softmax():
    """The standard motion impulse: 33 features -> 20 -> 10 -> 4 classes."""
    return keras.Sequential(
        [
            keras.Input((33,)),
            layers.Dense(20, activation="relu"),
            layers.Dense(10, activation="relu"),
            layers.Dense(4, activation="softmax"),
        ]
    )


def dense_relu6_dropout():
    return keras.Sequential(
        [
            keras.Input((33,)),
            layers.Dense(16, activation="relu6"),
            layers.Dropout(0.25),
            layers.Dense(8, activation="relu6"),
            layers.Dense(3),
        ]
    )


def conv1d_maxpool_flatten():
    return keras.Sequential(
        [
            keras.Input((125, 3)),
            layers.Conv1D(8, 3, activation="relu", padding="same"),
            layers.MaxPooling1D(2),
            layers.Conv1D(8, 3, activation="relu"),
            layers.MaxPooling1D(2),
            layers.Flatten(),
            layers.Dropout(0.2),
            layers.Dense(4, activation="softmax"),
        ]
    )


def conv2d_depthwise_avgpool_gap():
    return keras.Sequential(
        [
            keras.Input((16, 16, 2)),
            layers.Conv2D(4, 3, strides=2, activation="relu6", padding="same"),
            layers.DepthwiseConv2D(3, depth_multiplier=2, activation="relu"),
            layers.AveragePooling2D(2),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ]
    )


def conv1d_strided_avgpool_gap():
    return keras.Sequential(
        [
            keras.Input((40, 3)),
            layers.Conv1D(6, 5, strides=2, padding="same", activation="relu"),
            layers.AveragePooling1D(3, strides=2, padding="same"),
            layers.GlobalAveragePooling1D(),
            layers.Dense(4, activation="softmax"),
        ]
    )


def conv2d_maxpool_same():
    return keras.Sequential(
        [
            keras.Input((12, 12, 1)),
            layers.Conv2D(4, (3, 2), padding="same"),
            layers.MaxPooling2D(3, strides=2, padding="same"),
            layers.Flatten(),
            layers.Dense(5),
        ]
    )


def reshape_conv1d():
    return keras.Sequential(
        [
            keras.Input((24,)),
            layers.Reshape((6, 4)),
            layers.Conv1D(4, 2, activation="relu"),
            layers.Flatten(),
            layers.Dense(2),
        ]
    )


MODELS = {
    f.__name__: f
    for f in (
        dense_softmax,
        dense_relu6_dropout,
        conv1d_maxpool_flatten,
        conv2d_depthwise_avgpool_gap,
        conv1d_strided_avgpool_gap,
        conv2d_maxpool_same,
        reshape_conv1d,
    )
}


@functools.cache
def tflite_model(name: str, kind: str) -> bytes:
    """Build ``name`` with random weights (non-zero biases too) and convert it.

    kind: "int8" (full integer), "int8_float_io" (int8 inside, float32 in and out) or "float32".
    """
    keras.utils.set_random_seed(7)
    model = MODELS[name]()
    rng = np.random.default_rng(7)
    model.set_weights([rng.normal(0.0, 0.4, size=w.shape).astype(np.float32) for w in model.get_weights()])
    shape = model.input_shape[1:]
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if kind != "float32":

        def representative():
            data = np.random.default_rng(1)
            for _ in range(32):
                yield [data.normal(0.0, 1.0, size=(1, *shape)).astype(np.float32)]

        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        if kind == "int8":
            converter.inference_input_type = tf.int8
            converter.inference_output_type = tf.int8
    return converter.convert()


def reference_outputs(model: bytes, inputs: np.ndarray) -> np.ndarray:
    interpreter = litert.Interpreter(
        model_content=model, experimental_op_resolver_type=litert.OpResolverType.BUILTIN_REF
    )
    interpreter.allocate_tensors()
    (source,) = interpreter.get_input_details()
    (target,) = interpreter.get_output_details()
    outputs = []
    for x in inputs:
        interpreter.set_tensor(source["index"], x[np.newaxis])
        interpreter.invoke()
        outputs.append(interpreter.get_tensor(target["index"])[0].copy())
    return np.stack(outputs)


def random_inputs(generated, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    shape = (SAMPLES, *generated.input_shape[1:])
    if generated.input_dtype == "int8":
        return rng.integers(-128, 128, size=shape).astype(np.int8)
    return rng.normal(0.0, 1.5, size=shape).astype(np.float32)


def generated_outputs(generated, inputs: np.ndarray) -> np.ndarray:
    batch = inputs.reshape((len(inputs), *generated.input_shape))
    return run_on_host(generated, batch).reshape((len(inputs), *generated.output_shape[1:]))


@pytest.mark.parametrize("name", MODELS)
def test_int8_model_matches_litert_reference_bit_for_bit(name):
    model = tflite_model(name, "int8")
    generated = generate_model_c(model)
    inputs = random_inputs(generated)

    expected = reference_outputs(model, inputs)
    actual = generated_outputs(generated, inputs)

    assert actual.dtype == np.int8
    np.testing.assert_array_equal(actual, expected)


@pytest.mark.parametrize("name", MODELS)
def test_float32_model_matches_litert_within_1e_5(name):
    model = tflite_model(name, "float32")
    generated = generate_model_c(model)
    inputs = random_inputs(generated)

    expected = reference_outputs(model, inputs)
    actual = generated_outputs(generated, inputs)

    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", ["dense_softmax", "conv2d_depthwise_avgpool_gap"])
def test_int8_model_with_float_io_quantizes_and_dequantizes_like_litert(name):
    model = tflite_model(name, "int8_float_io")
    generated = generate_model_c(model)
    inputs = random_inputs(generated)

    expected = reference_outputs(model, inputs)
    actual = generated_outputs(generated, inputs)

    assert generated.operators[0] == "QUANTIZE" and generated.operators[-1] == "DEQUANTIZE"
    np.testing.assert_array_equal(actual, expected)
