"""The DSP config generator: byte-stable output, size macros, refusals, and a Cortex-M4 build."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

from backend.blocks.params import BlockParamError
from workers.codegen.dsp_c import DspCodegenError, plan_dsp, render_dsp_config, render_dsp_header, static_sources

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "golden" / "dsp"
_spec = importlib.util.spec_from_file_location("generate_dsp_golden", GOLDEN_DIR / "generate_dsp_golden.py")
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)

_parity_spec = importlib.util.spec_from_file_location(
    "test_dsp_c_parity", Path(__file__).with_name("test_dsp_c_parity.py")
)
parity = importlib.util.module_from_spec(_parity_spec)
_parity_spec.loader.exec_module(parity)

ARM_GCC = shutil.which("arm-none-eabi-gcc")
ARM_FLAGS = [
    "-std=c99",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Wdouble-promotion",
    "-mcpu=cortex-m4",
    "-mthumb",
    "-mfloat-abi=hard",
    "-mfpu=fpv4-sp-d16",
    "-Os",
]
SPECTRAL = {
    "id": "spectral-analysis",
    "version": 1,
    "params": {"filter_cutoff": 8.0, "fft_length": 64},
    "axes": [0, 1, 2],
}


def test_standard_impulse_renders_the_stored_config_byte_for_byte():
    assert golden.render_standard_impulse() == golden.STANDARD_IMPULSE_C.read_text()


def test_header_declares_the_sizes_of_the_standard_impulse():
    header = render_dsp_header([SPECTRAL], 62.5, 125, 3)
    assert "#define TF_DSP_FEATURES_COUNT 33\n" in header
    assert "#define TF_DSP_INPUT_FLOATS 375\n" in header
    assert "#define TF_DSP_SCRATCH_FLOATS 189\n" in header  # one axis: 125 samples + FFT 64


def test_static_sources_exist_for_the_packager():
    assert sorted(p.name for p in static_sources()) == ["tf_dsp.c", "tf_dsp.h"]
    assert all(p.is_file() for p in static_sources())


def test_unfiltered_spectral_block_has_no_coefficients():
    source = render_dsp_config([{**SPECTRAL, "params": {"filter_type": "none", "fft_length": 32}}], 62.5, 125, 3)
    assert ".sos = NULL," in source and ".sections = 0u," in source


@pytest.mark.parametrize(
    "block,error",
    [
        ({**SPECTRAL, "axes": [3]}, DspCodegenError),
        ({**SPECTRAL, "axes": []}, DspCodegenError),
        ({**SPECTRAL, "params": {"filter_cutoff": 40.0}}, BlockParamError),
        ({**SPECTRAL, "version": 9}, LookupError),
        (
            {
                "id": "spectrogram",
                "params": {"frame_length": 0.2, "frame_stride": 0.1, "fft_length": 16},
                "axes": [0, 1],
            },
            DspCodegenError,
        ),
    ],
)
def test_invalid_blocks_are_refused(block, error):
    with pytest.raises(error):
        render_dsp_config([block], 62.5, 125, 3)


def test_every_processing_block_version_has_a_c_implementation():
    from backend.blocks.processing import PROCESSING_BLOCK_VERSIONS
    from workers.codegen.dsp_c.render import _RENDERERS

    assert set(PROCESSING_BLOCK_VERSIONS) == set(_RENDERERS)


def test_keyword_mfcc_config_is_sparse_and_declares_its_frame_stride():
    blocks = [{"id": "mfcc", "params": {}, "axes": [0]}]
    source = render_dsp_config(blocks, 16000.0, 16000, 1)
    header = render_dsp_header(blocks, 16000.0, 16000, 1)
    assert "#define TF_DSP_FRAME_STRIDE_SAMPLES 320\n" in header
    assert "#define TF_DSP_FEATURES_COUNT 650\n" in header
    # only the non-zero band of each of the 32 triangles (a dense bank would be 32 x 129 weights)
    assert "static const float tf_dsp_block0_filter_weights[215]" in source
    assert "static const float tf_dsp_block0_dct[384]" in source  # rows 1..12 x 32 filters
    assert "static float tf_dsp_block0_history[650];" in source  # un-normalised frames for continuous runs
    plan = plan_dsp(blocks, 16000.0, 16000, 1)
    # one frame (FFT 256 + power 129 + mel 32): the normalization needs only one column (50 floats)
    assert plan.scratch_floats == 256 + 129 + 32 and plan.history_floats == 650


def test_frame_stride_is_zero_without_frame_based_blocks_and_the_lcm_with_several():
    assert "#define TF_DSP_FRAME_STRIDE_SAMPLES 0\n" in render_dsp_header([SPECTRAL], 62.5, 125, 3)
    blocks = [
        {"id": "mfcc", "params": {}, "axes": [0]},
        {"id": "mfe", "params": {}, "axes": [0]},
        {"id": "spectrogram", "params": {"frame_stride": 0.016}, "axes": [0]},
    ]
    assert plan_dsp(blocks, 16000.0, 16000, 1).frame_stride == 1280  # lcm(320, 160, 256)


def test_block_parameter_errors_name_the_block():
    with pytest.raises(BlockParamError) as e:
        plan_dsp([{"id": "raw", "params": {}, "axes": [0]}, {**SPECTRAL, "params": {"fft_length": 48}}], 62.5, 125, 3)
    assert e.value.field == "blocks[1].params.fft_length"


@pytest.mark.skipif(ARM_GCC is None, reason="arm-none-eabi-gcc is not installed")
@pytest.mark.parametrize("name", sorted(parity.IMPULSES))
def test_library_and_configs_compile_for_cortex_m4_without_warnings(name, tmp_path):
    from backend.blocks.processing import window_length

    frequency_hz, window_ms, axes_count, blocks = parity.IMPULSES[name]
    config = tmp_path / "tf_dsp_config.c"
    config.write_text(render_dsp_config(blocks, frequency_hz, window_length(window_ms, frequency_hz), axes_count))
    source = next(p for p in static_sources() if p.suffix == ".c")
    for src in (source, config):
        result = subprocess.run(
            [ARM_GCC, *ARM_FLAGS, f"-I{source.parent}", "-c", str(src), "-o", str(tmp_path / (src.stem + ".o"))],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0 and result.stderr == "", result.stderr
