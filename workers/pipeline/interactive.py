"""One signal through the impulse, for the studio's live views: DSP preview and classify."""

from __future__ import annotations

from typing import Any

import numpy as np

from workers.dsp.block import json_floats
from workers.pipeline.impulse import ImpulseRuntime, SignalError
from workers.pipeline.inference import TrainedImpulseModel, majority


def preview_window(
    runtime: ImpulseRuntime, signal: np.ndarray, window_start_ms: float, block_id: str | None = None
) -> dict[str, Any]:
    """The window starting at `window_start_ms`: its raw values and each block's features and graphs."""
    start = int(round(window_start_ms * runtime.frequency_hz / 1000.0))
    if start >= signal.shape[0]:
        raise SignalError(
            f"window_start_ms {window_start_ms:g} is past the end of the signal "
            f"({signal.shape[0] * 1000.0 / runtime.frequency_hz:g} ms)"
        )
    window = runtime.window_at(signal, start)
    blocks = []
    for b in runtime.blocks:
        if block_id is not None and b.id != block_id:
            continue
        w = window[:, b.axis_index]
        feats = b.impl.features(w[None], b.params, runtime.frequency_hz)[0]
        blocks.append(
            {
                "id": b.id,
                "type": b.type,
                "feature_names": b.feature_names,
                "features": json_floats(feats),
                **b.impl.graphs(w, b.params, runtime.frequency_hz, b.axes),
            }
        )
    return {
        "window_start_ms": start * 1000.0 / runtime.frequency_hz,
        "window_len": runtime.window_len,
        "frequency_hz": runtime.frequency_hz,
        "axes": runtime.axes,
        "signal_ms": signal.shape[0] * 1000.0 / runtime.frequency_hz,
        "window": {a: json_floats(window[:, i]) for i, a in enumerate(runtime.axes)},
        "blocks": blocks,
    }


def classify_signal(model: TrainedImpulseModel, signal: np.ndarray, threshold: float = 0.6) -> dict[str, Any]:
    """Per window: the raw features (exactly what the device computes) and the model's answer."""
    rt = model.runtime
    starts = rt.window_starts(signal.shape[0])
    if starts.size == 0:
        raise SignalError(f"the signal is shorter than one window ({rt.window_len} samples at {rt.frequency_hz:g} Hz)")
    feats = np.concatenate([rt.features(w) for w in rt.iter_windows(signal)])
    results = model.window_results(feats, threshold)
    windows = [
        {"start_ms": float(s * 1000.0 / rt.frequency_hz), **r, "features": json_floats(f)}
        for s, r, f in zip(starts, results, feats, strict=False)
    ]
    out: dict[str, Any] = {
        "labels": model.labels,
        "feature_names": rt.feature_names,
        "threshold": threshold,
        "windows": windows,
    }
    if model.kind == "keras-classifier":
        out["prediction"] = majority([r["prediction"] for r in results])
    return out
