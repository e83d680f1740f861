"""The generated impulse library computes what the studio computes, on the host and on a
Cortex-M4F (real gcc, arm-none-eabi-gcc and qemu; the trained motion impulse, 300 test windows;
on the host also a trained audio impulse: MFCC + conv1d, 30 one-second windows).

Host: every window's DSP features match the Python pipeline within 1e-4 relative or 1e-5
absolute; the int8 network's outputs equal LiteRT's BUILTIN_REF kernels bit for bit on the
library's own features (normalised with the training statistics, in float32, as the library does); the predicted label equals the Python pipeline's. Cortex-M4F: the same
program prints the same bits; flash, RAM and instructions per stage are measured.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from support.audio_impulse import train_audio_impulse
from support.library_build import run_host, run_m4
from support.motion_impulse import train_motion_impulse

from workers.codegen.anomaly import score_kmeans
from workers.codegen.dsp_c import plan_dsp
from workers.codegen.library import LibraryRequest, cpp_zip, generate_library
from workers.codegen.library.targets import estimates_for
from workers.optimize.evaluate import run_tflite

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")
HAS_M4 = shutil.which("arm-none-eabi-gcc") and shutil.which("qemu-system-arm")


@pytest.fixture(scope="module")
def motion():
    return train_motion_impulse()


@pytest.fixture(scope="module")
def library(motion):
    req = LibraryRequest(
        "Motion Demo",
        motion.impulse,
        motion.labels,
        motion.tflite["int8"],
        "int8",
        motion.anomaly,
        build=3,
        model_feature_normalization=motion.normalization,
    )
    return req, generate_library(req)


@pytest.fixture(scope="module")
def windows(motion):
    return motion.test_windows.reshape(len(motion.test_windows), -1)


@pytest.fixture(scope="module")
def host_run(library, windows, tmp_path_factory):
    _, lib = library
    return run_host(lib.sources, lib.header, windows, tmp_path_factory.mktemp("host"))


def test_the_test_set_has_a_few_hundred_windows(motion):
    assert len(motion.test_windows) >= 300


def test_host_features_match_the_python_pipeline_on_every_window(motion, host_run):
    c, py = host_run.features.astype(np.float64), motion.test_features.astype(np.float64)
    ok = np.abs(c - py) <= np.maximum(1e-5, 1e-4 * np.abs(py))
    bad = np.argwhere(~ok)
    assert not len(bad), (
        f"{len(bad)} features differ, first at window/feature {bad[0]}: {c[tuple(bad[0])]} vs {py[tuple(bad[0])]}"
    )


def test_host_int8_network_equals_litert_reference_bit_for_bit(motion, host_run):
    reference = run_tflite(motion.tflite["int8"], motion.model_input(host_run.features))  # dequantized int8 outputs
    assert host_run.scores.view(np.uint32).tolist() == reference.view(np.uint32).tolist()


def test_host_predicts_the_python_pipelines_label_on_every_window(motion, host_run):
    python = run_tflite(motion.tflite["int8"], motion.model_input(motion.test_features)).argmax(axis=1)
    assert (host_run.scores.argmax(axis=1) == python).all()
    assert (python == motion.test_labels).mean() >= 0.95  # the impulse learned the gestures, with default settings


def test_host_anomaly_score_equals_the_reference_scorer(motion, host_run):
    a = motion.anomaly
    reference = score_kmeans(host_run.features, a["centers"], a["radii"], a["feature_indices"], a["mean"], a["std"])
    assert host_run.anomaly.view(np.uint32).tolist() == reference.view(np.uint32).tolist()


def test_float32_library_predicts_like_the_float32_model(motion, windows, tmp_path):
    req = LibraryRequest(
        "Motion Demo",
        motion.impulse,
        motion.labels,
        motion.tflite["float32"],
        "float32",
        motion.anomaly,
        model_feature_normalization=motion.normalization,
    )
    lib = generate_library(req)
    run = run_host(lib.sources, lib.header, windows, tmp_path)
    reference = run_tflite(motion.tflite["float32"], motion.model_input(run.features))
    np.testing.assert_allclose(run.scores, reference, rtol=1e-5, atol=1e-6)
    assert (run.scores.argmax(axis=1) == reference.argmax(axis=1)).all()


def test_cpp_example_builds_with_cmake_and_classifies_stdin_windows(motion, library, host_run, tmp_path):
    import io
    import zipfile

    req, lib = library
    zipfile.ZipFile(io.BytesIO(cpp_zip(lib, req))).extractall(tmp_path)
    root = tmp_path / lib.name
    subprocess.run(
        [
            "cmake",
            "-S",
            str(root),
            "-B",
            str(root / "build"),
            "-DCMAKE_C_FLAGS=-Wall -Wextra -Werror",
            "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Werror",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(["cmake", "--build", str(root / "build")], check=True, capture_output=True)
    lines = "\n".join(",".join(f"{v:.9g}" for v in w.reshape(-1)) for w in motion.test_windows[:8])
    out = subprocess.run(
        [str(root / "build" / f"{lib.name}_example")], input=lines + "\n", text=True, capture_output=True, check=True
    ).stdout
    scores = [
        [float(line.split(": ")[1]) for line in out.splitlines() if line.split(":")[0] in motion.labels][i : i + 4]
        for i in range(0, 32, 4)
    ]
    np.testing.assert_allclose(np.asarray(scores), host_run.scores[:8], atol=1e-5)
    metadata = json.loads((root / f"{lib.name}.json").read_text())
    assert metadata["labels"] == motion.labels and metadata["version"] == "1.0.3"


@pytest.mark.skipif(not HAS_M4, reason="arm-none-eabi-gcc or qemu-system-arm missing")
def test_cortex_m4f_prints_the_same_bits_as_the_host_and_fits_the_budget(
    library, windows, host_run, tmp_path, record_property
):
    _, lib = library
    m4 = run_m4(lib.sources, lib.header, windows, tmp_path)
    assert m4.text == host_run.text  # features, scores and anomaly of every window, bit for bit
    ram = m4.footprint["static_ram"] + m4.stack_bytes
    print(
        f"\nCortex-M4F: flash {m4.footprint['flash']} B ({m4.footprint}), RAM {ram} B "
        f"(static {m4.footprint['static_ram']} + stack {m4.stack_bytes}), instructions {m4.instructions}"
    )
    record_property("m4", {"footprint": m4.footprint, "stack": m4.stack_bytes, "instructions": m4.instructions})
    assert 0 < m4.stack_bytes < 2048
    assert all(v > 0 for v in m4.instructions.values())
    # The targets for the standard motion impulse (deterministic counts, not timings).
    assert m4.footprint["flash"] <= 16 * 1024
    assert ram <= 2 * 1024
    assert sum(m4.instructions.values()) <= 320_000
    # the studio's cost model (workers/codegen/estimate.py) within a quarter of each measured stage
    req, _ = library
    estimate = estimates_for(lib, req)
    for stage in ("dsp", "nn", "anomaly"):
        assert 0.75 * m4.instructions[stage] <= estimate[stage]["instructions"] <= 1.25 * m4.instructions[stage], stage
    assert 0.75 * ram <= estimate["total"]["ram_bytes"] <= 1.25 * ram


def test_network_reading_some_blocks_features_gets_exactly_those(motion, windows, host_run, tmp_path):
    impulse = json.loads(json.dumps(motion.impulse))
    extra = {"id": 9, "type": "spectral-analysis", "version": 1, "params": {"fft_length": 64}, "axes": ["accY"]}
    impulse["processing_blocks"].insert(0, extra)  # its features come first; the network skips them
    skip = plan_dsp(
        [{"id": "spectral-analysis", "version": 1, "params": extra["params"], "axes": [1]}], 62.5, 125, 3
    ).features_count
    req = LibraryRequest(
        "Motion Demo",
        impulse,
        motion.labels,
        motion.tflite["int8"],
        "int8",
        None,
        model_feature_indices=list(range(skip, skip + 33)),
        model_feature_normalization=motion.normalization,
    )
    lib = generate_library(req)
    run = run_host(lib.sources, lib.header, windows[:40], tmp_path)
    assert run.features.shape[1] == skip + 33
    assert run.scores.view(np.uint32).tolist() == host_run.scores[:40].view(np.uint32).tolist()


# ---------------------------------------------------------------------------------------------
# An audio impulse: MFCC (keyword defaults, 50 x 13) -> conv1d -> dense, int8.

_audio_parity_spec = importlib.util.spec_from_file_location(
    "test_dsp_c_audio", Path(__file__).with_name("test_dsp_c_audio.py")
)
audio_parity = importlib.util.module_from_spec(_audio_parity_spec)
_audio_parity_spec.loader.exec_module(audio_parity)


@pytest.fixture(scope="module")
def audio():
    return train_audio_impulse()


@pytest.fixture(scope="module")
def audio_host_run(audio, tmp_path_factory):
    req = LibraryRequest(
        "Keyword Demo",
        audio.impulse,
        audio.labels,
        audio.tflite_int8,
        "int8",
        None,
        model_feature_normalization=audio.normalization,
    )
    lib = generate_library(req)
    assert lib.feature_count == 650
    windows = audio.test_windows.reshape(len(audio.test_windows), -1)
    return run_host(lib.sources, lib.header, windows, tmp_path_factory.mktemp("audio"))


def test_audio_library_features_match_the_python_mfcc_on_every_window(audio, audio_host_run):
    blocks = [{"id": "mfcc", "version": 1, "params": {}, "axes": [0]}]
    audio_parity.assert_blocks_match(blocks, 16000.0, 1000, audio.test_windows, audio_host_run.features)
    assert np.array_equal(audio_host_run.features.shape, audio.test_features.shape)


def test_audio_library_int8_network_equals_litert_and_predicts_the_python_pipelines_label(audio, audio_host_run):
    reference = run_tflite(audio.tflite_int8, audio.model_input(audio_host_run.features))
    assert audio_host_run.scores.view(np.uint32).tolist() == reference.view(np.uint32).tolist()
    python = run_tflite(audio.tflite_int8, audio.model_input(audio.test_features)).argmax(axis=1)
    assert (audio_host_run.scores.argmax(axis=1) == python).all()
    assert (python == audio.test_labels).mean() >= 0.8  # the network learned the three sounds


def test_audio_network_input_output_and_arena_live_in_the_dsp_scratch(audio):
    """The DSP is done before the network runs: the network's buffers take no RAM of their own (the
    test above shows the scores are still LiteRT's bit for bit)."""
    from workers.codegen.dsp_c import plan_dsp

    req = LibraryRequest(
        "Keyword Demo",
        audio.impulse,
        audio.labels,
        audio.tflite_int8,
        "int8",
        None,
        model_feature_normalization=audio.normalization,
    )
    lib = generate_library(req)
    classifier, model = lib.sources["tf_classifier.c"], lib.sources["tf_model.c"]
    assert "#define tf_model_input ((int8_t *)(void *)((char *)tf_dsp_scratch + 0))" in classifier
    assert "#define tf_model_output ((int8_t *)(void *)((char *)tf_dsp_scratch + 652))" in classifier
    assert "static int8_t tf_model_input" not in classifier and "static int8_t tf_model_output" not in classifier
    assert "#define tf_model_arena ((int8_t *)(void *)((char *)tf_dsp_scratch + 656))" in model
    assert "static int8_t tf_model_arena" not in model
    plan = plan_dsp([dict(b) for b in lib.input.dsp_blocks], lib.input.frequency_hz, lib.input.window_len, 1)
    assert 656 + lib.arena_size <= 4 * plan.scratch_floats
    assert lib.static_ram == 4 * (lib.input.window_len + plan.scratch_floats + 650)  # window, scratch, features
