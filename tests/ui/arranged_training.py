"""A project whose impulse has a finished training arranged in the database (result with metrics
and per-stage on-device estimates of both variants), for the pages that show a trained impulse
without training one. Training for real is covered by the backend tests."""

from __future__ import annotations

import secrets

from ui.browserkit import api_user

CONFIG = {
    "input": {
        "axes": ["accX", "accY", "accZ"],
        "window_size_ms": 2000,
        "window_increase_ms": 500,
        "frequency_hz": 62.5,
        "zero_pad": True,
    },
    "processing": [{"id": "spectral", "type": "spectral-analysis", "params": {}}],
    "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["spectral"], "params": {}}],
}


def estimate(dsp: int, nn: int, anomaly: int, ram: int, flash: int) -> dict:
    """workers/codegen/estimate.py's shape: Cortex-M4F instructions per stage, RAM and flash."""
    total = dsp + nn + anomaly
    return {
        "device": "Cortex-M4F @ 80 MHz",
        "dsp": {"instructions": dsp},
        "nn": {"instructions": nn},
        "anomaly": {"instructions": anomaly},
        "total": {
            "instructions": total,
            "latency_ms": round(total * 1.3 / 80e3, 3),
            "flash_bytes": flash,
            "ram_bytes": ram,
        },
    }


def trained_project(
    url: str,
    name: str,
    metrics: dict,
    estimates: dict,
    learning: dict | None = None,
    warnings: list | None = None,
) -> tuple[object, int]:
    """(owner Api, project id) with one impulse marked trained by a succeeded impulse.train job."""
    from backend.core.db import get_sessionmaker
    from backend.impulse.repository import mark_trained
    from backend.models.job import Job

    owner = api_user(url, f"{name.lower()}_{secrets.token_hex(3)}")
    pid = owner.post("/api/projects", json={"name": name}).json()["id"]
    r = owner.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": CONFIG})
    assert r.status_code == 201, r.text
    impulse = r.json()
    result = {
        "impulse_id": impulse["id"],
        "impulse_version": 1,
        "impulse": impulse["config"],
        "labels": ["idle", "wave"],
        "metrics": metrics,
        "estimates": estimates,
        "history": [],
        "learning": learning or {"type": "keras-classifier", "best_epoch": 30, "stopped_early": False},
        "warnings": warnings or [],
    }
    with get_sessionmaker()() as s:
        job = Job(
            project_id=pid,
            kind="impulse.train",
            queue="jobs",
            status="succeeded",
            progress=1.0,
            params={"impulse_id": impulse["id"], "impulse_version": 1},
            result=result,
        )
        s.add(job)
        s.flush()
        mark_trained(s, impulse["id"], 1, job.id)
        s.commit()
    return owner, pid


def board_project(url: str) -> tuple[object, int]:
    """The motion impulse's measured figures, with a float32 network too big for 16 KB of RAM."""
    return trained_project(
        url,
        "Boards",
        {"float32": {"accuracy": 0.97}, "int8": {"accuracy": 0.96}},
        {
            "float32": estimate(75_000, 8_000, 8_640, 20_480, 40_960),
            "int8": estimate(75_000, 12_040, 8_640, 9_216, 24_576),
        },
    )
