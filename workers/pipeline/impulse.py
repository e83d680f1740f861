"""An impulse configuration made executable: which axes, how windows are cut, which blocks run."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from backend.blocks.audio import AUDIO_SPECS, audio_coefficients
from backend.blocks.processing import window_length
from workers.dsp import windowing
from workers.dsp.block import ProcessingBlock
from workers.dsp.registry import get_processing_block

AUDIO_BLOCK_IDS = frozenset(s.id for s in AUDIO_SPECS)


class SignalError(ValueError):
    """A sample or raw signal does not fit the impulse (missing axes, wrong width, empty)."""


@dataclass(frozen=True)
class BlockRun:
    id: str
    type: str
    params: dict[str, Any]
    axes: list[str]
    axis_index: list[int]  # positions of `axes` in the impulse's input axes
    impl: ProcessingBlock
    start: int  # this block's features sit at [start, end) of the feature vector
    end: int
    feature_names: list[str]


class ImpulseRuntime:
    """Cuts signals into windows and turns windows into the concatenated feature vector."""

    def __init__(self, config: dict[str, Any]):
        self.config = config
        inp = config["input"]
        self.axes: list[str] = list(inp["axes"])
        self.frequency_hz = float(inp["frequency_hz"])
        self.window_len = window_length(inp["window_size_ms"], self.frequency_hz)
        self.stride = window_length(inp["window_increase_ms"], self.frequency_hz)
        self.zero_pad = bool(inp["zero_pad"])
        self.blocks: list[BlockRun] = []
        start = 0
        for block in config["processing"]:
            impl = get_processing_block(block["type"], block["version"])
            names = impl.feature_names(
                block["params"], block["axes"], frequency_hz=self.frequency_hz, window_len=self.window_len
            )
            self.blocks.append(
                BlockRun(
                    block["id"],
                    block["type"],
                    block["params"],
                    list(block["axes"]),
                    [self.axes.index(a) for a in block["axes"]],
                    impl,
                    start,
                    start + len(names),
                    names,
                )
            )
            start += len(names)
        self.n_features = start
        self.feature_names = [n for b in self.blocks for n in b.feature_names]

    # -- signals and windows ---------------------------------------------------------------------
    def signal(self, values: np.ndarray, sensor_names: list[str], interval_ms: float) -> np.ndarray:
        """The impulse's axes of a sample [n, sensors], resampled to the impulse frequency: [m, axes]."""
        x = np.asarray(values, dtype=np.float32)
        if x.ndim == 1:
            x = x[:, None]
        if x.shape[0] == 0:
            raise SignalError("the signal has no values")
        if x.shape[1] != len(sensor_names):
            raise SignalError(f"the signal has {x.shape[1]} axes, expected {len(sensor_names)}")
        missing = [a for a in self.axes if a not in sensor_names]
        if missing:
            raise SignalError(f"axis {missing[0]!r} is missing (the signal has {', '.join(sensor_names)})")
        x = x[:, [sensor_names.index(a) for a in self.axes]]
        if interval_ms <= 0:
            raise SignalError("the sampling interval must be positive")
        return windowing.resample(x, 1000.0 / interval_ms, self.frequency_hz)

    def resampled_rows(self, n_rows: int, interval_ms: float) -> int:
        """Rows of a sample after resampling (what `signal` returns), without loading it."""
        from_hz = 1000.0 / interval_ms
        return (
            n_rows if from_hz == self.frequency_hz or n_rows == 0 else int(round(n_rows * self.frequency_hz / from_hz))
        )

    def window_starts(self, n_rows: int) -> np.ndarray:
        return windowing.window_starts(n_rows, self.window_len, self.stride, self.zero_pad)

    def iter_windows(self, signal: np.ndarray, chunk: int = 1024) -> Iterator[np.ndarray]:
        return windowing.iter_windows(signal, self.window_len, self.stride, self.zero_pad, chunk)

    def window_at(self, signal: np.ndarray, start: int) -> np.ndarray:
        """The window starting at row `start` (zero-padded past the end): [window_len, axes]."""
        w = np.zeros((self.window_len, signal.shape[1]), np.float32)
        part = signal[start : start + self.window_len]
        w[: len(part)] = part
        return w

    # -- features ------------------------------------------------------------------------------
    def features(self, windows: np.ndarray) -> np.ndarray:
        """[k, window_len, axes] -> [k, n_features] float32: every block's features, concatenated."""
        w = np.asarray(windows, dtype=np.float32)
        out = np.empty((w.shape[0], self.n_features), np.float32)
        for b in self.blocks:
            out[:, b.start : b.end] = b.impl.features(w[:, :, b.axis_index], b.params, self.frequency_hz)
        return out

    def learning_block(self, block_type: tuple[str, ...]) -> dict[str, Any] | None:
        return next((b for b in self.config["learning"] if b["type"] in block_type), None)

    def input_indices(self, learning_block: dict[str, Any]) -> np.ndarray:
        """Positions in the feature vector of the features that feed a learning block."""
        feeds = set(learning_block["inputs"])
        return np.concatenate([np.arange(b.start, b.end) for b in self.blocks if b.id in feeds]).astype(np.int64)

    def raw_axes(self, learning_block: dict[str, Any]) -> int | None:
        """The axis count of a raw-window input (for conv1d models); None for feature vectors."""
        feeding = [b for b in self.blocks if b.id in learning_block["inputs"]]
        if len(feeding) == 1 and feeding[0].type == "raw":
            return len(feeding[0].axes)
        return None

    def frame_columns(self, learning_block: dict[str, Any]) -> int | None:
        """Values per frame when one audio block feeds the learning block (conv nets see its frames)."""
        feeding = [b for b in self.blocks if b.id in learning_block["inputs"]]
        if len(feeding) == 1 and feeding[0].type in AUDIO_BLOCK_IDS:
            return audio_coefficients(feeding[0].type, feeding[0].params)
        return None

    def input_info(self) -> dict[str, Any]:
        inp = self.config["input"]
        return {
            "axes": self.axes,
            "frequency_hz": self.frequency_hz,
            "interval_ms": 1000.0 / self.frequency_hz,
            "window_size_ms": inp["window_size_ms"],
            "window_increase_ms": inp["window_increase_ms"],
            "window_len": self.window_len,
            "stride": self.stride,
            "zero_pad": self.zero_pad,
            "features": self.n_features,
            "blocks": [{"id": b.id, "type": b.type, "start": b.start, "end": b.end} for b in self.blocks],
        }
