"""Flatten block: per axis, the enabled statistics of the scaled window.

Feature order: axis by axis; within an axis average, minimum, maximum, rms, stdev, skewness,
kurtosis (the enabled ones). stdev is the population standard deviation; a (near-)constant axis
has stdev, skewness and kurtosis 0 (see workers.dsp.moments).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from backend.blocks.processing import FLATTEN_STATS, get_processing_spec
from workers.dsp.block import ProcessingBlock, axis_names, json_floats, scaled, time_axis_ms
from workers.dsp.moments import moments

_LABELS = {
    "average": "Average",
    "minimum": "Minimum",
    "maximum": "Maximum",
    "rms": "RMS",
    "stdev": "Stdev",
    "skewness": "Skewness",
    "kurtosis": "Kurtosis",
}


def _enabled(params: dict[str, Any]) -> list[str]:
    return [name for name in FLATTEN_STATS if params[name]]


def features(windows: np.ndarray, params: dict[str, Any], frequency_hz: float) -> np.ndarray:
    """[k, n, axes] -> [k, axes * enabled statistics] float32."""
    x = scaled(windows, params["scale_axes"])
    m = moments(x, axis=1)
    stats = {
        "average": m.mean,
        "minimum": x.min(axis=1),
        "maximum": x.max(axis=1),
        "rms": np.sqrt(np.mean(x * x, axis=1)),
        "stdev": np.sqrt(m.variance),
        "skewness": m.skewness,
        "kurtosis": m.kurtosis,
    }
    out = np.stack([stats[name] for name in _enabled(params)], axis=2)  # [k, axes, stats]
    return out.reshape(x.shape[0], -1).astype(np.float32)


def feature_names(params: dict[str, Any], axes: list[str], *, frequency_hz: float, window_len: int) -> list[str]:
    return [f"{axis} {_LABELS[name]}" for axis in axes for name in _enabled(params)]


def graphs(
    window: np.ndarray, params: dict[str, Any], frequency_hz: float, axes: list[str] | None = None
) -> dict[str, Any]:
    x = scaled(np.asarray(window)[None], params["scale_axes"])[0]
    names = axis_names(axes, x.shape[1])
    return {
        "graphs": [
            {
                "name": "Scaled signal",
                "x": time_axis_ms(x.shape[0], frequency_hz),
                "x_label": "Time (ms)",
                "y_label": "Value",
                "series": {name: json_floats(x[:, i]) for i, name in enumerate(names)},
            }
        ]
    }


IMPLEMENTATIONS = {
    1: ProcessingBlock(get_processing_spec("flatten", 1), features, feature_names, graphs),
}
