"""Interactive calls (DSP preview, classify one signal): answered over the event bus within a
second, on the `<instance>.interactive` queue. Not jobs: nothing is stored. See backend/core/rpc.py."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import numpy as np

from backend.core import task_names
from backend.core.db import get_sessionmaker
from backend.core.rpc import reply
from backend.impulse import repository
from workers.celery_app import app
from workers.pipeline.impulse import ImpulseRuntime, SignalError
from workers.pipeline.inference import TrainedImpulseModel
from workers.pipeline.interactive import classify_signal, preview_window
from workers.pipeline.project_data import decode_values
from workers.tasks.testing import load_trained

log = logging.getLogger(__name__)


class Refused(Exception):
    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


def _signal(runtime: ImpulseRuntime, payload: dict[str, Any]) -> np.ndarray:
    if payload.get("sample_id") is not None:
        with get_sessionmaker()() as s:
            sample = repository.sample(s, payload["project_id"], payload["sample_id"])
            if sample is None:
                raise Refused(f"Sample {payload['sample_id']} not found", 404)
            blob = repository.sample_values(s, [sample.id]).get(sample.id, b"")
            sensors = [x.get("name", "") for x in sample.sensors or []]
            return runtime.signal(decode_values(blob, len(sensors)), sensors, sample.interval_ms)
    values = np.asarray(payload["values"], dtype=np.float32)
    if values.shape[1] != len(runtime.axes):
        raise Refused(f"values have {values.shape[1]} columns; the impulse's axes are {', '.join(runtime.axes)}")
    return runtime.signal(values, runtime.axes, float(payload["interval_ms"]))


@lru_cache(maxsize=8)
def _trained(train_job_id: int, variant: str) -> TrainedImpulseModel:
    # Models of a finished training job never change, so caching them is safe.
    with get_sessionmaker()() as s:
        return load_trained(s, train_job_id, variant)


def _answer(reply_to: str, work) -> None:
    try:
        reply(reply_to, work())
    except Refused as e:
        reply(reply_to, error=str(e), status=e.status)
    except (SignalError, LookupError) as e:
        reply(reply_to, error=str(e), status=422)
    except Exception as e:  # the caller waits: always answer, and keep the details in the log
        log.exception("interactive call failed")
        reply(reply_to, error=f"The worker failed: {type(e).__name__}: {e}", status=500)


@app.task(name=task_names.PREVIEW, ignore_result=True, acks_late=False)
def preview(reply_to: str, payload: dict[str, Any]) -> None:
    def work():
        runtime = ImpulseRuntime(payload["impulse"])
        return preview_window(
            runtime, _signal(runtime, payload), float(payload.get("window_start_ms") or 0), payload.get("block_id")
        )

    _answer(reply_to, work)


@app.task(name=task_names.CLASSIFY, ignore_result=True, acks_late=False)
def classify(reply_to: str, payload: dict[str, Any]) -> None:
    def work():
        model = _trained(int(payload["train_job_id"]), payload.get("variant") or "int8")
        result = classify_signal(model, _signal(model.runtime, payload), float(payload.get("threshold", 0.6)))
        return {"train_job_id": payload["train_job_id"], "variant": model.variant, **result}

    _answer(reply_to, work)
