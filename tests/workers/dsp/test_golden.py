"""Each processing block reproduces its golden features (tests/golden/dsp)."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import numpy as np
import pytest

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "golden" / "dsp"


def _load(generator: str):
    spec = importlib.util.spec_from_file_location(generator, GOLDEN_DIR / f"{generator}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


golden = _load("generate_dsp_golden")
audio_golden = _load("generate_audio_golden")
GENERATORS = (golden, audio_golden)

if os.environ.get("TINYFORGE_REGEN_GOLDEN") == "1":
    for _generator in GENERATORS:
        _generator.regenerate()

ALL_CASES = [(g, name) for g in GENERATORS for name in sorted(g.CASES)]


@pytest.mark.parametrize("generator,name", ALL_CASES, ids=[name for _, name in ALL_CASES])
def test_block_output_matches_golden_file(generator, name):
    from workers.dsp.registry import get_processing_block

    stored = np.load(generator.path_of(name))
    meta = json.loads(str(stored["meta"]))
    block = get_processing_block(meta["block"], meta["version"])
    context = meta["context"]
    params = block.spec.validate(meta["params"], context)

    got = block.features(stored["input"], params, context["frequency_hz"])
    names = block.feature_names(
        params, context["axes"], frequency_hz=context["frequency_hz"], window_len=stored["input"].shape[1]
    )

    assert names == meta["feature_names"]
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, stored["expected"], rtol=1e-5, atol=1e-6)


def test_golden_inputs_are_what_the_generator_makes():
    # Guards the stored inputs against an accidental edit of the generator's signal recipe.
    for generator in GENERATORS:
        for name, (_, _, _, context, kind) in generator.CASES.items():
            np.testing.assert_array_equal(
                np.load(generator.path_of(name))["input"], generator.make_input(kind, context)
            )
