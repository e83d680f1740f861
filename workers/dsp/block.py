"""What every processing block implementation provides, and the helpers they share.

Conventions (all blocks, all versions):
  features(windows float32 [k, n, axes], params, frequency_hz) -> float32 [k, f], vectorised
  feature_names(params, axes, *, frequency_hz, window_len) -> list[str] of length f
  graphs(window [n, axes], params, frequency_hz, axes=None) -> JSON-serialisable dict for the UI
`params` are already validated (defaults filled) by the block's spec. The caller passes only the
axes the block processes.

Scaling: the scaled input is defined as the float32 product `x * float32(scale_axes)`, exactly
what the C code computes, so both implementations start from identical numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from backend.blocks.params import BlockSpec

FeaturesFn = Callable[[np.ndarray, dict[str, Any], float], np.ndarray]
FeatureNamesFn = Callable[..., list[str]]
GraphsFn = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class ProcessingBlock:
    spec: BlockSpec
    features: FeaturesFn
    feature_names: FeatureNamesFn
    graphs: GraphsFn

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def version(self) -> int:
        return self.spec.version


def as_windows(windows: np.ndarray) -> np.ndarray:
    """Check and convert a batch of windows to float32 [k, n, axes]."""
    x = np.asarray(windows, dtype=np.float32)
    if x.ndim != 3:
        raise ValueError(f"windows must be [k, n, axes], got shape {x.shape}")
    return x


def scaled(windows: np.ndarray, scale: float) -> np.ndarray:
    """float32 `windows * scale` (the C code's rounding), widened to float64 for the analysis."""
    return (as_windows(windows) * np.float32(scale)).astype(np.float64)


def time_axis_ms(n: int, frequency_hz: float) -> list[float]:
    return [round(i * 1000.0 / frequency_hz, 6) for i in range(n)]


def axis_names(axes: list[str] | None, count: int) -> list[str]:
    if axes is None:
        return [f"axis{i}" for i in range(count)]
    if len(axes) != count:
        raise ValueError(f"{len(axes)} axis names for {count} axes")
    return list(axes)


def json_floats(values: np.ndarray) -> list[float]:
    """Plain Python floats; non-finite values (never expected) become 0 so the JSON stays valid."""
    v = np.asarray(values, dtype=np.float64)
    return np.where(np.isfinite(v), v, 0.0).tolist()
