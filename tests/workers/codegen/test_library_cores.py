"""The generated impulse library on the other cores of the board catalogue, built with the real
toolchain and run under qemu: a Cortex-M7 (mps2-an500, double-precision FPU) and ARMv6-M code as
for the Pico's Cortex-M0+ (-mcpu=cortex-m0plus, soft float, the portable kernels) on the microbit's
Cortex-M0. The trained motion impulse, 40 test windows: the int8 library prints the host's bits
(features, scores, anomaly); the float32 one the same features and anomaly and scores within
rounding of the host's expf. Each stage's instructions are counted (SysTick under -icount shift=0)
and the catalogue's per-core ratios (backend/blocks/boards.py) must turn the Cortex-M4F's counts
into these within 5 %."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from support.library_build import CORES, run_core, run_host
from support.motion_impulse import train_motion_impulse

from backend.blocks.boards import CORES as CATALOGUE_CORES
from workers.codegen.library import LibraryRequest, generate_library
from workers.codegen.library.targets import estimates_for

pytestmark = pytest.mark.skipif(
    not (shutil.which("gcc") and shutil.which("arm-none-eabi-gcc") and shutil.which("qemu-system-arm")),
    reason="gcc, arm-none-eabi-gcc or qemu-system-arm missing",
)
OTHER_CORES = ["cortex-m7", "cortex-m0plus"]


@pytest.fixture(scope="module")
def motion():
    return train_motion_impulse()


@pytest.fixture(scope="module")
def runs(motion, tmp_path_factory):
    """Per variant: the library, its host run and its run on each core (M4F included)."""
    windows = motion.test_windows[:40].reshape(40, -1)
    out = {}
    for variant in ("int8", "float32"):
        req = LibraryRequest(
            "Motion Demo",
            motion.impulse,
            motion.labels,
            motion.tflite[variant],
            variant,
            motion.anomaly,
            model_feature_normalization=motion.normalization,
        )
        lib = generate_library(req)
        host = run_host(lib.sources, lib.header, windows, tmp_path_factory.mktemp(f"host-{variant}"))
        cores = {
            core: run_core(core, lib.sources, lib.header, windows, tmp_path_factory.mktemp(f"{core}-{variant}"))
            for core in ["cortex-m4f", *OTHER_CORES, *(["armv6m-on-an385"] if variant == "int8" else [])]
        }
        out[variant] = (host, cores, estimates_for(lib, req))
    return out


@pytest.mark.parametrize("core", OTHER_CORES)
def test_int8_library_prints_the_hosts_bits_on_the_core(runs, core):
    host, cores, _ = runs["int8"]
    assert cores[core].text == host.text  # features, scores and anomaly of every window


@pytest.mark.parametrize("core", OTHER_CORES)
def test_float32_library_computes_the_hosts_features_and_scores_on_the_core(runs, core):
    host, cores, _ = runs["float32"]
    run = cores[core]
    assert run.features.view(np.uint32).tolist() == host.features.view(np.uint32).tolist()
    assert run.anomaly.view(np.uint32).tolist() == host.anomaly.view(np.uint32).tolist()
    np.testing.assert_allclose(run.scores, host.scores, rtol=0, atol=1e-6)  # softmax's expf: newlib vs glibc


def test_armv6m_build_uses_no_fpu_and_fits_the_microbits_ram(runs):
    m0 = runs["int8"][1]["cortex-m0plus"]
    assert "-mfloat-abi=soft" in CORES["cortex-m0plus"].flags
    # it ran to the end on a Cortex-M0 (an FPU or DSP instruction would have faulted: exit 99)
    assert m0.footprint["static_ram"] + m0.stack_bytes < 16 * 1024
    assert all(v > 0 for v in m0.instructions.values())


@pytest.mark.parametrize("variant", ["int8", "float32"])
@pytest.mark.parametrize("core", OTHER_CORES)
def test_catalogue_ratios_turn_the_m4f_counts_into_the_cores_counts(runs, core, variant):
    _, cores, estimate = runs[variant]
    m4, measured = cores["cortex-m4f"].instructions, cores[core].instructions
    model = CATALOGUE_CORES[core]
    inputs = {"inputs": estimate["nn"]["work"]["inputs"]}  # the M7's own cost per quantized input
    print(f"\n{core} {variant}: measured {measured}, Cortex-M4F {m4}")
    for stage in ("dsp", "nn", "anomaly"):
        estimated = model.instructions({stage: m4[stage]}, variant, None, inputs)
        assert abs(estimated - measured[stage]) <= 0.05 * measured[stage], (stage, estimated, measured[stage])


@pytest.mark.parametrize("variant", ["int8", "float32"])
def test_studio_estimate_for_the_cortex_m0plus_is_within_a_tenth_of_the_count(runs, variant):
    """What the deployment page shows: the cost model's Cortex-M4F counts (its DSP priced per unit of
    work with the ARMv6-M unit costs) against the instructions counted on the Cortex-M0."""
    _, cores, estimate = runs[variant]
    measured = sum(cores["cortex-m0plus"].instructions.values())
    stages = {s: estimate[s]["instructions"] for s in ("dsp", "nn", "anomaly")}
    predicted = CATALOGUE_CORES["cortex-m0plus"].instructions(
        stages, variant, estimate["dsp"]["work"], estimate["nn"].get("work")
    )
    print(
        f"\nCortex-M0+ {variant}: measured {measured:,}, estimated {round(predicted):,} ({predicted / measured - 1:+.1%})"
    )
    assert abs(predicted - measured) <= 0.1 * measured


def test_armv6m_build_counts_the_same_on_the_cortex_m3_machine(runs):
    """bench/fit_core_dsp.py runs the ARMv6-M build on mps2-an385 (room for audio windows): the same
    instructions execute there, so the counts agree to a SysTick tick (62.5 / 40 instructions)."""
    host, cores, _ = runs["int8"]
    on_m3, on_m0 = cores["armv6m-on-an385"], cores["cortex-m0plus"]
    assert on_m3.text == host.text
    for stage in ("dsp", "nn", "anomaly"):
        assert abs(on_m3.instructions[stage] - on_m0.instructions[stage]) <= 125, stage
