"""Synthetic accelerometer gestures (idle, wave, circle, shake on 3 axes at 62.5 Hz with noise)
and a factory that stores them as samples straight through the models."""

from __future__ import annotations

import hashlib

import numpy as np

AXES = ["accX", "accY", "accZ"]
LABELS = ["circle", "idle", "shake", "wave"]
HZ = 62.5

IMPULSE = {
    "input": {"axes": AXES, "window_size_ms": 2000, "window_increase_ms": 500, "frequency_hz": HZ, "zero_pad": True},
    "processing": [
        {
            "id": "spectral",
            "type": "spectral-analysis",
            "version": 1,  # the tests built on this impulse count its 33 features
            "params": {"filter_type": "low", "filter_cutoff": 8, "filter_order": 6, "fft_length": 64},
        }
    ],
    "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["spectral"], "params": {}}],
}


def motion(label: str, seconds: float = 10.0, hz: float = HZ, seed: int = 0) -> np.ndarray:
    """[rows, 3] float32 m/s2 of one gesture, with jittered speed, amplitude and noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * hz)) / hz
    f = rng.uniform(0.9, 1.1)
    a = rng.uniform(0.8, 1.2)
    phase = rng.uniform(0, 2 * np.pi)
    x, y, z = np.zeros_like(t), np.zeros_like(t), np.full_like(t, 9.81)
    if label == "wave":
        x = 3 * a * np.sin(2 * np.pi * 1.5 * f * t + phase)
        y = 0.5 * a * np.sin(2 * np.pi * 3.0 * f * t + phase)
    elif label == "circle":
        x = 2 * a * np.sin(2 * np.pi * 0.8 * f * t + phase)
        y = 2 * a * np.cos(2 * np.pi * 0.8 * f * t + phase)
    elif label == "shake":
        x = 5 * a * np.sin(2 * np.pi * 5.0 * f * t + phase)
        z = z + 1.5 * a * np.sin(2 * np.pi * 5.0 * f * t + phase + 1)
    elif label != "idle":
        raise ValueError(label)
    noise = rng.normal(0, 0.3, (len(t), 3))
    return (np.stack([x, y, z], axis=1) + noise).astype(np.float32)


def add_sample(
    project_id: int,
    label: str,
    values: np.ndarray,
    *,
    category: str = "training",
    interval_ms: float = 1000 / HZ,
    axes: list[str] = AXES,
    enabled: bool = True,
    signature: str = "unsigned",
    meta: dict | None = None,
) -> int:
    from backend.core.db import get_sessionmaker
    from backend.models.sample import Sample, SampleValues

    values = np.asarray(values, dtype="<f4")
    blob = values.tobytes()
    with get_sessionmaker()() as s:
        sample = Sample(
            project_id=project_id,
            category=category,
            label=label,
            filename=f"{label}.{hashlib.sha1(blob).hexdigest()[:10]}",
            device_type="TEST",
            interval_ms=interval_ms,
            sensors=[{"name": a, "units": "m/s2"} for a in axes],
            n_rows=values.shape[0],
            n_axes=values.shape[1],
            length_ms=values.shape[0] * interval_ms,
            content_hash=hashlib.sha256(blob).hexdigest(),
            signature_status=signature,
            meta=meta or {},
            enabled=enabled,
        )
        sample.data = SampleValues(values=blob)
        s.add(sample)
        s.commit()
        return sample.id


def add_motion_dataset(
    project_id: int,
    train_per_class: int = 10,
    test_per_class: int = 3,
    seconds: float = 10.0,
    labels: list[str] = LABELS,
) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {"training": [], "testing": []}
    seed = 0
    for label in labels:
        for category, count in (("training", train_per_class), ("testing", test_per_class)):
            for _ in range(count):
                seed += 1
                ids[category].append(
                    add_sample(
                        project_id, label, motion(label, seconds, seed=seed + 1000 * project_id), category=category
                    )
                )
    return ids
