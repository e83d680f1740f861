"""The Cortex-M DSP-extension kernel paths against LiteRT's reference, bit for bit, under qemu.

The host build runs the portable C (test_nn_parity.py); arm-none-eabi-gcc -mcpu=cortex-m4 defines
__ARM_FEATURE_DSP, so the same generated files take the SXTB16/SMLAD paths here. The models use odd
channel counts and sizes that are not multiples of 4, padding and strides, so the
paired-channel, paired-pixel, scalar-tail and padding paths all run. One program, one qemu start.
"""

from __future__ import annotations

import dataclasses
import os
import shutil

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
tf = pytest.importorskip("tensorflow")
litert = pytest.importorskip("ai_edge_litert.interpreter")

from support.nn_m4 import run_models_on_m4  # noqa: E402

from workers.codegen.nn import generate_model_c  # noqa: E402
from workers.codegen.nn.host_runner import run_on_host  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (shutil.which("arm-none-eabi-gcc") and shutil.which("qemu-system-arm")),
    reason="arm-none-eabi-gcc or qemu-system-arm missing",
)
keras = tf.keras
layers = keras.layers
SAMPLES = 40


def conv1d_odd_channels():
    """Conv1D as TFLite lowers it (height 1): 13 channels in, 7, 6 and 5 out, same and valid padding,
    strides 1 and 2; a max pool over 6 channels (4 in one SIMD word + 2 scalar) with same padding."""
    return keras.Sequential(
        [
            keras.Input((21, 13)),
            layers.Conv1D(7, 3, activation="relu", padding="same"),
            layers.Conv1D(6, 5, strides=2, padding="same"),
            layers.MaxPooling1D(3, strides=2, padding="same"),
            layers.Conv1D(5, 4, strides=2),
            layers.Flatten(),
            layers.Dense(7, activation="relu"),
            layers.Dense(3, activation="softmax"),
        ]
    )


def conv2d_depthwise_odd():
    """2D convs with padding and strides, depthwise with 5 channels (4 paired + 1), depth multiplier 2,
    a strided conv and a dense layer."""
    return keras.Sequential(
        [
            keras.Input((11, 9, 3)),
            layers.Conv2D(5, 3, strides=2, padding="same"),
            layers.Conv2D(5, 3, padding="same", activation="relu6"),
            layers.DepthwiseConv2D(3, padding="same", activation="relu"),
            layers.DepthwiseConv2D((2, 3), depth_multiplier=2, strides=(1, 2)),
            layers.Conv2D(3, 2, strides=2, activation="relu"),
            layers.Flatten(),
            layers.Dense(5),
        ]
    )


def conv1d_rows_and_clamps():
    """One-row filters over a 2D input (conv1d_s8 per row): relu6 (a clamp inside int8), a row
    stride, 8 channels (two full groups of 4), 9 (a group of 1 left over), a 1x1 filter over 9
    channels (3 blocks of 4: one single step before the double ones) and same padding on both sides."""
    return keras.Sequential(
        [
            keras.Input((3, 10, 6)),
            layers.Conv2D(8, (1, 3), padding="same", activation="relu6"),
            layers.Conv2D(9, (1, 2), strides=(2, 1)),
            layers.Conv2D(4, (1, 1), activation="relu"),
            layers.Conv2D(5, (1, 5), strides=(1, 3), padding="same"),
            layers.Flatten(),
            layers.Dense(4),
        ]
    )


def int8_tflite(build) -> bytes:
    keras.utils.set_random_seed(11)
    model = build()
    rng = np.random.default_rng(11)
    model.set_weights([rng.normal(0.0, 0.4, size=w.shape).astype(np.float32) for w in model.get_weights()])
    shape = model.input_shape[1:]

    def representative():
        data = np.random.default_rng(2)
        for _ in range(24):
            yield [data.normal(0.0, 1.0, size=(1, *shape)).astype(np.float32)]

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = representative
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.int8
    converter.inference_output_type = tf.int8
    return converter.convert()


def reference(model: bytes, inputs: np.ndarray) -> np.ndarray:
    it = litert.Interpreter(model_content=model, experimental_op_resolver_type=litert.OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    (src,), (dst,) = it.get_input_details(), it.get_output_details()
    out = []
    for x in inputs:
        it.set_tensor(src["index"], x[np.newaxis])
        it.invoke()
        out.append(it.get_tensor(dst["index"])[0].copy())
    return np.stack(out)


@pytest.fixture(scope="module")
def cases():
    result = []
    for k, build in enumerate((conv1d_odd_channels, conv2d_depthwise_odd, conv1d_rows_and_clamps)):
        tflite = int8_tflite(build)
        generated = generate_model_c(tflite, prefix=f"m{k}")
        rng = np.random.default_rng(k)
        inputs = rng.integers(-128, 128, size=(SAMPLES, *generated.input_shape[1:])).astype(np.int8)
        result.append((build.__name__, tflite, generated, inputs))
    return result


def test_cortex_m4_dsp_kernels_equal_the_litert_reference_and_the_host_bit_for_bit(cases, tmp_path):
    kernels = {k for c in cases for k in c[2].kernels}
    assert {"conv1d_s8", "conv2d_s8", "depthwise_conv2d_s8", "fully_connected_s8"} <= kernels
    m4 = run_models_on_m4([(g, x) for _, _, g, x in cases], tmp_path)

    for (name, tflite, generated, inputs), actual in zip(cases, m4.outputs, strict=True):
        expected = reference(tflite, inputs)
        assert actual.dtype == np.int8
        np.testing.assert_array_equal(actual.reshape(expected.shape), expected, err_msg=name)
        host = run_on_host(generated, inputs.reshape((SAMPLES, *generated.input_shape)))
        np.testing.assert_array_equal(actual, host, err_msg=name)


def test_a_fused_activation_narrower_than_int8_clamps_the_same_on_the_dsp_path_and_the_host(cases, tmp_path):
    """Converted models clamp at the int8 limits (their output range is the activation's); here the
    conv1d layers' act_min/act_max are narrowed in the generated C, which both builds then apply."""
    _, _, generated, inputs = cases[2]
    source = generated.files["m2.c"]
    assert source.count(".act_min = -128,") >= 4
    narrowed = source.replace(".act_min = -128,", ".act_min = -20,").replace(".act_max = 127,", ".act_max = 35,")
    model = dataclasses.replace(generated, files={**generated.files, "m2.c": narrowed})
    m4 = run_models_on_m4([(model, inputs)], tmp_path)
    host = run_on_host(model, inputs.reshape((SAMPLES, *model.input_shape)))
    np.testing.assert_array_equal(m4.outputs[0], host)
    assert len(np.unique(host)) > 1
