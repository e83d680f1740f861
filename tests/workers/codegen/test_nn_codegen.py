"""The NN code generator's own behaviour: errors, stable output, portability, sizes."""

from __future__ import annotations

import functools
import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from workers.codegen.nn import UnsupportedOpError, generate_model_c, quantization
from workers.codegen.nn.host_runner import STRICT_CFLAGS
from workers.codegen.nn.kernel_sources import kernel_source
from workers.codegen.tflite_reader import ModelFormatError, read_tflite

M4_FLAGS = ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16", "-Os", "-std=c99"]
HAS_ARM_GCC = shutil.which("arm-none-eabi-gcc") is not None


@functools.cache
def keras_model(kind: str, activation: str = "relu", output: str = "softmax") -> bytes:
    """33 -> 20 -> 10 -> 4, the standard motion impulse; kind is "int8" or "float32"."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = pytest.importorskip("tensorflow")
    keras = tf.keras
    keras.utils.set_random_seed(3)
    model = keras.Sequential(
        [
            keras.Input((33,)),
            keras.layers.Dense(20, activation=activation),
            keras.layers.Dense(10, activation=activation),
            keras.layers.Dense(4, activation=output),
        ]
    )
    rng = np.random.default_rng(3)
    model.set_weights([rng.normal(0.0, 0.4, size=w.shape).astype(np.float32) for w in model.get_weights()])
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if kind == "int8":

        def representative():
            for _ in range(16):
                yield [rng.normal(size=(1, 33)).astype(np.float32)]

        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    return converter.convert()


def write(files: dict[str, str], directory: Path) -> None:
    for name, text in files.items():
        (directory / name).write_text(text)


def test_unsupported_operator_fails_generation_naming_the_operator():
    model = keras_model("float32", activation="tanh")

    with pytest.raises(UnsupportedOpError, match="operator TANH is not supported by the TinyForge code generator"):
        generate_model_c(model)


def test_bytes_that_are_not_a_tflite_model_are_refused():
    with pytest.raises(ModelFormatError):
        generate_model_c(b"\x00" * 64)


def test_generating_twice_gives_the_same_bytes():
    model = keras_model("int8")

    first, second = generate_model_c(model), generate_model_c(model)

    assert first.files == second.files
    assert sorted(first.files) == ["tf_model.c", "tf_model.h", "tf_model_weights.h"]


def test_motion_impulse_needs_a_small_arena_and_only_its_kernels():
    generated = generate_model_c(keras_model("int8"))

    assert generated.arena_size <= 64  # two live activations at most: 20 + 10 bytes, aligned
    assert generated.kernels == ("fully_connected_s8", "softmax_s8")
    assert "conv2d" not in generated.files["tf_model.c"]
    assert generated.input_shape == (1, 33) and generated.output_shape == (1, 4)
    assert generated.output_scale == pytest.approx(1 / 256) and generated.output_zero_point == -128
    header = generated.files["tf_model.h"]
    for macro in ("INPUT_SIZE 33", "OUTPUT_SIZE 4", "INPUT_SCALE", "INPUT_ZERO_POINT", "OUTPUT_ZERO_POINT -128"):
        assert f"#define TF_MODEL_{macro}" in header
    assert f"#define TF_MODEL_ARENA_SIZE {generated.arena_size}" in header


def test_float_and_int8_models_with_different_prefixes_link_into_one_program(tmp_path):
    int8 = generate_model_c(keras_model("int8"), prefix="nn_int8")
    float32 = generate_model_c(keras_model("float32"), prefix="nn_float")
    write(int8.files, tmp_path)
    write(float32.files, tmp_path)
    (tmp_path / "main.c").write_text(
        '#include <stdio.h>\n#include "nn_int8.h"\n#include "nn_float.h"\n'
        "int main(void)\n{\n"
        "    static int8_t qin[NN_INT8_INPUT_SIZE], qout[NN_INT8_OUTPUT_SIZE];\n"
        "    static float fin[NN_FLOAT_INPUT_SIZE], fout[NN_FLOAT_OUTPUT_SIZE];\n"
        "    int rc = nn_int8_invoke(qin, qout) | nn_float_invoke(fin, fout);\n"
        '    printf("%d %d\\n", rc, nn_int8_invoke(NULL, qout));\n'
        "    return 0;\n}\n"
    )
    exe = tmp_path / "both"
    sources = [str(tmp_path / n) for n in ("main.c", "nn_int8.c", "nn_float.c")]
    subprocess.run(["gcc", *STRICT_CFLAGS, "-o", str(exe), *sources, "-lm"], check=True, capture_output=True)

    assert subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout == "0 -1\n"


@pytest.mark.skipif(not HAS_ARM_GCC, reason="arm-none-eabi-gcc not installed")
@pytest.mark.parametrize("kind", ["int8", "float32"])
def test_generated_code_compiles_for_cortex_m4f(tmp_path, kind):
    generated = generate_model_c(keras_model(kind))
    write(generated.files, tmp_path)

    subprocess.run(
        ["arm-none-eabi-gcc", *M4_FLAGS, "-Wall", "-Wextra", "-Werror", "-c", "tf_model.c", "-o", "tf_model.o"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    )
    size = subprocess.run(["arm-none-eabi-size", "tf_model.o"], cwd=tmp_path, capture_output=True, text=True)
    text, data, bss = (int(v) for v in size.stdout.splitlines()[1].split()[:3])
    assert bss == generated.arena_size and data == 0
    if kind == "int8":
        assert text < 6 * 1024  # the motion impulse's NN fits in a few KB of flash


def test_reader_keeps_per_channel_quantization_and_options():
    graph = read_tflite(keras_model("int8"))

    fc = graph.operators[0]
    weights = graph.tensors[fc.inputs[1]]
    assert fc.name == "FULLY_CONNECTED" and fc.options["fused_activation"] == "RELU"
    assert weights.dtype == "int8" and weights.data.shape == (20, 33)
    assert weights.scale is not None and len(weights.scale) in (1, 20)
    assert graph.tensors[graph.inputs[0]].shape == (1, 33)


ROUND_HARNESS = """\
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
{helpers}
{kernel}
int main(void)
{{
    long long acc, m;
    int e;
    while (scanf("%lld %lld %d", &acc, &m, &e) == 3) {{
        printf("%d\\n", (int)tf_nn_round_scaled((int32_t)acc, (uint64_t)m, e));
    }}
    return 0;
}}
"""


def test_fully_connected_rescale_equals_rounding_a_double_product(tmp_path):
    """The integer rescale must give round(acc * scale) with a real double multiply, ties included."""
    rng = np.random.default_rng(11)
    cases = []
    for _ in range(20000):
        scale = float(np.float32(rng.uniform(1e-4, 0.05))) * float(np.float32(rng.uniform(1e-3, 0.02)))
        scale /= float(np.float32(rng.uniform(0.005, 0.2)))
        acc = int(rng.integers(-(2**31) + 1, 2**31)) >> int(rng.integers(0, 31))
        cases.append((acc, scale))
    near_tie = (2**21 - 1, (2**53 - 1) * 2.0**-54)  # the double product rounds up onto a .5
    cases += [(1, 0.5), (-1, 0.5), (3, 0.5), (-5, 0.5), near_tie, (7, 1.25), (-(2**31), 1e-3)]
    lines = []
    expected = []
    for acc, scale in cases:
        fraction, binary_exponent = math.frexp(scale)
        mantissa, exponent = int(fraction * 2**53), binary_exponent - 53
        lines.append(f"{acc} {mantissa} {exponent}")
        product = acc * (mantissa * 2.0**exponent)  # an IEEE double multiply
        expected.append(int(np.copysign(np.floor(abs(product) + 0.5), product)))
    kernel = kernel_source("fully_connected_s8")
    source = ROUND_HARNESS.format(helpers=kernel_source("fixedpoint"), kernel=kernel)
    (tmp_path / "round.c").write_text(source)
    exe = tmp_path / "round"
    subprocess.run(
        ["gcc", "-std=c99", "-O2", "-Wall", "-Wno-unused-function", "-o", str(exe), str(tmp_path / "round.c")],
        check=True,
        capture_output=True,
    )
    out = subprocess.run([str(exe)], input="\n".join(lines) + "\n", capture_output=True, text=True, check=True)

    assert [int(v) for v in out.stdout.split()] == expected


def test_fully_connected_scale_is_the_exact_double_tflite_computes():
    input_scale, filter_scale, output_scale = np.float32(0.0242), np.float32(0.0031), np.float32(0.11)

    (mantissa,), (exponent,) = quantization.double_scales(input_scale, np.array([filter_scale]), output_scale, 1)

    assert mantissa * 2.0**exponent == float(input_scale) * float(filter_scale) / float(output_scale)


def test_layer_constants_follow_tflite_quantize_multiplier():
    assert quantization.quantize_multiplier(0.5) == (1 << 30, 0)
    assert quantization.quantize_multiplier(0.0) == (0, 0)
    multiplier, shift = quantization.quantize_multiplier(0.0123)
    assert (1 << 30) <= multiplier < (1 << 31)
    assert multiplier * 2.0 ** (shift - 31) == pytest.approx(0.0123, rel=1e-9)
    assert re.fullmatch(r"-?\d+", str(quantization.activation_range_int8("RELU6", 0.05, -128)[1]))
