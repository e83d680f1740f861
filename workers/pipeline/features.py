"""Feature generation: every window of every sample through the processing blocks, in chunks.

Memory stays bounded: the output array is allocated once at its exact size (window counts follow
from each sample's row count and rate, without loading it), samples are loaded a batch at a time,
and at most `chunk` windows are materialised before their features are written in place.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workers.pipeline.impulse import ImpulseRuntime, SignalError

CATEGORY_CODES = {"training": 0, "testing": 1, "anomaly": 2}
LoadValues = Callable[[list[int]], dict[int, np.ndarray]]


@dataclass(frozen=True)
class SampleInfo:
    """What the pipeline needs to know about a sample before loading its values."""

    id: int
    label: str
    category: str
    interval_ms: float
    n_rows: int
    sensors: list[str]
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class FeatureSet:
    """Features of all windows plus where each window came from. The snapshot training uses."""

    features: np.ndarray  # float32 [N, F]
    label_index: np.ndarray  # int32 [N], into `labels`; -1 = unlabeled
    labels: list[str]  # sorted label names of the included samples
    sample_ids: np.ndarray  # int64 [N]
    window_starts: np.ndarray  # int64 [N], first row of the window at the impulse frequency
    categories: np.ndarray  # int8 [N], CATEGORY_CODES
    feature_names: list[str]
    frequency_hz: float
    sample_meta: dict[int, dict[str, str]] = field(default_factory=dict)

    def window_start_ms(self) -> np.ndarray:
        return self.window_starts * (1000.0 / self.frequency_hz)

    def to_npz(self) -> bytes:
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            features=self.features,
            label_index=self.label_index,
            labels=np.array(self.labels, dtype=str),
            sample_ids=self.sample_ids,
            window_starts=self.window_starts,
            categories=self.categories,
            feature_names=np.array(self.feature_names, dtype=str),
            frequency_hz=np.float64(self.frequency_hz),
            sample_meta=np.array(json.dumps({str(k): v for k, v in self.sample_meta.items()})),
        )
        return buf.getvalue()

    @classmethod
    def from_npz(cls, data: bytes) -> FeatureSet:
        z = np.load(io.BytesIO(data), allow_pickle=False)
        return cls(
            features=z["features"],
            label_index=z["label_index"],
            labels=z["labels"].tolist(),
            sample_ids=z["sample_ids"],
            window_starts=z["window_starts"],
            categories=z["categories"],
            feature_names=z["feature_names"].tolist(),
            frequency_hz=float(z["frequency_hz"]),
            sample_meta={int(k): v for k, v in json.loads(str(z["sample_meta"])).items()},
        )


def usable_samples(samples: list[SampleInfo], runtime: ImpulseRuntime) -> tuple[list[SampleInfo], list[str]]:
    """The samples that have every axis of the impulse and give at least one window, and why others don't."""
    keep, skipped = [], []
    for s in samples:
        missing = [a for a in runtime.axes if a not in s.sensors]
        if missing:
            skipped.append(f"sample {s.id}: no axis {missing[0]!r}")
        elif runtime.window_starts(runtime.resampled_rows(s.n_rows, s.interval_ms)).size == 0:
            skipped.append(f"sample {s.id}: shorter than one window")
        else:
            keep.append(s)
    return keep, skipped


def generate_features(
    samples: list[SampleInfo],
    load_values: LoadValues,
    runtime: ImpulseRuntime,
    *,
    chunk: int = 1024,
    load_batch: int = 32,
    progress: Callable[[float], None] | None = None,
) -> FeatureSet:
    """Features of every window of `samples` (pass `usable_samples` first), in sample order."""
    counts = [runtime.window_starts(runtime.resampled_rows(s.n_rows, s.interval_ms)).size for s in samples]
    total = int(sum(counts))
    labels = sorted({s.label for s in samples if s.label})
    label_of = {name: i for i, name in enumerate(labels)}
    out = FeatureSet(
        features=np.empty((total, runtime.n_features), np.float32),
        label_index=np.empty(total, np.int32),
        labels=labels,
        sample_ids=np.empty(total, np.int64),
        window_starts=np.empty(total, np.int64),
        categories=np.empty(total, np.int8),
        feature_names=runtime.feature_names,
        frequency_hz=runtime.frequency_hz,
        sample_meta={s.id: dict(s.meta) for s in samples},
    )
    pending: list[np.ndarray] = []
    pending_n, written, pos = 0, 0, 0

    def flush() -> None:
        nonlocal pending, pending_n, written
        if pending_n:
            w = pending[0] if len(pending) == 1 else np.concatenate(pending)
            out.features[written : written + pending_n] = runtime.features(w)
            written += pending_n
            pending, pending_n = [], 0
            if progress:
                progress(written / max(total, 1))

    for b in range(0, len(samples), load_batch):
        batch = samples[b : b + load_batch]
        values = load_values([s.id for s in batch])
        for s, count in zip(batch, counts[b : b + load_batch], strict=False):
            signal = runtime.signal(values.pop(s.id), s.sensors, s.interval_ms)
            starts = runtime.window_starts(signal.shape[0])
            if starts.size != count:
                raise SignalError(f"sample {s.id} changed while features were generated")
            out.sample_ids[pos : pos + count] = s.id
            out.window_starts[pos : pos + count] = starts
            out.label_index[pos : pos + count] = label_of.get(s.label, -1)
            out.categories[pos : pos + count] = CATEGORY_CODES.get(s.category, 0)
            pos += count
            for windows in runtime.iter_windows(signal, chunk):
                while len(windows):
                    take = windows[: chunk - pending_n]
                    pending.append(take)
                    pending_n += len(take)
                    windows = windows[len(take) :]
                    if pending_n >= chunk:
                        flush()
    flush()
    return out


def feature_summary(fs: FeatureSet) -> dict[str, Any]:
    """Counts for the job result: windows per category and label."""
    per_label: dict[str, dict[str, int]] = {}
    names = {v: k for k, v in CATEGORY_CODES.items()}
    for cat in np.unique(fs.categories):
        mask = fs.categories == cat
        idx, n = np.unique(fs.label_index[mask], return_counts=True)
        per_label[names[int(cat)]] = {(fs.labels[i] if i >= 0 else ""): int(c) for i, c in zip(idx, n, strict=False)}
    return {
        "windows": int(len(fs.features)),
        "features": int(fs.features.shape[1]),
        "samples": int(len(fs.sample_meta)),
        "labels": fs.labels,
        "windows_per_label": per_label,
    }
