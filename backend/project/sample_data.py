"""The sample project: a small synthetic motion dataset so a new user can try every step at once.

Three gestures (idle, wave, circle) recorded by a 3-axis accelerometer at 62.5 Hz, 5 s each,
8 recordings per gesture (6 for training, 2 for testing): two minutes of data in all. The values
are made here with numpy (a fixed seed, so the dataset is the same every time) and stored through
the ingestion service like any upload, in one transaction.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy.orm import Session

from backend.activity.service import record
from backend.core.deps import ProjectContext
from backend.core.errors import Conflict
from backend.ingestion.formats.sample import ParsedSample, content_hash
from backend.ingestion.service import NewSample, store
from backend.project import repository

FREQUENCY_HZ = 62.5
INTERVAL_MS = 1000.0 / FREQUENCY_HZ
SECONDS = 5.0
LABELS = ("idle", "wave", "circle")
TRAINING_PER_LABEL = 6
TESTING_PER_LABEL = 2
SENSORS = [("accX", "m/s2"), ("accY", "m/s2"), ("accZ", "m/s2")]
GRAVITY = 9.81
SEED = 20261201


def motion(label: str, rng: np.random.Generator) -> np.ndarray:
    """One recording of a gesture: [rows, 3] float32 in m/s2, gravity on z."""
    t = np.arange(int(SECONDS * FREQUENCY_HZ)) / FREQUENCY_HZ
    phase = rng.uniform(0, 2 * np.pi)
    hz = rng.uniform(0.8, 1.2)
    x = np.zeros_like(t)
    y = np.zeros_like(t)
    z = np.full_like(t, GRAVITY)
    if label == "wave":  # side to side, fast, with a little bounce
        hz *= 2.0
        amp = rng.uniform(5.0, 7.0)
        x = amp * np.sin(2 * np.pi * hz * t + phase)
        y = 0.2 * amp * np.sin(4 * np.pi * hz * t + phase)
    elif label == "circle":  # x and y a quarter turn apart, slower
        amp = rng.uniform(3.0, 4.5)
        x = amp * np.sin(2 * np.pi * hz * t + phase)
        y = amp * np.cos(2 * np.pi * hz * t + phase)
        z = z + 0.3 * np.sin(2 * np.pi * hz * t)
    noise = rng.normal(0.0, 0.15 if label != "idle" else 0.05, size=(t.size, 3))
    return (np.stack([x, y, z], axis=1) + noise).astype(np.float32)


def recordings() -> list[tuple[str, str, str, np.ndarray]]:
    """(name, category, label, values) of every recording of the sample project."""
    rng = np.random.default_rng(SEED)
    out = []
    for label in LABELS:
        for i in range(TRAINING_PER_LABEL + TESTING_PER_LABEL):
            category = "training" if i < TRAINING_PER_LABEL else "testing"
            out.append((f"{label}.{i + 1:02d}", category, label, motion(label, rng)))
    return out


def _parsed(values: np.ndarray) -> ParsedSample:
    names = [n for n, _ in SENSORS]
    return ParsedSample(
        device_name=None,
        device_type="TinyForge sample data",
        interval_ms=INTERVAL_MS,
        sensors=list(SENSORS),
        values=np.ascontiguousarray(values),
        signature_status="unsigned",
        iat=None,
        content_hash=content_hash(INTERVAL_MS, names, values),
        format="binary",
    )


def add_sample_data(session: Session, ctx: ProjectContext) -> dict:
    """Fill an empty project with the sample motion dataset; refuses a project that has data."""
    repository.lock(session, ctx.project.id)  # two clicks at once must not both find it empty
    if repository.sample_count(session, ctx.project.id):
        raise Conflict("The project has samples already: the sample data goes only into an empty project")
    news = [
        NewSample(name=name, category=category, label=label, parsed=_parsed(values), metadata={"source": "sample"})
        for name, category, label, values in recordings()
    ]
    ids = store(session, ctx, news, disallow_duplicates=False)
    record(session, ctx, "project.sample_data_added", count=len(ids), labels=list(LABELS))
    session.commit()
    return {
        "count": len(ids),
        "labels": list(LABELS),
        "frequency_hz": FREQUENCY_HZ,
        "seconds": round(len(ids) * SECONDS, 1),
    }
