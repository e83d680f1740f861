"""The keyword-spotting nets (conv1d over MFCC frames, conv2d over a spectrogram) in generated C.

Built by our model builder from the presets a new audio learning block proposes, converted to
int8 by our optimizer, fed int8 inputs quantized from real features of synthetic clips: the C
outputs must equal LiteRT's reference kernels bit for bit.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
pytest.importorskip("tensorflow")
litert = pytest.importorskip("ai_edge_litert.interpreter")

from backend.blocks.audio import audio_coefficients  # noqa: E402
from backend.blocks.learning import KEYWORD_SPOTTING_CONV1D, KEYWORD_SPOTTING_CONV2D  # noqa: E402
from backend.blocks.processing import PROCESSING_BLOCKS  # noqa: E402
from tests.support import synthetic_audio  # noqa: E402
from workers.codegen.nn import generate_model_c  # noqa: E402
from workers.codegen.nn.host_runner import run_on_host  # noqa: E402
from workers.codegen.tflite_reader import read_tflite  # noqa: E402
from workers.dsp.registry import get_processing_block  # noqa: E402
from workers.learn.models import build_model  # noqa: E402
from workers.learn.normalization import FeatureNormalization  # noqa: E402
from workers.optimize.convert import to_tflite_int8  # noqa: E402

CONTEXT = {"frequency_hz": 16000, "window_size_ms": 1000, "axes": ["audio"]}
# conv2d runs on a small spectrogram (fft 64: 33 bins, 50 frames) to keep the test quick
CASES = {
    "kws_conv1d_mfcc": ("mfcc", {}, KEYWORD_SPOTTING_CONV1D),
    "kws_conv2d_spectrogram": ("spectrogram", {"fft_length": 64, "frame_stride": 0.02}, KEYWORD_SPOTTING_CONV2D),
}


def _features(block: str, params: dict) -> tuple[np.ndarray, int]:
    params = PROCESSING_BLOCKS[block].validate(params, CONTEXT)
    clips = synthetic_audio.dataset(4, seed=3)
    windows = np.stack([c for _, c in clips]).astype(np.float32)[:, :, None]
    x = get_processing_block(block).features(windows, params, 16000.0)
    return x, audio_coefficients(block, params)


def _reference(model: bytes, inputs: np.ndarray) -> np.ndarray:
    interpreter = litert.Interpreter(
        model_content=model, experimental_op_resolver_type=litert.OpResolverType.BUILTIN_REF
    )
    interpreter.allocate_tensors()
    (source,), (target,) = interpreter.get_input_details(), interpreter.get_output_details()
    out = []
    for x in inputs:
        interpreter.set_tensor(source["index"], x[np.newaxis])
        interpreter.invoke()
        out.append(interpreter.get_tensor(target["index"])[0].copy())
    return np.stack(out)


@pytest.mark.parametrize("name", CASES)
def test_keyword_spotting_net_in_c_matches_litert_bit_for_bit(name):
    block, params, preset = CASES[name]
    features, columns = _features(block, params)
    x = FeatureNormalization.fit_per_column(features, (features.shape[1] // columns, columns)).apply(features)
    model = build_model(list(preset), x.shape[1], 3, axes=columns)
    rng = np.random.default_rng(5)  # random weights with non-zero biases: every path is exercised
    model.set_weights([rng.normal(0.0, 0.3, size=w.shape).astype(np.float32) for w in model.get_weights()])
    tflite = to_tflite_int8(model, x)
    ops = {op.name for op in read_tflite(tflite).operators}
    assert {"CONV_2D", "MAX_POOL_2D", "RESHAPE"} <= ops  # conv1d arrives as conv2d of height 1

    generated = generate_model_c(tflite)
    scale, zero_point = litert.Interpreter(model_content=tflite).get_input_details()[0]["quantization"]
    windows = np.clip(np.round(x / scale) + zero_point, -128, 127).astype(np.int8)
    noise = np.random.default_rng(0).integers(-128, 128, size=(4, x.shape[1])).astype(np.int8)
    inputs = np.concatenate([windows, noise])
    expected = _reference(tflite, inputs)
    actual = run_on_host(generated, inputs.reshape((len(inputs), *generated.input_shape))).reshape(expected.shape)
    assert actual.dtype == np.int8
    np.testing.assert_array_equal(actual, expected)
    assert len(np.unique(expected.argmax(axis=1))) > 1 or len(np.unique(expected)) > 3  # outputs vary
