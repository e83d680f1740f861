"""The network's feature normalisation in C: (x - mean) / std per input, in float32, before the
int8 quantization (or the float32 network). Two correctly rounded float operations, as numpy does
them (workers/learn/normalization.py), so the quantized input is bit-exact with the reference."""

from __future__ import annotations

from typing import Any

import numpy as np

from workers.codegen.c_literals import NonFiniteConstantError, c_float
from workers.codegen.library.impulse_config import LibraryInputError


def normalization_c(normalization: dict[str, Any] | None, n_inputs: int, source: str) -> tuple[str, str]:
    """(constant arrays, the C expression of input i) for a network reading `source` as input i."""
    if not normalization:
        return "", source
    mean = np.asarray(normalization.get("mean") or [], dtype=np.float32)
    std = np.asarray(normalization.get("std") or [], dtype=np.float32)
    if len(mean) != n_inputs or len(std) != n_inputs:
        raise LibraryInputError(
            f"the feature normalisation has {len(mean)} means and {len(std)} deviations "
            f"for a network of {n_inputs} inputs: train the impulse again"
        )
    if not (std > 0).all():
        raise LibraryInputError("the feature normalisation has a deviation of 0 or less: train the impulse again")
    try:
        arrays = "".join(
            f"static const float tf_model_feature_{name}[{n_inputs}] = {{ "
            f"{', '.join(c_float(float(v)) for v in values)} }};\n"
            for name, values in (("mean", mean), ("std", std))
        )
    except NonFiniteConstantError as exc:
        raise LibraryInputError(f"the feature normalisation is not finite ({exc}): train the impulse again") from exc
    return arrays, f"(({source} - tf_model_feature_mean[i]) / tf_model_feature_std[i])"
