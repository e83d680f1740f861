"""Each processing block reproduces its golden features (tests/golden/dsp)."""
from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import numpy as np
import pytest

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "golden" / "dsp"
_spec = importlib.util.spec_from_file_location("generate_dsp_golden", GOLDEN_DIR / "generate_dsp_golden.py")
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)

if os.environ.get("TINYFORGE_REGEN_GOLDEN") == "1":
    golden.regenerate()


@pytest.mark.parametrize("name", sorted(golden.CASES))
def test_block_output_matches_golden_file(name):
    from workers.dsp.registry import get_processing_block

    stored = np.load(golden.path_of(name))
    meta = json.loads(str(stored["meta"]))
    block = get_processing_block(meta["block"], meta["version"])
    context = meta["context"]
    params = block.spec.validate(meta["params"], context)

    got = block.features(stored["input"], params, context["frequency_hz"])
    names = block.feature_names(params, context["axes"], frequency_hz=context["frequency_hz"],
                                window_len=stored["input"].shape[1])

    assert names == meta["feature_names"]
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, stored["expected"], rtol=1e-5, atol=1e-6)


def test_golden_inputs_are_what_the_generator_makes():
    # Guards the stored inputs against an accidental edit of the generator's signal recipe.
    for name, (_, _, _, context, kind) in golden.CASES.items():
        np.testing.assert_array_equal(np.load(golden.path_of(name))["input"], golden.make_input(kind, context))
