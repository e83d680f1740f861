"""run_classifier's features, whichever way the library holds the window: one axis at a time in
the DSP scratch (spectral analysis and flatten blocks) or the whole window (raw blocks). The
features run_classifier prints (debug) must be those tf_dsp_run computes from the whole window."""

from __future__ import annotations

import json
import re
import subprocess

import numpy as np
import pytest
from support.motion_impulse import IMPULSE

from workers.codegen.library import LibraryRequest, generate_library

SPECTRAL = IMPULSE["processing_blocks"][0]
FLATTEN = {"id": 5, "type": "flatten", "version": 1, "params": {}, "axes": ["accZ", "accX"]}
RAW = {"id": 6, "type": "raw", "version": 1, "params": {}, "axes": ["accY"]}

HARNESS = r"""
#include <stdio.h>
#include <string.h>
#include "LIBRARY_HEADER"
#include "tf_dsp.h"

void tf_classifier_print(const char *text) { fputs(text, stdout); }

int main(void)
{
    static float window[TF_CLASSIFIER_DSP_INPUT_FRAME_SIZE], features[TF_CLASSIFIER_FEATURE_COUNT];
    signal_t signal;
    classifier_result_t result;
    int i;
    while (fread(window, sizeof window, 1, stdin) == 1) {
        signal_from_buffer(window, TF_CLASSIFIER_DSP_INPUT_FRAME_SIZE, &signal);
        if (run_classifier(&signal, &result, true) != TF_CLASSIFIER_OK || tf_dsp_run(window, features) != TF_DSP_OK) {
            return 1;
        }
        printf("DSP");
        for (i = 0; i < TF_CLASSIFIER_FEATURE_COUNT; ++i) {
            printf(" %.9g", features[i]);
        }
        printf("\n");
    }
    return 0;
}
"""


def impulse_with(blocks):
    impulse = json.loads(json.dumps(IMPULSE))
    impulse["processing_blocks"] = blocks
    impulse["learning_blocks"] = []
    return impulse


@pytest.mark.parametrize(
    ("blocks", "axis_at_a_time"),
    [([SPECTRAL, FLATTEN], 1), ([FLATTEN], 1), ([RAW, SPECTRAL], 0)],
    ids=["spectral+flatten", "flatten", "raw+spectral"],
)
def test_run_classifier_features_equal_the_whole_window_dsp(blocks, axis_at_a_time, tmp_path):
    lib = generate_library(LibraryRequest("dsp memory", impulse_with(blocks), [], None, "int8"))
    assert f"#define TF_CLASSIFIER_DSP_AXIS_AT_A_TIME {axis_at_a_time}" in lib.sources["tf_classifier.c"]
    for name, text in lib.sources.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "main.c").write_text(HARNESS.replace("LIBRARY_HEADER", lib.header), encoding="utf-8")
    sources = ["main.c", *sorted(n for n in lib.sources if n.endswith(".c"))]
    flags = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-O2", "-I."]
    subprocess.run(["gcc", *flags, "-o", "run", *sources, "-lm"], cwd=tmp_path, check=True, capture_output=True)
    rng = np.random.default_rng(5)
    windows = rng.normal(0.0, 3.0, size=(6, 375)).astype("<f4")
    out = subprocess.run([str(tmp_path / "run")], input=windows.tobytes(), capture_output=True, check=True).stdout
    text = out.decode()

    printed = [np.array(m.split(), dtype=float) for m in re.findall(r"Features \(\d+\):([^\n]*)\n", text)]
    whole = [np.array(m.split(), dtype=float) for m in re.findall(r"^DSP([^\n]*)$", text, re.M)]
    assert len(printed) == len(whole) == len(windows)
    for a, b in zip(printed, whole, strict=True):
        assert len(a) == lib.feature_count
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=2e-5)
