"""Feature normalisation: each feature scaled by the training split's mean and standard deviation.

The network (float32 and int8 .tflite alike) takes normalised features. It is not folded into
the network: the int8 model quantizes its input with one scale for all features, so features of
very different ranges would lose their resolution; normalised first, every feature uses the int8
range alike. The device library applies the same two float32 operations, (x - mean) / std, before
quantizing, so its int8 input (and hence its output) stays bit-exact with LiteRT's reference on
the same features. Pure numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

# A feature whose training values (nearly) never change is left as is: dividing by a tiny
# deviation would turn rounding noise into large inputs.
MIN_STD = 1e-6


@dataclass(frozen=True)
class FeatureNormalization:
    mean: np.ndarray  # [n] float32
    std: np.ndarray  # [n] float32, > 0

    @classmethod
    def fit(cls, x: np.ndarray) -> FeatureNormalization:
        """Mean and standard deviation of each column of the training features x [windows, n]."""
        x = np.asarray(x, dtype=np.float64)
        mean = x.mean(axis=0).astype(np.float32)
        std = x.std(axis=0).astype(np.float32)
        std[~(std > MIN_STD * np.maximum(1.0, np.abs(mean)))] = 1.0
        return cls(mean=mean, std=std)

    @classmethod
    def fit_per_column(cls, x: np.ndarray, grid: tuple[int, int]) -> FeatureNormalization:
        """Statistics per column of framed windows [windows, rows * columns], shared by every row.

        A coefficient means the same in every frame and an event may sit in any frame, so pooling
        the frames gives steadier statistics than one per position (which, on a few dozen
        windows, mostly measure where events happened to fall). Stored per feature as usual.
        """
        rows, cols = grid
        column = cls.fit(np.asarray(x).reshape(-1, cols))
        return cls(mean=np.tile(column.mean, rows), std=np.tile(column.std, rows))

    def apply(self, x: np.ndarray) -> np.ndarray:
        """(x - mean) / std in float32, operation for operation what the C library computes."""
        x = np.asarray(x, dtype=np.float32)
        return ((x - self.mean) / self.std).astype(np.float32)

    def to_json(self) -> dict[str, Any]:
        return {"mean": [float(v) for v in self.mean], "std": [float(v) for v in self.std]}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> FeatureNormalization | None:
        """None (older trainings: the network takes the features as they are) or the normalisation."""
        if not data:
            return None
        return cls(mean=np.asarray(data["mean"], dtype=np.float32), std=np.asarray(data["std"], dtype=np.float32))


def normalize(x: np.ndarray, normalization: FeatureNormalization | dict[str, Any] | None) -> np.ndarray:
    """x normalised, or x unchanged (as float32) when there is no normalisation."""
    if isinstance(normalization, dict):
        normalization = FeatureNormalization.from_json(normalization)
    if normalization is None:
        return np.asarray(x, dtype=np.float32)
    return normalization.apply(x)
