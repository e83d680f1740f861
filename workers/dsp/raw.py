"""Raw block: the scaled window, flattened sample by sample ([n, axes] row-major)."""

from __future__ import annotations

from typing import Any

import numpy as np

from backend.blocks.processing import get_processing_spec
from workers.dsp.block import ProcessingBlock, as_windows, axis_names, json_floats, time_axis_ms


def features(windows: np.ndarray, params: dict[str, Any], frequency_hz: float) -> np.ndarray:
    """[k, n, axes] -> [k, n * axes]: x * scale_axes, in float32 (bit-identical to the C code)."""
    x = as_windows(windows) * np.float32(params["scale_axes"])
    return x.reshape(x.shape[0], -1)


def feature_names(params: dict[str, Any], axes: list[str], *, frequency_hz: float, window_len: int) -> list[str]:
    return [f"{axis} [{i}]" for i in range(window_len) for axis in axes]


def graphs(
    window: np.ndarray, params: dict[str, Any], frequency_hz: float, axes: list[str] | None = None
) -> dict[str, Any]:
    x = features(np.asarray(window)[None], params, frequency_hz).reshape(np.shape(window))
    names = axis_names(axes, x.shape[1])
    return {
        "graphs": [
            {
                "name": "Raw (scaled)",
                "x": time_axis_ms(x.shape[0], frequency_hz),
                "x_label": "Time (ms)",
                "y_label": "Value",
                "series": {name: json_floats(x[:, i]) for i, name in enumerate(names)},
            }
        ]
    }


IMPLEMENTATIONS = {
    1: ProcessingBlock(get_processing_spec("raw", 1), features, feature_names, graphs),
}
